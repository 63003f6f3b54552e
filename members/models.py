from datetime import date, timedelta

from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.fields import ByteOrderCharField
from core.scoping import ScopedQuerySet
from core.text import fold, name_sort_key
from core.tree import PathField
from members import history, rules
from members.choices import (
    ACTIVE,
    AcademicTitle,
    Degree,
    EducationLevel,
    EventKind,
    Gender,
    LeaveReason,
    StateManagementLevel,
    Status,
    TheoryLevel,
    age_on,
    education_level,
    years_before,
)
from members.rules import PartyAge, party_age
from orgs.models import OrgUnit, open_on_q

MAJORITY_ETHNICITY = "Kinh"
# Statuses of members who left the Party (their party age stopped at the exit).
LEFT_STATUSES = [history.STATUS_AFTER[kind] for kind in sorted(history.EXITS)]
_AGE_KINDS = sorted(history.EXITS | history.ENTRIES)
# Days past the bound an admission may lie and still reach the age, through the 30-day carry of
# `rules.party_age`: under a month with one interval, under two with the two a re-admission leaves.
CARRY_DAYS, GAP_CARRY_DAYS = 31, 62


class MemberQuerySet(ScopedQuerySet):
    scope_fields = ("org_path",)

    def active(self):
        return self.filter(status__in=ACTIVE)

    def search(self, q: str):
        """Diacritic-insensitive: "nguyen van a" and "Nguyễn Văn A" find the same members."""
        q = fold(q)
        return self.filter(folded_name__contains=q) if q else self

    def vietnamese_order(self):
        return self.order_by("sort_key", "id")

    def party_age_at_least(self, years: int, on: date):
        """Members whose party age on `on` (`Member.party_age`, the profile's) is at least `years`.

        Most members never left: their party age is one interval from the admission date, so a bound
        on that indexed column decides them (with the day or two after it where the 30-day carry of
        `rules.party_age` adds a month). A member who left keeps the party age of the day they left,
        stored with the exit (`left_party_months`). Only the few re-admitted members (and, asked about
        a past day, those who left) are read with their entries and exits and computed as the profile does.
        """
        months = years * 12
        bound = years_before(on, years)
        late = [d for d in (bound + timedelta(days=k) for k in range(1, CARRY_DAYS + 1))
                if party_age([(d, None)], on).total_months >= months]
        left = Q(status__in=LEFT_STATUSES)
        readmitted = Q(pk__in=MemberEvent.objects.filter(kind=EventKind.READMITTED).values("member_id"))
        whole = ~left & ~readmitted & (Q(admitted_on__lte=bound) | Q(admitted_on__in=late))
        if on >= timezone.localdate():  # no exit is dated after today: the stored age is the one on `on`
            frozen, computed = left & Q(left_party_months__gte=months), ~left & readmitted
        else:
            frozen, computed = Q(pk__in=[]), left | readmitted
        return self.filter(whole | frozen | Q(pk__in=self._computed_party_age(computed, months, bound, on)))

    def _computed_party_age(self, rows: Q, months: int, bound: date, on: date) -> list[int]:
        """Ids among `rows` (admitted early enough to qualify) whose party age on `on` reaches `months`."""
        candidates = dict(self.filter(rows, admitted_on__lte=bound + timedelta(days=GAP_CARRY_DAYS))
                          .order_by().values_list("pk", "admitted_on"))
        ids, passing = list(candidates), []
        for i in range(0, len(ids), 2_000):
            chunk = ids[i:i + 2_000]
            events: dict[int, list] = {pk: [] for pk in chunk}
            for mid, kind, day in (MemberEvent.objects.filter(member_id__in=chunk, kind__in=_AGE_KINDS)
                                   .order_by("on", "id").values_list("member_id", "kind", "on")):
                events[mid].append(history.EventRow(kind, day, 0))
            passing += [pk for pk in chunk
                        if party_age(history.party_intervals(events[pk], candidates[pk]), on).total_months >= months]
        return passing


