"""The use cases against a real database (SQLite and PostgreSQL): paths, scope, conflicts, all-or-nothing."""

import pytest
from sqlalchemy import text

from engine.designing import deployments
from engine.dossiers import services, starting, tasks, viewing
from engine.errors import (Conflict, DeploymentRefused, DossierNotFound, Forbidden, InvalidInput, NotYourTask,
                           TaskAlreadyDone, TaskNotFound, WorkflowFailed)
from engine.model import DossierStatus
from engine.recognition import registry
from tests.support import BPMN
from tests.support.builders import (APPROVAL, CANDIDATES, PROCESS, approve_all_the_way, only_task, snapshot,
                                     to_commune)
from tests.support.databases import on_both_databases
from tests.support.diagrams import line_of


@on_both_databases  # JSON columns (form, history, scores) and the title lookups' custom plans
def test_approved_first_time_enters_the_registry(new_uow, officials, clock):
    dossier_id, verify = to_commune(new_uow, officials)
    assert (verify.step, verify.role, verify.unit_code) == ("verify", "commune", "00070")
    approve = only_task(tasks.complete_task(verify.id, officials.commune, {"decision": "approve"}, new_uow()))
    assert (approve.step, approve.role, approve.unit_code) == ("approve", "province", "01")
    done = tasks.complete_task(approve.id, officials.province, APPROVAL, new_uow())
    assert done.status == DossierStatus.RECOGNISED and done.next_tasks == ()

    titles = registry.recognised_titles(officials.ministry, new_uow(), year=2026)
    assert [(t.subject_name, t.score, t.commune_code, t.province_code, t.decision_number) for t in titles] == [
        ("Nguyễn Văn An", 86, "00070", "01", "125/QĐ-UBND"), ("Trần Thị Bình", 92.5, "00070", "01", "125/QĐ-UBND")]
    assert titles[0].valid_until.isoformat() == "2027-12-31"
    assert registry.recognised_titles(officials.commune, new_uow(), year=2025) == []
    view = viewing.get_dossier(dossier_id, officials.province, new_uow())
    assert [(h.action, h.username, h.unit_code) for h in view.history] == [
        ("start", "chihoi1", officials.branch_code), ("complete", "chihoi1", officials.branch_code),
        ("complete", "xa-hoankiem", "00070"), ("complete", "tinh-hanoi", "01")]
    assert view.history[-1].payload == APPROVAL and view.history[-1].at == clock.now()


def test_the_branch_revises_after_a_return_and_a_shorter_list_stays_short(new_uow, officials):
    dossier_id, verify = to_commune(new_uow, officials)
    revise = only_task(tasks.complete_task(verify.id, officials.commune,
                                           {"decision": "return", "comment": "Hộ Bình thiếu minh chứng"}, new_uow()))
    assert (revise.step, revise.unit_code) == ("revise_candidate_list", officials.branch_code)
    form = tasks.get_task(revise.id, officials.branch, new_uow())
    assert form.values == {"candidates": CANDIDATES}
    verify = only_task(tasks.complete_task(revise.id, officials.branch, {"candidates": CANDIDATES[:1]}, new_uow()))
    approve = only_task(tasks.complete_task(verify.id, officials.commune, {"decision": "approve"}, new_uow()))
    tasks.complete_task(approve.id, officials.province, APPROVAL, new_uow())
    assert [t.subject_name for t in registry.recognised_titles(officials.commune, new_uow())] == ["Nguyễn Văn An"]


