"""Plain values shared by the use cases: roles, unit levels, statuses, the acting official."""
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


class Role(StrEnum):
    BRANCH = "branch"
    COMMUNE = "commune"
    PROVINCE = "province"
    MINISTRY = "ministry"
    DESIGNER = "designer"
    ADMIN = "admin"


ROLE_LABELS = {
    Role.BRANCH: "Chi hội",
    Role.COMMUNE: "Xã",
    Role.PROVINCE: "Tỉnh",
    Role.MINISTRY: "Bộ",
    Role.DESIGNER: "Thiết kế quy trình",
    Role.ADMIN: "Quản trị",
}

# The roles that act in a process: a lane named after one of them is that role's step.
ACTING_ROLES = (Role.BRANCH, Role.COMMUNE, Role.PROVINCE, Role.MINISTRY)


def role_for_lane(lane: str | None) -> Role | None:
    """The role a lane stands for: its name is the role's code or its Vietnamese label."""
    if lane is None:
        return None
    name = lane.strip()
    for role in ACTING_ROLES:
        if name.casefold() in (role.value, ROLE_LABELS[role].casefold()):
            return role
    return None


def role_for_step(lane: str | None, groups: str | None) -> Role | None:
    """The role that takes a step: its lane's, else the one role its Camunda candidate groups name (a comma list)."""
    role = role_for_lane(lane)
    if role is not None or not groups:
        return role
    named = {role_for_lane(group) for group in groups.split(",")} - {None}
    return named.pop() if len(named) == 1 else None


class UnitLevel(StrEnum):
    MINISTRY = "ministry"
    PROVINCE = "province"
    COMMUNE = "commune"
    BRANCH = "branch"


# The level of unit each role belongs to.
ROLE_LEVEL = {
    Role.BRANCH: UnitLevel.BRANCH,
    Role.COMMUNE: UnitLevel.COMMUNE,
    Role.PROVINCE: UnitLevel.PROVINCE,
    Role.MINISTRY: UnitLevel.MINISTRY,
    Role.DESIGNER: UnitLevel.MINISTRY,
    Role.ADMIN: UnitLevel.MINISTRY,
}

UNIT_LEVEL_LABELS = {
    UnitLevel.MINISTRY: "Bộ",
    UnitLevel.PROVINCE: "tỉnh",
    UnitLevel.COMMUNE: "xã",
    UnitLevel.BRANCH: "chi hội",
}

MINISTRY_CODE = "VN"


class DossierStatus(StrEnum):
    IN_PROGRESS = "in_progress"
    RECOGNISED = "recognised"
    REJECTED = "rejected"
    CLOSED = "closed"  # ended without a recognition decision (e.g. withdrawn)


DOSSIER_STATUS_LABELS = {
    DossierStatus.IN_PROGRESS: "Đang xử lý",
    DossierStatus.RECOGNISED: "Đã công nhận",
    DossierStatus.REJECTED: "Không công nhận",
    DossierStatus.CLOSED: "Đã kết thúc",
}


class TaskStatus(StrEnum):
    OPEN = "open"
    COMPLETED = "completed"
    CANCELLED = "cancelled"  # the process moved on without it (e.g. an interrupting event)


class JobStatus(StrEnum):
    QUEUED = "queued"  # in the outbox: waiting for a worker, or to be tried again
    DONE = "done"
    DEAD = "dead"  # failed for good (or too often): on the dead-letter list until an administrator retries it


JOB_STATUS_LABELS = {JobStatus.QUEUED: "Đang chờ", JobStatus.DONE: "Đã xong", JobStatus.DEAD: "Lỗi, đã dừng"}


class Title(StrEnum):
    FAMILY = "family"
    CLAN = "clan"
    COMMUNITY_VILLAGE = "community_village"
    COMMUNITY_COMMUNE = "community_commune"
    UNIT = "unit"
    CITIZEN = "citizen"


TITLE_LABELS = {
    Title.FAMILY: "Gia đình học tập",
    Title.CLAN: "Dòng họ học tập",
    Title.COMMUNITY_VILLAGE: "Cộng đồng học tập cấp thôn, tổ dân phố",
    Title.COMMUNITY_COMMUNE: "Cộng đồng học tập cấp xã",
    Title.UNIT: "Đơn vị học tập",
    Title.CITIZEN: "Công dân học tập",
}


class ReportKind(StrEnum):
    """Periodic reports rolled up commune → province → ministry: a report process names its kind as `report`."""

    ANNUAL_MODELS = "annual_models"
    LEARNING_WEEK = "learning_week"  # Tuần lễ hưởng ứng học tập suốt đời, 1–7 October


REPORT_LABELS = {ReportKind.ANNUAL_MODELS: "Báo cáo kết quả xây dựng các mô hình học tập hằng năm",
                 ReportKind.LEARNING_WEEK: "Báo cáo kết quả Tuần lễ hưởng ứng học tập suốt đời"}
# What names a report dossier beside its year and unit: "Báo cáo năm 2026 · Thành phố Hà Nội".
REPORT_SHORT_LABELS = {ReportKind.ANNUAL_MODELS: "Báo cáo năm", ReportKind.LEARNING_WEEK: "Báo cáo Tuần lễ học tập"}


