"""Background jobs through the outbox: a job is asked for in the transaction of the change that needs it, relayed
after commit, takes effect once however often it is delivered, is tried again after a transient database error and
ends on the dead-letter list after any other error or too many attempts, from where an administrator queues it again.
Faults tried: a transaction that rolls back after asking, a job delivered twice (one after the other and two workers
at once), a job that fails half-way, a database error on every attempt, an unknown kind, a relay that never came."""
from datetime import timedelta

import threading
import time

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from engine.dossiers import tasks
from engine.errors import Conflict, Forbidden, NotFound
from engine.jobs import dead_letters, health, kinds, outbox, running
from engine.jobs.dispatchers import InThread
from engine.model import SYSTEM, JobStatus
from engine.reporting import periods
from engine.storage.tables import DossierRow, JobRow
from engine.storage.unit_of_work import UnitOfWork
from tests.support.builders import race, set_commune_deadline
from tests.support.databases import on_both_databases


class Recording:
    """A dispatcher that keeps what it was asked to relay, and whether each job was committed by then."""

    def __init__(self, new_uow):
        self.new_uow, self.relayed = new_uow, []

    def relay(self, job_ids):
        with self.new_uow() as uow:
            self.relayed.append([(job_id, uow.jobs.get(job_id) is not None) for job_id in job_ids])


@pytest.fixture
def queued_only(session_factory, clock):
    """Units of work whose jobs stay queued (no dispatcher), as when the broker is down."""
    return lambda: UnitOfWork(session_factory, clock)


@pytest.fixture
def counting_kind(monkeypatch):
    """A kind of job that writes a row (a job of the outbox itself, as a marker) and counts its calls."""
    calls = []

    def count(call):
        calls.append(threading.current_thread().name)
        call.uow.jobs.add(JobRow(kind="marker", params={}, requested_by="test", status=JobStatus.DONE, attempts=0,
                                 created_at=call.uow.clock.now()))
        return {"calls": len(calls)}

    monkeypatch.setitem(kinds.KINDS, "count", count)
    return calls


def ask(new_uow, key=None) -> int:
    with new_uow() as uow:
        job_id = outbox.enqueue(uow, "count", {}, SYSTEM, key)
        uow.commit()
    return job_id


def markers(new_uow) -> int:
    with new_uow() as uow:
        return uow.session.scalar(select(func.count()).select_from(JobRow).where(JobRow.kind == "marker"))


def job(new_uow, job_id) -> JobRow:
    with new_uow() as uow:
        return uow.jobs.get(job_id)


def test_a_job_is_relayed_after_its_transaction_commits_and_not_at_all_when_it_rolls_back(session_factory, clock):
    dispatcher = Recording(lambda: UnitOfWork(session_factory, clock))
    new_uow = lambda: UnitOfWork(session_factory, clock, dispatcher)  # noqa: E731
    with new_uow() as uow:
        outbox.enqueue(uow, "count", {}, SYSTEM)
        assert dispatcher.relayed == []  # not before the commit
    assert dispatcher.relayed == []  # rolled back: nothing kept, nothing relayed
    job_id = ask(new_uow)
    assert dispatcher.relayed == [[(job_id, True)]]  # relayed once committed, after the unit of work ended


def test_a_job_delivered_twice_takes_effect_once(queued_only, counting_kind):
    job_id = ask(queued_only)
    assert running.run_job(job_id, queued_only, "w1") == running.DONE
    assert running.run_job(job_id, queued_only, "w2") == running.SKIPPED
    done = job(queued_only, job_id)
    assert (done.status, done.attempts, done.result, markers(queued_only)) == (JobStatus.DONE, 1, {"calls": 1}, 1)


def test_the_embedded_default_runs_jobs_in_a_thread_of_its_own_after_the_commit(database_url, session_factory, clock,
                                                                                counting_kind):
    new_uow = lambda: UnitOfWork(session_factory, clock, dispatcher)  # noqa: E731
    dispatcher = InThread(new_uow)
    job_id = ask(new_uow)
    for _ in range(100):
        if job(new_uow, job_id).status == JobStatus.DONE:
            break
        time.sleep(0.05)
    done = job(new_uow, job_id)
    assert (done.status, done.worker.startswith("thread@"), done.relayed_at is not None) == (JobStatus.DONE, True, True)
    assert counting_kind[0].startswith("jobs") and counting_kind[0] != threading.current_thread().name


