"""Vietnamese texts of the initiatives (/sangkien for citizens, /duyetsangkien for officers)."""

from __future__ import annotations

HEAD = (
    "💡 Sáng kiến\nBạn có cách làm hay về học tập hoặc chuyển đổi số ở gia đình, thôn xóm, cơ quan? "
    "Gửi cho Hội Khuyến học: sáng kiến tốt sẽ được biểu dương."
)
MINE = "Sáng kiến bạn đã gửi:"
MINE_LINE = "• #{id} ngày {day}: {status}"
BTN_SEND = "✍️ Gửi sáng kiến"
BTN_AS_ME = "👤 Của tôi"
BTN_AS_UNIT = "🏡 Của {name}"
ASK_WHO = "Sáng kiến này là của ai?"
NEED_PROVINCE = "Bạn chưa chọn tỉnh/thành. Gõ /caidat để chọn, rồi gõ lại /sangkien nhé."
ASK_TEXT = (
    "✍️ Hãy gõ sáng kiến trong vài câu: làm gì, ở đâu, kết quả ra sao "
    "(ví dụ: Thôn em lập nhóm Zalo hướng dẫn người già dùng VNeID)."
)
ASK_TEXT_PHOTO = ASK_TEXT + "\nCó ảnh thì gửi ảnh kèm chú thích là nội dung sáng kiến."
BAD_TEXT = "Sáng kiến cần từ {lo} đến {hi} ký tự. Bạn gõ lại nhé."
ASK_PHOTO = "📷 Gửi kèm 1 ảnh (nếu có), hoặc bấm “Không có ảnh”."
BTN_NO_PHOTO = "➡️ Không có ảnh"
PHOTO_ONLY_HERE = "Ở bước này bot chỉ nhận ảnh. Gửi ảnh, hoặc bấm “Không có ảnh”."
SENT = "✅ Đã gửi sáng kiến #{id}{photo}. Cán bộ Hội Khuyến học sẽ xem."
SENT_LATER = "Khi sáng kiến được biểu dương, bot sẽ báo bạn."
WITH_PHOTO = " (kèm ảnh)"
TELL_PRAISED = "🏅 Chúc mừng! Sáng kiến #{id} bạn gửi ngày {day} đã được Hội Khuyến học biểu dương."

STATUS = {"new": "chờ cán bộ xem", "shortlisted": "⭐ được chọn", "praised": "🏅 được biểu dương"}

# -- officers ---------------------------------------------------------------------------------------------
OFF_HEAD = "💡 Sáng kiến trong phạm vi của bạn:"
OFF_LINE = "#{id} {who}, {place}{photo}: {status}\n   {text}"
OFF_NONE = "Chưa có sáng kiến nào."
BTN_OPEN = "#{id} {who}"
VIEW = "💡 Sáng kiến #{id} — {who}\n{place} · gửi ngày {day} · {status}{photo}\n\n{text}"
PHOTO_MARK = " · có ảnh"
BTN_SHORTLIST = "⭐ Chọn"
BTN_UNSHORTLIST = "↩️ Bỏ chọn"
BTN_PRAISE = "🏅 Biểu dương"
BTN_PUBLISH = "📢 Đăng thông báo"
NOT_NOW = "Sáng kiến #{id} đang ở trạng thái “{status}”, không làm được việc này."
DONE = {
    "shortlist": "⭐ Đã chọn sáng kiến #{id}.",
    "unshortlist": "↩️ Đã bỏ chọn sáng kiến #{id}.",
    "praise": "🏅 Đã biểu dương sáng kiến #{id}. Người gửi đã được báo.",
}
PRAISE_FIRST = "Chỉ đăng thông báo được sáng kiến đã biểu dương."

PUBLISH_HEAD = "🏅 Hội Khuyến học biểu dương sáng kiến về học tập và chuyển đổi số"
PUBLISH_ITEM = "💡 {who}:\n{text}"
PUBLISH_TAIL = "Bạn cũng có sáng kiến? Gõ /sangkien để gửi."
PUBLISH_REMOVED = "💡 (Sáng kiến này đã được xoá theo yêu cầu của người gửi.)"
