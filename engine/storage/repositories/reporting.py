"""Queries on reporting periods, the figures reported and the targets."""
from collections.abc import Sequence

from sqlalchemy import func, select

from engine.storage.repositories.base import Repository
from engine.storage.tables import ReportingPeriodRow, ReportValueRow, TargetRow


class ReportingPeriodRepository(Repository[ReportingPeriodRow]):
    row = ReportingPeriodRow

    def add(self, period: ReportingPeriodRow) -> None:
        """Added and flushed: the period's id goes into every report dossier it opens."""
        self.session.add(period)
        self.session.flush()

    def of(self, kind: str, year: int) -> ReportingPeriodRow | None:
        return self.session.scalar(select(ReportingPeriodRow).where(ReportingPeriodRow.kind == kind,
                                                                    ReportingPeriodRow.year == year))


class ReportValueRepository(Repository[ReportValueRow]):
    row = ReportValueRow

    def sums(self, period_id: int, province_code: str | None) -> list[tuple[str, str, bool, int, int]]:
        """(unit, indicator, own, sum, units) per province, or per commune of one province, in one grouped query;
        `own` rows are a province's figures at its own level, the others its communes' (`units` of them)."""
        row = ReportValueRow
        unit = row.province_code if province_code is None else row.unit_code
        own = row.unit_code == row.province_code
        # A unit has one row per indicator (unique), so a plain count is the units: no costly count(distinct).
        query = select(unit, row.indicator, own, func.sum(row.value), func.count()).where(row.period_id == period_id)
        if province_code is not None:
            query = query.where(row.province_code == province_code)
        return [(code, indicator, bool(is_own), int(total), units) for code, indicator, is_own, total, units
                in self.session.execute(query.group_by(unit, row.indicator, own))]


class TargetRepository(Repository[TargetRow]):
    row = TargetRow

    def set_for(self, province_codes: Sequence[str]) -> list[TargetRow]:
        return list(self.session.scalars(select(TargetRow).where(TargetRow.province_code.in_(province_codes))))
