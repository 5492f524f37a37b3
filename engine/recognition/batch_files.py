"""Files made in the background for an official: a recognition decision's certificates as one PDF to print, and the
registry under a unit as an .xlsx file of any size Excel opens. Asking checks the official's reach at once (a refusal
is answered then, never left as a dead job); the job runs as that official, their account and reach checked again
in its transaction, and keeps the file for them."""
from engine.errors import InvalidInput
from engine.jobs import outbox
from engine.jobs.job_call import JobCall
from engine.model import Official
from engine.organisation.accounts import active_official
from engine.organisation.units import unit_labels
from engine.recognition import registry
from engine.recognition.registry_sheets import TITLE_COLUMNS, TITLES, title_row
from engine.spreadsheets import XLSX, write_large
from engine.storage.unit_of_work import UnitOfWork

PDF = "application/pdf"
# Excel's last row, less the header.
MAX_EXPORTED_TITLES = 1_048_575


def ask_for_certificates(decision_id: int, official: Official, uow: UnitOfWork) -> int:
    """Ask for every certificate of a recognition decision within the official's reach, as one PDF; the job's id."""
    with uow:
        registry.decision_titles(uow, decision_id, official)
        job_id = outbox.enqueue(uow, "certificate_batch", {"decision": decision_id}, official)
        uow.commit()
        return job_id


def ask_for_registry_export(official: Official, uow: UnitOfWork, year: int | None = None,
                            unit_code: str | None = None) -> int:
    """Ask for the registry under a unit within reach (of one year, or every year) as an .xlsx file; the job's id."""
    with uow:
        unit = registry.unit_in_reach(uow, official, unit_code)
        if uow.titles.count_under(unit, year) > MAX_EXPORTED_TITLES:
            most = f"{MAX_EXPORTED_TITLES:,}".replace(",", ".")
            raise InvalidInput({"year": f"Quá {most} danh hiệu, nhiều hơn một trang Excel chứa được: chọn một năm hoặc "
                                        "một đơn vị nhỏ hơn."})
        job_id = outbox.enqueue(uow, "registry_export", {"year": year, "unit": unit.code}, official)
        uow.commit()
        return job_id


def certificate_batch(call: JobCall) -> dict:
    """The job: the decision's certificates within the asker's reach, one page each."""
    asker = active_official(call.uow, call.job.requested_by)
    name, pdf = registry.decision_certificates(call.params["decision"], asker, call.uow)
    call.keep_file(name, PDF, pdf)
    return {"file": name, "bytes": len(pdf)}


def registry_export(call: JobCall) -> dict:
    """The job: the titles under the unit, streamed from the database into the sheet."""
    asker = active_official(call.uow, call.job.requested_by)
    year, unit = call.params["year"], call.params["unit"]
    written = 0
    names = unit_labels(call.uow)

    def rows():
        nonlocal written
        for title in registry.titles_streamed(asker, call.uow, year, unit):
            written += 1
            yield title_row(title, lambda code: names.get(code, code))

    content = write_large(TITLES, TITLE_COLUMNS, rows())
    name = f"so-danh-hieu-{unit}-{year or 'moi-nam'}.xlsx"
    call.keep_file(name, XLSX, content)
    return {"file": name, "bytes": len(content), "rows": written}
