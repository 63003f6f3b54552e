"""The dashboard page: one unit's subtree at a glance, its charts drawn on the server (figures.charts)."""

from django.http import Http404
from django.shortcuts import render

from core.htmx import login_required
from core.text import vn_number
from figures import charts, dashboard
from orgs.models import OrgUnit


def _unit(request):
    """?to_chuc= picks any unit the user sees (404 outside, exactly like a missing one); else their top unit."""
    units = OrgUnit.objects.visible_to(request.user)
    pk = request.GET.get("to_chuc", "")
    if pk:
        unit = units.filter(pk=pk).first() if pk.isdigit() else None
        if unit is None:
            raise Http404
        return unit, units
    unit = units.order_by("depth", "path").first()
    if unit is None:
        raise Http404
    return unit, units


def _charts(board) -> dict:
    b = board.breakdown
    out = {
        "membership": charts.stacked_bar(
            "Số đảng viên cuối mỗi năm", [label for label, _c in board.membership],
            [("Chính thức", [c.official for _l, c in board.membership]),
             ("Dự bị", [c.probationary for _l, c in board.membership])]),
        "status": charts.bar("Theo tình trạng", ["Chính thức", "Dự bị"], [b.official, b.probationary]),
        "gender": charts.bar("Theo giới tính", ["Nam", "Nữ"], [b.male, b.female]),
        "age": charts.bar("Theo độ tuổi", list(b.age_bands), list(b.age_bands.values())),
        "ethnicity": charts.bar("Theo dân tộc", [g for g, _n in board.ethnicity], [n for _g, n in board.ethnicity]),
        "admissions": charts.line(
            "Kết nạp đảng viên so với kế hoạch", [str(y) for y, _n, _p in board.admissions],
            [("Kết nạp", [n for _y, n, _p in board.admissions]),
             ("Kế hoạch", [p for _y, _n, p in board.admissions])]),
        "classification": charts.bar(
            f"Xếp loại đảng viên năm {board.classification.year}",
            [_short(r.label) for r in board.classification.rows], [r.count for r in board.classification.rows]),
    }
    if board.targets is not None and board.targets.total:
        counts = dashboard.target_counts(board.targets)
        out["targets"] = charts.bar(f"Chỉ tiêu năm {board.target_year}", [s for s, _n in counts],
                                    [n for _s, n in counts])
    if board.discipline is not None:
        rows = [r for r in board.discipline["discipline_by_form"] if r["organizations"] or r["members"]]
        out["discipline"] = charts.stacked_bar(
            f"Kỷ luật năm {board.today.year}", [r["label"] for r in rows],
            [("Tổ chức", [r["organizations"] for r in rows]), ("Đảng viên", [r["members"] for r in rows])])
    return out


def _short(label: str) -> str:
    """"Hoàn thành xuất sắc nhiệm vụ" → "Xuất sắc": the axis has room for a word or two."""
    words = {"Hoàn thành xuất sắc nhiệm vụ": "Xuất sắc", "Hoàn thành tốt nhiệm vụ": "Tốt",
             "Hoàn thành nhiệm vụ": "Hoàn thành", "Không hoàn thành nhiệm vụ": "Không hoàn thành"}
    return words.get(label, label)


@login_required
def dashboard_page(request):
    unit, units = _unit(request)
    board = dashboard.build(unit, request.user)
    # The picker lists the user's top units and the level under them; any other unit opens by ?to_chuc=.
    top = units.order_by("depth", "path").first()
    picker = list(units.filter(depth__lte=top.depth + 1).order_by("path").only("id", "name", "depth")[:200])
    now = board.membership[-1][1]
    return render(request, "figures/dashboard.html", {
        "board": board, "unit": unit, "picker": picker, "charts": _charts(board),
        "total_text": vn_number(now.total),
    })
