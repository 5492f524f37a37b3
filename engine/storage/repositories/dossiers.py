"""Queries on dossiers, their tasks, history and attachments, as far as the caller's unit reaches."""
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime

from sqlalchemy import and_, case, delete, func, insert, literal, or_, select, union_all
from sqlalchemy.orm import aliased

from engine.model import DossierStatus, InboxFilter, Official, Role, TaskStatus
from engine.search import dossier_number, fold
from engine.storage.repositories.base import Repository
from engine.storage.tables import (AttachmentRow, AuditAnchorRow, AuditArchiveRow, AuditRow, DossierRow,
                                   HumanTaskRow, ProcessVersionRow, UnitRow)


def _visible_to(official: Official, province_code, commune_code, branch_code):
    """The SQL condition limiting rows that carry unit codes to what the official's unit may see."""
    if official.role in (Role.MINISTRY, Role.ADMIN):
        return True
    column = {Role.PROVINCE: province_code, Role.COMMUNE: commune_code, Role.BRANCH: branch_code}.get(official.role)
    if column is None:
        return False
    return column == official.unit_code


class DossierRepository(Repository[DossierRow]):
    row = DossierRow

    def add(self, dossier: DossierRow) -> None:
        """Added and flushed: the dossier's id goes into its tasks and history."""
        self.session.add(dossier)
        self.session.flush()

    def stored_before(self, version: int, after_id: int, limit: int) -> list[DossierRow]:
        """Up to `limit` dossiers whose state is stored in a version before `version`, by id after `after_id`,
        row-locked until commit (a dossier being worked on meanwhile waits for its batch)."""
        query = (select(DossierRow).where(DossierRow.state_version < version, DossierRow.id > after_id)
                 .order_by(DossierRow.id).limit(limit).with_for_update())
        return list(self.session.scalars(query))

    def state_versions(self) -> tuple[int | None, int | None]:
        """The oldest and newest state version stored (two lookups in the state_version index)."""
        return tuple(self.session.execute(select(func.min(DossierRow.state_version),
                                                 func.max(DossierRow.state_version))).one())

    def count(self) -> int:
        return self.session.scalar(select(func.count()).select_from(DossierRow))

    def count_stored_before(self, version: int) -> int:
        return self.session.scalar(select(func.count()).where(DossierRow.state_version < version))

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

    def visible_for_update(self, official: Official,
                           dossier_id: int) -> tuple[DossierRow, ProcessVersionRow] | None:
        """A dossier the official's unit may see, row-locked until commit, with its version (read as the last writer
        left it). Its tasks are locked first, as task_for_update locks a task before its dossier: an official acting on
        the whole dossier and one completing a task of it wait for each other in one order, and never deadlock."""
        self.session.execute(select(HumanTaskRow.id).where(HumanTaskRow.dossier_id == dossier_id).with_for_update())
        query = (select(DossierRow, ProcessVersionRow)
                 .join(ProcessVersionRow, ProcessVersionRow.id == DossierRow.process_version_id)
                 .where(DossierRow.id == dossier_id, _visible_to(official, DossierRow.province_code,
                                                                 DossierRow.commune_code, DossierRow.branch_code))
                 .with_for_update(of=DossierRow).execution_options(populate_existing=True))
        row = self.session.execute(query).first()
        return tuple(row) if row else None

    def of_unit(self, official: Official, limit: int, before: int | None, status: str | None,
                year: int | None) -> list[tuple]:
        """Up to `limit` of the dossiers the official's unit may see, numbered below `before`, newest first: (id, name,
        title, year, status, proposing unit's name and level, updated_at). Read down an index on the unit and id (with the
        year: unit, year and id), so a page costs the same at any depth of a province's 100,000 dossiers."""
        query = (select(DossierRow.id, DossierRow.name, DossierRow.title, DossierRow.year, DossierRow.status,
                        UnitRow.name, UnitRow.level, DossierRow.updated_at)
                 .join(UnitRow, UnitRow.code == DossierRow.branch_code)
                 .where(_visible_to(official, DossierRow.province_code, DossierRow.commune_code,
                                    DossierRow.branch_code)))
        if before is not None:
            query = query.where(DossierRow.id < before)
        if status:
            query = query.where(DossierRow.status == status)
        if year:
            query = query.where(DossierRow.year == year)
        return [tuple(row) for row in self.session.execute(query.order_by(DossierRow.id.desc()).limit(limit))]

    def visible(self, official: Official, dossier_id: int) -> DossierRow | None:
        query = select(DossierRow).where(DossierRow.id == dossier_id, _visible_to(
            official, DossierRow.province_code, DossierRow.commune_code, DossierRow.branch_code))
        return self.session.scalar(query)


