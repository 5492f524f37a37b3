"""Officials live in Excel: lists and registries written to .xlsx, candidate lists read from .xlsx.

Reading is all or nothing: any wrong row means nothing is imported, and each error names its row and column.
"""
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO
from zipfile import BadZipFile

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils.exceptions import InvalidFileException

from engine.dossiers.forms import Field, Form
from engine.errors import InvalidInput

MAX_ROWS = 5000
MAX_BYTES = 5_000_000


@dataclass(frozen=True)
class Sheet:
    title: str
    headers: list[str]
    rows: list[list]


def write(*sheets: Sheet) -> bytes:
    """An .xlsx workbook with one worksheet per sheet: bold, frozen header row, readable column widths."""
    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        page = book.create_sheet(sheet.title[:31])
        page.append(sheet.headers)
        for cell in page[1]:
            cell.font = Font(bold=True)
        for row in sheet.rows:
            page.append(row)
        page.freeze_panes = "A2"
        for index, header in enumerate(sheet.headers, start=1):
            longest = max([len(str(header))] + [len(_shown(r[index - 1])) for r in sheet.rows[:500]])
            page.column_dimensions[page.cell(1, index).column_letter].width = min(60, longest + 2)
        for row in page.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, (date, datetime)):
                    cell.number_format = "DD/MM/YYYY"
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _shown(value) -> str:
    return value.strftime("%d/%m/%Y") if isinstance(value, (date, datetime)) else str(value if value is not None else "")


def read_list(content: bytes, field: Field, form: Form) -> list[dict]:
    """The rows of the first worksheet as items of the list `field`, checked against the whole `form`."""
    rows = _rows(content)
    columns = _columns(rows[0], field)
    items, errors = [], {}
    for number, row in enumerate(rows[1:], start=2):
        if all(value in (None, "") for value in row):
            continue
        item = {}
        for index, sub in columns.items():
            value = row[index] if index < len(row) else None
            if value in (None, ""):
                continue
            item[sub.name] = _typed(value, sub)
        items.append((number, item))
    if len(items) > MAX_ROWS:
        raise InvalidInput({"file": f"Tệp có {len(items)} dòng; tối đa {MAX_ROWS} dòng một lần."})
    try:
        form.validate({field.name: [item for _, item in items]})
    except InvalidInput as invalid:
        errors = _by_row(invalid.errors, field, [number for number, _ in items])
    if errors:
        raise InvalidInput(errors)
    return [item for _, item in items]


def _rows(content: bytes) -> list[tuple]:
    if len(content) > MAX_BYTES:
        raise InvalidInput({"file": f"Tệp lớn hơn {MAX_BYTES // 1_000_000} MB."})
    try:
        book = load_workbook(BytesIO(content), read_only=True, data_only=True)
    except (BadZipFile, InvalidFileException, KeyError, OSError):
        raise InvalidInput({"file": "Không đọc được tệp: hãy chọn một tệp Excel .xlsx."}) from None
    rows = [tuple(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    book.close()
    if not rows:
        raise InvalidInput({"file": "Trang tính đầu tiên trống: dòng 1 phải là tiêu đề cột."})
    return rows


def _columns(header: tuple, field: Field) -> dict[int, Field]:
    wanted = {}
    for sub in field.item_fields:
        wanted[sub.label.strip().casefold()] = sub
        wanted[sub.name.casefold()] = sub
    columns, unknown = {}, []
    for index, title in enumerate(header):
        if title in (None, ""):
            continue
        sub = wanted.get(str(title).strip().casefold())
        if sub is None:
            unknown.append(str(title))
        else:
            columns[index] = sub
    missing = [sub.label for sub in field.item_fields if sub not in columns.values()]
    if missing or unknown:
        expected = ", ".join(sub.label for sub in field.item_fields)
        problem = "; ".join(filter(None, [
            f"thiếu cột {', '.join(missing)}" if missing else "",
            f"cột lạ {', '.join(unknown)}" if unknown else ""]))
        raise InvalidInput({"file": f"Dòng 1 (tiêu đề): {problem}. Cần đúng các cột: {expected}."})
    return columns


def _typed(value, sub: Field):
    if sub.kind == "number" and isinstance(value, str):
        try:
            return float(value.strip().replace(",", "."))
        except ValueError:
            return value.strip()
    if sub.kind == "string" and not isinstance(value, str):
        return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    return value.strip() if isinstance(value, str) else value


def _by_row(errors: dict[str, str], field: Field, row_numbers: list[int]) -> dict[str, str]:
    """Schema paths (candidates.3.score) as an official reads them: 'Dòng 5, cột Điểm đánh giá'."""
    labels = {sub.name: sub.label for sub in field.item_fields}
    readable = {}
    for path, message in errors.items():
        parts = path.split(".")
        if len(parts) == 3 and parts[0] == field.name and parts[1].isdigit():
            readable[f"Dòng {row_numbers[int(parts[1])]}, cột {labels.get(parts[2], parts[2])}"] = message
        else:
            readable["file" if parts[0] == field.name else path] = message
    return readable
