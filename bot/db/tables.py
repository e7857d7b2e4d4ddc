"""Imports every table module so SQLModel.metadata is complete (Alembic and tests rely on it)."""

from sqlmodel import SQLModel

from bot.db import (
    models,  # noqa: F401
    models_campaigns,  # noqa: F401
    models_contests,  # noqa: F401
    models_dashboard,  # noqa: F401
    models_faq,  # noqa: F401
    models_initiatives,  # noqa: F401
    models_learning,  # noqa: F401
    models_learning_models,  # noqa: F401
    models_officers,  # noqa: F401
    models_web,  # noqa: F401
    models_zalo,  # noqa: F401
)

metadata = SQLModel.metadata
