"""The demo's oversight work over the last year in communes A (An Hòa) and B (Bình Sơn), written through the real
services after the bodies' demo (bodies/demo.py): cases of each kind, the three decisions of seed 002's kind (the
province's inspection commission, commune A's committee, a cell of A), an appeal pending, petitions in both
communes, some due soon so the work list shows them. Run once: a second run finds the marker and does nothing.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from bodies.models import Body, Post
from bodies.rules import BodyKind
from members.demo import DEMO_CODE
from members.models import Member, Status
from orgs.models import Kind, OrgUnit
from oversight import petitions, programmes, services
from oversight.models import AppealOutcome, Case, Outcome, PetitionKind
from oversight.rules import CaseType, Category, Form

MARKER = "[demo] "


def _plain(unit, n, used):
    """Official members of `unit`'s subtree holding no post, admitted long enough ago."""
    posts = Post.objects.values("member_id")
    rows = (Member.objects.filter(org_path__startswith=unit.path, status=Status.OFFICIAL)
            .exclude(pk__in=posts).exclude(pk__in=used).select_related("unit").order_by("pk")[:n])
    out = list(rows)
    used.update(m.pk for m in out)
    return out


def _body(unit, kind):
    return Body.objects.filter(unit=unit, kind=kind, valid_to__isnull=True).first()


def _programme(body, today, plan):
    """This year's programme of `body`, each item carried out by the demo case of its type this year, if any."""
    p = programmes.create_programme(body, year=today.year, adopted_on=min(today, today.replace(month=1, day=10)), by=None)
    for kind, content, month in plan:
        item = programmes.add_programme_item(p, case_type=kind, content=content, planned_month=month, by=None)
        case = Case.objects.filter(body=body, case_type=kind, opened_on__year=today.year).first()
        if case is not None:
            programmes.link_case(item, case, by=None)


