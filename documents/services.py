"""Issuing documents: the next number of a type in the organization's term, recorded in the register.

Other apps (admission, transfers, …) call `issue()` inside their own transaction when they write a
resolution, a decision or a letter, so the number and the step they belong to commit or roll back together.
"""

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from audit.services import record
from bodies.models import Body, Term
from bodies.rules import issuer_suffix
from core.errors import DomainError
from core.scoping import can, can_anywhere, scope_prefixes
from core.text import vn_date
from core.tree import SEGMENT
from documents.models import Dissemination, Document, NumberSequence
from documents.rules import DocType
from documents.symbols import format_symbol
from orgs.models import OrgUnit

ACTION = "documents"  # access.rules: who writes the register and the dissemination records


def term_on(unit: OrgUnit, on: date) -> Term | None:
    """The organization's term running on `on`: its numbering period (rules.md §6)."""
    return (Term.objects.filter(unit=unit, starts_on__lte=on).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
            .order_by("-starts_on").first())


def issuer_of(unit: OrgUnit, body: Body | None = None) -> str:
    """The symbol after the slash: the body's own (BTVTU, UBKTĐU) or the organization's (TU, ĐU, CB)."""
    return (body.symbol if body is not None and body.symbol else "") or issuer_suffix(unit)


@transaction.atomic
def issue(*, unit: OrgUnit, doc_type: str, on: date, title: str, by, body: Body | None = None,
          implements: Document | None = None) -> Document:
    """Give the next number of `doc_type` in `unit`'s term running on `on` (from 01 per type within a
    committee term; the year where no term is recorded) and record the document as issued."""
    _check_may_write(by, unit)
    if doc_type not in DocType.values:
        raise DomainError(f"Loại văn bản “{doc_type}” không có trong danh mục (HD 05-HD/VPTW).", field="doc_type")
    if body is not None and body.unit_id != unit.pk:
        raise DomainError("Cơ quan ban hành phải thuộc tổ chức ban hành văn bản.", field="body")
    term = term_on(unit, on)
    period = f"t{term.pk}" if term else f"y{on.year}"
    issuer = issuer_of(unit, body)
    number = _next_number(unit, period, issuer, doc_type)
    document = Document.objects.create(unit=unit, body=body, term=term, doc_type=doc_type, number=number,
                                       issuer=issuer, issued_on=on, title=title[:500], implements=implements,
                                       created_by=by if getattr(by, "pk", None) else None)
    record("documents.document.issued", actor=by, obj=document, unit_path=unit.path, unit_name=unit.name,
           after={"symbol": document.symbol, "title": document.title, "issued_on": on.isoformat()})
    return document


def may_write(user, unit: OrgUnit | None) -> bool:
    """Whether `user` may enter or change a document of `unit`. A text of a level outside the system
    (21-KL/TW, no unit) is entered by anyone who keeps documents, so that a commune can register what it
    implements, but its status is the business of the top levels: changed by those who hold the right on a
    top unit (a province)."""
    if unit is not None:
        return can(user, ACTION, unit.path)
    return can_anywhere(user, ACTION)


def may_change_external(user) -> bool:
    prefixes = scope_prefixes(user, ACTION)
    return prefixes is None or any(len(p) == SEGMENT for p in prefixes)


def _check_may_write(by, unit: OrgUnit | None) -> None:
    if by is not None and not may_write(by, unit):
        raise DomainError("Bạn không có quyền ghi văn bản" + (f" của “{unit.name}”." if unit else "."), field="unit")


def _check_dates(issued_on: date, review_due: date | None, final_review_due: date | None) -> None:
    if issued_on > timezone.localdate():
        raise DomainError("Ngày ban hành không được sau ngày hôm nay.", field="issued_on")
    for due, field, what in ((review_due, "review_due", "sơ kết"), (final_review_due, "final_review_due", "tổng kết")):
        if due and due <= issued_on:
            raise DomainError(f"Hạn {what} ({vn_date(due)}) phải sau ngày ban hành ({vn_date(issued_on)}).", field=field)
    if review_due and final_review_due and final_review_due < review_due:
        raise DomainError("Hạn tổng kết phải sau hạn sơ kết.", field="final_review_due")


def _check_links(document: Document | None, implements: Document | None, replaces: Document | None) -> None:
    """No document implements or replaces itself, directly or through a chain (a cycle would make the
    lineage endless)."""
    for link, field, what in ((implements, "implements", "thực hiện"), (replaces, "replaces", "thay thế")):
        seen, step = set(), link
        while step is not None and step.pk not in seen:
            if document is not None and step.pk == document.pk:
                raise DomainError(f"Văn bản không thể {what} chính nó (trực tiếp hay qua một chuỗi văn bản).",
                                  field=field)
            seen.add(step.pk)
            step = getattr(step, field)


def duplicate_of(doc_type: str, issuer: str, number: int, unit: OrgUnit | None, issued_on: date,
                 exclude: int | None = None) -> Document | None:
    """The document already registered with the same number, type and issuer in the same numbering period
    (the issuing unit's term, or the year where none is recorded)."""
    rows = Document.objects.filter(doc_type=doc_type, issuer=issuer, number=number).exclude(pk=exclude)
    term = term_on(unit, issued_on) if unit is not None else None
    rows = rows.filter(term=term) if term else rows.filter(issued_on__year=issued_on.year)
    return rows.first()