def test_the_same_key_asked_twice_is_one_job(queued_only, counting_kind):
    assert ask(queued_only, "one") == ask(queued_only, "one") != ask(queued_only, "two")


def test_a_job_failing_half_way_leaves_nothing_of_its_effect_and_goes_to_the_dead_letters(queued_only, counting_kind):
    job_id = ask(queued_only)
    kinds.KINDS["count"] = _raising(ValueError("số liệu không đọc được"), kinds.KINDS["count"])
    assert running.run_job(job_id, queued_only, "w1") == running.DEAD
    dead = job(queued_only, job_id)
    assert (dead.status, dead.attempts, dead.error) == (JobStatus.DEAD, 1, "ValueError: số liệu không đọc được")
    assert markers(queued_only) == 0
    assert running.run_job(job_id, queued_only, "w2") == running.SKIPPED  # a dead job is not run again by itself


def _raising(error, effect):
    def job_that_fails_after_its_effect(call):
        effect(call)
        raise error
    return job_that_fails_after_its_effect


def test_a_transient_database_error_is_tried_again_with_back_off_then_given_up(queued_only, counting_kind):
    job_id = ask(queued_only)
    lost = OperationalError("UPDATE", {}, Exception("server closed the connection unexpectedly"))
    kinds.KINDS["count"] = _raising(lost, kinds.KINDS["count"])
    waits = [running.run_job(job_id, queued_only, "w").retry_in for _ in range(running.MAX_ATTEMPTS - 1)]
    assert waits == [timedelta(seconds=s) for s in (10, 20, 40, 80)]
    assert job(queued_only, job_id).status == JobStatus.QUEUED
    assert running.run_job(job_id, queued_only, "w") == running.DEAD  # the fifth attempt: no endless retry
    dead = job(queued_only, job_id)
    assert (dead.status, dead.attempts, markers(queued_only)) == (JobStatus.DEAD, 5, 0)
    assert "server closed the connection" in dead.error
    assert running.backoff(9) == timedelta(minutes=5)


def test_a_job_of_an_unknown_kind_is_a_dead_letter_naming_the_kinds(queued_only):
    with queued_only() as uow:
        job_id = outbox.enqueue(uow, "no_such_kind", {}, SYSTEM)
        uow.commit()
    assert running.run_job(job_id, queued_only, "w") == running.DEAD
    assert "Không có loại việc 'no_such_kind'; có: open_commune_reports" in job(queued_only, job_id).error


def test_an_administrator_sees_the_dead_letters_and_retries_one(new_uow, officials, counting_kind):
    admin = SYSTEM
    kinds.KINDS["count"], works = _raising(ValueError("hỏng"), kinds.KINDS["count"]), kinds.KINDS["count"]
    job_id = ask(new_uow)  # run at once by the fixture's dispatcher, and dead
    (listed,) = dead_letters.list_jobs(admin, new_uow())
    assert (listed.id, listed.status, listed.error) == (job_id, JobStatus.DEAD, "ValueError: hỏng")
    for official in (officials.ministry, officials.province, officials.designer):
        with pytest.raises(Forbidden):
            dead_letters.list_jobs(official, new_uow())
        with pytest.raises(Forbidden):
            dead_letters.retry_job(job_id, official, new_uow())
    kinds.KINDS["count"] = works  # the cause is mended
    dead_letters.retry_job(job_id, admin, new_uow())  # queued again and relayed on commit
    again = job(new_uow, job_id)
    assert (again.status, again.attempts, again.error, markers(new_uow)) == (JobStatus.DONE, 1, None, 1)
    assert dead_letters.list_jobs(admin, new_uow()) == []
    with pytest.raises(Conflict, match="không ở danh sách lỗi"):
        dead_letters.retry_job(job_id, admin, new_uow())
    with pytest.raises(NotFound):
        dead_letters.retry_job(987654, admin, new_uow())


