"""Initiatives (“sáng kiến”): citizens and learning units send one, officers shortlist, praise and publish
them. `chat.router` is composed in handlers/__init__.py; the dashboard page is bot/web/dashboard/initiatives.py."""

from __future__ import annotations

from typing import Any


def install(rt: Any) -> None:
    """/xoadulieu also deletes the person's initiatives (and takes them out of published announcements)."""
    from handlers.initiatives import service

    rt.services.forget_hooks.append(service.forget)
