"""The text catalogue: every short Vietnamese string the core and the handlers show."""

from __future__ import annotations

CONSENT_VERSION = "2026-11-v2"  # v2: masking of phone, ID and e-mail numbers

MENU_LEARN = "📚 Học AI"
MENU_QUIZ = "📝 Kiểm tra"
MENU_ASK = "💬 Hỏi đáp"
MENU_WEEK = "📅 Tuần lễ học tập"
MENU_PROGRESS = "📈 Tiến độ"
MENU_SETTINGS = "⚙️ Cài đặt"
MAIN_KEYBOARD = [[MENU_LEARN, MENU_QUIZ], [MENU_ASK, MENU_WEEK], [MENU_PROGRESS, MENU_SETTINGS]]
MAIN_ITEMS = [label for row in MAIN_KEYBOARD for label in row]  # “3” typed with nothing else on offer = MAIN_ITEMS[2]

WELCOME = (
    "Xin chào{name}! 👋 Đây là trợ lý học tập của Hội Khuyến học.\n\n"
    "Bạn có thể:\n"
    "• học các bài ngắn về AI và kỹ năng số (Bình dân học AI),\n"
    "• làm bài kiểm tra và nhận chứng nhận,\n"
    "• hỏi đáp về Tuần lễ học tập suốt đời, AI, an toàn trên mạng,\n"
    "• nhận thông báo của Hội Khuyến học nơi bạn ở.\n\n"
    "ℹ️ Các câu trả lời do máy tự động soạn, không phải người trực."
)
CONSENT_ASK = (
    "Để lưu tiến độ học và gửi thông báo, bot cần lưu tên hiển thị, tỉnh/xã bạn chọn và kết quả học của bạn. "
    "Số điện thoại, số CCCD và email trong câu hỏi được che đi trước khi lưu, trước khi cán bộ xem "
    "và trước khi gửi cho AI soạn câu trả lời. "
    "Bạn có thể xoá dữ liệu bất cứ lúc nào bằng lệnh /xoadulieu.\n\nBạn có đồng ý không?"
)
CONSENT_YES = "✅ Đồng ý"
CONSENT_NO = "❌ Không đồng ý"
CONSENT_DECLINED = (
    "Bot sẽ không lưu dữ liệu của bạn. Bạn vẫn có thể hỏi đáp bằng cách gõ câu hỏi. "
    "Khi nào muốn học và lưu tiến độ, gõ /start và chọn “Đồng ý”."
)
CONSENT_NEEDED = "Phần này cần lưu tiến độ của bạn. Gõ /start và chọn “Đồng ý” để bắt đầu nhé."
SKIP = "⏭ Bỏ qua"
ASK_PROVINCE = (
    "Bạn đang sống ở tỉnh/thành phố nào? Chọn bên dưới hoặc gõ tên (có dấu hay không dấu đều được)."
)
ASK_COMMUNE = "Bạn ở xã/phường nào? Gõ tên xã/phường, hoặc chọn “Bỏ qua”."
PROVINCE_UNKNOWN = "Mình chưa nhận ra tỉnh “{text}”. Bạn chọn trong danh sách hoặc gõ lại tên tỉnh nhé."
PROVINCE_OLD = "Tỉnh {old} nay thuộc {new} (từ 1/7/2025). Mình ghi là {new} nhé."
LOCALITY_SAVED = "Đã lưu nơi ở: {place}."
COMMUNE_WHICH = "Ở {province} có {n} nơi tên giống “{text}”. Bạn ở nơi nào?"
COMMUNE_CLOSE = "Mình chưa thấy xã/phường “{text}” ở {province}. Có phải bạn ở một trong các nơi này?"
COMMUNE_UNKNOWN = (
    "Mình chưa thấy xã/phường “{text}” ở {province}. Từ 1/7/2025 nhiều xã, phường đã sáp nhập và đổi tên. "
    "Bạn gõ tên xã/phường mới (ví dụ: {example}), hoặc chọn “Bỏ qua”."
)
JOINED_GROUP = "Bạn đã tham gia nhóm “{group}”."
UNKNOWN_CODE = "Mã nhóm “{code}” không đúng hoặc đã hết hạn. Bạn vẫn dùng bot bình thường được."
READY = "Xong rồi! Chọn một mục trong bảng bên dưới để bắt đầu. Gõ /trogiup để xem hướng dẫn."
MAIN_MENU = "Bạn muốn làm gì? Chọn một mục bên dưới."
GROUP_GO_PRIVATE = "🔒 Lệnh này chỉ dùng khi nhắn riêng với bot."
GROUP_GO_PRIVATE_LINK = "🔒 Lệnh này chỉ dùng khi nhắn riêng với bot: {url}"
GROUP_START = "tu_nhom"  # deep-link payload of that pointer (not a group join code)

