"""The dashboard's charts: whole-number y ticks, labels never cut, text never scaled down."""

from __future__ import annotations

import re
from itertools import pairwise

from bot.web.dashboard.charts import MAX_TICKS, bar_chart, line_chart, y_ticks


def test_y_ticks_are_whole_evenly_spaced_and_cover_the_largest_value() -> None:
    assert y_ticks(4) == [0, 1, 2, 3, 4]  # was 0, 2, 5 (2.5 rounded)
    assert y_ticks(29) == [0, 10, 20, 30] and y_ticks(0) == [0, 1] and y_ticks(12_345) == [0, 5000, 10000, 15000]
    for largest in range(0, 3000):
        ticks = y_ticks(largest)
        steps = {b - a for a, b in pairwise(ticks)}
        assert ticks[0] == 0 and ticks[-1] >= largest and len(steps) == 1 and len(ticks) - 1 <= MAX_TICKS


def test_line_chart_labels_are_pixels_and_ticks_whole() -> None:
    svg = str(line_chart([(f"{d:02d}/11", v) for d, v in ((2, 0), (9, 1), (16, 3), (23, 4))], "Người đăng ký"))
    outer = svg.split(">", 1)[0]
    assert "viewBox" not in outer and 'height="220"' in outer  # text is drawn at its CSS size, not scaled
    assert re.findall(r'class="tick">([^<]*)<', svg) == ["0", "1", "2", "3", "4"]
    assert svg.count("<circle") == 4 and "23/11: 4" in svg


def test_bar_labels_are_whole() -> None:
    label = "2. Chatbot và ChatGPT: hỏi sao cho hay, hỏi gì cũng được"
    html = str(bar_chart([(label, 9), ("1. AI là gì? AI quanh ta", 0)], "Lượt học xong"))
    assert f'<span class="bar-label">{label}</span>' in html and "…" not in html
    assert 'width="100.0%"' in html and 'width="0.0%"' in html