class TaskRepository(Repository[HumanTaskRow]):
    row = HumanTaskRow

    @staticmethod
    def _open_for(official: Official):
        return (HumanTaskRow.status == _inline(HumanTaskRow.status, TaskStatus.OPEN.value),
                HumanTaskRow.unit_code == _inline(HumanTaskRow.unit_code, official.unit_code),
                HumanTaskRow.role == _inline(HumanTaskRow.role, str(official.role)))

    def inbox_for(self, official: Official, limit: int, before: tuple[datetime | str, str] | None = None,
                  narrowed: InboxFilter = InboxFilter(), now: datetime | None = None
                  ) -> list[tuple[HumanTaskRow, str, str, str | None, str]]:
        """A page of the official's open tasks (those the filter keeps) with their dossier's title, process, name and
        proposing unit's name, in the filter's order, after the cursor `before` (the sort key's value, task id) of the
        previous page. The page is read from the tasks alone, in an index, by the task's copy of its dossier's values
        (joined to every task as it was read, PostgreSQL misjudging a commune's share of a province's tasks joined a
        thousand dossiers to sort them); only its rows are then joined."""
        key, descending = _sort_key(narrowed.sort)
        query = select(HumanTaskRow).where(*self._open_for(official), *_narrowed(narrowed, now))
        if before is not None:
            value, task_id = _inline(key, before[0]), _inline(HumanTaskRow.id, before[1])
            query = query.where(or_(key < value if descending else key > value,
                                    and_(key == value, HumanTaskRow.id > task_id)))
        task = aliased(HumanTaskRow, _in_order(query, key, descending).limit(_inline(None, limit)).subquery("page"))
        page = (select(task, task.dossier_title, ProcessVersionRow.process_id, task.dossier_name, UnitRow.name,
                       UnitRow.level)
                .join(DossierRow, DossierRow.id == task.dossier_id)
                .join(ProcessVersionRow, ProcessVersionRow.id == DossierRow.process_version_id)
                .join(UnitRow, UnitRow.code == task.branch_code))
        return [tuple(row) for row in self.session.execute(_in_order(page, _sort_key(narrowed.sort, task)[0],
                                                                      descending, task))]

    def count_open_for(self, official: Official, narrowed: InboxFilter = InboxFilter(),
                       now: datetime | None = None, up_to: int | None = None) -> int:
        """How many open tasks of the official the filter keeps, counted no further than `up_to`: a count of a LIMIT
        subquery reads at most that many rows, however many there are. In the page's order: the rows are then found
        as the page finds them, in the same index, without a dossier read."""
        key, descending = _sort_key(narrowed.sort)
        query = (select(HumanTaskRow.id).where(*self._open_for(official), *_narrowed(narrowed, now))
                 .order_by(key.desc() if descending else key))
        if up_to is not None:
            query = query.limit(_inline(None, up_to))
        return self.session.scalar(select(func.count()).select_from(query.subquery()))

    def open_step_counts(self, bpmn_id: str, title: str, year: int, now: datetime,
                         province_code: str | None) -> dict[str, tuple[int, int]]:
        """{unit: (open, overdue)} for one step of one kind and year's dossiers: per province, or per commune of one
        province."""
        unit = DossierRow.province_code if province_code is None else HumanTaskRow.unit_code
        overdue = func.sum(case((HumanTaskRow.due_at < now, 1), else_=0))
        query = _of_step(select(unit, func.count(), overdue), TaskStatus.OPEN, bpmn_id, title, year, province_code)
        return {code: (opened, late or 0) for code, opened, late in self.session.execute(query.group_by(unit))}

    def units_reached(self, bpmn_id: str, title: str, year: int, province_code: str | None) -> set[str]:
        """The provinces (or, of one province, the communes) with a task of this step, open or done, on the dossiers
        of one kind and year: those whose communes were asked."""
        unit = DossierRow.province_code if province_code is None else HumanTaskRow.unit_code
        query = select(unit).distinct().select_from(HumanTaskRow).join(
            DossierRow, DossierRow.id == HumanTaskRow.dossier_id).where(
            HumanTaskRow.bpmn_id == bpmn_id, DossierRow.title == title, DossierRow.year == year)
        if province_code is not None:
            query = query.where(DossierRow.province_code == province_code)
        return set(self.session.scalars(query))

    def completed_step_times(self, bpmn_id: str, title: str, year: int,
                             province_code: str | None) -> dict[str, datetime]:
        """{province: when its dossier of this kind and year completed the step}, of every province or of one."""
        query = _of_step(select(DossierRow.province_code, func.max(HumanTaskRow.completed_at)), TaskStatus.COMPLETED,
                         bpmn_id, title, year, province_code)
        return dict(self.session.execute(query.group_by(DossierRow.province_code)).all())

    def of_dossier(self, dossier_id: int) -> list[HumanTaskRow]:
        """Every task the dossier has had, open, done or cancelled, oldest first."""
        query = select(HumanTaskRow).where(HumanTaskRow.dossier_id == dossier_id)
        return sorted(self.session.scalars(query), key=lambda task: task.created_at)

    def of_dossiers_with_units(self, dossier_ids: Sequence[int]) -> list[tuple[int, str, str, str, str, datetime]]:
        """(dossier id, status, step name, holding unit's name and level, opened at) of every task of these dossiers,
        oldest first. Only the dossiers in SQL, as open_for_dossier says why."""
        query = (select(HumanTaskRow.dossier_id, HumanTaskRow.status, HumanTaskRow.name, UnitRow.name, UnitRow.level,
                        HumanTaskRow.created_at)
                 .join(UnitRow, UnitRow.code == HumanTaskRow.unit_code)
                 .where(HumanTaskRow.dossier_id.in_(dossier_ids)).order_by(HumanTaskRow.created_at))
        return [tuple(row) for row in self.session.execute(query)] if dossier_ids else []

    def open_for_dossier(self, dossier_id: int) -> list[HumanTaskRow]:
        # Only the dossier in SQL: a cached generic plan made on stale statistics could otherwise pick the inbox
        # index (status first) and read every open task in the country; a dossier has a handful of tasks.
        query = select(HumanTaskRow).where(HumanTaskRow.dossier_id == dossier_id)
        return sorted((task for task in self.session.scalars(query) if task.status == TaskStatus.OPEN),
                      key=lambda task: task.created_at)