HELP = (
    "📖 Hướng dẫn\n"
    "/hoc — học các bài Bình dân học AI\n"
    "/kiemtra — làm bài kiểm tra\n"
    "/hoi — hỏi đáp (hoặc gõ câu hỏi bất kỳ)\n"
    "/tuanle — Tuần lễ hưởng ứng học tập suốt đời\n"
    "/tiendo — xem tiến độ học\n"
    "/chungnhan — nhận chứng nhận khi học xong · /bangxephang — bảng xếp hạng\n"
    "/mohinh — gia đình, dòng họ, cơ quan học tập\n"
    "/sangkien — gửi sáng kiến về học tập, chuyển đổi số\n"
    "/thi — cuộc thi trong Tuần lễ học tập\n"
    "/caidat — đổi nơi ở, tạm dừng nhắc\n"
    "/huy — ngừng nhận thông báo · /dangky — nhận lại\n"
    "/lienket — dùng chung tiến độ trên Telegram, Zalo và web\n"
    "/xoadulieu — xoá dữ liệu của bạn\n"
    "ℹ️ Câu trả lời do máy tự động soạn."
)

SETTINGS = "⚙️ Cài đặt\nNơi ở: {place}\nThông báo: {subs}\nNhắc học: {remind}"
SET_PLACE = "📍 Đổi nơi ở"
SET_PAUSE = "🔕 Tạm dừng nhắc"
SET_RESUME = "🔔 Bật lại nhắc"
SET_SHOW_NAME = "🏆 Hiện tên trên bảng xếp hạng"
SET_HIDE_NAME = "🙈 Ẩn tên trên bảng xếp hạng"
PAUSED = "Đã tạm dừng nhắc học. Bạn vẫn nhận thông báo chung của Hội. Bật lại trong /caidat."
RESUMED = "Đã bật lại nhắc học."
NAME_SHOWN = "Tên của bạn sẽ hiện trên bảng xếp hạng tuần."
NAME_HIDDEN = "Tên của bạn sẽ không hiện trên bảng xếp hạng."
ASK_BOARD_NAME = "Bạn muốn hiện tên gì trên bảng xếp hạng? Gõ tên của bạn, ví dụ: Cô Lan."
BOARD_NAME_BAD = "Tên cần từ 2 đến 40 ký tự. Bạn gõ lại nhé."
ON = "đang bật"
OFF = "đang tắt"
NOT_SET = "chưa chọn"

UNSUB_CONFIRM = "Bạn sẽ không nhận thông báo và lời nhắc nào nữa. Bạn chắc chứ?"
UNSUB_YES = "✅ Có, ngừng nhận"
UNSUB_NO = "↩️ Không"
UNSUBSCRIBED = "Đã ngừng gửi thông báo và lời nhắc cho bạn. Gõ /dangky nếu muốn nhận lại."
RESUBSCRIBED = "Bạn sẽ nhận lại thông báo và lời nhắc. Cảm ơn bạn!"
CANCELLED = "Đã huỷ, không có gì thay đổi."

