# language: vi
Tính năng: Công nhận Gia đình học tập qua bốn cấp
  Chi hội lập danh sách đề nghị, xã thẩm định, tỉnh phê duyệt và ra quyết định,
  Bộ tổng hợp các hộ được công nhận vào sổ danh hiệu theo xã, tỉnh và năm.

  Bối cảnh:
    Cho chi hội tổ 1 của phường Hoàn Kiếm đã gửi danh sách đề nghị năm 2026 gồm:
      | chủ hộ        | điểm |
      | Nguyễn Văn An | 86   |
      | Trần Thị Bình | 92   |

  Kịch bản: Được công nhận ngay lần đầu
    Khi xã thẩm định "chuyển tỉnh"
    Và tỉnh phê duyệt "công nhận" với quyết định số "125/QĐ-UBND" ngày "2026-11-18"
    Thì hồ sơ "đã công nhận"
    Và sổ danh hiệu năm 2026 của tỉnh "01" gồm "Nguyễn Văn An, Trần Thị Bình"
    Và lịch sử hồ sơ ghi lần lượt "chihoi1, chihoi1, xa-hoankiem, tinh-hanoi"

  Kịch bản: Xã trả lại, chi hội bổ sung, rồi được công nhận
    Khi xã thẩm định "trả lại" với ý kiến "Hộ Trần Thị Bình thiếu minh chứng"
    Thì việc tiếp theo là "Bổ sung danh sách đề nghị" của chi hội tổ 1
    Khi chi hội gửi lại danh sách chỉ gồm "Nguyễn Văn An"
    Và xã thẩm định "chuyển tỉnh"
    Và tỉnh phê duyệt "công nhận" với quyết định số "126/QĐ-UBND" ngày "2026-11-19"
    Thì hồ sơ "đã công nhận"
    Và sổ danh hiệu năm 2026 của tỉnh "01" gồm "Nguyễn Văn An"

  Kịch bản: Tỉnh trả lại, xã thẩm định lại, rồi được công nhận
    Khi xã thẩm định "chuyển tỉnh"
    Và tỉnh phê duyệt "trả lại" với ý kiến "Biên bản họp chưa có chữ ký"
    Thì việc tiếp theo là "Thẩm định hồ sơ" của xã "00070"
    Khi xã thẩm định "chuyển tỉnh"
    Và tỉnh phê duyệt "công nhận" với quyết định số "127/QĐ-UBND" ngày "2026-11-19"
    Thì hồ sơ "đã công nhận"
    Và sổ danh hiệu năm 2026 của tỉnh "01" gồm "Nguyễn Văn An, Trần Thị Bình"

  Kịch bản: Xã không công nhận
    Khi xã thẩm định "không công nhận" với ý kiến "Các hộ chưa đủ điểm theo tiêu chí"
    Thì hồ sơ "không công nhận"
    Và không còn việc nào của hồ sơ
    Và sổ danh hiệu năm 2026 của tỉnh "01" trống

  Kịch bản: Tỉnh không công nhận
    Khi xã thẩm định "chuyển tỉnh"
    Và tỉnh phê duyệt "không công nhận" với ý kiến "Hồ sơ nộp quá hạn"
    Thì hồ sơ "không công nhận"
    Và sổ danh hiệu năm 2026 của tỉnh "01" trống

  Kịch bản: Cán bộ xã khác không thấy và không xử lý được hồ sơ
    Thì hộp việc của cán bộ xã Cửa Nam trống
    Và cán bộ xã Cửa Nam không mở được hồ sơ
    Khi cán bộ xã Cửa Nam thẩm định "chuyển tỉnh"
    Thì việc bị từ chối vì "không thuộc đơn vị hoặc vai trò của bạn"
    Và việc tiếp theo là "Thẩm định hồ sơ" của xã "00070"

  Kịch bản: Hoàn thành lần thứ hai cùng một việc bị từ chối
    Khi xã thẩm định "chuyển tỉnh"
    Và xã thẩm định lại đúng việc vừa làm "không công nhận" với ý kiến "Đổi ý"
    Thì việc bị từ chối vì "đã được hoàn thành bởi xa-hoankiem"
    Và việc tiếp theo là "Phê duyệt, ra quyết định công nhận" của tỉnh "01"

  Kịch bản: Trả lại mà không ghi ý kiến thì không gửi được
    Khi xã thẩm định "trả lại"
    Thì việc bị từ chối vì "Ý kiến (bắt buộc khi trả lại hoặc không công nhận): Bắt buộc nhập."
    Và việc tiếp theo là "Thẩm định hồ sơ" của xã "00070"

  # Chạy trên PostgreSQL: ứng dụng web, khóa dòng và tra sổ danh hiệu như khi triển khai thật.
  @postgres
  Kịch bản: Cả vòng qua giao diện web như cán bộ thật
    Khi cán bộ xã đăng nhập và thẩm định "chuyển tỉnh" trên trang nhiệm vụ
    Và cán bộ tỉnh đăng nhập và phê duyệt "công nhận" trên trang nhiệm vụ
    Thì hồ sơ "đã công nhận"
    Và trang sổ danh hiệu của tỉnh có "Trần Thị Bình"
