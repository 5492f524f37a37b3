"""Queries on recognition decisions and the titles they recognised."""
from collections.abc import Iterator
from datetime import date

from sqlalchemy import func, insert, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from engine.model import MINISTRY_CODE, UnitLevel
from engine.storage.repositories.base import Repository
from engine.storage.tables import RecognitionDecisionRow, TitleRow, UnitRow

STREAMED_BATCH = 2000  # titles an export holds at once


class RecognitionDecisionRepository(Repository[RecognitionDecisionRow]):
    row = RecognitionDecisionRow

    def add(self, decision: RecognitionDecisionRow) -> bool:
        """Insert a new decision now; False if a concurrent transaction took its number first (the rest of the
        caller's transaction is untouched)."""
        try:
            with self.session.begin_nested():
                self.session.add(decision)
        except IntegrityError:
            return False
        return True

    def by_number(self, deciding_unit: str, number: str, year: int) -> RecognitionDecisionRow | None:
        return self.session.scalar(select(RecognitionDecisionRow).where(
            RecognitionDecisionRow.deciding_unit == deciding_unit, RecognitionDecisionRow.number == number,
            RecognitionDecisionRow.year == year))


class TitleRepository(Repository[TitleRow]):
    row = TitleRow

    def insert_all(self, titles: list[dict]) -> None:
        """Insert titles given as column values, in one batch of one short statement (no ids read back: nothing
        needs them in the transaction that records them)."""
        if titles:
            self.session.execute(insert(TitleRow), titles)

    def _custom_plans(self) -> None:
        """PostgreSQL plans the rest of this transaction's statements for their own values: a generic plan of a
        prepared title lookup, made while the statistics are stale (a fresh database, a December burst), scanned
        every title (18 ms and growing). Other statements keep their cached plans: planning each one again cost
        a quarter of a timer sweep."""
        if self.session.get_bind().dialect.name == "postgresql":
            self.session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))

    def of_subjects(self, title: str, subject_keys: list[str]) -> list[TitleRow]:
        """Every title of this kind these subjects were ever recognised with, oldest first."""
        # Only the subject in SQL: the planner then has one index to use (subject first), even with stale
        # statistics in a December burst; a subject has a handful of titles, so the rest is filtered here.
        self._custom_plans()
        query = select(TitleRow).where(TitleRow.subject_key.in_(set(subject_keys)))
        return sorted((row for row in self.session.scalars(query) if row.title == title),
                      key=lambda row: (row.decision_date, row.id))

    def count_valid(self, title: str, branch_code: str, on: date) -> int:
        """How many subjects of a branch (e.g. a learning unit's members) hold a title valid on a day."""
        self._custom_plans()
        query = select(func.count(func.distinct(TitleRow.subject_key))).where(
            TitleRow.branch_code == branch_code, TitleRow.title == title, TitleRow.valid_until >= on,
            TitleRow.decision_date <= on)
        return self.session.scalar(query)

    def counted_by_commune(self, province_code: str, year: int) -> list[tuple[str, str, int]]:
        """(commune, title, how many) recognised in each commune of a province for a year, in one query."""
        keys = (TitleRow.commune_code, TitleRow.title)
        query = (select(*keys, func.count()).where(TitleRow.province_code == province_code, TitleRow.year == year)
                 .group_by(*keys))
        return [tuple(row) for row in self.session.execute(query)]

    def of_decision(self, decision_id: int) -> list[TitleRow]:
        return list(self.session.scalars(select(TitleRow).where(TitleRow.decision_id == decision_id)
                                         .order_by(TitleRow.id)))

    def expiring_under(self, unit: UnitRow, start: date, end: date) -> list[TitleRow]:
        """Titles within a unit whose validity ends between two days and that no later title has renewed."""
        later = aliased(TitleRow)
        renewed = select(later.id).where(later.subject_key == TitleRow.subject_key, later.title == TitleRow.title,
                                         later.year > TitleRow.year).exists()
        query = self._within(select(TitleRow), unit, None).where(
            TitleRow.valid_until >= start, TitleRow.valid_until <= end, ~renewed)
        return list(self.session.scalars(query.order_by(TitleRow.valid_until, TitleRow.commune_code, TitleRow.id)))

    def under(self, unit: UnitRow, year: int | None) -> list[TitleRow]:
        """Titles recognised within a unit (the whole country for the ministry), optionally for one year."""
        query = self._within(select(TitleRow), unit, year)
        return list(self.session.scalars(query.order_by(TitleRow.year.desc(), TitleRow.commune_code, TitleRow.id)))

    def streamed_under(self, unit: UnitRow, year: int | None) -> Iterator[TitleRow]:
        """`under`'s titles as the database streams them, a batch at a time (a server-side cursor on PostgreSQL)."""
        query = self._within(select(TitleRow), unit, year).order_by(TitleRow.year.desc(), TitleRow.commune_code,
                                                                    TitleRow.id)
        return iter(self.session.scalars(query.execution_options(yield_per=STREAMED_BATCH)))

    def count_under(self, unit: UnitRow, year: int | None) -> int:
        return self.session.scalar(self._within(select(func.count()).select_from(TitleRow), unit, year))

    def counts_under(self, unit: UnitRow, year: int | None) -> list[tuple[int, str, str, str, int]]:
        """(year, title, province, commune, count) of titles within a unit, counted in the database."""
        keys = (TitleRow.year, TitleRow.title, TitleRow.province_code, TitleRow.commune_code)
        query = self._within(select(*keys, func.count()), unit, year).group_by(*keys)
        return [tuple(row) for row in self.session.execute(query.order_by(TitleRow.year.desc(), *keys[1:]))]

    @staticmethod
    def _within(query, unit: UnitRow, year: int | None):
        column = {UnitLevel.PROVINCE: TitleRow.province_code, UnitLevel.COMMUNE: TitleRow.commune_code,
                  UnitLevel.BRANCH: TitleRow.branch_code}.get(unit.level)
        if column is not None and unit.code != MINISTRY_CODE:
            query = query.where(column == unit.code)
        if year is not None:
            query = query.where(TitleRow.year == year)
        return query
