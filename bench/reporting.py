"""Benchmark: a national reporting period. The ministry opens it (34 province reports), every province fans out to
its communes (3,321 commune reports with deadlines and reminders), then the clock passes every commune's reminder and
one sweep fires them (3,321 due at once), then every commune's deadline and one sweep escalates them (3,321 at
once); every commune then submits and is accepted, every province closes its chase tasks and sends its report,
the ministry compiles the national report (no task is left open), and the ministry's and a province's views are
timed. Targets: fan-out ≤ 30 s, sweep ≤ 30 s, view p95 ≤ 200 ms.

The fan-out is measured two ways in one run, on the same machine:
- in the request, what it cost before it became a job: each province's fan-out job runs right after its completion
  commits, in its request (`inline_units_of_work`), in `--workers` processes; timed from the first province's
  completion to the last commune report opened.
- on Celery workers, on a second fresh database (the first one's name with `_workers`): `--celery-workers` workers
  (one job at a time each) on a queue of the benchmark's own (deleted afterwards), the provinces complete their tasks
  with no dispatcher (the jobs stay in the outbox), then the benchmark relays the jobs to the broker itself and waits
  until none is queued; timed: the provinces' completions (what officials wait for), and until every job is done.
Each mode prints a province's completion p50/max and the commune reports that exist at the end (3,321 communes).
The workers read the system clock, the provinces the benchmark's (20/11/2026). A commune's reminder already due when
its report opens fires right there (its service finds no task yet and reminds no one): a sweep's work added to the
fan-out's, and reports that no longer wait on their reminder. So on the second database the communes' deadline is
set ahead of the system clock (the period's deadline after it) and both modes do the same work; each prints how many
reports wait on their reminder. The later stages (sweeps, submissions, views) run on the first database only, whose
dates they follow.

    python bench/reporting.py                     # PostgreSQL: fresh databases lm_report_bench(_workers); RabbitMQ
    python bench/reporting.py --database-url sqlite:////tmp/report.sqlite --celery-workers 0   # in the request only
"""
import argparse
import multiprocessing
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from celery import Celery  # noqa: E402
from kombu import Connection  # noqa: E402
from sqlalchemy import func, select, text  # noqa: E402