def test_an_official_of_another_unit_can_neither_see_nor_act(new_uow, officials):
    dossier_id, verify = to_commune(new_uow, officials)
    for outsider in (officials.other_commune, officials.province, officials.branch):
        with pytest.raises(NotYourTask):
            tasks.complete_task(verify.id, outsider, {"decision": "approve"}, new_uow())
        with pytest.raises(NotYourTask):
            tasks.get_task(verify.id, outsider, new_uow())
    assert tasks.inbox(officials.other_commune, new_uow()).tasks == []
    assert [t.id for t in tasks.inbox(officials.commune, new_uow()).tasks] == [verify.id]
    for outsider in (officials.other_commune, officials.other_branch, officials.other_province, officials.designer):
        with pytest.raises(DossierNotFound):
            viewing.get_dossier(dossier_id, outsider, new_uow())
    for insider in (officials.branch, officials.commune, officials.province, officials.ministry):
        assert viewing.get_dossier(dossier_id, insider, new_uow()).id == dossier_id
    with pytest.raises(Forbidden):
        registry.recognised_titles(officials.other_commune, new_uow(), unit_code="00070")
    with pytest.raises(TaskNotFound):
        tasks.complete_task("no-such-task", officials.commune, {}, new_uow())


def test_a_second_completion_is_refused_and_changes_nothing(new_uow, officials):
    _, verify = to_commune(new_uow, officials)
    tasks.complete_task(verify.id, officials.commune, {"decision": "approve"}, new_uow())
    before = snapshot(new_uow)
    with pytest.raises(TaskAlreadyDone, match="xa-hoankiem"):
        tasks.complete_task(verify.id, officials.commune, {"decision": "reject", "comment": "x"}, new_uow())
    assert snapshot(new_uow) == before


@pytest.mark.parametrize("bad_form", [
    {}, {"decision": "return"}, {"decision": "approve", "note": "x"}, {"decision": 1},
])
def test_invalid_forms_change_nothing(new_uow, officials, bad_form):
    _, verify = to_commune(new_uow, officials)
    before = snapshot(new_uow)
    with pytest.raises(InvalidInput):
        tasks.complete_task(verify.id, officials.commune, bad_form, new_uow())
    assert snapshot(new_uow) == before


def test_a_failure_half_way_rolls_everything_back(new_uow, officials, monkeypatch):
    _, verify = to_commune(new_uow, officials)
    approve = only_task(tasks.complete_task(verify.id, officials.commune, {"decision": "approve"}, new_uow()))
    before = snapshot(new_uow)

    def broken_registry(call):
        registry.record_titles(call)
        call.uow.session.flush()  # the titles reach the database, then the step fails
        raise RuntimeError("registry unavailable")

    monkeypatch.setitem(services.SERVICES, "record_titles", broken_registry)
    with pytest.raises(RuntimeError):
        tasks.complete_task(approve.id, officials.province, APPROVAL, new_uow())
    assert snapshot(new_uow) == before


@pytest.mark.postgres
def test_a_reading_use_case_sends_no_begin_and_hands_its_connection_back_transactional(new_uow, officials):
    """A reading unit of work's statements each stand alone on PostgreSQL (the server's transaction starts with the
    statement, not before the one earlier); a writing one still runs in one transaction, and the connection a reading
    one used is transactional again once back in the pool."""
    def second_statement_shares_a_transaction(uow) -> bool:
        uow.tasks.count_open_for(officials.commune)
        return not uow.session.execute(text("SELECT now() = statement_timestamp()")).scalar()

    with new_uow().reading() as uow:
        assert not second_statement_shares_a_transaction(uow)
        connection = uow.session.connection().connection.dbapi_connection
        assert connection.autocommit
    assert not connection.autocommit
    with new_uow() as uow:
        assert second_statement_shares_a_transaction(uow)


def test_bad_start_data_is_refused(new_uow, officials):
    before = snapshot(new_uow)
    with pytest.raises(InvalidInput) as caught:
        starting.start_dossier(PROCESS, officials.branch, {"year": 1990, "title": "family", "candidates": []}, new_uow())
    assert set(caught.value.errors) == {"year", "candidates"}
    with pytest.raises(Forbidden):
        starting.start_dossier(PROCESS, officials.commune, {}, new_uow())
    assert snapshot(new_uow) == before


