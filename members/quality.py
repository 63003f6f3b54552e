"""Data quality of member records ("đúng – đủ – sạch – sống"): what is missing or wrong, per unit,
before anyone has to go door to door. Computed through `visible_to`, for a unit's subtree."""

from dataclasses import dataclass, field

from django.db.models import Count, F, Q
from django.db.models.functions import Substr

from core import hooks
from core.tree import within_any_q
from members.models import EventKind, Member, MemberEvent, MemberPeriod, Status
from members.rules import check_cccd
from orgs import lifespans
from orgs.lifespans import Lifespan

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
    out += outside_the_tree(scope, limit)
    for provider in hooks.providers("member-quality"):  # what higher apps know (bodies: unmatched positions)
        out.extend(Problem(*row) for row in provider(unit, user))
    return out[:limit]


def outside_the_tree(members, limit: int) -> list[Problem]:
    """Events and placements of `members` (former members too) dated when their unit did not exist,
    recorded before the services refused them (`members.services.unit_date_problems`).

    One join on each unit's first and last day, not a look-up a row: the versions of a unit follow
    each other without a gap (every restructuring starts the next the day after the last ends), so
    outside [valid_from, valid_to] is exactly outside the versions. The spans are read only for the
    units named in the message.
    """
    outside = Q(unit__valid_to__isnull=False, on__gt=F("unit__valid_to")) | Q(on__lt=F("unit__valid_from"))
    events = list(MemberEvent.objects.filter(outside, member__in=members).select_related("member__unit", "unit")
                  .order_by("member__sort_key", "on", "id")[:limit])
    listed = {e.member_id for e in events}
    late = Q(valid_to__isnull=False, unit__valid_to__isnull=False, valid_to__gt=F("unit__valid_to"))
    periods = [p for p in MemberPeriod.objects.filter(late | Q(valid_from__lt=F("unit__valid_from")), member__in=members)
               .select_related("member__unit", "unit").order_by("member__sort_key", "valid_from")[:limit]
               if p.member_id not in listed]
    spans = lifespans.load({r.unit_id for r in [*events, *periods]})
    out = []
    def life_of(row) -> Lifespan:  # a unit without versions: its own dates
        return spans.get(row.unit_id) or Lifespan.of(row.unit)

    for e in events:
        life = life_of(e)
        out.append(Problem(e.member_id, e.member.full_name, e.member.unit.name,
                           f"{EventKind(e.kind).label} ngày {e.on:%d/%m/%Y} ở “{life.name}”, tổ chức chỉ hoạt động "
                           f"{life.text()}: hãy sửa ngày hoặc tổ chức của sự kiện"))
    for p in periods:
        life = life_of(p)
        until = f"{p.valid_to:%d/%m/%Y}" if p.valid_to else "nay"
        out.append(Problem(p.member_id, p.member.full_name, p.member.unit.name,
                           f"Sinh hoạt ở “{life.name}” từ {p.valid_from:%d/%m/%Y} đến {until}, tổ chức chỉ hoạt động "
                           f"{life.text()}: hãy sửa các sự kiện của đảng viên"))
    return out
