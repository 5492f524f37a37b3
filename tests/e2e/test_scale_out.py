"""Scale-out as production runs it (README): PostgreSQL, RabbitMQ, two gunicorn web nodes on two ports, two Celery
workers and one beat. Officials complete tasks through both nodes; dossiers wait on a short timer that beat's sweeps
fire on the workers; the ministry opens a national reporting period and every province sets its communes' deadline,
each asking for a fan-out job (3,321 commune reports in all); a worker is killed with SIGKILL in the middle of a job
(and restarted, as a supervisor would). Afterwards every job took effect exactly once, every timer fired once, every
dossier's stored state loads with its open steps equal to its open tasks, and the history holds one completion per
completion answered."""
import itertools
import time

import pytest
from sqlalchemy import select

from engine.designing import deployments
from engine.model import JobStatus, Role
from engine.organisation import units
from engine.storage.tables import JobRow
from tests.support import processes
from tests.support.deployment import Deployment
from tests.support.diagrams import deadline_diagram

TIMER_DOSSIERS = 12
# The branch's step waits on a non-interrupting timer two seconds long: the commune gets a task to chase it.
SHORT_TIMER = deadline_diagram("'PT2S'").replace(b"bpmn:timeDate", b"bpmn:timeDuration")
CHASE = "Đôn đốc chi hội nộp báo cáo"


class Nodes:
    """The web nodes, taken in turn: each request goes to the next node, as a load balancer sends them."""

    def __init__(self, ports: list[int]):
        self.turns = itertools.cycle(ports)
        self.completions = 0

    def call(self, token: str, method: str, path: str, body=None):
        status, answer = processes.call(next(self.turns), method, path, body, {"Authorization": f"Bearer {token}"})
        assert status in (200, 201), (method, path, status, answer)
        return answer

    def complete(self, token: str, task_id: str, values: dict) -> dict:
        done = self.call(token, "POST", f"/api/tasks/{task_id}/complete", values)
        self.completions += 1
        return done

    def tasks(self, token: str, step: str | None = None) -> list[dict]:
        return [t for t in self.call(token, "GET", "/api/tasks?size=500") if step in (None, t["step_name"])]


@pytest.mark.postgres
def test_two_web_nodes_and_two_workers_take_every_job_and_timer_once_through_a_worker_killed_mid_job(
        database_url, broker, tmp_path):
    deployment = Deployment(database_url)
    cast = _cast(deployment)
    env = processes.environment(database_url, broker, TIMER_SWEEP_SECONDS=1)
    started = []
    try:
        webs = [processes.web_node(name, env, tmp_path) for name in ("web1", "web2")]
        started += [node for node, _ in webs]
        workers = {name: processes.worker(name, env, tmp_path) for name in ("w1", "w2")}
        started += [*workers.values(), processes.beat(env, tmp_path)]
        nodes = Nodes([port for _, port in webs])

        # Dossiers started through both nodes; beat's sweeps fire their timers on the workers.
        for _ in range(TIMER_DOSSIERS):
            nodes.call(cast["branch"], "POST", "/api/dossiers", {"process": "with_deadline",
                                                                 "data": {"year": deployment.today.year}})
        processes.wait_for(lambda: len(nodes.tasks(cast["commune"], CHASE)) == TIMER_DOSSIERS, 90,
                           "every dossier's timer fired", *started)

        # The national period; every province sets its communes' deadline through either node.
        deployment.open_annual_period(cast["ministry"])
        for code, token in cast["provinces"].items():
            (task,) = nodes.tasks(token)
            nodes.complete(token, task["id"], {"commune_deadline": deployment.commune_deadline(),
                                               "reminder_days": 3})
        victims = _kill_workers_mid_job(deployment, workers, env, tmp_path, started)
        processes.wait_for(lambda: all(job.status != JobStatus.QUEUED for job in deployment.jobs()), 240,
                           "every fan-out job done", *started)

        # The branch submits late and the commune closes its chase tasks, through both nodes.
        for task in nodes.tasks(cast["branch"]):
            nodes.complete(cast["branch"], task["id"], {})
        for task in nodes.tasks(cast["commune"], CHASE):
            nodes.complete(cast["commune"], task["id"], {})
    finally:
        for process in started:
            process.stop()

    jobs = deployment.jobs()
    assert [(job.kind, job.status) for job in jobs] == [("open_commune_reports", JobStatus.DONE)] * 34
    interrupted = [job for job in jobs if job.id in victims]
    assert interrupted and all(job.attempts >= 2 for job in interrupted), "no job was killed in the middle"
    communes = deployment.communes()
    assert deployment.commune_reports() == (communes, communes) == (3321, 3321)
    assert sum(job.result["opened"] for job in jobs) == communes
    timers = deployment.audited("timer")
    assert len(timers) == TIMER_DOSSIERS and set(timers.values()) == {1}, timers
    assert deployment.states_that_do_not_load() == []
    assert sum(deployment.audited("complete").values()) == nodes.completions == 34 + 2 * TIMER_DOSSIERS


def _cast(deployment: Deployment) -> dict:
    """Tokens of a branch of Hoàn Kiếm, its commune, every province; the ministry; the timer diagram deployed."""
    ministry = deployment.official("bo", Role.MINISTRY, None)
    designer = deployment.official("thietke", Role.DESIGNER, None)
    deployments.deploy({"with_deadline.bpmn": SHORT_TIMER}, designer, deployment.new_uow())
    branch = deployment.official("chihoi1", Role.BRANCH, units.add_branch("00070", "Chi hội tổ 1",
                                                                          deployment.new_uow()))
    with deployment.new_uow() as uow:
        codes = [province.code for province in uow.units.provinces()]
    provinces = {code: deployment.token(deployment.official(f"tinh-{code}", Role.PROVINCE, code)) for code in codes}
    return {"ministry": ministry, "branch": deployment.token(branch), "provinces": provinces,
            "commune": deployment.token(deployment.official("xa-hoankiem", Role.COMMUNE, "00070"))}


def _kill_workers_mid_job(deployment: Deployment, workers: dict, env: dict, directory, started: list) -> set[int]:
    """SIGKILL the worker running a job whose effect has not committed yet, then start it again; up to three times,
    until a job was caught in the middle. The ids of the jobs caught."""
    caught = set()
    for round_ in range(3):
        job = processes.wait_for(lambda: _running(deployment), 120, "a job running", *started)
        name = job.worker.split("@")[0]
        workers[name].kill()
        with deployment.new_uow() as uow:
            if uow.jobs.get(job.id).status == JobStatus.QUEUED:
                caught.add(job.id)
        workers[name] = processes.worker(f"{name}r{round_}", env, directory)
        started.append(workers[name])
        if caught:
            return caught
        time.sleep(0.5)
    return caught


def _running(deployment: Deployment) -> JobRow | None:
    """A job a worker has started (its attempt counted) whose effect has not committed."""
    with deployment.new_uow() as uow:
        return uow.session.scalar(select(JobRow).where(JobRow.status == JobStatus.QUEUED,
                                                       JobRow.started_at.is_not(None)).order_by(JobRow.id))
