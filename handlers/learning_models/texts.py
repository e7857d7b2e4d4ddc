"""Vietnamese texts of the learning models (/mohinh for citizens, /duyetmohinh for officers)."""

from __future__ import annotations

OFF = "Phần mô hình học tập chưa được bật ở đây."
HEAD = ("🏡 Mô hình học tập năm {year}\nĐăng ký gia đình, dòng họ, thôn/tổ dân phố hoặc cơ quan của bạn, "
        "tự đánh giá theo tiêu chí, rồi gửi xã xác nhận.")
MINE = "Của bạn:"
MINE_LINE = "• {name} — {model}: {status}"
NONE_YET = "Bạn chưa đăng ký mô hình nào."
EXAMPLE_NOTE = "(Bộ tiêu chí mẫu: xã có thể dùng bộ tiêu chí riêng.)"
BTN_NEW = "➕ {model}"
BTN_CITIZEN = "👤 Công dân học tập"
BTN_JOIN = "🔑 Nhập mã mời"
BTN_VIEW = "📋 {name}"
NEED_PROVINCE = "Bạn chưa chọn tỉnh/thành. Gõ /caidat để chọn, rồi gõ lại /mohinh nhé."
ASK_COMMUNE = "Gia đình bạn ở xã/phường nào? Hãy gõ tên xã/phường (ví dụ: Gia Viễn)."
ASK_NAME = "Đăng ký “{model}”. Hãy gõ tên {unit} của bạn (ví dụ: Gia đình ông Nguyễn Văn An)."
BAD_NAME = "Tên cần từ 2 đến 120 chữ. Bạn gõ lại nhé."
REGISTERED = ("✅ Đã đăng ký “{name}” ({model}, {place}).\nMã mời: {code}\n"
              "Các thành viên gõ /mohinh {code} để tham gia; việc học của họ trên bot được tính vào tiêu chí.")
ASK_CODE = "Hãy gõ mã mời (6 ký tự) mà người đăng ký gửi cho bạn."
BAD_CODE = "Không tìm thấy mã mời “{code}”. Bạn xem lại mã (6 ký tự, ví dụ: K7M2QX) rồi gõ lại nhé."
JOINED = "✅ Bạn đã tham gia “{name}” ({model}). Việc học của bạn trên bot được tính cho {unit} này."
ALREADY_MEMBER = "Bạn đã là thành viên của “{name}” rồi."
VIEW_HEAD = "📋 {name} — {model} năm {year}\n{place} · {members} thành viên · {status}"
VIEW_CODE = "Mã mời: {code}"
VIEW_RETURNED = "↩️ Xã trả lại: {reason}"
MARK = {True: "✅", False: "❌", None: "❔"}
EVIDENCE = {"self": "tự khai", "officer": "xã kiểm tra", "bot": "bot ghi nhận"}
CRIT_LINE = "{mark} {text} ({how}{detail})"
MISSING_HEAD = "Còn thiếu {n} tiêu chí:"
ALL_MET = "🎉 Đã đạt đủ các tiêu chí."
OFFICER_PENDING = "Tiêu chí “xã kiểm tra” được đánh dấu khi xã xác nhận."
BTN_ASSESS = "📝 Tự đánh giá"
BTN_SUBMIT = "📨 Gửi xã xác nhận"
QUESTION = "Tiêu chí {i}/{n} — {model}:\n{text}\n{name} đã đạt tiêu chí này chưa?"
BTN_YES = "✅ Đã đạt"
BTN_NO = "❌ Chưa đạt"
NO_SELF = "Mô hình này không có tiêu chí tự khai."
NOT_YOURS = "Bạn không thuộc đơn vị này."
CANNOT_CHANGE = "Hồ sơ đang chờ xã xác nhận hoặc đã được xác nhận, không sửa được nữa."
ANSWER_FIRST = "Bạn cần trả lời hết các tiêu chí tự khai trước khi gửi xã ({n} tiêu chí còn lại)."
OWNER_ONLY = "Chỉ người đăng ký mới gửi được hồ sơ cho xã."
SUBMITTED = "📨 Đã gửi xã xác nhận “{name}”."
SUBMITTED_LATER = "Khi xã xác nhận hoặc cần bổ sung, bot sẽ báo cho bạn."
CITIZEN_PERSONAL = "👤 Công dân học tập: phần học trên bot được ghi nhận tự động."

