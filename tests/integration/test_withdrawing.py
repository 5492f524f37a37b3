"""Withdrawing a dossier (issue 17, part 3): its proposer ends it with a reason while nobody else has acted on it;
recorded in its hash-chained history, its tasks gone from every inbox, its workflow ended; refused otherwise with the
reason, changing nothing."""
import pytest

from engine.auditing import verifying
from engine.dossiers import starting, tasks, viewing, withdrawing
from engine.errors import Conflict, DossierNotFound, Forbidden, InvalidInput, TaskAlreadyDone
from engine.model import DossierStatus, TaskStatus
from tests.support.builders import CANDIDATES, PROCESS, only_task, race, snapshot, to_commune
from tests.support.databases import on_both_databases


def opened(new_uow, officials):
    return starting.start_dossier(PROCESS, officials.branch, {"year": 2026, "title": "family", "name": "Nhầm"},
                                  new_uow())


@on_both_databases  # the row lock, and the history's chain on PostgreSQL's JSON
def test_the_branch_withdraws_a_dossier_still_at_its_first_step(new_uow, officials):
    started = opened(new_uow, officials)
    withdrawn = withdrawing.withdraw_dossier(started.id, officials.branch, "  Mở nhầm danh hiệu ", new_uow())
    assert withdrawn == withdrawing.Withdrawn(started.id, DossierStatus.CLOSED, ("Lập danh sách đề nghị",))
    view = viewing.get_dossier(started.id, officials.branch, new_uow())
    assert view.status == DossierStatus.CLOSED and view.open_tasks == () and not view.withdrawable
    assert (view.history[-1].action, view.history[-1].payload, view.history[-1].username) == (
        "withdraw", {"reason": "Mở nhầm danh hiệu"}, officials.branch.username)
    assert tasks.inbox(officials.branch, new_uow()).tasks == []
    with new_uow() as uow:
        dossier = uow.dossiers.get(started.id)
        assert [t.status for t in uow.tasks.of_dossier(started.id)] == [TaskStatus.CANCELLED]
        assert dossier.timer_due_at is None
    with pytest.raises(TaskAlreadyDone):
        tasks.complete_task(only_task(started).id, officials.branch, {"candidates": CANDIDATES}, new_uow())
    assert verifying.verify_audit(new_uow).broken is None


def test_a_sent_dossier_the_commune_has_not_acted_on_leaves_the_communes_inbox(new_uow, officials):
    dossier_id, verify = to_commune(new_uow, officials)
    assert viewing.get_dossier(dossier_id, officials.branch, new_uow()).withdrawable
    assert not viewing.get_dossier(dossier_id, officials.commune, new_uow()).withdrawable
    withdrawn = withdrawing.withdraw_dossier(dossier_id, officials.branch, "Gửi nhầm năm", new_uow())
    assert withdrawn.cancelled == (verify.step_name,)
    assert tasks.inbox(officials.commune, new_uow()).tasks == []
    with pytest.raises(TaskAlreadyDone) as late:
        tasks.complete_task(verify.id, officials.commune, {"decision": "approve"}, new_uow())
    # The commune reads why, by the step's name: not "done" (nobody did it), not the task's internal id.
    assert f"Bước “{verify.step_name}” không còn chờ xử lý: hồ sơ đã được rút" in str(late.value)
    assert verify.id not in str(late.value)


def test_refused_once_the_commune_acted_naming_it_and_changing_nothing(new_uow, officials):
    dossier_id, verify = to_commune(new_uow, officials)
    tasks.complete_task(verify.id, officials.commune, {"decision": "return", "comment": "Bổ sung"}, new_uow())
    assert not viewing.get_dossier(dossier_id, officials.branch, new_uow()).withdrawable
    before = snapshot(new_uow)
    with pytest.raises(Conflict, match="Phường Hoàn Kiếm đã xử lý hồ sơ"):
        withdrawing.withdraw_dossier(dossier_id, officials.branch, "Không làm nữa", new_uow())
    assert snapshot(new_uow) == before


def test_only_the_proposing_unit_withdraws_and_a_reason_is_required(new_uow, officials):
    dossier_id, _ = to_commune(new_uow, officials)
    before = snapshot(new_uow)
    with pytest.raises(DossierNotFound):
        withdrawing.withdraw_dossier(dossier_id, officials.other_branch, "Nhầm", new_uow())
    for above in (officials.commune, officials.province, officials.ministry):
        with pytest.raises(Forbidden, match="Chỉ Chi hội tổ 1, đơn vị đã lập hồ sơ"):
            withdrawing.withdraw_dossier(dossier_id, above, "Nhầm", new_uow())
    for reason in ("", "   ", None, 12, "x" * (withdrawing.MAX_REASON + 1)):
        with pytest.raises(InvalidInput) as refused:
            withdrawing.withdraw_dossier(dossier_id, officials.branch, reason, new_uow())
        assert set(refused.value.errors) == {"reason"}
    assert snapshot(new_uow) == before


def test_a_withdrawn_dossier_cannot_be_withdrawn_again(new_uow, officials):
    started = opened(new_uow, officials)
    withdrawing.withdraw_dossier(started.id, officials.branch, "Nhầm", new_uow())
    with pytest.raises(Conflict, match="đã kết thúc"):
        withdrawing.withdraw_dossier(started.id, officials.branch, "Nhầm lần nữa", new_uow())


@on_both_databases  # SQLite: one writer waits for the other; PostgreSQL: the dossier's row lock
def test_withdrawing_while_the_commune_verifies_has_one_winner(new_uow, officials):
    for _ in range(3):
        dossier_id, verify = to_commune(new_uow, officials)
        acts = [lambda: withdrawing.withdraw_dossier(dossier_id, officials.branch, "Nhầm", new_uow()),
                lambda: tasks.complete_task(verify.id, officials.commune, {"decision": "approve"}, new_uow())]
        results = race(2, lambda i: acts[i]())
        assert sorted(isinstance(r, Conflict) for r in results) == [False, True], results
        status = viewing.get_dossier(dossier_id, officials.branch, new_uow()).status
        assert status == (DossierStatus.CLOSED if isinstance(results[1], Conflict) else DossierStatus.IN_PROGRESS)
