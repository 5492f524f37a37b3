"""Repositories: every query of the engine lives here, scoped by the caller's unit where it reads for one."""
from collections.abc import Sequence

from datetime import date, datetime

from sqlalchemy import and_, case, func, or_, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from engine.model import MINISTRY_CODE, DossierStatus, Official, Role, TaskStatus, UnitLevel
from engine.orm import (AttachmentRow, AuditRow, DecisionTableRow, DossierRow, HumanTaskRow, ProcessVersionRow,
                        RecognitionDecisionRow, ReportValueRow, ReportingPeriodRow, TargetRow, TitleRow, UnitRow,
                        UserRow)


class UnitRepository:
    def __init__(self, session: Session):
        self.session = session

    def get(self, code: str) -> UnitRow | None:
        return self.session.get(UnitRow, code)

    def add(self, unit: UnitRow) -> None:
        self.session.add(unit)

    def add_all(self, units: Sequence[UnitRow]) -> None:
        self.session.add_all(units)

    def commune_counts(self) -> dict[str, int]:
        """How many communes each province has."""
        query = (select(UnitRow.parent_code, func.count()).where(UnitRow.level == UnitLevel.COMMUNE)
                 .group_by(UnitRow.parent_code))
        return dict(self.session.execute(query).all())

    def provinces(self) -> list[UnitRow]:
        return list(self.session.scalars(select(UnitRow).where(UnitRow.level == UnitLevel.PROVINCE)
                                         .order_by(UnitRow.code)))

    def communes_of(self, province_code: str) -> list[UnitRow]:
        query = select(UnitRow).where(UnitRow.parent_code == province_code, UnitRow.level == UnitLevel.COMMUNE)
        return list(self.session.scalars(query.order_by(UnitRow.code)))

    def branches_of(self, commune_code: str) -> list[UnitRow]:
        query = select(UnitRow).where(UnitRow.parent_code == commune_code, UnitRow.level == UnitLevel.BRANCH)
        return list(self.session.scalars(query.order_by(UnitRow.code)))


class UserRepository:
    def __init__(self, session: Session):
        self.session = session

    def get(self, username: str) -> UserRow | None:
        return self.session.scalar(select(UserRow).where(UserRow.username == username))

    def add(self, user: UserRow) -> None:
        self.session.add(user)


class ProcessRepository:
    def __init__(self, session: Session):
        self.session = session

    def latest(self, process_id: str) -> ProcessVersionRow | None:
        query = select(ProcessVersionRow).where(ProcessVersionRow.process_id == process_id)
        return self.session.scalar(query.order_by(ProcessVersionRow.version.desc()).limit(1))

    def by_hash(self, process_id: str, content_hash: str) -> ProcessVersionRow | None:
        return self.session.scalar(select(ProcessVersionRow).where(
            ProcessVersionRow.process_id == process_id, ProcessVersionRow.content_hash == content_hash))

    def get(self, version_id: int) -> ProcessVersionRow | None:
        return self.session.get(ProcessVersionRow, version_id)

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

    def add(self, version: ProcessVersionRow) -> None:
        self.session.add(version)


def _visible_to(official: Official, province_code, commune_code, branch_code):
    """The SQL condition limiting rows that carry unit codes to what the official's unit may see."""
    if official.role in (Role.MINISTRY, Role.ADMIN):
        return True
    column = {Role.PROVINCE: province_code, Role.COMMUNE: commune_code, Role.BRANCH: branch_code}.get(official.role)
    if column is None:
        return False
    return column == official.unit_code


class DecisionTableRepository:
    def __init__(self, session: Session):
        self.session = session

    def add(self, table: DecisionTableRow) -> None:
        self.session.add(table)

    def get(self, table_id: int) -> DecisionTableRow | None:
        return self.session.get(DecisionTableRow, table_id)

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