DELETE_CONFIRM = (
    "Bot sẽ xoá tên, nơi ở, nhóm, tiến độ học, câu hỏi của bạn và mọi thứ nối dữ liệu với tài khoản của bạn "
    "(Telegram, Zalo, web chat). Chứng nhận (nếu có) bị thu hồi: trang xác minh sẽ ghi “đã thu hồi theo yêu cầu”. "
    "Chỉ giữ lại con số thống kê không gắn với tên bạn (ví dụ: tổng số bài đã học trong tỉnh). "
    "Không thể hoàn tác. Bạn chắc chứ?"
)
DELETE_YES = "🗑 Có, xoá dữ liệu"
DELETED = "Đã xoá dữ liệu của bạn. Cảm ơn bạn đã học cùng bot. Gõ /start nếu muốn bắt đầu lại."

# Closing words that point at the main menu: a text that ends with one goes out with the menu (menu_reply). Where
# the menu is left off (a quiz question waits below it, the consent question), `without_menu` takes them away.
TYPE_OR_PICK = "Bạn gõ câu hỏi, hoặc chọn một mục bên dưới nhé."
ANYTHING_ELSE = "Bạn cần gì thêm cứ gõ câu hỏi, hoặc chọn một mục bên dưới nhé."
LEARN_OR_ASK = "Bạn muốn học hay hỏi gì? Chọn một mục bên dưới nhé."
WHEN_NEEDED = "Lúc nào cần, bạn cứ gõ câu hỏi hoặc chọn một mục bên dưới nhé."
OR_PICK = "Hoặc chọn một mục bên dưới."
HELP_OR_PICK = "Gõ /trogiup để xem các lệnh, hoặc chọn trong bảng bên dưới."
PICK_OR_TYPE = "Chọn một mục bên dưới hoặc gõ câu hỏi nhé."
PICK_AGAIN = "Bạn chọn lại trong bảng bên dưới nhé."
MENU_POINTERS = (
    TYPE_OR_PICK, ANYTHING_ELSE, LEARN_OR_ASK, WHEN_NEEDED, OR_PICK, HELP_OR_PICK, PICK_OR_TYPE, PICK_AGAIN,
)


def without_menu(text: str) -> str | None:
    """`text` said where the main menu is not shown: without its closing words that point at the menu (None when
    it has none, e.g. the help)."""
    for pointer in MENU_POINTERS:
        if text.endswith(pointer) and (body := text[: -len(pointer)].rstrip()):
            return body
    return None


ALREADY_AGREED = (  # "đồng ý" typed again after consent
    "✅ Bạn đã đồng ý cho bot lưu tiến độ học rồi, cảm ơn bạn! Muốn xoá dữ liệu lúc nào cũng được: gõ /xoadulieu. "
    + ANYTHING_ELSE
)
UNKNOWN_COMMAND = "Mình chưa hiểu lệnh “{cmd}”. " + HELP_OR_PICK
UNKNOWN_COMMAND_NEAR = "Mình chưa hiểu lệnh “{cmd}”. Có phải bạn muốn gõ {near}? Bấm nút bên dưới nhé."
HELP_COMMAND = "trogiup"
SEE_COMMANDS = "📖 Xem các lệnh"
UNSUPPORTED_MEDIA = "Mình chỉ đọc được chữ thôi 🙏 " + TYPE_OR_PICK
EMPTY = "Bạn chưa gõ gì cả. " + PICK_OR_TYPE
TOO_LONG = "Tin nhắn dài quá ({n} ký tự). Bạn gõ câu hỏi ngắn gọn hơn (dưới {max} ký tự) nhé."
NUMBER_HINT = "Bạn trả lời bằng một số từ 1 đến {n}, hoặc gõ chữ của lựa chọn nhé."
NUMBER_HINT_ONE = "Chỉ có một lựa chọn: bạn trả lời 1, hoặc gõ chữ của lựa chọn nhé."
NUMBER_NOTHING = "Số này không có trong bảng chọn. Bạn gõ số hoặc tên một mục bên dưới, hoặc gõ câu hỏi nhé."
COMING_SOON = "Phần này sắp có. Cảm ơn bạn đã chờ! 🙏"
STALE_BUTTON = "Nút này đã cũ. " + PICK_AGAIN
ERROR = "Xin lỗi, bot đang gặp trục trặc nhỏ. Bạn thử lại sau ít phút nhé. 🙏"
BUSY = "Hệ thống đang bận, bạn thử lại sau ít phút. 🙏"
NUMBERED_FOOTER = "Trả lời {nums}."
NUMBERED_FOOTER_MANY = "Trả lời một số từ 1 đến {n}."

