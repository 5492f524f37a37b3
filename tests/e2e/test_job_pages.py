"""Background jobs as an administrator meets them: the dead-letter list on its page and on the command line, a retry
(with its CSRF token), the relay command, and the health endpoint of the embedded default. Bad input tried: a retry
without a CSRF token, of a job that is not dead, of a job that does not exist."""
import pytest

from engine.jobs import kinds, outbox
from engine.model import SYSTEM, JobStatus, Role
from engine.organisation import accounts
from tests.support.builders import PASSWORD, csrf_token


@pytest.fixture
def dead_job(new_uow, monkeypatch):
    """A job whose kind this release does not know: it ends on the dead-letter list at its first run."""
    with new_uow() as uow:
        job_id = outbox.enqueue(uow, "export_registry", {"year": 2026}, SYSTEM)
        uow.commit()
    return job_id


def mend(monkeypatch):
    """The cause is mended: the kind exists now."""
    monkeypatch.setitem(kinds.KINDS, "export_registry", lambda call: {"rows": 3})


def job_of(new_uow, job_id):
    with new_uow() as uow:
        return uow.jobs.get(job_id)


def test_an_administrator_sees_a_dead_job_and_retries_it_from_the_page(client, login_as, new_uow, dead_job,
                                                                       monkeypatch):
    admin = accounts.create_user("quantri", PASSWORD, Role.ADMIN, None, new_uow())
    login_as(admin)
    page = client.get("/jobs").get_data(as_text=True)
    assert f">{dead_job}</a></td><td>export_registry</td>" in page
    assert "Không có loại việc &#39;export_registry&#39;" in page and "Chạy lại" in page
    assert client.post(f"/jobs/{dead_job}/retry").status_code == 400  # no CSRF token
    assert job_of(new_uow, dead_job).status == JobStatus.DEAD
    mend(monkeypatch)
    answer = client.post(f"/jobs/{dead_job}/retry", data={"csrf_token": csrf_token(page)})
    assert (answer.status_code, answer.headers["Location"]) == (302, "/jobs")
    done = job_of(new_uow, dead_job)
    assert (done.status, done.result, done.attempts) == (JobStatus.DONE, {"rows": 3}, 1)
    everything = client.get("/jobs?status=all").get_data(as_text=True)
    assert f">{dead_job}</a></td>" in everything and "<td>Đã xong</td>" in everything
    assert "<code>{\"rows\": 3}</code>" in everything
    again = client.post(f"/jobs/{dead_job}/retry", data={"csrf_token": csrf_token(page)})
    assert again.status_code == 409 and "không ở danh sách lỗi" in again.get_data(as_text=True)


def test_the_command_line_lists_retries_and_relays_jobs(runner, new_uow, dead_job, monkeypatch):
    listed = runner.invoke(args=["jobs", "list"])
    assert listed.exit_code == 0 and f"{dead_job}\texport_registry\tdead\t1 lần" in listed.output
    unknown = runner.invoke(args=["jobs", "retry", "424242"])
    assert unknown.exit_code == 1 and "Không có việc nền 424242" in unknown.output
    mend(monkeypatch)
    assert runner.invoke(args=["jobs", "retry", str(dead_job)]).exit_code == 0
    assert job_of(new_uow, dead_job).status == JobStatus.DONE
    assert runner.invoke(args=["jobs", "list"]).output == ""
    assert f"{dead_job}\texport_registry\tdone" in runner.invoke(args=["jobs", "list", "--status", "all"]).output
    relayed = runner.invoke(args=["jobs", "relay"])
    assert (relayed.exit_code, relayed.output) == (0, "Đã chuyển 0 việc nền.\n")


def test_the_embedded_default_says_it_is_healthy_without_a_broker(client, dead_job):
    answer = client.get("/health")
    assert answer.status_code == 200
    health = answer.get_json()
    assert health["ok"] and health["broker"] == {"ok": True, "used": False}
    assert (health["database"]["ok"], health["database"]["dead"]) == (True, 1)
