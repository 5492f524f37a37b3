"""Who decides, as data: a province loads its own effective-dated table; dossiers started before keep theirs.
Bad inputs tried: broken XML, an unsafe cell, another province's table, a commune loading, no table at all."""
import pytest

from engine.designing import deployments
from engine.dossiers import tasks
from engine.errors import DeploymentRefused, Forbidden
from engine.recognition import decision_tables, registry
from tests.support import ROOT
from tests.support.builders import APPROVAL, only_task, snapshot, to_commune
from tests.support.diagrams import line_of

DELEGATION = (ROOT / "features" / "tables" / "delegate_family_to_commune.dmn").read_bytes()


def load(official, new_uow, content=DELEGATION, province=None):
    return decision_tables.load_decision_table("delegate.dmn", content, official, new_uow(), province)


def decide(new_uow, officials, verify):
    """The commune verifies; return the step that opens for the deciding level."""
    return only_task(tasks.complete_task(verify.id, officials.commune, {"decision": "approve"}, new_uow()))


def test_a_province_delegates_from_a_date_and_running_dossiers_keep_their_table(new_uow, officials, clock):
    _, before_loading = to_commune(new_uow, officials)
    (loaded,) = load(officials.province, new_uow)
    assert (loaded.decision_id, loaded.province_code, loaded.version, loaded.created) == ("deciding_level", "01", 1, True)
    _, after_loading = to_commune(new_uow, officials)
    _, verified_late = to_commune(new_uow, officials, [{"name": "Hộ Lê Văn Dũng", "score": 88}])

    # Before the date the province still decides, even under the province's own table.
    assert decide(new_uow, officials, after_loading).role == "province"
    clock.advance(days=12)  # 02/12/2026, past the date the province set
    # Started before the table was loaded: keeps the national one, so the province decides.
    assert decide(new_uow, officials, before_loading).role == "province"
    chair = decide(new_uow, officials, verified_late)
    assert (chair.step, chair.role, chair.unit_code) == ("decide_at_commune", "commune", "00070")
    done = tasks.complete_task(chair.id, officials.commune, {**APPROVAL, "signer": "Phạm Thị Dung", "signer_office": "Chủ tịch UBND phường"}, new_uow())
    assert done.status == "recognised"
    (title,) = [t for t in registry.recognised_titles(officials.commune, new_uow()) if t.dossier_id == done.dossier_id]
    assert title.subject_name == "Hộ Lê Văn Dũng"
    with new_uow() as uow:
        assert uow.titles.get(title.id).deciding_unit == "00070"


def test_provinces_without_their_own_table_keep_the_national_one(new_uow, officials, clock):
    load(officials.designer, new_uow, province="46")
    clock.advance(days=12)
    _, verify = to_commune(new_uow, officials)  # a Hà Nội dossier: Huế's table does not apply
    assert decide(new_uow, officials, verify).role == "province"


def test_who_may_load_a_table_and_what_is_refused(new_uow, officials):
    before = snapshot(new_uow)
    with pytest.raises(Forbidden):
        load(officials.province, new_uow, province="46")
    with pytest.raises(Forbidden):
        load(officials.commune, new_uow)
    not_xml = DELEGATION.replace(b"<rule ", b"<rule <", 1)
    with pytest.raises(DeploymentRefused, match="XML không hợp lệ") as broken:
        load(officials.province, new_uow, content=not_xml)
    assert (broken.value.file, broken.value.line, broken.value.element) == (
        "delegate.dmn", line_of(not_xml, "<rule <"), None)
    unsafe = DELEGATION.replace(b'<text>"commune"</text>', b"<text>__import__('os').getcwd()</text>")
    with pytest.raises(DeploymentRefused, match="__import__") as refused:
        load(officials.province, new_uow, content=unsafe)
    assert (refused.value.file, refused.value.line, refused.value.element) == (
        "delegate.dmn", line_of(unsafe, "__import__('os')"), "delegation_family_from_output")
    assert snapshot(new_uow) == before
    assert load(officials.province, new_uow)[0].version == 1
    assert load(officials.province, new_uow)[0].created is False
    national = decision_tables.load_decision_table("deciding_level.dmn", (ROOT / "bpmn" / "decisions" /
                                             "deciding_level.dmn").read_bytes(), officials.designer, new_uow())
    assert [(t.province_code, t.version, t.created) for t in national] == [("VN", 1, False)]


NEEDS_A_TABLE = (ROOT / "bpmn" / "candidate_list_recognition.bpmn").read_text().replace(
    "value=\"'deciding_level'\"", "value=\"'not_loaded_yet'\"").replace(
    'id="candidate_list_recognition"', 'id="needs_a_table"', 1)


def test_a_process_naming_a_table_not_loaded_is_refused_at_deploy(new_uow, officials):
    files = {"needs.bpmn": NEEDS_A_TABLE.encode(),
             **{p.name: p.read_bytes() for p in (ROOT / "bpmn" / "forms").glob("*.json")}}
    before = snapshot(new_uow)
    with pytest.raises(DeploymentRefused, match="cần bảng quyết định 'not_loaded_yet'") as refused:
        deployments.deploy(files, officials.designer, new_uow())
    assert (refused.value.file, refused.value.line, refused.value.element) == (
        "needs.bpmn", line_of(NEEDS_A_TABLE, '<bpmn:process id="needs_a_table"'), "needs_a_table")
    assert snapshot(new_uow) == before
    # A step's table, named per title: each title the process proposes needs its table.
    step_table = NEEDS_A_TABLE.replace("value=\"'not_loaded_yet'\"", "value=\"'deciding_level'\"").replace(
        'value="{title}_score"', 'value="{title}_points"')
    with pytest.raises(DeploymentRefused, match="cần bảng quyết định 'clan_points'") as refused:
        deployments.deploy({**files, "needs.bpmn": step_table.encode()}, officials.designer, new_uow())
    assert (refused.value.file, refused.value.line, refused.value.element) == (
        "needs.bpmn", line_of(step_table, '<bpmn:userTask id="prepare_candidate_list"'),
        "prepare_candidate_list (Lập danh sách đề nghị)")
    assert snapshot(new_uow) == before
