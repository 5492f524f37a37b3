"""Timers that really fire: found by their indexed due time, fired at the clock's time (scenarios move the clock),
each dossier in its own transaction, never twice when two sweeps run at once."""
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from engine.designing import deployments
from engine.dossiers import starting, step_runner, tasks, timers, viewing
from engine.errors import DeploymentRefused, WorkflowFailed
from engine.storage.tables import AuditRow, DossierRow
from tests.support.builders import due_at, snapshot
from tests.support.databases import on_both_databases
from tests.support.diagrams import deadline_diagram, line_of

@pytest.fixture
def with_deadline(new_uow, officials):
    deployments.deploy({"with_deadline.bpmn": deadline_diagram()}, officials.designer, new_uow())


def start(new_uow, officials) -> int:
    return starting.start_dossier("with_deadline", officials.branch, {"year": 2026}, new_uow()).id


def steps(new_uow, officials, dossier_id):
    return sorted((t.step_name, t.unit_code) for t in
                  viewing.get_dossier(dossier_id, officials.ministry, new_uow()).open_tasks)


@on_both_databases  # the due-time query (FOR UPDATE SKIP LOCKED), time zones
def test_a_deadline_fires_when_the_clock_passes_it_and_the_late_unit_can_still_submit(
        new_uow, officials, clock, with_deadline):
    dossier_id = start(new_uow, officials)
    assert due_at(new_uow, dossier_id) == datetime(2026, 12, 15, 10, 0, tzinfo=UTC)
    (waiting,) = tasks.inbox(officials.branch, new_uow()).tasks
    assert waiting.due_at == datetime(2026, 12, 15, 10, 0, tzinfo=UTC)
    assert timers.run_due_timers(new_uow).fired == 0
    clock.advance(days=25, hours=9)  # 2026-12-15 10:00 UTC: due, but not yet past
    assert timers.run_due_timers(new_uow).fired == 0
    clock.advance(minutes=1)
    sweep = timers.run_due_timers(new_uow)
    assert (sweep.fired, sweep.opened, sweep.failed) == (1, 1, {})
    assert steps(new_uow, officials, dossier_id) == [("Nộp báo cáo", officials.branch_code),
                                                     ("Đôn đốc chi hội nộp báo cáo", "00070")]
    assert due_at(new_uow, dossier_id) is None
    assert timers.run_due_timers(new_uow).fired == 0  # fired once only
    history = viewing.get_dossier(dossier_id, officials.ministry, new_uow()).history
    assert [(h.username, h.action) for h in history][-1] == ("hẹn-giờ", "timer")
    (late_submit,) = [t for t in tasks.inbox(officials.branch, new_uow()).tasks if t.dossier_id == dossier_id]
    tasks.complete_task(late_submit.id, officials.branch, {}, new_uow())
    assert steps(new_uow, officials, dossier_id) == [("Đôn đốc chi hội nộp báo cáo", "00070")]


def test_submitting_before_the_deadline_clears_the_timer(new_uow, officials, clock, with_deadline):
    dossier_id = start(new_uow, officials)
    (submit,) = viewing.get_dossier(dossier_id, officials.branch, new_uow()).open_tasks
    tasks.complete_task(submit.id, officials.branch, {}, new_uow())
    assert due_at(new_uow, dossier_id) is None
    clock.advance(days=40)
    assert timers.run_due_timers(new_uow).fired == 0


def test_a_timer_expression_that_is_not_a_date_refuses_the_start_and_stores_nothing(new_uow, officials):
    deployments.deploy({"with_deadline.bpmn": deadline_diagram("'sau Tết'")}, officials.designer, new_uow())
    before = snapshot(new_uow)
    with pytest.raises(WorkflowFailed, match="Quy trình lỗi khi chạy"):
        start(new_uow, officials)
    assert snapshot(new_uow) == before


