"""Who is an officer, which groups they may address, and the audited refusal when they reach outside.

Admins: `settings.admin_keys` ({(channel, user_key)}) from HOCBOT_ADMINS, plus Officer rows with role "admin".
Scope of an officer (OfficerScope rows):
  province P         → every group whose province is P (locality groups of P and of its communes, and code or
                       interest groups attributed to P)
  commune "C|P"      → groups of province P whose commune is C (case-insensitive)
  group NAME         → that group
Admins see every group and may address "all".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NoReturn

from sqlalchemy import false, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.context import UserFacingError
from bot.core.places import covers, covers_sql
from bot.db import repo
from bot.db.models import Group, Identity, User
from bot.db.models_officers import Officer, OfficerScope
from bot.settings import UNVERIFIED_CHANNELS, Settings
from handlers.officers.audience import GroupSel


class ScopeError(UserFacingError):
    """An officer tried to address something outside their scope (already written to the audit log)."""


@dataclass
class OfficerInfo:
    actor: str  # "telegram:123" or "cli"
    role: str  # admin | officer
    name: str = ""
    officer_id: int | None = None
    scopes: list[tuple[str, str]] = field(default_factory=list)

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


CLI_ADMIN = OfficerInfo(actor="cli", role="admin", name="CLI")


async def find_officer(s: AsyncSession, settings: Settings, channel: str, external_id: str) -> OfficerInfo | None:
    """The officer behind exactly this chat account, or None for a citizen.

    Rights never follow a linked account (/lienket), and a web chat session (its id is picked by the browser)
    is never an officer, whatever the database says."""
    if channel in UNVERIFIED_CHANNELS:
        return None
    actor = f"{channel}:{external_id}"
    stmt = select(Officer).where(Officer.channel == channel, Officer.external_id == external_id)
    row = (await s.exec(stmt)).first()
    if (channel, external_id) in settings.admin_keys:  # named by the chat account when no officer row names them
        name = row.name if row and row.name else await _account_name(s, channel, external_id)
        return OfficerInfo(actor, "admin", name, row.id if row else None)
    if row is None:
        return None
    scopes = (await s.exec(select(OfficerScope).where(OfficerScope.officer_id == row.id))).all()
    return OfficerInfo(actor, row.role, row.name, row.id, [(sc.kind, sc.value) for sc in scopes])


async def _account_name(s: AsyncSession, channel: str, external_id: str) -> str:
    stmt = (select(User.display_name).join(Identity, col(Identity.user_id) == col(User.id))
            .where(Identity.channel == channel, Identity.external_id == external_id))  # fmt: skip
    return (await s.exec(stmt)).first() or ""


def group_in_scope(officer: OfficerInfo, g: Group) -> bool:
    if any(kind == "group" and g.name == value for kind, value in officer.scopes):
        return True
    return place_in_scope(officer, g.province, g.commune)


def place_in_scope(officer: OfficerInfo, province: str | None, commune: str | None) -> bool:
    """Whether a place (a group's, a learning unit's) is the officer's: their province, or their commune of
    that province (compared without case). Admins: everywhere."""
    if officer.is_admin:
        return True
    return any(covers(*area, province, commune) for area in _areas(officer))


def _areas(officer: OfficerInfo) -> list[tuple[str, str | None]]:
    """The officer's place scopes as (province, commune or None)."""
    out: list[tuple[str, str | None]] = []
    for kind, value in officer.scopes:
        if kind == "province" and value:
            out.append((value, None))
        elif kind == "commune":
            scope_commune, _, scope_province = value.partition("|")
            if scope_province and scope_commune:
                out.append((scope_province, scope_commune))
    return out


def place_condition(officer: OfficerInfo, province_col: Any, commune_col: Any) -> Any:
    """`place_in_scope` as a SQL condition on two columns (None for an admin: no condition)."""
    if officer.is_admin:
        return None
    parts = [covers_sql(*area, province_col, commune_col) for area in _areas(officer)]
    return or_(*parts) if parts else false()


async def groups_in_scope(s: AsyncSession, officer: OfficerInfo) -> list[Group]:
    groups = (await s.exec(select(Group).order_by(col(Group.name)))).all()
    return [g for g in groups if group_in_scope(officer, g)]


async def all_groups(s: AsyncSession) -> dict[int, Group]:
    """Every group by id (for `selection_in_scope` over many rows)."""
    return {g.id: g for g in (await s.exec(select(Group))).all() if g.id is not None}


def selection_in_scope(officer: OfficerInfo, sel: GroupSel, groups: Mapping[int, Group]) -> bool:
    """THE scope rule for something addressed to groups (a broadcast, a campaign, a “--to”): an admin may address
    anything; an officer only existing groups that are all theirs — never "all", never nobody."""
    if officer.is_admin:
        return True
    ids = [] if sel == "all" else [int(i) for i in sel]
    return bool(ids) and all(i in groups and group_in_scope(officer, groups[i]) for i in ids)


async def allowed_groups(s: AsyncSession, officer: OfficerInfo, sel: GroupSel) -> list[Group] | None:
    """The chosen groups if the officer may address them (`selection_in_scope`; [] for an admin's "all"), else
    None. Nothing is written: `check_targets` is the audited form."""
    if sel == "all":
        return [] if officer.is_admin else None
    ids = sorted({int(i) for i in sel})
    if not ids:
        return []  # choosing nobody is refused by each form with its own words, not as a scope breach
    groups = list((await s.exec(select(Group).where(col(Group.id).in_(ids)))).all())
    return groups if selection_in_scope(officer, ids, {g.id: g for g in groups if g.id is not None}) else None


async def check_targets(s: AsyncSession, officer: OfficerInfo, sel: GroupSel, action: str) -> list[Group]:
    """`allowed_groups`, or audit the refusal and raise ScopeError."""
    groups = await allowed_groups(s, officer, sel)
    if groups is not None:
        return groups
    if sel == "all":
        await refuse(s, officer, action, {"targets": "all"})
    ids = [int(i) for i in sel]
    found = list((await s.exec(select(Group).where(col(Group.id).in_(ids)))).all())
    outside = [g.name for g in found if not group_in_scope(officer, g)]
    missing = sorted(set(ids) - {g.id for g in found if g.id is not None})
    await refuse(s, officer, action, {"outside": outside, "missing": missing})
    return []


async def refuse(s: AsyncSession, officer: OfficerInfo, action: str, detail: object) -> NoReturn:
    await repo.audit(s, officer.actor, action, detail, allowed=False)
    raise ScopeError("Nhóm này nằm ngoài phạm vi bạn phụ trách. Yêu cầu đã được ghi lại.")
