"""Deployment rules that need the whole process (lanes, roles, what Camunda Modeler writes): a refused deployment
names file, line, element and what to change, and stores nothing. The rules read off the XML alone are in
tests/unit/test_workflow.py. Bad inputs tried: a lane no role takes, a step in no lane whose candidate groups name no
role or two, a formKey that is not a JSON form of the deployment, a dueDate that is not a variable."""
from pathlib import Path

import pytest

from engine.designing import deployments
from engine.dossiers import starting, tasks
from engine.dossiers.workflows import definition
from engine.errors import DeploymentRefused, InvalidInput
from tests.support import ROOT
from tests.support.builders import only_task, snapshot
from tests.support.diagrams import line_of

FIXTURES = Path(__file__).parents[1] / "fixtures"
MODELER_FILE = FIXTURES / "camunda_modeler_family.bpmn"
CAMUNDA_ONLY = FIXTURES / "camunda_only.bpmn"
FORMS = {p.name: p.read_bytes() for p in (ROOT / "bpmn" / "forms").glob("*.json")}
VERIFY = '<bpmn:userTask id="Activity_verify" name="Xã xem danh sách" camunda:candidateGroups="commune">'
VERIFY_REF = "<bpmn:flowNodeRef>Activity_verify</bpmn:flowNodeRef>"


def changed(path: Path, *replacements: tuple[str, str]) -> bytes:
    text = path.read_text()
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    return text.encode()


@pytest.mark.parametrize(("content", "message", "at", "element"), [
    (changed(MODELER_FILE, ('name="Xã">', 'name="Kế toán">'), (VERIFY, VERIFY.replace('"commune"', '"accounting"'))),
     "lane 'Kế toán' không ứng với vai trò nào", '<bpmn:userTask id="Activity_verify"',
     "Activity_verify (Xã xem danh sách)"),
    (changed(MODELER_FILE, (VERIFY_REF, ""), (VERIFY, VERIFY.replace('"commune"', '"commune,province"'))),
     "camunda:candidateGroups không nêu đúng một vai trò", '<bpmn:userTask id="Activity_verify"',
     "Activity_verify (Xã xem danh sách)"),
    (changed(CAMUNDA_ONLY, ("camunda-forms:deployment:follow_up.schema.json", "embedded:app:forms/note.html")),
     "camunda:formKey 'embedded:app:forms/note.html' phải là tên một tệp biểu mẫu JSON",
     '<bpmn:userTask id="Activity_propose"', "Activity_propose (Ghi chú của chi hội)"),
    (changed(CAMUNDA_ONLY, ("${commune_deadline}", "2026-12-05")),
     "camunda:dueDate '2026-12-05' phải là tên biến", '<bpmn:userTask id="Activity_verify"',
     "Activity_verify (Xã xem ghi chú)"),
    (changed(CAMUNDA_ONLY, (' camunda:candidateStarterGroups="branch"', "")),
     "sự kiện bắt đầu phải nằm trong một lane", '<bpmn:process id="camunda_only"', "camunda_only"),
])
def test_a_step_no_role_can_take_or_a_camunda_setting_that_means_nothing_here_is_refused(
        new_uow, officials, content, message, at, element):
    before = snapshot(new_uow)
    with pytest.raises(DeploymentRefused) as refused:
        deployments.deploy({"family.bpmn": content, **FORMS}, officials.designer, new_uow())
    assert message in refused.value.reason
    assert (refused.value.file, refused.value.line, refused.value.element) == (
        "family.bpmn", line_of(content, at), element)
    assert snapshot(new_uow) == before


def test_candidate_groups_assign_a_step_outside_any_lane(new_uow, officials):
    content = changed(MODELER_FILE, (VERIFY_REF, ""))
    deployments.deploy({"family.bpmn": content}, officials.designer, new_uow())
    started = starting.start_dossier("family_from_modeler", officials.branch, {"year": 2026}, new_uow())
    verify = only_task(tasks.complete_task(only_task(started).id, officials.branch, {}, new_uow()))
    assert (verify.step_name, verify.role, verify.unit_code) == ("Xã xem danh sách", "commune", "00070")


