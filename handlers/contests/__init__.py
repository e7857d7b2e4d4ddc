"""Contests of the Week (/thi): an officer's timed quiz for their unit, one attempt per person, native quiz
polls on Telegram and numbered answers elsewhere, leaderboards and winners' certificates. `chat.router` is
composed in handlers/__init__.py."""

from __future__ import annotations

from typing import Any


def install(rt: Any) -> None:
    """Map sent quiz polls to contest attempts; move on when a poll closes unanswered; /xoadulieu deletes the
    person's attempts."""
    from handlers.contests import service, timer

    db = rt.services.db

    async def poll_sent(user_id: int, ref: str, poll_id: str) -> None:
        if ref.startswith("c:"):
            async with db.session() as s:
                await service.record_poll(s, user_id, ref, poll_id)

    rt.services.poll_sent_hooks.append(poll_sent)
    rt.services.forget_hooks.append(service.forget)
    rt.background.append(timer.timer_background)
