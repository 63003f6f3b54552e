"""The default templates, built with core.partydoc so they carry the party layout (rules.md §6): header
block, "ĐẢNG CỘNG SẢN VIỆT NAM", the star, "Số …-BC/…", place and date, title, body, recipients, signature.

Placeholders are docxtpl's: `{{ dv_tong }}` an indicator by code, `{{ text.ket_qua }}` a text section the unit
writes, and the names of CONTEXT below. `python manage.py shell -c "from reports.defaults import write_all;
write_all()"` rewrites the committed files after a change here.
"""

from pathlib import Path

from core import partydoc

FOLDER = Path(__file__).parent / "templates_docx"

# Text sections the unit writes in the page (name -> heading).
SECTIONS = {
    "ket_qua": "Kết quả đạt được",
    "uu_diem": "Ưu điểm",
    "han_che": "Hạn chế, khuyết điểm",
    "nguyen_nhan": "Nguyên nhân",
    "phuong_huong": "Phương hướng, nhiệm vụ thời gian tới",
}
# Other names the renderer fills.
CONTEXT = {"cap_tren", "don_vi", "so_hieu", "ngay_thang", "tu_ngay", "den_ngay", "trich_yeu", "ky_bao_cao",
           "nghi_quyet", "text", "chuc_danh", "noi_nhan", "don_vi_ten"}

# Figures each default prints (code, label); a code no app computes yet prints blank.
FIGURE_LINES = [
    ("dv_tong", "Tổng số đảng viên"),
    ("dv_chinh_thuc", "Đảng viên chính thức"),
    ("dv_du_bi", "Đảng viên dự bị"),
    ("bd_admitted", "Kết nạp đảng viên mới trong kỳ"),
]

KINDS = {
    "quy": "Sơ kết công tác xây dựng Đảng quý",
    "6thang": "Sơ kết công tác xây dựng Đảng 6 tháng",
    "nam": "Tổng kết công tác xây dựng Đảng năm",
    "nhiemky": "Tổng kết nhiệm kỳ",
    "chuyende": "Sơ kết, tổng kết việc thực hiện nghị quyết",
}


def build(kind: str) -> bytes:
    doc = partydoc.new()
    # heading() writes the date line itself from a date: the template needs a placeholder there instead.
    left, right = partydoc.two_columns(doc)
    partydoc.line(left, "{{ cap_tren }}", first=True, size=14)
    partydoc.line(left, "{{ don_vi }}", size=14, bold=True)
    partydoc.line(left, "*", size=14)
    partydoc.line(left, "{{ so_hieu }}", size=14)
    partydoc.line(right, "ĐẢNG CỘNG SẢN VIỆT NAM", first=True, size=15, bold=True, underline=True)
    partydoc.line(right, "")
    partydoc.line(right, "{{ ngay_thang }}", size=14, italic=True)
    partydoc.line(doc, "", size=14)
    partydoc.title(doc, "Báo cáo", "{{ trich_yeu }}")
    if kind == "chuyende":
        partydoc.paragraph(doc, "Thực hiện {{ nghi_quyet }}, {{ don_vi_ten }} báo cáo như sau:")
    else:
        partydoc.paragraph(doc, "Kỳ báo cáo: từ ngày {{ tu_ngay }} đến ngày {{ den_ngay }}.")
    partydoc.paragraph(doc, "I. TÌNH HÌNH, KẾT QUẢ", bold=True)
    partydoc.paragraph(doc, "1. Số liệu", bold=True)
    for code, label in FIGURE_LINES:
        partydoc.paragraph(doc, f"- {label}: {{{{ {code} }}}}.")
    for n, (name, heading) in enumerate(SECTIONS.items(), start=2):
        partydoc.paragraph(doc, f"{n}. {heading}", bold=True)
        partydoc.paragraph(doc, f"{{{{ text.{name} }}}}")
    partydoc.signature(doc, ["{{ noi_nhan }}", "Lưu."], "T/M {{ chuc_danh }}", "BÍ THƯ")
    return partydoc.to_bytes(doc)


def path_of(kind: str) -> Path:
    return FOLDER / f"{kind}.docx"


def write_all() -> None:
    FOLDER.mkdir(exist_ok=True)
    for kind in KINDS:
        path_of(kind).write_bytes(build(kind))
