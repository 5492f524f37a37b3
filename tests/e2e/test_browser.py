"""A real browser (Debian's headless Chromium, driven by Playwright) going through the pages as officials do."""
import os
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from engine.dossiers import starting, tasks, viewing
from engine.organisation import accounts, units
from engine.reporting import periods
from tests.support.browser import SCREENS, axe_violations, check_page, overflowing, small_targets
from tests.support.builders import APPROVAL, CANDIDATES, PASSWORD, PROCESS, only_task, to_commune, xlsx_file

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    """One Chromium for the module (starting one costs a second); each test opens its own pages in it."""
    if not Path(CHROMIUM).exists():
        reason = f"no Chromium at {CHROMIUM} (install Debian's chromium package; .ci/run does)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        yield browser
        browser.close()


def sign_in(page, live_server, username):
    page.goto(f"{live_server}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server}/inbox")


def sign_out(page):
    """Through the header, as the official would: on a phone the sign-out sits behind the menu button."""
    menu = page.locator("header button.menu")
    if menu.is_visible():
        menu.click()
    page.click("header button:has-text('Đăng xuất')")
    page.wait_for_url("**/login")


def test_commune_returns_and_branch_revises_in_the_browser(browser, live_server, officials, new_uow):
    dossier_id, verify = to_commune(new_uow, officials)
    page = browser.new_page()
    sign_in(page, live_server, officials.commune.username)
    page.click("table.list a:has-text('Thẩm định hồ sơ')")
    page.wait_for_url(f"{live_server}/tasks/{verify.id}")
    assert page.locator("text=Nguyễn Văn An").count() >= 1
    page.check("input[name=decision][value=return]")
    page.click("button:has-text('Gửi')")
    assert page.locator(".field-error", has_text="Bắt buộc nhập.").is_visible()
    page.fill("textarea[name=comment]", "Hộ Trần Thị Bình thiếu minh chứng")
    page.check("input[name=decision][value=return]")
    page.click("button:has-text('Gửi')")
    page.wait_for_url(f"{live_server}/inbox")
    assert "Đã hoàn thành bước" in page.locator(".flash.success").inner_text()
    page.screenshot(path=str(SCREENS / "commune-inbox.png"), full_page=True)
    sign_out(page)

    sign_in(page, live_server, officials.branch.username)
    page.click("table.list a:has-text('Bổ sung danh sách đề nghị')")
    assert page.input_value("input[name=candidates-1-name]") == "Trần Thị Bình"
    page.fill("input[name=candidates-1-name]", "")
    page.fill("input[name=candidates-1-score]", "")
    rows = page.locator("table[data-list] tbody tr").count()
    page.click("button:has-text('Thêm dòng')")
    page.fill(f"input[name=candidates-{rows}-name]", "Phạm Thị Dung")
    page.fill(f"input[name=candidates-{rows}-score]", "88")
    page.screenshot(path=str(SCREENS / "branch-revise.png"), full_page=True)
    page.click("button:has-text('Gửi')")
    page.wait_for_url(f"{live_server}/inbox")
    page.goto(f"{live_server}/dossiers/{dossier_id}")
    history = page.locator(".history").inner_text()
    assert "thiếu minh chứng" in history and "2 hộ đề nghị" in history and "trả lại" in history
    assert page.locator("table.list tbody tr").all_inner_texts() == ["1\tNguyễn Văn An\t86", "2\tPhạm Thị Dung\t88"]


