"""Button payloads as typed values: one class per button, packed and read back here, on top of callback.pack.

Handlers build `Choice(label, OpenLesson("m1", 2).pack())` and read `OpenLesson.read(msg.choice)`; the router
registers `OpenLesson.action`. The packed form is the one buttons have always carried (“ls|m1|2”), so a button in a
message sent before this module existed still works. Officers name a button by a spec (`module:m1`, `lesson:m1:0`,
`quiz:m1`: campaigns, the dashboard, `hocbot broadcast send --button`): `from_spec` is the one reader of those.
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, fields
from typing import ClassVar, Self

from bot.core.callback import pack, parse_int, unpack


@dataclass(frozen=True)
class Button:
    """A button's payload: `action` names the handler, the fields are its arguments (short ids, never free text)."""

    action: ClassVar[str]

    def pack(self) -> str:
        return pack(self.action, *(getattr(self, name) for name in _names(type(self))))

    @classmethod
    def read(cls, data: str | None) -> Self | None:
        """The payload if `data` is this button's (an argument left out takes its default); None for another
        button's data or a mangled one."""
        p = unpack(data or "")
        if p.action != cls.action:
            return None
        values: list[object] = []
        for i, f in enumerate(fields(cls)):
            raw = p.args[i] if i < len(p.args) else None
            if raw is None:
                if f.default is MISSING:
                    return None
                values.append(f.default)
            elif f.type == "int":
                n = parse_int(raw)
                if n is None:
                    return None
                values.append(n)
            else:
                values.append(raw)
        return cls(*values)


_NAMES: dict[type, tuple[str, ...]] = {}


def _names(cls: type[Button]) -> tuple[str, ...]:
    """A button class's fields in order (`dataclasses.fields` builds them again on every call)."""
    names = _NAMES.get(cls)
    if names is None:
        names = _NAMES[cls] = tuple(f.name for f in fields(cls))
    return names


# ---- onboarding ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Start(Button):
    """“▶️ Bắt đầu”: /start from a button."""

    action: ClassVar[str] = "start"


@dataclass(frozen=True)
class RunCommand(Button):
    """“▶️ /tiendo” under “Có phải bạn muốn gõ /tiendo?”: a mistyped command's nearest one, run by the dispatcher."""

    action: ClassVar[str] = "cmd"
    name: str = ""


@dataclass(frozen=True)
class YesNo(Button):
    """A question's answer: "y" is yes, anything else (or nothing) no."""

    answer: str = "n"

    @property
    def yes(self) -> bool:
        return self.answer == "y"


@dataclass(frozen=True)
class Consent(YesNo):
    action: ClassVar[str] = "consent"


@dataclass(frozen=True)
class ChooseProvince(Button):
    """A province by its index in content's province list, or "-" to skip."""

    action: ClassVar[str] = "prov"
    choice: str = "-"


@dataclass(frozen=True)
class SkipCommune(Button):
    action: ClassVar[str] = "commune"


@dataclass(frozen=True)
class PickCommune(Button):
    """One of the communes the question “which one?” offered, by its place in that list."""

    action: ClassVar[str] = "cpick"
    index: int = -1


@dataclass(frozen=True)
class Setting(Button):
    """/caidat: "place", "pause", "resume", "hide" or "show"."""

    action: ClassVar[str] = "set"
    what: str = ""


@dataclass(frozen=True)
class Unsubscribe(YesNo):
    action: ClassVar[str] = "unsub"


@dataclass(frozen=True)
class Forget(YesNo):
    """/xoadulieu's question."""

    action: ClassVar[str] = "forget"


# ---- learning ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ModuleList(Button):
    """The course: every module with the learner's progress."""

    action: ClassVar[str] = "toc"


@dataclass(frozen=True)
class OpenModule(Button):
    """A module, at the lesson where the learner left it."""

    action: ClassVar[str] = "lo"
    module_id: str


@dataclass(frozen=True)
class OpenLesson(Button):
    """One lesson of a module (`index` from 0): “Tiếp”, “Quay lại”."""

    action: ClassVar[str] = "ls"
    module_id: str
    index: int = 0


@dataclass(frozen=True)
class StartQuiz(Button):
    """Start (or resume) a module's quiz."""

    action: ClassVar[str] = "qs"
    module_id: str


@dataclass(frozen=True)
class AnswerQuiz(Button):
    """Option `option` of question `index` of quiz attempt `attempt_id`."""

    action: ClassVar[str] = "qa"
    attempt_id: int
    index: int
    option: int


@dataclass(frozen=True)
class QuizMenu(Button):
    action: ClassVar[str] = "qmenu"


@dataclass(frozen=True)
class ShowProgress(Button):
    action: ClassVar[str] = "pg"


@dataclass(frozen=True)
class GetCertificate(Button):
    action: ClassVar[str] = "cert"


@dataclass(frozen=True)
class RenameCertificate(Button):
    action: ClassVar[str] = "certname"


@dataclass(frozen=True)
class CertificateNameOk(Button):
    action: ClassVar[str] = "certok"


# ---- answers -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Feedback(Button):
    """👍 (`vote` "u") or 👎 ("d") on the answer logged as `log_id`; `tag` says which kind of answer it was."""

    action: ClassVar[str] = "fb"
    log_id: int
    vote: str
    tag: str = ""


@dataclass(frozen=True)
class OpenFaq(Button):
    """A suggested FAQ entry (“Có phải bạn muốn hỏi…”)."""

    action: ClassVar[str] = "faq"
    faq_id: str


@dataclass(frozen=True)
class NoneOfThese(Button):
    """None of the suggestions fits the question logged as `log_id` (`tag`: only the asker can press it)."""

    action: ClassVar[str] = "faqx"
    log_id: int
    tag: str = ""


