"""Tables. A dossier row carries its workflow state without the process spec, which is stored once per version."""
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (JSON, BigInteger, Date, DateTime, ForeignKey, Index, Integer, LargeBinary, String, Text,
                        UniqueConstraint, literal_column, text)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator):
    """Aware UTC datetimes on every database: SQLite would hand back naive ones."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime: pass an aware UTC datetime")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, datetime: UtcDateTime()}


# The inbox's missing deadline (repositories.dossiers.NO_DEADLINE) in an index, as PostgreSQL writes it back.
NO_DEADLINE_SQL = "9999-12-31 00:00:00+00"
# The inbox's partial indexes hold open tasks only (its SQL writes the status, which a done task's row leaves).
OPEN = text("status = 'open'")
OPEN_WITH_DEADLINE = text("status = 'open' AND due_at IS NOT NULL")

# SQLite has no BIGINT autoincrement; PostgreSQL needs BIGINT for tens of millions of rows a year.
BigId = BigInteger().with_variant(Integer, "sqlite")


class UnitRow(Base):
    __tablename__ = "units"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(16))
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("units.code"), index=True)
    province_code: Mapped[str | None] = mapped_column(String(16))
    # Branches only: a village's chi hội or a learning unit (agency, school, enterprise), engine.model.BranchKind.
    kind: Mapped[str | None] = mapped_column(String(16))


class UserRow(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(16))
    unit_code: Mapped[str] = mapped_column(ForeignKey("units.code"))
    full_name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime]
    disabled_at: Mapped[datetime | None]  # a disabled account signs in no more and its sessions end


class ApiTokenRow(Base):
    """A program's credential: `lmt_<id>_<secret>`; only the secret's SHA-256 is kept, so a leaked table opens
    nothing, and a fast hash suffices for 256 random bits (no slow hash on every request)."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    scopes: Mapped[str] = mapped_column(String(32))  # space-separated: read, act, deploy
    secret_hash: Mapped[str] = mapped_column(String(64))
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class SignInRow(Base):
    """A session of an official, named by the cookie: kept here so that signing out, changing the password or
    disabling the account ends it on the server, not only in that browser."""

    __tablename__ = "sign_ins"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # SHA-256 of the secret the cookie holds
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class ProcessVersionRow(Base):
    __tablename__ = "process_versions"
    __table_args__ = (
        UniqueConstraint("process_id", "version"),
        UniqueConstraint("process_id", "content_hash"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200))
    version: Mapped[int]
    content_hash: Mapped[str] = mapped_column(String(64))
    # The titles a dossier of this process may propose, space-separated; a dossier picks one when it opens.
    title: Mapped[str] = mapped_column(String(200))
    starter_role: Mapped[str] = mapped_column(String(16))
    diagram_file: Mapped[str] = mapped_column(String(200))
    # Decision tables the process evaluates: resolved (province's own, else national) when a dossier starts.
    decisions: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The process's own properties from the diagram, e.g. title, candidate_decision.
    properties: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # The source files as deployed (diagrams and forms), to show and to re-parse.
    # Loaded only when first needed: a process's built spec and forms are cached per version.
    files: Mapped[dict[str, Any]] = mapped_column(deferred=True)
    # The serialized process spec and the specs it calls, so loading a dossier never re-parses XML.
    spec: Mapped[dict[str, Any]] = mapped_column(deferred=True)
    state_version: Mapped[int]  # the shape `spec` is stored in, as a dossier's state_version
    deployed_at: Mapped[datetime]
    deployed_by: Mapped[str] = mapped_column(String(80))


