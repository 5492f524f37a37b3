"""Officials live in Excel: lists and registries written to .xlsx, candidate lists read from .xlsx.

Reading is all or nothing: any wrong row means nothing is imported, and each error names its row and column.
Reading is bounded: a file is refused, naming the limit, before a parser holds more than the limits allow.
"""
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO
from itertools import chain, islice
from xml.parsers.expat import ExpatError, ParserCreate
from zipfile import BadZipFile, ZipFile

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from engine.dossiers.forms import Field, Form
from engine.errors import InvalidInput

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"  # the media type of what `write` makes
MAX_ROWS = 5000  # rows of a list read at once
MAX_BYTES = 5_000_000
# What a file may unpack to, checked before anything in it is parsed: an .xlsx of a few kilobytes can unpack to
# gigabytes ("zip bomb"). A list as Excel saves it packs about 10 times; its parts are a few, its cells short.
MAX_UNPACKED = 25_000_000  # all its parts together
MAX_RATIO = 100  # unpacked over packed size, for a part that unpacks to more than RATIO_FLOOR
RATIO_FLOOR = 1_000_000
MAX_PARTS = 1000
MAX_ELEMENTS = 300_000  # XML elements in one part: what a parser building its tree would hold
MAX_SHEET_ROWS = 2 * MAX_ROWS + 1  # rows a sheet may span, blank ones and the header included
MAX_COLUMNS = 50
MAX_TEXT = 32_767  # characters in a cell, Excel's own limit
SHEET_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
# What reading a damaged or hostile file can raise, from the zip layer, the XML parsers or openpyxl.
UNREADABLE = (BadZipFile, InvalidFileException, KeyError, IndexError, OSError, EOFError, zlib.error, SyntaxError,
              ValueError, TypeError, RuntimeError)
# Text Excel (or another spreadsheet) reads as the start of a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


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
        for row in page.iter_rows():
            for cell in row:
                _format(cell)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def write_large(title: str, headers: list[str], rows: Iterable[list]) -> bytes:
    """One sheet of any number of rows (read once, as they stream), as `write` lays it out: the memory it holds is
    that of the file, not of every row as cells (openpyxl's write-only mode); widths from the first 500 rows."""
    book = Workbook(write_only=True)
    page = book.create_sheet(title[:31])
    rows = iter(rows)
    first = list(islice(rows, 500))
    for index, header in enumerate(headers, start=1):
        longest = max([len(str(header))] + [len(_shown(row[index - 1])) for row in first])
        page.column_dimensions[get_column_letter(index)].width = min(60, longest + 2)
    page.freeze_panes = "A2"
    page.append([_cell(page, header, Font(bold=True)) for header in headers])
    for row in chain(first, rows):
        page.append([_cell(page, value) for value in row])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(page, value, font: Font | None = None) -> WriteOnlyCell:
    cell = WriteOnlyCell(page, value)
    if font is not None:
        cell.font = font
    _format(cell)
    return cell


def _format(cell) -> None:
    """Dates as dd/mm/yyyy; text Excel would take for a formula (a name typed as =HYPERLINK(...)) kept as text that
    shows as typed and stays text when edited: a string cell with the quote prefix."""
    if isinstance(cell.value, (date, datetime)):
        cell.number_format = "DD/MM/YYYY"
    elif isinstance(cell.value, str) and cell.value.startswith(FORMULA_PREFIXES):
        cell.data_type = "s"
        cell.quotePrefix = True


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
    try:
        form.validate({field.name: [item for _, item in items]})
    except InvalidInput as invalid:
        errors = _by_row(invalid.errors, field, [number for number, _ in items])
    if errors:
        raise InvalidInput(errors)
    return [item for _, item in items]


def _rows(content: bytes) -> list[tuple]:
    """The first worksheet's rows, read only after the file passed every limit, and no further than MAX_ROWS."""
    if len(content) > MAX_BYTES:
        raise InvalidInput({"file": f"Tệp lớn hơn {MAX_BYTES // 1_000_000} MB."})
    try:
        _check_parts(content)
        book = load_workbook(BytesIO(content), read_only=True, data_only=True)
        try:
            rows = list(_up_to_the_limit(book.worksheets[0].iter_rows(
                max_row=MAX_SHEET_ROWS, max_col=MAX_COLUMNS, values_only=True)))
        finally:
            book.close()
    except UNREADABLE:
        raise InvalidInput({"file": "Không đọc được tệp: hãy chọn một tệp Excel .xlsx."}) from None
    if not rows:
        raise InvalidInput({"file": "Trang tính đầu tiên trống: dòng 1 phải là tiêu đề cột."})
    return rows


def _up_to_the_limit(rows):
    """The rows as they stream, refused at the first filled row past MAX_ROWS (after the header)."""
    filled = 0
    for number, row in enumerate(rows, start=1):
        if number > 1 and any(value not in (None, "") for value in row):
            filled += 1
            if filled > MAX_ROWS:
                raise InvalidInput({"file": f"Tệp có hơn {MAX_ROWS} dòng; tối đa {MAX_ROWS} dòng một lần."})
        yield row


