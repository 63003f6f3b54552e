"""Writes to targets, plans, values and population: guard → atomic change → audit.

Every refusal is a DomainError with a Vietnamese message naming the rule and how to fix it; nothing is
written then. `by` may be None only for the demo load and tests.
"""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from audit.services import record
from core.errors import DomainError, DomainErrors
from core.scoping import can
from core.text import vn_date
from core.tree import child_path
from documents.models import Document
from orgs.models import OrgUnit
from targets import computed
from targets.models import Population, Target, TargetGroup, TargetPlan, TargetValue
from targets.rules import ACTION, PERCENT_KINDS, Direction, Kind, Mode, Source, show
from targets.values import parse_value, year_end

MIN_YEAR, MAX_YEAR = 1930, 2100


def _allowed(by, unit: OrgUnit) -> None:
    if by is not None and not can(by, ACTION, unit.path):
        raise DomainError(f"Bạn không có quyền ghi chỉ tiêu của “{unit.name}”.")


def _plans(kind: str, plans: dict) -> dict[int, Decimal]:
    """{year: value} from what was typed, each value read for the kind (the first error of each year)."""
    out, errors = {}, []
    for year, raw in plans.items():
        try:
            y = int(year)
        except (TypeError, ValueError):
            errors.append(DomainError(f"Năm “{year}” không hợp lệ; hãy ghi năm bốn chữ số, ví dụ 2026.", field="plans"))
            continue
        if not MIN_YEAR <= y <= MAX_YEAR:
            errors.append(DomainError(f"Năm {y} không hợp lệ.", field="plans"))
            continue
        try:
            out[y] = parse_value(kind, raw, field="plans", what=f"Kế hoạch năm {y}")
        except DomainError as e:
            errors.append(e)
    DomainErrors.raise_any(errors)
    return out


@transaction.atomic
def create_target(*, document: Document, unit: OrgUnit, group: TargetGroup, name: str, kind: str,
                  direction: str, plans: dict, by, measure: str = "", baseline=None, from_year: int | None = None,
                  to_year: int | None = None, source: str = Source.ENTERED, computed_key: str = "",
                  position: int | None = None, parent: Target | None = None, mode: str = "") -> Target:
    """A target of `unit` set by `document`, with its planned value per year (`plans`: {year: value}; one
    row at the last year for an end-of-term target). Its years run from `from_year` (the first planned year
    if not given) to `to_year` (the last)."""
    _allowed(by, unit)
    if document.unit_id is not None and not unit.path.startswith(document.unit.path):
        raise DomainError(f"Văn bản {document.symbol} là của “{document.unit.name}”, không phải của “{unit.name}” hay "
                          "cấp trên của nó; hãy chọn nghị quyết, kế hoạch của tổ chức này hoặc của cấp trên.",
                          field="document")
    errors = []
    name = " ".join((name or "").split())
    if not name:
        errors.append(DomainError("Hãy ghi tên chỉ tiêu.", field="name"))
    if kind not in Kind.values:
        errors.append(DomainError(f"Loại chỉ tiêu “{kind}” không có; chọn một trong: "
                                  + ", ".join(Kind.labels) + ".", field="kind"))
    if direction not in Direction.values:
        errors.append(DomainError("Chiều của chỉ tiêu phải là “ít nhất” hoặc “không quá”.", field="direction"))
    DomainErrors.raise_any(errors)
    if not plans:
        raise DomainError("Hãy ghi kế hoạch của ít nhất một năm (hoặc giá trị cuối nhiệm kỳ).", field="plans")
    values = _plans(kind, plans)
    first, last = from_year or min(values), to_year or max(values)
    if first > last or min(values) < first or max(values) > last:
        raise DomainError(f"Các năm kế hoạch ({', '.join(map(str, sorted(values)))}) phải nằm trong các năm của chỉ "
                          f"tiêu ({first}–{last}).", field="from_year")
    base = parse_value(kind, baseline, field="baseline", what="Giá trị gốc") if baseline not in (None, "") else None
    if source == Source.COMPUTED:
        comp = computed.get(computed_key)
        if comp is None:
            raise DomainError("Hãy chọn cách tính từ hồ sơ: " + ", ".join(c[1] for c in computed.choices()) + ".",
                              field="computed_key")
        if comp.kind != kind:
            raise DomainError(f"“{comp.label}” cho số liệu loại “{Kind(comp.kind).label}”; hãy chọn loại đó.",
                              field="kind")
    else:
        computed_key = ""
    if position is None:
        position = (Target.objects.filter(unit=unit, document=document, group=group).count()) + 1
    target = Target.objects.create(document=document, unit=unit, group=group, name=name[:500], kind=kind,
                                   direction=direction, measure=(measure or "").strip()[:40], baseline=base,
                                   from_year=first, to_year=last, parent=parent, mode=mode, source=source,
                                   computed_key=computed_key, position=position,
                                   created_by=by if getattr(by, "pk", None) else None)
    target.cascade_path = child_path(parent.cascade_path if parent else "", target.pk)
    Target.objects.filter(pk=target.pk).update(cascade_path=target.cascade_path)
    TargetPlan.objects.bulk_create([TargetPlan(target=target, year=y, value=v) for y, v in sorted(values.items())])
    record("targets.target.created", actor=by, obj=target, unit_path=unit.path, unit_name=unit.name,
           after=target.snapshot() | {"plans": {str(y): str(v) for y, v in values.items()}})
    return target


