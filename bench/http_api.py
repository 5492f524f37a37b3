"""Benchmark over HTTP, served as the README says production is: gunicorn (N workers, T threads) on PostgreSQL with
its default durability. C clients each walk learning-family dossiers through the JSON API (open, list the inbox,
complete propose → verify → approve), first as programs with tokens, then as browsers signed in (session cookie and
CSRF header); each kind is reported apart, beside SpiffWorkflow running the same diagram in memory in the same run.

    pip install gunicorn
    python bench/http_api.py --clients 8 --seconds 30
    python bench/http_api.py --clients 4 --kind token --workers 2 --threads 4
"""
import argparse
import functools
import http.client
import itertools
import json
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import request_profile  # noqa: E402
from bench.throughput import APPROVAL, PG_SERVER, PROCESS, prepare  # noqa: E402
from engine.dossiers.workflows import decisions_for, definition, facts  # noqa: E402
from engine.model import Official, Role  # noqa: E402
from engine.organisation import accounts, tokens  # noqa: E402
from engine.storage.database import make_engine, make_session_factory  # noqa: E402
from engine.storage.tables import DossierRow, ProcessVersionRow  # noqa: E402
from engine.storage.unit_of_work import UnitOfWork  # noqa: E402
from engine.workflow import running  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench-" + secrets.token_urlsafe(12)
LISTS = itertools.count()
RUN = secrets.token_hex(3)  # names new in this run, when the database is reused
KINDS = ("open", "inbox", "propose", "verify", "approve", "wrong token")


class Client:
    """One keep-alive connection, as a script or a browser holds it; every answer's latency is kept per kind."""

    def __init__(self, port: int, headers: dict, latencies: dict, unit: str):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.headers, self.latencies, self.unit = headers, latencies, unit

    def call(self, kind: str, method: str, path: str, body: dict | None = None) -> dict | list:
        started = time.perf_counter()
        answer = self.raw(method, path, json.dumps(body) if body is not None else None,
                          {"Content-Type": "application/json"} if body is not None else {})
        self.latencies[kind].append((time.perf_counter() - started) * 1000)
        status, payload = answer.status, answer.read()
        if status >= 300:
            raise RuntimeError(f"{method} {path}: {status} {payload[:300]!r}")
        return json.loads(payload)

    def raw(self, method: str, path: str, body=None, headers: dict | None = None) -> http.client.HTTPResponse:
        for attempt in range(2):
            try:
                self.connection.request(method, path, body, {**self.headers, **(headers or {})})
                return self.connection.getresponse()
            except (BrokenPipeError, ConnectionResetError, http.client.RemoteDisconnected):
                # gunicorn closes a connection idle past its keep-alive (2 s): a browser opens another
                self.connection.close()
                if attempt:
                    raise


class InProcess:
    """The same calls through Flask's test client, on this thread, for the profiler to see the request's whole path."""

    def __init__(self, client, token: str, unit: str):
        self.client, self.headers, self.unit = client, {"Authorization": f"Bearer {token}"}, unit

    def call(self, _kind: str, method: str, path: str, body: dict | None = None) -> dict | list:
        answer = self.client.open(path, method=method, json=body, headers=self.headers)
        if answer.status_code >= 300:
            raise RuntimeError(f"{method} {path}: {answer.status_code} {answer.get_data()[:300]!r}")
        return answer.json


def profile_completions(url: str, officials: tuple[Official, ...], dossiers: int) -> None:
    """Where a completion's time goes, token clients, in this process: walk `dossiers` dossiers under the profiler."""
    from web import create_app

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": secrets.token_hex(16)})
    factory = app.extensions["engine"].session_factory
    people = tuple(InProcess(app.test_client(), tokens.create_token(official, "profile", ["read", "act"], 1,
                                                                    UnitOfWork(factory)).secret, official.unit_code)
                   for official in officials)
    walk(people, time.perf_counter() + 0.5)  # warm: specs, tables, forms built once per worker
    seconds, counts, completions = request_profile.profile(lambda: walk(people, time.perf_counter() + 1e9, dossiers),
                                                           app.extensions["engine"].database)
    request_profile.print_profile("where a request's time goes (token client: open, inbox, 3 completions per "
                                  "dossier, counted per completion)", seconds, counts, completions)


