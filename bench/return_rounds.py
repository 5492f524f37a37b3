"""Benchmark: a dossier sent back and forth between commune and branch, through the use cases and the database.

    python bench/return_rounds.py --rounds 200                        # SQLite file in /tmp
    python bench/return_rounds.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/lm_rounds

Prints the time of a round (commune returns, branch resends) and the stored state's size, early and late:
a task tree that grew with each round would make the late rounds slower and the state larger.
"""
import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from throughput import prepare  # noqa: E402

from engine.dossiers import starting, tasks  # noqa: E402
from engine.model import Official, Role  # noqa: E402
from engine.storage.database import make_engine, make_session_factory  # noqa: E402
from engine.storage.tables import DossierRow  # noqa: E402
from engine.storage.unit_of_work import UnitOfWork  # noqa: E402

CANDIDATES = [{"name": f"Hộ gia đình số {k}", "score": 70 + k} for k in range(10)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--database-url", default="sqlite:////tmp/lm_rounds.sqlite")
    args = parser.parse_args()
    (branch_code,) = prepare(args.database_url, 1)
    factory = make_session_factory(make_engine(args.database_url))

    def new_uow():
        return UnitOfWork(factory)

    with new_uow() as uow:
        commune_code = uow.units.get(branch_code).parent_code
    branch, commune = Official("b", Role.BRANCH, branch_code), Official("c", Role.COMMUNE, commune_code)
    dossier = starting.start_dossier("candidate_list_recognition", branch, {"year": 2026, "title": "family"}, new_uow())
    task = tasks.complete_task(dossier.open_tasks[0].id, branch, {"candidates": CANDIDATES}, new_uow()).next_tasks[0]
    timings, sizes = [], []
    for _ in range(args.rounds):
        started = time.perf_counter()
        back = tasks.complete_task(task.id, commune, {"decision": "return", "comment": "Bổ sung"}, new_uow())
        task = tasks.complete_task(back.next_tasks[0].id, branch, {"candidates": CANDIDATES}, new_uow()).next_tasks[0]
        timings.append((time.perf_counter() - started) * 1000)
        with new_uow() as uow:
            sizes.append(len(uow.session.get(DossierRow, dossier.id).state))
    tenth = max(1, args.rounds // 10)
    early, late = statistics.median(timings[:tenth]), statistics.median(timings[-tenth:])
    print(f"database: {args.database_url.split('@')[-1]}; rounds: {args.rounds}")
    print(f"round time (two use cases), median of the first {tenth}: {early:.1f} ms; of the last {tenth}: {late:.1f} ms; "
          f"ratio {late / early:.2f}")
    print(f"stored state: {sizes[0]} bytes after round 1, {sizes[-1]} bytes after round {args.rounds}")


if __name__ == "__main__":
    main()
