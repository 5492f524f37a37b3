"""Rules a form schema cannot express, checked on a step's submission before the process moves on: a report's
figures, each candidate's score against the dossier's table, a self-assessment against its criteria table, and
the registry's rules on who may be proposed."""
from engine.dossiers.workflows import decisions_for, definition, facts, resolved
from engine.errors import InvalidInput
from engine.model import MINISTRY_CODE, FormRules
from engine.organisation.units import unit_label
from engine.recognition import subjects
from engine.reporting import figures
from engine.storage.tables import DossierRow, ProcessVersionRow
from engine.storage.unit_of_work import UnitOfWork

# Versions deployed before tables were named per step named the list's scoring table on the process.
PROCESS_LIST_DECISION = "candidate_decision"


def check_submission(uow: UnitOfWork, dossier: DossierRow, version: ProcessVersionRow, step_id: str,
                     values: dict, labels: dict[str, str] | None = None) -> dict:
    """Rules a form schema cannot express, checked before the process moves on. Returns what the engine worked
    out (a score, a learning unit's share of citizens holding the title), stored with the submission. A refusal
    names the fields by the form's `labels`."""
    try:
        return _checked(uow, dossier, version, step_id, values)
    except InvalidInput as error:
        raise InvalidInput(error.errors, labels) from None


def _checked(uow: UnitOfWork, dossier: DossierRow, version: ProcessVersionRow, step_id: str, values: dict) -> dict:
    if "report" in version.properties:
        figures.check(dossier, values)
        return {}
    kind = version.properties.get(subjects.SUBJECT_PROPERTY, subjects.CANDIDATES)
    if not subjects.proposes(kind, values):
        return {}
    table = _step_table(dossier, version, step_id)
    computed = {}
    if table and kind == subjects.CANDIDATES:
        _check_each_candidate(uow, dossier, table, values["candidates"])
    elif table:
        computed = _check_assessment(uow, dossier, table, values)
    subjects.check_subjects(uow, dossier, subjects.subjects_of(uow, kind, dossier, {**values, **computed}))
    return computed


def form_rules(uow: UnitOfWork, dossier: DossierRow, version: ProcessVersionRow, step_id: str) -> FormRules | None:
    """The table the step's submission will be checked against, to show on its form before the first submit."""
    table = _step_table(dossier, version, step_id)
    if table is None or table not in dossier.decision_tables:
        return None
    outline = decisions_for(uow, dossier).outline(table)
    name, whose = _table_names(uow, dossier, table)
    return FormRules(name, whose, outline.pass_mark, outline.inputs, outline.rules)


def _step_table(dossier: DossierRow, version: ProcessVersionRow, step_id: str) -> str | None:
    """The decision table (its id for this dossier's title) the step's submission must pass, if any."""
    if "report" in version.properties:
        return None
    kind = version.properties.get(subjects.SUBJECT_PROPERTY, subjects.CANDIDATES)
    table = definition(version).steps()[step_id].submission_decision or (
        version.properties.get(PROCESS_LIST_DECISION) if kind == subjects.CANDIDATES else None)
    return resolved(table, dossier.title) if table else None


def _check_each_candidate(uow: UnitOfWork, dossier: DossierRow, decision_id: str, candidates: list[dict]) -> None:
    """Each candidate must pass the dossier's scoring table; the message names the table that refused."""
    decisions, context = decisions_for(uow, dossier), _context(uow, dossier)
    errors = {}
    for index, candidate in enumerate(candidates):
        result = decisions.evaluate(decision_id, {**context, **candidate})
        if result.get("passed") is not True:
            errors[f"candidates.{index}.score"] = (
                f"{_points(candidate.get('score'))} điểm chưa đạt ngưỡng {_points(result.get('threshold', '?'))} "
                f"({_table_source(uow, dossier, decision_id)}).")
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
        raise InvalidInput({field: f"{reason} ({_table_source(uow, dossier, decision_id)})."})
    return {**unit, **({"score": result["score"]} if "score" in result else {})}


def _context(uow: UnitOfWork, dossier: DossierRow) -> dict:
    return {"title": dossier.title, "year": dossier.year, "province": dossier.province_code, **facts(uow)}


def _table_source(uow: UnitOfWork, dossier: DossierRow, decision_id: str) -> str:
    """The table that refused, as officials know it: "bảng “Ngưỡng điểm …” toàn quốc, phiên bản 1"."""
    name, whose = _table_names(uow, dossier, decision_id)
    return f"bảng “{name}” {whose}"


def _table_names(uow: UnitOfWork, dossier: DossierRow, decision_id: str) -> tuple[str, str]:
    """The pinned table's name, and whose and which version it is: "toàn quốc, phiên bản 1"."""
    pin = dossier.decision_tables[decision_id]
    if pin["province"] == MINISTRY_CODE:
        whose = "toàn quốc"
    else:
        province = uow.units.get(pin["province"])
        whose = f"của {unit_label(province.name, province.level)}"
    return uow.decision_tables.get(pin["id"]).name, f"{whose}, phiên bản {pin['version']}"


def _points(value) -> str:
    return format(value, "g") if isinstance(value, (int, float)) else str(value)
