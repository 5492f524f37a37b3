"""Use cases of an administrator on background jobs: the list (the dead-letter list first of all) and a retry."""
from dataclasses import dataclass
from datetime import datetime

from engine.errors import Conflict, Forbidden, NotFound
from engine.model import JobStatus, Official, Role
from engine.storage.tables import JobRow
from engine.storage.unit_of_work import UnitOfWork

LISTED = 200


@dataclass(frozen=True)
class JobView:
    id: int
    kind: str
    params: dict
    status: str
    attempts: int
    error: str | None
    result: dict | None
    requested_by: str
    worker: str | None
    created_at: datetime
    finished_at: datetime | None


def check_administrator(official: Official) -> None:
    if official.role != Role.ADMIN:
        raise Forbidden("Chỉ quản trị hệ thống xem và chạy lại việc nền.")


def list_jobs(official: Official, uow: UnitOfWork, status: str | None = JobStatus.DEAD) -> list[JobView]:
    """The newest jobs of a status (the dead-letter list by default; None: every status), at most 200."""
    check_administrator(official)
    with uow.reading():
        return [view_of(job) for job in uow.jobs.listed(status, LISTED)]


def retry_job(job_id: int, official: Official, uow: UnitOfWork) -> JobView:
    """Queue a dead job again with a fresh count of attempts; it is relayed when this commits."""
    check_administrator(official)
    with uow:
        job = uow.jobs.get(job_id)
        if job is None:
            raise NotFound(f"Không có việc nền {job_id}.")
        if job.status != JobStatus.DEAD:
            raise Conflict(f"Việc nền {job_id} không ở danh sách lỗi (trạng thái: {job.status}).")
        job.status, job.attempts, job.relayed_at, job.finished_at = JobStatus.QUEUED, 0, None, None
        uow.jobs_to_relay.append(job.id)
        uow.commit()
        return view_of(job)


def view_of(job: JobRow) -> JobView:
    return JobView(job.id, job.kind, job.params, job.status, job.attempts, job.error, job.result, job.requested_by,
                   job.worker, job.created_at, job.finished_at)
