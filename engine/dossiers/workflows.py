"""What a dossier runs with: its version's workflow definition and step forms, the decision tables pinned on it when
it started, and the facts a table may ask besides the dossier's data."""
from engine.clock import today_in_vietnam
from engine.dossiers import forms
from engine.errors import Conflict
from engine.storage.tables import DossierRow, ProcessVersionRow
from engine.storage.unit_of_work import UnitOfWork
from engine.workflow import running


def version_key(version: ProcessVersionRow) -> str:
    """Names a version by its content and the shape its spec is stored in, so caches stay right across databases,
    redeployments and state upgrades."""
    return f"{version.process_id}@{version.content_hash}/{version.state_version}"


def definition(version: ProcessVersionRow) -> running.Definition:
    return running.Definition(version_key(version), lambda: version.spec)


_FORMS: dict[tuple[str, str], forms.Form] = {}


def step_form(version: ProcessVersionRow, name: str | None) -> forms.Form:
    """A step's form, loaded once per version (a step without one submits nothing)."""
    if name is None:
        return forms.EMPTY
    key = (version_key(version), name)
    if key not in _FORMS:
        _FORMS[key] = forms.Form(forms.load_schema(name, version.files[name]))
    return _FORMS[key]


def decisions_for(uow: UnitOfWork, dossier: DossierRow) -> running.Decisions:
    """The decision tables pinned on the dossier when it started (read from the database only if not yet built)."""
    def source(table_id: int):
        row = uow.decision_tables.get(table_id)
        return row.file_name, row.dmn

    return running.Decisions({decision_id: (f"{decision_id}@{pin['hash']}", lambda pin=pin: source(pin["id"]))
                              for decision_id, pin in dossier.decision_tables.items()})


def facts(uow: UnitOfWork) -> dict:
    """What a decision table may ask besides the dossier's data: the day it is evaluated, in Vietnam."""
    return {"today": today_in_vietnam(uow.clock).isoformat()}


def resolved(decision: str, title: str) -> str:
    """A decision table's name as a step or process gives it, for a dossier of this title."""
    return decision.replace("{title}", title)


def tables_in_force(uow: UnitOfWork, version: ProcessVersionRow, title: str, province_code: str) -> dict[str, dict]:
    """Pin the tables a dossier of `version` will run with: the province's own if it loaded one, else the national.
    Each pin carries what a step needs without reading the table row again (its content hash, whose, which)."""
    decisions = [resolved(decision, title) for decision in version.decisions]
    in_force = uow.decision_tables.in_force(decisions, province_code) if decisions else {}
    pinned = {}
    for decision_id in decisions:
        table = in_force.get(decision_id)
        if table is None:
            raise Conflict(f"Chưa có bảng quyết định '{decision_id}' (toàn quốc hoặc của tỉnh {province_code}); "
                           "cần nạp bảng trước khi mở hồ sơ.")
        pinned[decision_id] = {"id": table.id, "hash": table.content_hash, "province": table.province_code,
                               "version": table.version}
    return pinned
