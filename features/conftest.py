"""Scenario fixtures and step definitions shared by every feature: each step calls the engine's use cases (one
scenario goes through the web pages), against a real database, SQLite and PostgreSQL."""
from datetime import date, datetime, time
from pathlib import Path

import pytest
from pytest_bdd import given, parsers, then, when

from engine.clock import VIETNAM
from engine.dossiers import starting, tasks, timers, viewing
from engine.errors import EngineError
from engine.recognition import decision_tables, registry
from tests import path_coverage
from tests.path_coverage import Trails
from tests.support import ROOT, csrf_token, fresh_database

PROCESS = "candidate_list_recognition"
TABLES = Path(__file__).parent / "tables"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request, tmp_path):
    """Scenarios run on both databases, through the engine's use cases."""
    return fresh_database(request, request.param, tmp_path)
DECISIONS = {"chuyển tỉnh": "approve", "công nhận": "approve", "trả lại": "return", "không công nhận": "reject"}
STATUSES = {"đã công nhận": "recognised", "không công nhận": "rejected", "đang xử lý": "in_progress"}
SIGNER = {"signer": "Lê Văn Cường", "signer_office": "Phó Chủ tịch UBND tỉnh"}


class Story:
    """What the scenario has done so far: the dossier, the last task acted on, the last refusal."""

    def __init__(self, officials, new_uow):
        self.officials, self.new_uow = officials, new_uow
        self.dossier_id = None
        self.earlier_dossier_id = None
        self.last_task = None
        self.refusal = None

    def open_task(self):
        (task,) = viewing.get_dossier(self.dossier_id, self.officials.ministry, self.new_uow()).open_tasks
        return task

    def complete(self, official, values, task_id=None, uploads=None):
        task_id = task_id or self.open_task().id
        try:
            tasks.complete_task(task_id, official, values, self.new_uow(), uploads)
            self.last_task, self.refusal = task_id, None
        except EngineError as error:
            self.refusal = error


TRAILS = Trails()
REPORT = ROOT / "reports" / "path-coverage"
COVERAGE = pytest.StashKey[list]()


@pytest.fixture(autouse=True)
def story(officials, new_uow):
    # Autouse, so pytest sees the database fixture (and its SQLite/PostgreSQL parameters) before steps run.
    yield Story(officials, new_uow)
    TRAILS.add_from(new_uow)


def _whole_suite(config) -> bool:
    """Every scenario ran (the whole suite, or the features folder, with no -k or -m choosing a part): only then is
    a flow no scenario took a failure."""
    if config.option.keyword or config.option.markexpr:
        return False
    return config.args_source == pytest.Config.ArgsSource.TESTPATHS or any(
        Path(arg).resolve() in (ROOT, ROOT / "features") for arg in config.args)


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session):
    """Path coverage of the scenarios, written under reports/; the whole suite fails if a flow of a shipped diagram
    is taken by no scenario."""
    if not TRAILS.by_diagram:
        return
    results = path_coverage.report(sorted((ROOT / "bpmn").glob("*.bpmn")), TRAILS, REPORT)
    session.config.stash[COVERAGE] = results
    if _whole_suite(session.config) and any(result.missing for result in results):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, config):
    results = config.stash.get(COVERAGE, None)
    if results is None:
        return
    whole = _whole_suite(config)
    terminalreporter.section("độ phủ đường đi của kịch bản (luồng đã đi / tổng)")
    for result in results:
        missing = f"; chưa kịch bản nào đi: {', '.join(result.missing)}" if whole and result.missing else ""
        terminalreporter.write_line(f"{result.diagram}: {sum(result.flows.values())}/{len(result.flows)} "
                                    f"({result.percent:.0f} %){missing}")
    terminalreporter.write_line(f"báo cáo: {REPORT / 'index.html'}" + ("" if whole else
                                " (chỉ chạy một phần kịch bản: không kiểm độ phủ)"))


def decision(word: str, comment: str | None = None) -> dict:
    values = {"decision": DECISIONS[word]}
    if comment is not None:
        values["comment"] = comment
    return values


@given(parsers.parse("chi hội tổ 1 của phường Hoàn Kiếm đã gửi danh sách đề nghị năm {year:d} gồm:"))
def branch_sends_list(story, year, datatable):
    branch_opens_and_sends(story, year, datatable)
    assert story.refusal is None, story.refusal


@when(parsers.parse('xã thẩm định "{word}"'))
def commune_verifies(story, word):
    story.complete(story.officials.commune, decision(word))