def test_a_running_dossier_keeps_its_version_while_new_ones_take_the_next(new_uow, officials, tmp_path):
    old_id, verify = to_commune(new_uow, officials)
    again = deployments.deploy_directory(BPMN, officials.designer, new_uow())
    assert {(d.version, d.created) for d in again} == {(1, False)} and len(again) == len(list(BPMN.glob("*.bpmn")))

    changed = tmp_path / "bpmn"
    (changed / "forms").mkdir(parents=True)
    for form in (BPMN / "forms").glob("*.json"):
        (changed / "forms" / form.name).write_bytes(form.read_bytes())
    (changed / "candidate_list_recognition.bpmn").write_text(
        (BPMN / "candidate_list_recognition.bpmn").read_text().replace("Thẩm định hồ sơ", "Thẩm định hồ sơ (mới)"))
    assert [(d.version, d.created) for d in deployments.deploy_directory(changed, officials.designer, new_uow())] \
        == [(2, True)]

    new_id, new_verify = to_commune(new_uow, officials)
    assert viewing.get_dossier(old_id, officials.commune, new_uow()).process_version == 1
    assert viewing.get_dossier(new_id, officials.commune, new_uow()).process_version == 2
    assert (verify.step_name, new_verify.step_name) == ("Thẩm định hồ sơ", "Thẩm định hồ sơ (mới)")
    approve = only_task(tasks.complete_task(verify.id, officials.commune, {"decision": "approve"}, new_uow()))
    assert tasks.complete_task(approve.id, officials.province, APPROVAL, new_uow()).status == "recognised"


def test_a_refused_deployment_stores_nothing(new_uow, officials, tmp_path):
    before = snapshot(new_uow)
    bad = {"candidate_list_recognition.bpmn": (BPMN / "candidate_list_recognition.bpmn").read_bytes().replace(
        b'<bpmn:lane id="lane_round_province" name="T\xe1\xbb\x89nh">', b'<bpmn:lane id="lane_round_province" name="Kho">')}
    bad.update({p.name: p.read_bytes() for p in (BPMN / "forms").glob("*.json")})
    diagram = "candidate_list_recognition.bpmn"
    with pytest.raises(DeploymentRefused, match="Kho") as caught:
        deployments.deploy(bad, officials.designer, new_uow())
    assert (caught.value.file, caught.value.line, caught.value.element) == (
        diagram, line_of(bad[diagram], '<bpmn:userTask id="approve"'), "approve (Phê duyệt, ra quyết định công nhận)")
    missing_form = {"candidate_list_recognition.bpmn": (BPMN / "candidate_list_recognition.bpmn").read_bytes()}
    with pytest.raises(DeploymentRefused, match="thiếu tệp biểu mẫu 'candidate_list.schema.json'") as caught:
        deployments.deploy(missing_form, officials.designer, new_uow())
    assert (caught.value.file, caught.value.line, caught.value.element) == (
        diagram, line_of(missing_form[diagram], '<bpmn:userTask id="prepare_candidate_list"'),
        "prepare_candidate_list (Lập danh sách đề nghị)")
    unknown_service = dict(bad, **{"candidate_list_recognition.bpmn": (BPMN / "candidate_list_recognition.bpmn").read_bytes().replace(
        b'serviceTaskOperator id="record_titles"', b'serviceTaskOperator id="send_email"')})
    with pytest.raises(DeploymentRefused, match="gọi dịch vụ không có: send_email") as caught:
        deployments.deploy(unknown_service, officials.designer, new_uow())
    assert (caught.value.file, caught.value.line, caught.value.element) == (
        diagram, line_of(unknown_service[diagram], '<bpmn:process id="candidate_list_recognition"'),
        "candidate_list_recognition")
    with pytest.raises(Forbidden):
        deployments.deploy(missing_form, officials.province, new_uow())
    assert snapshot(new_uow) == before


@on_both_databases  # each database's own triggers, made by the migrations
def test_the_audit_log_is_append_only(new_uow, officials):
    to_commune(new_uow, officials)
    for statement in ("UPDATE audit_log SET username = 'someone-else'", "DELETE FROM audit_log"):
        with new_uow() as uow:
            with pytest.raises(Exception, match="append-only"):
                uow.session.execute(text(statement))
    with new_uow() as uow:
        assert {row.username for row in uow.audit.for_dossier(1)} == {"chihoi1"}


