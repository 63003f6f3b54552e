"""Candidates for admission (quần chúng ưu tú, cảm tình Đảng) and the dated steps from the cell's
resolution to the admission ceremony, then through probation to recognition.

A candidate belongs to a cell and is scoped by its path (`org_path`, copied like `Member.org_path`), so
the officers of the commune and the province see it and the neighbouring commune never does. At the
ceremony the candidate becomes a `Member` (members.services) and `member` points at it; the candidate row
stays as the file of the admission and of the recognition that follows.
"""

from datetime import date

from django.conf import settings
from django.db import models

from core.scoping import ScopedQuerySet
from core.tree import PathField
from members.choices import Degree, Gender, LeaveReason, TheoryLevel
from members.models import MAJORITY_ETHNICITY, Member
from orgs.models import OrgUnit


class Stage(models.TextChoices):
    REGISTERED = "dang_ky", "Quần chúng ưu tú (đang bồi dưỡng, lập hồ sơ)"
    CELL_PROPOSED = "chi_bo_de_nghi", "Chi bộ đã đề nghị kết nạp"
    GRASSROOTS_PROPOSED = "co_so_de_nghi", "Đảng ủy cơ sở đã đề nghị"
    SUBMITTED = "cho_quyet_dinh", "Cấp có thẩm quyền đã nhận hồ sơ, chờ quyết định"
    DECIDED = "cho_le_ket_nap", "Đã có quyết định kết nạp, chờ lễ kết nạp"
    PROBATION = "du_bi", "Đảng viên dự bị"
    RECOG_CELL = "chi_bo_de_nghi_cn", "Chi bộ đã đề nghị công nhận chính thức / xóa tên"
    RECOG_GRASSROOTS = "co_so_de_nghi_cn", "Đảng ủy cơ sở đã đề nghị công nhận chính thức / xóa tên"
    RECOGNIZED = "chinh_thuc", "Đã công nhận đảng viên chính thức"
    STRUCK_OFF = "xoa_ten", "Đã xóa tên khỏi danh sách đảng viên dự bị"
    REFUSED = "khong_ket_nap", "Cấp có thẩm quyền không đồng ý kết nạp"
    REFERRED = "bao_cao_cap_tren", "Ba lần biểu quyết không đủ 2/3: đã báo cáo cấp trên"
    CLOSED = "dung", "Dừng xem xét"


OPEN_STAGES = [Stage.REGISTERED, Stage.CELL_PROPOSED, Stage.GRASSROOTS_PROPOSED, Stage.SUBMITTED, Stage.DECIDED,
               Stage.PROBATION, Stage.RECOG_CELL, Stage.RECOG_GRASSROOTS]
BEFORE_CEREMONY = [Stage.REGISTERED, Stage.CELL_PROPOSED, Stage.GRASSROOTS_PROPOSED, Stage.SUBMITTED, Stage.DECIDED]


class Introduction(models.TextChoices):
    TWO_MEMBERS = "hai_dang_vien", "Hai đảng viên chính thức giới thiệu"
    YOUTH_UNION = "doan", "Ban Chấp hành Đoàn cơ sở và một đảng viên chính thức"
    TRADE_UNION = "cong_doan", "Ban Chấp hành Công đoàn cơ sở và một đảng viên chính thức"


class Exception_(models.TextChoices):
    """The areas where completed primary school suffices (rules.md §1, "Education")."""

    NONE = "", "Không (phải tốt nghiệp THCS trở lên)"
    MOUNTAIN = "mien_nui", "Miền núi, vùng cao"
    BORDER = "bien_gioi", "Biên giới"
    ISLAND = "hai_dao", "Hải đảo"
    MINORITY = "dan_toc", "Vùng đồng bào dân tộc thiểu số"
    POOR = "dac_biet_kho_khan", "Vùng đặc biệt khó khăn"
    FISHERMEN = "ngu_dan", "Ngư dân thường xuyên làm việc trên biển"


class CandidateQuerySet(ScopedQuerySet):
    scope_fields = ("org_path",)