from bench.throughput import PG_SERVER, prepare  # noqa: E402
from engine.clock import MovableClock, SystemClock, end_of_office_day, today_in_vietnam  # noqa: E402
from engine.dossiers import tasks, timers  # noqa: E402
from engine.dossiers.attachments import Upload  # noqa: E402
from engine.jobs import outbox  # noqa: E402
from engine.jobs.dispatchers import inline_units_of_work  # noqa: E402
from engine.model import MINISTRY_CODE, JobStatus, Official, Role, TaskStatus  # noqa: E402
from engine.reporting import figures, periods  # noqa: E402
from engine.storage.database import make_engine, make_session_factory  # noqa: E402
from engine.storage.tables import DossierRow, HumanTaskRow, JobRow  # noqa: E402
from engine.storage.unit_of_work import UnitOfWork  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
REPORT_PDF = b"%PDF-1.4\n" + b"0" * 2048 + b"\n%%EOF\n"
BROKER_URL = "amqp://guest:guest@127.0.0.1:5672//"
# web.background.RUN_JOB, named here: importing it would load the web app in every process of the pools.
RUN_JOB = "jobs.run"
COMMUNE_DEADLINE, REMINDER_DAYS = date(2026, 12, 5), 3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=f"{PG_SERVER}/lm_report_bench")
    parser.add_argument("--sweepers", type=int, default=2, help="sweeper processes running at once")
    parser.add_argument("--workers", type=int, default=2,
                        help="processes acting for the provinces (and their communes) at once")
    parser.add_argument("--celery-workers", type=int, default=2,
                        help="Celery workers (one job at a time each) for the fan-out on workers; 0: not measured")
    parser.add_argument("--broker-url", default=os.environ.get("BROKER_URL") or BROKER_URL)
    args = parser.parse_args()
    url, sweepers, workers = args.database_url, args.sweepers, args.workers
    prepare(url, branches=1)
    factory = make_session_factory(make_engine(url))
    clock = MovableClock(datetime(2026, 11, 20, 1, 0, tzinfo=UTC))
    new_uow = lambda: UnitOfWork(factory, clock)  # noqa: E731
    ministry = Official("bo", Role.MINISTRY, MINISTRY_CODE)

    started = time.perf_counter()
    opened = periods.open_reporting_period("annual_models", 2026, ministry, new_uow())
    period_opened = time.perf_counter() - started
    with new_uow() as uow:
        provinces = [p.code for p in uow.units.provinces()]
    in_request = _set_deadlines(url, clock.now(), provinces, COMMUNE_DEADLINE, workers, inline=True)
    fan_out = time.perf_counter() - started
    with new_uow() as uow:
        communes = sum(len(uow.units.communes_of(code)) for code in provinces)
    print(f"database: {url.split('@')[-1]}")
    print(f"open the period ({opened.dossiers} province reports): {period_opened:.1f} s")
    print(f"fan-out to {communes} commune reports (period opened + every province sets its deadline): "
          f"{fan_out:.1f} s, {workers} province processes at once (target ≤ 30 s)")
    print(f"fan-out in the request (each province's job run right after its commit, in its request): first "
          f"province's completion to last commune report opened {in_request.span:.1f} s; "
          f"{_completions(in_request)}; {_outcome(url, COMMUNE_DEADLINE)}")

    # Days pass between the fan-out and the first reminder: autovacuum has analysed the new rows by then (here it
    # would still be running, on the sweepers' cores, with the planner working from the empty tables' statistics).
    # Before the fan-out on workers too, which would share those cores with it.
    analysed = _analyse(url)
    print(f"ANALYZE after the fan-out, as autovacuum would have in the days before the reminders: {analysed:.1f} s")
    if args.celery_workers > 0:
        _compare_with_workers(_workers_url(url), clock.now(), workers, args.celery_workers, args.broker_url,
                              in_request)

    # Every commune's reminder falls due at once (02/12 17:00), then every commune's deadline (05/12 17:00).
    for moment, what in ((datetime(2026, 12, 3, 1, 0, tzinfo=UTC), "reminders"),
                         (datetime(2026, 12, 6, 1, 0, tzinfo=UTC), "deadlines (each escalated to the province)")):
        clock.advance(seconds=(moment - clock.now()).total_seconds())
        started = time.perf_counter()
        with multiprocessing.get_context("spawn").Pool(sweepers) as pool:
            sweeps = pool.map(sweep, [(url, clock.now())] * sweepers)
        elapsed = time.perf_counter() - started
        print(f"{sweepers} sweeper(s) at once, every commune's {what} due: {sum(s[0] for s in sweeps)} dossiers "
              f"fired, {sum(s[1] for s in sweeps)} tasks opened, {sum(s[2] for s in sweeps)} failed, "
              f"{elapsed:.1f} s (target ≤ 30 s)")

    started = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        accepted = sum(pool.map(submit_and_accept, [(url, clock.now(), provinces[i::workers]) for i in range(workers)]))
    print(f"{accepted} communes submit late and are accepted, every province closes its chase tasks and sends its "
          f"report: {time.perf_counter() - started:.1f} s ({workers} processes)")
    (national,) = tasks.inbox(ministry, new_uow()).tasks
    tasks.complete_task(national.id, ministry, {"summary": "Báo cáo toàn quốc."}, new_uow(),
                        {"report_file": [Upload("toan-quoc.pdf", REPORT_PDF)]})
    with new_uow() as uow:
        left = uow.session.scalar(select(func.count()).select_from(HumanTaskRow).where(
            HumanTaskRow.status == TaskStatus.OPEN))
    print(f"the ministry compiles the national report; tasks left open: {left}")
    for who, official in (("ministry (34 provinces)", ministry),
                          ("province 01 (its communes)", Official("tinh-01", Role.PROVINCE, "01"))):
        timings = []
        for _ in range(200):
            started = time.perf_counter()
            periods.report_view("annual_models", 2026, official, new_uow())
            timings.append((time.perf_counter() - started) * 1000)
        quantiles = statistics.quantiles(timings, n=100)
        print(f"view for the {who}: p50 {quantiles[49]:.1f} ms, p95 {quantiles[94]:.1f} ms (target p95 ≤ 200 ms)")


