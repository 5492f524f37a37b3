"""Benchmark: dossiers end to end through the engine's use cases, the inbox at that size, bytes per dossier.

    python bench/throughput.py -n 100000 --workers 2            # PostgreSQL (a fresh database lm_bench)
    python bench/throughput.py -n 2000 --database-url sqlite:////tmp/bench.sqlite
    python bench/throughput.py -n 20000 --process citizen       # learning citizens, each with a 20 KB evidence file

No web layer: each step is one use case in its own transaction, as a request would run it. Then, on the database the
run filled, where a use-case completion's time goes (`--profile` dossiers walked under the profiler, as
bench/http_api.py does over HTTP).
"""
import argparse
import multiprocessing
import random
import statistics
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import request_profile  # noqa: E402
from engine.designing import deployments  # noqa: E402
from engine.dossiers import starting, tasks  # noqa: E402
from engine.dossiers.attachments import Upload  # noqa: E402
from engine.errors import Conflict  # noqa: E402
from engine.model import Official, Role  # noqa: E402
from engine.organisation import units  # noqa: E402
from engine.recognition import decision_tables  # noqa: E402
from engine.storage.database import make_engine, make_session_factory, upgrade_schema  # noqa: E402
from engine.storage.tables import UnitRow  # noqa: E402
from engine.storage.unit_of_work import UnitOfWork  # noqa: E402

BPMN = Path(__file__).resolve().parent.parent / "bpmn"
PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
PROCESS = "candidate_list_recognition"
CITIZEN = "learning_citizen_recognition"
# Incompressible, as scans and photos are.
EVIDENCE = b"%PDF-1.4\n" + random.Random(1).randbytes(20_000)
APPROVAL = {"decision": "approve", "decision_number": "125/QĐ-UBND", "decision_date": "2026-11-18",
            "signer": "Lê Văn Cường", "signer_office": "Phó Chủ tịch UBND tỉnh"}
# Where each dossier stops, so the inbox is measured with open tasks at every level: 70 % finish.
STOPS = [("finish", 0.60), ("finish_after_return", 0.10), ("at_commune", 0.12), ("at_province", 0.12),
         ("at_branch", 0.06)]


