"""Benchmark: the inbox query at volume. A province's inbox (Hà Nội, "01") with `--tasks` open tasks (100,000 by
default: dossiers of 200 branches of its communes, each waiting for the province's approval) among about five times
as many other tasks (completed, and open at other provinces, communes and branches), timed through the use case
`tasks.inbox` for every kind of filter (none, text common / rare / absent, a dossier number, title, year, step,
unit, overdue, returned to me, a combination) and for a second page. Target: p95 ≤ 10 ms with any filter.

The database is filled fast, with bulk inserts and no use case: the inbox reads no workflow state, so each dossier
holds an empty state; its name and search text are what the step runner would store (engine.search), over 5-30
households with Vietnamese names at their real frequencies. Then VACUUM ANALYZE.

Each case: 20 warm-up runs, then 200 samples (fewer when a column would take over `--budget` seconds: at least 3
warm-up runs and 30 samples; the number is printed) of
- the use case (a unit of work per call, as a request runs it: its session, the query, the rows built);
- the repository query alone (`TaskRepository.inbox_for` in one open session);
- the rows query alone, as the repository sent it (psycopg prepares it after 5 runs, as in the app), and the
  count alone, capped (a count of a LIMIT 1001 subquery: the inbox shows "1 000+" past 1,000).
Printed in ms (p50 / p95 / max) with the total the inbox shows, and how many generic plans PostgreSQL used for the
prepared rows query; then EXPLAIN (ANALYZE, BUFFERS) of the slowest cases, both the custom plan (the values bound)
and the generic plan (PREPARE under plan_cache_mode = force_generic_plan, as a prepared statement may settle on).
Another process on the machine shows as spread: run it twice.

    python bench/inbox.py                                  # fresh PostgreSQL database lm_inbox_bench, then timings
    python bench/inbox.py --reuse                          # time the database filled by a previous run again
    python bench/inbox.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/other --tasks 100000
"""
import argparse
import random
import re
import statistics
import sys
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import Enum
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psycopg  # noqa: E402
from sqlalchemy import create_engine, event, insert, select, text  # noqa: E402
from sqlalchemy.pool import NullPool  # noqa: E402

from bench.throughput import PG_SERVER, PROCESS, prepare  # noqa: E402
from engine import search  # noqa: E402
from engine.dossiers import tasks  # noqa: E402
from engine.model import DossierStatus, InboxFilter, Official, Role, TaskStatus  # noqa: E402
from engine.organisation import units  # noqa: E402
from engine.storage.database import make_engine, make_session_factory  # noqa: E402
from engine.storage.tables import DossierRow, HumanTaskRow, ProcessVersionRow, UnitRow  # noqa: E402
from engine.storage.unit_of_work import UnitOfWork  # noqa: E402
from engine.workflow.serializing import STATE_VERSION  # noqa: E402

PROVINCE = "01"
TARGET_MS = 10.0
WARM_UP, SAMPLES = 20, 200
BATCH = 5000

# Family names and their share of the population (%), roughly; the rest share what is left.
FAMILY = {"Nguyễn": 38.4, "Trần": 11.0, "Lê": 9.5, "Phạm": 7.1, "Hoàng": 3.1, "Huỳnh": 2.0, "Phan": 4.5,
          "Vũ": 2.0, "Võ": 1.9, "Đặng": 2.1, "Bùi": 2.0, "Đỗ": 1.4, "Hồ": 1.3, "Ngô": 1.3, "Dương": 1.0, "Lý": 0.5,
          "Đinh": 1.0, "Trịnh": 0.9, "Mai": 0.7, "Cao": 0.6, "Lương": 0.6, "Đào": 0.6, "Hà": 0.5, "Tạ": 0.4,
          "Chu": 0.4, "Lưu": 0.4, "Kiều": 0.3, "Tô": 0.3, "Khuất": 0.2, "La": 0.2}
MIDDLE_MALE = {"Văn": 40, "Đức": 10, "Minh": 9, "Hữu": 7, "Quang": 7, "Thanh": 5, "Công": 5, "Xuân": 5, "Ngọc": 3,
               "Mạnh": 3, "Tiến": 3, "Đình": 3}
MIDDLE_FEMALE = {"Thị": 50, "Ngọc": 9, "Thanh": 7, "Thu": 7, "Minh": 5, "Hồng": 6, "Phương": 4, "Kim": 5, "Thúy": 4,
                 "Bích": 3}
