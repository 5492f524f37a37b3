# language: vi
Tính năng: Tiêu chí chấm điểm là bảng quyết định
  Mỗi hộ trong danh sách đề nghị phải đạt ngưỡng điểm của bảng "family_score" áp dụng cho hồ sơ. Bảng toàn
  quốc đi kèm phần mềm chỉ là bảng ví dụ (ngưỡng 70). Tỉnh nạp bảng riêng thì hồ sơ mở sau dùng bảng mới,
  hồ sơ đang chạy giữ bảng đã dùng khi mở.

  Kịch bản: Hộ dưới ngưỡng điểm bị từ chối, không gì được ghi
    Khi chi hội tổ 1 mở hồ sơ năm 2026 và gửi danh sách gồm:
      | chủ hộ        | điểm |
      | Nguyễn Văn An | 86   |
      | Trần Thị Bình | 65   |
    Thì việc bị từ chối vì "65 điểm chưa đạt ngưỡng 70 (bảng “Ngưỡng điểm Gia đình học tập — BẢNG VÍ DỤ, chưa phải tiêu chí chính thức” toàn quốc, phiên bản 1)"
    Và việc tiếp theo là "Lập danh sách đề nghị" của chi hội tổ 1
    Và hồ sơ chưa có danh sách đề nghị nào

  Kịch bản: Tỉnh nạp bảng điểm riêng giữa năm
    Cho chi hội tổ 1 đã mở một hồ sơ năm 2026
    Và tỉnh "01" nạp bảng quyết định "family_score_80.dmn"
    Khi chi hội tổ 1 mở hồ sơ năm 2026 và gửi danh sách gồm:
      | chủ hộ        | điểm |
      | Nguyễn Văn An | 75   |
    Thì việc bị từ chối vì "75 điểm chưa đạt ngưỡng 80 (bảng “Ngưỡng điểm Gia đình học tập — bảng riêng của tỉnh (ngưỡng 80)” của Thành phố Hà Nội, phiên bản 1)"
    Khi chi hội tổ 1 gửi danh sách của hồ sơ mở trước gồm:
      | chủ hộ        | điểm |
      | Nguyễn Văn An | 75   |
    Thì việc tiếp theo là "Thẩm định hồ sơ" của xã "00070"
