"""Background jobs on real Celery workers and RabbitMQ, served as the README says production is. Faults tried: the
web process killed by SIGKILL between its commit and the relay to the broker; the same job delivered again after it
took effect; the only worker killed (the health endpoint says so); the broker down (the app still takes work, the
outbox holds it, the health endpoint says so)."""
import signal
import subprocess
import sys
from datetime import timedelta

import pytest
from celery.exceptions import Retry

from engine.dossiers import tasks
from engine.jobs import running
from engine.model import JobStatus, Role
from tests.support import processes
from tests.support.deployment import Deployment
from web import background, create_app
from web.config import TestConfig

# A web process that dies the moment its transaction has committed and the relay would send the job to the broker.
KILLED_BEFORE_RELAY = """
import os, signal, sys
from web import background, create_app
background.CeleryDispatcher.relay = lambda self, job_ids: os.kill(os.getpid(), signal.SIGKILL)
task_id, token, deadline = sys.argv[1:]
create_app().test_client().post(f"/api/tasks/{task_id}/complete", headers={"Authorization": f"Bearer {token}"},
                                json={"commune_deadline": deadline, "reminder_days": 3})
"""


@pytest.mark.postgres
def test_a_web_process_killed_between_commit_and_relay_loses_no_job(database_url, broker, tmp_path):
    deployment = Deployment(database_url)
    province = deployment.official("tinh-hanoi", Role.PROVINCE, "01")
    deployment.open_annual_period(deployment.official("bo", Role.MINISTRY, None))
    (task,) = tasks.inbox(province, deployment.new_uow()).tasks
    env = processes.environment(database_url, broker)

    killed = subprocess.run([sys.executable, "-c", KILLED_BEFORE_RELAY, task.id, deployment.token(province),
                             deployment.commune_deadline()], env=env, cwd=processes.ROOT, capture_output=True,
                            text=True, timeout=120)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    (job,) = deployment.jobs()
    assert (job.kind, job.status, job.relayed_at, job.attempts) == ("open_commune_reports", JobStatus.QUEUED, None, 0)
    assert tasks.inbox(province, deployment.new_uow()).tasks[0].id != task.id  # the province's step was committed
    assert deployment.commune_reports("01") == (0, 0)

    worker = processes.worker("w1", env, tmp_path)
    node, port = processes.web_node("web1", env, tmp_path)
    try:
        # The periodic relay (Celery beat's, or `flask jobs relay`) finds the job no relay sent.
        processes.wait_for(lambda: _relayed_and_done(deployment, env), 90, "the job relayed and run", worker)
        communes = deployment.communes("01")
        assert deployment.commune_reports("01") == (communes, communes)
        (job,) = deployment.jobs()
        assert (job.status, job.attempts, job.result, job.worker.startswith("w1@")) == (
            JobStatus.DONE, 1, {"opened": communes}, True)

        processes.send_job(broker[1], job.id)  # delivered once more, as after a worker lost before its ack
        processes.wait_for(lambda: "'skipped'" in worker.log.read_text(), 30, "the second delivery skipped", worker)
        assert deployment.commune_reports("01") == (communes, communes)

        status, health = processes.call(port, "GET", "/health")
        assert status == 200, health
        assert health["broker"] == {"ok": True} and health["workers"]["answered"][0].startswith("w1@")
        assert (health["database"]["ok"], health["database"]["waiting"], health["database"]["dead"]) == (True, 0, 0)
        worker.kill()
        status, health = processes.call(port, "GET", "/health")
        assert (status, health["ok"], health["broker"]["ok"], health["workers"]) == (
            503, False, True, {"ok": False, "answered": []})
    finally:
        worker.stop()
        node.stop()


def _relayed_and_done(deployment: Deployment, env: dict) -> bool:
    relayed = processes.flask(env, "jobs", "relay")
    assert relayed.returncode == 0, relayed.stderr
    return deployment.jobs()[0].status == JobStatus.DONE


@pytest.mark.postgres
def test_with_the_broker_down_the_app_takes_work_and_the_health_endpoint_says_so(database_url, tmp_path):
    deployment = Deployment(database_url)
    province = deployment.official("tinh-hanoi", Role.PROVINCE, "01")
    deployment.open_annual_period(deployment.official("bo", Role.MINISTRY, None))
    (task,) = tasks.inbox(province, deployment.new_uow()).tasks
    down = (f"amqp://guest:guest@127.0.0.1:{processes.free_port()}//", "lm-test-down")
    node, port = processes.web_node("web1", processes.environment(database_url, down), tmp_path)
    try:
        status, done = processes.call(port, "POST", f"/api/tasks/{task.id}/complete",
                                      {"commune_deadline": deployment.commune_deadline(), "reminder_days": 3},
                                      {"Authorization": f"Bearer {deployment.token(province)}"})
        assert status == 200, done
        (job,) = deployment.jobs()
        assert (job.status, job.relayed_at) == (JobStatus.QUEUED, None)  # held in the outbox
        status, health = processes.call(port, "GET", "/health")
        assert (status, health["ok"], health["database"]["ok"], health["broker"]["ok"]) == (503, False, True, False)
        assert health["broker"]["error"]
    finally:
        node.stop()


def test_a_worker_asks_celery_to_try_a_transient_failure_again_after_its_back_off(database_url, monkeypatch):
    """The Celery task as a worker runs it (eagerly here, on Celery's in-memory transport): a job the engine says to
    try again goes back to Celery with its back-off as countdown; a done job answers its status."""
    class WithBroker(TestConfig):
        DATABASE_URL, BROKER_URL = database_url, "memory://"

    app = create_app(WithBroker)
    outcomes = [running.Outcome("retry", timedelta(seconds=20)), running.DONE]
    monkeypatch.setattr(running, "run_job", lambda job_id, new_uow, worker: outcomes.pop(0))
    retried = []
    monkeypatch.setattr(background.run_job, "retry", lambda **options: retried.append(options) or Retry())
    with app.app_context():
        first, second = background.run_job.apply(args=[7]), background.run_job.apply(args=[7])
    assert (first.state, retried) == ("RETRY", [{"countdown": 20.0, "max_retries": None}])
    assert (second.state, second.get()) == ("SUCCESS", "done")
    assert isinstance(app.extensions["engine"].dispatcher, background.CeleryDispatcher)