GIVEN_MALE = ["An", "Bình", "Cường", "Dũng", "Hùng", "Long", "Nam", "Quân", "Tuấn", "Hải", "Hiếu", "Hoàng", "Huy",
              "Khánh", "Kiên", "Lâm", "Phong", "Sơn", "Thắng", "Toàn", "Trung", "Việt", "Đạt", "Tâm", "Thành",
              "Hưng", "Tú", "Vinh", "Quyết", "Thịnh"]
GIVEN_FEMALE = ["Hà", "Hạnh", "Lan", "Mai", "Phương", "Thảo", "Trang", "Yến", "Anh", "Hoa", "Hằng", "Hương",
                "Linh", "Loan", "Nga", "Ngân", "Nhung", "Oanh", "Thủy", "Vân", "Liên", "Dung", "Huyền", "Tâm", "Giang",
                "Ly", "Quỳnh", "Tuyết"]
VILLAGES = ["Đông", "Đoài", "Thượng", "Hạ", "Trung", "Nam", "Bắc", "Tiền", "Hậu", "Cầu", "Chùa", "Đình", "Bãi",
            "Vĩnh Thịnh", "Phú Mỹ", "An Lạc", "Hòa Bình", "Tân Lập", "Đồng Tâm", "Quyết Tiến"]
TITLES = {"family": 0.7, "clan": 0.2, "community_village": 0.1}
TITLE_NAMES = {"family": "Gia đình học tập", "clan": "Dòng họ học tập",
               "community_village": "Cộng đồng học tập cấp thôn"}
YEARS = {2026: 0.7, 2025: 0.3}
RETURNED_SHARE = 0.03  # open tasks that are a return round, and completed ones that were
STEPS = {  # bpmn id: (name, lane, role)
    "prepare_candidate_list": ("Lập danh sách đề nghị", "Chi hội", Role.BRANCH),
    "verify": ("Thẩm định hồ sơ", "Xã", Role.COMMUNE),
    "approve": ("Phê duyệt, ra quyết định công nhận", "Tỉnh", Role.PROVINCE),
}
ORDER = list(STEPS)


@dataclass
class Spec:
    """One dossier to insert: where it is, when it started, which of its steps are done (the next one, if any, is
    open) and when each began."""

    province: str
    commune: str
    branch: str
    created_at: datetime
    done: int  # steps completed; 3: finished
    starts: list[datetime] = field(default_factory=list)  # when each step's task opened (and the previous closed)
    due: bool = False  # the open task has a deadline
    returned: bool = False  # the open task is a return round (the province returned the dossier before)
    inbox: bool = False  # one of the measured inbox's tasks


class Names:
    def __init__(self, rng: random.Random):
        self.rng = rng
        rest = max(0.0, 100 - sum(FAMILY.values()))
        self.families, self.family_weights = list(FAMILY), [w + rest / len(FAMILY) for w in FAMILY.values()]

    def person(self) -> str:
        rng = self.rng
        family = rng.choices(self.families, self.family_weights)[0]
        if rng.random() < 0.7:
            middle = rng.choices(list(MIDDLE_MALE), list(MIDDLE_MALE.values()))[0]
            given = rng.choice(GIVEN_MALE)
        else:
            middle = rng.choices(list(MIDDLE_FEMALE), list(MIDDLE_FEMALE.values()))[0]
            given = rng.choice(GIVEN_FEMALE)
        return f"{family} {middle} {given}"

    def candidate(self, title: str) -> str:
        if title == "family":
            return self.person()
        if title == "clan":
            return f"Dòng họ {self.person().rsplit(' ', 1)[0]}"
        if self.rng.random() < 0.6:
            return f"Thôn {self.rng.choice(VILLAGES)}"
        return f"Tổ dân phố số {self.rng.randint(1, 40)}"