@transaction.atomic
def register(*, unit: OrgUnit | None, issuer: str, doc_type: str, number: int, issued_on: date, title: str, by,
             body: Body | None = None, status: str = Document.Status.ISSUED, implements: Document | None = None,
             replaces: Document | None = None, review_due: date | None = None,
             final_review_due: date | None = None, attachment=None) -> Document:
    """Enter a document that already carries its number (a higher level's, or one issued on paper)."""
    _check_may_write(by, unit)
    if doc_type not in DocType.values:
        raise DomainError(f"Loại văn bản “{doc_type}” không có trong danh mục (HD 05-HD/VPTW).", field="doc_type")
    if number < 1:
        raise DomainError("Số văn bản phải từ 1 trở lên.", field="number")
    _check_dates(issued_on, review_due, final_review_due)
    _check_links(None, implements, replaces)
    if (same := duplicate_of(doc_type, issuer, number, unit, issued_on)) is not None:
        raise DomainError(f"Số {format_symbol(number, doc_type, issuer)} đã được ghi cho văn bản “{same.title}” "
                          f"ngày {vn_date(same.issued_on)} (số văn bản đánh từ 01 theo từng loại trong mỗi nhiệm kỳ "
                          "cấp ủy, rules.md §6). Hãy kiểm tra lại số.", field="number")
    document = Document(unit=unit, body=body, term=term_on(unit, issued_on) if unit else None, doc_type=doc_type,
                        number=number, issuer=issuer, issued_on=issued_on, title=title[:500], status=status,
                        implements=implements, replaces=replaces, review_due=review_due,
                        final_review_due=final_review_due, created_by=by if getattr(by, "pk", None) else None)
    if attachment:
        document.attachment = attachment
    document.save()
    if replaces is not None and replaces.status == Document.Status.ISSUED:
        Document.objects.filter(pk=replaces.pk).update(status=Document.Status.REPLACED)
    record("documents.document.registered", actor=by, obj=document, unit_path=unit.path if unit else "",
           unit_name=unit.name if unit else issuer, after=snapshot(document))
    return document


@transaction.atomic
def update(document: Document, changes: dict, *, by) -> Document:
    """Change the status, links, review dates or title of a registered document."""
    _check_may_write(by, document.unit)
    if document.unit is None and by is not None and not may_change_external(by):
        raise DomainError("Văn bản của cấp ngoài hệ thống chỉ cán bộ cấp tỉnh trở lên sửa trạng thái, hạn sơ kết, "
                          "tổng kết.", field="status")
    before = snapshot(document)
    for name, value in changes.items():
        setattr(document, name, value)
    _check_dates(document.issued_on, document.review_due, document.final_review_due)
    _check_links(document, document.implements, document.replaces)
    for day, field in ((document.reviewed_on, "reviewed_on"), (document.final_reviewed_on, "final_reviewed_on")):
        if day and (day < document.issued_on or day > timezone.localdate()):
            raise DomainError(f"Ngày {vn_date(day)} phải trong khoảng từ ngày ban hành đến hôm nay.", field=field)
    document.save()
    record("documents.document.changed", actor=by, obj=document, unit_path=document.unit.path if document.unit else "",
           unit_name=document.unit.name if document.unit else document.issuer, before=before, after=snapshot(document))
    return document


def snapshot(d: Document) -> dict:
    return {"symbol": d.symbol, "title": d.title, "issued_on": d.issued_on.isoformat(), "status": d.status,
            "implements": d.implements_id, "replaces": d.replaces_id,
            "review_due": d.review_due.isoformat() if d.review_due else None,
            "final_review_due": d.final_review_due.isoformat() if d.final_review_due else None}


@transaction.atomic
def disseminate(document: Document, *, unit: OrgUnit, held_on: date, attended: int, total: int, by,
                form: str = Dissemination.Form.CONFERENCE, note: str = "") -> Dissemination:
    """Record that `unit` disseminated `document` (quán triệt) on `held_on`, `attended` of `total` members."""
    _check_may_write(by, unit)
    if held_on > timezone.localdate():
        raise DomainError("Ngày quán triệt không được sau ngày hôm nay.", field="held_on")
    if held_on < document.issued_on:
        raise DomainError(f"Ngày quán triệt trước ngày ban hành văn bản ({vn_date(document.issued_on)}).",
                          field="held_on")
    if total < 1:
        raise DomainError("Tổng số đảng viên phải từ 1 trở lên.", field="total")
    if attended > total:
        raise DomainError(f"Số đảng viên dự ({attended}) lớn hơn tổng số đảng viên ({total}).", field="attended")
    row = Dissemination.objects.create(document=document, unit=unit, held_on=held_on, attended=attended, total=total,
                                       form=form, note=note, created_by=by if getattr(by, "pk", None) else None)
    record("documents.dissemination.recorded", actor=by, obj=row, unit_path=unit.path, unit_name=unit.name,
           after={"document": document.symbol, "held_on": held_on.isoformat(), "attended": attended, "total": total})
    return row


def _next_number(unit: OrgUnit, period: str, issuer: str, doc_type: str) -> int:
    # One row per (unit, period, issuer, type), incremented in place: two officers issuing at once queue on
    # the row lock instead of both reading the same last number.
    keys = {"unit": unit, "period": period, "issuer": issuer, "doc_type": doc_type}
    if not NumberSequence.objects.filter(**keys).exists():
        try:
            with transaction.atomic():
                NumberSequence.objects.create(**keys)
        except IntegrityError:  # created meanwhile by another request: use that row
            pass
    NumberSequence.objects.filter(**keys).update(last=F("last") + 1)
    return NumberSequence.objects.get(**keys).last
