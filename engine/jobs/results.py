"""Use cases of an official on the jobs they asked for: their list, one job's progress, and the file it made. Another
official's job is answered as one that does not exist (an administrator sees every job)."""
from dataclasses import dataclass

from engine.errors import NotFound
from engine.jobs.dead_letters import LISTED, JobView, view_of
from engine.model import Official, Role
from engine.storage.tables import JobRow
from engine.storage.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class JobProgress:
    job: JobView
    file_name: str | None  # the file the job made, once done
    file_size: int | None


def my_jobs(official: Official, uow: UnitOfWork) -> list[JobView]:
    """The newest jobs the official asked for, at most 200."""
    with uow.reading():
        return [view_of(job) for job in uow.jobs.of_requester(official.username, LISTED)]


def job_progress(job_id: int, official: Official, uow: UnitOfWork) -> JobProgress:
    with uow.reading():
        job = _asked_by(uow, job_id, official)
        name, size = uow.jobs.file_summary(job.id)
        return JobProgress(view_of(job), name, size)


def job_file(job_id: int, official: Official, uow: UnitOfWork) -> tuple[str, str, bytes]:
    """(file name, media type, content) of the file the job made."""
    with uow.reading():
        _asked_by(uow, job_id, official)
        kept = uow.jobs.file_of(job_id)
        if kept is None:
            raise NotFound(f"Việc nền {job_id} chưa có tệp (chưa xong, hoặc không làm ra tệp).")
        return kept.name, kept.media_type, kept.content


def _asked_by(uow: UnitOfWork, job_id: int, official: Official) -> JobRow:
    job = uow.jobs.get(job_id)
    if job is None or (job.requested_by != official.username and official.role != Role.ADMIN):
        raise NotFound(f"Không có việc nền {job_id} của bạn.")
    return job