def _inline(column, value):
    """`value` written into the inbox's SQL as `column` stores it, not bound. A province holds a hundred thousand open
    tasks and a branch a few, a common name matches most dossiers and a rare one five: a prepared statement's generic
    plan, made for average values, walked a province's whole inbox for a branch's dossiers or a rare name (1 to 2 s).
    With the values in the SQL, each is planned for what it matches."""
    return literal(value, None if column is None else column.type, literal_execute=True)


# The sort key of each order of the inbox, and whether it runs downwards; a task without a deadline sorts after every
# deadline, a dossier without a name before every name. The constants are written into the SQL, not bound: each key is
# then the expression an index of PostgreSQL's holds (ix_human_tasks_inbox_due, ix_human_tasks_open_name), read in
# order.
NO_DEADLINE = datetime(9999, 12, 31, tzinfo=UTC)


def _sort_key(sort: str, task=HumanTaskRow) -> tuple:
    """The order's key on `task` (the tasks, or a page of them) and whether it runs downwards."""
    if sort == "due":
        return func.coalesce(task.due_at, _inline(HumanTaskRow.due_at, NO_DEADLINE)), False
    if sort == "name":
        return func.coalesce(task.dossier_name, _inline(HumanTaskRow.dossier_name, "")), False
    return task.created_at, True


def _in_order(query, key, descending: bool, task=HumanTaskRow):
    """The query in the inbox's order: its key, then the task's id (the ties of a moment or a name)."""
    return query.order_by(key.desc() if descending else key, task.id)


