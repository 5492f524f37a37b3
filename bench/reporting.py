"""Benchmark: a national reporting period. The ministry opens it (34 province reports), every province fans out to
its communes (3,321 commune reports with deadlines and reminders), then the clock passes every commune's reminder and
one sweep fires them (3,321 due at once), then every commune's deadline and one sweep escalates them (3,321 at
once); every commune then submits and is accepted, every province closes its chase tasks and sends its report,
the ministry compiles the national report (no task is left open), and the ministry's and a province's views are
timed. Targets: fan-out ≤ 30 s, sweep ≤ 30 s, view p95 ≤ 200 ms.

    python bench/reporting.py                                   # PostgreSQL, a fresh database lm_report_bench
    python bench/reporting.py --database-url sqlite:////tmp/report.sqlite
"""
import argparse
import multiprocessing
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select, text  # noqa: E402

from bench.throughput import PG_SERVER, prepare  # noqa: E402
from engine.clock import MovableClock  # noqa: E402
from engine.dossiers import tasks, timers  # noqa: E402
from engine.dossiers.attachments import Upload  # noqa: E402
from engine.model import MINISTRY_CODE, Official, Role, TaskStatus  # noqa: E402
from engine.reporting import figures, periods  # noqa: E402
from engine.storage.database import make_engine, make_session_factory  # noqa: E402
from engine.storage.tables import HumanTaskRow  # noqa: E402
from engine.storage.unit_of_work import UnitOfWork  # noqa: E402

REPORT_PDF = b"%PDF-1.4\n" + b"0" * 2048 + b"\n%%EOF\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=f"{PG_SERVER}/lm_report_bench")
    parser.add_argument("--sweepers", type=int, default=2, help="sweeper processes running at once")
    parser.add_argument("--workers", type=int, default=2,
                        help="processes acting for the provinces (and their communes) at once")
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
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        pool.map(set_commune_deadlines, [(url, clock.now(), provinces[i::workers]) for i in range(workers)])
    fan_out = time.perf_counter() - started
    with new_uow() as uow:
        communes = sum(len(uow.units.communes_of(code)) for code in provinces)
    print(f"database: {url.split('@')[-1]}")
    print(f"open the period ({opened.dossiers} province reports): {period_opened:.1f} s")
    print(f"fan-out to {communes} commune reports (period opened + every province sets its deadline): "
          f"{fan_out:.1f} s, {workers} province processes at once (target ≤ 30 s)")

    # Days pass between the fan-out and the first reminder: autovacuum has analysed the new rows by then (here it
    # would still be running, on the sweepers' cores, with the planner working from the empty tables' statistics).
    analysed = _analyse(url)
    print(f"ANALYZE after the fan-out, as autovacuum would have in the days before the reminders: {analysed:.1f} s")
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


def _analyse(url: str) -> float:
    if not url.startswith("postgresql"):
        return 0.0
    started = time.perf_counter()
    with make_engine(url).connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
    return time.perf_counter() - started


def set_commune_deadlines(args) -> None:
    """Some provinces each set their communes' deadline: each fans out to its communes."""
    url, moment, provinces = args
    factory = make_session_factory(make_engine(url))
    new_uow = lambda: UnitOfWork(factory, MovableClock(moment))  # noqa: E731
    for code in provinces:
        province = Official(f"tinh-{code}", Role.PROVINCE, code)
        (task,) = tasks.inbox(province, new_uow()).tasks
        tasks.complete_task(task.id, province, {"commune_deadline": "2026-12-05", "reminder_days": 3}, new_uow())


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
