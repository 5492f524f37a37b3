"""Benchmark: the registry of a province as an .xlsx file, with N titles recognised in one year. Two ways, each in a
process of its own so that its peak memory is its own: the direct download ("Tải Excel": every title read, then the
workbook built in memory, as /registry.xlsx does up to 50,000 rows), and the export job ("Chuẩn bị tệp Excel lớn": the
titles streamed from the database a batch at a time into openpyxl's write-only workbook, the file kept with the job).
Prints the wall time, the peak memory above the process's baseline, the file's size and its rows, read back.

    python bench/exports.py                        # PostgreSQL, a fresh database lm_export_bench, 100,000 titles
    python bench/exports.py --titles 300000
"""
import argparse
import multiprocessing
import resource
import sys
import time
from datetime import UTC, date, datetime
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from openpyxl import load_workbook  # noqa: E402

from bench.throughput import PG_SERVER, prepare  # noqa: E402
from engine import spreadsheets  # noqa: E402
from engine.dossiers import starting  # noqa: E402
from engine.jobs import running  # noqa: E402
from engine.model import Official, Role  # noqa: E402
from engine.organisation import accounts, units  # noqa: E402
from engine.recognition import batch_files, registry  # noqa: E402
from engine.recognition.registry_sheets import counts_sheet, titles_sheet  # noqa: E402
from engine.storage.database import make_engine, make_session_factory  # noqa: E402
from engine.storage.tables import RecognitionDecisionRow  # noqa: E402
from engine.storage.unit_of_work import UnitOfWork  # noqa: E402

YEAR = 2026
BATCH = 10_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=f"{PG_SERVER}/lm_export_bench")
    parser.add_argument("--titles", type=int, default=100_000)
    args = parser.parse_args()
    started = time.perf_counter()
    province = fill(args.database_url, args.titles)
    print(f"database: {args.database_url.split('@')[-1]}; {args.titles:,} titles in province {province} "
          f"recorded in {time.perf_counter() - started:.1f} s")
    with multiprocessing.get_context("spawn").Pool(1, maxtasksperchild=1) as pool:
        direct = pool.apply(measure, (args.database_url, province, "direct"))
    with multiprocessing.get_context("spawn").Pool(1, maxtasksperchild=1) as pool:
        job = pool.apply(measure, (args.database_url, province, "job"))
    for name, (seconds, peak, size, rows) in (("direct download", direct), ("export job", job)):
        print(f"{name}: {seconds:.1f} s, peak memory {peak / 1024:.0f} MB above the process's baseline, "
              f"{size / 1e6:.1f} MB file, {rows:,} rows read back")
    print(f"export job / direct download: time {job[0] / direct[0]:.2f}×, peak memory {max(job[1], 1) / max(direct[1], 1):.2f}×")


def fill(url: str, count: int) -> str:
    """A fresh database with `count` titles of one province's families, under one decision and one dossier."""
    (branch,) = prepare(url, branches=1)
    factory = make_session_factory(make_engine(url))
    official = Official("chihoi-bench", Role.BRANCH, branch)
    dossier = starting.start_dossier("candidate_list_recognition", official, {"year": YEAR, "title": "family"}, UnitOfWork(factory))
    with UnitOfWork(factory) as uow:
        unit = uow.units.get(branch)
        commune, province = unit.parent_code, unit.province_code
        decision = RecognitionDecisionRow(deciding_unit=province, number="1/QĐ-UBND", year=YEAR,
                                          decided_on=date(YEAR, 11, 18), signer_name="Lê Văn Cường",
                                          signer_office="Phó Chủ tịch", title="family",
                                          created_at=datetime.now(UTC))
        uow.decisions.add(decision)
        for first in range(0, count, BATCH):
            uow.titles.insert_all([dict(
                title="family", subject_name=f"Hộ ông Nguyễn Văn {n}", subject_key=f"{branch}:{n}", score=90.0,
                level=None, year=YEAR, branch_code=branch, commune_code=commune, province_code=province,
                deciding_unit=province, dossier_id=dossier.id, decision_id=decision.id, decision_number="1/QĐ-UBND",
                decision_date=date(YEAR, 11, 18), signer="Lê Văn Cường, Phó Chủ tịch",
                valid_until=date(YEAR + 1, 12, 31), recorded_at=datetime.now(UTC))
                for n in range(first, min(first + BATCH, count))])
        uow.commit()
    accounts.create_user(f"tinh-{province}", "mat-khau-bench-dai", Role.PROVINCE, province, UnitOfWork(factory))
    return province


def measure(url: str, province: str, how: str) -> tuple[float, int, int, int]:
    """(seconds, peak KB above the baseline, bytes, rows) of one way, in this fresh process."""
    factory = make_session_factory(make_engine(url))
    official = Official(f"tinh-{province}", Role.PROVINCE, province)
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    if how == "direct":
        view = registry.registry_view(official, UnitOfWork(factory), YEAR, province)
        names = units.unit_labels(UnitOfWork(factory))  # what the app reads once per process
        content = spreadsheets.write(titles_sheet(view.titles, names.get), counts_sheet(view.counts, names.get))
    else:
        job_id = batch_files.ask_for_registry_export(official, UnitOfWork(factory), YEAR, province)
        outcome = running.run_job(job_id, lambda: UnitOfWork(factory), "bench")
        assert outcome == running.DONE, outcome
        with UnitOfWork(factory) as uow:
            content = uow.jobs.file_of(job_id).content
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - baseline
    rows = sum(1 for _ in load_workbook(BytesIO(content), read_only=True)["Sổ danh hiệu"].iter_rows()) - 1
    return seconds, peak, len(content), rows


if __name__ == "__main__":
    main()
