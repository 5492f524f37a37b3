# language: vi
Tính năng: Báo cáo kết quả xây dựng mô hình học tập hằng năm, có hạn nộp
  Bộ mở kỳ báo cáo; mỗi tỉnh đặt hạn cho các xã; mỗi xã nộp số liệu theo từng mô hình (số được công nhận điền sẵn
  từ sổ danh hiệu); tỉnh duyệt và gửi Bộ. Gần hạn có lời nhắc; quá hạn thì cấp trên nhận việc đôn đốc, đơn vị trễ
  vẫn nộp được. Đồng hồ được dời đi thay vì chờ.

  Bối cảnh:
    Cho Bộ mở kỳ báo cáo năm 2026 với hạn của tỉnh "2026-12-15"

  Kịch bản: Cả vòng đúng hạn
    Cho tỉnh Hà Nội đặt hạn cho các xã "2026-12-05", nhắc trước 3 ngày
    Khi phường Hoàn Kiếm nộp báo cáo với 120 gia đình học tập được công nhận trên tổng 200 hộ, ghi lý do "Số liệu trước khi dùng phần mềm"
    Và tỉnh duyệt báo cáo của phường Hoàn Kiếm "chấp nhận"
    Và tỉnh Hà Nội gửi báo cáo của tỉnh
    Thì số liệu được chấp nhận của phường Hoàn Kiếm có 120 gia đình học tập trên tổng 200
    Và tỉnh Hà Nội không còn việc của kỳ báo cáo

  Kịch bản: Xã trễ hạn: được nhắc, quá hạn, tỉnh nhận việc đôn đốc, rồi xã vẫn nộp
    Cho tỉnh Hà Nội đặt hạn cho các xã "2026-12-05", nhắc trước 3 ngày
    Khi hôm nay là ngày "2026-12-03"
    Và bộ hẹn giờ chạy
    Thì việc "Nộp báo cáo của xã" của phường Hoàn Kiếm đã được nhắc
    Khi hôm nay là ngày "2026-12-06"
    Và bộ hẹn giờ chạy
    Thì hộp việc của tỉnh Hà Nội có việc "Đôn đốc báo cáo của xã quá hạn" cho phường Hoàn Kiếm
    Và việc "Nộp báo cáo của xã" của phường Hoàn Kiếm được đánh dấu quá hạn
    Khi tỉnh Hà Nội ghi đã đôn đốc phường Hoàn Kiếm
    Và phường Hoàn Kiếm nộp báo cáo với 0 gia đình học tập được công nhận trên tổng 200 hộ
    Thì việc tiếp theo của báo cáo phường Hoàn Kiếm là "Duyệt báo cáo của xã" của tỉnh "01"

  Kịch bản: Tỉnh trả lại báo cáo của một xã
    Cho tỉnh Hà Nội đặt hạn cho các xã "2026-12-05", nhắc trước 3 ngày
    Khi phường Hoàn Kiếm nộp báo cáo với 0 gia đình học tập được công nhận trên tổng 200 hộ
    Và tỉnh duyệt báo cáo của phường Hoàn Kiếm "trả lại" với lý do "Tổng số hộ chưa khớp niên giám"
    Thì việc tiếp theo của báo cáo phường Hoàn Kiếm là "Nộp báo cáo của xã" của xã "00070"
    Khi phường Hoàn Kiếm nộp báo cáo với 0 gia đình học tập được công nhận trên tổng 210 hộ
    Và tỉnh duyệt báo cáo của phường Hoàn Kiếm "chấp nhận"
    Thì số liệu được chấp nhận của phường Hoàn Kiếm có 0 gia đình học tập trên tổng 210

  Kịch bản: Số được công nhận khác sổ danh hiệu mà không có lý do bị từ chối
    Cho tỉnh Hà Nội đặt hạn cho các xã "2026-12-05", nhắc trước 3 ngày
    Khi phường Hoàn Kiếm nộp báo cáo với 5 gia đình học tập được công nhận trên tổng 200 hộ
    Thì việc bị từ chối vì "Sổ danh hiệu ghi 0; nhập lý do điều chỉnh nếu số thực tế là 5."

  Kịch bản: Số tổng hợp của tỉnh và của Bộ bằng tổng số liệu các xã
    Cho tỉnh Hà Nội đặt hạn cho các xã "2026-12-05", nhắc trước 3 ngày
    Khi phường Hoàn Kiếm nộp báo cáo với 0 gia đình học tập được công nhận trên tổng 200 hộ
    Và tỉnh duyệt báo cáo của phường Hoàn Kiếm "chấp nhận"
    Và phường Cửa Nam nộp báo cáo với 0 gia đình học tập được công nhận trên tổng 150 hộ và được chấp nhận
    Thì tổng hợp của tỉnh Hà Nội có 350 hộ, 2 xã đã được chấp nhận
    Và tổng hợp của Bộ cho Hà Nội có 350 hộ, 2 xã đã được chấp nhận, chỉ tiêu 80%

  Kịch bản: Một xã không thấy báo cáo của xã khác
    Cho tỉnh Hà Nội đặt hạn cho các xã "2026-12-05", nhắc trước 3 ngày
    Thì cán bộ xã Cửa Nam không mở được báo cáo của phường Hoàn Kiếm
    Và hộp việc của cán bộ xã Cửa Nam chỉ có báo cáo của xã Cửa Nam

  Kịch bản: Tỉnh được nhắc, quá hạn thì Bộ đôn đốc, tỉnh vẫn gửi; Bộ tổng hợp toàn quốc
    Cho tỉnh Hà Nội đặt hạn cho các xã "2026-12-05", nhắc trước 3 ngày
    Khi hôm nay là ngày "2026-12-13"
    Và bộ hẹn giờ chạy
    Thì việc "Tổng hợp, gửi báo cáo của tỉnh" của tỉnh Hà Nội đã được nhắc
    Khi hôm nay là ngày "2026-12-16"
    Và bộ hẹn giờ chạy
    Và Bộ ghi đã đôn đốc tỉnh Hà Nội
    Và tỉnh Hà Nội gửi báo cáo của tỉnh
    Và Bộ gửi báo cáo tổng hợp toàn quốc năm 2026
    Thì Bộ không còn việc về báo cáo của tỉnh Hà Nội, báo cáo toàn quốc đã gửi

  Kịch bản: Tỉnh chưa đặt hạn cho các xã khi đã quá hạn của tỉnh: Bộ đôn đốc
    Khi hôm nay là ngày "2026-12-16"
    Và bộ hẹn giờ chạy
    Và Bộ ghi đã đôn đốc tỉnh Hà Nội
    Thì tỉnh Hà Nội vẫn còn việc "Đặt hạn nộp cho các xã"