@dataclass(frozen=True)
class Spread:
    """The provinces' completions: from the first one's start to the last one's end, and each one's time."""
    first: float
    last: float
    p50: float
    max: float
    slowest: str  # the province whose completion took longest

    @property
    def span(self) -> float:
        return self.last - self.first


def _set_deadlines(url: str, moment: datetime, provinces: list[str], deadline: date, workers: int,
                   inline: bool) -> Spread:
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        parts = pool.map(set_commune_deadlines, [(url, moment, provinces[i::workers], deadline, inline)
                                                 for i in range(workers)])
    spans = [span for part in parts for span in part]
    took = sorted((end - start, code) for code, start, end in spans)
    return Spread(min(start for _, start, _ in spans), max(end for _, _, end in spans),
                  statistics.median(t for t, _ in took), *took[-1])


def _completions(spread: Spread) -> str:
    return f"a province's completion p50 {spread.p50:.2f} s, max {spread.max:.2f} s (province {spread.slowest})"


def _outcome(url: str, deadline: date) -> str:
    """What the fan-out left: the commune reports (of how many distinct communes, how many waiting on their reminder
    as their next timer), the jobs by status."""
    reminder = end_of_office_day(deadline) - timedelta(days=REMINDER_DAYS)
    engine = make_engine(url)
    with UnitOfWork(make_session_factory(engine)) as uow:
        reports, communes, waiting = uow.session.execute(
            select(func.count(), func.count(DossierRow.commune_code.distinct()),
                   func.count().filter(DossierRow.timer_due_at == reminder)).where(
                DossierRow.title == "annual_models", DossierRow.commune_code != DossierRow.province_code)).one()
        jobs = uow.session.execute(select(JobRow.status, func.count()).group_by(JobRow.status)).all()
    engine.dispose()
    return (f"{reports} commune reports, {communes} distinct communes, {waiting} waiting on their reminder; jobs: "
            + ", ".join(f"{count} {status}" for status, count in sorted(jobs)))


def _workers_url(url: str) -> str:
    """The second database: the first one's name with `_workers` (a SQLite file's, before its extension)."""
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        return f"sqlite:///{path.with_stem(f'{path.stem}_workers')}"
    return f"{url}_workers"


def _compare_with_workers(url: str, moment: datetime, workers: int, celery_workers: int, broker: str,
                          in_request: Spread) -> None:
    """The same fan-out on a fresh database, its jobs run by Celery workers; printed beside the one in the request."""
    # Ahead of the workers' clock, with a week to spare before the reminder: none is due as a report opens.
    deadline = max(COMMUNE_DEADLINE, today_in_vietnam(SystemClock()) + timedelta(days=REMINDER_DAYS + 7))
    prepare(url, branches=1)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    periods.open_reporting_period("annual_models", 2026, Official("bo", Role.MINISTRY, MINISTRY_CODE),
                                  UnitOfWork(factory, MovableClock(moment)),
                                  province_deadline=max(periods.default_province_deadline("annual_models", 2026),
                                                        deadline + timedelta(days=7)))
    with UnitOfWork(factory) as uow:
        provinces = [p.code for p in uow.units.provinces()]
    queue = f"bench-reporting-{os.getpid()}"
    started: list[Worker] = []
    # A SIGTERM to the benchmark stops its workers too (by default it would end it with no `finally`).
    terminate = signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    with tempfile.TemporaryDirectory(prefix="bench-reporting-") as logs:
        try:
            for number in range(celery_workers):
                started.append(Worker.start(f"bench{number}-{os.getpid()}", url, broker, queue, Path(logs)))
            # Started before the clock runs, as a deployment's workers are: their start is not the fan-out's.
            _wait_for(lambda: _consumers(broker, queue) >= celery_workers, 120, "the Celery workers consuming",
                      started)
            on_workers = _set_deadlines(url, moment, provinces, deadline, workers, inline=False)
            relay_started = time.time()
            # On the system's clock, as the periodic relay runs: it takes the jobs asked for more than its grace
            # before now (the provinces asked on 20/11).
            relay = Relay(broker, queue, lambda: UnitOfWork(factory))
            relayed = outbox.relay_left_behind(lambda: UnitOfWork(factory), relay)
            relay.celery.close()
            relay_took = time.time() - relay_started
            _wait_for(lambda: _queued(factory) == 0, 900, "every job done (none queued)", started)
        finally:
            # A second Ctrl-C or SIGTERM must not cut this short and leave workers running.
            interrupt = signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            try:
                for worker in started:
                    worker.stop()
                _delete_queue(broker, queue)
            finally:
                signal.signal(signal.SIGINT, interrupt)
                signal.signal(signal.SIGTERM, terminate)
    with UnitOfWork(factory) as uow:
        # When the last job finished, on the workers' clock: the system's, as time.time() is.
        last_done = uow.session.scalar(select(func.max(JobRow.finished_at))).timestamp()
    engine.dispose()
    done = last_done - on_workers.first
    # Else autovacuum would analyse this database's new rows during the sweeps of the first one.
    _analyse(url)
    print(f"fan-out on {celery_workers} Celery workers (one job at a time each), database "
          f"{url.rsplit('/', 1)[-1]}: the provinces' completions "
          f"(what officials wait for) {on_workers.span:.1f} s, {_completions(on_workers)}; {relayed} jobs relayed "
          f"to the broker after the last completion in {relay_took:.2f} s; every job done {done:.1f} s after the first "
          f"province's completion ({last_done - relay_started - relay_took:.1f} s after the relay); "
          f"{_outcome(url, deadline)}")
    print(f"in the request ÷ on workers: the provinces' completions {in_request.span / on_workers.span:.0f}×, "
          f"a province's completion p50 {in_request.p50 / on_workers.p50:.0f}×, max "
          f"{in_request.max / on_workers.max:.0f}×; until every commune report is open {in_request.span / done:.2f}× "
          f"({in_request.span:.1f} s in the request, {done:.1f} s on workers)")