PARALLEL_WITH_TERMINATE = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="d" targetNamespace="t">
  <bpmn:process id="terminating" name="Terminating" isExecutable="true">
    <bpmn:extensionElements><spiffworkflow:properties>
      <spiffworkflow:property name="title" value="family" />
    </spiffworkflow:properties></bpmn:extensionElements>
    <bpmn:laneSet id="ls">
      <bpmn:lane id="l1" name="Chi hội"><bpmn:flowNodeRef>s</bpmn:flowNodeRef><bpmn:flowNodeRef>split</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>withdraw</bpmn:flowNodeRef><bpmn:flowNodeRef>stop</bpmn:flowNodeRef></bpmn:lane>
      <bpmn:lane id="l2" name="Xã"><bpmn:flowNodeRef>look</bpmn:flowNodeRef><bpmn:flowNodeRef>e</bpmn:flowNodeRef></bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="s"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:parallelGateway id="split"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
      <bpmn:outgoing>f3</bpmn:outgoing></bpmn:parallelGateway>
    <bpmn:userTask id="withdraw" name="Rút hồ sơ"><bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f4</bpmn:outgoing></bpmn:userTask>
    <bpmn:userTask id="look" name="Xem hồ sơ"><bpmn:incoming>f3</bpmn:incoming><bpmn:outgoing>f5</bpmn:outgoing></bpmn:userTask>
    <bpmn:endEvent id="stop"><bpmn:incoming>f4</bpmn:incoming><bpmn:terminateEventDefinition id="t1" /></bpmn:endEvent>
    <bpmn:endEvent id="e"><bpmn:incoming>f5</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="split" />
    <bpmn:sequenceFlow id="f2" sourceRef="split" targetRef="withdraw" />
    <bpmn:sequenceFlow id="f3" sourceRef="split" targetRef="look" />
    <bpmn:sequenceFlow id="f4" sourceRef="withdraw" targetRef="stop" />
    <bpmn:sequenceFlow id="f5" sourceRef="look" targetRef="e" />
  </bpmn:process>
</bpmn:definitions>""".encode()


def test_a_task_the_process_moves_past_leaves_the_inbox(new_uow, officials):
    deployments.deploy({"terminating.bpmn": PARALLEL_WITH_TERMINATE}, officials.designer, new_uow())
    started = starting.start_dossier("terminating", officials.branch, {"year": 2026}, new_uow())
    by_role = {t.role: t for t in started.open_tasks}
    assert set(by_role) == {"branch", "commune"}
    assert [t.id for t in tasks.inbox(officials.commune, new_uow()).tasks] == [by_role["commune"].id]
    assert tasks.complete_task(by_role["branch"].id, officials.branch, {}, new_uow()).status == "closed"
    assert tasks.inbox(officials.commune, new_uow()).tasks == []
    assert tasks.get_task(by_role["commune"].id, officials.commune, new_uow()).status == "cancelled"
    with pytest.raises(TaskAlreadyDone):
        tasks.complete_task(by_role["commune"].id, officials.commune, {}, new_uow())


SCORE_TABLE = """<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="dmn" name="Score" namespace="t">
  <decision id="score_check" name="Đạt điểm?">
    <decisionTable id="table">
      <input id="in_score" label="Điểm"><inputExpression id="in_expr" typeRef="number"><text>score</text></inputExpression></input>
      <output id="out_result" name="result" typeRef="string" />
      <rule id="r_pass"><inputEntry id="r_pass_in"><text>&gt;= 70</text></inputEntry>
        <outputEntry id="r_pass_out"><text>'pass'</text></outputEntry></rule>
      <rule id="r_fail"><inputEntry id="r_fail_in"><text>&lt; 70</text></inputEntry>
        <outputEntry id="r_fail_out"><text>'fail'</text></outputEntry></rule>
    </decisionTable>
  </decision>