def signed_in(port: int, official: Official, latencies: dict) -> Client:
    """A browser's session: the login page's CSRF token and cookie, the sign-in, then the inbox page's token."""
    client, username = Client(port, {}, latencies, official.unit_code), official.username
    page = client.raw("GET", "/login")
    client.headers["Cookie"] = _cookie(page)
    form = urlencode({"username": username, "password": PASSWORD, "csrf_token": _csrf(page.read().decode())})
    answer = client.raw("POST", "/login", form, {"Content-Type": "application/x-www-form-urlencoded"})
    answer.read()
    if answer.status != 302:
        raise RuntimeError(f"sign-in of {username}: {answer.status}")
    client.headers["Cookie"] = _cookie(answer)
    inbox = client.raw("GET", "/inbox")
    client.headers["X-CSRFToken"] = _csrf(inbox.read().decode())
    return client


def _cookie(answer: http.client.HTTPResponse) -> str:
    return "; ".join(header.split(";", 1)[0] for header in answer.headers.get_all("Set-Cookie") or [])


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def walk(people: tuple, until: float, dossiers: int | None = None) -> int:
    """Full dossiers, one after another, until the deadline (or `dossiers` of them); returns the task completions."""
    branch, commune, province = people
    completions = 0
    while time.perf_counter() < until and (dossiers is None or completions < 3 * dossiers):
        # A household is recognised once a year: each list names new ones.
        serial = next(LISTS)
        candidates = [{"name": f"Hộ {branch.unit} số {RUN}-{serial}-{k}", "score": 70 + k} for k in range(10)]
        opened = branch.call("open", "POST", "/api/dossiers", {"process": PROCESS, "data": {"year": 2026, "title": "family"}})
        branch.call("inbox", "GET", "/api/tasks?size=20")
        done = branch.call("propose", "POST", f"/api/tasks/{opened['open_tasks'][0]['id']}/complete",
                           {"candidates": candidates})
        done = commune.call("verify", "POST", f"/api/tasks/{done['next_tasks'][0]['id']}/complete",
                            {"decision": "approve"})
        province.call("approve", "POST", f"/api/tasks/{done['next_tasks'][0]['id']}/complete", APPROVAL)
        completions += 3
    return completions


def accounts_for(url: str, branches: list[str]) -> list[tuple[Official, ...]]:
    """A branch, commune and province account per client, each with a token for the API."""
    factory = make_session_factory(make_engine(url))
    cast = []
    for index, branch in enumerate(branches):
        with UnitOfWork(factory) as uow:
            unit = uow.units.get(branch)
            levels = ((Role.BRANCH, branch), (Role.COMMUNE, unit.parent_code), (Role.PROVINCE, unit.province_code))
        cast.append(tuple(accounts.create_user(f"{role}{index}", PASSWORD, role, code, UnitOfWork(factory))
                          for role, code in levels))
    return cast


@functools.cache
def _factory(url: str):
    return make_session_factory(make_engine(url))


def token_of(official: Official) -> str:
    """A new read-and-act token of the official's (one engine for them all)."""
    factory = _factory(os.environ["DATABASE_URL"])
    return tokens.create_token(official, "bench", ["read", "act"], 1, UnitOfWork(factory)).secret


