"""What a job receives: the unit of work of its transaction (the use cases it composes join it) and its row
(parameters, who asked)."""
from dataclasses import dataclass

from engine.storage.tables import JobRow
from engine.storage.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class JobCall:
    uow: UnitOfWork
    job: JobRow

    @property
    def params(self) -> dict:
        return self.job.params

    def keep_file(self, name: str, media_type: str, content: bytes) -> None:
        """The file the job made, kept with it for whoever asked (one per job; a rerun replaces it)."""
        self.uow.jobs.keep_file(self.job.id, name, media_type, content, self.uow.clock.now())