class DecisionTableRow(Base):
    """A decision table (DMN) as loaded: national (no province) or a province's own, versioned per decision."""

    __tablename__ = "decision_tables"
    __table_args__ = (
        UniqueConstraint("decision_id", "province_code", "version", name="uq_decision_tables_version"),
        Index("ix_decision_tables_lookup", "decision_id", "province_code", "version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200))
    # The ministry's code (VN) for the national table, used by every province that has not loaded its own.
    province_code: Mapped[str] = mapped_column(String(16))
    version: Mapped[int]
    content_hash: Mapped[str] = mapped_column(String(64))
    file_name: Mapped[str] = mapped_column(String(200))
    dmn: Mapped[str] = mapped_column(Text, deferred=True)
    loaded_at: Mapped[datetime]
    loaded_by: Mapped[str] = mapped_column(String(80))


class DossierRow(Base):
    __tablename__ = "dossiers"
    __table_args__ = (
        # "Hồ sơ của đơn vị" pages a unit's dossiers newest first, by status and year: down these, never past a page
        # (each a dossier's every save writes to: the branch's also serves what branch_code alone was indexed for).
        Index("ix_dossiers_branch_id", "branch_code", "id"),
        Index("ix_dossiers_commune_id", "commune_code", "id"),
        Index("ix_dossiers_province_id", "province_code", "id"),
        Index("ix_dossiers_commune_year", "commune_code", "year", "id"),
        Index("ix_dossiers_province_year", "province_code", "year", "id"),
        # The designers' page counts each version's dossiers by status without reading them.
        Index("ix_dossiers_version_status", "process_version_id", "status"),
        # The start-up check reads the oldest and newest state version stored without scanning the table.
        Index("ix_dossiers_state_version", "state_version"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    process_version_id: Mapped[int] = mapped_column(ForeignKey("process_versions.id"))
    title: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    year: Mapped[int]
    branch_code: Mapped[str] = mapped_column(ForeignKey("units.code"))  # indexed with the id: ix_dossiers_branch_id
    commune_code: Mapped[str] = mapped_column(String(16))
    province_code: Mapped[str] = mapped_column(String(16))
    data: Mapped[dict[str, Any]]
    # The decision tables this dossier runs with, pinned when it started:
    # {decision id: {"id": decision_tables.id, "hash": content hash, "province": whose, "version": which}}.
    decision_tables: Mapped[dict[str, Any]] = mapped_column(default=dict)
    state: Mapped[bytes] = mapped_column(LargeBinary)
    # The shape `state` is stored in (engine.workflow.serializing.STATE_VERSION when written); older state is brought
    # up by `flask upgrade-state`, and a dossier is not run until it is.
    state_version: Mapped[int]
    # Every element the dossier reached and every flow it took ("source>target"), across all its rounds: drawn on
    # its diagram, and what the scenarios' path coverage counts.
    trail: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The dossier's name as its proposer gave it (shown in every inbox row) and what the inbox's search compares:
    # that name and its subjects' names, folded (engine.search); kept by the step runner from the dossier's data.
    name: Mapped[str | None] = mapped_column(String(200))
    search_text: Mapped[str | None] = mapped_column(Text)
    # When the earliest timer the workflow waits on falls due: the sweeper finds due dossiers by this index alone.
    timer_due_at: Mapped[datetime | None] = mapped_column(index=True)
    # Bumped on every save: a stale copy cannot overwrite a newer one, even without the row lock.
    revision: Mapped[int] = mapped_column(default=1)
    # The hash of the dossier's last audit row: the next row's link, read without a query under the row lock, and the
    # head `audit verify` expects its chain to end in (a removed last row shows).
    audit_head: Mapped[str | None] = mapped_column(String(64))
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    __mapper_args__ = {"version_id_col": revision}


class HumanTaskRow(Base):
    """One open or done human step: the inbox reads this table and never loads a workflow."""

    __tablename__ = "human_tasks"
    __table_args__ = (
        # A unit's inbox, newest first; the deadline last, so "overdue" is checked in the index (the newest tasks are
        # the least overdue: a province's read fifty thousand rows before its first overdue one).
        Index("ix_human_tasks_inbox", "status", "unit_code", "role", "created_at", "due_at"),
        # The inbox narrowed to one step: its tasks in order, none read of the other steps.
        Index("ix_human_tasks_inbox_step", "status", "unit_code", "role", "bpmn_id", "created_at"),
        # The inbox by nearest deadline: the repository's sort key, none last (its SQL writes the same constant).
        Index("ix_human_tasks_inbox_due", "status", "unit_code", "role", text(f"coalesce(due_at, '{NO_DEADLINE_SQL}')"),
              "id").ddl_if(dialect="postgresql"),
        # The reports' views count one step's open or done tasks (a few thousand) among every task of the year.
        Index("ix_human_tasks_step", "bpmn_id", "status"),
        # "Returned to me": a unit's return rounds, few among its open tasks, read without scanning the rest (the
        # status a column, not in the condition: a prepared statement's generic plan binds it).
        Index("ix_human_tasks_returned", "status", "unit_code", "role", "created_at",
              postgresql_where=text("return_reason IS NOT NULL"), sqlite_where=text("return_reason IS NOT NULL")),
        # ... and by nearest deadline (a saved "returned, due first" read 3,000 rounds to sort them).
        Index("ix_human_tasks_returned_due", "status", "unit_code", "role",
              text(f"coalesce(due_at, '{NO_DEADLINE_SQL}')"), "id",
              postgresql_where=text("return_reason IS NOT NULL")).ddl_if(dialect="postgresql"),
        # The inbox's filters and orders on the dossier's copy (below), each an index of the open tasks alone: a
        # province's inbox by name, by a branch or commune below it, or overdue was a walk of its hundred thousand
        # tasks joined one by one to their dossiers (50 to 100 ms).
        Index("ix_human_tasks_open_name", "unit_code", "role", text("coalesce(dossier_name, '')"), "id",
              postgresql_where=OPEN).ddl_if(dialect="postgresql"),
        Index("ix_human_tasks_open_branch", "unit_code", "role", "branch_code", "created_at",
              postgresql_where=OPEN, sqlite_where=OPEN),
        Index("ix_human_tasks_open_commune", "unit_code", "role", "commune_code", "created_at",
              postgresql_where=OPEN, sqlite_where=OPEN),
        # Overdue: only the tasks with a deadline, newest first (the newest are the least overdue).
        Index("ix_human_tasks_open_overdue", "unit_code", "role", "created_at", "due_at",
              postgresql_where=OPEN_WITH_DEADLINE, sqlite_where=OPEN_WITH_DEADLINE),
        # A search inside any words of the names, within the unit: trigrams of the text with its words run together
        # (repositories.dossiers._found says why), btree_gin for the unit; SQLite scans. Migration 0020 adds the
        # statistics PostgreSQL's planner needs to judge these searches and a unit's share of the open tasks.
        Index("ix_human_tasks_open_text", "unit_code", literal_column("replace(search_text, ' ', '')").label("joined"),
              postgresql_using="gin", postgresql_ops={"joined": "gin_trgm_ops"},
              postgresql_where=OPEN).ddl_if(dialect="postgresql"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    dossier_id: Mapped[int] = mapped_column(BigId, ForeignKey("dossiers.id"), index=True)
    bpmn_id: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200))
    lane: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16))
    unit_code: Mapped[str] = mapped_column(String(16))
    form: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]
    # The step's deadline, if its diagram gives one: past it the task shows as overdue (and still can be done).
    due_at: Mapped[datetime | None]
    # When a reminder timer last reminded the unit of this step's deadline.
    reminded_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    completed_by: Mapped[str | None] = mapped_column(String(80))
    # Set when the task opened because a higher level returned the dossier to this unit: that level's reason ("" if
    # it gave none). The step runner sets it; the inbox filters and shows it.
    return_reason: Mapped[str | None] = mapped_column(Text)
    # A copy of what the inbox filters and orders by on the task's dossier, so that one index of the tasks answers
    # it: set when the task opens, the name and search text kept in step on the open tasks by the step runner.
    dossier_title: Mapped[str] = mapped_column(String(32))
    dossier_year: Mapped[int]
    branch_code: Mapped[str] = mapped_column(String(16))
    commune_code: Mapped[str] = mapped_column(String(16))
    dossier_name: Mapped[str | None] = mapped_column(String(200))
    search_text: Mapped[str | None] = mapped_column(Text, deferred=True)  # a few kB: read only by the search


class _AuditColumns:
    """What an audit row holds, live or archived: who did what, from which unit, when, on which step, with what,
    and its link in its dossier's hash chain (engine.auditing.chain)."""

    dossier_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("dossiers.id"), index=True)
    at: Mapped[datetime] = mapped_column(index=True)  # the daily anchors read a day's rows by it
    username: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(16))
    unit_code: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(32))
    task_id: Mapped[str | None] = mapped_column(String(36))
    step: Mapped[str | None] = mapped_column(String(200))
    payload: Mapped[dict[str, Any]]
    previous_hash: Mapped[str] = mapped_column(String(64))
    row_hash: Mapped[str] = mapped_column(String(64))


