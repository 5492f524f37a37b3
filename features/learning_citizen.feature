# language: vi
Tính năng: Công nhận Công dân học tập
  Chi hội đăng ký thay công dân: tự chấm 10 chỉ số (100 điểm, ba nhóm năng lực) kèm minh chứng; chi hội xác
  nhận; theo bảng "deciding_level" mặc định, xã ra quyết định công nhận. Bảng điểm "citizen_score" là bảng ví dụ
  (đạt từ 70 điểm, mỗi nhóm có mức tối thiểu).

  Kịch bản: Chi hội xác nhận, xã công nhận
    Khi chi hội tổ 1 đăng ký cho công dân "Phạm Văn Minh" số định danh "001090012345" với điểm "8 8 8 8 8 8 8 8 8 8" và minh chứng "giay-khen.pdf"
    Thì việc tiếp theo là "Chi hội xác nhận kết quả tự đánh giá" của chi hội tổ 1
    Khi chi hội xác nhận "đạt"
    Thì việc tiếp theo là "Chủ tịch UBND xã ra quyết định công nhận" của xã "00070"
    Khi xã ra quyết định "công nhận" với quyết định số "12/QĐ-UBND" ngày "2026-11-19"
    Thì hồ sơ "đã công nhận"
    Và sổ danh hiệu có công dân "Phạm Văn Minh" 80 điểm do đơn vị "00070" quyết định, hiệu lực đến "2027-12-31"
    Và hồ sơ có các tệp "giay-khen.pdf"

  Kịch bản: Tỉnh nạp bảng riêng giữ quyền công nhận Công dân học tập
    Cho tỉnh "01" nạp bảng quyết định "delegate_family_to_commune.dmn"
    Khi chi hội tổ 1 đăng ký cho công dân "Phạm Văn Minh" số định danh "001090012345" với điểm "8 8 8 8 8 8 8 8 8 8" và minh chứng "giay-khen.pdf"
    Và chi hội xác nhận "đạt"
    Thì việc tiếp theo là "Tỉnh ra quyết định công nhận" của tỉnh "01"
    Khi tỉnh phê duyệt "công nhận" với quyết định số "16/QĐ-UBND" ngày "2026-11-19"
    Thì sổ danh hiệu có công dân "Phạm Văn Minh" 80 điểm do đơn vị "01" quyết định, hiệu lực đến "2027-12-31"

  Kịch bản: Chi hội trả lại, công dân bổ sung minh chứng, rồi được công nhận
    Khi chi hội tổ 1 đăng ký cho công dân "Phạm Văn Minh" số định danh "001090012345" với điểm "8 8 8 8 8 8 8 8 8 8" và minh chứng "giay-khen.pdf"
    Và chi hội xác nhận "trả lại" với ý kiến "Thiếu chứng chỉ tin học"
    Thì việc tiếp theo là "Bổ sung tự đánh giá" của chi hội tổ 1
    Khi chi hội bổ sung tự đánh giá, giữ các tệp cũ và thêm minh chứng "chung-chi-tin-hoc.png"
    Thì việc tiếp theo là "Chi hội xác nhận kết quả tự đánh giá" của chi hội tổ 1
    Khi chi hội xác nhận "đạt"
    Và xã ra quyết định "công nhận" với quyết định số "13/QĐ-UBND" ngày "2026-11-19"
    Thì hồ sơ "đã công nhận"
    Và hồ sơ có các tệp "giay-khen.pdf, chung-chi-tin-hoc.png"

  Kịch bản: Xã trả lại, chi hội xác nhận lại, rồi được công nhận
    Khi chi hội tổ 1 đăng ký cho công dân "Phạm Văn Minh" số định danh "001090012345" với điểm "8 8 8 8 8 8 8 8 8 8" và minh chứng "giay-khen.pdf"
    Và chi hội xác nhận "đạt"
    Và xã ra quyết định "trả lại" với ý kiến "Đề nghị đối chiếu lại minh chứng"
    Thì việc tiếp theo là "Chi hội xác nhận kết quả tự đánh giá" của chi hội tổ 1
    Khi chi hội xác nhận "đạt"
    Và xã ra quyết định "công nhận" với quyết định số "14/QĐ-UBND" ngày "2026-11-19"
    Thì hồ sơ "đã công nhận"

  Kịch bản: Chi hội không xác nhận
    Khi chi hội tổ 1 đăng ký cho công dân "Phạm Văn Minh" số định danh "001090012345" với điểm "8 8 8 8 8 8 8 8 8 8" và minh chứng "giay-khen.pdf"
    Và chi hội xác nhận "không công nhận" với ý kiến "Minh chứng không đúng người"
    Thì hồ sơ "không công nhận"
    Và sổ danh hiệu năm 2026 của tỉnh "01" trống

  Kịch bản: Xã không công nhận
    Khi chi hội tổ 1 đăng ký cho công dân "Phạm Văn Minh" số định danh "001090012345" với điểm "8 8 8 8 8 8 8 8 8 8" và minh chứng "giay-khen.pdf"
    Và chi hội xác nhận "đạt"
    Và xã ra quyết định "không công nhận" với ý kiến "Chưa cư trú đủ thời gian"
    Thì hồ sơ "không công nhận"
    Và sổ danh hiệu năm 2026 của tỉnh "01" trống

  Khung kịch bản: Điểm dưới ngưỡng hoặc dưới mức tối thiểu của một nhóm bị từ chối, không gì được ghi
    Khi chi hội tổ 1 đăng ký cho công dân "Phạm Văn Minh" số định danh "001090012345" với điểm "<điểm>" và minh chứng "giay-khen.pdf"
    Thì việc bị từ chối vì "<lý do>"
    Và việc tiếp theo là "Đăng ký và tự đánh giá của công dân" của chi hội tổ 1
    Và hồ sơ chưa có tệp nào

    Dữ liệu:
      | điểm                    | lý do                                                                |
      | 6 6 6 6 6 6 6 6 6 6     | Tổng điểm chưa đạt 70/100 (bảng “Điểm Công dân học tập — BẢNG VÍ DỤ, chưa phải tiêu chí chính thức” toàn quốc, phiên bản 1) |
      | 4 4 4 4 10 10 10 10 10 10 | Nhóm năng lực tự học chưa đạt 20/40 điểm                           |

  Kịch bản: Minh chứng không phải tệp được nhận bị từ chối, không gì được ghi
    Khi chi hội tổ 1 đăng ký cho công dân "Phạm Văn Minh" số định danh "001090012345" với điểm "8 8 8 8 8 8 8 8 8 8" và minh chứng "caidat.exe"
    Thì việc bị từ chối vì "chỉ nhận PDF, ảnh JPEG/PNG, Word .docx hoặc Excel .xlsx"
    Và hồ sơ chưa có tệp nào

  Kịch bản: Một công dân chỉ được công nhận một lần mỗi năm
    Cho công dân "Phạm Văn Minh" số định danh "001090012345" đã được công nhận năm 2026
    Khi chi hội tổ 1 đăng ký cho công dân "Phạm V. Minh" số định danh "001090012345" với điểm "9 9 9 9 9 9 9 9 9 9" và minh chứng "giay-khen.pdf"
    Thì việc bị từ chối vì "Đã được công nhận năm 2026 theo quyết định 15/QĐ-UBND"
