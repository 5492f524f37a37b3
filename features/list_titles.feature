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

  Khung kịch bản: Xã hoặc tỉnh không công nhận
    Khi chi hội tổ 1 mở hồ sơ "<danh hiệu>" năm 2026 và gửi danh sách gồm:
      | chủ hộ | điểm |
      | <tên>  | 88   |
    Và xã thẩm định "<xã>" với ý kiến "<ý kiến>"
    Và tỉnh, nếu có việc, phê duyệt "không công nhận" với ý kiến "Không đủ điều kiện"
    Thì hồ sơ "không công nhận"
    Và sổ danh hiệu năm 2026 của tỉnh "01" trống

    Dữ liệu:
      | danh hiệu         | tên                 | xã              | ý kiến           |
      | clan              | Dòng họ Nguyễn Đình | không công nhận | Chưa đủ tiêu chí |
      | clan              | Dòng họ Nguyễn Đình | chuyển tỉnh     | Đạt              |
      | community_village | Tổ dân phố số 1     | không công nhận | Chưa đủ tiêu chí |
      | community_village | Tổ dân phố số 1     | chuyển tỉnh     | Đạt              |

  Khung kịch bản: Dưới ngưỡng của bảng điểm riêng của danh hiệu bị từ chối
    Khi chi hội tổ 1 mở hồ sơ "<danh hiệu>" năm 2026 và gửi danh sách gồm:
      | chủ hộ | điểm |
      | <tên>  | 60   |
    Thì việc bị từ chối vì "60 điểm chưa đạt ngưỡng 70 (bảng <bảng> toàn quốc, phiên bản 1)"
    Và hồ sơ chưa có danh sách đề nghị nào

    Dữ liệu:
      | danh hiệu         | tên                 | bảng                    |
      | clan              | Dòng họ Nguyễn Đình | clan_score              |
      | community_village | Tổ dân phố số 1     | community_village_score |

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

  Kịch bản: Số quyết định đã dùng cho quyết định khác bị từ chối
    Khi chi hội tổ 1 mở hồ sơ "family" năm 2026 và gửi danh sách gồm:
      | chủ hộ        | điểm |
      | Nguyễn Văn An | 86   |
    Và xã thẩm định "chuyển tỉnh"
    Và tỉnh phê duyệt "công nhận" với quyết định số "301/QĐ-UBND" ngày "2026-11-18"
    Khi chi hội tổ 1 mở hồ sơ "clan" năm 2026 và gửi danh sách gồm:
      | chủ hộ              | điểm |
      | Dòng họ Nguyễn Đình | 90   |
    Và xã thẩm định "chuyển tỉnh"
    Và tỉnh thử phê duyệt "công nhận" với quyết định số "301/QĐ-UBND" ngày "2026-11-19"
    Thì việc bị từ chối vì "Quyết định số 301/QĐ-UBND năm 2026 đã có: ngày 18/11/2026"
    Và việc tiếp theo là "Phê duyệt, ra quyết định công nhận" của tỉnh "01"