def _narrowed(narrowed: InboxFilter, now: datetime | None) -> list:
    """The conditions of an inbox filter, on the tasks' copy of their dossiers' values."""
    conditions = []
    if narrowed.text:
        words = fold(narrowed.text)
        number = dossier_number(words)
        if number is None:
            conditions.append(_found(words))
        else:
            numbered = HumanTaskRow.dossier_id == _inline(HumanTaskRow.dossier_id, number[0])
            conditions.append(numbered if number[1] else or_(numbered, _found(words)))
    for value, column in ((narrowed.title, HumanTaskRow.dossier_title), (narrowed.year, HumanTaskRow.dossier_year),
                          (narrowed.step, HumanTaskRow.bpmn_id)):
        if value:
            conditions.append(column == _inline(column, value))
    if narrowed.unit:
        # A branch's code is its commune's, a dash and a number (a commune proposing stands as its own branch): one
        # column each, so an index of either finds the dossiers (an OR of both was a scan of the whole inbox).
        column = HumanTaskRow.branch_code if "-" in narrowed.unit else HumanTaskRow.commune_code
        conditions.append(column == _inline(column, narrowed.unit))
    if narrowed.overdue:
        conditions.append(HumanTaskRow.due_at < _inline(HumanTaskRow.due_at, now))
    if narrowed.returned:
        conditions.append(HumanTaskRow.return_reason.is_not(None))
    return conditions


def _found(words: str):
    """The tasks whose search text holds the folded words, LIKE's wildcards in them matched as typed. Also asked of
    the text with its words run together, which the trigram index holds (ix_human_tasks_open_text): the search's
    trigrams then span its words ("la ngoc ha": "ang", "och"), and the index finds the few hundred tasks holding them
    all, not the thousands holding each word."""
    escaped = words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    joined = func.replace(HumanTaskRow.search_text, _inline(None, " "), _inline(None, ""))
    return and_(HumanTaskRow.search_text.like(_inline(HumanTaskRow.search_text, f"%{escaped}%"), escape="\\"),
                joined.like(_inline(HumanTaskRow.search_text, f"%{escaped.replace(' ', '')}%"), escape="\\"))


def _of_step(query, status: str, bpmn_id: str, title: str, year: int, province_code: str | None):
    """Tasks of one step in one status, on the dossiers of one kind and year (of one province, if given): found by
    the step index, a few thousand among every task of the year."""
    query = query.join(DossierRow, DossierRow.id == HumanTaskRow.dossier_id).where(
        HumanTaskRow.status == status, HumanTaskRow.bpmn_id == bpmn_id, DossierRow.title == title,
        DossierRow.year == year)
    return query if province_code is None else query.where(DossierRow.province_code == province_code)