</definitions>"""

SCORED = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="d" targetNamespace="t">
  <bpmn:process id="scored" name="Scored" isExecutable="true">
    <bpmn:extensionElements><spiffworkflow:properties>
      <spiffworkflow:property name="title" value="family" />
    </spiffworkflow:properties></bpmn:extensionElements>
    <bpmn:laneSet id="ls">
      <bpmn:lane id="l1" name="Chi hội"><bpmn:flowNodeRef>s</bpmn:flowNodeRef><bpmn:flowNodeRef>score_it</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>check</bpmn:flowNodeRef><bpmn:flowNodeRef>gw</bpmn:flowNodeRef><bpmn:flowNodeRef>failed</bpmn:flowNodeRef></bpmn:lane>
      <bpmn:lane id="l2" name="Xã"><bpmn:flowNodeRef>look</bpmn:flowNodeRef><bpmn:flowNodeRef>e</bpmn:flowNodeRef></bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="s"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="score_it" name="Chấm điểm">
      <bpmn:extensionElements><spiffworkflow:properties>
        <spiffworkflow:property name="formJsonSchemaFilename" value="score.schema.json" />
      </spiffworkflow:properties></bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:userTask>
    <bpmn:businessRuleTask id="check" name="Đối chiếu bảng điểm">
      <bpmn:extensionElements><spiffworkflow:calledDecisionId>score_check</spiffworkflow:calledDecisionId></bpmn:extensionElements>
      <bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing></bpmn:businessRuleTask>
    <bpmn:exclusiveGateway id="gw"><bpmn:incoming>f3</bpmn:incoming><bpmn:outgoing>f4</bpmn:outgoing>
      <bpmn:outgoing>f5</bpmn:outgoing></bpmn:exclusiveGateway>
    <bpmn:userTask id="look" name="Xem hồ sơ đạt"><bpmn:incoming>f4</bpmn:incoming><bpmn:outgoing>f6</bpmn:outgoing></bpmn:userTask>
    <bpmn:endEvent id="failed"><bpmn:incoming>f5</bpmn:incoming></bpmn:endEvent>
    <bpmn:endEvent id="e"><bpmn:incoming>f6</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="score_it" />
    <bpmn:sequenceFlow id="f2" sourceRef="score_it" targetRef="check" />
    <bpmn:sequenceFlow id="f3" sourceRef="check" targetRef="gw" />
    <bpmn:sequenceFlow id="f4" sourceRef="gw" targetRef="look">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">result == 'pass'</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="f5" sourceRef="gw" targetRef="failed">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">result == 'fail'</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="f6" sourceRef="look" targetRef="e" />
  </bpmn:process>
</bpmn:definitions>"""

SCORE_FORM = '{"type": "object", "required": ["score"], "properties": {"score": {"type": "number"}}}'


def scored_deployment(table=SCORE_TABLE):
    return {"scored.bpmn": SCORED.encode(), "score.dmn": table.encode(), "score.schema.json": SCORE_FORM.encode()}


@pytest.mark.parametrize(("score", "commune_gets_a_task"), [(80, True), (50, False)])
def test_decision_tables_deploy_with_the_diagrams_and_decide(new_uow, officials, score, commune_gets_a_task):
    deployments.deploy(scored_deployment(), officials.designer, new_uow())
    started = starting.start_dossier("scored", officials.branch, {"year": 2026}, new_uow())
    done = tasks.complete_task(started.open_tasks[0].id, officials.branch, {"score": score}, new_uow())
    assert [t.step for t in done.next_tasks] == (["look"] if commune_gets_a_task else [])
    assert done.status == ("in_progress" if commune_gets_a_task else "closed")


