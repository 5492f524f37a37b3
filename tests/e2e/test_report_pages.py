"""The national view in the page (table and chart data), as .xlsx opened back, and through the API."""
import io
import json
import re

from openpyxl import load_workbook

from engine.dossiers import tasks
from engine.reporting import periods
from tests.support.builders import (FIGURES, accept_figures, accept_week, csrf_token, open_week, send_week_report,
                                     set_commune_deadline)


def period_with_one_commune(new_uow, officials):
    periods.open_reporting_period("annual_models", 2026, officials.ministry, new_uow())
    set_commune_deadline(new_uow, officials)
    accept_figures(new_uow, officials, officials.commune, {**FIGURES, "total_family": 80})


def test_the_province_sees_its_communes_with_a_chart_and_an_export(client, login_as, officials, new_uow):
    period_with_one_commune(new_uow, officials)
    login_as(officials.province)
    page = client.get("/reports/annual_models/2026").get_data(as_text=True)
    assert "Phường Hoàn Kiếm" in page and "0 / 80 (0.0 %; 80 %)" in page
    chart = json.loads(re.search(r'<script id="report-data" type="application/json">(.*?)</script>', page, re.S)
                       .group(1))
    hoan_kiem = chart["labels"].index("Phường Hoàn Kiếm")
    assert (chart["bars"][hoan_kiem], chart["targets"][hoan_kiem]) == (0.0, 80.0)
    sheet = load_workbook(io.BytesIO(client.get("/reports/annual_models/2026?format=xlsx").data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[-1][1] == "Tổng" and rows[-1][3] == 1 and rows[-1][8] == 80  # accepted; family total
    login_as(officials.commune)
    assert client.get("/reports/annual_models/2026").status_code == 403


def test_the_ministry_pulls_the_national_figures_through_the_api(api, officials, new_uow):
    period_with_one_commune(new_uow, officials)
    body = api.get("/api/reports/annual_models/2026", officials.ministry).json
    assert len(body["rows"]) == 34 and body["totals"][0]["total"] == 80
    assert next(r for r in body["rows"] if r["code"] == "01")["accepted"] == 1
    assert api.get("/api/reports/annual_models/2030", officials.ministry).status_code == 404
    assert api.get("/api/reports/annual_models/2026", officials.branch).status_code == 403


def test_the_ministry_opens_a_period_in_its_page(client, login_as, officials, new_uow):
    login_as(officials.ministry)
    token = csrf_token(client.get("/periods").get_data(as_text=True))
    bad = client.post("/periods", data={"kind": "annual_models", "year": "2026", "province_deadline": "2026-11-01",
                                        "recipient": "Cục GDNN-GDTX", "csrf_token": token}, follow_redirects=True)
    assert "Hạn nộp của tỉnh (01/11/2026) đã qua." in bad.get_data(as_text=True)
    done = client.post("/periods", data={"kind": "annual_models", "year": "2026", "province_deadline": "",
                                         "recipient": "Cục GDNN-GDTX, Bộ GDĐT", "csrf_token": token})
    assert done.status_code == 302 and done.headers["Location"].endswith("/reports/annual_models/2026")
    login_as(officials.province)
    (task,) = tasks.inbox(officials.province, new_uow()).tasks
    assert "Báo cáo gửi: Cục GDNN-GDTX, Bộ GDĐT." in client.get(f"/tasks/{task.id}").get_data(as_text=True)
    refused = client.post("/periods", data={"kind": "annual_models", "year": "2027", "recipient": "Bộ",
                                            "csrf_token": csrf_token(client.get("/inbox").get_data(as_text=True))})
    assert refused.status_code == 403
    with new_uow() as uow:
        assert uow.periods.of("annual_models", 2027) is None


def test_only_the_ministry_sees_the_page_to_open_a_period(client, login_as, officials):
    login_as(officials.province)
    assert client.get("/periods").status_code == 403
    login_as(officials.ministry)
    assert client.get("/periods").status_code == 200


def test_the_week_s_figures_in_the_page_the_chart_the_export_and_the_api(client, login_as, api, officials, new_uow):
    open_week(new_uow, officials)
    accept_week(new_uow, officials, officials.commune, {"activities": 5, "participants": 420})
    send_week_report(new_uow, officials, {"activities": 3, "participants": 1500, "summary": "Tuần lễ 2027"})
    login_as(officials.province)
    page = client.get("/reports/learning_week/2027?show=participants").get_data(as_text=True)
    assert "Báo cáo kết quả Tuần lễ hưởng ứng học tập suốt đời năm 2027" in page
    assert "Cấp tỉnh (do tỉnh tổ chức)" in page and "<th>1920</th>" in page  # 420 in the communes + 1500 its own
    chart = json.loads(re.search(r'<script id="report-data" type="application/json">(.*?)</script>', page, re.S)
                       .group(1))
    assert chart["bars"][chart["labels"].index("Phường Hoàn Kiếm")] == 420 and "targets" not in chart
    sheet = load_workbook(io.BytesIO(client.get("/reports/learning_week/2027?format=xlsx").data)).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert header[6:] == ("Số hoạt động đã tổ chức: các xã", "Số hoạt động đã tổ chức: cấp tỉnh",
                          "Số lượt người tham gia: các xã", "Số lượt người tham gia: cấp tỉnh")
    assert rows[-1][1] == "Tổng" and rows[-1][6:] == (5, 3, 420, 1500)
    body = api.get("/api/reports/learning_week/2027", officials.ministry).json
    hanoi = next(r for r in body["rows"] if r["code"] == "01")
    assert (hanoi["values"], hanoi["own"], hanoi["accepted"]) == (
        {"activities": 5, "participants": 420}, {"activities": 3, "participants": 1500}, 1)
    assert body["totals"] == [] and [i["name"] for i in body["indicators"]] == ["activities", "participants"]
    assert hanoi["sent_at"] is not None and next(r for r in body["rows"] if r["code"] == "46")["sent_at"] is None
    login_as(officials.ministry)
    page = client.get("/reports/learning_week/2027").get_data(as_text=True)
    assert "Hạn nộp của tỉnh: 20/10/2027 17:00." in page and page.count("chưa gửi") == 33 and "1 đã gửi" in page
    sheet = load_workbook(io.BytesIO(client.get("/reports/learning_week/2027?format=xlsx").data)).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    states = {row[0]: row[6] for row in rows}
    assert header[6] == "Báo cáo của tỉnh" and states["46"] == "chưa gửi" and states[None] == "1 đã gửi"
    assert states["01"].year == 2026  # when Hà Nội sent it, as a date in the sheet


def test_a_period_not_yet_opened_says_so_by_its_name_and_where_it_opens(client, login_as, officials):
    login_as(officials.province)
    answer = client.get("/reports/learning_week/2026")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 404 and "Báo cáo kết quả Tuần lễ hưởng ứng học tập suốt đời" in page
    assert "learning_week" not in page.replace('href="/reports/learning_week', "")  # only in the menu's links
