# language: vi
Tính năng: Dòng họ học tập và Cộng đồng học tập cấp thôn đi cùng quy trình danh sách với Gia đình học tập
  Một quy trình "Công nhận theo danh sách" phục vụ ba danh hiệu; chi hội chọn danh hiệu khi mở hồ sơ.
  Mỗi danh hiệu có bảng điểm riêng ({title}_score, bảng ví dụ ngưỡng 70), cùng các bước thẩm định và quyết định.

  Khung kịch bản: Được công nhận, vào sổ đúng danh hiệu
    Khi chi hội tổ 1 mở hồ sơ "<danh hiệu>" năm 2026 và gửi danh sách gồm:
      | chủ hộ   | điểm |
      | <tên>    | 88   |
    Và xã thẩm định "chuyển tỉnh"
    Và tỉnh phê duyệt "công nhận" với quyết định số "<số>" ngày "2026-11-18"
    Thì hồ sơ "đã công nhận"
    Và sổ danh hiệu có "<tên>" với danh hiệu "<danh hiệu>" hiệu lực đến "2027-12-31"

    Dữ liệu:
      | danh hiệu         | tên                    | số           |
      | clan              | Dòng họ Nguyễn Đình    | 201/QĐ-UBND  |
      | community_village | Tổ dân phố số 1        | 202/QĐ-UBND  |

  Khung kịch bản: Trả lại ở xã, rồi ở tỉnh, rồi được công nhận
    Khi chi hội tổ 1 mở hồ sơ "<danh hiệu>" năm 2026 và gửi danh sách gồm:
      | chủ hộ | điểm |
      | <tên>  | 88   |
    Và xã thẩm định "trả lại" với ý kiến "Thiếu biên bản bình xét"
    Thì việc tiếp theo là "Bổ sung danh sách đề nghị" của chi hội tổ 1
    Khi chi hội gửi lại danh sách chỉ gồm "<tên>"
    Và xã thẩm định "chuyển tỉnh"
    Và tỉnh phê duyệt "trả lại" với ý kiến "Chưa có chữ ký"
    Thì việc tiếp theo là "Thẩm định hồ sơ" của xã "00070"
    Khi xã thẩm định "chuyển tỉnh"
    Và tỉnh phê duyệt "công nhận" với quyết định số "203/QĐ-UBND" ngày "2026-11-18"
    Thì hồ sơ "đã công nhận"

    Dữ liệu:
      | danh hiệu         | tên                 |
      | clan              | Dòng họ Nguyễn Đình |
      | community_village | Tổ dân phố số 1     |

  Khung kịch bản: Xã không công nhận, hồ sơ không lên tỉnh
    Khi chi hội tổ 1 mở hồ sơ "<danh hiệu>" năm 2026 và gửi danh sách gồm:
      | chủ hộ | điểm |
      | <tên>  | 88   |
    Và xã thẩm định "không công nhận" với ý kiến "Chưa đủ tiêu chí"
    Thì hồ sơ "không công nhận"
    Và không còn việc nào của hồ sơ
    Và sổ danh hiệu năm 2026 của tỉnh "01" trống

    Dữ liệu:
      | danh hiệu         | tên                 |
      | clan              | Dòng họ Nguyễn Đình |
      | community_village | Tổ dân phố số 1     |

  Khung kịch bản: Xã chuyển tỉnh, tỉnh không công nhận
    Khi chi hội tổ 1 mở hồ sơ "<danh hiệu>" năm 2026 và gửi danh sách gồm:
      | chủ hộ | điểm |
      | <tên>  | 88   |
    Và xã thẩm định "chuyển tỉnh" với ý kiến "Đạt"
    Thì việc tiếp theo là "Phê duyệt, ra quyết định công nhận" của tỉnh "01"
    Khi tỉnh phê duyệt "không công nhận" với ý kiến "Không đủ điều kiện"
    Thì hồ sơ "không công nhận"
    Và sổ danh hiệu năm 2026 của tỉnh "01" trống

    Dữ liệu:
      | danh hiệu         | tên                 |
      | clan              | Dòng họ Nguyễn Đình |
      | community_village | Tổ dân phố số 1     |

  Khung kịch bản: Dưới ngưỡng của bảng điểm riêng của danh hiệu bị từ chối
    Khi chi hội tổ 1 mở hồ sơ "<danh hiệu>" năm 2026 và gửi danh sách gồm:
      | chủ hộ | điểm |
      | <tên>  | 60   |
    Thì việc bị từ chối vì "60 điểm chưa đạt ngưỡng 70 (bảng “<bảng>” toàn quốc, phiên bản 1)"
    Và hồ sơ chưa có danh sách đề nghị nào

    Dữ liệu:
      | danh hiệu         | tên                 | bảng                    |
      | clan              | Dòng họ Nguyễn Đình | Ngưỡng điểm Dòng họ học tập — BẢNG VÍ DỤ, chưa phải tiêu chí chính thức |
      | community_village | Tổ dân phố số 1     | Ngưỡng điểm Cộng đồng học tập cấp thôn, tổ dân phố — BẢNG VÍ DỤ, chưa phải tiêu chí chính thức |

  Kịch bản: Một quyết định công nhận gồm đối tượng của hai hồ sơ
    Khi chi hội tổ 1 mở hồ sơ "family" năm 2026 và gửi danh sách gồm:
      | chủ hộ        | điểm |
      | Nguyễn Văn An | 86   |
    Và xã thẩm định "chuyển tỉnh"
    Và tỉnh phê duyệt "công nhận" với quyết định số "300/QĐ-UBND" ngày "2026-11-18"
    Khi chi hội tổ 1 mở hồ sơ "family" năm 2026 và gửi danh sách gồm:
      | chủ hộ        | điểm |
      | Trần Thị Bình | 90   |
    Và xã thẩm định "chuyển tỉnh"
    Và tỉnh phê duyệt "công nhận" với quyết định số "300/QĐ-UBND" ngày "2026-11-18"
    Thì quyết định "300/QĐ-UBND" của tỉnh "01" công nhận "Nguyễn Văn An, Trần Thị Bình"

  Khung kịch bản: Số quyết định đã dùng mà khác ngày, người ký hoặc danh hiệu bị từ chối
    Khi chi hội tổ 1 mở hồ sơ "family" năm 2026 và gửi danh sách gồm:
      | chủ hộ        | điểm |
      | Nguyễn Văn An | 86   |
    Và xã thẩm định "chuyển tỉnh"
    Và tỉnh phê duyệt "công nhận" với quyết định số "301/QĐ-UBND" ngày "2026-11-18"
    Khi chi hội tổ 1 mở hồ sơ "<danh hiệu>" năm 2026 và gửi danh sách gồm:
      | chủ hộ | điểm |
      | <tên>  | 90   |
    Và xã thẩm định "chuyển tỉnh"
    Và tỉnh thử phê duyệt "công nhận" với quyết định số "301/QĐ-UBND" ngày "<ngày>" do "<người ký>" ký
    Thì việc bị từ chối vì "Số quyết định: Quyết định số 301/QĐ-UBND năm 2026 đã có: ngày 18/11/2026, Phó Chủ tịch UBND tỉnh Lê Văn Cường ký, danh hiệu Gia đình học tập. Nhập đúng quyết định đó hoặc một số khác."
    Và việc tiếp theo là "Phê duyệt, ra quyết định công nhận" của tỉnh "01"

    Dữ liệu:
      | khác      | danh hiệu | tên                 | ngày       | người ký      |
      | ngày      | family    | Trần Thị Bình       | 2026-11-19 | Lê Văn Cường  |
      | người ký  | family    | Trần Thị Bình       | 2026-11-18 | Hoàng Văn Em  |
      | danh hiệu | clan      | Dòng họ Nguyễn Đình | 2026-11-18 | Lê Văn Cường  |

  Kịch bản: Ngày quyết định sau hôm nay bị từ chối
    Cho hôm nay là ngày "2026-11-20"
    Khi chi hội tổ 1 mở hồ sơ "family" năm 2026 và gửi danh sách gồm:
      | chủ hộ        | điểm |
      | Nguyễn Văn An | 86   |
    Và xã thẩm định "chuyển tỉnh"
    Và tỉnh thử phê duyệt "công nhận" với quyết định số "310/QĐ-UBND" ngày "2026-11-21"
    Thì việc bị từ chối vì "Ngày quyết định: Ngày quyết định không được sau hôm nay."
    Và việc tiếp theo là "Phê duyệt, ra quyết định công nhận" của tỉnh "01"
    Khi tỉnh phê duyệt "công nhận" với quyết định số "310/QĐ-UBND" ngày "2026-11-20"
    Thì hồ sơ "đã công nhận"