@on_both_databases  # SQLite: one writer at a time, every gunicorn worker sweeping; PostgreSQL: SKIP LOCKED
def test_two_sweeps_at_once_fire_each_timer_once(new_uow, officials, clock, with_deadline, monkeypatch):
    ids = [start(new_uow, officials) for _ in range(40)]
    clock.advance(days=30)
    # Neither sweep fires before both have read the 40 due dossiers: each then goes for every one of them, and
    # only the lock, with the due time read again under it, keeps the other from firing it a second time.
    both_read, tried, real_fire = threading.Barrier(2, timeout=60), {}, timers._fire

    def fire(uow, dossier_id):
        if threading.get_ident() not in tried:
            both_read.wait()
        tried[threading.get_ident()] = tried.get(threading.get_ident(), 0) + 1
        return real_fire(uow, dossier_id)

    monkeypatch.setattr(timers, "_fire", fire)
    results = []
    threads = [threading.Thread(target=lambda: results.append(timers.run_due_timers(new_uow))) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(tried.values()) == [40, 40]
    assert sum(r.fired for r in results) == 40 and all(not r.failed for r in results)
    with new_uow() as uow:
        fired = uow.session.scalar(select(func.count()).select_from(AuditRow).where(AuditRow.action == "timer"))
        waiting = uow.session.scalar(select(func.count()).select_from(DossierRow)
                                     .where(DossierRow.timer_due_at.is_not(None)))
    assert (fired, waiting) == (40, 0)
    assert all(len(steps(new_uow, officials, i)) == 2 for i in ids)


def test_a_timer_that_cannot_fire_is_put_off_and_recorded_not_retried_in_every_sweep(new_uow, officials, clock):
    # After the deadline the process reaches a gateway none of whose conditions hold: firing fails.
    broken = deadline_diagram().replace(
        b'<bpmn:sequenceFlow id="f3" sourceRef="late" targetRef="chase" />',
        b'<bpmn:exclusiveGateway id="gw" /><bpmn:sequenceFlow id="f3" sourceRef="late" targetRef="gw" />'
        b'<bpmn:sequenceFlow id="f3b" sourceRef="gw" targetRef="chase"><bpmn:conditionExpression>year == 1999'
        b'</bpmn:conditionExpression></bpmn:sequenceFlow>').replace(
        b'<bpmn:incoming>f3</bpmn:incoming>', b'<bpmn:incoming>f3b</bpmn:incoming>')
    deployments.deploy({"with_deadline.bpmn": broken}, officials.designer, new_uow())
    dossier_id = start(new_uow, officials)
    clock.advance(days=30)
    before = steps(new_uow, officials, dossier_id)
    sweep = timers.run_due_timers(new_uow)
    assert list(sweep.failed) == [dossier_id] and sweep.fired == 0
    assert due_at(new_uow, dossier_id) == clock.now() + timers.RETRY_AFTER
    assert steps(new_uow, officials, dossier_id) == before
    history = viewing.get_dossier(dossier_id, officials.ministry, new_uow()).history
    assert history[-1].action == "timer_failed" and "Quy trình lỗi khi chạy" in history[-1].payload["reason"]
    assert timers.run_due_timers(new_uow).failed == {}  # not again until the retry time


def test_a_duration_timer_counts_from_the_clock_of_the_step_that_started_it(new_uow, officials, clock):
    ten_days = deadline_diagram("'P10D'").replace(b"bpmn:timeDate", b"bpmn:timeDuration")
    deployments.deploy({"with_deadline.bpmn": ten_days}, officials.designer, new_uow())
    dossier_id = start(new_uow, officials)
    assert due_at(new_uow, dossier_id) == clock.now() + timedelta(days=10)
    clock.advance(days=10, minutes=1)
    assert timers.run_due_timers(new_uow).opened == 1


def test_a_timer_without_a_time_zone_is_vietnam_s(new_uow, officials):
    local = deadline_diagram("'2026-12-15T17:00:00'")
    deployments.deploy({"with_deadline.bpmn": local}, officials.designer, new_uow())
    assert due_at(new_uow, start(new_uow, officials)) == datetime(2026, 12, 15, 10, 0, tzinfo=UTC)


def test_an_unexpected_failure_on_one_dossier_does_not_stop_the_sweep(new_uow, officials, clock, with_deadline,
                                                                      monkeypatch):
    first, second = start(new_uow, officials), start(new_uow, officials)
    clock.advance(days=30)
    real = step_runner.fire_timers

    def breaks_on_first(uow, by, dossier, *args):
        if dossier.id == first:
            raise RuntimeError("mất kết nối giữa chừng")
        return real(uow, by, dossier, *args)

    monkeypatch.setattr(step_runner, "fire_timers", breaks_on_first)
    sweep = timers.run_due_timers(new_uow)
    assert (sweep.fired, list(sweep.failed)) == (1, [first]) and "mất kết nối" in sweep.failed[first]
    assert due_at(new_uow, first) == clock.now() + timers.RETRY_AFTER and due_at(new_uow, second) is None


def test_a_repeating_timer_is_refused_at_deploy(new_uow, officials):
    cycle = deadline_diagram("'R3/P1D'").replace(b"bpmn:timeDate", b"bpmn:timeCycle")
    with pytest.raises(DeploymentRefused, match="timeCycle") as refusal:
        deployments.deploy({"with_deadline.bpmn": cycle}, officials.designer, new_uow())
    assert (refusal.value.file, refusal.value.line, refusal.value.element) == (
        "with_deadline.bpmn", line_of(cycle, '<bpmn:boundaryEvent id="late"'), "late (Quá hạn)")
