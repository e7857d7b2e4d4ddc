"""Server-side charts (no JavaScript, no CDN, no inline styles): a line chart over weeks and a bar list.

Text is never scaled: the line chart's SVG has no viewBox (its units are CSS pixels, x positions are
percentages), so its labels are as big on a phone as on a laptop (13 px, dashboard.css); only the line itself
sits in a stretched inner SVG. The bars are an HTML list whose labels wrap instead of being cut.
"""

from __future__ import annotations

from html import escape

from markupsafe import Markup

H, PAD_T, PAD_B = 220, 22, 30  # pixels: the plot lies between PAD_T and H - PAD_B
INSET = 3.0  # percent of the width kept free left and right of the first and last point
COLOR = "#175ca0"
MAX_TICKS = 4  # intervals on the y axis at most


def _n(value: float) -> str:
    """Vietnamese digit grouping: 12.345."""
    return f"{int(value):,}".replace(",", ".")


def y_ticks(largest: int) -> list[int]:
    """Whole, evenly spaced ticks from 0 to at least `largest` (steps of 1, 2, 5, 10, 20, 50 …)."""
    if largest <= 0:
        return [0, 1]
    step = 1
    while True:
        for factor in (1, 2, 5):
            if -(-largest // (step * factor)) <= MAX_TICKS:
                s = step * factor
                return list(range(0, s * -(-largest // s) + 1, s))
        step *= 10


def line_chart(points: list[tuple[str, int]], title: str) -> Markup:
    """Labels on the x axis, whole-number ticks on the y axis; a line with dots and the last value written."""
    if not points:
        return Markup(f'<p class="muted">{escape(title)}: chưa có số liệu.</p>')
    ticks = y_ticks(max(v for _, v in points))
    top = ticks[-1]
    ih = H - PAD_T - PAD_B
    n = len(points)

    def x_pct(i: int) -> float:
        return round(INSET + (100 - 2 * INSET) * (i / (n - 1) if n > 1 else 0.5), 2)

    def y_px(v: int) -> float:
        return round(PAD_T + ih - ih * v / top, 1)

    parts = [
        f'<svg class="chart line-chart" width="100%" height="{H}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for v in ticks:
        y = y_px(v)
        parts.append(f'<line x1="0" y1="{y}" x2="100%" y2="{y}" class="grid"/>')
        parts.append(f'<text x="2" y="{y - 4}" class="tick">{_n(v)}</text>')
    # the line alone is stretched to the width: 1000 units across, pixels down; its stroke is not scaled
    line = " ".join(f"{x_pct(i) * 10:.1f},{y_px(v) - PAD_T:.1f}" for i, (_, v) in enumerate(points))
    parts.append(
        f'<svg x="0" y="{PAD_T}" width="100%" height="{ih}" viewBox="0 0 1000 {ih}" preserveAspectRatio="none" '
        f'overflow="visible"><polyline fill="none" stroke="{COLOR}" stroke-width="3" '
        f'vector-effect="non-scaling-stroke" points="{line}"/></svg>'
    )
    every = max(1, -(-n // 5))  # at most 5 dates: they fit a phone
    for i, (label, v) in enumerate(points):
        x, y = x_pct(i), y_px(v)
        parts.append(f'<circle cx="{x}%" cy="{y}" r="4" fill="{COLOR}"><title>{escape(label)}: {v}</title></circle>')
        if (i % every == 0 and n - 1 - i >= every) or i == n - 1:  # the last date always, never crowded
            anchor = "start" if i == 0 and n > 1 else "end" if i == n - 1 and n > 1 else "middle"
            parts.append(f'<text x="{x}%" y="{H - 8}" text-anchor="{anchor}">{escape(label)}</text>')
    lx, ly = x_pct(n - 1), y_px(points[-1][1])
    parts.append(f'<text x="{lx}%" y="{max(14.0, ly - 10)}" text-anchor="end" class="val">'
                 f"{_n(points[-1][1])}</text>")  # fmt: skip
    parts.append("</svg>")
    return Markup("".join(parts))


def bar_chart(bars: list[tuple[str, int]], title: str) -> Markup:
    """One row per label: the whole label (it wraps on a phone), then its bar and value."""
    if not bars:
        return Markup(f'<p class="muted">{escape(title)}: chưa có số liệu.</p>')
    top = max(1, max(v for _, v in bars))
    rows = []
    for label, v in bars:
        pct = round(100 * v / top, 1)
        rows.append(
            f'<li><span class="bar-label">{escape(label)}</span><span class="bar-line">'
            f'<svg class="bar" width="100%" height="18" aria-hidden="true" xmlns="http://www.w3.org/2000/svg">'
            f'<rect width="{pct}%" height="18" rx="3" fill="{COLOR}"><title>{escape(label)}: {v}</title></rect></svg>'
            f'<b class="val">{_n(v)}</b></span></li>'
        )
    return Markup(f'<ol class="bar-chart" aria-label="{escape(title)}">{"".join(rows)}</ol>')
