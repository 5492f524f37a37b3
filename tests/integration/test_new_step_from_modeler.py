"""A designer opens the shipped list diagram in Camunda Modeler, adds a step between the commune and the province
(the provincial association checks the list before the decision), and deploys it: new dossiers walk through the new
step, a dossier already running finishes on the version it started on, unless it is moved to the new version
(which only dossiers that have not reached the changed part can be)."""
import pytest

from engine.designing import deployments
from engine.designing.moving_dossiers import migrate_dossiers
from engine.dossiers import tasks, viewing
from engine.errors import Forbidden
from tests.support import BPMN
from tests.support.builders import APPROVAL, PROCESS, only_task, snapshot, to_commune
from tests.support.diagrams import CHECK_STEP, drawn_in_camunda_modeler

def approve_at_province(new_uow, officials, task):
    return tasks.complete_task(task.id, officials.province, APPROVAL, new_uow())


def test_new_dossiers_take_the_new_step_while_a_running_one_keeps_its_version(new_uow, officials):
    old_id, old_verify = to_commune(new_uow, officials)
    files = {"candidate_list_recognition.bpmn": drawn_in_camunda_modeler(),
             **{p.name: p.read_bytes() for p in (BPMN / "forms").glob("*.json")}}
    (deployed,) = [d for d in deployments.deploy(files, officials.designer, new_uow()) if d.process_id == PROCESS]
    assert (deployed.version, deployed.created) == (2, True)

    new_id, new_verify = to_commune(new_uow, officials, [{"name": "Lê Thị Cúc", "score": 88}])
    check = only_task(tasks.complete_task(new_verify.id, officials.commune, {"decision": "approve"}, new_uow()))
    assert (check.step_name, check.role, check.unit_code) == (CHECK_STEP, "province", "01")
    form = tasks.get_task(check.id, officials.province, new_uow())
    assert [f.name for f in form.fields] == ["note"]
    approve = only_task(tasks.complete_task(check.id, officials.province, {"note": "Danh sách đủ hồ sơ"}, new_uow()))
    assert approve.step == "approve"
    assert approve_at_province(new_uow, officials, approve).status == "recognised"

    # The dossier that was waiting at the commune goes on as its version says: straight to the decision.
    approve_old = only_task(tasks.complete_task(old_verify.id, officials.commune, {"decision": "approve"},
                                                new_uow()))
    assert approve_old.step == "approve"
    assert approve_at_province(new_uow, officials, approve_old).status == "recognised"
    versions = {d: viewing.get_dossier(d, officials.ministry, new_uow()).process_version for d in (old_id, new_id)}
    assert versions == {old_id: 1, new_id: 2}


def test_running_dossiers_move_to_the_new_version_where_they_have_not_reached_the_change(new_uow, officials):
    at_commune, _ = to_commune(new_uow, officials)
    past_commune, verify = to_commune(new_uow, officials, [{"name": "Lê Thị Cúc", "score": 88}])
    at_province = only_task(tasks.complete_task(verify.id, officials.commune, {"decision": "approve"}, new_uow()))
    files = {"candidate_list_recognition.bpmn": drawn_in_camunda_modeler(),
             **{p.name: p.read_bytes() for p in (BPMN / "forms").glob("*.json")}}
    deployments.deploy(files, officials.designer, new_uow())
    with pytest.raises(Forbidden):
        migrate_dossiers(PROCESS, officials.province, new_uow())

    before = snapshot(new_uow)
    plan = migrate_dossiers(PROCESS, officials.designer, new_uow())
    assert snapshot(new_uow) == before  # a dry run changes nothing
    assert (plan.to_version, plan.movable, plan.applied) == (2, {at_commune: 1}, False)
    # It has passed the gateway whose flow the new step now takes, and reached the step after it.
    assert plan.refused == {past_commune: "hồ sơ đã tới các bước mà phiên bản mới sửa hoặc bỏ: "
                                          "approve (Phê duyệt, ra quyết định công nhận), "
                                          "deciding_level_gateway (Cấp nào quyết định?)"}

    done = migrate_dossiers(PROCESS, officials.designer, new_uow(), apply=True)
    assert (done.movable, set(done.refused), done.applied) == ({at_commune: 1}, {past_commune}, True)
    moved = viewing.get_dossier(at_commune, officials.ministry, new_uow())
    assert moved.process_version == 2 and moved.history[-1].action == "migrate"
    assert moved.history[-1].payload == {"process": PROCESS, "from": 1, "to": 2}
    # The moved dossier's open step is still the commune's; after it, the new step.
    (verify_moved,) = moved.open_tasks
    check = only_task(tasks.complete_task(verify_moved.id, officials.commune, {"decision": "approve"}, new_uow()))
    assert check.step_name == CHECK_STEP
    # The other one goes on as it was, on version 1.
    assert approve_at_province(new_uow, officials, at_province).status == "recognised"
    assert viewing.get_dossier(past_commune, officials.ministry, new_uow()).process_version == 1
    assert migrate_dossiers(PROCESS, officials.designer, new_uow()).movable == {}