class Candidate(models.Model):
    """A non-member the cell follows towards admission: enough of the lý lịch to create the `Member` at the
    ceremony, the helpers, the awareness-course certificate, the dossier's dates and the introducers.

    `stage` and `due_on` (the next statutory deadline, empty when none runs) are kept by `admission.services`
    in the same transaction as the step that changes them, so the work list is one indexed range."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="candidates", verbose_name="chi bộ")
    org_path = PathField(editable=False)
    registered_on = models.DateField("ngày chi bộ đưa vào danh sách")
    # identity (the fields `members.services.create_member` needs, and those the statistics count)
    full_name = models.CharField("họ và tên", max_length=120)
    gender = models.CharField("giới tính", max_length=3, choices=Gender.choices)
    birth_date = models.DateField("ngày sinh")
    citizen_id = models.CharField("số CCCD", max_length=12, blank=True)
    ethnicity = models.CharField("dân tộc", max_length=40, default=MAJORITY_ETHNICITY)
    religion = models.CharField("tôn giáo", max_length=40, blank=True)
    hometown = models.CharField("quê quán", max_length=255, blank=True)
    current_address = models.CharField("nơi ở hiện nay", max_length=255, blank=True)
    phone = models.CharField("điện thoại", max_length=20, blank=True)
    general_education = models.CharField("giáo dục phổ thông", max_length=10, blank=True,
                                         help_text="Như ghi trong lý lịch: 12/12, 9/12, 7/10…")
    education_exception = models.CharField("thuộc diện được kết nạp khi tốt nghiệp tiểu học", max_length=20,
                                           choices=Exception_.choices, blank=True)
    professional_qualification = models.CharField("chuyên môn, nghiệp vụ", max_length=255, blank=True)
    degree = models.CharField("học vị", max_length=20, choices=Degree.choices, blank=True)
    political_theory = models.CharField("lý luận chính trị", max_length=12, choices=TheoryLevel.choices, blank=True)
    occupation = models.CharField("nghề nghiệp", max_length=120, blank=True)
    workplace = models.CharField("nơi làm việc", max_length=255, blank=True)
    # over 60 at the cell's vote: the provincial standing committee's written consent (members.rules)
    over_age_consent_number = models.CharField("số văn bản đồng ý kết nạp người trên 60 tuổi", max_length=60,
                                               blank=True)
    over_age_consent_on = models.DateField("ngày văn bản đồng ý", null=True, blank=True)
    # re-admission: the former member's own record, which gets the READMITTED event at the ceremony
    former_member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                      verbose_name="hồ sơ đảng viên cũ (kết nạp lại)")
    readmission_reason = models.CharField("lý do ra khỏi Đảng trước đây", max_length=20, choices=LeaveReason.choices,
                                          blank=True)
    helpers = models.ManyToManyField(Member, blank=True, related_name="+",
                                     verbose_name="đảng viên được phân công giúp đỡ")
    # the dossier (hồ sơ): dates of each paper; validity in admission.rules
    certificate_number = models.CharField("số giấy chứng nhận bồi dưỡng nhận thức về Đảng", max_length=60, blank=True)
    certificate_on = models.DateField("ngày cấp giấy chứng nhận", null=True, blank=True)
    application_on = models.DateField("ngày đơn xin vào Đảng", null=True, blank=True)
    cv_on = models.DateField("ngày lý lịch người xin vào Đảng", null=True, blank=True)
    mass_comment_on = models.DateField("ngày tổng hợp nhận xét của đoàn thể", null=True, blank=True)
    residence_comment_on = models.DateField("ngày nhận xét của chi ủy nơi cư trú", null=True, blank=True)
    verified_on = models.DateField("ngày có kết quả thẩm tra lý lịch", null=True, blank=True)
    # introducers
    introduction = models.CharField("hình thức giới thiệu", max_length=16, choices=Introduction.choices,
                                    default=Introduction.TWO_MEMBERS)
    introduction_on = models.DateField("ngày giấy giới thiệu / nghị quyết giới thiệu", null=True, blank=True)
    introducer_1 = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                     verbose_name="đảng viên giới thiệu thứ nhất")
    introducer_1_since = models.DateField("cùng công tác, học tập, cư trú từ ngày", null=True, blank=True)
    introducer_2 = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                     verbose_name="đảng viên giới thiệu thứ hai")
    introducer_2_since = models.DateField("cùng công tác, học tập, cư trú từ ngày (người thứ hai)", null=True,
                                          blank=True)
    # where the file stands
    stage = models.CharField("bước", max_length=20, choices=Stage.choices, default=Stage.REGISTERED)
    due_on = models.DateField("hạn của bước tiếp theo", null=True, blank=True)
    probation_ends_on = models.DateField("ngày hết thời gian dự bị", null=True, blank=True)
    member = models.OneToOneField(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="candidacy",
                                  verbose_name="hồ sơ đảng viên")
    notes = models.TextField("ghi chú", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        ordering = ["org_path", "full_name", "id"]
        indexes = [models.Index(fields=["org_path", "stage"], name="candidate_path_stage"),
                   models.Index(fields=["stage", "due_on"], name="candidate_stage_due")]
        verbose_name = "người được xem xét kết nạp"
        verbose_name_plural = "người được xem xét kết nạp"

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.org_path = self.unit.path
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES

    def overdue(self, today: date) -> bool:
        return self.due_on is not None and self.due_on < today and self.is_open


class StepKind(models.TextChoices):
    CELL_VOTE = "chi_bo", "Nghị quyết chi bộ đề nghị kết nạp"
    GRASSROOTS_VOTE = "dang_uy_co_so", "Nghị quyết đảng ủy cơ sở đề nghị kết nạp"
    RECEIVED = "nhan_ho_so", "Cấp có thẩm quyền nhận hồ sơ đề nghị kết nạp"
    EXTENDED = "gia_han", "Gia hạn thời gian xem xét kết nạp"
    DECIDED = "quyet_dinh", "Quyết định kết nạp"
    REFUSED = "khong_ket_nap", "Không đồng ý kết nạp"
    CEREMONY = "le_ket_nap", "Lễ kết nạp"
    RECOG_CELL_VOTE = "chi_bo_cn", "Nghị quyết chi bộ xét công nhận chính thức"
    RECOG_GRASSROOTS_VOTE = "dang_uy_co_so_cn", "Nghị quyết đảng ủy cơ sở xét công nhận chính thức"
    RECOG_EXTENDED = "gia_han_cn", "Gia hạn thời gian xem xét công nhận"
    RECOGNIZED = "cong_nhan", "Quyết định công nhận đảng viên chính thức"
    STRUCK_OFF = "xoa_ten", "Quyết định xóa tên khỏi danh sách đảng viên dự bị"
    CLOSED = "dung", "Dừng xem xét"


class Proposal(models.TextChoices):
    """What a recognition vote proposes (Điều lệ Đảng Điều 5)."""

    RECOGNIZE = "cong_nhan", "Công nhận đảng viên chính thức"
    STRIKE_OFF = "xoa_ten", "Xóa tên khỏi danh sách đảng viên dự bị"


class StepQuerySet(ScopedQuerySet):
    scope_fields = ("candidate__org_path",)


class Step(models.Model):
    """One dated step of a candidate's file, in the order they happened: a vote (passed or not, with the
    count and how many could vote), a receipt, an extension, a decision, the ceremony, a closing."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField("bước", max_length=20, choices=StepKind.choices)
    on = models.DateField("ngày")
    votes_for = models.PositiveIntegerField("số tán thành", null=True, blank=True)
    eligible = models.PositiveIntegerField("số được biểu quyết", null=True, blank=True,
                                           help_text="đảng viên chính thức của chi bộ, hoặc cấp ủy viên, ngày đó")
    passed = models.BooleanField("đạt", default=True)
    proposal = models.CharField("đề nghị", max_length=10, choices=Proposal.choices, blank=True)
    number = models.CharField("số văn bản", max_length=60, blank=True)
    received_on = models.DateField("ngày chi bộ nhận quyết định", null=True, blank=True)
    document_id = models.PositiveIntegerField("văn bản đã cấp số", null=True, blank=True)
    note = models.CharField("ghi chú", max_length=255, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StepQuerySet.as_manager()

    class Meta:
        ordering = ["on", "id"]
        verbose_name = "bước kết nạp"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on:%d/%m/%Y}"
