"""Issuing documents: the next number of a type in the organization's term, recorded in the register.

Other apps (admission, transfers, …) call `issue()` inside their own transaction when they write a
resolution, a decision or a letter, so the number and the step they belong to commit or roll back together.
"""

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F, Q

from audit.services import record
from bodies.models import Body, Term
from bodies.rules import issuer_suffix
from core.errors import DomainError
from documents.models import Document, NumberSequence
from documents.rules import DocType
from orgs.models import OrgUnit


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