def test_a_diagram_with_camunda_settings_only_runs(new_uow, officials):
    """Camunda's properties give the title, its starter groups the role that opens it, each task's candidate groups
    its role, its formKey its form and its dueDate the variable holding its deadline."""
    deployments.deploy({"camunda_only.bpmn": CAMUNDA_ONLY.read_bytes(), **FORMS}, officials.designer, new_uow())
    started = starting.start_dossier("camunda_only", officials.branch, {"year": 2026}, new_uow())
    propose = only_task(started)
    view = tasks.get_task(propose.id, officials.branch, new_uow())
    assert (view.form_title, [f.name for f in view.fields]) == ("Đôn đốc đơn vị quá hạn", ["note"])
    with pytest.raises(InvalidInput) as refused:  # the field by its key; its message by the label the modeller gave
        tasks.complete_task(propose.id, officials.branch, {}, new_uow())
    assert set(refused.value.errors) == {"note"} and str(refused.value).startswith("Đã đôn đốc thế nào")
    verify = only_task(tasks.complete_task(propose.id, officials.branch, {"note": "Đã họp chi hội"}, new_uow()))
    assert (verify.step_name, verify.role, verify.unit_code) == ("Xã xem ghi chú", "commune", "00070")
    with new_uow() as uow:
        version = uow.processes.latest("camunda_only")
        assert (version.title, version.starter_role) == ("family", "branch")
        assert definition(version).steps()["Activity_verify"].due == "commune_deadline"


FORM_DATA = """<bpmn:extensionElements>
        <camunda:formData>
          <camunda:formField id="decision" label="Kết quả xem xét" type="enum">
            <camunda:value id="agree" name="Đồng ý" />
            <camunda:value id="return" name="Trả lại" />
            <camunda:validation><camunda:constraint name="required" /></camunda:validation>
          </camunda:formField>
          <camunda:formField id="households" label="Số hộ đã xác minh" type="long">
            <camunda:validation><camunda:constraint name="min" config="0" /></camunda:validation>
          </camunda:formField>
          <camunda:formField id="remark" label="Nhận xét" type="string" />
        </camunda:formData>
      </bpmn:extensionElements>
      <bpmn:incoming>Flow_0a2</bpmn:incoming>"""


def with_form_data(*more: tuple[str, str]) -> bytes:
    return changed(CAMUNDA_ONLY, ("<bpmn:incoming>Flow_0a2</bpmn:incoming>", FORM_DATA), *more)


def test_a_form_drawn_in_the_modeller_is_the_step_s_form(new_uow, officials):
    deployments.deploy({"drawn.bpmn": with_form_data(), **FORMS}, officials.designer, new_uow())
    started = starting.start_dossier("camunda_only", officials.branch, {"year": 2026}, new_uow())
    verify = only_task(tasks.complete_task(only_task(started).id, officials.branch, {"note": "Đã họp"}, new_uow()))
    view = tasks.get_task(verify.id, officials.commune, new_uow())
    assert [(f.name, f.label) for f in view.fields] == [
        ("decision", "Kết quả xem xét"), ("households", "Số hộ đã xác minh"), ("remark", "Nhận xét")]
    with pytest.raises(InvalidInput) as refused:
        tasks.complete_task(verify.id, officials.commune, {"households": -1}, new_uow())
    assert set(refused.value.errors) == {"decision", "households"}
    done = tasks.complete_task(verify.id, officials.commune, {"decision": "agree", "households": 12}, new_uow())
    assert done.status == "closed"
    with new_uow() as uow:
        assert "drawn.Activity_verify.form.json" in uow.processes.latest("camunda_only").files


@pytest.mark.parametrize(("more", "message", "at", "element"), [
    ((("<camunda:value id=\"agree\"", "<camunda:value id=\"Activity_propose\""),),
     "mã 'Activity_propose' dùng cho hai phần tử: userTask (dòng "
     + str(line_of(CAMUNDA_ONLY.read_text(), '<bpmn:userTask id="Activity_propose"')) + ") và value",
     '<camunda:value id="Activity_propose"', "Activity_propose"),
    ((('type="long"', 'type="file"'),), "kiểu 'file' chưa được hỗ trợ", '<camunda:formField id="households"',
     "households"),
    ((('name="min" config="0"', 'name="min" config="không"'),), "ràng buộc 'min' (không)",
     '<camunda:formField id="households"', "households"),
    ((('camunda:dueDate="${commune_deadline}"',
       'camunda:dueDate="${commune_deadline}" camunda:formKey="follow_up.schema.json"'),),
     "cả camunda:formKey và camunda:formData", '<bpmn:userTask id="Activity_verify"',
     "Activity_verify (Xã xem ghi chú)"),
])
def test_a_drawn_form_that_cannot_work_is_refused(new_uow, officials, more, message, at, element):
    before = snapshot(new_uow)
    content = with_form_data(*more)
    with pytest.raises(DeploymentRefused) as refused:
        deployments.deploy({"drawn.bpmn": content, **FORMS}, officials.designer, new_uow())
    assert message in refused.value.reason
    assert (refused.value.file, refused.value.line, refused.value.element) == (
        "drawn.bpmn", line_of(content, at), element)
    assert snapshot(new_uow) == before
