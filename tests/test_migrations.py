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


async def test_migrations_match_models_and_rerun_safely(db_url: str) -> None:
    db = Database(db_url)
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


async def test_a_database_one_migration_behind_is_still_upgraded(db_url: str) -> None:
    """The quick "already at head" check never skips a migration a database lacks."""
    from bot.db.migrate import at_head

    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    head = script.get_revision(script.get_current_head())
    db = Database(db_url)
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