class Member(models.Model):
    """A party member (đảng viên): the lý lịch (form 2-HSĐV) and where they stand now.

    `unit`, `status` and `is_excused` are current values kept in step with `MemberEvent` in the
    same transaction (`members.services`); `org_path` copies the unit's path so a subtree count
    is one range scan. `folded_name` serves diacritic-free search, `sort_key` the Vietnamese order.
    New columns carry database defaults so that bulk loaders (COPY) need not name them.
    """

    # identity
    full_name = models.CharField("họ và tên đang dùng", max_length=120)
    birth_name = models.CharField("họ và tên khai sinh", max_length=120, blank=True, db_default="")
    alias = models.CharField("bí danh", max_length=120, blank=True, db_default="")
    gender = models.CharField("giới tính", max_length=3, choices=Gender.choices)
    birth_date = models.DateField("ngày sinh")
    birthplace = models.CharField("nơi sinh", max_length=255, blank=True, db_default="")
    hometown = models.CharField("quê quán", max_length=255, blank=True, db_default="",
                                help_text="Theo địa danh sau sắp xếp 01/7/2025")
    hometown_old = models.CharField("quê quán (địa danh cũ)", max_length=255, blank=True, db_default="",
                                    help_text="Như ghi trong lý lịch trước 01/7/2025")
    permanent_address = models.CharField("nơi thường trú", max_length=255, blank=True, db_default="")
    current_address = models.CharField("nơi ở hiện nay", max_length=255, blank=True, db_default="")
    ethnicity = models.CharField("dân tộc", max_length=40, default=MAJORITY_ETHNICITY, db_default=MAJORITY_ETHNICITY)
    religion = models.CharField("tôn giáo", max_length=40, blank=True, db_default="")
    citizen_id = models.CharField("số CCCD", max_length=12, null=True, blank=True)  # unique: see Meta
    phone = models.CharField("điện thoại", max_length=20, blank=True, db_default="")
    email = models.EmailField("thư điện tử", blank=True, db_default="")
    # education and training
    general_education = models.CharField("giáo dục phổ thông", max_length=10, blank=True, db_default="")
    professional_qualification = models.CharField("chuyên môn, nghiệp vụ", max_length=255, blank=True, db_default="")
    degree = models.CharField("học vị", max_length=20, choices=Degree.choices, blank=True, db_default="")
    academic_title = models.CharField("học hàm", max_length=20, choices=AcademicTitle.choices, blank=True,
                                      db_default="")
    political_theory = models.CharField("lý luận chính trị", max_length=12, choices=TheoryLevel.choices, blank=True,
                                        db_default="")
    state_management = models.CharField("quản lý nhà nước", max_length=24, choices=StateManagementLevel.choices,
                                        blank=True, db_default="")
    foreign_languages = models.CharField("ngoại ngữ", max_length=120, blank=True, db_default="")
    # work
    occupation = models.CharField("nghề nghiệp", max_length=120, blank=True, db_default="")
    workplace = models.CharField("nơi làm việc", max_length=255, blank=True, db_default="")
    position = models.CharField("chức vụ chính quyền, đoàn thể", max_length=255, blank=True, db_default="")
    # party
    party_card_number = models.CharField("số thẻ đảng viên", max_length=20, blank=True, db_default="")
    admitted_on = models.DateField("ngày vào Đảng (quyết định kết nạp)", null=True, blank=True)
    admission_place = models.CharField("nơi kết nạp", max_length=255, blank=True, db_default="")
    recognized_on = models.DateField("ngày chính thức", null=True, blank=True)
    # Admission over the age limit needs the provincial committee's written consent (members.rules).
    over_age_consent_number = models.CharField("số văn bản đồng ý kết nạp người trên 60 tuổi", max_length=60,
                                               blank=True, db_default="",
                                               help_text="Của Ban Thường vụ Tỉnh ủy/Thành ủy; chỉ khi kết nạp "
                                                         "người đã quá 60 tuổi")
    over_age_consent_on = models.DateField("ngày văn bản đồng ý kết nạp người trên 60 tuổi", null=True, blank=True)
    party_positions = models.CharField("chức vụ Đảng", max_length=255, blank=True, db_default="")
    managed_by = models.CharField("diện quản lý", max_length=255, blank=True, db_default="",
                                  help_text="Ví dụ: diện Ban Thường vụ Đảng ủy xã quản lý")
    photo = models.ImageField("ảnh", upload_to="members/photos/", blank=True, db_default="")
    notes = models.TextField("ghi chú", blank=True, db_default="")
    # current state, derived from the events
    status = models.CharField("trạng thái", max_length=12, choices=Status.choices)
    is_excused = models.BooleanField("đang miễn sinh hoạt", default=False, db_default=False)
    # The party age in months a member who left had reached (it no longer grows): what the "Tuổi đảng từ"
    # filter compares for them, instead of reading the histories of a million former members.
    # Written with the exit event (members.services), by the national migration, and kept empty otherwise.
    left_party_months = models.PositiveIntegerField(null=True, blank=True, editable=False)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="members", verbose_name="chi bộ")
    org_path = PathField(editable=False)
    folded_name = models.CharField(max_length=120, editable=False)
    sort_key = ByteOrderCharField(max_length=200, editable=False, db_default="")
    # For the statistics: the highest education (a cube dimension), and the birthday as MMDD so the
    # daily age roll of the tallies finds the members whose age band changes today by index.
    education_level = models.CharField(max_length=10, choices=EducationLevel.choices, editable=False, blank=True,
                                       db_default="")
    birth_md = models.PositiveSmallIntegerField(editable=False, db_index=True, db_default=0)
    updated_at = models.DateTimeField(auto_now=True, null=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        ordering = ["org_path", "id"]
        # Declared here rather than with db_index/unique on the fields: on PostgreSQL those add a second
        # "_like" (varchar_pattern_ops) index to every text column, useless for C-collated paths and keys,
        # exact CCCDs and contains-search, and costly at 6.6 million rows. (org_path, status) serves
        # every subtree range. (sort_key, id, org_path) serves a long list in name order: walking it,
        # the database checks each entry's place from the index itself and reads only the subtree's
        # rows (a province's third page: 4,500 rows read for 30 before, on either database). The cost:
        # a restructuring rewrites these entries too on SQLite (a commune move's raw SQL 18 → 38 ms on
        # the national fixture); PostgreSQL writes every index of a rewritten row anyway.
        indexes = [
            models.Index(fields=["org_path", "status"], name="member_path_status"),
            models.Index(fields=["folded_name"], name="member_folded_name"),
            models.Index(fields=["sort_key", "id", "org_path"], name="member_sort_key_path"),
            # The badge list reads the few weeks of admissions that reach a milestone by an award date.
            models.Index(fields=["admitted_on"], name="member_admitted_on"),
        ]
        constraints = [models.UniqueConstraint(fields=["citizen_id"], name="member_citizen_id_unique")]
        verbose_name = "đảng viên"
        verbose_name_plural = "đảng viên"

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.fill_derived()
        super().save(*args, **kwargs)

    def fill_derived(self) -> None:
        """Columns derived from others; bulk writers call this before bulk_create."""
        self.folded_name = fold(self.full_name)
        self.sort_key = name_sort_key(self.full_name)
        self.org_path = self.unit.path
        # An unsaved member may still hold DatabaseDefault placeholders for these (empty strings).
        degree, general = (v if isinstance(v, str) else "" for v in (self.degree, self.general_education))
        self.education_level = education_level(degree, general)
        self.birth_md = self.birth_date.month * 100 + self.birth_date.day if self.birth_date else 0
        if self.citizen_id == "":
            self.citizen_id = None

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE

    @property
    def official_since(self) -> date | None:
        """The recognition date that holds now: none while on probation. A member who left and was
        re-admitted is on probation again, and the date they were first recognized, still on record,
        no longer makes them official (lists and exports show it blank, as the import expects)."""
        return None if self.status == Status.PROBATIONARY else self.recognized_on

    def party_age(self, on: date) -> PartyAge:
        """Tuổi đảng on `on` (rules §2): from the first admission decision, minus time outside."""
        return party_age(history.party_intervals(self.events.all(), self.admitted_on), on)

    def next_badge(self, on: date) -> tuple[int, date] | None:
        """The next badge milestone (years) and the day it is reached if membership runs on; None
        for a member not active or past the last milestone."""
        if not self.is_active:
            return None
        intervals = history.party_intervals(self.events.all(), self.admitted_on)
        years = rules.next_badge(party_age(intervals, on))
        day = rules.badge_day(intervals, on, years) if years else None
        return (years, day) if day else None

    def probation_started_on(self) -> date | None:
        """The current probation's first day: the admission, or a later re-admission (which brings a
        probation of its own, rules §1). We hold the decision's date, not the ceremony's, which
        follows it within days."""
        readmitted = [e.on for e in self.events.all() if e.kind == EventKind.READMITTED]
        return max([d for d in [self.admitted_on, *readmitted] if d], default=None)

    @classmethod
    def mark_probation_overdue(cls, members: list["Member"], on: date) -> None:
        """Set `overdue` on each of a page of members, reading the events of the few that may be
        overdue in one query rather than one per row."""
        suspects = [m for m in members
                    if m.status == Status.PROBATIONARY and rules.probation_overdue(m.admitted_on, on)]
        models.prefetch_related_objects(suspects, "events")
        for member in members:
            member.overdue = member in suspects and member.probation_overdue(on)

    def probation_overdue(self, on: date) -> bool:
        """Still dự bị after the 12 months of probation: the chi bộ owes its recognition vote."""
        if self.status != Status.PROBATIONARY or not rules.probation_overdue(self.admitted_on, on):
            return False  # the common case decided without reading the events
        return rules.probation_overdue(self.probation_started_on(), on)

    def fill_left_party_months(self, events) -> None:
        """`left_party_months` from the member's whole history `events`: the age reached, if they left."""
        if self.status not in LEFT_STATUSES:
            self.left_party_months = None
            return
        last = max(e.on for e in events)
        self.left_party_months = party_age(history.party_intervals(events, self.admitted_on), last).total_months

    def age_on(self, on: date) -> int:
        return age_on(self.birth_date, on)


class Relative(models.Model):
    """A family member declared in the lý lịch (quan hệ gia đình)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="relatives")
    relation = models.CharField("quan hệ", max_length=40)
    full_name = models.CharField("họ và tên", max_length=120)
    birth_year = models.PositiveSmallIntegerField("năm sinh", null=True, blank=True)
    occupation = models.CharField("nghề nghiệp", max_length=120, blank=True)
    residence = models.CharField("nơi ở", max_length=255, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "người thân"

    def __str__(self) -> str:
        return f"{self.relation}: {self.full_name}"


class OrgPathQuerySet(ScopedQuerySet):
    """Rows scoped by the `org_path` of the unit they belong to."""

    scope_fields = ("org_path",)


class MemberEvent(models.Model):
    """One dated fact of a member's party life; the member's status and unit at any date follow
    from these (`members.history`). `unit` is the unit the member is in after the event;
    `org_path` copies its path for subtree counts (admissions of a commune in a year)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("sự kiện", max_length=20, choices=EventKind.choices)
    on = models.DateField("ngày")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="tổ chức")
    org_path = PathField(editable=False)
    # On a move (chuyen_noi_bo) and a transfer in (chuyen_den): the unit the member left, their unit before
    # the event. The figures of a period (`members.changes`) tell by it whether a move left or entered a
    # subtree with one join, not a lookup of each member's previous event. An id, not a path: a unit's id
    # never changes, so a restructuring rewrites nothing here. Empty for a member entered by their transfer in.
    from_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                  db_index=False, editable=False, verbose_name="từ tổ chức")
    status_after = models.CharField(max_length=12, choices=Status.choices, editable=False)
    decision_number = models.CharField("số quyết định", max_length=60, blank=True)
    note = models.CharField("ghi chú", max_length=255, blank=True)
    # Why the member left (on an exit), or, on a re-admission, why they had left as its file establishes
    # when the exit was recorded without one: re-admission depends on it (members.services).
    reason = models.CharField("lý do ra khỏi Đảng", max_length=20, choices=LeaveReason.choices, blank=True,
                              default="", db_default="")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrgPathQuerySet.as_manager()

    class Meta:
        ordering = ["on", "id"]
        # (kind, on, org_path, reason): the figures of a period (`members.changes`) read one kind's days, test
        # the subtree and group the exits by reason from the index alone, for the nation as for a province;
        # (kind, on) lookups use its prefix. The reason is blank but on exits: it costs the index little.
        # (org_path) serves a small subtree's events and the path rewrite of a restructuring.
        # (from_unit, on), only for the moves and transfers in that have one: the moves out of a subtree
        # are found from its units, not by reading every move of the period in the nation.
        indexes = [models.Index(fields=["kind", "on", "org_path", "reason"], name="memberevent_kind_on_path"),
                   models.Index(fields=["org_path"], name="memberevent_path"),
                   models.Index(fields=["from_unit", "on"], name="memberevent_from_unit",
                                condition=Q(from_unit__isnull=False))]
        verbose_name = "sự kiện đảng viên"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on:%d/%m/%Y}"