def test_the_dossier_page_draws_the_shipped_diagram_without_warnings(browser, live_server, officials, new_uow):
    dossier_id, _ = to_commune(new_uow, officials)
    page = browser.new_page()
    sign_in(page, live_server, officials.commune.username)
    page.goto(f"{live_server}/dossiers/{dossier_id}")
    page.wait_for_selector("#diagram[data-ready=true]", timeout=15000)
    assert page.get_attribute("#diagram", "data-warnings") == "0"
    # Every lane, step and flow of the file is drawn, and the open step is marked.
    for element in ("lane_round_province", "prepare_candidate_list", "review_round", "approve", "flow_province_returns"):
        assert page.locator(f'#diagram [data-element-id="{element}"]').count() == 1, element
    assert page.locator('#diagram [data-element-id="verify"].open-step').count() == 1
    # What the dossier went through: the branch's list, the flows to the round and into it; not what lies ahead.
    for done in ("start", "prepare_candidate_list", "round_start"):
        assert page.locator(f'#diagram [data-element-id="{done}"].done-step').count() == 1, done
    for taken in ("flow_start", "flow_round_start"):
        assert page.locator(f'#diagram [data-element-id="{taken}"].taken-flow').count() == 1, taken
    for ahead in ("approve", "flow_to_province"):
        assert page.locator(f'#diagram [data-element-id="{ahead}"]:is(.done-step, .taken-flow)').count() == 0, ahead
    page.screenshot(path=str(SCREENS / "dossier.png"), full_page=True)


def test_a_citizen_registers_with_evidence_in_the_browser(browser, live_server, officials, tmp_path):
    evidence = tmp_path / "Giấy khen.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% giay khen\n")
    page = browser.new_page()
    sign_in(page, live_server, officials.branch.username)
    page.click("text=Mở hồ sơ mới")
    page.select_option("select[name=process]", "learning_citizen_recognition:citizen")
    page.click("button:has-text('Mở hồ sơ')")
    page.fill("input[name=full_name]", "Phạm Văn Minh")
    page.fill("input[name=id_number]", "001090012345")
    for number in range(1, 11):
        page.fill(f"input[name=indicator_{number}]", "8")
    page.set_input_files("input[type=file][name=evidence]", str(evidence))
    page.click("button:has-text('Gửi')")
    page.wait_for_url(f"{live_server}/inbox")
    page.click("table.list a:has-text('Chi hội xác nhận kết quả tự đánh giá')")
    assert page.locator("a:has-text('Giấy khen.pdf')").count() == 1
    with page.expect_download() as download:
        page.click("a:has-text('Giấy khen.pdf')")
    assert Path(download.value.path()).read_bytes() == evidence.read_bytes()


def test_every_shipped_diagram_draws_without_warnings(browser, live_server, officials, new_uow):
    school = units.add_branch("00070", "Trường THCS Ngô Sĩ Liên", new_uow(), kind="school")
    starters = {"candidate_list_recognition": officials.branch, "learning_citizen_recognition": officials.branch,
                "commune_community_recognition": officials.commune,
                "learning_unit_recognition": accounts.create_user("truong", PASSWORD, "branch", school, new_uow())}
    page = browser.new_page()
    sign_in(page, live_server, officials.ministry.username)
    for process, starter in starters.items():
        data = {"year": 2026, **({"title": "family"} if process == "candidate_list_recognition" else {})}
        started = starting.start_dossier(process, starter, data, new_uow())
        page.goto(f"{live_server}/dossiers/{started.id}")
        page.wait_for_selector("#diagram[data-ready=true]", timeout=15000)
        assert page.get_attribute("#diagram", "data-warnings") == "0", process
        first_step = started.open_tasks[0].step
        assert page.locator(f'#diagram [data-element-id="{first_step}"].open-step').count() == 1, process
        assert page.locator('#diagram [data-element-id="review_round"]').count() == 1, process
    periods.open_reporting_period("annual_models", 2026, officials.ministry, new_uow())
    (province_task,) = tasks.inbox(officials.province, new_uow()).tasks
    page.goto(f"{live_server}/dossiers/{province_task.dossier_id}")
    page.wait_for_selector("#diagram[data-ready=true]", timeout=15000)
    assert page.get_attribute("#diagram", "data-warnings") == "0"
    assert page.locator('#diagram [data-element-id="province_late"]').count() == 1
    tasks.complete_task(province_task.id, officials.province, {"commune_deadline": "2026-12-05", "reminder_days": 3},
                        new_uow())
    (commune_task,) = [t for t in tasks.inbox(officials.commune, new_uow()).tasks if t.title == "annual_models"]
    page.goto(f"{live_server}/dossiers/{commune_task.dossier_id}")
    page.wait_for_selector("#diagram[data-ready=true]", timeout=15000)
    assert page.get_attribute("#diagram", "data-warnings") == "0"
    assert page.locator('#diagram [data-element-id="commune_late"]').count() == 1
    periods.open_reporting_period("learning_week", 2026, officials.ministry, new_uow(), date(2026, 12, 20))
    for official, step in ((officials.province, "set_commune_deadline"), (officials.ministry, "compile_national_report")):
        (task,) = [t for t in tasks.inbox(official, new_uow()).tasks if t.title == "learning_week" and t.step == step]
        page.goto(f"{live_server}/dossiers/{task.dossier_id}")
        page.wait_for_selector("#diagram[data-ready=true]", timeout=15000)
        assert page.get_attribute("#diagram", "data-warnings") == "0", step
        assert page.locator(f'#diagram [data-element-id="{step}"].open-step').count() == 1, step


