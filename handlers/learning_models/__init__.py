"""The five learning models (Gia đình, Dòng họ, Cộng đồng, Đơn vị, Công dân học tập): registration, invite
codes, self-assessment, the commune's decision and the roll-up. `chat.router` is composed in handlers/__init__.py."""

from __future__ import annotations

from typing import Any


def install(rt: Any) -> None:
    """/xoadulieu also deletes the person's learning-model units, memberships and who answered."""
    from handlers.learning_models import service

    async def forget(s: Any, user_id: int) -> None:
        await service.forget(s, user_id)

    rt.services.forget_hooks.append(forget)
