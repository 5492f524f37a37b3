"""Queries on the inbox filters officials saved, as far as the caller's unit and role reach."""
from sqlalchemy import func, or_, select

from engine.model import Official
from engine.storage.repositories.base import Repository
from engine.storage.tables import SavedFilterRow


class SavedFilterRepository(Repository[SavedFilterRow]):
    row = SavedFilterRow

    @staticmethod
    def _of_unit(official: Official):
        return SavedFilterRow.unit_code == official.unit_code, SavedFilterRow.role == official.role

    def visible_to(self, official: Official) -> list[SavedFilterRow]:
        """The official's own filters and those shared within their unit and role, by name."""
        query = select(SavedFilterRow).where(*self._of_unit(official), or_(
            SavedFilterRow.username == official.username, SavedFilterRow.shared.is_(True)))
        return list(self.session.scalars(query.order_by(SavedFilterRow.name, SavedFilterRow.id)))

    def visible(self, official: Official, filter_id: int) -> SavedFilterRow | None:
        """One of the filters `visible_to` the official, or None."""
        return next((row for row in self.session.scalars(select(SavedFilterRow).where(
            SavedFilterRow.id == filter_id, *self._of_unit(official)))
            if row.username == official.username or row.shared), None)

    def own(self, official: Official, name: str) -> SavedFilterRow | None:
        return self.session.scalar(select(SavedFilterRow).where(
            *self._of_unit(official), SavedFilterRow.username == official.username, SavedFilterRow.name == name))

    def count_own(self, official: Official) -> int:
        return self.session.scalar(select(func.count()).select_from(SavedFilterRow).where(
            *self._of_unit(official), SavedFilterRow.username == official.username))

    def delete(self, row: SavedFilterRow) -> None:
        self.session.delete(row)
