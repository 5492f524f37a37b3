"""Queries on deployed process versions and decision tables."""


from sqlalchemy import func, select

from engine.model import MINISTRY_CODE, Role
from engine.storage.repositories.base import Repository
from engine.storage.tables import DecisionTableRow, ProcessVersionRow


class ProcessRepository(Repository[ProcessVersionRow]):
    row = ProcessVersionRow

    def stored_before(self, version: int) -> list[ProcessVersionRow]:
        """Every process version whose spec is stored in a version before `version`, row-locked until commit."""
        query = select(ProcessVersionRow).where(ProcessVersionRow.state_version < version)
        return list(self.session.scalars(query.order_by(ProcessVersionRow.id).with_for_update()))

    def state_versions(self) -> tuple[int | None, int | None]:
        """The oldest and newest state version a spec is stored in."""
        return tuple(self.session.execute(select(func.min(ProcessVersionRow.state_version),
                                                 func.max(ProcessVersionRow.state_version))).one())

    def latest(self, process_id: str) -> ProcessVersionRow | None:
        query = select(ProcessVersionRow).where(ProcessVersionRow.process_id == process_id)
        return self.session.scalar(query.order_by(ProcessVersionRow.version.desc()).limit(1))

    def by_hash(self, process_id: str, content_hash: str) -> ProcessVersionRow | None:
        return self.session.scalar(select(ProcessVersionRow).where(
            ProcessVersionRow.process_id == process_id, ProcessVersionRow.content_hash == content_hash))

    def latest_for_kind(self, kind: str, starter: Role = Role.PROVINCE) -> ProcessVersionRow | None:
        """The newest version of a kind of report's process that starts in the lane of `starter` (its `report`
        property names the kind: the province's part, the communes' part, the ministry's national compilation)."""
        return next((v for v in self.latest_of_each()
                     if v.properties.get("report") == kind and v.starter_role == starter), None)

    def numbered(self, process_id: str, version: int) -> ProcessVersionRow | None:
        return self.session.scalar(select(ProcessVersionRow).where(ProcessVersionRow.process_id == process_id,
                                                                   ProcessVersionRow.version == version))

    def every_version(self) -> list[ProcessVersionRow]:
        query = select(ProcessVersionRow).order_by(ProcessVersionRow.process_id, ProcessVersionRow.version.desc())
        return list(self.session.scalars(query))

    def latest_of_each(self) -> list[ProcessVersionRow]:
        newest = (select(ProcessVersionRow.process_id, func.max(ProcessVersionRow.version).label("version"))
                  .group_by(ProcessVersionRow.process_id).subquery())
        query = select(ProcessVersionRow).join(newest, (ProcessVersionRow.process_id == newest.c.process_id)
                                               & (ProcessVersionRow.version == newest.c.version))
        return list(self.session.scalars(query.order_by(ProcessVersionRow.process_id)))


class DecisionTableRepository(Repository[DecisionTableRow]):
    row = DecisionTableRow

    def latest(self, decision_id: str, province_code: str) -> DecisionTableRow | None:
        query = select(DecisionTableRow).where(DecisionTableRow.decision_id == decision_id,
                                               DecisionTableRow.province_code == province_code)
        return self.session.scalar(query.order_by(DecisionTableRow.version.desc()).limit(1))

    def in_force(self, decision_ids: list[str], province_code: str) -> dict[str, DecisionTableRow]:
        """For each decision, the province's own newest table, else the national newest: one query."""
        query = (select(DecisionTableRow)
                 .where(DecisionTableRow.decision_id.in_(decision_ids),
                        DecisionTableRow.province_code.in_((province_code, MINISTRY_CODE)))
                 .order_by(DecisionTableRow.province_code == MINISTRY_CODE, DecisionTableRow.version.desc()))
        found = {}
        for table in self.session.scalars(query):
            found.setdefault(table.decision_id, table)
        return found