class DossierRepository:
    def __init__(self, session: Session):
        self.session = session

    def add(self, dossier: DossierRow) -> None:
        self.session.add(dossier)
        self.session.flush()

    def get(self, dossier_id: int) -> DossierRow | None:
        return self.session.get(DossierRow, dossier_id)

    def task_for_update(self, task_id: str) -> tuple[HumanTaskRow, DossierRow, ProcessVersionRow] | None:
        """A task and its dossier, both row-locked until commit, with the dossier's process version, in one round
        trip: officials acting on one dossier at once are served one by one, and the second reads the task as
        the first left it."""
        query = (select(HumanTaskRow, DossierRow, ProcessVersionRow)
                 .join(DossierRow, DossierRow.id == HumanTaskRow.dossier_id)
                 .join(ProcessVersionRow, ProcessVersionRow.id == DossierRow.process_version_id)
                 .where(HumanTaskRow.id == task_id).with_for_update(of=(HumanTaskRow, DossierRow))
                 .execution_options(populate_existing=True))
        row = self.session.execute(query).first()
        return tuple(row) if row else None

    def running_before(self, process_id: str, version: int, lock: bool) -> list[tuple[DossierRow, ProcessVersionRow]]:
        """Dossiers still running on an older version of a process, with their version; row-locked if `lock`."""
        query = (select(DossierRow, ProcessVersionRow)
                 .join(ProcessVersionRow, ProcessVersionRow.id == DossierRow.process_version_id)
                 .where(ProcessVersionRow.process_id == process_id, ProcessVersionRow.version < version,
                        DossierRow.status == DossierStatus.IN_PROGRESS).order_by(DossierRow.id))
        if lock:
            query = query.with_for_update(of=DossierRow)
        return [tuple(row) for row in self.session.execute(query)]

    def counts_by_version(self) -> dict[int, dict[str, int]]:
        """{version: {status: how many dossiers}}, counted from an index."""
        query = (select(DossierRow.process_version_id, DossierRow.status, func.count())
                 .group_by(DossierRow.process_version_id, DossierRow.status))
        counts: dict[int, dict[str, int]] = {}
        for version_id, status, count in self.session.execute(query):
            counts.setdefault(version_id, {})[status] = count
        return counts

    def timers_due(self, now: datetime, limit: int) -> list[int]:
        """Dossiers with a timer past due at `now` (a timer fires once its time is past, as Spiff's do), the
        earliest first: read from the due-time index alone."""
        query = (select(DossierRow.id).where(DossierRow.timer_due_at < now)
                 .order_by(DossierRow.timer_due_at).limit(limit))
        return list(self.session.scalars(query))

    def due_for_update(self, dossier_id: int, now: datetime) -> tuple[DossierRow, ProcessVersionRow] | None:
        """A dossier still past due at `now`, row-locked with its version; None if another transaction holds it."""
        query = (select(DossierRow, ProcessVersionRow)
                 .join(ProcessVersionRow, ProcessVersionRow.id == DossierRow.process_version_id)
                 .where(DossierRow.id == dossier_id, DossierRow.timer_due_at < now)
                 .with_for_update(of=DossierRow, skip_locked=True))
        row = self.session.execute(query).first()
        return tuple(row) if row else None

    def visible(self, official: Official, dossier_id: int) -> DossierRow | None:
        query = select(DossierRow).where(DossierRow.id == dossier_id, _visible_to(
            official, DossierRow.province_code, DossierRow.commune_code, DossierRow.branch_code))
        return self.session.scalar(query)


class TaskRepository:
    def __init__(self, session: Session):
        self.session = session

    def add_all(self, tasks: Sequence[HumanTaskRow]) -> None:
        self.session.add_all(tasks)

    def get(self, task_id: str) -> HumanTaskRow | None:
        return self.session.get(HumanTaskRow, task_id)

    @staticmethod
    def _open_for(official: Official):
        return (HumanTaskRow.status == TaskStatus.OPEN, HumanTaskRow.unit_code == official.unit_code,
                HumanTaskRow.role == official.role)

    def inbox_for(self, official: Official, limit: int,
                  before: tuple[datetime, str] | None = None) -> list[tuple[HumanTaskRow, str, str]]:
        """A page of the official's open tasks with their dossier's title and process, newest first, after the
        cursor `before` (created_at, id) of the previous page: one indexed query, no workflow loaded."""
        query = (select(HumanTaskRow, DossierRow.title, ProcessVersionRow.process_id)
                 .join(DossierRow, DossierRow.id == HumanTaskRow.dossier_id)
                 .join(ProcessVersionRow, ProcessVersionRow.id == DossierRow.process_version_id)
                 .where(*self._open_for(official)))
        if before is not None:
            moment, task_id = before
            query = query.where(or_(HumanTaskRow.created_at < moment,
                                    and_(HumanTaskRow.created_at == moment, HumanTaskRow.id > task_id)))
        query = query.order_by(HumanTaskRow.created_at.desc(), HumanTaskRow.id).limit(limit)
        return [tuple(row) for row in self.session.execute(query)]

    def count_open_for(self, official: Official) -> int:
        return self.session.scalar(select(func.count()).select_from(HumanTaskRow).where(*self._open_for(official)))

    def open_step_counts(self, bpmn_id: str, title: str, year: int, now: datetime,
                         province_code: str | None) -> dict[str, tuple[int, int]]:
        """{unit: (open, overdue)} for one step of one kind and year's dossiers: per province, or per commune of one
        province."""
        unit = DossierRow.province_code if province_code is None else HumanTaskRow.unit_code
        overdue = func.sum(case((HumanTaskRow.due_at < now, 1), else_=0))
        query = _of_step(select(unit, func.count(), overdue), TaskStatus.OPEN, bpmn_id, title, year, province_code)
        return {code: (opened, late or 0) for code, opened, late in self.session.execute(query.group_by(unit))}

    def completed_step_times(self, bpmn_id: str, title: str, year: int,
                             province_code: str | None) -> dict[str, datetime]:
        """{province: when its dossier of this kind and year completed the step}, of every province or of one."""
        query = _of_step(select(DossierRow.province_code, func.max(HumanTaskRow.completed_at)), TaskStatus.COMPLETED,
                         bpmn_id, title, year, province_code)
        return dict(self.session.execute(query.group_by(DossierRow.province_code)).all())

    def open_for_dossier(self, dossier_id: int) -> list[HumanTaskRow]:
        # Only the dossier in SQL: a cached generic plan made on stale statistics could otherwise pick the inbox
        # index (status first) and read every open task in the country; a dossier has a handful of tasks.
        query = select(HumanTaskRow).where(HumanTaskRow.dossier_id == dossier_id)
        return sorted((task for task in self.session.scalars(query) if task.status == TaskStatus.OPEN),
                      key=lambda task: task.created_at)


