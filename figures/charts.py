"""Charts drawn as SVG in Python: bar, stacked bar, line.

The Content-Security-Policy (core.middleware) lets scripts come only from /static/, and no chart library is
installed or fetched from a CDN: the server writes the SVG itself, so the page needs no JavaScript and the
same function gives the chart a Word report embeds (`png_bytes` draws the same SVG with Pillow).
Every chart scales with its viewBox (width 100 %), so it fits a 390 px phone as well as a desk screen.
"""

import io
from pathlib import Path
from xml.etree import ElementTree
from xml.sax.saxutils import escape

from core.text import vn_number

# Colours readable side by side and in greyscale print (dark to light).
PALETTE = ["#b71c1c", "#e57373", "#f9a825", "#1565c0", "#90caf9", "#2e7d32", "#a5d6a7", "#6d4c41"]
WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 68, 16, 28, 40


def _attr(text) -> str:
    return escape(str(text), {'"': "&quot;"})


def _nice_max(value: float) -> float:
    """The top of the axis: 1, 2, 2.5 or 5 × a power of ten, at or above `value`; 4 or 8 for small counts, so
    that the four grid lines fall on whole members."""
    if value <= 0:
        return 1
    if value <= 8:
        return 4 if value <= 4 else 8
    power = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power


def _frame(title: str, top: float, legend: list[tuple[str, str]] = ()) -> list[str]:
    """The opening tag, title, grid lines with their numbers, and the legend."""
    plot_h = HEIGHT - TOP - BOTTOM
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" '
           f'role="img" aria-label="{_attr(title)}" font-family="sans-serif" font-size="12" class="chart">',
           f"<title>{escape(title)}</title>",
           f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#fff"/>']
    for i in range(5):
        value = top * i / 4
        y = TOP + plot_h - plot_h * i / 4
        out.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#ddd"/>')
        label = vn_number(value, 0 if value == int(value) else 1)
        out.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#555">{label}</text>')
    x = LEFT
    for name, colour in legend:
        out.append(f'<rect x="{x}" y="6" width="12" height="12" fill="{colour}"/>')
        out.append(f'<text x="{x + 16}" y="16" fill="#333">{escape(name)}</text>')
        x += 28 + 7 * len(name)
    return out


def _x_labels(labels, step: float) -> list[str]:
    y = HEIGHT - BOTTOM + 16
    return [f'<text x="{LEFT + step * (i + 0.5):.1f}" y="{y}" text-anchor="middle" fill="#333">{escape(str(t))}</text>'
            for i, t in enumerate(labels)]


def _empty(title: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} 60" width="100%" role="img" '
            f'aria-label="{_attr(title)}" font-family="sans-serif" font-size="13" class="chart">'
            f'<title>{escape(title)}</title><text x="8" y="34" fill="#555">Chưa có số liệu.</text></svg>')


def stacked_bar(title: str, labels: list, series: list[tuple[str, list[float]]]) -> str:
    """Bars of `labels`, each the sum of `series` [(name, values)] drawn one above another."""
    totals = [sum(values[i] for _name, values in series) for i in range(len(labels))]
    if not labels or not any(totals):
        return _empty(title)
    top = _nice_max(max(totals))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / len(labels)
    bar_w = step * 0.6
    legend = [(name, PALETTE[k % len(PALETTE)]) for k, (name, _v) in enumerate(series)] if len(series) > 1 else []
    out = _frame(title, top, legend)
    for i, total in enumerate(totals):
        x = LEFT + step * i + (step - bar_w) / 2
        base = TOP + plot_h
        for k, (name, values) in enumerate(series):
            h = plot_h * values[i] / top
            if h <= 0:
                continue
            base -= h
            out.append(f'<rect x="{x:.1f}" y="{base:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                       f'fill="{PALETTE[k % len(PALETTE)]}"><title>{escape(str(labels[i]))} · {escape(name)}: '
                       f'{vn_number(values[i])}</title></rect>')
        out.append(f'<text x="{x + bar_w / 2:.1f}" y="{base - 4:.1f}" text-anchor="middle" fill="#111">'
                   f"{vn_number(total)}</text>")
    out += _x_labels(labels, step)
    out.append("</svg>")
    return "".join(out)


def bar(title: str, labels: list, values: list[float], name: str = "") -> str:
    """One bar per label, its value written above it."""
    return stacked_bar(title, labels, [(name or title, values)])


def line(title: str, labels: list, series: list[tuple[str, list[float | None]]]) -> str:
    """Lines over `labels` (years), a dot and the value at each point; None leaves a gap."""
    values = [v for _n, vs in series for v in vs if v is not None]
    if not labels or not values:
        return _empty(title)
    top = _nice_max(max(values))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / len(labels)
    legend = [(name, PALETTE[k * 3 % len(PALETTE)]) for k, (name, _v) in enumerate(series)] if len(series) > 1 else []
    out = _frame(title, top, legend)
    for k, (_name, vs) in enumerate(series):
        colour = PALETTE[k * 3 % len(PALETTE)]
        points = [(LEFT + step * (i + 0.5), TOP + plot_h - plot_h * v / top, v) for i, v in enumerate(vs)
                  if v is not None]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _v in points)
        out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"/>')
        for x, y, v in points:
            out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>')
            out.append(f'<text x="{x:.1f}" y="{y - 8:.1f}" text-anchor="middle" fill="#111">{vn_number(v)}</text>')
    out += _x_labels(labels, step)
    out.append("</svg>")
    return "".join(out)


FONTS = ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
         "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
         "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"]


def _font(size: int):
    from PIL import ImageFont

    for path in FONTS:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default()  # no Vietnamese glyphs: only where none of the fonts above is installed


def png_bytes(svg: str, scale: int = 2) -> bytes:
    """The chart as PNG for a Word report, drawn with Pillow from the SVG this module writes (only its own
    elements: rect, line, polyline, circle, text at absolute coordinates), so the page and the report show the
    same chart. LibreOffice's writer-only package has no SVG export filter, and no other renderer is installed."""
    from PIL import Image, ImageDraw

    ns = "{http://www.w3.org/2000/svg}"
    root = ElementTree.fromstring(svg)
    _x, _y, w, h = (float(v) for v in root.get("viewBox").split())
    image = Image.new("RGB", (int(w * scale), int(h * scale)), "white")
    draw = ImageDraw.Draw(image)
    font = _font(int(float(root.get("font-size", 12)) * scale))

    def f(v) -> float:
        return float(v) * scale

    for el in root.iter():
        tag = el.tag.removeprefix(ns)
        if tag == "rect":
            x, y = f(el.get("x", 0)), f(el.get("y", 0))
            draw.rectangle([x, y, x + f(el.get("width")), y + f(el.get("height"))], fill=el.get("fill"))
        elif tag == "line":
            draw.line([f(el.get("x1")), f(el.get("y1")), f(el.get("x2")), f(el.get("y2"))],
                      fill=el.get("stroke"), width=scale)
        elif tag == "polyline":
            points = [tuple(f(c) for c in p.split(",")) for p in el.get("points").split()]
            if len(points) > 1:
                draw.line(points, fill=el.get("stroke"), width=int(float(el.get("stroke-width", 1)) * scale))
        elif tag == "circle":
            cx, cy, r = f(el.get("cx")), f(el.get("cy")), f(el.get("r"))
            draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=el.get("fill"))
        elif tag == "text":
            anchor = {"middle": "ms", "end": "rs"}.get(el.get("text-anchor"), "ls")
            draw.text((f(el.get("x")), f(el.get("y"))), el.text or "", fill=el.get("fill", "#000"), font=font,
                      anchor=anchor)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