class AuditRow(_AuditColumns, Base):
    """Append-only (triggers, migrations 0002 and 0014): a row leaves only for the archive, once copied there."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)


class AuditArchiveRow(_AuditColumns, Base):
    """Audit rows moved out of the live table (`flask audit archive`), with their ids; append-only too."""

    __tablename__ = "audit_log_archive"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)


class AuditAnchorRow(Base):
    """A province's daily anchor: the heads of its dossiers' chains that changed that day, chained to the province's
    anchor before it, so that a chain's removed tail, or a removed anchor, shows. Append-only."""

    __tablename__ = "audit_anchors"
    __table_args__ = (
        UniqueConstraint("province_code", "day", name="uq_audit_anchors_day"),
        # One successor per anchor: two workers anchoring at once cannot fork a province's chain.
        UniqueConstraint("province_code", "previous_hash", name="uq_audit_anchors_link"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    province_code: Mapped[str] = mapped_column(String(16))
    day: Mapped[date] = mapped_column(Date)  # a calendar day in Vietnam
    # {dossier id: {"row": the id of its last row that day, "hash": that row's hash}}
    heads: Mapped[dict[str, Any]]
    previous_hash: Mapped[str] = mapped_column(String(64))
    anchor_hash: Mapped[str] = mapped_column(String(64))
    made_at: Mapped[datetime]


class RecognitionDecisionRow(Base):
    """A recognition decision (quyết định công nhận): one number of one deciding unit, which may cover the
    subjects of several dossiers; its subjects are the titles that point to it."""

    __tablename__ = "recognition_decisions"
    __table_args__ = (UniqueConstraint("deciding_unit", "number", "year", name="uq_recognition_decisions_number"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    deciding_unit: Mapped[str] = mapped_column(String(16))
    number: Mapped[str] = mapped_column(String(64))
    # The calendar year of the decision date: numbering restarts each year.
    year: Mapped[int]
    decided_on: Mapped[date] = mapped_column(Date)
    signer_name: Mapped[str] = mapped_column(String(200))
    signer_office: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime]


class ReportingPeriodRow(Base):
    """A reporting period the ministry opens (one per kind and year), with the provinces' deadline."""

    __tablename__ = "reporting_periods"
    __table_args__ = (UniqueConstraint("kind", "year", name="uq_reporting_periods_kind_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    year: Mapped[int]
    province_deadline: Mapped[datetime]
    # Who receives the provinces' reports: offices get renamed (GDTX became GDNN–GDTX in 2025), so it is data.
    recipient: Mapped[str] = mapped_column(String(300))
    opened_by: Mapped[str] = mapped_column(String(80))
    opened_at: Mapped[datetime]


class ReportValueRow(Base):
    """One accepted figure of a report in a period: a commune's (or the province's own) value of one indicator, e.g.
    `recognised_family` of the annual report or `participants` of the Lifelong Learning Week. What the views sum."""

    __tablename__ = "report_values"
    __table_args__ = (
        UniqueConstraint("period_id", "unit_code", "indicator", name="uq_report_values_unit_indicator"),
        Index("ix_report_values_period_province", "period_id", "province_code"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("reporting_periods.id"))
    province_code: Mapped[str] = mapped_column(String(16))
    # The commune that reported, or the province itself for what it held at its own level.
    unit_code: Mapped[str] = mapped_column(String(16))
    indicator: Mapped[str] = mapped_column(String(64))
    value: Mapped[int] = mapped_column(BigInteger)
    dossier_id: Mapped[int] = mapped_column(BigId, ForeignKey("dossiers.id"))
    accepted_at: Mapped[datetime]


class TargetRow(Base):
    """A target rate for a learning model by a milestone year: a province's own, or national (province VN)."""

    __tablename__ = "targets"
    __table_args__ = (UniqueConstraint("province_code", "model", "milestone_year", name="uq_targets"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    province_code: Mapped[str] = mapped_column(String(16))
    model: Mapped[str] = mapped_column(String(32))
    milestone_year: Mapped[int]
    rate: Mapped[float]
    set_by: Mapped[str] = mapped_column(String(80))
    set_at: Mapped[datetime]


class AttachmentRow(Base):
    """A file submitted with a step (evidence, a report, meeting minutes); its bytes load only when downloaded."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(BigId, ForeignKey("dossiers.id"), index=True)
    field: Mapped[str] = mapped_column(String(100))
    file_name: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    uploaded_by: Mapped[str] = mapped_column(String(80))
    uploaded_at: Mapped[datetime]


class TaskDraftRow(Base):
    """What an official typed into a task's form without sending it: theirs alone, gone once the task is done."""

    __tablename__ = "task_drafts"
    __table_args__ = (UniqueConstraint("task_id", "username"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    task_id: Mapped[str] = mapped_column(String(36), ForeignKey("human_tasks.id"), index=True)
    username: Mapped[str] = mapped_column(String(80))
    data: Mapped[dict[str, Any]]
    saved_at: Mapped[datetime]


class DraftFileRow(Base):
    """A file chosen in a draft (or in a refused submission), checked as an attachment is; it becomes one when the
    task is completed with it."""

    __tablename__ = "draft_files"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    draft_id: Mapped[int] = mapped_column(BigId, ForeignKey("task_drafts.id"), index=True)
    field: Mapped[str] = mapped_column(String(100))
    file_name: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)


class TitleRow(Base):
    """The registry of recognised titles: one row per recognised subject and year."""

    __tablename__ = "titles"
    __table_args__ = (
        Index("ix_titles_province_year", "province_code", "year"),
        Index("ix_titles_commune_year", "commune_code", "year"),
        # A subject holds a title at most once a year; the database refuses a second, whoever races.
        UniqueConstraint("subject_key", "title", "year", name="uq_titles_subject_year"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    title: Mapped[str] = mapped_column(String(32))
    subject_name: Mapped[str] = mapped_column(String(200))
    # Who the subject is, independent of spelling: for a household, its branch and its head's name.
    subject_key: Mapped[str] = mapped_column(String(240))
    level: Mapped[int | None]
    score: Mapped[float | None]
    year: Mapped[int]
    deciding_unit: Mapped[str] = mapped_column(String(16))
    branch_code: Mapped[str] = mapped_column(String(16), index=True)
    commune_code: Mapped[str] = mapped_column(String(16))
    province_code: Mapped[str] = mapped_column(String(16))
    dossier_id: Mapped[int] = mapped_column(BigId, ForeignKey("dossiers.id"), index=True)
    decision_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("recognition_decisions.id"), index=True)
    decision_number: Mapped[str] = mapped_column(String(64))
    decision_date: Mapped[date] = mapped_column(Date)
    signer: Mapped[str] = mapped_column(String(200))
    valid_until: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime]


class JobRow(Base):
    """Background work (engine.jobs): written in the transaction of the change that asks for it (the outbox), relayed
    to the workers after commit, marked done in the transaction of its effect."""

    __tablename__ = "jobs"
    __table_args__ = (
        # The relay and the health check look for queued jobs by age; the dead-letter list for dead ones.
        Index("ix_jobs_status_created", "status", "created_at"),
        # An official's own jobs, the newest first.
        Index("ix_jobs_requested_by", "requested_by", "id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[str] = mapped_column(String(60))
    # The same key asked for twice is one job (e.g. one fan-out per province report).
    key: Mapped[str | None] = mapped_column(String(200), unique=True)
    params: Mapped[dict[str, Any]]
    requested_by: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(16))  # engine.model.JobStatus
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text)
    result: Mapped[dict[str, Any] | None]
    worker: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]
    relayed_at: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]


class JobFileRow(Base):
    """The file a job made (a batch of certificates, a large export), for whoever asked for it."""

    __tablename__ = "job_files"

    job_id: Mapped[int] = mapped_column(BigId, ForeignKey("jobs.id"), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(100))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime]


class SavedFilterRow(Base):
    """An inbox filter an official saved under a name: their own, or shared with everyone of their unit and role."""

    __tablename__ = "saved_filters"
    __table_args__ = (
        UniqueConstraint("username", "unit_code", "role", "name"),
        Index("ix_saved_filters_unit", "unit_code", "role"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    username: Mapped[str] = mapped_column(String(80))
    unit_code: Mapped[str] = mapped_column(String(16))
    role: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(80))
    shared: Mapped[bool] = mapped_column(default=False)
    # The filter's parts as engine.model.InboxFilter names them, checked by tasks.check_filter when saved.
    narrowed: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]