def cpu_seconds(server: int) -> dict[str, float]:
    """CPU time (user + system) used so far by the server (gunicorn and its workers), PostgreSQL's processes and
    this client process (Linux's /proc): what a completion costs each, whatever the machine's speed at the time."""
    tick, used = os.sysconf("SC_CLK_TCK"), defaultdict(float)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            name = (entry / "comm").read_text().strip()
        except (OSError, IndexError):
            continue  # not a process, or one that has just ended
        pid, parent = int(entry.name), int(fields[1])
        group = ("server" if server in (pid, parent) else "PostgreSQL" if name == "postgres"
                 else "client" if pid == os.getpid() else None)
        if group:
            used[group] += (int(fields[11]) + int(fields[12])) / tick
    return used


def run_clients(server: int, port: int, cast, kind: str, seconds: float, burst: int = 0) -> tuple[float, int, dict,
                                                                                                dict]:
    """Each official of `cast` walking dossiers for `seconds`; with `burst` more clients meanwhile sending the inbox
    request with a wrong token (a real token's id, a wrong secret: the server looks it up and compares). Returns the
    time, the completions, the latencies and the CPU seconds each group of processes used meanwhile."""
    latencies = defaultdict(list)
    people = []
    for officials in cast:
        if kind == "token":
            people.append(tuple(Client(port, {"Authorization": "Bearer " + token_of(official)}, latencies,
                                       official.unit_code) for official in officials))
        else:
            people.append(tuple(signed_in(port, official, latencies) for official in officials))
    # Each worker builds its specs, forms and tables on its first requests: a few dossiers first, not measured.
    in_parallel(people, lambda p: walk(p, time.perf_counter() + 60, 3))
    latencies.clear()
    counts, until = [], time.perf_counter() + seconds
    wrong = token_of(cast[0][0]).rsplit("_", 1)[0] + "_" + secrets.token_urlsafe(32)
    intruders = [Client(port, {"Authorization": f"Bearer {wrong}"}, latencies, "") for _ in range(burst)]
    started, cpu_before = time.perf_counter(), cpu_seconds(server)
    in_parallel(people + intruders, lambda p: counts.append(walk(p, until) if isinstance(p, tuple)
                                                            else refused(p, until)))
    cpu = {group: spent - cpu_before.get(group, 0.0) for group, spent in cpu_seconds(server).items()}
    return time.perf_counter() - started, sum(counts), latencies, cpu


def refused(client: Client, until: float) -> int:
    """Wrong-token requests until the deadline, each of which must be a 401; returns 0 (no completions)."""
    while time.perf_counter() < until:
        started = time.perf_counter()
        answer = client.raw("GET", "/api/tasks")
        answer.read()
        client.latencies["wrong token"].append((time.perf_counter() - started) * 1000)
        if answer.status != 401:
            raise RuntimeError(f"a wrong token got {answer.status}")
    return 0


