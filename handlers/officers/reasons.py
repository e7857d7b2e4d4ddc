"""Why a delivery ended as it did, in Vietnamese: ONE classifier, used by the pacer (to pick the final state of a
refused message) and by every report (the chat report, the dashboard's page, CSV / XLSX and `hocbot export`).

The platforms' own texts ("403 Forbidden: bot was blocked by the user", "Forbidden: user is deactivated", "Zalo
error 404: …") stay in `Delivery.last_error` for whoever debugs; officers read `classify(state, error).label`.
A refused message is "blocked" (the person blocked the bot: they can unblock it) or "gone" (the account was
deleted or no longer exists: nobody will read it); both make the identity inactive.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.db.models_officers import BLOCKED, FAILED, GONE, QUEUED, SENDING, SENT, SKIPPED, UNREACHABLE

STATE_LABELS: dict[str, str] = {
    QUEUED: "Đang chờ", SENDING: "Đang gửi", SENT: "Đã gửi", FAILED: "Gửi lỗi", BLOCKED: "Đã chặn bot",
    GONE: "Tài khoản đã bị xoá", UNREACHABLE: "Không liên lạc được", SKIPPED: "Bỏ qua",
}  # fmt: skip

# (words in the platform's text, state, what officers read); the first match wins
RULES: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("user is deactivated", "deactivated"), GONE, "tài khoản đã bị xoá"),
    (("chat not found", "user not found", "zalo error 404", "zalo error -201"), GONE,
     "tài khoản không còn tồn tại"),
    (("bot was blocked", "blocked by the user", "zalo error 403", "zalo error -227", "zalo error -244"), BLOCKED,
     "đã chặn bot"),
    (("bot was kicked", "kicked"), BLOCKED, "đã xoá bot khỏi cuộc trò chuyện"),
    (("can't initiate conversation", "can not initiate", "bot can't send messages"), BLOCKED,
     "chưa từng nhắn cho bot"),
    (("cancelled",), SKIPPED, "cán bộ đã dừng gửi"),
    (("unsubscribed or inactive",), SKIPPED, "đã tắt nhận tin, xoá dữ liệu hoặc chặn bot trước khi gửi"),
    (("not configured",), FAILED, "kênh này chưa được bật trên máy chủ"),
    (("flood", "429", "too many requests", "quota"), FAILED, "nền tảng báo gửi quá nhanh"),
    (("network", "timed out", "timeout", "connect", "408", "502", "503", "504", "500"), FAILED,
     "lỗi mạng hoặc máy chủ của nền tảng"),
    (("400", "bad request", "wrong", "invalid"), FAILED,
     "nền tảng không nhận tin nhắn này (nội dung hoặc ảnh không hợp lệ)"),
)  # fmt: skip
WINDOW = "Zalo chỉ cho nhắn người đã nhắn cho Hội trong 7 ngày qua"


@dataclass(frozen=True)
class Reason:
    state: str
    label: str  # Vietnamese, for officers


def classify(state: str, error: str | None) -> Reason:
    """The final state of a delivery and why, in Vietnamese. For a refused message (`state` "blocked" from the
    adapter) the error text decides between "blocked" and "gone"."""
    text = (error or "").lower()
    if state == UNREACHABLE:
        return Reason(UNREACHABLE, WINDOW)
    if state in (SENT, QUEUED, SENDING) and not text:
        return Reason(state, "")
    for words, rule_state, label in RULES:
        if any(w in text for w in words):
            if state in (BLOCKED, GONE) and rule_state not in (BLOCKED, GONE):
                break  # a refusal with an unusual text: still a refusal
            return Reason(rule_state if state in (BLOCKED, GONE) else state, label)
    if state in (BLOCKED, GONE):
        return Reason(state, "đã chặn bot" if state == BLOCKED else "tài khoản đã bị xoá")
    return Reason(state, f"lỗi khác ({error[:80]})" if error else "")


def refused_state(error: str) -> str:
    """The pacer: a message the platform refused for good is "gone" or "blocked"."""
    return classify(BLOCKED, error).state


def label(state: str, error: str | None) -> str:
    return classify(state, error).label


# why a campaign fire, or one person in it, was skipped (handlers/week/campaigns.py R_*), as officers read it
SKIP_LABELS = {
    "quiet hours": "giờ yên tĩnh, gửi vào sáng hôm sau", "daily cap": "đã nhận đủ tin nhắc trong ngày",
    "unsubscribed": "đã tắt nhận tin", "reminders paused": "đã tạm dừng nhắc học",
    "missed": "quá giờ gửi (máy chủ không chạy lúc đó)",
}  # fmt: skip


def skip_label(reason: str | None) -> str:
    """“daily cap” → “đã nhận đủ tin nhắc trong ngày”; “missed: 7.0 h late (grace 6 h)” → its kind's words."""
    key = (reason or "").split(":", 1)[0].strip()
    return SKIP_LABELS.get(key, reason or "")
