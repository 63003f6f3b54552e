"""The introduction letter (giấy giới thiệu sinh hoạt đảng): its number and its Word file in the party layout.

Who signs: a letter taking the member out of their đảng bộ is issued by the committee above the cell (294-QĐ/TW
§6.3.1, rules.md §8: the cấp ủy cấp trên trực tiếp of the grassroots organization; for an organization directly
under the provincial committee, its Ban Tổ chức). Taken here as the nearest committee above the member's cell
(the đảng ủy xã, or the đảng ủy cơ sở): a simplification the page states. The number is the next "GGT" of that
committee's term (`documents.services.issue`; GGT itself is an assumed abbreviation, documents.rules).
"""

from django.db.models.functions import Length

from core import partydoc
from core.text import vn_date
from core.tree import ancestors
from documents.models import Document
from documents.services import issue
from orgs.models import Kind as UnitKind
from orgs.models import OrgUnit
from transfers import rules
from transfers.models import Kind, Transfer

DOC_TYPE = "GGT"
COMMITTEE_KINDS = {UnitKind.COMMUNE, UnitKind.GRASSROOTS_COMMITTEE, UnitKind.UNDER_PROVINCE, UnitKind.DISTRICT,
                   UnitKind.PROVINCE, UnitKind.UNDER_CENTRAL}


def issuer_of(unit: OrgUnit) -> OrgUnit:
    """The nearest committee above `unit` (the unit itself if it is one; a lone cell at the top: itself)."""
    rows = (OrgUnit.objects.filter(path__in=ancestors(unit.path)[:-1], kind__in=COMMITTEE_KINDS)
            .select_related("parent").order_by(Length("path").desc()))
    return rows.first() or unit


def summary(t: Transfer) -> str:
    return f"Chuyển sinh hoạt đảng {t.get_kind_display().lower()}"


def number(t: Transfer, by) -> Document:
    """Give the letter its number, inside the transaction that starts the transfer."""
    doc = issue(unit=issuer_of(t.from_unit), doc_type=DOC_TYPE, on=t.started_on, by=by,
                title=f"Giấy giới thiệu {summary(t).lower()}: {t.member.full_name} đến {t.destination}")
    t.letter_document_id, t.letter_symbol = doc.pk, doc.symbol
    return doc


def build(t: Transfer) -> bytes:
    """The letter as a .docx: the header with the committee and its number, the member's particulars, where
    they go, and the 30-working-day limit to present it."""
    issuer = issuer_of(t.from_unit)
    document = Document.objects.filter(pk=t.letter_document_id).first() if t.letter_document_id else None
    m = t.member
    doc = partydoc.new()
    partydoc.heading(doc, *partydoc.issuer_of(issuer), number=document.number_line if document else "Số …-GGT/…",
                     place=partydoc.place_of(issuer), on=t.started_on)
    partydoc.title(doc, "GIẤY GIỚI THIỆU", summary(t))
    status = "chính thức" if m.recognized_on else "dự bị"
    particulars = [f"{issuer.name} trân trọng giới thiệu đồng chí {m.full_name}"]
    if m.birth_date:
        particulars.append(f"sinh ngày {vn_date(m.birth_date)}")
    if m.admitted_on:
        particulars.append(f"vào Đảng ngày {vn_date(m.admitted_on)}")
    if m.recognized_on:
        particulars.append(f"chính thức ngày {vn_date(m.recognized_on)}")
    if m.party_card_number:
        particulars.append(f"số thẻ đảng viên {m.party_card_number}")
    partydoc.paragraph(doc, ", ".join(particulars) + f"; là đảng viên {status}, hiện sinh hoạt tại {t.from_unit.name}.")
    reason = t.get_purpose_display().lower() + (f" (quyết định số {t.decision_number})" if t.decision_number else "")
    where = f"Được chuyển sinh hoạt đảng {t.get_kind_display().lower()} đến {t.destination}, lý do: {reason}."
    if t.kind == Kind.TEMPORARY:
        where += f" Thời gian sinh hoạt tạm thời từ ngày {vn_date(t.temp_from)} đến ngày {vn_date(t.temp_until)}."
    partydoc.paragraph(doc, where)
    partydoc.paragraph(doc, f"Đề nghị {t.destination} tiếp nhận, quản lý và phân công sinh hoạt đối với đảng viên.")
    partydoc.paragraph(doc, f"Đảng viên phải xuất trình giấy giới thiệu này với chi ủy nơi đến trong "
                            f"{rules.rule('PRESENT_WORKING_DAYS')} ngày làm việc kể từ ngày giới thiệu, tức chậm nhất "
                            f"ngày {vn_date(t.present_due)} ({rules.PRESENT_RULE}).", italic=True)
    grassroots = issuer.kind in (UnitKind.COMMUNE, UnitKind.GRASSROOTS_COMMITTEE)
    partydoc.signature(doc, [t.destination, f"{t.from_unit.name} (để biết)", "Lưu hồ sơ đảng viên."],
                       "T/M ĐẢNG ỦY" if grassroots else "T/M BAN THƯỜNG VỤ", "BÍ THƯ")
    return partydoc.to_bytes(doc)