MAX_TEXT = 2000


def numbered_footer(n: int) -> str:
    """“Trả lời 1, 2 hoặc 3.” for small n; a range for long lists."""
    if n <= 1:
        return NUMBERED_FOOTER.format(nums="1")
    if n > 6:
        return NUMBERED_FOOTER_MANY.format(n=n)
    nums = ", ".join(str(i) for i in range(1, n)) + f" hoặc {n}"
    return NUMBERED_FOOTER.format(nums=nums)


# Zalo channels and /lienket
MENU_HINT = "Gõ: {items} — hoặc gõ câu hỏi của bạn."
MENU_NUMBERED = "Gõ số hoặc tên mục: {items}. Hoặc gõ câu hỏi của bạn."
NO_FILES = "📄 {channel} chưa gửi được tệp “{filename}”. Bạn mở {url} để xem và tải về nhé."
IMAGE_LINK = "🖼 Ảnh: {url}"
ZALO_OA_AUTH_ALERT = (
    "⚠️ Bot Zalo OA không làm mới được mã truy cập ({reason}). Tin nhắn Zalo OA đang dừng. "
    "Vui lòng lấy mã mới trên trang quản lý Zalo và cập nhật ZALO_OA_REFRESH_TOKEN."
)
LINK_CODE = (
    "🔗 Mã liên kết của bạn: {code}\n"
    "Mã dùng được trong 10 phút. Trên ứng dụng kia (Telegram, Zalo hoặc web), gõ:\n/lienket {code}"
)
LINK_BAD_CODE = "Mã “{code}” không đúng hoặc đã hết hạn. Gõ /lienket ở ứng dụng kia để lấy mã mới."
LINK_SAME = "Tài khoản này đã được liên kết rồi. Không cần làm gì thêm."
LINK_DONE = "✅ Đã liên kết! Tiến độ học, nhóm và chứng nhận của bạn giờ dùng chung trên {channels}."
LINK_OFFICER = (
    "Tài khoản cán bộ, quản trị không liên kết được với tài khoản khác: quyền cán bộ chỉ gắn với đúng tài khoản "
    "đã đăng ký. Mỗi tài khoản học riêng nhé."
)
LINK_TOO_MANY = "Bạn đã nhập mã quá nhiều lần. Vui lòng đợi vài phút rồi thử lại."


# The web chat cannot ring: what the bot pushes waits in the page's inbox (🔔 Tin mới) until it is opened again.
WEB_PUSHED = (
    "Trên trang web này, tin bot gửi sẽ hiện ở mục “🔔 Tin mới” khi bạn mở lại trang; muốn được báo ngay trên "
    "điện thoại, bạn dùng bot trên Telegram hoặc Zalo."
)


CONSOLE_NO_PUSH = (
    "ℹ️ Cửa sổ dòng lệnh (hocbot chat) không nhận được tin nhắn gửi sau: lời nhắc và tin báo chỉ đến qua "
    "Telegram, Zalo hoặc trang trò chuyện trên web."
)


def promise(done: str, later: str, channel: str) -> str:
    """What was done, then the promise of a later message (`later`) where that message can arrive: told where a
    web chat user will find it; left out in the terminal chat, which no message can reach later (the bot must
    not promise what it can't do), which is told so instead."""
    if channel == "console":
        return f"{done}\n{CONSOLE_NO_PUSH}"
    if channel == "web":
        return f"{done} {later}\n{WEB_PUSHED}"
    return f"{done} {later}"