class BadgeAwardQuerySet(ScopedQuerySet):
    scope_fields = ("member__org_path",)  # an award follows its member wherever they go


class BadgeAward(models.Model):
    """A party badge (Huy hiệu Đảng) awarded to a member: the badge list leaves them out for those
    years. Recorded through `members.badges.record_award`, which checks the rules (rules §2)."""

    class Early(models.TextChoices):
        NO = "", "Không (đã đủ tuổi đảng)"
        ILLNESS = "om_nang", "Trao sớm: đảng viên ốm đau nặng"
        POSTHUMOUS = "truy_tang", "Truy tặng: đảng viên đã từ trần"

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="badges")
    years = models.PositiveSmallIntegerField("huy hiệu (năm tuổi đảng)")
    awarded_on = models.DateField("ngày trao")
    decision_number = models.CharField("số quyết định", max_length=60)
    early = models.CharField("trao sớm", max_length=10, choices=Early.choices, blank=True, default="")
    early_reason = models.CharField("lý do trao sớm", max_length=255, blank=True, default="")
    recorded_by = models.ForeignKey("auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = BadgeAwardQuerySet.as_manager()

    class Meta:
        ordering = ["awarded_on", "id"]
        constraints = [models.UniqueConstraint(fields=["member", "years"], name="badge_award_once")]
        verbose_name = "Huy hiệu Đảng đã trao"

    def __str__(self) -> str:
        return f"Huy hiệu {self.years} năm tuổi Đảng ({self.awarded_on:%d/%m/%Y})"


class MemberPeriodQuerySet(models.QuerySet):
    def on(self, day: date):
        return self.filter(open_on_q(day, prefix=""))


class MemberPeriod(models.Model):
    """A stretch of time a member spent in one unit with one active status, [valid_from, valid_to]
    inclusive. Derived from the events (`members.history.periods`); counts "as of" a past date use
    these with the tree as it was (OrgUnitVersion), so a merge never rewrites what was true before."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="periods")
    # No index of its own: the (unit, valid_from, valid_to) index below serves every lookup by unit.
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", db_index=False)
    status = models.CharField(max_length=12, choices=Status.choices)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    objects = MemberPeriodQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["unit", "valid_from", "valid_to"])]

    def __str__(self) -> str:
        return f"{self.member_id} @ {self.unit_id} {self.status} {self.valid_from}–{self.valid_to or ''}"


class ImportJob(models.Model):
    """One upload of a member spreadsheet: validated in full, then written all or nothing.

    The worker updates `processed_rows` as it goes so the page can show progress; `errors` holds
    the row-by-row report ({row, column, value, message}); nothing is written while any exists.
    """

    class State(models.TextChoices):
        QUEUED = "queued", "Đang chờ"
        RUNNING = "running", "Đang xử lý"
        INVALID = "invalid", "Có lỗi, chưa ghi gì"
        CHECKED = "checked", "Đã kiểm tra (chạy thử), chưa ghi"
        DONE = "done", "Đã nhập xong"
        FAILED = "failed", "Lỗi hệ thống, chưa ghi gì"

    user = models.ForeignKey("auth.User", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="nhập vào")
    org_path = PathField(db_index=True, editable=False)
    file = models.FileField(upload_to="imports/")
    original_name = models.CharField(max_length=255)
    dry_run = models.BooleanField("chạy thử", default=False)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list)
    # Errors beyond settings.MEMBER_IMPORT_MAX_ERRORS are only counted: a file of garbage must not make
    # a job row of hundreds of megabytes.
    errors_left_out = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = OrgPathQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "lần nhập dữ liệu"

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_state_display()})"

    @property
    def percent(self) -> int:
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0

    @property
    def is_finished(self) -> bool:
        return self.state not in (self.State.QUEUED, self.State.RUNNING)


class UnitTallyQuerySet(ScopedQuerySet):
    scope_fields = ("unit__path",)


class UnitTally(models.Model):
    """The standard breakdown of one unit's whole subtree: its current (probationary and official)
    members, with ages as of `TallyClock.ages_on`.

    A cache of the members table, kept in step in the same transaction as every change
    (`members.tally`) and rebuildable from it (`manage.py tally --check/--rebuild`), so that a
    figure for the nation is one row, not a scan of 5.6 million.
    """

    unit = models.OneToOneField(OrgUnit, on_delete=models.CASCADE, primary_key=True, related_name="tally")
    total = models.IntegerField(default=0)
    official = models.IntegerField(default=0)
    probationary = models.IntegerField(default=0)
    male = models.IntegerField(default=0)
    female = models.IntegerField(default=0)
    minority = models.IntegerField(default=0)
    band0 = models.IntegerField(default=0)
    band1 = models.IntegerField(default=0)
    band2 = models.IntegerField(default=0)
    band3 = models.IntegerField(default=0)
    band4 = models.IntegerField(default=0)

    objects = UnitTallyQuerySet.as_manager()

    COUNTERS = ("total", "official", "probationary", "male", "female", "minority",
                "band0", "band1", "band2", "band3", "band4")

    class Meta:
        verbose_name = "số liệu tổng hợp của tổ chức"

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.total}"


class CubeTally(models.Model):
    """Members of a unit's subtree by status × gender × age band × ethnicity × education, for the
    top levels of the tree only (`members.tally.CUBE_DEPTH`); below them a GROUP BY over the
    members of one commune is already fast."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices)
    gender = models.CharField(max_length=3, choices=Gender.choices)
    band = models.SmallIntegerField()
    ethnicity = models.CharField(max_length=40)
    education = models.CharField(max_length=10, choices=EducationLevel.choices, blank=True)
    n = models.IntegerField(default=0)

    objects = UnitTallyQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "status", "gender", "band", "ethnicity", "education"],
                                               name="cube_tally_key")]
        verbose_name = "số liệu tổng hợp nhiều chiều"

    def __str__(self) -> str:
        return f"{self.unit_id} {self.status} {self.gender} {self.band} {self.ethnicity} {self.education}: {self.n}"


class TallyClock(models.Model):
    """The day the tallies' age bands are counted for (one row). The daily roll moves it forward."""

    ages_on = models.DateField()

    def __str__(self) -> str:
        return str(self.ages_on)