def plans_of(target: Target) -> dict[int, Decimal]:
    return dict(target.plans.values_list("year", "value"))


@transaction.atomic
def cascade(target: Target, *, mode: str, parts: list[tuple[OrgUnit, dict | None]], by,
            documents: dict[int, Document] | None = None) -> list[Target]:
    """Give `target` to units below its own: `parts` is [(unit, {year: value})] for an allocation of a count
    (the parts of a year, with those given before, may not exceed the whole), or [(unit, None)] to impose
    the same threshold. Each part is a target of the unit, of its own implementing plan when `documents`
    names one ({unit id: document}), else of the same document."""
    _allowed(by, target.unit)
    target = Target.objects.select_for_update().select_related("unit", "group").get(pk=target.pk)  # one cascade at a time
    if mode not in Mode.values:
        raise DomainError("Hãy chọn cách giao: phân bổ số lượng hoặc cùng một ngưỡng.", field="mode")
    if not parts:
        raise DomainError("Hãy chọn ít nhất một đơn vị cấp dưới để giao chỉ tiêu.", field="parts")
    if mode == Mode.ALLOCATE and target.kind != Kind.COUNT:
        raise DomainError(f"Chỉ phân bổ được chỉ tiêu số lượng; “{target.name}” là {Kind(target.kind).label.lower()}: "
                          "hãy giao cùng một ngưỡng.", field="mode")
    whole = plans_of(target)
    seen, errors = set(), []
    given = set(target.children.values_list("unit_id", flat=True))
    for unit, _ in parts:
        if unit.pk == target.unit_id or not unit.path.startswith(target.unit.path):
            errors.append(DomainError(f"“{unit.name}” không trực thuộc “{target.unit.name}”; chỉ giao chỉ tiêu cho "
                                      "đơn vị cấp dưới.", field="parts"))
        elif unit.pk in seen or unit.pk in given:
            errors.append(DomainError(f"“{unit.name}” đã được giao chỉ tiêu này; sửa phần đã giao thay vì giao lại.",
                                      field="parts"))
        seen.add(unit.pk)
    DomainErrors.raise_any(errors)
    resolved = []
    if mode == Mode.ALLOCATE:
        before = dict(TargetPlan.objects.filter(target__parent=target).values("year").annotate(s=Sum("value"))
                      .values_list("year", "s"))
        totals = dict(before)
        for unit, plans in parts:
            if not plans:
                raise DomainError(f"Hãy ghi phần giao cho “{unit.name}”.", field="parts")
            values = _plans(target.kind, plans)
            unknown = sorted(set(values) - set(whole))
            if unknown:
                raise DomainError(f"“{target.name}” không có kế hoạch năm {', '.join(map(str, unknown))}; chỉ phân bổ "
                                  "các năm đã có kế hoạch.", field="parts")
            for y, v in values.items():
                totals[y] = totals.get(y, Decimal(0)) + v
            resolved.append((unit, values))
        over = [y for y in sorted(totals) if totals[y] > whole[y]]
        if over:
            y = over[0]
            already = f" (kể cả {show(before[y], Kind.COUNT)} đã giao trước)" if before.get(y) else ""
            raise DomainError(f"Tổng các phần giao năm {y} là {show(totals[y], Kind.COUNT)}{already}, vượt chỉ tiêu "
                              f"chung {show(whole[y], Kind.COUNT)} của “{target.unit.name}”: các phần không được vượt "
                              "tổng. Hãy giảm phần giao cho các đơn vị.", field="parts")
    else:
        resolved = [(unit, dict(whole)) for unit, _ in parts]
    documents = documents or {}
    children = []
    for unit, values in resolved:
        _allowed(by, unit)
        children.append(create_target(
            document=documents.get(unit.pk) or target.document, unit=unit, group=target.group, name=target.name,
            kind=target.kind, direction=target.direction, measure=target.measure, plans=values,
            from_year=target.from_year, to_year=target.to_year, source=target.source,
            computed_key=target.computed_key, position=target.position, parent=target, mode=mode, by=by))
    record("targets.target.cascaded", actor=by, obj=target, unit_path=target.unit.path, unit_name=target.unit.name,
           after={"mode": mode, "units": [u.pk for u, _ in resolved]},
           mentions=[(c, c.unit.path) for c in children])
    return children


