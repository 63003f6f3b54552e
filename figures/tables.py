"""The statistical tables officers send up (issue 19 item 2), built from the indicators.

HD 11-HD/BTCTW (2021) sets the forms ("Biểu số N-TCTW"), but their exact 2021 layouts are not known here
(rules-2026.md §6: only the 2012 set was seen, and not its forms for admissions, changes or classification).
So these are the tables officers use, numbered 1–4 in this app, with the rows of the 2012 forms where they
were seen (Biểu 3: quality; Biểu 4: ethnicity and religion); each table says so in its note.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone

from assessment.rules import Level
from figures import indicators
from figures.from_members import PARTY_AGE_BANDS, RELIGIONS
from members import changes as member_changes
from members.choices import AGE_BANDS, NO_BAND, NO_RELIGION, EducationLevel, Gender, TheoryLevel, band_of
from members.models import MAJORITY_ETHNICITY

NOTE = ("Mẫu bảng theo thực tế báo cáo của các cấp ủy; bố cục chính xác của biểu mẫu HD 11-HD/BTCTW (2021) "
        "chưa đối chiếu được (chưa chắc chắn).")


@dataclass
class Row:
    stt: str
    label: str
    values: list  # numbers (or None: nothing to count), one per column
    bold: bool = False


@dataclass
class Table:
    code: str  # sheet name
    title: str
    columns: list[str]
    rows: list[Row] = field(default_factory=list)
    note: str = NOTE


def _upto(end: date) -> date:
    """A stock is counted as of the period's end, or today while the period runs."""
    return min(end, timezone.localdate())


def _pct(n: int, total: int):
    return round(100 * n / total, 2) if total else None


def _with_share(stt, label, n, total, bold=False) -> Row:
    return Row(stt, label, [n, _pct(n, total)], bold)


def membership_changes(unit, user, start: date, end: date) -> Table:
    before = indicators.compute(["dv_tong"], unit, user, start - timedelta(days=1), start - timedelta(days=1))
    after = indicators.compute(["dv_tong"], unit, user, start, _upto(end))
    f = member_changes.changes(unit, user, start, end).figures
    up = f["admitted"] + f["readmitted"] + f["transferred_in"] + f["restructured_in"]
    down = f["transferred_out"] + f["restructured_out"] + f["left"]
    t = Table("Bieu 1 - Bien dong", "BIẾN ĐỘNG ĐẢNG VIÊN", ["Số đảng viên"])
    t.rows = [Row("1", f"Đảng viên đầu kỳ (đến ngày {(start - timedelta(days=1)):%d/%m/%Y})",
                  [before["dv_tong"]], True),
              Row("2", "Tăng trong kỳ", [up], True),
              Row("2.1", "Kết nạp mới", [f["admitted"]]),
              Row("2.2", "Kết nạp lại", [f["readmitted"]]),
              Row("2.3", "Chuyển sinh hoạt chính thức đến", [f["transferred_in"]]),
              Row("2.4", "Đến do sắp xếp tổ chức", [f["restructured_in"]]),
              Row("3", "Giảm trong kỳ", [down], True),
              Row("3.1", "Chuyển sinh hoạt chính thức đi", [f["transferred_out"]]),
              Row("3.2", "Đi do sắp xếp tổ chức", [f["restructured_out"]]),
              Row("3.3", "Xóa tên", [f["struck_off"]]),
              Row("3.4", "Khai trừ", [f["expelled"]]),
              Row("3.5", "Ra khỏi Đảng (xin ra)", [f["resigned"]]),
              Row("3.6", "Từ trần", [f["deceased"]]),
              Row("4", f"Đảng viên cuối kỳ (đến ngày {_upto(end):%d/%m/%Y})", [after["dv_tong"]], True),
              Row("5", "Công nhận đảng viên chính thức trong kỳ", [f["recognized"]])]
    return t


def newly_admitted(unit, user, start: date, end: date) -> Table:
    """Members admitted (or readmitted) in the period, ages as of their admission."""
    events = member_changes.events_behind(unit, user, start, end, "admissions")
    c = Counter()
    religions = {r.casefold(): r for r in RELIGIONS}
    for e in events:
        m = e.member
        c["total"] += 1
        c["female"] += m.gender == Gender.FEMALE
        c["minority"] += m.ethnicity != MAJORITY_ETHNICITY
        if m.religion.strip() not in NO_RELIGION:
            c["religious"] += 1
            c["rel:" + religions.get(m.religion.strip().casefold(), "Tôn giáo khác")] += 1
        c[f"band:{band_of(m.birth_date, e.on)}"] += 1
        c[f"edu:{m.education_level}"] += 1
    n = c["total"]
    t = Table("Bieu 2 - Ket nap", "ĐẢNG VIÊN MỚI KẾT NẠP", ["Số lượng", "Tỷ lệ (%)"])
    t.rows = [Row("1", "Tổng số đảng viên kết nạp (cả kết nạp lại)", [n, 100.0 if n else None], True),
              _with_share("2", "Nữ", c["female"], n), _with_share("3", "Người dân tộc thiểu số", c["minority"], n),
              _with_share("4", "Người có đạo", c["religious"], n, True),
              *[_with_share(f"4.{i + 1}", r, c["rel:" + r], n) for i, r in enumerate([*RELIGIONS, "Tôn giáo khác"])],
              Row("5", "Tuổi khi kết nạp", [None, None], True),
              *[_with_share(f"5.{i + 1}", f"Từ {label} tuổi" if hi < 200 else "Trên 60 tuổi", c[f"band:{i}"], n)
                for i, (label, _lo, hi) in enumerate(AGE_BANDS)],
              _with_share(f"5.{len(AGE_BANDS) + 1}", "Dưới 18 tuổi hoặc chưa rõ", c[f"band:{NO_BAND}"], n),
              Row("6", "Trình độ học vấn", [None, None], True),
              *[_with_share(f"6.{i + 1}", label, c[f"edu:{v}"], n) for i, (v, label) in enumerate(EducationLevel.choices)]]
    return t


