"""The Alembic chain builds exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from bot.db.engine import Database
from bot.db.migrate import alembic_config, upgrade
from bot.db.tables import metadata


def test_one_head() -> None:
    heads = ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()
    assert len(heads) == 1, f"migrations have diverged: {heads}"


async def test_migrations_match_models_and_rerun_safely(empty_db_url: str) -> None:
    db = Database(empty_db_url)
    try:
        await upgrade(db)
        await upgrade(db)  # a second start-up is a no-op

        def diff(conn):  # type: ignore[no-untyped-def]
            ctx = MigrationContext.configure(conn, opts={"compare_type": False})
            return compare_metadata(ctx, metadata)

        async with db.engine.connect() as conn:
            changes = await conn.run_sync(diff)
        assert changes == [], f"models changed without a migration (python -m bot.db.autogen): {changes}"
    finally:
        await db.dispose()


def test_start_up_reads_the_same_head_as_alembic() -> None:
    """`hocbot run` decides "nothing to migrate" without loading Alembic: it must see the head Alembic sees."""
    from bot.db.migrate import script_heads

    heads = ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()
    assert script_heads() == frozenset(heads)


async def test_a_database_one_migration_behind_is_still_upgraded(empty_db_url: str) -> None:
    """The quick "already at head" check never skips a migration a database lacks."""
    from bot.db.migrate import at_head

    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    head = script.get_revision(script.get_current_head())
    db = Database(empty_db_url)
    try:
        assert not await at_head(db)  # a new database
        await upgrade(db, str(head.down_revision))
        assert not await at_head(db)
        await upgrade(db)
        assert await at_head(db)
        async with db.engine.connect() as conn:
            from sqlalchemy import text

            versions = [r[0] for r in await conn.execute(text("SELECT version_num FROM alembic_version"))]
        assert versions == [head.revision]
    finally:
        await db.dispose()


async def test_campaigns_and_broadcasts_made_before_keep_their_groups_in_the_one_stored_form(empty_db_url: str) -> None:
    """Campaigns stored everyone as the bare word `all` (broadcasts as JSON `"all"`): after the migration both read
    the same, so a Week plan for everyone made before is still found and the same plan is refused a second time."""
    import datetime as dt

    import pytest
    from sqlalchemy import text

    from bot.app import build_services
    from handlers.week import campaign_store as store
    from tests.conftest import make_settings

    db = Database(empty_db_url)
    try:
        await upgrade(db, "b5d6e7f8a953")
        async with db.engine.begin() as conn:
            await conn.execute(text(
                "INSERT INTO campaigns (name, groups, text, kind, offset_days, hour, minute, year, paused, created_by,"
                " created_at) VALUES ('Tuần lễ 2027 — 7 ngày trước', 'all', 'Nhắc', 'week', -7, 8, 0, 2027, false,"
                " 'cli', '2027-01-01 00:00:00'), ('Họp', '[3, 1]', 'Họp', 'cron', 0, 8, 0, NULL, false, 'cli',"
                " '2027-01-01 00:00:00')"))  # fmt: skip
            await conn.execute(text("INSERT INTO broadcasts (created_by, text, group_ids, kind, status, recipients,"
                                    " created_at, report_sent) VALUES ('cli', 'x', '[2, 1, 2]', 'broadcast', 'done', 0,"
                                    " '2027-01-01 00:00:00', false)"))  # fmt: skip
        await upgrade(db)
        async with db.engine.connect() as conn:
            campaigns = [r[0] for r in await conn.execute(text("SELECT groups FROM campaigns ORDER BY id"))]
            broadcasts = [r[0] for r in await conn.execute(text("SELECT group_ids FROM broadcasts"))]
        assert campaigns == ['"all"', "[1, 3]"] and broadcasts == ["[1, 2]"]
    finally:
        await db.dispose()
    svc = await build_services(make_settings(empty_db_url))
    try:
        async with svc.db.session() as s:
            with pytest.raises(store.CampaignError, match="đã có rồi"):
                now = dt.datetime(2027, 1, 5, tzinfo=dt.UTC)
                await store.week_plan(s, svc.settings, now, svc.catalog.week, 2027, "all")
    finally:
        await svc.db.dispose()