@pytest.mark.parametrize(("cell", "bad", "reason", "element"), [
    ("<text>'pass'</text></outputEntry></rule>\n      <rule id=\"r_fail\">",
     "<text>__import__('os').system('id')</text></outputEntry></rule>\n      <rule id=\"r_fail\">", "__import__",
     "r_pass_out"),
    ("<text>&gt;= 70</text>", "<text>&gt;= ().__class__.__base__</text>", "__base__", "r_pass_in"),
])
def test_unsafe_decision_cells_are_refused(new_uow, officials, cell, bad, reason, element):
    before = snapshot(new_uow)
    assert cell in SCORE_TABLE
    table = SCORE_TABLE.replace(cell, bad)
    with pytest.raises(DeploymentRefused, match=reason) as caught:
        deployments.deploy(scored_deployment(table), officials.designer, new_uow())
    assert (caught.value.file, caught.value.line, caught.value.element) == (
        "score.dmn", line_of(table, bad.splitlines()[0]), element)
    assert snapshot(new_uow) == before


def test_state_stored_in_another_state_version_is_not_run(new_uow, officials):
    dossier_id, verify = to_commune(new_uow, officials)
    with new_uow() as uow:
        uow.session.execute(text("UPDATE dossiers SET state_version = 0"))
        uow.commit()
    before = snapshot(new_uow)
    with pytest.raises(WorkflowFailed, match="nâng cấp dữ liệu .flask --app web upgrade-state."):
        tasks.complete_task(verify.id, officials.commune, {"decision": "approve"}, new_uow())
    assert snapshot(new_uow) == before


@on_both_databases  # each driver's IntegrityError
def test_a_unique_key_taken_meanwhile_is_a_conflict_not_a_crash(uow):
    from engine.storage.tables import UnitRow
    from engine.storage.unit_of_work import commit_or_conflict
    with uow:
        uow.units.add(UnitRow(code="00070", name="again", level="commune", parent_code="01", province_code="01"))
        with pytest.raises(Conflict, match="thử lại"):
            commit_or_conflict(uow, "Hãy thử lại.")


@on_both_databases  # the cursor compares timestamps in SQL
def test_the_inbox_pages_through_every_open_task_newest_first(new_uow, officials, clock):
    opened = []
    for _ in range(5):
        opened.append(to_commune(new_uow, officials)[1].id)
        clock.advance(minutes=1)
    first = tasks.inbox(officials.commune, new_uow(), size=2)
    second = tasks.inbox(officials.commune, new_uow(), after=first.next_page, size=2)
    last = tasks.inbox(officials.commune, new_uow(), after=second.next_page, size=2)
    pages = [[t.id for t in page.tasks] for page in (first, second, last)]
    assert pages == [opened[:-3:-1], opened[2:0:-1], opened[:1]]
    assert (first.total, last.next_page) == (5, None)
    with pytest.raises(InvalidInput) as refused:
        tasks.inbox(officials.commune, new_uow(), after="not-a-cursor")
    assert set(refused.value.errors) == {"after"}


@on_both_databases  # the title lookups ask PostgreSQL for custom plans
def test_a_household_holds_the_title_once_a_year(new_uow, officials):
    _, verify = to_commune(new_uow, officials)
    _, approve = approve_all_the_way(new_uow, officials, verify)
    approve()
    # Named again this year, even typed differently: refused when the branch submits, naming the row.
    dossier = starting.start_dossier(PROCESS, officials.branch, {"year": 2026, "title": "family"}, new_uow())
    again = [{"name": "nguyễn  văn an", "score": 90}, {"name": "Lê Thị Cúc", "score": 80}]
    with pytest.raises(InvalidInput) as caught:
        tasks.complete_task(only_task(dossier).id, officials.branch, {"candidates": again}, new_uow())
    assert caught.value.errors == {
        "candidates.0.name": "Đã được công nhận năm 2026 theo quyết định 125/QĐ-UBND."}
    # Next year the household is evaluated again.
    dossier = starting.start_dossier(PROCESS, officials.branch, {"year": 2027, "title": "family"}, new_uow())
    tasks.complete_task(only_task(dossier).id, officials.branch, {"candidates": again}, new_uow())


