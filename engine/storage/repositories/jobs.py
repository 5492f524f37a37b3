"""Queries on background jobs: the outbox, the claim of a job by a worker, the dead-letter list."""
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, or_, select, update

from engine.model import JobStatus
from engine.storage.repositories.base import Repository
from engine.storage.tables import JobFileRow, JobRow


class JobRepository(Repository[JobRow]):
    row = JobRow

    def add(self, job: JobRow) -> None:
        """Added and flushed: its id is what the relay sends after commit."""
        self.session.add(job)
        self.session.flush()

    def by_key(self, key: str) -> JobRow | None:
        return self.session.scalar(select(JobRow).where(JobRow.key == key))

    def count_attempt(self, job_id: int, at: datetime, worker: str) -> int | None:
        """A worker starts a queued job: its attempt is counted (and kept if the worker dies); None if the job is no
        longer queued."""
        return self.session.scalar(
            update(JobRow).where(JobRow.id == job_id, JobRow.status == JobStatus.QUEUED)
            .values(attempts=JobRow.attempts + 1, started_at=at, worker=worker[:200]).returning(JobRow.attempts))

    def queued_for_update(self, job_id: int) -> JobRow | None:
        """The queued job, row-locked until the transaction of its effect ends; None if it is done, dead, or another
        worker holds it (a second delivery of the same message)."""
        return self.session.scalar(select(JobRow).where(JobRow.id == job_id, JobRow.status == JobStatus.QUEUED)
                                   .with_for_update(skip_locked=True))

    def to_relay(self, created_before: datetime, relayed_before: datetime, limit: int) -> Sequence[int]:
        """Queued jobs no relay sent (a crash between commit and relay, a broker that was down), and those sent so long
        ago that their message may be lost; the oldest first."""
        return self.session.scalars(
            select(JobRow.id).where(JobRow.status == JobStatus.QUEUED, JobRow.created_at < created_before,
                                    or_(JobRow.relayed_at.is_(None), JobRow.relayed_at < relayed_before))
            .order_by(JobRow.created_at).limit(limit)).all()

    def mark_relayed(self, job_ids: Sequence[int], at: datetime) -> None:
        self.session.execute(update(JobRow).where(JobRow.id.in_(job_ids)).values(relayed_at=at))

    def listed(self, status: str | None, limit: int) -> Sequence[JobRow]:
        """The newest jobs first, of one status or all."""
        query = select(JobRow).order_by(JobRow.id.desc()).limit(limit)
        return self.session.scalars(query if status is None else query.where(JobRow.status == status)).all()

    def backlog(self, created_before: datetime) -> tuple[int, datetime | None, int]:
        """(queued jobs older than `created_before`, the oldest one's creation, dead jobs)."""
        waiting, oldest = self.session.execute(
            select(func.count(), func.min(JobRow.created_at)).where(JobRow.status == JobStatus.QUEUED,
                                                                    JobRow.created_at < created_before)).one()
        dead = self.session.scalar(select(func.count()).where(JobRow.status == JobStatus.DEAD))
        return waiting, oldest, dead

    def keep_file(self, job_id: int, name: str, media_type: str, content: bytes, at: datetime) -> None:
        self.session.merge(JobFileRow(job_id=job_id, name=name, media_type=media_type, content=content,
                                      size=len(content), created_at=at))

    def file_of(self, job_id: int) -> JobFileRow | None:
        return self.session.get(JobFileRow, job_id)

    def file_summary(self, job_id: int) -> tuple[str | None, int | None]:
        """(name, size) of the job's file without its content; (None, None) while it has none."""
        row = self.session.execute(select(JobFileRow.name, JobFileRow.size).where(JobFileRow.job_id == job_id)).first()
        return tuple(row) if row else (None, None)

    def of_requester(self, username: str, limit: int) -> Sequence[JobRow]:
        """The newest jobs an official asked for."""
        return self.session.scalars(select(JobRow).where(JobRow.requested_by == username)
                                    .order_by(JobRow.id.desc()).limit(limit)).all()
