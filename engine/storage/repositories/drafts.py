"""Drafts of task forms and the files chosen in them: read and written for one official's task only."""
from collections.abc import Collection

from sqlalchemy import delete, select

from engine.storage.repositories.base import Repository
from engine.storage.tables import DraftFileRow, TaskDraftRow


class DraftRepository(Repository[TaskDraftRow]):
    row = TaskDraftRow

    def add(self, draft: TaskDraftRow) -> None:
        """Add a draft and give it its id (its files name it)."""
        self.session.add(draft)
        self.session.flush()

    def of(self, task_id: str, username: str) -> TaskDraftRow | None:
        query = select(TaskDraftRow).where(TaskDraftRow.task_id == task_id, TaskDraftRow.username == username)
        return self.session.scalars(query).one_or_none()

    def files(self, draft_id: int) -> list[DraftFileRow]:
        """The draft's files, oldest first, their bytes left unread."""
        query = select(DraftFileRow).where(DraftFileRow.draft_id == draft_id).order_by(DraftFileRow.id)
        return list(self.session.scalars(query))

    def add_files(self, files: Collection[DraftFileRow]) -> None:
        self.session.add_all(files)
        self.session.flush()

    def drop_files(self, draft_id: int, ids: Collection[int]) -> None:
        self.session.execute(delete(DraftFileRow).where(DraftFileRow.draft_id == draft_id, DraftFileRow.id.in_(ids)))

    def delete(self, draft: TaskDraftRow) -> None:
        self.session.execute(delete(DraftFileRow).where(DraftFileRow.draft_id == draft.id))
        self.session.delete(draft)

    def delete_of_task(self, task_id: str) -> None:
        """Every official's draft of a task (it is done: no draft of it can be sent any more)."""
        drafts = select(TaskDraftRow.id).where(TaskDraftRow.task_id == task_id).scalar_subquery()
        self.session.execute(delete(DraftFileRow).where(DraftFileRow.draft_id.in_(drafts)))
        self.session.execute(delete(TaskDraftRow).where(TaskDraftRow.task_id == task_id))
