"""What every repository does: hold the unit of work's session, add rows, get one row by its key."""
from collections.abc import Sequence
from typing import Generic, TypeVar

from sqlalchemy.orm import Session

Row = TypeVar("Row")


class Repository(Generic[Row]):
    row: type[Row]  # the table's mapped class, set by each repository

    def __init__(self, session: Session):
        self.session = session

    def add(self, row: Row) -> None:
        self.session.add(row)

    def add_all(self, rows: Sequence[Row]) -> None:
        self.session.add_all(rows)

    def get(self, key) -> Row | None:
        return self.session.get(self.row, key)
