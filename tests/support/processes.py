"""Processes a test starts as production runs them (README): gunicorn web nodes, Celery workers and beat, the
command line; each in a session of its own, so that a SIGKILL takes it whole, and each logging to a file the test
shows when it fails."""
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from celery import Celery
from kombu import Connection

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
BROKER_URL = os.environ.get("BROKER_TEST_URL", "amqp://guest:guest@127.0.0.1:5672//")


def broker_reachable() -> bool:
    try:
        with Connection(BROKER_URL, connect_timeout=2) as connection:
            connection.ensure_connection(max_retries=1)
        return True
    except Exception:  # noqa: BLE001 - any failure means: no broker to test against
        return False


def delete_queue(queue: str) -> None:
    with Connection(BROKER_URL, connect_timeout=2) as connection:
        connection.default_channel.queue_delete(queue)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(database_url: str, broker: tuple[str, str] | None, **settings) -> dict:
    """The environment of a deployment on `database_url` (and the broker's URL and queue)."""
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "scale-out-test", "PYTHONPATH": str(ROOT),
           **{name: str(value) for name, value in settings.items()}}
    env.pop("CI", None)
    if broker:
        env["BROKER_URL"], env["JOBS_QUEUE"] = broker
    return env


@dataclass
class Started:
    name: str
    process: subprocess.Popen
    log: Path

    def kill(self) -> None:
        """SIGKILL to the whole process group: no handler runs, nothing is flushed or acknowledged."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(30)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()

    def tail(self, lines: int = 40) -> str:
        return f"--- {self.name} ({self.log})\n" + "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def start(name: str, command: list[str], env: dict, directory: Path) -> Started:
    log = directory / f"{name}.log"
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
                               start_new_session=True)
    return Started(name, process, log)


def web_node(name: str, env: dict, directory: Path) -> tuple[Started, int]:
    """gunicorn as the README serves the app (one worker, four threads here), answering on a port of its own."""
    port = free_port()
    node = start(name, [str(BIN / "gunicorn"), "-w", "1", "--threads", "4", "-b", f"127.0.0.1:{port}",
                        "web:create_app()"], env, directory)
    wait_for(lambda: _answers(port), 60, f"{name} answering", node)
    return node, port


def worker(name: str, env: dict, directory: Path) -> Started:
    """A Celery worker taking one job at a time from the deployment's queue."""
    return start(name, [str(BIN / "celery"), "-A", "web.workers", "worker", "-n", f"{name}@%h", "-c", "1",
                        "--without-mingle", "--without-gossip", "-Q", env["JOBS_QUEUE"], "--loglevel", "INFO"],
                 env, directory)


def beat(env: dict, directory: Path) -> Started:
    return start("beat", [str(BIN / "celery"), "-A", "web.workers", "beat", "-s", str(directory / "beat-schedule"),
                          "--loglevel", "INFO"], env, directory)


def send_job(queue: str, job_id: int) -> None:
    """Deliver a job's message again, as a broker does after a worker died before acknowledging it."""
    with Connection(BROKER_URL, connect_timeout=2) as connection:
        Celery(broker=BROKER_URL).send_task("jobs.run", args=[job_id], queue=queue, connection=connection)


def flask(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "flask"), "--app", "web", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


def call(port: int, method: str, path: str, body=None, headers: dict | None = None) -> tuple[int, dict | str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request(method, path, body=None if body is None else json.dumps(body),
                       headers={"Content-Type": "application/json", **(headers or {})})
    answer = connection.getresponse()
    text = answer.read().decode()
    connection.close()
    kind = answer.getheader("Content-Type", "")
    return answer.status, json.loads(text) if kind.startswith("application/json") else text


def _answers(port: int) -> bool:
    try:
        return call(port, "GET", "/login")[0] == 200
    except OSError:
        return False


def wait_for(condition, seconds: float, what: str, *watched: Started):
    """Poll `condition` until it returns something true; fail naming `what`, with the watched processes' logs."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError(f"not within {seconds:.0f} s: {what}\n" + "\n".join(p.tail() for p in watched))