@transaction.atomic
def enter_value(target: Target, *, value, by, year: int | None = None, period_end: date | None = None,
                evidence: str = "", attachment: str = "", computed_value: bool = False) -> TargetValue:
    """Record `target`'s figure for the period ending `period_end` (31/12 of `year` if only a year is given):
    read for the target's kind, within the target's years and not for a period that has not begun."""
    _allowed(by, target.unit)
    if period_end is None:
        if year is None:
            raise DomainError("Hãy ghi năm hoặc ngày kết thúc kỳ báo cáo.", field="year")
        period_end = year_end(int(year))
    if not target.from_year <= period_end.year <= target.to_year:
        raise DomainError(f"Chỉ tiêu “{target.name}” đặt cho các năm {target.from_year}–{target.to_year}; kỳ kết thúc "
                          f"{vn_date(period_end)} nằm ngoài các năm đó.", field="period_end")
    if date(period_end.year, 1, 1) > timezone.localdate():
        raise DomainError(f"Năm {period_end.year} chưa bắt đầu; chỉ nhập kết quả của kỳ đã hoặc đang diễn ra.",
                          field="period_end")
    number = value if isinstance(value, Decimal) else parse_value(target.kind, value)
    if target.kind in PERCENT_KINDS and number > 100:
        raise DomainError("Tỷ lệ không quá 100%.", field="value")
    old = TargetValue.objects.filter(target=target, period_end=period_end).first()
    before = {"value": str(old.value), "evidence": old.evidence} if old else None
    row, _ = TargetValue.objects.update_or_create(
        target=target, period_end=period_end,
        defaults={"value": number, "evidence": (evidence or "").strip(), "attachment": (attachment or "").strip()[:255],
                  "computed": computed_value, "entered_by": by if getattr(by, "pk", None) else None})
    record("targets.value.entered", actor=by, obj=target, unit_path=target.unit.path, unit_name=target.unit.name,
           before=before, after={"period_end": period_end.isoformat(), "value": str(number),
                                 "evidence": row.evidence, "computed": computed_value})
    return row


def compute(target: Target, year: int, user=None, period_end: date | None = None) -> Decimal | None:
    """The value of a computed target for the year (to `period_end`), from the records; None if it cannot."""
    comp = computed.get(target.computed_key)
    if comp is None:
        return None
    end = period_end or year_end(year)
    return comp.fn(target.unit, date(year, 1, 1), end, user)


def record_computed(target: Target, year: int, *, by) -> TargetValue:
    """Store today's computed value of the year (to today while the year runs, to 31/12 after)."""
    today = timezone.localdate()
    end = year_end(year)
    value = compute(target, year, by, end)
    if value is None:
        need = " (chưa có số dân của đơn vị: hãy ghi dân số)" if target.computed_key == "dang_vien_dan_so" else ""
        raise DomainError(f"Chưa tính được “{target.name}” năm {year} từ hồ sơ{need}.", field="value")
    if end > today:  # the year runs: what the records say so far, ending today
        end = today
    return enter_value(target, value=value, by=by, period_end=end, computed_value=True,
                       evidence="Tính từ hồ sơ đảng viên trong hệ thống")


@transaction.atomic
def record_population(unit: OrgUnit, *, on: date, value, source: str, by) -> Population:
    _allowed(by, unit)
    try:
        number = int(str(value).replace(".", "").replace(" ", ""))
    except ValueError:
        raise DomainError(f"Dân số “{value}” không phải số nguyên.", field="value") from None
    if number <= 0:
        raise DomainError("Dân số phải lớn hơn 0.", field="value")
    if on > timezone.localdate():
        raise DomainError(f"Ngày {vn_date(on)} chưa đến; ghi dân số tính đến hôm nay hoặc một ngày đã qua.", field="on")
    if not (source or "").strip():
        raise DomainError("Hãy ghi nguồn số liệu dân số (ví dụ Chi cục Thống kê, Công an xã).", field="source")
    row, _ = Population.objects.update_or_create(unit=unit, on=on, defaults={
        "value": number, "source": source.strip()[:255], "entered_by": by if getattr(by, "pk", None) else None})
    record("targets.population.recorded", actor=by, obj=unit, unit_path=unit.path, unit_name=unit.name,
           after={"on": on.isoformat(), "value": number, "source": row.source})
    return row
