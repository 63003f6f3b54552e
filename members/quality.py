"""Data quality of member records ("đúng – đủ – sạch – sống"): what is missing or wrong, per unit,
before anyone has to go door to door. Computed through `visible_to`, for a unit's subtree."""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import Substr

from core import hooks
from core.tree import within_any_q
from members.models import Member, Status
from members.rules import check_cccd

# The fields a complete record must have; recognition date and card only for official members.
REQUIRED = [
    ("citizen_id", "Số CCCD", Q()),
    ("hometown", "Quê quán", Q()),
    ("permanent_address", "Nơi thường trú", Q()),
    ("current_address", "Nơi ở hiện nay", Q()),
    ("phone", "Điện thoại", Q()),
    ("general_education", "Giáo dục phổ thông", Q()),
    ("admitted_on", "Ngày vào Đảng", Q()),
    ("recognized_on", "Ngày chính thức", Q(status=Status.OFFICIAL)),
    ("party_card_number", "Số thẻ đảng viên", Q(status=Status.OFFICIAL)),
]
NULLABLE = {"citizen_id", "admitted_on", "recognized_on"}


def _missing_q(name: str) -> Q:
    return Q(**{f"{name}__isnull": True}) if name in NULLABLE else Q(**{name: ""})


@dataclass
class FieldFill:
    field: str
    label: str
    required: int = 0
    missing: int = 0

    @property
    def percent(self) -> float:
        return 100.0 * (self.required - self.missing) / self.required if self.required else 100.0


@dataclass
class Problem:
    member_id: int
    full_name: str
    unit_name: str
    problem: str


@dataclass
class QualityReport:
    total: int = 0
    fields: list[FieldFill] = field(default_factory=list)
    by_unit: list[tuple] = field(default_factory=list)  # (unit, total, complete records)
    problems: list[Problem] = field(default_factory=list)


def _complete_q() -> Q:
    q = Q()
    for name, _label, applies in REQUIRED:
        q &= ~(applies & _missing_q(name)) if applies else ~_missing_q(name)
    return q


def report(unit, user, children=()) -> QualityReport:
    """Fill rates over `unit`'s subtree, complete records per child unit, and the list of problems."""
    members = Member.objects.active().visible_subtree(user, unit.path)
    aggregates = {"total": Count("id")}
    for name, _label, applies in REQUIRED:
        aggregates[f"req_{name}"] = Count("id", filter=applies) if applies else Count("id")
        aggregates[f"miss_{name}"] = Count("id", filter=applies & _missing_q(name))
    row = members.aggregate(**aggregates)
    result = QualityReport(total=row["total"])
    result.fields = [FieldFill(name, label, row[f"req_{name}"], row[f"miss_{name}"]) for name, label, _ in REQUIRED]

    children = list(children)
    if children:
        length = len(children[0].path)
        prefix_to_unit = {c.path: c for c in children}
        rows = (
            members.filter(within_any_q(["org_path"], prefix_to_unit))
            .annotate(prefix=Substr("org_path", 1, length))
            .values("prefix")
            .annotate(total=Count("id"), complete=Count("id", filter=_complete_q()))
        )
        counts = {r["prefix"]: (r["total"], r["complete"]) for r in rows}
        result.by_unit = [(c, *counts.get(c.path, (0, 0))) for c in children]

    result.problems = problems(unit, user)
    return result


def problems(unit, user, limit: int = 2000) -> list[Problem]:
    """Records to work through: invalid CCCD, probable duplicates, members of closed units."""
    scope = Member.objects.visible_subtree(user, unit.path)
    active = scope.active().select_related("unit")
    out: list[Problem] = []
    for m in active.exclude(citizen_id__isnull=True).only(
        "id", "full_name", "citizen_id", "birth_date", "gender", "unit__name"
    ).iterator(chunk_size=2000):
        message = check_cccd(m.citizen_id, m.birth_date, m.gender == "nu")
        if message:
            out.append(Problem(m.pk, m.full_name, m.unit.name, f"CCCD {m.citizen_id}: {message}"))
    # Same folded name and birth date in two records: probably one person entered twice. The
    # other record may be anywhere the user can see (CCCD duplicates cannot exist: it is unique).
    dupes = (
        Member.objects.visible_to(user).active()
        .values("folded_name", "birth_date").annotate(n=Count("id")).filter(n__gt=1)
    )
    keys = {(d["folded_name"], d["birth_date"]) for d in dupes}
    if keys:
        q = Q(pk__in=[])
        for name, born in keys:
            q |= Q(folded_name=name, birth_date=born)
        for m in active.filter(q).order_by("sort_key"):
            out.append(Problem(m.pk, m.full_name, m.unit.name,
                               f"Có thể trùng: cùng họ tên và ngày sinh {m.birth_date:%d/%m/%Y} với hồ sơ khác"))
    for m in active.filter(unit__valid_to__isnull=False):
        out.append(Problem(m.pk, m.full_name, m.unit.name, "Đang sinh hoạt ở tổ chức đã kết thúc hoạt động"))
    for provider in hooks.providers("member-quality"):  # what higher apps know (bodies: unmatched positions)
        out.extend(Problem(*row) for row in provider(unit, user))
    return out[:limit]