def _queued(factory) -> int:
    with UnitOfWork(factory) as uow:
        return uow.session.scalar(select(func.count()).select_from(JobRow).where(JobRow.status == JobStatus.QUEUED))


class Relay:
    """What a web node's relay does (web.background.CeleryDispatcher), without its Flask app: each job's message to
    the benchmark's queue, stored by the broker (confirmed) before the jobs are marked relayed."""

    def __init__(self, broker: str, queue: str, new_uow):
        self.celery = Celery(broker=broker)
        self.celery.conf.broker_transport_options = {"confirm_publish": True}
        self.queue, self.new_uow = queue, new_uow

    def relay(self, job_ids) -> None:
        with self.celery.producer_or_acquire() as producer:
            for job_id in job_ids:
                self.celery.send_task(RUN_JOB, args=[job_id], queue=self.queue, producer=producer)
        outbox.mark_relayed(self.new_uow(), job_ids)

    def health(self) -> dict:
        return {"broker": {"ok": True}}


@dataclass
class Worker:
    """A Celery worker as production starts one, in a session of its own: a signal to its group reaches its pool's
    process too."""
    name: str
    process: subprocess.Popen
    log: Path

    @classmethod
    def start(cls, name: str, url: str, broker: str, queue: str, logs: Path) -> "Worker":
        env = {**os.environ, "DATABASE_URL": url, "BROKER_URL": broker, "JOBS_QUEUE": queue, "SECRET_KEY": "bench",
               "PYTHONPATH": str(ROOT)}
        log = logs / f"{name}.log"
        with log.open("wb") as output:
            process = subprocess.Popen(
                [str(Path(sys.executable).parent / "celery"), "-A", "web.workers", "worker", "-n", f"{name}@%h",
                 "-c", "1", "-Q", queue, "--without-mingle", "--without-gossip", "--loglevel", "INFO"],
                cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
        return cls(name, process, log)

    def stop(self) -> None:
        """A warm shutdown (SIGTERM), then SIGKILL to whatever of the group is left."""
        for sig, seconds in ((signal.SIGTERM, 30), (signal.SIGKILL, 10)):
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:  # the whole group has exited
                return
            try:
                self.process.wait(seconds)
            except subprocess.TimeoutExpired:
                continue

    def tail(self, lines: int = 30) -> str:
        return f"--- {self.name} ({self.log})\n" + "\n".join(
            self.log.read_text(errors="replace").splitlines()[-lines:])


def _wait_for(condition, seconds: float, what: str, workers: list[Worker]) -> None:
    """Poll `condition`; fail naming `what`, with the workers' logs, on a timeout or a worker that exited."""
    deadline = time.monotonic() + seconds
    while not condition():
        exited = [worker for worker in workers if worker.process.poll() is not None]
        if exited or time.monotonic() > deadline:
            raise RuntimeError(f"{what}: {'a worker exited' if exited else f'not within {seconds:.0f} s'}\n"
                               + "\n".join(worker.tail() for worker in workers))
        time.sleep(0.1)


def _consumers(broker: str, queue: str) -> int:
    with Connection(broker, connect_timeout=2) as connection:
        try:
            return connection.default_channel.queue_declare(queue, passive=True).consumer_count
        except connection.channel_errors:  # not declared yet: no worker is consuming
            return 0


def _delete_queue(broker: str, queue: str) -> None:
    """The queue and its exchange, which the workers declared (and would declare again if still running)."""
    with Connection(broker, connect_timeout=2) as connection:
        channel = connection.default_channel
        channel.queue_delete(queue)
        channel.exchange_delete(queue)


def _analyse(url: str) -> float:
    if not url.startswith("postgresql"):
        return 0.0
    started = time.perf_counter()
    with make_engine(url).connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
    return time.perf_counter() - started


def set_commune_deadlines(args) -> list[tuple[str, float, float]]:
    """Some provinces each set their communes' deadline: each asks for its fan-out job, run right after its commit in
    its request (`inline`) or left in the outbox. Each province's (code, start, end), on the wall clock: the workers'
    `finished_at` and the other processes' spans are compared with it."""
    url, moment, provinces, deadline, inline = args
    factory = make_session_factory(make_engine(url))
    clock = MovableClock(moment)
    new_uow = inline_units_of_work(factory, clock) if inline else lambda: UnitOfWork(factory, clock)
    spans = []
    for code in provinces:
        province = Official(f"tinh-{code}", Role.PROVINCE, code)
        (task,) = tasks.inbox(province, new_uow()).tasks
        started = time.time()
        tasks.complete_task(task.id, province, {"commune_deadline": deadline.isoformat(),
                                                "reminder_days": REMINDER_DAYS}, new_uow())
        spans.append((code, started, time.time()))
    return spans


def submit_and_accept(args) -> int:
    """Every commune of some provinces submits its figures and the province accepts them."""
    url, moment, provinces = args
    factory = make_session_factory(make_engine(url))
    new_uow = lambda: UnitOfWork(factory, MovableClock(moment))  # noqa: E731
    values = {f"{part}_{model}": count for model in figures.MODELS
              for part, count in (("registered", 80), ("recognised", 0), ("total", 100))}
    done = 0
    for code in provinces:
        province = Official(f"tinh-{code}", Role.PROVINCE, code)
        with new_uow() as uow:
            communes = [c.code for c in uow.units.communes_of(code)]
        for commune_code in communes:
            commune = Official(f"xa-{commune_code}", Role.COMMUNE, commune_code)
            (task,) = [t for t in tasks.inbox(commune, new_uow()).tasks if t.step == "submit_commune_report"]
            review = tasks.complete_task(task.id, commune, values, new_uow()).next_tasks[0]
            tasks.complete_task(review.id, province, {"decision": "approve"}, new_uow())
            done += 1
        for task in tasks.inbox(province, new_uow(), size=1000).tasks:
            if task.step == "submit_province_report":
                tasks.complete_task(task.id, province, {"summary": "Báo cáo của tỉnh."}, new_uow(),
                                    {"report_file": [Upload("bao-cao-tinh.pdf", REPORT_PDF)]})
            else:
                tasks.complete_task(task.id, province, {"note": "Đã gọi điện đôn đốc."}, new_uow())
    return done


def sweep(args) -> tuple[int, int, int]:
    """One sweeper process, its own connections, the benchmark's moment."""
    url, moment = args
    factory = make_session_factory(make_engine(url))
    done = timers.run_due_timers(lambda: UnitOfWork(factory, MovableClock(moment)), limit=10_000)
    return done.fired, done.opened, len(done.failed)


if __name__ == "__main__":
    main()