def prepare(url: str, branches: int) -> list[str]:
    if url.startswith("postgresql"):
        admin = create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
        name = url.rsplit("/", 1)[1]
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    elif Path(url.removeprefix("sqlite:///")).exists():
        Path(url.removeprefix("sqlite:///")).unlink()
    engine = make_engine(url)
    upgrade_schema(engine)
    factory = make_session_factory(engine)
    units.load_administrative_units(UnitOfWork(factory))
    bench = Official("bench", Role.ADMIN, "VN")
    decision_tables.load_decision_directory(BPMN, bench, lambda: UnitOfWork(factory))
    deployments.deploy_directory(BPMN, bench, UnitOfWork(factory))
    with UnitOfWork(factory) as uow:
        communes = list(uow.session.scalars(select(UnitRow.code).where(UnitRow.level == "commune")
                                            .order_by(UnitRow.code)))
    step = max(1, len(communes) // branches)
    codes = [units.add_branch(commune, "Chi hội bench", UnitOfWork(factory)) for commune in communes[::step][:branches]]
    engine.dispose()
    return codes


def officials_for(branch: str, factory) -> tuple[Official, Official, Official]:
    with UnitOfWork(factory) as uow:
        unit = uow.units.get(branch)
        commune, province = unit.parent_code, unit.province_code
    return (Official("b", Role.BRANCH, branch), Official("c", Role.COMMUNE, commune),
            Official("p", Role.PROVINCE, province))


def complete(task_id, official, values, new_uow, uploads=None):
    """As a client does: a 409 (another approval took the same new decision number a moment before) is retried."""
    for attempt in range(3):
        try:
            return tasks.complete_task(task_id, official, values, new_uow(), uploads)
        except Conflict:
            if attempt == 2:
                raise


def run_dossier(new_uow, people, stop: str, candidates: list[dict]) -> int:
    """Drive one dossier to its stop; return how many tasks were completed."""
    branch, commune, province = people
    dossier = starting.start_dossier(PROCESS, branch, {"year": 2026, "title": "family"}, new_uow())
    if stop == "at_branch":
        return 0
    done = complete(dossier.open_tasks[0].id, branch, {"candidates": candidates}, new_uow)
    count = 1
    if stop == "finish_after_return":
        done = complete(done.next_tasks[0].id, commune, {"decision": "return", "comment": "Bổ sung"},
                         new_uow)
        done = complete(done.next_tasks[0].id, branch, {"candidates": candidates}, new_uow)
        count += 2
    if stop == "at_commune":
        return count
    done = complete(done.next_tasks[0].id, commune, {"decision": "approve"}, new_uow)
    if stop == "at_province":
        return count + 1
    complete(done.next_tasks[0].id, province, APPROVAL, new_uow)
    return count + 2


def run_citizen(new_uow, people, stop: str, index: int) -> int:
    """One citizen: the branch registers with evidence and verifies, the commune decides (national default);
    a commune recognises its citizens under one decision. Stops as for lists: at branch, at commune, or finished."""
    branch, commune, _ = people
    dossier = starting.start_dossier(CITIZEN, branch, {"year": 2026}, new_uow())
    if stop == "at_branch":
        return 0
    registration = {"full_name": f"Công dân {index}", "id_number": f"{index:012d}",
                    **{f"indicator_{i}": 8 for i in range(1, 11)}}
    done = complete(dossier.open_tasks[0].id, branch, registration, new_uow,
                               {"evidence": [Upload("minh-chung.pdf", EVIDENCE)]})
    count = 1
    if stop == "finish_after_return":
        done = complete(done.next_tasks[0].id, branch, {"decision": "return", "comment": "Bổ sung"},
                         new_uow)
        kept = {**registration, "evidence": []}
        done = complete(done.next_tasks[0].id, branch, kept, new_uow,
                                   {"evidence": [Upload("minh-chung.pdf", EVIDENCE)]})
        count += 2
    if stop == "at_commune":
        return count
    done = complete(done.next_tasks[0].id, branch, {"decision": "approve"}, new_uow)
    if stop == "at_province":  # for a citizen: waiting for the commune's decision
        return count + 1
    complete(done.next_tasks[0].id, commune, {**APPROVAL, "decision_number": f"{commune.unit_code}/QĐ-CD",
                                                         "signer_office": "Chủ tịch UBND xã"}, new_uow)
    return count + 2


def worker(args) -> tuple[int, int, int]:
    url, branches, indexes, candidates_per_dossier, seed, process = args
    engine = make_engine(url)
    factory = make_session_factory(engine)
    people = {branch: officials_for(branch, factory) for branch in branches}
    rng = random.Random(seed)
    stops, weights = zip(*STOPS)
    completed = finished = 0
    for index in indexes:
        stop = rng.choices(stops, weights)[0]
        new_uow, people_of = (lambda: UnitOfWork(factory)), people[branches[index % len(branches)]]
        if process == "citizen":
            completed += run_citizen(new_uow, people_of, stop, index)
        else:
            candidates = [{"name": f"Hộ gia đình số {index}-{k}", "score": 70 + k % 30}
                          for k in range(candidates_per_dossier)]
            completed += run_dossier(new_uow, people_of, stop, candidates)
        finished += stop.startswith("finish")
    engine.dispose()
    return len(indexes), completed, finished


def measure_inbox(url: str, branches: list[str], samples: int) -> tuple[list[float], int]:
    engine = make_engine(url)
    factory = make_session_factory(engine)
    officials = [person for branch in branches[:400] for person in officials_for(branch, factory)]
    rng = random.Random(7)
    timings, sizes = [], []
    for _ in range(samples):
        official = rng.choice(officials)
        started = time.perf_counter()
        sizes.append(tasks.inbox(official, UnitOfWork(factory)).total)
        timings.append((time.perf_counter() - started) * 1000)
    engine.dispose()
    return timings, max(sizes)


def bytes_per_finished(url: str) -> dict:
    if not url.startswith("postgresql"):
        return {}
    engine = create_engine(url)
    finished = "select id from dossiers where status <> 'in_progress'"
    parts = {
        "dossier row": f"select sum(pg_column_size(d.*)) from dossiers d where id in ({finished})",
        "task rows": f"select sum(pg_column_size(t.*)) from human_tasks t where dossier_id in ({finished})",
        "audit rows": f"select sum(pg_column_size(a.*)) from audit_log a where dossier_id in ({finished})",
        "registry rows": f"select sum(pg_column_size(r.*)) from titles r where dossier_id in ({finished})",
        "attachment rows": f"select coalesce(sum(pg_column_size(f.*)), 0) from attachments f "
                           f"where dossier_id in ({finished})",
    }
    with engine.connect() as connection:
        count = connection.execute(text(f"select count(*) from ({finished}) f")).scalar()
        result = {name: connection.execute(text(sql)).scalar() / count for name, sql in parts.items()}
        result["relations on disk (tables + indexes), per dossier of any status"] = connection.execute(text(
            "select (pg_total_relation_size('dossiers') + pg_total_relation_size('human_tasks') + "
            "pg_total_relation_size('audit_log') + pg_total_relation_size('titles') + "
            "pg_total_relation_size('attachments'))::float / "
            "(select count(*) from dossiers)")).scalar()
    engine.dispose()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", "--dossiers", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--branches", type=int, default=1000)
    parser.add_argument("--candidates", type=int, default=10, help="households per candidate list")
    parser.add_argument("--process", choices=["list", "citizen"], default="list",
                        help="family candidate lists (default) or learning citizens with evidence")
    parser.add_argument("--inbox-samples", type=int, default=1000)
    parser.add_argument("--database-url", default=f"{PG_SERVER}/lm_bench")
    parser.add_argument("--reuse", action="store_true", help="measure the inbox and sizes of an existing database")
    parser.add_argument("--profile", type=int, default=100, metavar="DOSSIERS",
                        help="then walk this many candidate-list dossiers to the end under the profiler (0: not)")
    args = parser.parse_args()
    if args.reuse:
        report_sizes(args, existing_branches(args.database_url))
        return

    url = args.database_url
    print(f"database: {url.split('@')[-1]}; process: {args.process}; dossiers: {args.dossiers}; "
          f"workers: {args.workers}; households per list: {args.candidates}")
    branches = prepare(url, args.branches)
    chunks = [list(range(args.dossiers))[w::args.workers] for w in range(args.workers)]
    started = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(args.workers) as pool:
        results = pool.map(worker, [(url, branches, chunk, args.candidates, w, args.process)
                                    for w, chunk in enumerate(chunks)])
    elapsed = time.perf_counter() - started
    dossiers_started = sum(r[0] for r in results)
    completed = sum(r[1] for r in results)
    finished = sum(r[2] for r in results)
    print(f"elapsed: {elapsed:.1f} s for {dossiers_started} dossiers started, {completed} task completions, "
          f"{finished} dossiers finished")
    print(f"task completions per second: {completed / elapsed:.0f}")
    print(f"use cases per second (starts + completions): {(dossiers_started + completed) / elapsed:.0f}")
    print(f"dossiers completed end to end per second: {finished / elapsed:.1f}")

    report_sizes(args, branches)
    if args.profile:
        profile_use_cases(url, branches, args.profile, args.candidates)


