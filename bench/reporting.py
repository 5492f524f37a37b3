"""Benchmark: a national reporting period. The ministry opens it (34 province reports), every province fans out to
its communes (3,321 commune reports with deadlines and reminders), then the clock passes the communes' deadline and
one sweep fires every due timer (3,321 escalations at once). Targets: fan-out ≤ 30 s, sweep ≤ 30 s.

    python bench/reporting.py                                   # PostgreSQL, a fresh database lm_report_bench
    python bench/reporting.py --database-url sqlite:////tmp/report.sqlite
"""
import argparse
import multiprocessing
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.throughput import PG_SERVER, prepare  # noqa: E402
from engine import reports, tasks, timers  # noqa: E402
from engine.clock import MovableClock  # noqa: E402
from engine.db import make_engine, make_session_factory  # noqa: E402
from engine.model import MINISTRY_CODE, Official, Role  # noqa: E402
from engine.unit_of_work import UnitOfWork  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=f"{PG_SERVER}/lm_report_bench")
    parser.add_argument("--sweepers", type=int, default=2, help="sweeper processes running at once")
    args = parser.parse_args()
    url, sweepers = args.database_url, args.sweepers
    prepare(url, branches=1)
    factory = make_session_factory(make_engine(url))
    clock = MovableClock(datetime(2026, 11, 20, 1, 0, tzinfo=UTC))
    new_uow = lambda: UnitOfWork(factory, clock)  # noqa: E731
    ministry = Official("bo", Role.MINISTRY, MINISTRY_CODE)

    started = time.perf_counter()
    opened = reports.open_reporting_period("annual_models", 2026, ministry, new_uow())
    period_opened = time.perf_counter() - started
    with new_uow() as uow:
        provinces = [p.code for p in uow.units.provinces()]
    for code in provinces:
        province = Official(f"tinh-{code}", Role.PROVINCE, code)
        (task,) = tasks.inbox(province, new_uow()).tasks
        tasks.complete_task(task.id, province, {"commune_deadline": "2026-12-05", "reminder_days": 3}, new_uow())
    fan_out = time.perf_counter() - started
    with new_uow() as uow:
        communes = sum(len(uow.units.communes_of(code)) for code in provinces)
    print(f"database: {url.split('@')[-1]}")
    print(f"open the period ({opened.dossiers} province reports): {period_opened:.1f} s")
    print(f"fan-out to {communes} commune reports (period opened + every province sets its deadline): "
          f"{fan_out:.1f} s (target ≤ 30 s)")

    clock.advance(days=16)  # 06/12: past 05/12 17:00, the reminder and the deadline of every commune are due at once
    started = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(sweepers) as pool:
        sweeps = pool.map(sweep, [(url, clock.now())] * sweepers)
    elapsed = time.perf_counter() - started
    print(f"{sweepers} sweeper(s) at once with every commune's timers due: {sum(s[0] for s in sweeps)} dossiers "
          f"fired, {sum(s[1] for s in sweeps)} escalation tasks opened, {sum(s[2] for s in sweeps)} failed, "
          f"{elapsed:.1f} s (target ≤ 30 s)")


def sweep(args) -> tuple[int, int, int]:
    """One sweeper process, its own connections, the benchmark's moment."""
    url, moment = args
    factory = make_session_factory(make_engine(url))
    done = timers.run_due_timers(lambda: UnitOfWork(factory, MovableClock(moment)), limit=10_000)
    return done.fired, done.opened, len(done.failed)


if __name__ == "__main__":
    main()
