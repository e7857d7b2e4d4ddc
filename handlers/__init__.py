"""Conversation logic per feature; `build_router` composes them in one visible place."""

from __future__ import annotations

from bot.router import Router


def build_router() -> Router:
    """Every feature router, included once."""
    from handlers import (
        campaign_chat,
        faq,
        learn,
        link,
        officer,
        privacy,
        progress,
        quiz,
        settings,
        soon,
        start,
        system,
        web_login,
        week,
    )
    from handlers.initiatives import chat as initiatives_chat
    from handlers.learning_models import chat as learning_models_chat

    root = Router("root").include(
        system.router,
        start.router,
        settings.router,
        privacy.router,
        link.router,
        learn.router,
        quiz.router,
        progress.router,
        week.router,
        learning_models_chat.router,
        initiatives_chat.router,
        campaign_chat.router,
        faq.router,
        officer.router,
        web_login.router,
    )
    soon.fill_missing(root)
    return root
