"""Pages that read right (issue 17, part 4): units by name, reports labelled as reports, "chưa giao cho xã", a step's
rules on its form before the first submit, messages without internal names, one date format, links to the pages a
step names."""
import re
from pathlib import Path

import pytest
from lxml import etree

from engine.dossiers import starting, tasks
from engine.errors import InvalidInput
from engine.model import Official, Role
from engine.organisation import accounts, units
from engine.reporting import periods
from tests.support.builders import (APPROVAL, PASSWORD, approve_all_the_way, csrf_token, only_task,
                                     set_commune_deadline, to_commune)


def who(page: str) -> str:
    return re.search(r'<a class="who"[^>]*>(.*?)</a>', page, re.S).group(1)


def test_units_read_by_name_in_the_header_the_summary_the_history_and_the_registry(client, officials, login_as, api,
                                                                                      new_uow):
    dossier_id, verify = to_commune(new_uow, officials)
    _, approve = approve_all_the_way(new_uow, officials, verify)
    approve()
    login_as(officials.commune)
    page = client.get(f"/dossiers/{dossier_id}").get_data(as_text=True)
    assert who(page) == "xa-hoankiem · Phường Hoàn Kiếm"
    assert "Chi hội tổ 1 · Phường Hoàn Kiếm · Thành phố Hà Nội" in page
    assert "(Chi hội tổ 1)" in page and "(Thành phố Hà Nội)" in page
    assert "xã 00070" not in page and "tỉnh 01" not in page
    registry = client.get("/registry?year=2026").get_data(as_text=True)
    assert "<td>Chi hội tổ 1</td><td>Phường Hoàn Kiếm</td><td>Thành phố Hà Nội</td>" in registry
    assert "<td>Phường Hoàn Kiếm (00070)</td>" in registry  # the counts per commune: the code is what a filter takes
    login_as(officials.province)
    assert who(client.get("/inbox").get_data(as_text=True)) == "tinh-hanoi · Thành phố Hà Nội"
    login_as(officials.designer)  # not the unit's own official: the role says what they do there
    assert who(client.get("/inbox").get_data(as_text=True)) == "thietke · Thiết kế quy trình · Bộ Giáo dục và Đào tạo"
    names = api.get(f"/api/dossiers/{dossier_id}", officials.commune).json["unit_names"]
    assert names == {officials.branch_code: "Chi hội tổ 1", "00070": "Phường Hoàn Kiếm", "01": "Thành phố Hà Nội"}


def test_a_branch_added_after_the_first_page_still_reads_by_name(client, officials, login_as, new_uow):
    login_as(officials.commune)
    client.get("/inbox")  # the app has read every unit's name
    school = units.add_branch("00070", "Trường THCS Ngô Sĩ Liên", new_uow(), kind="school")
    official = accounts.create_user("truong", PASSWORD, "branch", school, new_uow())
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/inbox").get_data(as_text=True))})
    login_as(official)
    page = client.get("/inbox").get_data(as_text=True)
    assert who(page) == "truong · Trường THCS Ngô Sĩ Liên"


def test_a_school_s_dossier_names_the_school_not_a_chi_hoi(client, officials, login_as, new_uow):
    school = units.add_branch("00070", "Trường THCS Ngô Sĩ Liên", new_uow(), kind="school")
    official = accounts.create_user("truong", PASSWORD, "branch", school, new_uow())
    dossier = starting.start_dossier("learning_unit_recognition", official, {"year": 2026}, new_uow())
    login_as(official)
    page = client.get(f"/tasks/{only_task(dossier).id}").get_data(as_text=True)
    summary = re.search(r'<dl class="summary">(.*?)</dl>', page, re.S).group(1)
    assert "Trường THCS Ngô Sĩ Liên · Phường Hoàn Kiếm · Thành phố Hà Nội" in summary and "Chi hội" not in summary


def test_report_dossiers_read_as_reports_with_a_link_to_the_report_page(client, officials, login_as, new_uow):
    periods.open_reporting_period("annual_models", 2026, officials.ministry, new_uow())
    login_as(officials.province)
    (task,) = tasks.inbox(officials.province, new_uow()).tasks
    summary = re.search(r'<dl class="summary">(.*?)</dl>', client.get(f"/tasks/{task.id}").get_data(as_text=True),
                        re.S).group(1)
    assert "Báo cáo năm 2026 · Thành phố Hà Nội" in summary
    assert "Báo cáo năm 2026 · Thành phố Hà Nội" in client.get("/inbox").get_data(as_text=True)  # its row's name
    assert "Chi hội" not in summary and "xã 01" not in summary and "Danh hiệu" not in summary
    login_as(officials.ministry)
    (national,) = tasks.inbox(officials.ministry, new_uow()).tasks
    page = client.get(f"/tasks/{national.id}").get_data(as_text=True)
    assert "Báo cáo năm 2026 · Bộ Giáo dục và Đào tạo" in page and "Chi hội VN" not in page
    assert '<a href="/reports/annual_models/2026">trang Báo cáo</a>' in page


def test_an_inbox_row_names_its_proposing_province_as_the_pages_do(new_uow, officials):
    """The official list names a province "Cao Bằng": its report's row read "Cao Bằng", not "Tỉnh Cao Bằng"."""
    periods.open_reporting_period("annual_models", 2026, officials.ministry, new_uow())
    (row,) = tasks.inbox(Official("tinh-caobang", Role.PROVINCE, "04"), new_uow()).tasks
    assert row.proposer == "Tỉnh Cao Bằng"


