"""Vietnamese texts of the learning feature: lessons, quizzes, progress, certificates, leaderboard."""

from __future__ import annotations

# -- lessons ----------------------------------------------------------------------------------------
MODULES_HEAD = "📚 Bình dân học AI — {n} mô-đun, mỗi bài đọc vài phút.\nChọn một mô-đun để học:"
MODULES_LEGEND = "✅ đã xong · ▶️ đang học"
LESSON_HEAD = "📖 {module}\nBài {i}/{n}: {title}"
BTN_BACK = "⬅️ Quay lại"
BTN_NEXT = "Tiếp ➡️"
BTN_TOC = "📋 Mục lục"
BTN_TAKE_QUIZ = "Tiếp ➡️ Làm bài kiểm tra"  # “Tiếp” typed on the last lesson goes on, as on the others
MODULE_READ = "🎉 Bạn đã đọc hết {n} bài của mô-đun “{module}”. Làm bài kiểm tra ngắn nhé!"
UNKNOWN_MODULE = "Không tìm thấy mô-đun này. Bạn chọn lại trong danh sách nhé."

# -- quizzes ----------------------------------------------------------------------------------------
QUIZ_MENU = "📝 Bài kiểm tra\nChọn “Câu hỏi hôm nay” ({n} câu trộn) hoặc bài kiểm tra của một mô-đun:"
BTN_DAILY = "🌟 Câu hỏi hôm nay"
QUIZ_START = "📝 {title}: {n} câu hỏi. Chọn đáp án đúng. Đạt từ 80% là qua."
DAILY_TITLE = "Câu hỏi hôm nay"
QUESTION = "Câu {i}/{n}. {question}"
RESUME = "📝 {title}: bạn đang làm dở, mình tiếp tục từ câu {i}/{n} nhé."
RESUME_OTHER = "Muốn làm bài kiểm tra khác: gõ /kiemtra lần nữa."
QUIZ_LEFT = "📝 Bài kiểm tra đang làm dở: gõ /kiemtra để làm tiếp."
# After an aside whose words pointed at the main menu (a greeting, a thanks): the menu is not shown, the question is.
QUIZ_WAITING = (
    "📝 Câu hỏi kiểm tra vẫn chờ bạn ngay dưới đây: chọn một đáp án, hoặc gõ số của đáp án. "
    "Muốn tạm dừng bài kiểm tra, gõ /menu."
)
RIGHT = "✅ Đúng rồi!"
WRONG = "❌ Chưa đúng. Đáp án đúng: {answer}."
OLD_QUIZ = "Câu hỏi này thuộc bài kiểm tra cũ. Gõ /kiemtra để làm bài mới nhé."
DONE_QUIZ = "Bài kiểm tra này đã xong rồi. Gõ /kiemtra để làm lại nhé."
ANSWERED = "Bạn đã trả lời câu này rồi. Mời bạn trả lời câu tiếp theo."
SCORE = "🏁 Kết quả: {correct}/{total} câu đúng ({score}%)."
PASSED = "🎉 Chúc mừng, bạn đã đạt!"
FAILED = "Chưa đạt 80%. Bạn đọc lại bài rồi làm lại nhé, không sao cả! 💪"
READ_REST = "Bạn đọc nốt các bài của mô-đun này để hoàn thành nhé."
BTN_NEXT_MODULE = "📚 Học tiếp: {title}"
BTN_RETRY = "🔁 Làm lại"
BTN_REREAD = "📖 Đọc lại bài"
BTN_PROGRESS = "📈 Xem tiến độ"
BTN_MORE_QUIZ = "📝 Bài kiểm tra khác"
ALL_DONE = "🎓 Bạn đã hoàn thành tất cả các mô-đun!"

# -- progress -----------------------------------------------------------------------------------------
PROGRESS_HEAD = "📈 Tiến độ của bạn\nMô-đun đã xong: {done}/{n}"
PROGRESS_DONE = "✅ {order}. {title} — điểm cao nhất {best}%"
PROGRESS_STARTED = "▶️ {order}. {title} — đã đọc {seen}/{lessons} bài{best}"
PROGRESS_NEW = "▫️ {order}. {title} — chưa học"
BEST = ", điểm cao nhất {best}%"
STREAK = "🔥 Chuỗi ngày học: {n} ngày liên tiếp"
STREAK_NONE = "🔥 Chuỗi ngày học: chưa có. Học một bài hôm nay để bắt đầu nhé!"
CERT_HAVE = "🎓 Chứng nhận: đã nhận (mã {code}). Gõ /chungnhan để nhận lại."
CERT_TODO = "🎓 Chứng nhận: còn {n} mô-đun nữa (học hết bài và đạt từ 80% bài kiểm tra)."
BTN_CERT = "🎓 Nhận chứng nhận"
BTN_LEARN = "📚 Học tiếp"

# -- certificates -------------------------------------------------------------------------------------
CERT_EARNED = "🎓 Chúc mừng {name}! Bạn đã hoàn thành khoá “Bình dân học AI”. Đây là chứng nhận của bạn."
CERT_AGAIN = "🎓 Chứng nhận của bạn đây. Mã xác minh: {code}"
CERT_CAPTION = "Chứng nhận Bình dân học AI — mã {code}. Kiểm tra tại {url}"
CERT_NOT_YET = "Bạn chưa đủ điều kiện nhận chứng nhận. Còn {n} mô-đun: {missing}. Cố lên nhé! 💪"
CERT_ASK_NAME = "Bạn muốn ghi tên gì trên chứng nhận? Gõ họ và tên của bạn (có dấu), ví dụ: Nguyễn Thị Lan."
CERT_BAD_NAME = "Tên cần từ 2 đến 60 ký tự. Bạn gõ lại họ và tên nhé."
CERT_CONFIRM = "Tên in trên chứng nhận: “{name}”. Đúng chưa?\nMuốn sửa, bạn gõ lại họ và tên."
CERT_NO_ACCENTS = "💡 Tên đang không có dấu. Muốn in có dấu, bạn gõ lại, ví dụ: Trần Văn Hùng."
BTN_CERT_OK = "✅ Đúng rồi, in chứng nhận"
BTN_CERT_EDIT = "✏️ Sửa tên"
BTN_CERT_RENAME = "✏️ Sửa tên trên chứng nhận"
CERT_RENAMED = "🎓 Đã sửa tên trên chứng nhận thành “{name}”. Mã xác minh vẫn là {code}."

# -- leaderboard ----------------------------------------------------------------------------------------
BOARD_HEAD = "🏆 Bảng xếp hạng tuần này — {group}"
BOARD_LINE = "{rank}. {name} — {points} điểm"
BOARD_HIDDEN = "Một học viên"
BOARD_YOU = " (bạn)"
BOARD_EMPTY = "Tuần này chưa ai có điểm. Hãy là người đầu tiên! 💪"
BOARD_NOTE = "Điểm = bài học mới đọc + câu trả lời đúng trong tuần."
BOARD_NOTE_NAME = "Muốn hiện tên, vào /caidat."
BOARD_NO_GROUP = (
    "Bạn chưa tham gia nhóm nào. Hỏi cán bộ Hội Khuyến học mã nhóm, rồi gõ /start <mã nhóm> để tham gia."
)