def test_the_ministry_sees_a_bar_per_province_against_the_target(browser, live_server, officials, new_uow):
    periods.open_reporting_period("annual_models", 2026, officials.ministry, new_uow())
    page = browser.new_page()
    sign_in(page, live_server, officials.ministry.username)
    page.click("text=Báo cáo năm")
    page.wait_for_selector("#report-chart[data-ready]", timeout=15000)
    assert page.get_attribute("#report-chart", "data-ready") == "34"
    assert page.locator("table.list tbody tr").count() == 35  # 34 provinces and the total
    periods.open_reporting_period("learning_week", 2026, officials.ministry, new_uow(), date(2026, 12, 20))
    page.click("text=Tuần lễ học tập suốt đời")
    page.wait_for_selector("#report-chart[data-ready]", timeout=15000)
    assert page.get_attribute("#report-chart", "data-ready") == "34"
    assert page.get_attribute("#report-chart", "data-bars") == "Số hoạt động đã tổ chức"


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}],
                         ids=["desktop", "phone"])
def test_the_pages_run_their_scripts_under_the_content_security_policy(browser, live_server, officials, new_uow,
                                                                       viewport):
    dossier_id, _ = to_commune(new_uow, officials)
    list_task = starting.start_dossier("candidate_list_recognition", officials.branch, {"year": 2026, "title": "family"},
                                       new_uow()).open_tasks[0]
    periods.open_reporting_period("annual_models", 2026, officials.ministry, new_uow())
    page = browser.new_page(viewport=viewport)
    console = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: console.append(f"pageerror: {error}"))

    def visit(path, ready):
        response = page.goto(f"{live_server}{path}")
        assert "'unsafe-inline'" not in response.headers["content-security-policy"], path
        page.wait_for_selector(ready, timeout=15000)

    sign_in(page, live_server, officials.branch.username)
    visit(f"/tasks/{list_task.id}", "table[data-list] + button:has-text('Thêm dòng')")
    sign_out(page)
    sign_in(page, live_server, officials.ministry.username)
    visit(f"/dossiers/{dossier_id}", "#diagram[data-ready=true]")
    visit("/reports/annual_models/2026", "#report-chart[data-ready='34']")
    assert [line for line in console if "Content Security Policy" in line or "pageerror" in line] == []


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}],
                         ids=["desktop", "phone"])
