"""The papers of the main steps, in the party layout (core.partydoc) and numbered in the issuing organization's
register (documents.services, rules.md §6: from 01 per type within a committee term): the cell's resolution
proposing admission (NQ of the cell), the admission decision and the recognition (or striking-off) decision (QĐ
of the competent committee's standing committee).

A number is given when the step is recorded without one typed, inside the step's transaction (`number_for`); a
number typed by the user is a paper issued outside the system and is printed as typed.
"""

from datetime import date

from admission import services
from admission.models import Candidate, Step, StepKind
from bodies.models import Body, Post
from bodies.rules import BodyKind, Title
from core import partydoc
from core.scoping import can
from core.text import vn_date
from documents.models import Document
from documents.services import issue
from members import rules as member_rules
from orgs.models import OrgUnit

K = StepKind
# The steps whose paper the system writes: (document type, title, who issues: the cell or the competent body).
PAPERS = {
    K.CELL_VOTE: ("NQ", "Đề nghị kết nạp đảng viên", "cell"),
    K.DECIDED: ("QĐ", "Về việc kết nạp đảng viên", "competent"),
    K.RECOGNIZED: ("QĐ", "Về việc công nhận đảng viên chính thức", "competent"),
    K.STRUCK_OFF: ("QĐ", "Về việc xóa tên khỏi danh sách đảng viên dự bị", "competent"),
}


def issuer(c: Candidate, kind: str, on: date) -> tuple[OrgUnit | None, Body | None]:
    """The organization (and its standing committee, if recorded) that issues the paper of `kind`."""
    if PAPERS[kind][2] == "cell":
        return c.unit, None
    _entry, unit = services.competent_of(c.unit, on)
    if unit is None:
        return None, None
    body = Body.objects.filter(unit=unit, kind=BodyKind.STANDING).open_on(on).first()
    return unit, body


def number_for(c: Candidate, kind: str, on: date, by) -> Document | None:
    """The next number for the paper of `kind` in its issuer's register, or None when the writer may not write
    there (a cell's secretary recording the commune's decision types its number instead)."""
    if kind not in PAPERS:
        return None
    unit, body = issuer(c, kind, on)
    if unit is None or (by is not None and not can(by, services.ACTION, unit.path)):
        return None
    doc_type, title, _who = PAPERS[kind]
    return issue(unit=unit, doc_type=doc_type, on=on, title=f"{title}: {c.full_name}", by=by, body=body)


def signer(unit: OrgUnit, on: date, kinds) -> str:
    """The secretary of `unit`'s body of one of `kinds` on `on`, from the posts in `bodies`; "" if none recorded."""
    post = (Post.objects.filter(body__unit=unit, body__kind__in=kinds, title=Title.SECRETARY).open_on(on)
            .select_related("member").first())
    return post.member.full_name if post else ""


def number_line(step: Step) -> str:
    if step.document_id:
        document = Document.objects.filter(pk=step.document_id).first()
        if document is not None:
            return document.number_line
    return f"Số {step.number}" if step.number else "Số ……"


def _person(c: Candidate) -> str:
    where = f", quê quán {c.hometown}" if c.hometown else ""
    job = f", {c.occupation}" if c.occupation else ""
    return f"{c.full_name}, sinh ngày {vn_date(c.birth_date)}{where}{job}"


def _resolution(doc, c: Candidate, step: Step) -> None:
    grassroots = services.grassroots_of(c.unit)
    _entry, competent = services.competent_of(c.unit, step.on)
    to = grassroots or competent
    share = f"{100 * step.votes_for / step.eligible:.0f}%" if step.eligible else "—"
    partydoc.paragraph(doc, "- Căn cứ Điều lệ Đảng Cộng sản Việt Nam và Quy định thi hành Điều lệ Đảng;", italic=True)
    partydoc.paragraph(doc, f"- Căn cứ đơn xin vào Đảng, lý lịch và các văn bản trong hồ sơ của quần chúng "
                            f"{c.full_name};", italic=True)
    partydoc.paragraph(doc, f"Ngày {vn_date(step.on)}, {c.unit.name} họp xét đề nghị kết nạp quần chúng "
                            f"{_person(c)}. Số đảng viên chính thức của chi bộ: {step.eligible}; số đảng viên tán "
                            f"thành kết nạp: {step.votes_for} (đạt {share}).")
    partydoc.paragraph(doc, "CHI BỘ QUYẾT NGHỊ:", bold=True)
    partydoc.paragraph(doc, f"Đề nghị {to.name if to else 'cấp ủy cấp trên'} xem xét, kết nạp quần chúng "
                            f"{c.full_name} vào Đảng Cộng sản Việt Nam.")
    recipients = [f"{to.name} (để báo cáo)" if to else "Cấp ủy cấp trên (để báo cáo)", "Lưu Chi bộ."]
    partydoc.signature(doc, recipients, "T/M CHI BỘ", "BÍ THƯ",
                       signer(c.unit, step.on, [BodyKind.CELL_COMMITTEE]))


