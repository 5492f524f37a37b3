"""Use cases on decision tables (DMN): load the national table or a province's own, list what is in force.

A new table applies to dossiers started after it; a running dossier keeps the tables it started with.
"""
import hashlib
from dataclasses import dataclass
from pathlib import Path

from engine.errors import Forbidden, UnitNotFound
from engine.model import MINISTRY_CODE, Official, Role, UnitLevel
from engine.storage.tables import DecisionTableRow
from engine.storage.unit_of_work import UnitOfWork, commit_or_conflict
from engine.workflow import parsing


@dataclass(frozen=True)
class LoadedTable:
    decision_id: str
    name: str
    province_code: str  # VN for the national table
    version: int
    created: bool  # False when this very content was already the one in force


def load_decision_table(file_name: str, content: bytes, by: Official, uow: UnitOfWork,
                        province_code: str | None = None) -> list[LoadedTable]:
    """Load a .dmn file as the national table (designers) or a province's own (that province, or designers)."""
    scope = _scope(by, province_code)
    decisions = parsing.parse_decisions(file_name, content)
    content_hash = hashlib.sha256(content).hexdigest()
    results = []
    with uow:
        if scope != MINISTRY_CODE:
            unit = uow.units.get(scope)
            if unit is None or unit.level != UnitLevel.PROVINCE:
                raise UnitNotFound(scope)
        for decision in decisions:
            latest = uow.decision_tables.latest(decision.decision_id, scope)
            if latest is not None and latest.content_hash == content_hash:
                results.append(LoadedTable(decision.decision_id, latest.name, scope, latest.version, False))
                continue
            version = (latest.version if latest else 0) + 1
            uow.decision_tables.add(DecisionTableRow(
                decision_id=decision.decision_id, name=decision.name, province_code=scope, version=version,
                content_hash=content_hash, file_name=file_name, dmn=content.decode("utf-8"),
                loaded_at=uow.clock.now(), loaded_by=by.username))
            results.append(LoadedTable(decision.decision_id, decision.name, scope, version, True))
        commit_or_conflict(uow, "Một bảng khác vừa được nạp cùng lúc; hãy nạp lại.")
    return results


def load_decision_directory(directory: Path, by: Official, uow_factory) -> list[LoadedTable]:
    """Load the shipped national tables (decisions/*.dmn of the diagrams folder)."""
    return [table for path in sorted((directory / "decisions").glob("*.dmn"))
            for table in load_decision_table(path.name, path.read_bytes(), by, uow_factory())]


def _scope(by: Official, province_code: str | None) -> str:
    if by.role in (Role.DESIGNER, Role.ADMIN):
        return province_code or MINISTRY_CODE
    if by.role == Role.PROVINCE and province_code in (None, by.unit_code):
        return by.unit_code
    raise Forbidden("Chỉ người thiết kế quy trình, hoặc tỉnh cho chính tỉnh mình, mới được nạp bảng quyết định.")
