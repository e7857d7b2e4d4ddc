"""Initiatives (“sáng kiến”): citizens and learning units send one, officers shortlist, praise and publish
them. `chat.router` is composed in handlers/__init__.py; the dashboard page is bot/web/dashboard/initiatives.py."""