def in_parallel(people: list, work) -> None:
    threads = [threading.Thread(target=work, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def bare_rate(url: str, seconds: float = 5.0) -> float:
    """SpiffWorkflow on the same diagram and tables, in memory: no database, no serialization, no HTTP."""
    factory = make_session_factory(make_engine(url))
    with UnitOfWork(factory) as uow:
        row = uow.session.scalars(select(DossierRow).order_by(DossierRow.id).limit(1)).one()
        version = uow.session.get(ProcessVersionRow, row.process_version_id)
        spec, decisions, known = definition(version), decisions_for(uow, row), facts(uow)
        variables = {"year": 2026, "title": row.title, "province": row.province_code, "commune": row.commune_code,
                     "branch": row.branch_code}
        spec.specs  # built while the version row can still load its spec
        for table in decisions.tables:
            decisions.engine(table)
    values = ({"candidates": [{"name": "Hộ 1", "score": 80}] * 10}, {"decision": "approve"}, APPROVAL)
    completions, until = 0, time.perf_counter() + seconds
    started = time.perf_counter()
    while time.perf_counter() < until:
        instance = running.Instance.start(spec, variables, decisions, known)
        for fields in values:
            instance.complete(instance.open_steps()[0].task_id, {k: v for k, v in fields.items()
                                                                  if not isinstance(v, (list, dict))})
            completions += 1
    return completions / (time.perf_counter() - started)


def serve(url: str, workers: int, threads: int, port: int) -> subprocess.Popen:
    """gunicorn as the README serves the app, returned once every worker has loaded it. Clients keep their
    connections alive: opened while one worker still loads the app, they would all stay on the other one."""
    loaded = Path(tempfile.mkdtemp(prefix="gunicorn-loaded-"))
    hooks = loaded / "hooks.py"
    hooks.write_text("def post_worker_init(worker):\n"
                     f"    open(f'{loaded}/{{worker.pid}}.loaded', 'w').close()\n")
    command = [sys.executable, "-m", "gunicorn", "-c", str(hooks), "-w", str(workers), "--threads", str(threads),
               "-b", f"127.0.0.1:{port}", "--log-level", "warning", "web:create_app()"]
    server = subprocess.Popen(command, cwd=ROOT, env={**os.environ, "DATABASE_URL": url,
                                                       "SECRET_KEY": secrets.token_hex(16)})
    for _ in range(300):
        if len(list(loaded.glob("*.loaded"))) >= workers:
            return server
        time.sleep(0.1)
    server.kill()
    raise RuntimeError("gunicorn's workers did not all load the app within 30 s")


def report(kind: str, elapsed: float, completions: int, latencies: dict, cpu: dict, bare: float) -> None:
    rate = max(completions, 1) / elapsed
    print(f"\n{kind} clients: {completions} task completions in {elapsed:.1f} s = {rate:.1f} completions/s "
          f"(SpiffWorkflow in memory: {bare:.0f}/s, {bare / rate:.0f}× faster)")
    busy = sum(cpu.values()) / elapsed
    print("  CPU per completion: " + ", ".join(f"{group} {spent / max(completions, 1) * 1000:.1f} ms"
                                               for group, spent in sorted(cpu.items(), key=lambda item: -item[1]))
          + f"; {busy:.2f} of the machine's {os.cpu_count()} cores busy with them")
    print(f"  {'request':<9} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for name in KINDS:
        if latencies[name]:
            q = statistics.quantiles(latencies[name], n=100) if len(latencies[name]) > 1 else [latencies[name][0]] * 99
            print(f"  {name:<9} {len(latencies[name]):>6} {q[49]:>8.1f} {q[94]:>8.1f} {q[98]:>8.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--kind", choices=["token", "session", "both"], default="both")
    parser.add_argument("--burst", type=int, default=8, metavar="CLIENTS",
                        help="then token clients again beside this many sending wrong tokens (0: not)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--port", type=int, default=8391)
    parser.add_argument("--profile", type=int, default=100, metavar="DOSSIERS",
                        help="dossiers walked in this process under the profiler (0: none)")
    parser.add_argument("--database-url", default=f"{PG_SERVER}/lm_bench_http")
    args = parser.parse_args()
    url = os.environ["DATABASE_URL"] = args.database_url
    print(f"gunicorn -w {args.workers} --threads {args.threads}; {args.clients} clients; {args.seconds:.0f} s per kind;"
          f" database {url.split('@')[-1]}")
    cast = accounts_for(url, prepare(url, args.clients))
    server = serve(url, args.workers, args.threads, args.port)
    try:
        for kind in ("token", "session") if args.kind == "both" else (args.kind,):
            report(kind, *run_clients(server.pid, args.port, cast, kind, args.seconds), bare_rate(url))
        if args.burst and args.kind != "session":
            report(f"token (beside {args.burst} wrong-token)",
                   *run_clients(server.pid, args.port, cast, "token", args.seconds, args.burst), bare_rate(url))
    finally:
        server.terminate()
        server.wait()
    if args.profile:
        profile_completions(url, cast[0], args.profile)


if __name__ == "__main__":
    main()