def fill(url: str, open_tasks: int, seed: int) -> None:
    """A fresh database: the schema, units and diagrams (bench.throughput.prepare), 200 branches in the province,
    then the dossiers and tasks in bulk."""
    started = time.perf_counter()
    others = prepare(url, branches=300)
    factory = make_session_factory(make_engine(url))
    with UnitOfWork(factory) as uow:
        communes = list(uow.session.scalars(select(UnitRow.code).where(
            UnitRow.level == "commune", UnitRow.province_code == PROVINCE).order_by(UnitRow.code)))
        version = uow.session.scalar(select(ProcessVersionRow.id).where(ProcessVersionRow.process_id == PROCESS)
                                     .order_by(ProcessVersionRow.version.desc()))
    rng = random.Random(seed)
    mine = [units.add_branch(communes[i % len(communes)], f"Chi hội khuyến học thôn {rng.choice(VILLAGES)} {i}",
                             UnitOfWork(factory)) for i in range(200)]
    with UnitOfWork(factory) as uow:
        place = {row.code: (row.parent_code, row.province_code)
                 for row in uow.session.scalars(select(UnitRow).where(UnitRow.level == "branch"))}
        branch_names = {row.code: row.name for row in uow.session.scalars(
            select(UnitRow).where(UnitRow.level == "branch"))}
    others = [code for code in others if place[code][1] != PROVINCE]
    print(f"schema, units, diagrams and {len(mine)} branches in province {PROVINCE}: "
          f"{time.perf_counter() - started:.1f} s")

    now = datetime.now(UTC)
    specs = _specs(rng, now, open_tasks, mine, others, place)
    specs.sort(key=lambda s: s.created_at)
    names = Names(rng)
    engine = create_engine(url)
    started = time.perf_counter()
    task_rows = []
    with engine.begin() as connection:
        batch = []
        for number, spec in enumerate(specs, 1):
            title = rng.choices(list(TITLES), list(TITLES.values()))[0]
            year = rng.choices(list(YEARS), list(YEARS.values()))[0]
            candidates = [{"name": names.candidate(title), "score": rng.randint(70, 100)}
                          for _ in range(rng.randint(5, 30))]
            name = f"Danh sách {TITLE_NAMES[title]} năm {year} - {branch_names[spec.branch]}"
            data = {"year": year, "title": title, "name": name, "candidates": candidates}
            finished = spec.done == len(ORDER)
            status = DossierStatus.IN_PROGRESS if not finished else (
                DossierStatus.RECOGNISED if rng.random() < 0.9 else DossierStatus.REJECTED)
            batch.append({"id": number, "process_version_id": version, "title": title, "status": status,
                          "year": year, "branch_code": spec.branch, "commune_code": spec.commune,
                          "province_code": spec.province, "data": data, "decision_tables": {}, "state": b"",
                          "state_version": STATE_VERSION, "trail": [], "name": name[:200],
                          "search_text": search.search_text(data), "revision": 1, "created_by": "bench",
                          "created_at": spec.created_at, "updated_at": spec.starts[-1]})
            task_rows.extend(_task_rows(rng, number, spec, place, _copied(batch[-1])))
            if len(batch) == BATCH:
                connection.execute(insert(DossierRow), batch)
                batch = []
        if batch:
            connection.execute(insert(DossierRow), batch)
        connection.execute(text("SELECT setval(pg_get_serial_sequence('dossiers', 'id'), max(id)) FROM dossiers"))
    print(f"{len(specs)} dossiers inserted: {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    task_rows.sort(key=lambda row: row["created_at"])  # in the order they opened, as the app writes them
    with engine.begin() as connection:
        for i in range(0, len(task_rows), BATCH):
            connection.execute(insert(HumanTaskRow), task_rows[i:i + BATCH])
    print(f"{len(task_rows)} tasks inserted: {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))
    print(f"VACUUM ANALYZE: {time.perf_counter() - started:.1f} s")
    engine.dispose()


def _specs(rng: random.Random, now: datetime, open_tasks: int, mine: list[str], others: list[str],
           place: dict) -> list[Spec]:
    """The inbox's dossiers (waiting for the province, their task opened in the last 60 days), and the background:
    as many again in other provinces (60 % finished, the rest open at the province, commune or branch), 40 % of
    that finished in this province (their approvals completed by the same province), 20 % open at its communes and
    branches."""
    day = timedelta(days=1)

    def spec(branch: str, opened: datetime, done: int, inbox: bool = False) -> Spec:
        commune, province = place[branch]
        starts = [opened]
        for _ in range(done):
            starts.insert(0, starts[0] - rng.uniform(0.5, 10) * day)
        created = starts[0]
        return Spec(province, commune, branch, created, done, starts, due=rng.random() < 1 / 3, inbox=inbox,
                    returned=rng.random() < RETURNED_SHARE)

    specs = [spec(rng.choice(mine), now - rng.uniform(0, 60) * day, 2, inbox=True) for _ in range(open_tasks)]
    for _ in range(open_tasks):
        done = rng.choices([3, 2, 1, 0], [0.6, 0.15, 0.15, 0.1])[0]
        specs.append(spec(rng.choice(others), now - rng.uniform(0, 120) * day, done))
    for _ in range(int(open_tasks * 0.4)):
        specs.append(spec(rng.choice(mine), now - rng.uniform(0, 120) * day, 3))
    for _ in range(int(open_tasks * 0.2)):
        specs.append(spec(rng.choice(mine), now - rng.uniform(0, 60) * day, rng.choice([0, 1])))
    return specs


def _copied(dossier: dict) -> dict:
    """What each task holds of its dossier (as the step runner's `_task_row` copies it)."""
    return {"dossier_title": dossier["title"], "dossier_year": dossier["year"], "branch_code": dossier["branch_code"],
            "commune_code": dossier["commune_code"], "dossier_name": dossier["name"],
            "search_text": dossier["search_text"]}


def _task_rows(rng: random.Random, dossier_id: int, spec: Spec, place: dict, copied: dict) -> list[dict]:
    """Its tasks: one per step reached, completed when the next opened; the last one open unless finished (a
    finished dossier's last step closed at its last start)."""
    rows = []
    reached = min(spec.done + 1, len(ORDER))
    for index in range(reached):
        bpmn_id = ORDER[index]
        name, lane, role = STEPS[bpmn_id]
        unit = {Role.BRANCH: spec.branch, Role.COMMUNE: spec.commune, Role.PROVINCE: spec.province}[role]
        opened = spec.starts[index]
        is_open = index == spec.done
        if is_open:
            completed = None
        elif index + 1 < len(spec.starts):
            completed = spec.starts[index + 1]
        else:
            completed = opened + timedelta(days=rng.uniform(0.5, 10))
        rows.append({"id": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "dossier_id": dossier_id,
                     "bpmn_id": bpmn_id, "name": name, "lane": lane, "role": role, "unit_code": unit, "form": None,
                     "status": TaskStatus.OPEN if is_open else TaskStatus.COMPLETED, "created_at": opened,
                     "due_at": opened + timedelta(days=30) if (spec.due if is_open else rng.random() < 1 / 3)
                     else None,
                     "reminded_at": None, "completed_at": completed, "completed_by": None if is_open else "bench",
                     "return_reason": "Bổ sung biên bản họp" if (spec.returned if is_open
                                                                  else rng.random() < RETURNED_SHARE) else None,
                     **copied})
    return rows


@dataclass(frozen=True)
class Case:
    label: str
    narrowed: InboxFilter
    second_page: bool = False


def cases(url: str) -> list[Case]:
    """The filters timed, their values read from the database (a rare name: one found in 3 to 5 of the inbox's
    dossiers; the branch and the commune with the most tasks in it)."""
    engine = create_engine(url)
    inbox = (f"FROM human_tasks t JOIN dossiers d ON d.id = t.dossier_id WHERE t.status = 'open' "
             f"AND t.unit_code = '{PROVINCE}' AND t.role = 'province'")
    with engine.connect() as connection:
        rare = connection.execute(text(
            "SELECT n FROM (SELECT c->>'name' AS n, count(DISTINCT d.id) AS k FROM human_tasks t "
            "JOIN dossiers d ON d.id = t.dossier_id CROSS JOIN LATERAL json_array_elements(d.data->'candidates') c "
            f"WHERE t.status = 'open' AND t.unit_code = '{PROVINCE}' AND t.role = 'province' AND d.title = 'family' "
            "GROUP BY 1) x WHERE k BETWEEN 3 AND 5 ORDER BY md5(n) LIMIT 1")).scalar()
        number = connection.execute(text(f"SELECT d.id {inbox} ORDER BY md5(d.id::text) LIMIT 1")).scalar()
        branch = connection.execute(text(f"SELECT d.branch_code {inbox} GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")
                                    ).scalar()
        commune = connection.execute(text(f"SELECT d.commune_code {inbox} GROUP BY 1 ORDER BY count(*) DESC, 1 "
                                          "LIMIT 1")).scalar()
    engine.dispose()
    return [
        Case("none", InboxFilter()),
        Case("text common 'nguyen van'", InboxFilter(text="nguyen van")),
        Case(f"text rare '{rare}'", InboxFilter(text=rare)),
        Case("text absent 'khong co ai'", InboxFilter(text="khong co ai")),
        Case("text 2 letters 'ha'", InboxFilter(text="ha")),
        Case(f"dossier number {number}", InboxFilter(text=str(number))),
        Case("title clan", InboxFilter(title="clan")),
        Case("year 2025", InboxFilter(year=2025)),
        Case("step approve (every task)", InboxFilter(step="approve")),
        Case("step verify (none here)", InboxFilter(step="verify")),
        Case(f"unit branch {branch}", InboxFilter(unit=branch)),
        Case(f"unit commune {commune}", InboxFilter(unit=commune)),
        Case("overdue", InboxFilter(overdue=True)),
        Case("returned to me", InboxFilter(returned=True)),
        Case("returned to me, nearest deadline", InboxFilter(returned=True, sort="due")),
        Case("page 2, returned to me", InboxFilter(returned=True), second_page=True),
        Case("text 'nguyen van' + 2025 + overdue", InboxFilter(text="nguyen van", year=2025, overdue=True)),
        Case("page 2, none", InboxFilter(), second_page=True),
        Case("page 2, text 'nguyen van'", InboxFilter(text="nguyen van"), second_page=True),
        Case("order: nearest deadline", InboxFilter(sort="due")),
        Case("order: dossier name", InboxFilter(sort="name")),
    ]


class Recorder:
    """The SQL the engine sends, with its parameters as the driver gets them, while `on`."""

    def __init__(self, engine):
        self.on, self.statements = False, []
        event.listen(engine, "before_cursor_execute", self._record)

    def _record(self, _connection, _cursor, statement, parameters, _context, _executemany):
        if self.on:
            self.statements.append((statement, parameters))

    def capture(self, call) -> list[tuple[str, dict]]:
        self.on, self.statements = True, []
        try:
            call()
        finally:
            self.on = False
        return self.statements


def timed(call, warm_up: int, samples: int, budget: float) -> list[float]:
    """`samples` timings in ms after `warm_up` runs; fewer (30 at least, after 3 warm-up runs at least) if they
    would take over `budget` s."""
    started, runs = time.perf_counter(), 0
    while runs < warm_up and (runs < 3 or time.perf_counter() - started < budget / 4):
        call()
        runs += 1
    each = (time.perf_counter() - started) / max(runs, 1)
    timings = []
    for _ in range(min(samples, max(30, int(budget / max(each, 1e-6))))):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def figures(timings: list[float]) -> str:
    return f"{statistics.median(timings):6.2f} {p95(timings):6.2f} {max(timings):6.1f}"


def p95(timings: list[float]) -> float:
    return statistics.quantiles(timings, n=100)[94]


PARAMETER = re.compile(r"%\((\w+)\)s")


def measure(url: str, warm_up: int, samples: int, budget: float, explain: int, only: list[str]) -> None:
    official = Official("tinh-01", Role.PROVINCE, PROVINCE)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    recorder = Recorder(engine)
    # The SQL alone: a connection of its own per case (its prepared statements' plans are then counted).
    raw = create_engine(url, poolclass=NullPool)
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT (SELECT count(*) FROM dossiers), (SELECT count(*) FROM human_tasks), "
                                         "(SELECT count(*) FROM human_tasks WHERE status = 'open')")).one()
    print(f"database {url.rsplit('/', 1)[1]}: {stored[0]} dossiers, {stored[1]} tasks ({stored[2]} open); "
          f"{warm_up} warm-up runs then {samples} samples per column (fewer if over {budget:g} s: n below); "
          "ms p50 / p95 / max")
    print(f"{'case':42} {'total':>6} | {'use case':^20} | {'repository':^20} | {'SQL':^20} | "
          f"{'count capped':^20} | rows plans")
    results = []
    for case in cases(url):
        if only and not any(word in case.label for word in only):
            continue
        first = tasks.inbox(official, UnitOfWork(factory), narrowed=case.narrowed)
        after = first.next_page if case.second_page else None
        page = tasks.inbox(official, UnitOfWork(factory), after, narrowed=case.narrowed)
        time_it = lambda call: timed(call, warm_up, samples, budget)  # noqa: E731
        use_case = time_it(lambda: tasks.inbox(official, UnitOfWork(factory), after, narrowed=case.narrowed))
        cursor = None
        if after:
            moment, _, task_id = after.partition("|")
            cursor = (datetime.fromisoformat(moment), task_id)
        with UnitOfWork(factory).reading() as uow:
            repository = lambda: uow.tasks.inbox_for(official, tasks.INBOX_PAGE + 1, cursor,  # noqa: E731
                                                     case.narrowed, uow.clock.now())
            rows_sql, params = recorder.capture(repository)[0]
            count_sql = recorder.capture(lambda: uow.tasks.count_open_for(official, case.narrowed, uow.clock.now(),
                                                                          up_to=tasks.COUNT_CAP + 1))[0]
            in_session = time_it(repository)
        with raw.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            run = lambda sql, values: connection.exec_driver_sql(sql, values).all()  # noqa: E731
            sql_alone = time_it(lambda: run(rows_sql, params))
            count_alone = time_it(lambda: run(*count_sql))
            prepared = connection.exec_driver_sql(
                "SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements").all()
        plans = next((f"{g} generic, {c} custom" for statement, g, c in prepared if "ORDER BY" in statement),
                     "not prepared")
        columns = [use_case, in_session, sql_alone, count_alone]
        fewer = [str(len(t)) for t in columns if t is not None and len(t) < samples]
        total = f"{tasks.COUNT_CAP}+" if page.capped else str(page.total)
        print(f"{case.label[:42]:42} {total:>6} | " + " | ".join(figures(t) for t in columns)
              + f" | {plans}" + (f"; n = {', '.join(fewer)}" if fewer else ""), flush=True)
        results.append((p95(use_case), p95(sql_alone), case, rows_sql, params))
    slow = sorted(results, key=lambda r: r[0], reverse=True)
    for column, label in ((0, "use case"), (1, "rows query")):
        failing = [r for r in slow if r[column] > TARGET_MS]
        print(f"p95 ≤ {TARGET_MS:g} ms ({label}): {len(results) - len(failing)} of {len(results)} cases; over: "
              + (", ".join(f"{r[2].label} ({r[column]:.1f})" for r in failing) or "none"))
    print(f"\nthe rows query as sent (case {results[0][2].label}):\n{results[0][3]}\n{results[0][4]}")
    for _, _, case, sql, params in slow[:max(explain, 0)]:
        # With every value written into the SQL (the repository does), the generic plan is the custom one.
        for generic in (False, True) if params else (False,):
            plan = _explain(raw, sql, params, generic)
            print(f"\nEXPLAIN (ANALYZE, BUFFERS), {case.label}, {'generic' if generic else 'custom'} plan:\n"
                  + "\n".join(plan))
    raw.dispose()
    engine.dispose()