def test_the_periodic_relay_sends_what_no_relay_sent_and_what_was_sent_long_ago(queued_only, clock, counting_kind):
    dispatcher = Recording(queued_only)
    left = ask(queued_only)
    assert outbox.relay_left_behind(queued_only, dispatcher) == 0  # just committed: its own relay may be on the way
    clock.advance(seconds=outbox.RELAY_GRACE.total_seconds() + 1)
    fresh = ask(queued_only)
    assert outbox.relay_left_behind(queued_only, dispatcher) == 1
    assert dispatcher.relayed == [[(left, True)]]
    outbox.mark_relayed(queued_only(), [left, fresh])
    clock.advance(seconds=outbox.RELAY_AGAIN_AFTER.total_seconds() + 1)
    assert outbox.relay_left_behind(queued_only, dispatcher) == 2  # its message may be lost: sent again
    running.run_job(left, queued_only, "w")
    assert health.database_health(queued_only())["waiting"] == 1


def test_the_communes_reports_open_in_a_job_asked_for_by_the_province_s_step(queued_only, officials):
    periods.open_reporting_period("annual_models", 2026, officials.ministry, queued_only())
    done = set_commune_deadline(queued_only, officials)
    assert [t.step_name for t in done.next_tasks] == ["Tổng hợp, gửi báo cáo của tỉnh"]
    assert commune_reports(queued_only) == 0  # the province's step did not wait for them
    (queued,) = dead_letters.list_jobs(SYSTEM, queued_only(), JobStatus.QUEUED)
    assert (queued.kind, set(queued.params)) == ("open_commune_reports", {"dossier", "version", "deadline",
                                                                          "reminder_at"})
    assert running.run_job(queued.id, queued_only, "w1") == running.DONE
    assert running.run_job(queued.id, queued_only, "w2") == running.SKIPPED
    with queued_only() as uow:
        communes = len(uow.units.communes_of("01"))
    assert commune_reports(queued_only) == communes > 100
    assert job(queued_only, queued.id).result == {"opened": communes}
    assert tasks.inbox(officials.commune, queued_only()).total == 1


def commune_reports(new_uow) -> int:
    with new_uow() as uow:
        return uow.session.scalar(select(func.count()).select_from(DossierRow).where(
            DossierRow.province_code == "01", DossierRow.title == "annual_models", DossierRow.commune_code != "01"))


@on_both_databases
def test_two_workers_given_the_same_job_at_once_open_the_communes_reports_once(database_url, session_factory, clock,
                                                                                officials):
    new_uow = lambda: UnitOfWork(session_factory, clock)  # noqa: E731
    periods.open_reporting_period("annual_models", 2026, officials.ministry, new_uow())
    set_commune_deadline(new_uow, officials)
    (queued,) = dead_letters.list_jobs(SYSTEM, new_uow(), JobStatus.QUEUED)
    outcomes = race(2, lambda i: running.run_job(queued.id, new_uow, f"w{i}"))
    assert sorted(o.status for o in outcomes) == ["done", "skipped"]
    with new_uow() as uow:
        communes = len(uow.units.communes_of("01"))
    assert commune_reports(new_uow) == communes


def test_a_use_case_given_a_unit_of_work_in_its_block_joins_that_transaction(new_uow, officials):
    """A job composes use cases in its own transaction: theirs neither commit nor end it, and its rollback takes
    everything back, what they asked for included."""
    with new_uow() as uow:
        outer = uow.session
        with uow:
            assert uow.session is outer
            outbox.enqueue(uow, "count", {}, SYSTEM)
            uow.commit()  # the inner use case's commit: only the outermost block commits
        assert uow.session is outer and uow.jobs_to_relay != []
    assert dead_letters.list_jobs(SYSTEM, new_uow(), None) == []  # the outer block left without commit
    with new_uow() as uow:
        with uow.reading():
            outbox.enqueue(uow, "count", {}, SYSTEM)
        uow.commit()
    assert [job.kind for job in dead_letters.list_jobs(SYSTEM, new_uow(), None)] == ["count"]
