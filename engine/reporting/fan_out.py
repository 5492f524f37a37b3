"""The job of a province's report that opens its communes' reports: one dossier per commune of the province, asked
for by the province's report (its service `open_commune_dossiers`) and run by a worker, so that the province's step
does not wait on a hundred dossiers."""
from engine.dossiers import step_runner
from engine.jobs.job_call import JobCall
from engine.model import SYSTEM
from engine.organisation.units import unit_label
from engine.reporting import figures
from engine.reporting.periods import report_name


def open_commune_reports(call: JobCall) -> dict:
    """Open each commune's report (due at `deadline`, reminded at `reminder_at`), pre-filled with what the registry
    knows. Runs in the job's transaction: every commune's report or none."""
    uow, params = call.uow, call.params
    report = uow.dossiers.get(params["dossier"])
    version = uow.processes.get(params["version"])
    known = figures.from_registry(uow, report.title, report.province_code, report.year)
    context = {"period": report.data.get("period"), "commune_deadline": params["deadline"],
               "reminder_at": params["reminder_at"]}
    communes = uow.units.communes_of(report.province_code)
    for commune in communes:
        name = report_name(report.title, report.year, unit_label(commune.name, commune.level))
        values = {"year": report.year, "title": report.title, "period": report.data.get("period"),
                  "parent": report.id, "name": name, **known.get(commune.code, {})}
        step_runner.start(uow, SYSTEM, version, commune, values, context)
    return {"opened": len(communes)}
