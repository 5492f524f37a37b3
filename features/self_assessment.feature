# language: vi
Tính năng: Cộng đồng học tập cấp xã (TT 25/2023) và Đơn vị học tập (TT 24/2023) tự đánh giá, tỉnh quyết định
  Xã, hoặc Tổ đánh giá của một cơ quan, trường học, doanh nghiệp, tự đánh giá các tiêu chí đạt/chưa đạt ở mức độ
  1 hoặc 2 kèm báo cáo và biên bản; tỉnh thẩm định và ra quyết định. Danh hiệu được bảo lưu 3 năm. Mức độ 2 chỉ
  sau ít nhất 12 tháng ở mức độ 1; đơn vị mức độ 2 còn cần 95 % thành viên (97 % học sinh) có danh hiệu
  Công dân học tập còn hiệu lực, tính từ sổ danh hiệu.

  Kịch bản: Xã đạt mức độ 1, tỉnh công nhận, bảo lưu 3 năm
    Khi xã Hoàn Kiếm gửi hồ sơ tự đánh giá năm 2026 mức độ 1
    Thì việc tiếp theo là "Thẩm định, ra quyết định công nhận" của tỉnh "01"
    Khi tỉnh phê duyệt "công nhận" với quyết định số "50/QĐ-UBND" ngày "2026-11-19"
    Thì hồ sơ "đã công nhận"
    Và sổ danh hiệu có "Phường Hoàn Kiếm" danh hiệu "community_commune" mức độ 1 do đơn vị "01" quyết định, hiệu lực đến "2029-12-31"

  Kịch bản: Tỉnh trả lại, xã bổ sung, rồi được công nhận
    Khi xã Hoàn Kiếm gửi hồ sơ tự đánh giá năm 2026 mức độ 1
    Và tỉnh phê duyệt "trả lại" với ý kiến "Biên bản họp thiếu chữ ký"
    Thì việc tiếp theo là "Bổ sung hồ sơ tự đánh giá" của xã "00070"
    Khi xã Hoàn Kiếm bổ sung hồ sơ tự đánh giá với biên bản mới
    Thì việc tiếp theo là "Thẩm định, ra quyết định công nhận" của tỉnh "01"
    Khi tỉnh phê duyệt "công nhận" với quyết định số "51/QĐ-UBND" ngày "2026-11-19"
    Thì hồ sơ "đã công nhận"

  Kịch bản: Tỉnh không công nhận xã
    Khi xã Hoàn Kiếm gửi hồ sơ tự đánh giá năm 2026 mức độ 1
    Và tỉnh phê duyệt "không công nhận" với ý kiến "Số liệu phổ cập chưa khớp"
    Thì hồ sơ "không công nhận"
    Và sổ danh hiệu năm 2026 của tỉnh "01" trống

  Kịch bản: Một tiêu chí chưa đạt thì không gửi được
    Khi xã Hoàn Kiếm gửi hồ sơ tự đánh giá năm 2026 mức độ 1 với tiêu chí 3 chưa đạt
    Thì việc bị từ chối vì "Tiêu chí 3 chưa đạt: không đủ điều kiện đề nghị công nhận (bảng “Tiêu chí Cộng đồng học tập cấp xã (TT 25/2023)” toàn quốc, phiên bản 1)"
    Và việc tiếp theo là "Tự đánh giá, gửi hồ sơ" của xã "00070"

  Kịch bản: Mức độ 2 khi chưa đạt mức độ 1 bị từ chối
    Khi xã Hoàn Kiếm gửi hồ sơ tự đánh giá năm 2026 mức độ 2
    Thì việc bị từ chối vì "Chưa đạt mức độ 1 (hoặc đã hết hạn): mức độ 2 chỉ được đề nghị sau ít nhất 12 tháng đạt mức độ 1."

  Kịch bản: Mức độ 2 chưa đủ 12 tháng ở mức độ 1 bị từ chối
    Cho xã Hoàn Kiếm đã được công nhận mức độ 1 năm 2026 theo quyết định "52/QĐ-UBND" ngày "2026-11-19"
    Và hôm nay là ngày "2027-06-01"
    Khi xã Hoàn Kiếm gửi hồ sơ tự đánh giá năm 2027 mức độ 2
    Thì việc bị từ chối vì "đạt mức độ 1 theo quyết định 52/QĐ-UBND ngày 19/11/2026, đủ 12 tháng từ ngày 19/11/2027"

  Kịch bản: Đủ 12 tháng ở mức độ 1, xã được công nhận mức độ 2
    Cho xã Hoàn Kiếm đã được công nhận mức độ 1 năm 2026 theo quyết định "53/QĐ-UBND" ngày "2026-11-19"
    Và hôm nay là ngày "2027-11-20"
    Khi xã Hoàn Kiếm gửi hồ sơ tự đánh giá năm 2027 mức độ 2
    Và tỉnh phê duyệt "công nhận" với quyết định số "20/QĐ-UBND" ngày "2027-11-20"
    Thì sổ danh hiệu có "Phường Hoàn Kiếm" danh hiệu "community_commune" mức độ 2 do đơn vị "01" quyết định, hiệu lực đến "2030-12-31"

  Kịch bản: Đang được bảo lưu thì không đề nghị lại cùng mức độ
    Cho xã Hoàn Kiếm đã được công nhận mức độ 1 năm 2026 theo quyết định "54/QĐ-UBND" ngày "2026-11-19"
    Và hôm nay là ngày "2027-11-20"
    Khi xã Hoàn Kiếm gửi hồ sơ tự đánh giá năm 2027 mức độ 1
    Thì việc bị từ chối vì "Đang giữ danh hiệu mức độ 1 đến 31/12/2029 theo quyết định 54/QĐ-UBND (bảo lưu)"

  Kịch bản: Đơn vị đạt mức độ 1, tỉnh công nhận
    Cho Ban khuyến học của "Sở Tư pháp" (agency) thuộc phường Hoàn Kiếm
    Khi đơn vị gửi hồ sơ tự đánh giá năm 2026 mức độ 1 với 20 thành viên
    Thì việc tiếp theo là "Thẩm định, ra quyết định công nhận" của tỉnh "01"
    Khi tỉnh phê duyệt "công nhận" với quyết định số "60/QĐ-UBND" ngày "2026-11-19"
    Thì sổ danh hiệu có "Sở Tư pháp" danh hiệu "unit" mức độ 1 do đơn vị "01" quyết định, hiệu lực đến "2029-12-31"

  Kịch bản: Tỉnh trả lại đơn vị, đơn vị bổ sung, rồi tỉnh không công nhận
    Cho Ban khuyến học của "Sở Tư pháp" (agency) thuộc phường Hoàn Kiếm
    Khi đơn vị gửi hồ sơ tự đánh giá năm 2026 mức độ 1 với 20 thành viên
    Và tỉnh phê duyệt "trả lại" với ý kiến "Thiếu báo cáo"
    Thì việc tiếp theo là "Bổ sung hồ sơ tự đánh giá" của đơn vị
    Khi đơn vị bổ sung hồ sơ tự đánh giá
    Và tỉnh phê duyệt "không công nhận" với ý kiến "Kế hoạch học tập chưa triển khai"
    Thì hồ sơ "không công nhận"

  Khung kịch bản: Mức độ 2 của đơn vị theo tỷ lệ Công dân học tập trong sổ danh hiệu
    Cho Ban khuyến học của "<đơn vị>" (<loại>) thuộc phường Hoàn Kiếm
    Và đơn vị đã được công nhận mức độ 1 năm 2025 theo quyết định ngày "2025-11-10"
    Và <số> thành viên của đơn vị đã được công nhận Công dân học tập năm 2026
    Khi đơn vị gửi hồ sơ tự đánh giá năm 2026 mức độ 2 với 20 thành viên
    Thì <kết quả>

    Dữ liệu:
      | đơn vị            | loại   | số | kết quả                                                                                    |
      | Sở Tư pháp        | agency | 19 | việc tiếp theo là "Thẩm định, ra quyết định công nhận" của tỉnh "01"                      |
      | Sở Tư pháp        | agency | 18 | việc bị từ chối vì "cần ít nhất 95% thành viên có danh hiệu Công dân học tập còn hiệu lực; theo sổ danh hiệu hôm nay 18/20 thành viên (90.0%)" |
      | Trường THCS Ngô Sĩ Liên | school | 19 | việc bị từ chối vì "cần ít nhất 97% học sinh có danh hiệu Công dân học tập còn hiệu lực" |

    # Ví dụ này chạy thêm trên PostgreSQL: số thành viên có danh hiệu còn hiệu lực được đếm bằng SQL.
    @postgres
    Dữ liệu:
      | đơn vị            | loại   | số | kết quả                                                                                    |
      | Sở Tư pháp        | agency | 18 | việc bị từ chối vì "cần ít nhất 95% thành viên có danh hiệu Công dân học tập còn hiệu lực; theo sổ danh hiệu hôm nay 18/20 thành viên (90.0%)" |

  Kịch bản: Chi hội thôn không mở được hồ sơ Đơn vị học tập
    Thì chi hội tổ 1 không mở được hồ sơ "learning_unit_recognition" vì "chỉ do Ban khuyến học của: Cơ quan, Trường học, Doanh nghiệp lập"
