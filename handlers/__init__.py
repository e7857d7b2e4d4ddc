"""Features: one package each, with its chat handlers (chat.py), its platform-free service and its texts.
`build_router` composes the features' routers in one visible place; the order is the order of matching."""

from __future__ import annotations

from bot.core.router import Router


def build_router() -> Router:
    """Every feature router, included once."""
    from handlers.answers import chat as answers
    from handlers.contests import chat as contests
    from handlers.initiatives import chat as initiatives
    from handlers.learning import chat as learning
    from handlers.learning import progress, quiz
    from handlers.learning_models import chat as learning_models
    from handlers.officers import chat as officers
    from handlers.officers import web_login
    from handlers.onboarding import link, privacy, settings, start, system
    from handlers.week import campaign_chat
    from handlers.week import chat as week

    return Router("root").include(
        system.router,
        start.router,
        settings.router,
        privacy.router,
        link.router,
        learning.router,
        quiz.router,
        progress.router,
        week.router,
        learning_models.router,
        initiatives.router,
        contests.router,
        campaign_chat.router,
        answers.router,
        officers.router,
        web_login.router,
    )