def _check_parts(content: bytes) -> None:
    """Refuse a file past the limits before a parser builds anything: the parts' sizes and packing as the zip
    declares them (reading never yields more than declared: past it the checksum fails), then every XML part counted
    as it streams through expat, which holds nothing."""
    with ZipFile(BytesIO(content)) as archive:
        parts = archive.infolist()
        if len(parts) > MAX_PARTS:
            _refuse(f"Tệp có hơn {MAX_PARTS} phần: không phải một danh sách Excel.")
        for part in parts:
            if part.file_size > RATIO_FLOOR and part.file_size > MAX_RATIO * part.compress_size:
                _refuse(f"Phần {part.filename} nén hơn {MAX_RATIO} lần: tệp được dựng để làm tràn bộ nhớ "
                        "(bom nén), không đọc.")
        if sum(part.file_size for part in parts) > MAX_UNPACKED:
            _refuse(f"Tệp giải nén ra hơn {MAX_UNPACKED // 1_000_000} MB; tối đa {MAX_UNPACKED // 1_000_000} MB.")
        for part in parts:
            with archive.open(part) as stream:
                _PartCount(part.filename).read(stream)


def _refuse(problem: str):
    raise InvalidInput({"file": problem})


class _PartCount:
    """One part streamed through expat, counting what a parser would hold and refusing at the first limit passed."""

    def __init__(self, name: str):
        self.name, self.elements, self.text = name, 0, None
        self.row = self.column = 0
        self.parser = ParserCreate(namespace_separator="}")
        self.parser.StartElementHandler = self.start
        self.parser.EndElementHandler = self.end
        self.parser.CharacterDataHandler = self.characters
        self.parser.StartDoctypeDeclHandler = self.doctype

    def read(self, stream) -> None:
        """Stream the part; one that is not XML is refused, except legacy drawings (.vml: Excel writes them as
        HTML) and parts that do not start as XML (pictures), which openpyxl does not parse either."""
        first = stream.read(1 << 16)
        if not first or not _looks_like_xml(first) and not self.name.endswith((".xml", ".rels")):
            return
        try:
            chunk = first
            while chunk:
                self.parser.Parse(chunk, False)
                chunk = stream.read(1 << 16)
            self.parser.Parse(b"", True)
        except ExpatError as error:
            if not self.name.endswith(".vml"):
                _refuse(f"Phần {self.name} không phải XML hợp lệ (dòng {error.lineno}).")

    def start(self, tag: str, attributes: dict) -> None:
        self.elements += 1
        # Cells' text only: other parts (a query's saved definition, say) may hold long text by right.
        self.text = 0 if tag.startswith(SHEET_MAIN) else None
        if self.elements > MAX_ELEMENTS:
            _refuse(f"Phần {self.name} có hơn {MAX_ELEMENTS} phần tử XML.")
        if tag == f"{SHEET_MAIN}}}row":
            self.row = _number(attributes.get("r"), self.row + 1)
            self.column = 0
            if self.row > MAX_SHEET_ROWS:
                _refuse(f"Trang tính dài hơn {MAX_SHEET_ROWS} dòng (kể cả dòng trống); "
                        f"tối đa {MAX_ROWS} dòng một lần.")
        elif tag == f"{SHEET_MAIN}}}c":
            self.column = _column(attributes.get("r"), self.column + 1)
            if self.column > MAX_COLUMNS:
                _refuse(f"Dòng {self.row}: có ô quá cột {MAX_COLUMNS}; tối đa {MAX_COLUMNS} cột.")

    def end(self, tag: str) -> None:
        self.text = None

    def characters(self, data: str) -> None:
        if self.text is None:
            return
        self.text += len(data)
        if self.text > MAX_TEXT:
            _refuse(f"Phần {self.name} có một ô hơn {MAX_TEXT} ký tự, quá giới hạn của Excel.")

    def doctype(self, *declaration) -> None:
        _refuse(f"Phần {self.name} có khai báo DOCTYPE, điều tệp Excel không có.")


def _looks_like_xml(start: bytes) -> bool:
    return start.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<") or start.startswith((b"\xff\xfe", b"\xfe\xff"))


def _number(reference: str | None, following: int) -> int:
    """A row's number as the sheet gives it (r="12"), or the one after the last."""
    if reference and reference.isascii() and reference.isdigit():
        return int(reference[:12])  # a longer one is as far past every limit
    return following


def _column(reference: str | None, following: int) -> int:
    """A cell's column number from its reference (r="AB12" is 28), or the one after the last."""
    letters = (reference or "").rstrip("0123456789").upper()
    if not letters or not letters.isalpha() or not letters.isascii():
        return following
    number = 0
    for letter in letters[:4]:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


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
