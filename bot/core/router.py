"""Routes an Inbound to the handler that owns it: commands, buttons, menu labels, states, free text."""

from __future__ import annotations

import difflib
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from bot.core.callback import unpack
from bot.core.context import Ctx
from bot.core.messages import Inbound, Kind, Reply
from content.textnorm import fold, strip_marks

Handler = Callable[[Ctx, Inbound], Awaitable[list[Reply]]]
# A flow that waits for an answer across messages (the quiz): given what another handler replied, and whether
# that was only an aside (a look at something, not a move elsewhere), it adds what brings the user back.
Waiting = Callable[[Ctx, list[Reply], bool], Awaitable[list[Reply]]]


@dataclass(frozen=True)
class Route:
    handler: Handler
    consent: bool = False  # needs stored consent (it keeps personal data)
    aside: bool = False  # only shows something (help, progress, an answer): a waiting question is asked again


NEAR_COMMAND = 0.75  # difflib ratio of a mistyped command to the one it is taken for ("tiendoo" → "tiendo" 0.92)
_NOT_LETTER = re.compile(r"[^a-z0-9]")


def menu_key(label: str) -> str:
    """Compare menu labels without emoji, case or accents."""
    return " ".join(fold(label).split())


@dataclass
class Router:
    """One router per feature; the composition root includes them all into one."""

    name: str
    commands: dict[str, Route] = field(default_factory=dict)
    actions: dict[str, Route] = field(default_factory=dict)
    states: dict[str, Route] = field(default_factory=dict)
    menus: dict[str, Route] = field(default_factory=dict)
    kinds: dict[Kind, Route] = field(default_factory=dict)
    text: Route | None = None
    waiting: list[Waiting] = field(default_factory=list)

    def command(self, *names: str, consent: bool = False, aside: bool = False) -> Callable[[Handler], Handler]:
        def deco(fn: Handler) -> Handler:
            for n in names:
                self._put(self.commands, n.lower(), Route(fn, consent, aside))
            return fn

        return deco

    def action(self, *names: str, consent: bool = False, aside: bool = False) -> Callable[[Handler], Handler]:
        def deco(fn: Handler) -> Handler:
            for n in names:
                self._put(self.actions, n, Route(fn, consent, aside))
            return fn

        return deco

    def state(self, *names: str) -> Callable[[Handler], Handler]:
        def deco(fn: Handler) -> Handler:
            for n in names:
                self._put(self.states, n, Route(fn))
            return fn

        return deco

    def menu(self, *labels: str, consent: bool = False, aside: bool = False) -> Callable[[Handler], Handler]:
        def deco(fn: Handler) -> Handler:
            for label in labels:
                self._put(self.menus, menu_key(label), Route(fn, consent, aside))
            return fn

        return deco

    def on(self, *kinds: Kind) -> Callable[[Handler], Handler]:
        def deco(fn: Handler) -> Handler:
            for k in kinds:
                self._put(self.kinds, k, Route(fn))
            return fn

        return deco

    def free_text(self, fn: Handler) -> Handler:
        """Any other text: a question, an aside in whatever flow waits."""
        self.text = Route(fn, aside=True)
        return fn

    def keeps(self, fn: Waiting) -> Waiting:
        """Register a flow that outlives other handlers: after every text or button it did not answer itself."""
        self.waiting.append(fn)
        return fn

    def include(self, *others: Router) -> Router:
        for other in others:
            for mine, theirs in (
                (self.commands, other.commands),
                (self.actions, other.actions),
                (self.states, other.states),
                (self.menus, other.menus),
                (self.kinds, other.kinds),
            ):
                for key, route in theirs.items():
                    self._put(mine, key, route)  # type: ignore[arg-type]
            self.waiting.extend(other.waiting)
            if other.text is not None:
                if self.text is not None:
                    raise ValueError(f"two free-text handlers ({self.name}, {other.name})")
                self.text = other.text
        return self

    def _put(self, table: dict, key: object, route: Route) -> None:  # type: ignore[type-arg]
        if key in table:
            raise ValueError(f"{self.name}: {key!r} registered twice")
        table[key] = route

    def resolve_action(self, data: str) -> Route | None:
        return self.actions.get(unpack(data).action)

    def near_command(self, name: str, args: str = "") -> str | None:
        """The command a mistyped one was meant to be: typed with accents or spaces ("/tiến độ", "/kiem tra"),
        or one letter or two off ("/tiendoo", "/hocc"); None when nothing is that near or two are as near."""
        typed = _NOT_LETTER.sub("", strip_marks(name.lower()))
        joined = typed + _NOT_LETTER.sub("", strip_marks(args.lower())) if len(args.split()) <= 2 else typed
        for key in (typed, joined):
            if key in self.commands:
                return key
        if not typed:
            return None
        ranked = sorted(((difflib.SequenceMatcher(None, typed, c).ratio(), c) for c in self.commands), reverse=True)
        best, second = ranked[0], ranked[1] if len(ranked) > 1 else (0.0, "")
        if best[0] < NEAR_COMMAND or best[0] == second[0]:
            return None
        return best[1]

    def resolve_menu(self, text: str) -> Route | None:
        return self.menus.get(menu_key(text)) if len(text) <= 40 else None