@when(parsers.parse('xã thẩm định "{word}" với ý kiến "{comment}"'))
def commune_verifies_with_comment(story, word, comment):
    story.complete(story.officials.commune, decision(word, comment))


@when(parsers.parse('xã thẩm định lại đúng việc vừa làm "{word}" với ý kiến "{comment}"'))
def commune_repeats(story, word, comment):
    story.complete(story.officials.commune, decision(word, comment), task_id=story.last_task)


@when(parsers.parse('cán bộ xã Cửa Nam thẩm định "{word}"'))
def other_commune_verifies(story, word):
    story.complete(story.officials.other_commune, decision(word))


@when(parsers.parse('tỉnh phê duyệt "{word}" với quyết định số "{number}" ngày "{day}"'))
def province_approves(story, word, number, day):
    story.complete(story.officials.province, {**decision(word), "decision_number": number, "decision_date": day,
                                              **SIGNER})
    assert story.refusal is None, story.refusal


@when(parsers.parse('tỉnh phê duyệt "{word}" với ý kiến "{comment}"'))
def province_decides_with_comment(story, word, comment):
    story.complete(story.officials.province, decision(word, comment))


@when(parsers.parse('chi hội gửi lại danh sách chỉ gồm "{name}"'))
def branch_resends(story, name):
    story.complete(story.officials.branch, {"candidates": [{"name": name, "score": 86}]})
    assert story.refusal is None, story.refusal


@then(parsers.parse('hồ sơ "{status}"'))
def dossier_status(story, status):
    view = viewing.get_dossier(story.dossier_id, story.officials.ministry, story.new_uow())
    assert view.status == STATUSES[status]


@then(parsers.parse('việc tiếp theo là "{step}" của chi hội tổ 1'))
def next_task_at_branch(story, step):
    task = story.open_task()
    assert (task.step_name, task.unit_code) == (step, story.officials.branch_code)
    assert task.id in [t.id for t in tasks.inbox(story.officials.branch, story.new_uow()).tasks]


@then(parsers.parse('việc tiếp theo là "{step}" của {level} "{unit}"'))
def next_task_at(story, step, level, unit):
    task = story.open_task()
    assert (task.step_name, task.unit_code, task.role) == (step, unit, {"xã": "commune", "tỉnh": "province"}[level])


@then("không còn việc nào của hồ sơ")
def no_open_task(story):
    assert viewing.get_dossier(story.dossier_id, story.officials.branch, story.new_uow()).open_tasks == ()


@then(parsers.parse('sổ danh hiệu năm {year:d} của tỉnh "{province}" gồm "{names}"'))
def registry_has(story, year, province, names):
    titles = registry.recognised_titles(story.officials.ministry, story.new_uow(), year=year, unit_code=province)
    assert [t.subject_name for t in titles] == names.split(", ")
    assert {(t.commune_code, t.province_code, t.year, t.title) for t in titles} == {("00070", province, year, "family")}


@then(parsers.parse('sổ danh hiệu năm {year:d} của tỉnh "{province}" trống'))
def registry_empty(story, year, province):
    assert registry.recognised_titles(story.officials.ministry, story.new_uow(), year=year, unit_code=province) == []


@then(parsers.parse('lịch sử hồ sơ ghi lần lượt "{names}"'))
def history_by(story, names):
    history = viewing.get_dossier(story.dossier_id, story.officials.ministry, story.new_uow()).history
    assert [h.username for h in history] == names.split(", ")


@then("hộp việc của cán bộ xã Cửa Nam trống")
def other_inbox_empty(story):
    assert tasks.inbox(story.officials.other_commune, story.new_uow()).tasks == []


@then("cán bộ xã Cửa Nam không mở được hồ sơ")
def other_cannot_open(story):
    with pytest.raises(EngineError, match="Không có hồ sơ"):
        viewing.get_dossier(story.dossier_id, story.officials.other_commune, story.new_uow())


@then(parsers.parse('việc bị từ chối vì "{reason}"'))
def refused(story, reason):
    assert story.refusal is not None and reason in str(story.refusal)


