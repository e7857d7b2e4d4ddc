"""Fake Zalo servers: the Bot Platform (FakeZaloBot) and the Official Account API (FakeZaloOA)."""

from tests.fakes.zalo_bot_server import FakeBotUser, FakeZaloBot
from tests.fakes.zalo_oa_server import FakeOAUser, FakeZaloOA

__all__ = ["FakeBotUser", "FakeOAUser", "FakeZaloBot", "FakeZaloOA"]