def _explain(raw, sql: str, params: dict, generic: bool) -> list[str]:
    """The plan with the values bound (a custom plan), or the generic plan a prepared statement may settle on after
    five runs (as psycopg prepares it), the values given to EXECUTE."""
    with raw.connect() as connection:
        if not generic:
            return list(connection.exec_driver_sql(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params).scalars())
        names = list(dict.fromkeys(PARAMETER.findall(sql)))
        numbered = PARAMETER.sub(lambda m: f"${names.index(m.group(1)) + 1}", sql)
        cursor = psycopg.ClientCursor(connection.connection.driver_connection)
        cursor.execute("SET plan_cache_mode = force_generic_plan")
        cursor.execute(f"PREPARE bench_inbox AS {numbered}")
        values = [params[name].value if isinstance(params[name], Enum) else params[name] for name in names]
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) EXECUTE bench_inbox({', '.join(['%s'] * len(names))})", values)
        return [row[0] for row in cursor.fetchall()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=f"{PG_SERVER}/lm_inbox_bench")
    parser.add_argument("--tasks", type=int, default=100_000, help="open tasks in the province's inbox")
    parser.add_argument("--reuse", action="store_true", help="time the database a previous run filled")
    parser.add_argument("--samples", type=int, default=SAMPLES)
    parser.add_argument("--warm-up", type=int, default=WARM_UP)
    parser.add_argument("--budget", type=float, default=8.0,
                        help="seconds at most per column of a case (then fewer samples)")
    parser.add_argument("--explain", type=int, default=4, help="EXPLAIN the slowest this many cases")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", nargs="*", default=[], help="time only the cases whose label holds one of these")
    args = parser.parse_args()
    if not args.reuse:
        fill(args.database_url, args.tasks, args.seed)
    measure(args.database_url, args.warm_up, args.samples, args.budget, args.explain, args.only)


if __name__ == "__main__":
    main()
