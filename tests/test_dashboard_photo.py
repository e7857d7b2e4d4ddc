"""Dashboard broadcast photos: strict https links, and a draft never makes the browser fetch another host."""

from __future__ import annotations

import pytest

from bot.core.messages import Reply
from bot.web.dashboard.broadcasts import photo_ok
from bot.web.dashboard.render import render, templates


@pytest.mark.parametrize(
    "url",
    [
        'https://e.example/a.png"onerror="alert(1)',
        "https://e.example/a.png'x",
        "https://e.example/<script>",
        "http://e.example/a.png",
        "javascript:alert(1)",
        "https://",
        "https:///a.png",
        "https://user@e.example/a.png",
        "https://e.example:99999/a.png",
        "https://e.example/a b.png",
        "https://e.example/a.png\n",
    ],
)
def test_photo_links_that_are_refused(url: str) -> None:
    assert not photo_ok(url)


def test_a_proper_https_photo_link_is_accepted() -> None:
    assert photo_ok("https://khuyenhoc.vn/anh/tuan-le-2026.jpg?w=800")


def test_drafts_show_outside_photos_as_links_and_the_csp_allows_only_own_images() -> None:
    macros = templates().get_template("macros.html").module
    html = str(macros.telegram(Reply("Thông báo", image="https://e.example/a.png")))  # type: ignore[attr-defined]
    html += str(macros.zalo("Thông báo", "https://e.example/a.png"))  # type: ignore[attr-defined]
    assert "<img" not in html and 'href="https://e.example/a.png"' in html
    csp = render("login.html", state="help").headers["Content-Security-Policy"]
    img = next(part.strip() for part in csp.split(";") if part.strip().startswith("img-src"))
    assert img == "img-src 'self' data:"
