"""Use case: deploy diagrams and forms. Each changed deployment is a new version; running dossiers keep theirs."""
import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from engine.dossiers import forms
from engine.dossiers.services import SERVICES
from engine.dossiers.submission_checks import PROCESS_LIST_DECISION
from engine.dossiers.workflows import resolved
from engine.errors import DeploymentRefused, Forbidden
from engine.model import DEPLOYERS, MINISTRY_CODE, BranchKind, Official, ReportKind, Title, role_for_step
from engine.recognition.subjects import CANDIDATES, STARTER_KINDS, SUBJECT_PROPERTY, SUBJECTS
from engine.storage.tables import ProcessVersionRow
from engine.storage.unit_of_work import UnitOfWork, commit_or_conflict
from engine.workflow import parsing, serializing

MAX_FILE_BYTES = parsing.MAX_DIAGRAM_BYTES


@dataclass(frozen=True)
class Deployed:
    process_id: str
    name: str
    version: int
    created: bool  # False when the same content was already deployed


def check_deployer(official: Official) -> None:
    if official.role not in DEPLOYERS:
        raise Forbidden("Chỉ người thiết kế quy trình hoặc quản trị mới được triển khai.")


def deploy(files: dict[str, bytes], by: Official, uow: UnitOfWork) -> list[Deployed]:
    """Validate every file, then store one new version per changed process; refuse everything on any error."""
    check_deployer(by)
    parsed = parsing.parse_deployment(files)
    # Forms drawn in the modeller (camunda:formData) are stored and versioned as if they had been sent as files.
    files = {**files, **{name: content for process in parsed for name, content in process.forms.items()}}
    schemas = _form_schemas(files)
    processes = [p for p in parsed if not p.called]
    for process in processes:
        _check_startable(process, schemas)
    results = []
    with uow:
        for process in processes:
            _check_decisions_loaded(process, uow)
        for process in processes:
            # A process is versioned by what it runs on (its diagram, the diagrams it calls, its forms), so
            # deploying a folder makes new versions only of the processes that changed.
            used = _files_used(process, parsed, files)
            content_hash = files_hash(used)
            existing = uow.processes.by_hash(process.process_id, content_hash)
            if existing is not None:
                results.append(Deployed(process.process_id, existing.name, existing.version, False))
                continue
            latest = uow.processes.latest(process.process_id)
            version = (latest.version if latest else 0) + 1
            uow.processes.add(ProcessVersionRow(
                process_id=process.process_id, name=process.name, version=version, content_hash=content_hash,
                title=process.properties.get("title") or process.properties["report"],
                starter_role=role_for_step(process.start_lane, process.starter_groups),
                diagram_file=process.file, decisions=_decisions_of(process), properties=process.properties,
                files={name: content.decode("utf-8") for name, content in sorted(used.items())},
                spec=process.spec, state_version=serializing.STATE_VERSION, deployed_at=uow.clock.now(),
                deployed_by=by.username))
            results.append(Deployed(process.process_id, process.name, version, True))
        commit_or_conflict(uow, "Một lần triển khai khác vừa ghi cùng quy trình; hãy triển khai lại.")
    return results


@dataclass(frozen=True)
class VersionSummary:
    id: int
    process_id: str
    name: str
    version: int
    diagram_file: str
    deployed_at: datetime
    deployed_by: str
    dossiers: dict[str, int]  # status: how many dossiers run or ran on this version


def list_versions(official: Official, uow: UnitOfWork) -> list[VersionSummary]:
    """Every deployed version, each process's newest first, with how many of its dossiers are in each status."""
    check_deployer(official)
    with uow:
        counts = uow.dossiers.counts_by_version()
        return [VersionSummary(v.id, v.process_id, v.name, v.version, v.diagram_file, v.deployed_at, v.deployed_by,
                               counts.get(v.id, {})) for v in uow.processes.every_version()]


def _check_decisions_loaded(process: parsing.ParsedProcess, uow: UnitOfWork) -> None:
    """Every decision table the process names has a national version loaded (a province may replace it, but each
    province's dossiers need one to run)."""
    titles = (process.properties.get("title") or "").split() or [""]
    wanted = {(step, resolved(decision, title)) for step, decision in _named_decisions(process) for title in titles}
    loaded = uow.decision_tables.in_force(sorted({name for _, name in wanted}), MINISTRY_CODE) if wanted else {}
    # In a stable order (table, then step), so a designer meets the same first refusal every time.
    for step, name in sorted(wanted, key=lambda pair: (pair[1], pair[0].bpmn_id if pair[0] else "")):
        if name not in loaded:
            raise _refused(process, f"cần bảng quyết định '{name}' nhưng chưa nạp bảng toàn quốc nào tên đó; nạp "
                                    "bảng (flask decisions load TỆP.dmn) rồi triển khai lại", step)


def _files_used(process: parsing.ParsedProcess, parsed: list[parsing.ParsedProcess],
                files: dict[str, bytes]) -> dict[str, bytes]:
    file_of = {p.process_id: p.file for p in parsed}
    names = {process.file, *(file_of[called] for called in process.spec["subprocess_specs"] if called in file_of),
             *(step.form for step in process.steps if step.form)}
    return {name: files[name] for name in names}