def test_a_commune_prints_a_decision_s_certificates_through_a_background_job(browser, live_server, officials,
                                                                            new_uow, viewport):
    _, verify = to_commune(new_uow, officials)
    approve = tasks.complete_task(verify.id, officials.commune, {"decision": "approve"}, new_uow()).next_tasks[0]
    tasks.complete_task(approve.id, officials.province, APPROVAL, new_uow())
    page = browser.new_page(viewport=viewport, accept_downloads=True)
    sign_in(page, live_server, officials.commune.username)
    page.goto(f"{live_server}/registry?year=2026")
    page.click("a:has-text('125/QĐ-UBND')")
    page.click("button:has-text('In tất cả giấy công nhận')")
    page.wait_for_selector("text=Đã xong")
    check_page(page, "certificates-job")
    with page.expect_download() as download:
        page.click("a:has-text('Tải giay-cong-nhan-qd-')")
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF") and len(PdfReader(BytesIO(pdf)).pages) == len(CANDIDATES)
    page.goto(f"{live_server}/jobs")
    assert page.locator("td:has-text('In giấy công nhận')").count() == 1
    check_page(page, "certificates-jobs")
    page.goto(f"{live_server}/inbox?q=nguyen+van+an&sort=due")  # its selects of long titles fit the phone too
    assert page.locator("input[name=q][type=search]").input_value() == "nguyen van an"
    check_page(page, "certificates-inbox")



VIEWPORTS = pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}],
                                    ids=["desktop", "phone"])


def pages_of_every_kind(new_uow, officials):
    """Each official's pages, a task page of every process among them: (official, [(name, path, shown when)])."""
    school = units.add_branch("00070", "Trường THCS Ngô Sĩ Liên", new_uow(), kind="school")
    school_official = accounts.create_user("truong", PASSWORD, "branch", school, new_uow())
    dossier_id, verify = to_commune(new_uow, officials)
    decided, approve = (tasks.complete_task(to_commune(new_uow, officials)[1].id, officials.commune,
                                            {"decision": "approve"}, new_uow()).next_tasks[0] for _ in range(2))
    tasks.complete_task(decided.id, officials.province, APPROVAL, new_uow())
    first_task = {process: starting.start_dossier(process, starter, {"year": 2026, "title": title},
                                                  new_uow()).open_tasks[0].id
                  for process, starter, title in (("candidate_list_recognition", officials.branch, "family"),
                                                  ("learning_citizen_recognition", officials.branch, "citizen"),
                                                  ("commune_community_recognition", officials.commune,
                                                   "community_commune"),
                                                  ("learning_unit_recognition", school_official, "unit"))}
    periods.open_reporting_period("annual_models", 2026, officials.ministry, new_uow())
    (deadline,) = [t for t in tasks.inbox(officials.province, new_uow()).tasks if t.title == "annual_models"]
    tasks.complete_task(deadline.id, officials.province, {"commune_deadline": "2026-12-05", "reminder_days": 3},
                        new_uow())
    (figures,) = [t for t in tasks.inbox(officials.commune, new_uow()).tasks if t.title == "annual_models"]
    periods.open_reporting_period("learning_week", 2026, officials.ministry, new_uow(), date(2026, 12, 20))
    week = {t.step: t.id for official in (officials.province, officials.ministry)
            for t in tasks.inbox(official, new_uow()).tasks if t.title == "learning_week"}
    form, table, chart = "main form", "table.list", "#report-chart[data-ready='34']"
    return [
        (officials.branch, [("inbox", "/inbox", table), ("new-dossier", "/dossiers/new", form),
                            ("unit-dossiers", "/unit-dossiers", table),
                            ("dossier-withdrawable", f"/dossiers/{dossier_id}", form),
                            ("task-list", f"/tasks/{first_task['candidate_list_recognition']}", "table[data-list]"),
                            ("task-citizen", f"/tasks/{first_task['learning_citizen_recognition']}", form),
                            ("password", "/password", form), ("tokens", "/tokens", form), ("jobs", "/jobs", table)]),
        (school_official, [("task-school", f"/tasks/{first_task['learning_unit_recognition']}", form)]),
        (officials.commune, [("task-verify", f"/tasks/{verify.id}", form),
                             ("dossier", f"/dossiers/{dossier_id}", "#diagram[data-ready=true]"),
                             ("task-commune", f"/tasks/{first_task['commune_community_recognition']}", form),
                             ("task-figures", f"/tasks/{figures.id}", form), ("branches", "/branches", table),
                             ("registry", "/registry?year=2026", table), ("expiring", "/expiring?year=2027", table),
                             ("unit-dossiers-commune", "/unit-dossiers", table),
                             ("error", "/dossiers/999999", "h1")]),
        (officials.province, [("task-approve", f"/tasks/{approve.id}", form),
                              ("task-deadline", f"/tasks/{week['set_commune_deadline']}", form),
                              ("report-province", "/reports/annual_models/2026", "#report-chart[data-ready]")]),
        (officials.ministry, [("report-annual", "/reports/annual_models/2026", chart),
                              ("report-week", "/reports/learning_week/2026", chart), ("periods", "/periods", form),
                              ("task-national", f"/tasks/{week['compile_national_report']}", form)]),
        (officials.designer, [("deployments", "/deployments", table),
                              ("migration", "/deployments/candidate_list_recognition/migration", "h1")]),
    ]


