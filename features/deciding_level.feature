# language: vi
Tính năng: Cấp quyết định công nhận là dữ liệu, có ngày hiệu lực
  Mặc định tỉnh phê duyệt mọi danh hiệu. Một tỉnh có thể nạp bảng quyết định riêng, chẳng hạn giao
  Chủ tịch UBND xã công nhận Gia đình học tập từ một ngày nhất định. Hồ sơ mở trước khi tỉnh nạp bảng
  vẫn theo bảng cũ.

  Kịch bản: Tỉnh giao Chủ tịch UBND xã công nhận Gia đình học tập từ ngày 01/12/2026
    Cho tỉnh "01" nạp bảng quyết định "delegate_family_to_commune.dmn"
    Và chi hội tổ 1 của phường Hoàn Kiếm đã gửi danh sách đề nghị năm 2026 gồm:
      | chủ hộ        | điểm |
      | Nguyễn Văn An | 86   |
    Và hôm nay là ngày "2026-12-02"
    Khi xã thẩm định "chuyển tỉnh"
    Thì việc tiếp theo là "Chủ tịch UBND xã ra quyết định công nhận" của xã "00070"
    Khi xã ra quyết định "công nhận" với quyết định số "45/QĐ-UBND" ngày "2026-12-02"
    Thì hồ sơ "đã công nhận"
    Và sổ danh hiệu năm 2026 của tỉnh "01" gồm "Nguyễn Văn An"
    Và danh hiệu do đơn vị "00070" quyết định

  Kịch bản: Trước ngày giao, tỉnh vẫn phê duyệt
    Cho tỉnh "01" nạp bảng quyết định "delegate_family_to_commune.dmn"
    Và chi hội tổ 1 của phường Hoàn Kiếm đã gửi danh sách đề nghị năm 2026 gồm:
      | chủ hộ        | điểm |
      | Nguyễn Văn An | 86   |
    Khi xã thẩm định "chuyển tỉnh"
    Thì việc tiếp theo là "Phê duyệt, ra quyết định công nhận" của tỉnh "01"

  Kịch bản: Hồ sơ mở trước khi tỉnh nạp bảng vẫn theo bảng cũ
    Cho chi hội tổ 1 của phường Hoàn Kiếm đã gửi danh sách đề nghị năm 2026 gồm:
      | chủ hộ        | điểm |
      | Nguyễn Văn An | 86   |
    Và tỉnh "01" nạp bảng quyết định "delegate_family_to_commune.dmn"
    Và hôm nay là ngày "2026-12-02"
    Khi xã thẩm định "chuyển tỉnh"
    Thì việc tiếp theo là "Phê duyệt, ra quyết định công nhận" của tỉnh "01"
    Khi tỉnh phê duyệt "công nhận" với quyết định số "130/QĐ-UBND" ngày "2026-12-02"
    Thì danh hiệu do đơn vị "01" quyết định