class AuditRepository(Repository[AuditRow]):
    """The audit log: live rows, archived rows (read as one history with them) and the daily anchors."""

    row = AuditRow

    def for_dossier(self, dossier_id: int) -> list[AuditRow | AuditArchiveRow]:
        """The dossier's whole history, archived rows first (they are the older)."""
        return [row for table in (AuditArchiveRow, AuditRow)
                for row in self.session.scalars(select(table).where(table.dossier_id == dossier_id).order_by(table.id))]

    def dossiers_after(self, after: int, limit: int, province_code: str | None,
                       since: datetime | None) -> list[tuple[int, str | None]]:
        """A page of dossiers after `after` (id, the head of its chain): all, of one province, or with a row written
        at or after `since`."""
        query = select(DossierRow.id, DossierRow.audit_head).where(DossierRow.id > after)
        if province_code is not None:
            query = query.where(DossierRow.province_code == province_code)
        if since is not None:
            query = query.where(or_(*(select(table.id).where(table.dossier_id == DossierRow.id, table.at >= since)
                                      .exists() for table in (AuditRow, AuditArchiveRow))))
        return [tuple(row) for row in self.session.execute(query.order_by(DossierRow.id).limit(limit))]

    def chains_of(self, dossier_ids: Sequence[int]):
        """The rows of these dossiers, archived and live, by dossier then id: Core rows with every column."""
        both = _both_tables(lambda table: table.dossier_id.in_(dossier_ids))
        return self.session.execute(select(both).order_by(both.c.dossier_id, both.c.id))

    def hashes_of(self, row_ids: Sequence[int]) -> dict[int, tuple[int, str]]:
        """{row id: (dossier id, row hash)} of these rows, archived or live."""
        both = _both_tables(lambda table: table.id.in_(row_ids))
        return {row.id: (row.dossier_id, row.row_hash) for row in self.session.execute(select(both))}

    def first_moment(self) -> datetime | None:
        """When the oldest row, archived or live, was written."""
        moments = [self.session.scalar(select(func.min(table.at))) for table in (AuditRow, AuditArchiveRow)]
        return min((moment for moment in moments if moment is not None), default=None)

    def heads_between(self, start: datetime, end: datetime) -> dict[str, dict[str, dict]]:
        """{province: {dossier id: {"row": id, "hash": row hash}}}: each dossier's last row written in [start, end)."""
        both = _both_tables(lambda table: (table.at >= start) & (table.at < end))
        latest = func.row_number().over(partition_by=both.c.dossier_id, order_by=both.c.id.desc())
        ranked = (select(DossierRow.province_code, both.c.dossier_id, both.c.id, both.c.row_hash, latest.label("rank"))
                  .join(DossierRow, DossierRow.id == both.c.dossier_id).subquery())
        query = select(ranked.c.province_code, ranked.c.dossier_id, ranked.c.id, ranked.c.row_hash).where(
            ranked.c.rank == 1)
        heads: dict[str, dict[str, dict]] = {}
        for province, dossier_id, row_id, row_hash in self.session.execute(query):
            heads.setdefault(province, {})[str(dossier_id)] = {"row": row_id, "hash": row_hash}
        return heads

    def anchored_days(self) -> set[date]:
        return set(self.session.scalars(select(AuditAnchorRow.day).distinct()))

    def anchored_provinces(self, day: date) -> set[str]:
        return set(self.session.scalars(select(AuditAnchorRow.province_code).where(AuditAnchorRow.day == day)))

    def last_anchor_hash(self, province_code: str) -> str | None:
        query = (select(AuditAnchorRow.anchor_hash).where(AuditAnchorRow.province_code == province_code)
                 .order_by(AuditAnchorRow.id.desc()).limit(1))
        return self.session.scalar(query)

    def add_anchor(self, anchor: AuditAnchorRow) -> None:
        self.session.add(anchor)

    def anchors(self, province_code: str | None) -> Iterator[AuditAnchorRow]:
        """Every anchor (of one province), each province's in the order they were made, streamed."""
        query = select(AuditAnchorRow).order_by(AuditAnchorRow.province_code, AuditAnchorRow.id)
        if province_code is not None:
            query = query.where(AuditAnchorRow.province_code == province_code)
        return self.session.scalars(query.execution_options(yield_per=100))

    def live_before(self, moment: datetime, limit: int) -> list[int]:
        """Ids of up to `limit` live rows written before `moment`, oldest first."""
        query = select(AuditRow.id).where(AuditRow.at < moment).order_by(AuditRow.id).limit(limit)
        return list(self.session.scalars(query))

    def archive(self, row_ids: Sequence[int]) -> None:
        """Copy these live rows to the archive, then delete them (the trigger lets only archived rows go)."""
        columns = [column.name for column in AuditRow.__table__.columns]
        copied = select(*(AuditRow.__table__.c[name] for name in columns)).where(AuditRow.id.in_(row_ids))
        self.session.execute(insert(AuditArchiveRow.__table__).from_select(columns, copied))
        self.session.execute(delete(AuditRow.__table__).where(AuditRow.id.in_(row_ids)))


def _both_tables(condition):
    """Archived and live audit rows meeting `condition(table)`, as one subquery with the tables' columns and
    `archived` (whether the row is in the archive)."""
    return union_all(*(select(table.__table__, literal(table is AuditArchiveRow).label("archived"))
                       .where(condition(table)) for table in (AuditArchiveRow, AuditRow))).subquery()


class AttachmentRepository(Repository[AttachmentRow]):
    row = AttachmentRow

    def add_all(self, attachments: Sequence[AttachmentRow]) -> None:
        self.session.add_all(attachments)
        self.session.flush()

    def of_dossier(self, dossier_id: int) -> dict[int, AttachmentRow]:
        query = select(AttachmentRow).where(AttachmentRow.dossier_id == dossier_id)
        return {row.id: row for row in self.session.scalars(query)}