@VIEWPORTS
def test_every_page_fits_a_phone_and_passes_axe(browser, live_server, officials, new_uow, viewport):
    walk = pages_of_every_kind(new_uow, officials)
    page = browser.new_page(viewport=viewport)
    problems = []

    def visit(name, path, ready):
        page.goto(f"{live_server}{path}")
        page.wait_for_selector(ready, timeout=15000)
        try:  # every page's problems in one report
            check_page(page, f"tour-{name}")
        except AssertionError as found:
            problems.append(str(found))

    visit("login", "/login", "main form")
    for official, pages in walk:
        sign_in(page, live_server, official.username)
        for name, path, ready in pages:
            visit(name, path, ready)
        if official is officials.commune:  # the decision's page, from the registry
            page.goto(f"{live_server}/registry?year=2026")
            page.click("a:has-text('125/QĐ-UBND')")
            visit("decision", page.url.removeprefix(live_server), "table.list")
        sign_out(page)
    assert not problems, "\n".join(problems)


@VIEWPORTS
def test_a_session_expiring_mid_form_loses_nothing(browser, live_server, officials, new_uow, viewport):
    """The drafts helper's walk: a refused form focuses its error summary, whose links focus the fields; the session
    cleared while the official types, "Gửi" answers in Vietnamese, signing in again brings the typed values back on
    the same task, and they are sent from there."""
    _, verify = to_commune(new_uow, officials)
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    sign_in(page, live_server, officials.commune.username)
    page.goto(f"{live_server}/tasks/{verify.id}")
    page.check("input[name=decision][value=return]")
    page.click("button:has-text('Gửi')")
    page.wait_for_load_state("load")  # the refused page's scripts have run
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert 0 <= page.evaluate("document.activeElement.getBoundingClientRect().top") < viewport["height"]
    check_page(page, "session-refused")
    page.click("#error-summary a")
    assert page.evaluate("document.activeElement.name") == "comment"

    page.fill("textarea[name=comment]", "Thiếu biên bản họp thôn")
    context.clear_cookies()  # the session expires while the official types
    page.click("button:has-text('Gửi')")
    assert "phiên đăng nhập đã hết hạn" in page.locator("h1").inner_text().lower()
    check_page(page, "session-expired")
    page.fill("input[name=username]", officials.commune.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('Đăng nhập và lưu nháp')")
    page.wait_for_url(f"{live_server}/tasks/{verify.id}")
    assert page.locator(".draft-note").is_visible()
    assert page.input_value("textarea[name=comment]") == "Thiếu biên bản họp thôn"
    assert page.is_checked("input[name=decision][value=return]")
    check_page(page, "session-restored")
    page.click("button:has-text('Gửi')")
    page.wait_for_url(f"{live_server}/inbox")
    assert "Đã hoàn thành bước" in page.locator(".flash.success").inner_text()
    context.close()


@VIEWPORTS
def test_a_branch_sends_a_list_read_from_excel(browser, live_server, officials, new_uow, viewport, tmp_path):
    """"Gửi" after "Đọc tệp" sends the rows read (it posted to the import's address, refused the form as a file
    with errors and wiped the rows)."""
    dossier = starting.start_dossier(PROCESS, officials.branch, {"year": 2026, "title": "family", "name": "Thôn Đông"},
                                     new_uow())
    sheet = tmp_path / "danh-sach.xlsx"
    sheet.write_bytes(xlsx_file(["Tên (chủ hộ, dòng họ, thôn)", "Điểm đánh giá"], ["Hộ Nguyễn Văn An", 86],
                                ["Hộ Lê Thị Cúc", 91.5]))
    page = browser.new_page(viewport=viewport)
    sign_in(page, live_server, officials.branch.username)
    page.click("table.list a:has-text('Lập danh sách đề nghị')")
    page.fill("textarea[name=comment]", "Thôn Đông gửi hai hộ")  # typed before the file is read: kept through it
    page.set_input_files("input[type=file][name=file]", str(sheet))
    page.click("button:has-text('Đọc tệp')")
    assert "Đã đọc 2 dòng từ tệp" in page.locator(".flash.success").inner_text()
    assert page.input_value("input[name=candidates-1-name]") == "Hộ Lê Thị Cúc"
    assert page.input_value("textarea[name=comment]") == "Thôn Đông gửi hai hộ"
    check_page(page, "excel-read")
    page.click("main form button:has-text('Gửi')")
    page.wait_for_url(f"{live_server}/inbox")
    assert "Đã hoàn thành bước" in page.locator(".flash.success").inner_text()
    check_page(page, "excel-sent")
    assert viewing.get_dossier(dossier.id, officials.branch, new_uow()).data["candidates"] == [
        {"name": "Hộ Nguyễn Văn An", "score": 86}, {"name": "Hộ Lê Thị Cúc", "score": 91.5}]


@VIEWPORTS
def test_a_commune_searches_and_filters_its_inbox(browser, live_server, officials, new_uow, viewport):
    """Accents left out find the names ("nguyen van an": Nguyễn Văn An); a title keeps its dossiers only."""
    family, _ = to_commune(new_uow, officials)
    clan = starting.start_dossier(PROCESS, officials.branch, {"year": 2026, "title": "clan", "name": "Dòng họ Lê"},
                                  new_uow())
    tasks.complete_task(only_task(clan).id, officials.branch, {"candidates": [{"name": "Dòng họ Lê Văn", "score": 90}]},
                        new_uow())
    page = browser.new_page(viewport=viewport)
    sign_in(page, live_server, officials.commune.username)
    rows = page.locator("table.list tbody tr")
    assert rows.count() == 2
    page.fill("input[name=q][type=search]", "nguyen van an")
    page.click("form[role=search] button:has-text('Lọc')")
    page.wait_for_url("**/inbox?*")
    assert rows.count() == 1 and f"Số {family}" in rows.inner_text()
    check_page(page, "inbox-search")
    page.click(f"table.list a:has-text('Thẩm định hồ sơ')")
    assert page.locator("td", has_text="Nguyễn Văn An").count() == 1

    page.go_back()
    page.click("a:has-text('Bỏ lọc')")
    assert not page.locator("select[name=title]").is_visible()  # folded while no filter but the search is used
    page.click("summary:has-text('Lọc thêm')")
    page.select_option("select[name=title]", "clan")
    page.click("details.more-filters button:has-text('Lọc')")
    page.wait_for_url("**/inbox?*title=clan*")
    assert rows.count() == 1 and f"Số {clan.id}" in rows.inner_text() and "Dòng họ học tập" in rows.inner_text()
    assert page.locator("select[name=title]").is_visible()  # a filter in use keeps its fold open
    check_page(page, "inbox-filter")


def test_on_a_phone_the_header_folds_its_menu_and_signs_out(browser, live_server, officials):
    """The header was a third of the screen with "Đăng xuất" past its right edge: now one line and a menu button."""
    page = browser.new_page(viewport={"width": 390, "height": 844})
    sign_in(page, live_server, officials.commune.username)
    menu, links = page.locator("header button.menu"), page.locator("header nav")
    assert page.locator("header").bounding_box()["height"] <= 56
    assert menu.get_attribute("aria-expanded") == "false" and not links.is_visible()
    menu.click()
    assert menu.get_attribute("aria-expanded") == "true" and links.is_visible()
    sign_out_button = page.locator("header button:has-text('Đăng xuất')").bounding_box()
    assert sign_out_button["x"] + sign_out_button["width"] <= 390
    check_page(page, "phone-menu")
    page.keyboard.press("Escape")
    assert not links.is_visible() and page.evaluate("document.activeElement.className") == "menu"
    menu.click()
    page.click("header nav a:has-text('Sổ danh hiệu')")
    page.wait_for_url(f"{live_server}/registry")
    assert not links.is_visible()
    sign_out(page)
    assert page.locator("h1").inner_text() == "Đăng nhập"


def test_on_a_phone_without_scripts_the_header_keeps_its_links_in_view(browser, live_server, officials):
    """The menu button needs its script: without it there is none, and the links (the sign-out too) stay shown."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, officials.commune.username)
    assert not page.locator("header button.menu").is_visible() and page.locator("header nav").is_visible()
    sign_out(page)
    context.close()


def test_on_a_desktop_the_header_shows_every_link_without_a_menu(browser, live_server, officials):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, live_server, officials.ministry.username)
    assert not page.locator("header button.menu").is_visible()
    assert page.locator("header nav a").count() >= 8 and all(link.is_visible()
                                                             for link in page.locator("header nav a").all())
    assert page.locator("header button:has-text('Đăng xuất')").is_visible()


def test_the_page_checks_find_what_they_look_for(browser):
    """Each check fails on a page made to fail it, and passes the same page fixed: none is a check that cannot fail."""
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.set_content('<main><p>Chữ</p><table><tr><td style="padding-left: 600px">rộng</td></tr></table></main>')
    wide, *culprits = overflowing(page)
    assert wide.startswith("the page is") and [line.split(" ")[0] for line in culprits] == ["table."]
    page.set_content('<main><h1>averyveryveryveryveryveryveryveryveryveryveryverylongword</h1></main>')
    assert [line.split(" ")[0] for line in overflowing(page)[1:]] == ["h1."]
    page.set_content('<main><div style="overflow-x: auto"><table><tr><td style="padding-left: 600px">rộng</td></tr>'
                     '</table></div></main>')
    assert overflowing(page) == []

    page.set_content('<html lang="vi"><title>Thử</title><main><img src="a.png"><button></button>'
                     '<p style="color: #bbb; background: #fff">nhạt</p></main></html>')
    found = " ".join(axe_violations(page))
    assert "image-alt (critical)" in found and "button-name (critical)" in found and "color-contrast (serious)" in found
    page.set_content('<html lang="vi"><title>Thử</title><main><img src="a.png" alt="Ảnh"><button>Gửi</button>'
                     '<p>đậm</p></main></html>')
    assert axe_violations(page) == []

    page.set_content('<main><button style="padding: 0">Gửi</button><label><input type="checkbox"> ô</label></main>')
    assert [target.split(" ")[0] for target in small_targets(page)] == ["button", "label"]
    page.set_content('<main><button style="min-width: 44px; min-height: 44px">Gửi</button>'
                     '<label style="display: block; min-height: 44px"><input type="checkbox"> ô</label></main>')
    assert small_targets(page) == []

    page.set_content('<html lang="vi"><title>Thử</title><header style="height: 120px">Công nhận</header>'
                     '<main><h1>Thử</h1></main></html>')
    with pytest.raises(AssertionError, match="header taller than 56 px"):
        check_page(page, "check-header")