@transaction.atomic
def load_oversight_demo() -> bool:
    province = OrgUnit.objects.filter(code=DEMO_CODE).first()
    if province is None or Case.objects.filter(content__startswith=MARKER).exists():
        return False
    communes = {c.short_name: c for c in OrgUnit.objects.filter(parent=province, kind=Kind.COMMUNE,
                                                                valid_to__isnull=True)}
    a, b = communes.get("Xã An Hòa"), communes.get("Xã Bình Sơn")
    ubkt_tu = _body(province, BodyKind.INSPECTION)
    if not (a and b and ubkt_tu):
        return False
    du_a, ubkt_a, ubkt_b = _body(a, BodyKind.COMMITTEE), _body(a, BodyKind.INSPECTION), _body(b, BodyKind.INSPECTION)
    if not (du_a and ubkt_a and ubkt_b):
        return False
    today = timezone.localdate()
    day = lambda n: today - timedelta(days=n)  # noqa: E731
    used: set[int] = set()
    cell_a = OrgUnit.objects.filter(parent=a, kind=Kind.CELL, valid_to__isnull=True).order_by("path").first()
    cell_b = OrgUnit.objects.filter(parent=b, kind=Kind.CELL, valid_to__isnull=True).order_by("path").first()
    in_cell = _plain(cell_a, 3, used)
    others = _plain(a, 4, used)

    def case(body, kind, subjects, opened, text, due=None, concluded=None, violation=False):
        c = services.open_case(body, case_type=kind, content=MARKER + text, opened_on=day(opened), subjects=subjects,
                               due_on=day(due) if due is not None else None, by=None)
        if concluded is not None:
            services.conclude_case(c, concluded_on=day(concluded), violation=violation, by=None,
                                   conclusion="Có vi phạm" if violation else "Chấp hành tốt, không vi phạm",
                                   proposal="Đề nghị chi bộ xem xét kỷ luật" if violation else "")
        return c

    case(du_a, CaseType.COMPLIANCE, [cell_a, *in_cell[:2]], 300, "Kiểm tra chấp hành Nghị quyết Đại hội", concluded=270)
    case(du_a, CaseType.REVIEW, [cell_a, *others[:2]], 250, "Kiểm điểm sâu diện Ban Thường vụ quản lý", concluded=240)
    signs = case(ubkt_a, CaseType.SIGNS, [in_cell[0]], 200, "Khai thác thủy sản trái phép", concluded=170,
                 violation=True)
    case(ubkt_a, CaseType.THEMATIC, [others[2]], 40, "Giám sát chuyên đề việc thực hiện nhiệm vụ đảng viên",
         due=-10)
    case(ubkt_b, CaseType.FINANCE, [cell_b], 60, "Kiểm tra thu, nộp đảng phí", due=5)
    _programme(ubkt_a, today, [(CaseType.SIGNS, "Đảng viên có dấu hiệu vi phạm (theo đơn thư)", 5),
                               (CaseType.THEMATIC, "Việc thực hiện nhiệm vụ đảng viên ở chi bộ thôn", 10),
                               (CaseType.FINANCE, "Thu, nộp, quản lý đảng phí của các chi bộ", 11)])
    officials = services.cell_vote_bounds(cell_a, day(160))[1]
    cell_vote = {"votes_for": officials // 2 + 1, "votes_total": max(officials, 1)}
    services.decide(deciding_unit=cell_a, deciding_body=None, form=Form.REPRIMAND, member=in_cell[0],
                    categories=[Category.LAW], violation_on=day(230), decision_number="01-QĐ/CB",
                    decided_on=day(160), reason="Vi phạm Luật Thủy sản", case=signs, by=None, **cell_vote)
    warned = services.decide(deciding_unit=a, deciding_body=du_a, form=Form.WARNING, member=others[3],
                             categories=[Category.FORBIDDEN], violation_on=day(150), votes_for=7, votes_total=9,
                             decision_number="15-QĐ/ĐU", decided_on=day(90), effective_on=day(88),
                             reason="Vi phạm những điều đảng viên không được làm", by=None)
    services.appeal(warned, appealed_on=day(70), appeal_to="Ủy ban Kiểm tra Tỉnh ủy Sơn Nam", by=None)
    reprimand = services.decide(deciding_unit=province, deciding_body=ubkt_tu, form=Form.REPRIMAND, member=in_cell[1],
                                categories=[Category.LEADERSHIP], violation_on=day(200), votes_for=4, votes_total=5,
                                decision_number="32-QĐ/UBKTTU", decided_on=day(120),
                                reason="Buông lỏng công tác lãnh đạo, để cấp dưới thực hiện sai", by=None)
    services.appeal(reprimand, appealed_on=day(110), appeal_to="Ban Thường vụ Tỉnh ủy Sơn Nam", by=None)
    services.settle_appeal(reprimand, outcome=AppealOutcome.UPHELD, on=day(80), by=None)

    p = petitions.receive_petition(ubkt_a, kind=PetitionKind.DENUNCIATION, received_on=day(80), member=in_cell[0],
                                  sender="Nguyễn Văn Tư (thôn An Phú)", content="Tố cáo khai thác thủy sản trái phép",
                                  by=None)
    petitions.close_petition(p, outcome=Outcome.TRUE, closed_on=day(30), case=signs, by=None)
    petitions.receive_petition(ubkt_a, kind=PetitionKind.DENUNCIATION, received_on=day(20), member=others[0],
                              anonymous=True, content="Đơn giấu tên phản ánh việc xây nhà trái phép", by=None)
    petitions.receive_petition(ubkt_a, kind=PetitionKind.COMPLAINT, received_on=day(85), member=others[1],
                              sender=others[1].full_name, content="Khiếu nại về việc đánh giá, xếp loại", by=None)
    b_members = _plain(b, 2, used)
    kien_nghi = petitions.receive_petition(ubkt_b, kind=PetitionKind.RECOMMENDATION, received_on=day(50),
                                          subject_unit=cell_b, sender="Trần Văn Sáu", by=None,
                                          content="Kiến nghị công khai thu chi quỹ chi bộ")
    petitions.close_petition(kien_nghi, outcome=Outcome.ANSWERED, closed_on=day(25), by=None)
    if b_members:
        petitions.receive_petition(ubkt_b, kind=PetitionKind.COMPLAINT, received_on=day(100), member=b_members[0],
                                  sender=b_members[0].full_name, content="Khiếu nại việc chậm giải quyết chuyển sinh hoạt",
                                  by=None)
    return True
