"""Reading what a request sends back into what the use cases take: a task form's values (as its JSON Schema
expects them), a deployment's files."""
import math
import re
from pathlib import Path

from engine.designing.deployments import MAX_FILE_BYTES
from engine.dossiers import attachments
from engine.dossiers.attachments import Upload
from engine.dossiers.forms import Field
from engine.errors import DeploymentRefused
from engine.model import InboxFilter

LIST_ROWS_SPARE = 5


def parse(fields: tuple[Field, ...], form) -> dict:
    """Values keyed by field name; empty inputs are left out so the schema reports what is missing."""
    values = {}
    for field in fields:
        if field.kind == "files":
            kept = form.getlist(field.name)
            if kept:
                values[field.name] = [ascii_int(i) for i in kept]
            continue
        if field.kind == "list":
            rows = _rows(field, form)
            if rows or field.name in form.getlist("_lists"):
                values[field.name] = rows
            continue
        raw = form.get(field.name, "").strip()
        if raw:
            values[field.name] = _typed(field, raw)
    return values


def uploads(fields: tuple[Field, ...], files) -> dict[str, list[Upload]]:
    """The files chosen in each file field of the form (empty choosers left out)."""
    chosen = {field.name: [upload(f, f.filename) for f in files.getlist(field.name) if f.filename]
              for field in fields if field.kind == "files"}
    return {name: items for name, items in chosen.items() if items}


def upload(file, name: str, limit: int = attachments.MAX_FILE_BYTES) -> Upload:
    """A sent file read no further than one byte past `limit`: enough to refuse it, without holding it all."""
    return Upload(name, file.stream.read(limit + 1))


def _rows(field: Field, form) -> list[dict]:
    # Row inputs are named "<list>-<row>-<column>"; rows keep the order of their numbers.
    pattern = re.compile(rf"{re.escape(field.name)}-([0-9]+)-")
    indexes = sorted({match.group(1) for key in form if (match := pattern.match(key))}, key=int)
    rows = []
    for index in indexes:
        row = {}
        for sub in field.item_fields:
            raw = form.get(f"{field.name}-{index}-{sub.name}", "").strip()
            if raw:
                row[sub.name] = _typed(sub, raw)
        if row:
            rows.append(row)
    return rows


def _typed(field: Field, raw: str):
    if field.kind != "number":
        return raw
    # A value that is not a number stays text, so the schema names the field and says it must be a number.
    try:
        number = float(raw.replace(",", "."))
    except ValueError:
        return raw
    if not math.isfinite(number):
        return raw
    return int(number) if number.is_integer() else number


def ascii_int(text: str | None) -> int | None:
    """The number in a query or form value, if it is plain ASCII digits ('²' and '٣' are not)."""
    text = (text or "").strip()
    return int(text) if text.isascii() and text.isdigit() else None


# The inbox's filter as the page's query string and the API's query names it.
FILTER_FIELDS = ("q", "title", "year", "step", "unit", "overdue", "returned", "sort")
_YES = ("1", "on", "true")


def inbox_filter(values) -> InboxFilter:
    """The inbox filter of a query string or form (q, title, year, step, unit, overdue, returned, sort); an unreadable
    year is no year."""
    return InboxFilter(text=(values.get("q") or "").strip(), title=values.get("title") or None,
                       year=ascii_int(values.get("year")), step=values.get("step") or None,
                       unit=values.get("unit") or None, overdue=values.get("overdue") in _YES,
                       returned=values.get("returned") in _YES, sort=values.get("sort") or "received")


def filter_query(narrowed: InboxFilter) -> dict[str, str]:
    """The query string that gives back `narrowed` (what inbox_filter reads), without its empty parts."""
    query = {"q": narrowed.text, "title": narrowed.title, "year": narrowed.year, "step": narrowed.step,
             "unit": narrowed.unit, "overdue": "1" if narrowed.overdue else None,
             "returned": "1" if narrowed.returned else None,
             "sort": narrowed.sort if narrowed.sort != "received" else None}
    return {name: str(value) for name, value in query.items() if value}


def error_summary(fields: tuple[Field, ...], errors: dict[str, str]) -> list[tuple[str, str]]:
    """The errors as the summary above a task's form lists them, in the form's order: (the id of the input to go
    to, the field's label and the reason); an error of no one field goes to the form itself."""
    by_name = {field.name: field for field in fields}
    order = {name: index for index, name in enumerate(by_name)}
    lines = []
    for key, message in sorted(errors.items(), key=lambda item: order.get(item[0].split(".")[0], len(order))):
        name, _, rest = key.partition(".")
        field = by_name.get(name)
        if field is None:
            lines.append(("task-form", message))
            continue
        row, _, sub = rest.partition(".")
        if field.kind != "list" or not row.isdigit():
            lines.append((f"field-{name}", f"{field.label}: {message}"))
            continue
        column = next((item for item in field.item_fields if item.name == sub), field.item_fields[0])
        place = f"{field.label}, dòng {int(row) + 1}" + (f", {column.label}" if sub else "")
        lines.append((f"field-{name}-{row}-{column.name}", f"{place}: {message}"))
    return lines


def carried(form, *left_out: str) -> list[tuple[str, str]]:
    """A form's fields as sent, but those `left_out`: what a page carries on in hidden inputs."""
    return [(name, value) for name, value in form.items(multi=True) if name not in left_out]


def blank_rows(values: list | None) -> int:
    """How many rows a list input shows: its values and a few spare ones to fill in."""
    return len(values or []) + LIST_ROWS_SPARE


DEPLOYABLE = (".bpmn", ".dmn", ".json")


def deployment_files(uploads) -> dict[str, bytes]:
    """The files of a deployment from a multipart request, by file name (a part without one is not a file):
    diagrams, decision tables and forms, each within the diagram size limit, no name twice."""
    files = {}
    for part_name, upload in uploads.items(multi=True):
        name = Path(upload.filename or "").name
        if not name:
            continue
        if not name.lower().endswith(DEPLOYABLE):
            raise DeploymentRefused(name, f"chỉ triển khai được tệp {', '.join(DEPLOYABLE)} (phần '{part_name}')")
        if name in files:
            raise DeploymentRefused(name, "tệp được gửi hai lần")
        content = upload.stream.read(MAX_FILE_BYTES + 1)
        if len(content) > MAX_FILE_BYTES:
            raise DeploymentRefused(name, f"tệp lớn hơn {MAX_FILE_BYTES // 1_000_000} MB")
        files[name] = content
    if not files:
        raise DeploymentRefused("(triển khai)", "không có tệp nào; chọn các tệp .bpmn (và biểu mẫu .json) để "
                                                "triển khai")
    return files
