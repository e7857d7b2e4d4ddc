"""Imports every table module so SQLModel.metadata is complete (Alembic and tests rely on it)."""

from sqlmodel import SQLModel

from bot.db import models  # noqa: F401
from bot.db import models_officers  # noqa: F401
from bot.db import models_zalo  # noqa: F401
from bot.db import models_learning  # noqa: F401
from bot.db import models_campaigns  # noqa: F401
from bot.db import models_faq  # noqa: F401

metadata = SQLModel.metadata