def profile_use_cases(url: str, branches: list[str], dossiers: int, candidates: int) -> None:
    """Where a use-case completion's time goes: dossiers walked start to approval in this process, one transaction
    per use case, under the profiler (starts included, counted per completion as over HTTP)."""
    engine = make_engine(url)
    factory = make_session_factory(engine)
    people = officials_for(branches[0], factory)
    households = [{"name": f"Hộ hồ sơ đo {k}", "score": 70 + k % 30} for k in range(candidates)]

    def walk(count: int, first: int) -> int:
        return sum(run_dossier(lambda: UnitOfWork(factory), people, "finish",
                               [{**h, "name": f"{h['name']} - {first + i}"} for h in households])
                   for i in range(count))

    walk(3, 0)  # warm: specs, forms and tables built once per process
    seconds, counts, completions = request_profile.profile(lambda: walk(dossiers, 3), engine)
    request_profile.print_profile("where a use case's time goes (start, propose, verify, approve; counted per "
                                  "completion)", seconds, counts, completions)
    engine.dispose()


def existing_branches(url: str) -> list[str]:
    engine = create_engine(url)
    with engine.connect() as connection:
        codes = list(connection.execute(select(UnitRow.code).where(UnitRow.level == "branch").order_by(UnitRow.code))
                     .scalars())
    engine.dispose()
    return codes


def report_sizes(args, branches: list[str]) -> None:
    url = args.database_url
    timings, largest = measure_inbox(url, branches, args.inbox_samples)
    quantiles = statistics.quantiles(timings, n=100)
    engine = create_engine(url)
    with engine.connect() as connection:
        stored = connection.execute(text("select count(*) from dossiers")).scalar()
    engine.dispose()
    print(f"inbox query at {stored} dossiers: p50 {quantiles[49]:.2f} ms, p95 {quantiles[94]:.2f} ms "
          f"(first page of {tasks.INBOX_PAGE} and the total count; largest inbox seen: {largest} open tasks)")
    sizes = bytes_per_finished(url)
    if sizes:
        rows = sum(v for k, v in sizes.items() if k.endswith("rows") or k == "dossier row")
        print(f"bytes stored per finished dossier ({args.candidates} households): {rows:.0f} "
              + ", ".join(f"{k} {v:.0f}" for k, v in sizes.items()))


if __name__ == "__main__":
    main()