class BranchKind(StrEnum):
    """What a branch stands for: a village's chi hội, or the Ban khuyến học of an agency, school or enterprise
    (the last three are learning units and self-assess as one)."""

    VILLAGE = "village"
    AGENCY = "agency"
    SCHOOL = "school"
    ENTERPRISE = "enterprise"


BRANCH_KIND_LABELS = {
    BranchKind.VILLAGE: "Chi hội thôn, tổ dân phố",
    BranchKind.AGENCY: "Cơ quan",
    BranchKind.SCHOOL: "Trường học",
    BranchKind.ENTERPRISE: "Doanh nghiệp",
}


@dataclass(frozen=True)
class Official:
    """Who is acting: every use case is scoped by this."""

    username: str
    role: Role
    unit_code: str


# Who the records name when no official acts: the command line, and a process opening dossiers or reminding.
# Who deploys diagrams and holds deploy tokens.
DEPLOYERS = (Role.DESIGNER, Role.ADMIN)
SYSTEM = Official("system", Role.ADMIN, MINISTRY_CODE)


@dataclass(frozen=True)
class InboxFilter:
    """What an official narrows their inbox to, every part optional, and how it is ordered (INBOX_SORTS)."""

    text: str = ""  # a dossier's number, or words of its name or its subjects' names (accents ignored)
    title: str | None = None
    year: int | None = None
    step: str | None = None  # the step's id in its diagram
    unit: str | None = None  # the proposing branch or its commune, below the official's unit
    overdue: bool = False
    returned: bool = False  # only return rounds: tasks a higher level sent back to the official's unit
    sort: str = "received"


@dataclass(frozen=True)
class SavedFilter:
    """An inbox filter saved under a name by an official, for them alone or shared with their unit and role."""

    id: int
    name: str
    owner: str  # the username of who saved it
    shared: bool
    narrowed: InboxFilter


# How an inbox may be ordered: newest received first, nearest deadline first (none last), by dossier name.
INBOX_SORTS = {"received": "Mới nhận trước", "due": "Hạn gần trước", "name": "Theo tên hồ sơ"}


@dataclass(frozen=True)
class OpenTask:
    """A step waiting for an official, as the inbox and the API show it."""

    id: str
    dossier_id: int
    process: str
    title: str
    step: str
    step_name: str
    lane: str
    role: str
    unit_code: str
    created_at: datetime
    due_at: datetime | None = None
    dossier_name: str | None = None  # in the inbox: the name its proposer gave the dossier
    proposer: str | None = None  # in the inbox: the proposing unit's name
    return_reason: str | None = None  # set when a higher level returned the dossier: its reason ("" if none given)


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    username: str
    role: str
    unit_code: str
    action: str
    step: str | None
    task_id: str | None
    payload: dict


@dataclass(frozen=True)
class DossierView:
    id: int
    process: str
    process_name: str
    process_version: int
    title: str
    status: DossierStatus
    year: int
    branch_code: str
    commune_code: str
    province_code: str
    data: dict
    open_tasks: tuple[OpenTask, ...]
    history: tuple[HistoryEntry, ...]
    created_at: datetime
    updated_at: datetime
    attachments: tuple = ()  # of engine.dossiers.attachments.AttachmentInfo
    trail: tuple[str, ...] = ()  # elements reached and flows taken ("source>target")
    withdrawable: bool = False  # whether the official reading it may withdraw it now (engine.dossiers.withdrawing)


@dataclass(frozen=True)
class TaskView:
    task: OpenTask
    status: str
    documentation: str
    form_title: str
    fields: tuple  # of engine.forms.Field
    values: dict
    dossier: DossierView
    rules: "FormRules | None" = None  # what the submission is checked against, shown before it is sent


@dataclass(frozen=True)
class FormRules:
    """The decision table a step's submission must pass, as its designer labelled it."""

    table: str  # its name: "Ngưỡng điểm Gia đình học tập"
    source: str  # whose and which version: "toàn quốc, phiên bản 1"
    pass_mark: float | None  # the points to reach, where the table has one threshold
    indicators: tuple[str, ...]  # what it reads, with the points each may have: "Nhóm tự học (0-40)"
    rules: tuple[str, ...]  # each rule in words: "Nhóm tự học dưới 20 điểm."


@dataclass(frozen=True)
class RecognisedTitle:
    id: int
    title: str
    subject_name: str
    score: float | None
    year: int
    branch_code: str
    commune_code: str
    province_code: str
    dossier_id: int
    decision_number: str
    decision_date: date
    signer: str
    valid_until: date
    level: int | None = None
    decision_id: int | None = None


@dataclass(frozen=True)
class RecognitionDecisionView:
    """A recognition decision and the subjects it recognised that the reader may see."""

    id: int
    number: str
    decided_on: date
    deciding_unit: str
    signer_name: str
    signer_office: str
    title: str
    subjects: tuple[RecognisedTitle, ...]


@dataclass(frozen=True)
class ProcessInfo:
    id: str
    name: str
    version: int
    titles: tuple[str, ...]
