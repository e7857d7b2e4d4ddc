"""Contests of the Week (/thi): an officer's timed quiz for their unit, one attempt per person, native quiz
polls on Telegram and numbered answers elsewhere, leaderboards and winners' certificates. `chat.router` is
composed in handlers/__init__.py."""