STATUS = {
    "registered": "đang tự đánh giá", "submitted": "chờ xã xác nhận", "returned": "xã trả lại, cần bổ sung",
    "confirmed": "xã đã xác nhận", "recognised": "🏅 đã được công nhận",
}  # fmt: skip

# -- officers ---------------------------------------------------------------------------------------------
OFF_HEAD = "🏡 Mô hình học tập năm {year} trong phạm vi của bạn:"
OFF_WAITING = "Chờ xác nhận ({n}):"
OFF_CONFIRMED = "Đã xác nhận, chờ công nhận cuối năm ({n}):"
OFF_LINE = "#{id} {name} — {model}, {place}: đạt {met}/{total}"
OFF_NONE = "Chưa có hồ sơ nào chờ xử lý."
BTN_OPEN = "#{id} {name}"
BTN_CONFIRM = "✅ Xác nhận"
BTN_RETURN = "↩️ Trả lại"
BTN_RECOGNISE = "🏅 Công nhận"
ASK_REASON = "Hãy gõ lý do trả lại hồ sơ #{id} (người đăng ký sẽ nhận được lý do này)."
BAD_REASON = "Lý do cần từ 3 đến 500 chữ. Bạn gõ lại nhé."
NOT_NOW = "Hồ sơ #{id} đang ở trạng thái “{status}”, không làm được việc này."
DONE_CONFIRM = "✅ Đã xác nhận hồ sơ #{id} “{name}”. Người đăng ký đã được báo."
DONE_RETURN = "↩️ Đã trả lại hồ sơ #{id} “{name}”. Người đăng ký đã được báo lý do."
DONE_RECOGNISE = "🏅 Đã công nhận “{name}” đạt danh hiệu “{model}” năm {year}. Người đăng ký đã được báo."
TELL_CONFIRM = "✅ Xã đã xác nhận hồ sơ “{name}” ({model} năm {year}). Cuối năm xã sẽ xét công nhận."
TELL_RETURN = "↩️ Xã trả lại hồ sơ “{name}” ({model}): {reason}\nBạn bổ sung rồi gửi lại nhé."
TELL_RECOGNISE = "🏅 Chúc mừng! “{name}” được công nhận danh hiệu “{model}” năm {year}."
BTN_SEE = "📋 Xem hồ sơ"
TELL_REMIND = ("📅 Xã sẽ đánh giá mô hình học tập ngày {day}. Hồ sơ “{name}” ({model}) chưa gửi xã: "
               "bạn tự đánh giá rồi bấm “Gửi xã xác nhận” trước ngày đó nhé.")
VIEW_DAY = "📅 Xã đánh giá ngày {day}"
DAY_USAGE = "Gõ /ngaydanhgia NGÀY/THÁNG/NĂM, ví dụ: /ngaydanhgia 15/11/2026. Bot nhắc các hồ sơ chưa gửi trước 7 ngày."
DAY_BAD = "Ngày “{text}” không hợp lệ. Gõ theo dạng NGÀY/THÁNG/NĂM, ví dụ: 15/11/2026."
DAY_PAST = "Ngày {day} đã qua. Hãy chọn một ngày sắp tới."
DAY_NO_COMMUNE = "Lệnh này dành cho cán bộ xã/phường: bạn chưa phụ trách xã/phường nào."
DAY_SET = "📅 Đã đặt ngày đánh giá {day} cho: {communes}. Bot sẽ nhắc các hồ sơ chưa gửi trước {n} ngày."

BTN_CERT = "🏅 Giấy chứng nhận"
CERT_LEAD = "Chứng nhận"
CERT_BODY = "đạt danh hiệu “{model}” năm {year}\n{place}"
CERT_CAPTION = "🏅 Giấy chứng nhận “{name}”. Mã xác minh: {code}\nKiểm tra tại: {url}"
NO_CERT = "Giấy chứng nhận có khi xã công nhận danh hiệu."
VERIFY_VALID = ("<h1 class=\"ok\">✅ Chứng nhận hợp lệ</h1><p><strong>{name}</strong> ({place}) đạt danh hiệu "
                "“{model}” năm {year}, công nhận ngày {date}.</p><p>Mã xác minh: <code>{code}</code></p>")
