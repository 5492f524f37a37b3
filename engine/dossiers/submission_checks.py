"""Rules a form schema cannot express, checked on a step's submission before the process moves on: a report's
figures, each candidate's score against the dossier's table, a self-assessment against its criteria table, and
the registry's rules on who may be proposed."""
from engine.dossiers.workflows import decisions_for, definition, facts, resolved
from engine.errors import InvalidInput
from engine.model import MINISTRY_CODE
from engine.recognition import subjects
from engine.reporting import figures
from engine.storage.tables import DossierRow, ProcessVersionRow
from engine.storage.unit_of_work import UnitOfWork

# Versions deployed before tables were named per step named the list's scoring table on the process.
PROCESS_LIST_DECISION = "candidate_decision"


def check_submission(uow: UnitOfWork, dossier: DossierRow, version: ProcessVersionRow, step_id: str,
                     values: dict) -> dict:
    """Rules a form schema cannot express, checked before the process moves on. Returns what the engine worked
    out (a score, a learning unit's share of citizens holding the title), stored with the submission."""
    if "report" in version.properties:
        figures.check(dossier, values)
        return {}
    kind = version.properties.get(subjects.SUBJECT_PROPERTY, subjects.CANDIDATES)
    if not subjects.proposes(kind, values):
        return {}
    table = definition(version).steps()[step_id].submission_decision or (
        version.properties.get(PROCESS_LIST_DECISION) if kind == subjects.CANDIDATES else None)
    computed = {}
    if table and kind == subjects.CANDIDATES:
        _check_each_candidate(uow, dossier, resolved(table, dossier.title), values["candidates"])
    elif table:
        computed = _check_assessment(uow, dossier, resolved(table, dossier.title), values)
    subjects.check_subjects(uow, dossier, subjects.subjects_of(uow, kind, dossier, {**values, **computed}))
    return computed


def _check_each_candidate(uow: UnitOfWork, dossier: DossierRow, decision_id: str, candidates: list[dict]) -> None:
    """Each candidate must pass the dossier's scoring table; the message names the table that refused."""
    decisions, context = decisions_for(uow, dossier), _context(uow, dossier)
    errors = {}
    for index, candidate in enumerate(candidates):
        result = decisions.evaluate(decision_id, {**context, **candidate})
        if result.get("passed") is not True:
            errors[f"candidates.{index}.score"] = (
                f"{_points(candidate.get('score'))} điểm chưa đạt ngưỡng {_points(result.get('threshold', '?'))} "
                f"({_table_source(dossier, decision_id)}).")
    if errors:
        raise InvalidInput(errors)


def _check_assessment(uow: UnitOfWork, dossier: DossierRow, decision_id: str, values: dict) -> dict:
    """A self-assessment as a whole must pass the dossier's criteria table, which may also compute the score."""
    unit = subjects.unit_facts(uow, dossier, values)
    result = decisions_for(uow, dossier).evaluate(decision_id, {**_context(uow, dossier), **values, **unit})
    if result.get("passed") is not True:
        field = result.get("field") or "form"
        reason = result.get("reason") or "Chưa đạt tiêu chí"
        if field == "members" and "citizen_holders" in unit:
            reason += (f"; theo sổ danh hiệu hôm nay {unit['citizen_holders']}/{values['members']} thành viên "
                       f"({unit['citizen_rate']:.1%}) giữ danh hiệu Công dân học tập còn hiệu lực")
        raise InvalidInput({field: f"{reason} ({_table_source(dossier, decision_id)})."})
    return {**unit, **({"score": result["score"]} if "score" in result else {})}


def _context(uow: UnitOfWork, dossier: DossierRow) -> dict:
    return {"title": dossier.title, "year": dossier.year, "province": dossier.province_code, **facts(uow)}


def _table_source(dossier: DossierRow, decision_id: str) -> str:
    pin = dossier.decision_tables[decision_id]
    whose = "toàn quốc" if pin["province"] == MINISTRY_CODE else f"của tỉnh {pin['province']}"
    return f"bảng {decision_id} {whose}, phiên bản {pin['version']}"


def _points(value) -> str:
    return format(value, "g") if isinstance(value, (int, float)) else str(value)
