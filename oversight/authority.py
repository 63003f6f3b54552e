"""Who may decide which discipline: the deciding organization's level and body against the matrix in
`oversight.rules.AUTHORITY` (rules-2026.md §1). Pure reads; `services.decide` raises what this finds."""

from datetime import date

from bodies.models import Body, Post
from bodies.rules import BodyKind
from core.errors import DomainError
from orgs.models import Kind, OrgUnit
from oversight.rules import Category, Form, authorities, commune_level

CELL_KINDS = {Kind.CELL, Kind.GRASSROOTS_CELL}
UPPER_KINDS = {Kind.CENTRAL, Kind.PROVINCE, Kind.UNDER_CENTRAL, Kind.UNDER_PROVINCE, Kind.DISTRICT}
LEVEL_LABELS = {"chi_bo": "Chi bộ", "co_so": "Cấp cơ sở", "tren_co_so": "Cấp trên cơ sở", "bo_phan": "Đảng bộ bộ phận"}
BODY_LABELS = {"hop_chi_bo": "chi bộ (họp chi bộ)", "cap_uy": "cấp ủy", "ban_thuong_vu": "ban thường vụ",
               "ubkt": "ủy ban kiểm tra"}


def level_of(unit: OrgUnit, on: date) -> str:
    if unit.kind in CELL_KINDS:
        return "chi_bo"
    if unit.kind in UPPER_KINDS:
        return "tren_co_so"
    if unit.kind == Kind.COMMUNE:
        return commune_level(on)
    if unit.kind == Kind.SUB_COMMITTEE:
        return "bo_phan"
    return "co_so"


def decider_key(unit: OrgUnit, body: Body | None, on: date) -> str:
    return f"{level_of(unit, on)}:{'hop_chi_bo' if body is None else body.kind}"


def decider_label(unit: OrgUnit, body: Body | None) -> str:
    return body.name if body is not None else unit.name


def _holds(member, units_q, kinds, on: date) -> bool:
    return Post.objects.filter(member=member, body__kind__in=kinds, **units_q).open_on(on).exists()


def member_relation(member, unit: OrgUnit, on: date) -> str:
    """How `member` stands to the deciding organization: a member of its own committee, of a committee directly
    below, or one of its members otherwise. The caller has checked the member is under `unit`."""
    if _holds(member, {"body__unit": unit}, [BodyKind.COMMITTEE, BodyKind.STANDING], on):
        return "own_committee"
    if _holds(member, {"body__unit__parent": unit}, [BodyKind.COMMITTEE, BodyKind.CELL_COMMITTEE], on):
        return "lower_committee"
    return "own_member"


def allowed_forms(key: str, relation: str) -> tuple[set[str], list]:
    """The forms the decider `key` may impose on a subject standing in `relation`, and the matrix rows that say
    so. A row for the exact relation overrides the general “own_member” rows (an inspection commission may only
    reprimand or warn a member of a committee below)."""
    rows = [a for a in authorities() if a.decider == key]
    exact = [a for a in rows if a.subject == relation]
    if not exact and relation == "lower_committee":
        exact = [a for a in rows if a.subject == "own_member"]
    return {f for a in exact for f in a.forms}, exact


def check(*, unit: OrgUnit, body: Body | None, on: date, form: str, member=None, subject_unit=None,
          categories=()) -> None:
    """Raise a DomainError naming the rule if the decider may not impose `form` on the subject."""
    who = decider_label(unit, body)
    if body is None and unit.kind not in CELL_KINDS:
        raise DomainError(f"Chỉ chi bộ quyết định kỷ luật tại cuộc họp chi bộ; “{unit.name}” phải quyết định qua một "
                          "cơ quan (cấp ủy, ban thường vụ, ủy ban kiểm tra). Hãy chọn cơ quan.", field="deciding_body")
    if body is not None and body.unit_id != unit.pk:
        raise DomainError(f"“{body.name}” không phải cơ quan của “{unit.name}”.", field="deciding_body")
    key = decider_key(unit, body, on)
    if member is not None:
        if not (member.org_path or "").startswith(unit.path) or (unit.kind in CELL_KINDS and member.unit_id != unit.pk):
            raise DomainError(f"{member.full_name} không sinh hoạt trong “{unit.name}”, nên {who} không có thẩm quyền "
                              "kỷ luật (Điều lệ Đảng Điều 36): hãy để tổ chức quản lý đảng viên quyết định.",
                              field="deciding_unit")
        relation = member_relation(member, unit, on)
        if key == "chi_bo:hop_chi_bo" and Category.HIGHER_TASK in categories:
            raise DomainError(f"Chi bộ không có thẩm quyền kỷ luật vi phạm nhiệm vụ do cấp trên giao (Điều lệ Đảng Điều "
                              f"36 khoản 1): {who} đề nghị cấp trên xem xét, quyết định.", field="deciding_unit")
    else:
        parent = subject_unit.parent
        if parent is not None and parent.pk == unit.pk:
            relation = "lower_org"
        elif parent is not None and parent.parent_id == unit.pk:
            relation = "org_two_below"
        else:
            raise DomainError(f"Kỷ luật “{subject_unit.name}” thuộc cấp ủy cấp trên trực tiếp (khiển trách, cảnh cáo) "
                              f"hoặc cấp trên cách một cấp (giải tán) (Điều lệ Đảng Điều 37); “{unit.name}” không phải "
                              "cấp đó.", field="deciding_unit")
    forms, rows = allowed_forms(key, relation)
    if form not in forms:
        if relation == "own_committee" and key.endswith(":ubkt"):
            why = "ủy ban kiểm tra không kỷ luật cấp ủy viên cùng cấp (Điều lệ Đảng Điều 36 khoản 4)"
        elif not rows:
            why = f"{BODY_LABELS.get(key.split(':')[1], 'cơ quan này')} ở cấp này không có thẩm quyền kỷ luật " \
                  "(Điều lệ Đảng Điều 36–37; chỉ xem xét, đề nghị cấp trên)"
        else:
            may = ", ".join(Form(f).label.lower() for f in Form.values if f in forms)
            why = f"{who} chỉ được quyết định {may} ({'; '.join(sorted({r.source for r in rows}))})"
        raise DomainError(f"{who} không có thẩm quyền quyết định {Form(form).label.lower()}: {why}. Hãy đề nghị cấp "
                          "có thẩm quyền quyết định.", field="form")