def deploy_directory(directory: Path, by: Official, uow: UnitOfWork) -> list[Deployed]:
    """Deploy the shipped diagrams (*.bpmn), decision tables (*.dmn) and forms (forms/*.json) of a folder as one."""
    paths = sorted(directory.glob("*.bpmn")) + sorted(directory.glob("*.dmn")) + \
        sorted((directory / "forms").glob("*.json"))
    return deploy({path.name: path.read_bytes() for path in paths}, by, uow)


def _named_decisions(process: parsing.ParsedProcess) -> list[tuple[parsing.Step | None, str]]:
    """(step or None, table) for the tables its steps' submissions must pass and those the process evaluates in
    service tasks or names for its list (names may hold "{title}", resolved when a dossier opens)."""
    named = [(step, step.submission_decision) for step in process.steps if step.submission_decision]
    named += [(None, decision) for decision in process.decisions]
    if process.properties.get(PROCESS_LIST_DECISION):
        named.append((None, process.properties[PROCESS_LIST_DECISION]))
    return named


def _decisions_of(process: parsing.ParsedProcess) -> list[str]:
    return sorted({decision for _, decision in _named_decisions(process)})


def _decision_name(name: str) -> bool:
    return re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name.replace("{title}", "title")) is not None


def files_hash(files: dict[str, bytes]) -> str:
    """Names a set of files by their names and contents."""
    digest = hashlib.sha256()
    for name, content in sorted(files.items()):
        digest.update(name.encode() + b"\0" + hashlib.sha256(content).digest())
    return digest.hexdigest()


def _form_schemas(files: dict[str, bytes]) -> dict[str, dict]:
    schemas = {}
    for name, content in files.items():
        if name.endswith(".json"):
            try:
                schemas[name] = forms.load_schema(name, content.decode("utf-8"))
            except (ValueError, UnicodeDecodeError) as error:
                raise DeploymentRefused(name, str(error)) from None
    return schemas


def _check_startable(process: parsing.ParsedProcess, schemas: dict[str, dict]) -> None:
    """What would break a dossier at run time, caught before anything is stored."""
    if "report" in process.properties:
        _check_report(process)
    else:
        _check_recognition(process)
    if role_for_step(process.start_lane, process.starter_groups) is None:
        raise _refused(process, "sự kiện bắt đầu phải nằm trong một lane ứng với một vai trò (hoặc quy trình có "
                                "camunda:candidateStarterGroups là một vai trò)")
    for step in process.steps:
        if role_for_step(step.lane, step.groups) is None:
            raise _refused(process, f"bước nằm ngoài lane hoặc lane '{step.lane}' không ứng với vai trò nào "
                                    "(Chi hội, Xã, Tỉnh, Bộ), và camunda:candidateGroups không nêu đúng một vai trò "
                                    "(branch, commune, province, ministry)", step)
        if step.form is not None and step.form not in schemas:
            raise _refused(process, f"thiếu tệp biểu mẫu '{step.form}'", step)
        if step.submission_decision and not _decision_name(step.submission_decision):
            raise _refused(process, f"'{parsing.SUBMISSION_DECISION_PROPERTY}' phải là tên bảng quyết định, có thể "
                                    "chứa {title}, ví dụ {title}_score", step)
    known = [*SERVICES, parsing.DECIDE]
    unknown = [name for name in process.services if name not in known]
    if unknown:
        raise _refused(process, f"gọi dịch vụ không có: {', '.join(unknown)}; có: {', '.join(known)}")


def _refused(process: parsing.ParsedProcess, reason: str, step: parsing.Step | None = None) -> DeploymentRefused:
    """Refused at a step of the process (or at the process), named with its line in the diagram."""
    element_id = step.bpmn_id if step else process.process_id
    return DeploymentRefused(process.file, reason, line=process.lines.get(element_id),
                             element=f"{step.bpmn_id} ({step.name})" if step else process.process_id)


def _check_report(process: parsing.ParsedProcess) -> None:
    if process.properties["report"] not in set(ReportKind) or "title" in process.properties:
        raise _refused(process, f"quy trình báo cáo cần thuộc tính 'report' là một trong: {', '.join(ReportKind)}, "
                                "và không có 'title'")


def _check_recognition(process: parsing.ParsedProcess) -> None:
    properties = process.properties
    titles = (properties.get("title") or "").split()
    if not titles or any(title not in set(Title) for title in titles):
        raise _refused(process, "quy trình cần thuộc tính 'title' gồm một hay nhiều danh hiệu (cách nhau bởi dấu "
                                f"cách) trong: {', '.join(Title)} (đang là {properties.get('title')!r}), hoặc "
                                "'report' cho một báo cáo")
    kinds = (properties.get(STARTER_KINDS) or "").split()
    if any(kind not in set(BranchKind) for kind in kinds):
        raise _refused(process, f"thuộc tính '{STARTER_KINDS}' chỉ gồm: {', '.join(BranchKind)} "
                                f"(đang là {properties[STARTER_KINDS]!r})")
    subject = properties.get(SUBJECT_PROPERTY, CANDIDATES)
    if subject not in SUBJECTS:
        raise _refused(process, f"thuộc tính '{SUBJECT_PROPERTY}' phải là một trong: {', '.join(SUBJECTS)} "
                                f"(đang là {subject!r})")