def _of_step(query, status: str, bpmn_id: str, title: str, year: int, province_code: str | None):
    """Tasks of one step in one status, on the dossiers of one kind and year (of one province, if given): found by
    the step index, a few thousand among every task of the year."""
    query = query.join(DossierRow, DossierRow.id == HumanTaskRow.dossier_id).where(
        HumanTaskRow.status == status, HumanTaskRow.bpmn_id == bpmn_id, DossierRow.title == title,
        DossierRow.year == year)
    return query if province_code is None else query.where(DossierRow.province_code == province_code)


class AuditRepository:
    def __init__(self, session: Session):
        self.session = session

    def add(self, entry: AuditRow) -> None:
        self.session.add(entry)

    def for_dossier(self, dossier_id: int) -> list[AuditRow]:
        query = select(AuditRow).where(AuditRow.dossier_id == dossier_id).order_by(AuditRow.id)
        return list(self.session.scalars(query))


class RecognitionDecisionRepository:
    def __init__(self, session: Session):
        self.session = session

    def add(self, decision: RecognitionDecisionRow) -> bool:
        """Insert a new decision now; False if a concurrent transaction took its number first (the rest of the
        caller's transaction is untouched)."""
        try:
            with self.session.begin_nested():
                self.session.add(decision)
        except IntegrityError:
            return False
        return True

    def get(self, decision_id: int) -> RecognitionDecisionRow | None:
        return self.session.get(RecognitionDecisionRow, decision_id)

    def by_number(self, deciding_unit: str, number: str, year: int) -> RecognitionDecisionRow | None:
        return self.session.scalar(select(RecognitionDecisionRow).where(
            RecognitionDecisionRow.deciding_unit == deciding_unit, RecognitionDecisionRow.number == number,
            RecognitionDecisionRow.year == year))


class ReportingPeriodRepository:
    def __init__(self, session: Session):
        self.session = session

    def add(self, period: ReportingPeriodRow) -> None:
        self.session.add(period)
        self.session.flush()

    def of(self, kind: str, year: int) -> ReportingPeriodRow | None:
        return self.session.scalar(select(ReportingPeriodRow).where(ReportingPeriodRow.kind == kind,
                                                                    ReportingPeriodRow.year == year))


class ReportValueRepository:
    def __init__(self, session: Session):
        self.session = session

    def add_all(self, values: Sequence[ReportValueRow]) -> None:
        self.session.add_all(values)

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


class TargetRepository:
    def __init__(self, session: Session):
        self.session = session

    def add(self, target: TargetRow) -> None:
        self.session.add(target)

    def set_for(self, province_codes: Sequence[str]) -> list[TargetRow]:
        return list(self.session.scalars(select(TargetRow).where(TargetRow.province_code.in_(province_codes))))


class AttachmentRepository:
    def __init__(self, session: Session):
        self.session = session

    def add_all(self, attachments: Sequence[AttachmentRow]) -> None:
        self.session.add_all(attachments)
        self.session.flush()

    def get(self, attachment_id: int) -> AttachmentRow | None:
        return self.session.get(AttachmentRow, attachment_id)

    def of_dossier(self, dossier_id: int) -> dict[int, AttachmentRow]:
        query = select(AttachmentRow).where(AttachmentRow.dossier_id == dossier_id)
        return {row.id: row for row in self.session.scalars(query)}


class TitleRepository:
    def __init__(self, session: Session):
        self.session = session

    def add_all(self, titles: Sequence[TitleRow]) -> None:
        self.session.add_all(titles)

    def get(self, title_id: int) -> TitleRow | None:
        return self.session.get(TitleRow, title_id)

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
