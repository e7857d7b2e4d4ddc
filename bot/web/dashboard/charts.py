"""Server-side SVG charts (no JavaScript, no CDN): a line chart over weeks and a horizontal bar chart."""

from __future__ import annotations

from html import escape

from markupsafe import Markup

W, H, PAD_L, PAD_R, PAD_T, PAD_B = 640, 240, 48, 16, 16, 40
COLOR = "#175ca0"


def _n(value: float) -> str:
    """Vietnamese digit grouping: 12.345."""
    return f"{int(value):,}".replace(",", ".")


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    step = 10 ** (len(str(int(value))) - 1)
    return float(((int(value) // step) + 1) * step)


def line_chart(points: list[tuple[str, int]], title: str) -> Markup:
    """Labels on the x axis, values on the y axis; a polyline with dots and the last value written."""
    if not points:
        return Markup(f'<p class="muted">{escape(title)}: chưa có số liệu.</p>')
    top = _nice_max(max(v for _, v in points))
    iw, ih = W - PAD_L - PAD_R, H - PAD_T - PAD_B
    n = len(points)

    def xy(i: int, v: int) -> tuple[float, float]:
        x = PAD_L + (iw * i / (n - 1) if n > 1 else iw / 2)
        return round(x, 1), round(PAD_T + ih - ih * v / top, 1)

    coords = [xy(i, v) for i, (_, v) in enumerate(points)]
    parts = [
        f'<svg class="chart" viewBox="0 0 {W} {H}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for frac in (0, 0.5, 1):
        y = PAD_T + ih - ih * frac
        parts.append(f'<line x1="{PAD_L}" y1="{y}" x2="{W - PAD_R}" y2="{y}" class="grid"/>')
        parts.append(f'<text x="{PAD_L - 6}" y="{y + 4}" text-anchor="end">{_n(top * frac)}</text>')
    parts.append(
        f'<polyline fill="none" stroke="{COLOR}" stroke-width="3" points="'
        + " ".join(f"{x},{y}" for x, y in coords) + '"/>'
    )
    every = max(1, n // 6)
    for i, ((label, v), (x, y)) in enumerate(zip(points, coords, strict=True)):
        parts.append(f'<circle cx="{x}" cy="{y}" r="4" fill="{COLOR}"><title>{escape(label)}: {v}</title></circle>')
        if i % every == 0 or i == n - 1:
            parts.append(f'<text x="{x}" y="{H - PAD_B + 18}" text-anchor="middle">{escape(label)}</text>')
    lx, ly = coords[-1]
    parts.append(f'<text x="{lx}" y="{ly - 10}" text-anchor="end" class="val">{_n(points[-1][1])}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def bar_chart(bars: list[tuple[str, int]], title: str) -> Markup:
    """One horizontal bar per label with its value; height grows with the number of bars."""
    if not bars:
        return Markup(f'<p class="muted">{escape(title)}: chưa có số liệu.</p>')
    top = _nice_max(max(v for _, v in bars))
    row, label_w = 30, 200
    height = PAD_T + row * len(bars) + 8
    bw = W - label_w - 70
    parts = [
        f'<svg class="chart" viewBox="0 0 {W} {height}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for i, (label, v) in enumerate(bars):
        y = PAD_T + i * row
        width = round(bw * v / top, 1)
        short = label if len(label) <= 28 else label[:27] + "…"
        parts.append(f'<text x="{label_w - 8}" y="{y + 18}" text-anchor="end">{escape(short)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 4}" width="{width}" height="20" rx="3" fill="{COLOR}">'
                     f"<title>{escape(label)}: {v}</title></rect>")
        parts.append(f'<text x="{label_w + width + 6}" y="{y + 19}" class="val">{_n(v)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