def test_the_national_view_says_which_provinces_have_not_asked_their_communes(client, officials, login_as, api,
                                                                             new_uow):
    periods.open_reporting_period("annual_models", 2026, officials.ministry, new_uow())
    set_commune_deadline(new_uow, officials)
    login_as(officials.ministry)
    page = client.get("/reports/annual_models/2026").get_data(as_text=True)
    row = {name: cells for name, cells in re.findall(r"<tr><td>([^<]+)</td>(.*?)</tr>", page, re.S)}
    assert "<td>chưa giao cho xã</td>" in row["Thành phố Huế"]
    assert "<td>chưa giao cho xã</td>" in row["Tỉnh Cao Bằng"]
    assert "chưa giao cho xã" not in row["Thành phố Hà Nội"] and re.search(r"<td>\d+ / \d+</td><td>\d+</td>", row["Thành phố Hà Nội"])
    body = api.get("/api/reports/annual_models/2026", officials.ministry).json
    asked = {r["code"]: r["asked"] for r in body["rows"]}
    assert asked["01"] is True and asked["46"] is False


def test_a_step_shows_its_rules_before_the_first_submit(client, officials, login_as, api, new_uow):
    dossier = starting.start_dossier("candidate_list_recognition", officials.branch,
                                     {"year": 2026, "name": "Tổ 1", "title": "family"}, new_uow())
    task = only_task(dossier)
    login_as(officials.branch)
    page = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    rules = re.search(r'<section class="card rules".*?</section>', page, re.S).group(0)
    assert "Ngưỡng điểm Gia đình học tập" in rules and "70 điểm" in rules and "toàn quốc, phiên bản 1" in rules
    assert page.index("Quy định phải đạt") < page.index('enctype="multipart/form-data" novalidate')
    assert "{title}" not in page and "family_score" not in page
    detail = api.get(f"/api/tasks/{task.id}", officials.branch).json
    assert detail["rules"]["pass_mark"] == 70 and detail["rules"]["table"].startswith("Ngưỡng điểm Gia đình học tập")


def test_a_citizen_s_form_lists_the_indicators_with_their_points(client, officials, login_as, new_uow):
    dossier = starting.start_dossier("learning_citizen_recognition", officials.branch, {"year": 2026}, new_uow())
    login_as(officials.branch)
    page = client.get(f"/tasks/{only_task(dossier).id}").get_data(as_text=True)
    rules = re.search(r'<section class="card rules".*?</section>', page, re.S).group(0)
    assert "Nhóm tự học (0-40)" in rules and "Nhóm tự học dưới 20 điểm." in rules


def test_refusals_name_fields_and_tables_as_people_know_them(client, officials, login_as, new_uow):
    dossier = starting.start_dossier("candidate_list_recognition", officials.branch, {"year": 2026, "title": "family"},
                                     new_uow())
    with pytest.raises(InvalidInput) as refused:
        tasks.complete_task(only_task(dossier).id, officials.branch, {"candidates": [{"name": "Hộ A", "score": 60}]},
                            new_uow())
    refusal = str(refused.value)
    assert "family_score" not in refusal and "candidates" not in refusal
    assert "dòng 1" in refusal and "60 điểm chưa đạt ngưỡng 70 (bảng “Ngưỡng điểm Gia đình học tập" in refusal
    login_as(officials.commune)
    token = csrf_token(client.get("/branches").get_data(as_text=True))
    page = client.post("/branches", data={"name": " ", "csrf_token": token}).get_data(as_text=True)
    assert "Tên: Bắt buộc nhập tên chi hội." in page and "name:" not in page


def test_the_decision_date_reads_as_every_other_date(client, officials, login_as, new_uow):
    dossier_id, verify = to_commune(new_uow, officials)
    _, approve = approve_all_the_way(new_uow, officials, verify)
    approve()
    login_as(officials.commune)
    page = client.get(f"/dossiers/{dossier_id}").get_data(as_text=True)
    assert "ngày 18/11/2026" in page and APPROVAL["decision_date"] not in page


def test_no_shipped_step_tells_officials_an_internal_name():
    """What a task page shows of its step (its documentation) names tables and fields as officials know them."""
    bpmn = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
    for path in sorted(Path("bpmn").glob("*.bpmn")):
        for step in etree.parse(str(path)).iter(f"{bpmn}userTask"):
            text = " ".join(step.findtext(f"{bpmn}documentation", "").split())
            assert not re.search(r"[{}]|\b[a-z]+_[a-z_]+\b", text), (path.name, step.get("id"), text)


def test_a_history_entry_of_no_step_says_what_happened(client, officials, login_as, new_uow):
    periods.open_reporting_period("annual_models", 2026, officials.ministry, new_uow())
    set_commune_deadline(new_uow, officials, day="2026-11-22", reminder_days=3)  # reminded as soon as it opens
    (task,) = tasks.inbox(officials.commune, new_uow()).tasks
    login_as(officials.commune)
    history = client.get(f"/tasks/{task.id}").get_data(as_text=True).split("Lịch sử hồ sơ")[1]
    assert "· nhắc hạn" in history and "· mở hồ sơ" in history and "None" not in history


def test_a_step_s_text_is_escaped_and_only_known_pages_become_links(app):
    from web.templating import page_links
    with app.test_request_context():
        report = type("Dossier", (), {"title": "learning_week", "year": 2027})
        html = page_links('<script>x</script> xem trang Báo cáo <a href="//evil">', report)
        recognition = page_links("xem trang Báo cáo", type("Dossier", (), {"title": "family", "year": 2026}))
    assert html == ('&lt;script&gt;x&lt;/script&gt; xem <a href="/reports/learning_week/2027">trang Báo cáo</a> '
                    '&lt;a href=&#34;//evil&#34;&gt;')
    assert recognition == "xem trang Báo cáo"