# ---- officers' announcements (handlers/officers/chat.py) -----------------------------------------------------


@dataclass(frozen=True)
class PickGroup(Button):
    """A group id, "all" or "done" while an officer picks who gets an announcement."""

    action: ClassVar[str] = "bcg"
    choice: str


@dataclass(frozen=True)
class SendBroadcast(Button):
    action: ClassVar[str] = "bcok"
    broadcast_id: str


@dataclass(frozen=True)
class CancelBroadcast(Button):
    """Cancel the draft `broadcast_id`, or "-" for one not saved yet."""

    action: ClassVar[str] = "bcx"
    broadcast_id: str = "-"


# ---- the Week (handlers/week/chat.py) ------------------------------------------------------------------------


@dataclass(frozen=True)
class WeekReminder(Button):
    """“Nhắc tôi” ("on") or stop the Week's reminders ("off")."""

    action: ClassVar[str] = "wk"
    turn: str = "on"


# ---- the learning models (handlers/learning_models) ---------------------------------------------------------


@dataclass(frozen=True)
class MyUnits(Button):
    """/mohinh: the person's learning units this year."""

    action: ClassVar[str] = "lm"


@dataclass(frozen=True)
class NewUnit(Button):
    action: ClassVar[str] = "lmn"
    model_id: str


@dataclass(frozen=True)
class JoinUnit(Button):
    """Join a unit with the code its owner shares."""

    action: ClassVar[str] = "lmj"


@dataclass(frozen=True)
class UnitButton(Button):
    """A button about one learning unit: `unit_id` comes first, so `read_any` serves them all."""

    unit_id: int


@dataclass(frozen=True)
class ViewUnit(UnitButton):
    action: ClassVar[str] = "lmv"


@dataclass(frozen=True)
class UnitCertificate(UnitButton):
    action: ClassVar[str] = "lmc"


@dataclass(frozen=True)
class AssessUnit(UnitButton):
    action: ClassVar[str] = "lma"


@dataclass(frozen=True)
class SubmitUnit(UnitButton):
    action: ClassVar[str] = "lms"


@dataclass(frozen=True)
class AnswerCriterion(UnitButton):
    """Yes (1) or no (0) to one self-declared criterion of the unit."""

    action: ClassVar[str] = "lmy"
    criterion: str = ""
    yes: int = 0


@dataclass(frozen=True)
class ReviewUnits(Button):
    """/duyetmohinh: the units in an officer's scope waiting for a decision."""

    action: ClassVar[str] = "lmo"


@dataclass(frozen=True)
class OfficerUnit(UnitButton):
    action: ClassVar[str] = "lmu"


@dataclass(frozen=True)
class DecideUnit(UnitButton):
    """An officer's "confirm", "return" or "recognise"."""

    action: ClassVar[str] = "lmd"
    decision: str = ""


# ---- contests of the Week (handlers/contests) ----------------------------------------------------------------


@dataclass(frozen=True)
class ContestList(Button):
    """/thi: the contests open for the reader's place."""

    action: ClassVar[str] = "ctl"


@dataclass(frozen=True)
class OpenContest(Button):
    action: ClassVar[str] = "ctj"
    contest_id: int


def read_any(data: str | None) -> Button | None:
    """Whichever typed button `data` is (None for data no button class packs, or a mangled one)."""

    def typed(cls: type[Button]) -> list[type[Button]]:
        return [c for sub in cls.__subclasses__() for c in ([sub] if hasattr(sub, "action") else []) + typed(sub)]

    cls = next((c for c in typed(Button) if c.action == unpack(data or "").action), None)
    return cls.read(data) if cls is not None else None


# ---- what officers attach to a message -----------------------------------------------------------------------

SPECS: dict[str, type[Button]] = {"module": OpenModule, "lesson": OpenLesson, "quiz": StartQuiz, "contest": OpenContest}
BARE_SPECS: dict[str, type[Button]] = {"contest": ContestList}  # the spec without arguments: `contest` opens /thi
SPEC_LABELS = {"module": "📚 Học ngay", "lesson": "📖 Đọc bài", "quiz": "📝 Làm bài kiểm tra", "contest": "🏆 Vào thi"}
E_SPEC = "nút không hợp lệ: {spec!r} (dùng module:m1, lesson:m1:0, quiz:m1 hoặc contest)"


def from_spec(spec: str) -> tuple[str, Button]:
    """ "quiz:m1" → (its default label, StartQuiz("m1")); "lesson:m1:2" opens lesson 3 of m1; "contest" opens /thi,
    "contest:5" contest #5. The packed form the CLI took before (“ls|m1|0”) is read too. ValueError otherwise."""
    spec = spec.strip()
    name, _, rest = spec.partition(":")
    packed = "|" in spec or spec in {cls.action for cls in BARE_SPECS.values()}
    for kind, cls in [*SPECS.items(), *BARE_SPECS.items()]:
        if packed:
            button = cls.read(spec)
        elif kind != name:
            continue
        elif cls is BARE_SPECS.get(kind):
            button = None if rest else cls()
        else:
            button = cls.read(pack(cls.action, *rest.split(":"))) if rest else None
        if button is not None:
            return SPEC_LABELS[kind], button
    raise ValueError(E_SPEC.format(spec=spec))


def button_of(spec: str | None, label: str | None = None) -> tuple[str | None, str | None]:
    """An officer's button → (label, packed payload) for a Broadcast; (None, None) for no button."""
    if not spec:
        return None, None
    default_label, button = from_spec(spec)
    return label or default_label, button.pack()