def submit_on_task_page(client, login_as, official, task_id, values):
    login_as(official)
    token = csrf_token(client.get(f"/tasks/{task_id}").get_data(as_text=True))
    response = client.post(f"/tasks/{task_id}", data={**values, "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)


@when(parsers.parse('cán bộ xã đăng nhập và thẩm định "{word}" trên trang nhiệm vụ'))
def commune_on_page(story, client, login_as, word):
    submit_on_task_page(client, login_as, story.officials.commune, story.open_task().id, decision(word))


@when(parsers.parse('cán bộ tỉnh đăng nhập và phê duyệt "{word}" trên trang nhiệm vụ'))
def province_on_page(story, client, login_as, word):
    submit_on_task_page(client, login_as, story.officials.province, story.open_task().id, {
        **decision(word), "decision_number": "130/QĐ-UBND", "decision_date": "2026-11-20", **SIGNER})


@then(parsers.parse('trang sổ danh hiệu của tỉnh có "{name}"'))
def registry_page_has(client, name):
    page = client.get("/registry?year=2026").get_data(as_text=True)
    assert name in page and "130/QĐ-UBND" in page


@given(parsers.parse('tỉnh "{province}" nạp bảng quyết định "{file}"'))
def province_loads_table(story, province, file):
    official = story.officials.province
    assert official.unit_code == province
    decision_tables.load_decision_table(file, (TABLES / file).read_bytes(), official, story.new_uow())


@given(parsers.parse('hôm nay là ngày "{day}"'))
@when(parsers.parse('hôm nay là ngày "{day}"'))
def today_is(clock, day):
    morning = datetime.combine(date.fromisoformat(day), time(9), VIETNAM)
    clock.advance(seconds=(morning - clock.now()).total_seconds())


def follow_up(story, official, title: str, step_name: str, dossier_id: int) -> None:
    """The official records how they chased a late unit: its chase task on that unit's report dossier."""
    (task,) = [t for t in tasks.inbox(official, story.new_uow(), size=500).tasks
               if (t.title, t.step_name, t.dossier_id) == (title, step_name, dossier_id)]
    story.complete(official, {"note": "Đã gọi điện và gửi công văn đôn đốc."}, task_id=task.id)
    assert story.refusal is None, story.refusal


def province_report_of(story, title: str) -> int:
    """Hà Nội's own report dossier of this kind (the province's tasks name it)."""
    return next(t.dossier_id for t in tasks.inbox(story.officials.province, story.new_uow(), size=500).tasks
                if t.title == title and t.unit_code == "01" and t.step_name != "Đôn đốc báo cáo của xã quá hạn"
                and t.step_name != "Duyệt báo cáo của xã")


@when("bộ hẹn giờ chạy")
def timers_run(story):
    sweep = timers.run_due_timers(story.new_uow, limit=5000)
    assert sweep.failed == {}


@when(parsers.parse('xã ra quyết định "{word}" với quyết định số "{number}" ngày "{day}"'))
def commune_chair_decides(story, word, number, day):
    story.complete(story.officials.commune, {**decision(word), "decision_number": number, "decision_date": day,
                                             "signer": "Phạm Thị Dung", "signer_office": "Chủ tịch UBND phường Hoàn Kiếm"})
    assert story.refusal is None, story.refusal


@then(parsers.parse('danh hiệu do đơn vị "{unit}" quyết định'))
def decided_by(story, unit):
    with story.new_uow() as uow:
        rows = [uow.titles.get(t.id) for t in registry.recognised_titles(story.officials.ministry, story.new_uow())
                if t.dossier_id == story.dossier_id]
        assert rows and {row.deciding_unit for row in rows} == {unit}


def candidate_rows(datatable) -> list[dict]:
    header, *rows = datatable
    assert header == ["chủ hộ", "điểm"]
    return [{"name": name, "score": float(score)} for name, score in rows]


@when(parsers.parse("chi hội tổ 1 mở hồ sơ năm {year:d} và gửi danh sách gồm:"))
def branch_opens_and_sends(story, year, datatable):
    dossier = starting.start_dossier(PROCESS, story.officials.branch, {"year": year}, story.new_uow())
    story.dossier_id = dossier.id
    story.complete(story.officials.branch, {"candidates": candidate_rows(datatable)})


@given(parsers.parse("chi hội tổ 1 đã mở một hồ sơ năm {year:d}"))
def branch_opened_earlier(story, year):
    story.earlier_dossier_id = starting.start_dossier(PROCESS, story.officials.branch, {"year": year},
                                                      story.new_uow()).id


@when("chi hội tổ 1 gửi danh sách của hồ sơ mở trước gồm:")
def branch_sends_earlier(story, datatable):
    story.dossier_id = story.earlier_dossier_id
    story.complete(story.officials.branch, {"candidates": candidate_rows(datatable)})
    assert story.refusal is None, story.refusal


@then("hồ sơ chưa có danh sách đề nghị nào")
def no_list_stored(story):
    view = viewing.get_dossier(story.dossier_id, story.officials.branch, story.new_uow())
    assert "candidates" not in view.data and [h.action for h in view.history] == ["start"]