def test_a_list_naming_a_household_twice_is_refused(new_uow, officials):
    dossier = starting.start_dossier(PROCESS, officials.branch, {"year": 2026, "title": "family"}, new_uow())
    twice = [{"name": "Nguyễn Văn An", "score": 90}, {"name": "Lê Thị Cúc", "score": 80},
             {"name": "Nguyễn Văn  An", "score": 85}]
    with pytest.raises(InvalidInput) as caught:
        tasks.complete_task(only_task(dossier).id, officials.branch, {"candidates": twice}, new_uow())
    assert caught.value.errors == {"candidates.2.name": "Trùng với dòng 1 của danh sách."}


def test_two_dossiers_in_flight_for_one_household_record_it_once(new_uow, officials):
    _, first = to_commune(new_uow, officials)
    _, second = to_commune(new_uow, officials)
    _, approve_first = approve_all_the_way(new_uow, officials, first)
    _, approve_second = approve_all_the_way(new_uow, officials, second)
    approve_first()
    before = snapshot(new_uow)
    with pytest.raises(InvalidInput, match="Đã được công nhận năm 2026"):
        approve_second()
    assert snapshot(new_uow) == before


@on_both_databases  # a savepoint keeps PostgreSQL's transaction usable
def test_two_approvals_racing_for_one_new_decision_number_give_a_conflict_and_change_nothing(
        new_uow, officials, monkeypatch):
    """The second approval does not see the first one's decision yet (as when both run at once): the number's
    unique key refuses it, the approval is a 409 to retry, and nothing of it is stored."""
    from engine.storage.repositories.registry import RecognitionDecisionRepository
    first_id, first_verify = to_commune(new_uow, officials)
    second_id, second_verify = to_commune(new_uow, officials, [{"name": "Lê Thị Cúc", "score": 80}])
    first = only_task(tasks.complete_task(first_verify.id, officials.commune, {"decision": "approve"}, new_uow()))
    second = only_task(tasks.complete_task(second_verify.id, officials.commune, {"decision": "approve"}, new_uow()))
    tasks.complete_task(first.id, officials.province, APPROVAL, new_uow())
    monkeypatch.setattr(RecognitionDecisionRepository, "by_number", lambda self, *key: None)
    before = snapshot(new_uow)
    with pytest.raises(Conflict, match="vừa được ghi bởi một hồ sơ khác"):
        tasks.complete_task(second.id, officials.province, APPROVAL, new_uow())
    assert snapshot(new_uow) == before
    monkeypatch.undo()
    assert tasks.complete_task(second.id, officials.province, APPROVAL, new_uow()).status == "recognised"
    assert [t.subject_name for t in registry.recognised_titles(officials.province, new_uow())] == [
        "Nguyễn Văn An", "Trần Thị Bình", "Lê Thị Cúc"]


def test_versions_that_named_the_score_table_on_the_process_still_score_their_lists(new_uow, officials):
    """Before tables were named per step (this issue), the process named the list's table: such versions, and the
    dossiers running on them, keep being scored."""
    old = (BPMN / "candidate_list_recognition.bpmn").read_text()
    old = old.replace('\n          <spiffworkflow:property name="submission_decision" value="{title}_score" />', "")
    old = old.replace('<spiffworkflow:property name="subject" value="candidates" />',
                      '<spiffworkflow:property name="candidate_decision" value="family_score" />')
    files = {"candidate_list_recognition.bpmn": old.encode(),
             **{form.name: form.read_bytes() for form in (BPMN / "forms").glob("*.json")}}
    assert [(d.version, d.created) for d in deployments.deploy(files, officials.designer, new_uow())] == [(2, True)]
    dossier = starting.start_dossier(PROCESS, officials.branch, {"year": 2026, "title": "family"}, new_uow())
    with pytest.raises(InvalidInput, match="5 điểm chưa đạt ngưỡng 70"):
        tasks.complete_task(only_task(dossier).id, officials.branch, {"candidates": [{"name": "A", "score": 5}]},
                            new_uow())