def quality(unit, user, start: date, end: date) -> Table:
    v = indicators.compute([i.code for i in indicators.all_indicators() if i.code.startswith("dv_")], unit, user,
                           start, _upto(end))
    n = v["dv_tong"]
    t = Table("Bieu 3 - Chat luong", f"CHẤT LƯỢNG ĐẢNG VIÊN (ĐẾN NGÀY {_upto(end):%d/%m/%Y})", ["Số lượng", "Tỷ lệ (%)"])
    t.rows = [Row("1", "Tổng số đảng viên", [n, 100.0 if n else None], True),
              _with_share("1.1", "Đảng viên chính thức", v["dv_chinh_thuc"], n),
              _with_share("1.2", "Đảng viên dự bị", v["dv_du_bi"], n),
              _with_share("2", "Nữ", v["dv_nu"], n), _with_share("3", "Người dân tộc thiểu số", v["dv_dan_toc"], n),
              _with_share("4", "Người có đạo", v["dv_ton_giao"], n, True),
              *[_with_share(f"4.{i + 1}", r, v[f"dv_ton_giao_{i}"], n) for i, r in enumerate(RELIGIONS)],
              _with_share(f"4.{len(RELIGIONS) + 1}", "Tôn giáo khác", v["dv_ton_giao_khac"], n),
              Row("5", "Tuổi đời", [None, None], True),
              *[_with_share(f"5.{i + 1}", f"Từ {label} tuổi" if hi < 200 else "Trên 60 tuổi", v[f"dv_tuoi_{i}"], n)
                for i, (label, _lo, hi) in enumerate(AGE_BANDS)],
              Row("6", "Trình độ học vấn", [None, None], True),
              *[_with_share(f"6.{i + 1}", label, v[f"dv_hv_{c or 'chua_ro'}"], n)
                for i, (c, label) in enumerate(EducationLevel.choices)],
              Row("7", "Lý luận chính trị", [None, None], True),
              *[_with_share(f"7.{i + 1}", label, v[f"dv_llct_{c or 'chua_qua'}"], n)
                for i, (c, label) in enumerate(TheoryLevel.choices)],
              Row("8", "Tuổi đảng", [None, None], True),
              *[_with_share(f"8.{i + 1}", label.capitalize(), v[f"dv_tuoi_dang_{i}"], n)
                for i, (label, _lo, _hi) in enumerate(PARTY_AGE_BANDS)],
              _with_share(f"8.{len(PARTY_AGE_BANDS) + 1}", "Chưa rõ ngày vào Đảng", v["dv_tuoi_dang_chua_ro"], n)]
    return t


def classification(unit, user, start: date, end: date) -> Table:
    codes = [i.code for i in indicators.all_indicators() if i.code.startswith("xl_")]
    v = indicators.compute(codes, unit, user, start, end)
    t = Table("Bieu 4 - Xep loai", f"KẾT QUẢ XẾP LOẠI TỔ CHỨC ĐẢNG VÀ ĐẢNG VIÊN NĂM {end.year}",
              ["Tổ chức đảng", "Tỷ lệ (%)", "Đảng viên", "Tỷ lệ (%)"])
    t.rows = [Row("", "Tổng số được xếp loại", [v["xl_tc_tong"], 100.0 if v["xl_tc_tong"] else None,
                                                v["xl_dv_tong"], 100.0 if v["xl_dv_tong"] else None], True)]
    for i, lv in enumerate(Level):
        t.rows.append(Row(str(i + 1), lv.label, [v[f"xl_tc_{lv.value}"], v[f"xl_tc_{lv.value}_pt"],
                                                  v[f"xl_dv_{lv.value}"], v[f"xl_dv_{lv.value}_pt"]]))
    return t


BUILDERS = [membership_changes, newly_admitted, quality, classification]


def all_tables(unit, user, start: date, end: date) -> list[Table]:
    return [build(unit, user, start, end) for build in BUILDERS]