def _decision(doc, c: Candidate, step: Step, unit: OrgUnit, body: Body | None) -> None:
    authority = (body.name if body else f"Ban Thường vụ {unit.name}").upper()
    partydoc.line(doc, authority, size=14, bold=True)
    partydoc.paragraph(doc, "- Căn cứ Điều lệ Đảng Cộng sản Việt Nam và Quy định thi hành Điều lệ Đảng;", italic=True)
    cell_vote = c.steps.filter(kind__in=[K.CELL_VOTE, K.RECOG_CELL_VOTE], passed=True, on__lte=step.on).last()
    if cell_vote:
        partydoc.paragraph(doc, f"- Xét đề nghị của {c.unit.name} (nghị quyết ngày {vn_date(cell_vote.on)}"
                                f"{', số ' + cell_vote.number if cell_vote.number else ''});", italic=True)
    partydoc.line(doc, "QUYẾT ĐỊNH", size=14, bold=True)
    if step.kind == K.DECIDED:
        months = member_rules.rule("PROBATION_MONTHS")
        articles = [f"Điều 1. Kết nạp quần chúng {_person(c)} vào Đảng Cộng sản Việt Nam.",
                    f"Điều 2. Thời gian dự bị của đảng viên là {months} tháng, kể từ ngày chi bộ tổ chức lễ kết nạp.",
                    f"Điều 3. {c.unit.name} và đồng chí có tên tại Điều 1 thi hành Quyết định này."]
    elif step.kind == K.RECOGNIZED:
        articles = [f"Điều 1. Công nhận đồng chí {c.full_name}, sinh ngày {vn_date(c.birth_date)}, đảng viên dự bị, "
                    f"là đảng viên chính thức kể từ ngày {vn_date(c.probation_ends_on)}.",
                    f"Điều 2. {c.unit.name} và đồng chí có tên tại Điều 1 thi hành Quyết định này."]
    else:
        articles = [f"Điều 1. Xóa tên đồng chí {c.full_name}, sinh ngày {vn_date(c.birth_date)}, khỏi danh sách đảng "
                    "viên dự bị.",
                    f"Điều 2. {c.unit.name} và đồng chí có tên tại Điều 1 thi hành Quyết định này."]
    for text in articles:
        partydoc.paragraph(doc, text)
    partydoc.signature(doc, ["Như Điều 3" if step.kind == K.DECIDED else "Như Điều 2", "Lưu."],
                       "T/M BAN THƯỜNG VỤ", "BÍ THƯ", signer(unit, step.on, [BodyKind.STANDING, BodyKind.COMMITTEE]))


def render(c: Candidate, step: Step) -> tuple[str, bytes]:
    """(file name, the .docx) of the step's paper; KeyError for a step without one."""
    doc_type, summary, _who = PAPERS[step.kind]
    unit, body = issuer(c, step.kind, step.on)
    unit = unit or c.unit
    doc = partydoc.new()
    superior, name = partydoc.issuer_of(unit)
    partydoc.heading(doc, superior, name, number=number_line(step), place=partydoc.place_of(unit), on=step.on)
    partydoc.title(doc, "NGHỊ QUYẾT" if doc_type == "NQ" else "QUYẾT ĐỊNH", summary)
    if step.kind == K.CELL_VOTE:
        _resolution(doc, c, step)
    else:
        _decision(doc, c, step, unit, body)
    slug = {K.CELL_VOTE: "nghi-quyet-de-nghi-ket-nap", K.DECIDED: "quyet-dinh-ket-nap",
            K.RECOGNIZED: "quyet-dinh-cong-nhan-chinh-thuc", K.STRUCK_OFF: "quyet-dinh-xoa-ten"}[step.kind]
    return f"{slug}-{c.pk}.docx", partydoc.to_bytes(doc)
