# language: vi
Tính năng: Báo cáo kết quả Tuần lễ hưởng ứng học tập suốt đời (1–7 tháng 10)
  Bộ mở kỳ báo cáo; tỉnh đặt hạn cho các xã; mỗi xã báo cáo số hoạt động đã tổ chức và số lượt người tham gia;
  tỉnh duyệt, rồi gửi Bộ báo cáo của tỉnh kèm các hoạt động cấp tỉnh, trước 20/10; Bộ tổng hợp toàn quốc.
  Quá hạn thì cấp trên nhận việc đôn đốc, đơn vị trễ vẫn gửi được. Đồng hồ được dời đi thay vì chờ.

  Bối cảnh:
    Cho Bộ mở kỳ báo cáo Tuần lễ năm 2027
    Và tỉnh Hà Nội đặt hạn Tuần lễ cho các xã "2027-10-12", nhắc trước 2 ngày

  Kịch bản: Cả vòng đúng hạn: tổng hợp bằng tổng các xã cộng hoạt động cấp tỉnh
    Khi phường Hoàn Kiếm báo cáo 5 hoạt động với 420 lượt người và được tỉnh chấp nhận
    Và phường Cửa Nam báo cáo 2 hoạt động với 80 lượt người và được tỉnh chấp nhận
    Và tỉnh Hà Nội gửi báo cáo Tuần lễ với 3 hoạt động cấp tỉnh và 1500 lượt người
    Thì tổng hợp Tuần lễ của tỉnh Hà Nội có 7 hoạt động và 500 lượt người ở các xã, 3 hoạt động và 1500 lượt người cấp tỉnh
    Và tổng hợp Tuần lễ của Bộ cho Hà Nội có 7 hoạt động và 500 lượt người ở các xã, 3 hoạt động và 1500 lượt người cấp tỉnh
    Khi Bộ gửi báo cáo tổng hợp toàn quốc Tuần lễ
    Thì Bộ không còn việc của kỳ báo cáo Tuần lễ

  Kịch bản: Tỉnh trả lại báo cáo của một xã
    Khi phường Hoàn Kiếm báo cáo 5 hoạt động với 420 lượt người
    Và tỉnh trả lại báo cáo Tuần lễ của phường Hoàn Kiếm với lý do "Thiếu ngày hội đọc sách"
    Thì phường Hoàn Kiếm lại có việc "Nộp báo cáo của xã"
    Khi phường Hoàn Kiếm báo cáo 6 hoạt động với 500 lượt người và được tỉnh chấp nhận
    Thì tổng hợp Tuần lễ của tỉnh Hà Nội có 6 hoạt động và 500 lượt người ở các xã, 0 hoạt động và 0 lượt người cấp tỉnh

  Kịch bản: Tỉnh quá hạn: Bộ nhận việc đôn đốc, tỉnh vẫn gửi được
    Khi hôm nay là ngày "2027-10-21"
    Và bộ hẹn giờ chạy
    Thì hộp việc của Bộ có việc "Đôn đốc tỉnh nộp báo cáo quá hạn" cho tỉnh Hà Nội
    Khi Bộ ghi đã đôn đốc tỉnh Hà Nội về Tuần lễ
    Và tỉnh Hà Nội gửi báo cáo Tuần lễ với 0 hoạt động cấp tỉnh và 0 lượt người
    Thì tỉnh Hà Nội không còn việc gửi báo cáo Tuần lễ

  Kịch bản: Có người tham gia mà không có hoạt động nào thì bị từ chối
    Khi phường Hoàn Kiếm báo cáo 0 hoạt động với 300 lượt người
    Thì việc bị từ chối vì "Có 300 lượt người tham gia nhưng không có hoạt động nào: nhập số hoạt động đã tổ chức."

  Kịch bản: Xã trễ hạn: tỉnh nhận việc đôn đốc, xã vẫn báo cáo được
    Khi hôm nay là ngày "2027-10-13"
    Và bộ hẹn giờ chạy
    Và tỉnh Hà Nội ghi đã đôn đốc phường Hoàn Kiếm về Tuần lễ
    Và phường Hoàn Kiếm báo cáo 1 hoạt động với 40 lượt người và được tỉnh chấp nhận
    Thì tổng hợp Tuần lễ của tỉnh Hà Nội có 1 hoạt động và 40 lượt người ở các xã, 0 hoạt động và 0 lượt người cấp tỉnh
