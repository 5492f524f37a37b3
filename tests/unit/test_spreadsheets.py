"""Excel in and out: files written are opened back; files read are all or nothing, with row and column in
every error. Bad inputs tried: not an xlsx, a sheet that is not XML, empty sheet, missing and unknown columns, text
and out-of-range scores, a missing name, too many rows; text starting with =, +, -, @, tab or CR written out; and
files built to exhaust the reader ("zip bombs"): 3 million empty cells in one row, a million identical rows (both
deflated over 1000 times), 350,000 different rows (38 MB, deflated 10 times), 20,000 different rows, 6,000 named
rows, a row 100,000 cells wide, a cell in column XFD, a row numbered 1,048,576, a 40,000-character cell, a
billion-laughs DOCTYPE, a styles part of 400,000 elements, 2,000 parts, and a part whose headers understate its
size."""
import struct
import tracemalloc
from collections import Counter
from datetime import date
from io import BytesIO
from pathlib import Path
from zipfile import ZipFile

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from engine import spreadsheets
from engine.dossiers import forms
from engine.errors import InvalidInput
from tests.support.builders import SHEET_XML, xlsx_file, xlsx_with_part

FORM = forms.Form(forms.load_schema("candidate_list.schema.json", (
    Path(__file__).parents[2] / "bpmn" / "forms" / "candidate_list.schema.json").read_text()))
CANDIDATES = FORM.fields[0]


def read(*rows):
    return spreadsheets.read_list(xlsx_file(*rows), CANDIDATES, FORM)


def errors_of(content: bytes) -> dict:
    with pytest.raises(InvalidInput) as caught:
        spreadsheets.read_list(content, CANDIDATES, FORM)
    return caught.value.errors


def test_written_sheets_open_back_with_their_values():
    content = spreadsheets.write(
        spreadsheets.Sheet("Sổ danh hiệu", ["Tên (chủ hộ, dòng họ, thôn)", "Ngày"], [["Nguyễn Văn An", date(2026, 11, 25)]]),
        spreadsheets.Sheet("Số lượng", ["Xã", "Số lượng"], [["00070", 2]]))
    book = load_workbook(BytesIO(content))
    assert book.sheetnames == ["Sổ danh hiệu", "Số lượng"]
    first = book["Sổ danh hiệu"]
    assert [c.value for c in first[1]] == ["Tên (chủ hộ, dòng họ, thôn)", "Ngày"] and first[1][0].font.bold
    assert first["A2"].value == "Nguyễn Văn An" and first["B2"].value.date() == date(2026, 11, 25)
    assert first.freeze_panes == "A2" and book["Số lượng"]["B2"].value == 2


def test_formula_like_text_is_written_as_text_and_numbers_as_numbers():
    """Every written sheet (headers included) keeps text starting with =, +, -, @, tab or CR a quoted string;
    negative numbers, and text that merely contains = later on, are left as they are."""
    dangerous = ["=1+1", "+1", "-1", "@A1", "\t=1", "\r=1"]
    content = spreadsheets.write(spreadsheets.Sheet("S", ["=Tiêu đề", "Số"], [[text, -5 - i] for i, text in
                                                                            enumerate(dangerous)] + [["a=b", -2.5]]))
    sheet = load_workbook(BytesIO(content)).active
    cells = [(c.value, c.data_type, c.quotePrefix) for row in sheet.iter_rows() for c in row]
    assert cells[:2] == [("=Tiêu đề", "s", True), ("Số", "s", False)]
    assert cells[2::2] == [(text, "s", True) for text in dangerous] + [("a=b", "s", False)]
    assert cells[3::2] == [(-5 - i, "n", False) for i in range(len(dangerous))] + [(-2.5, "n", False)]


def test_a_good_list_is_read_by_column_titles_or_names_in_any_order():
    assert read(["Điểm đánh giá", "Tên (chủ hộ, dòng họ, thôn)"], [86, "Nguyễn Văn An"], [None, None], ["92,5", "Trần Thị Bình"]) == [
        {"name": "Nguyễn Văn An", "score": 86}, {"name": "Trần Thị Bình", "score": 92.5}]
    assert read(["name", "score"], ["Lê Văn Cường", 70]) == [{"name": "Lê Văn Cường", "score": 70}]


def test_row_errors_name_the_row_and_the_column_and_nothing_is_returned():
    content = xlsx_file(["Tên (chủ hộ, dòng họ, thôn)", "Điểm đánh giá"], ["Nguyễn Văn An", 86], ["Trần Thị Bình", "chín mươi"],
                   [None, 70], ["Phạm Thị Dung", 130])
    assert errors_of(content) == {
        "Dòng 3, cột Điểm đánh giá": "Phải là một số.",
        "Dòng 4, cột Tên (chủ hộ, dòng họ, thôn)": "Bắt buộc nhập.",
        "Dòng 5, cột Điểm đánh giá": "Không được lớn hơn 100.",
    }


@pytest.mark.parametrize(("content", "message"), [
    (b"name,score\nA,1\n", "hãy chọn một tệp Excel .xlsx"),
    (xlsx_file(), "dòng 1 phải là tiêu đề cột"),
    (xlsx_file(["Tên (chủ hộ, dòng họ, thôn)"], ["A"]), "thiếu cột Điểm đánh giá"),
    (xlsx_file(["Tên (chủ hộ, dòng họ, thôn)", "Điểm đánh giá", "Ghi chú"], ["A", 1, "x"]), "cột lạ Ghi chú"),
    (xlsx_file(["Tên (chủ hộ, dòng họ, thôn)", "Điểm đánh giá"]), "Cần ít nhất 1 dòng."),
    (xlsx_with_part("xl/worksheets/sheet1.xml", [b"not xml"]), "Phần xl/worksheets/sheet1.xml không phải XML hợp lệ"),
    (xlsx_with_part("xl/worksheets/sheet1.xml", [SHEET_XML, b"<row><c>"]), "xl/worksheets/sheet1.xml không phải XML"),
    (xlsx_with_part("xl/workbook.xml", [b"\x89PNG"]), "Phần xl/workbook.xml không phải XML hợp lệ"),
])
def test_whole_file_errors(content, message):
    assert message in errors_of(content)["file"]


def test_too_many_rows(monkeypatch):
    monkeypatch.setattr(spreadsheets, "MAX_ROWS", 3)
    rows = [["Hộ " + str(i), 80] for i in range(4)]
    assert "tối đa 3 dòng" in errors_of(xlsx_file(["Tên (chủ hộ, dòng họ, thôn)", "Điểm đánh giá"], *rows))["file"]


SHEET = "xl/worksheets/sheet1.xml"
MB = 1_000_000
HEADER = ('<row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c>'
          '<c r="B1" t="inlineStr"><is><t>score</t></is></c></row>')


def with_sheet(rows) -> bytes:
    """A list whose worksheet holds these rows (XML strings), written a batch at a time, never whole."""
    return xlsx_with_part(SHEET, sheet_part(rows))


def sheet_part(rows, batch=10_000):
    yield SHEET_XML
    rows, chunk = iter(rows), []
    for row in rows:
        chunk.append(row)
        if len(chunk) == batch:
            yield "".join(chunk).encode()
            chunk = []
    yield "".join(chunk).encode() + b"</sheetData></worksheet>"


def households(count):
    """The header and `count` households, each row and cell numbered as Excel numbers them."""
    yield HEADER
    for i in range(2, count + 2):
        yield f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>Hộ {i}</t></is></c><c r="B{i}"><v>{i % 100}</v></c></row>'


def one_row(cells):
    return with_sheet(['<row r="1">', *cells, "</row>"])


def styles(count) -> bytes:
    def part():
        yield b'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts>'
        for start in range(200, count + 200, 10_000):
            yield "".join(f'<numFmt numFmtId="{i}" formatCode="0.{i}"/>' for i in range(start, start + 10_000)).encode()
        yield b"</numFmts></styleSheet>"
    return xlsx_with_part("xl/styles.xml", part())


def many_parts(count) -> bytes:
    out = BytesIO(xlsx_file(["name", "score"], ["Hộ A", 80]))
    with ZipFile(out, "a") as archive:
        for i in range(count):
            archive.writestr(f"customXml/item{i}.xml", "<a/>")
    return out.getvalue()


ENTITIES = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
LAUGHS = (f'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY l0 "lol">{ENTITIES}]>'.encode() + SHEET_XML
          + b'<row><c t="inlineStr"><is><t>&l9;</t></is></c></row></sheetData></worksheet>')

BOMBS = {  # what the file is: (how it is built, what the refusal says, the most sheet rows read before refusing)
    "3 million empty cells in one row": (lambda: one_row(["<c/>"] * 3_000_000), "nén hơn 100 lần", 0),
    "a million identical rows": (lambda: with_sheet(['<row><c t="n"><v>1</v></c></row>'] * 1_000_000),
                                 "nén hơn 100 lần", 0),
    "350,000 different rows (38 MB)": (lambda: with_sheet(households(350_000)), "giải nén ra hơn 25 MB", 0),
    "20,000 different rows": (lambda: with_sheet(households(20_000)), "dài hơn 10001 dòng", 0),
    "6,000 named rows": (lambda: with_sheet(households(6_000)), "hơn 5000 dòng; tối đa 5000 dòng", 5_002),
    "a row 100,000 cells wide": (lambda: one_row(f"<c><v>{i}</v></c>" for i in range(100_000)),
                                 "Dòng 1: có ô quá cột 50", 0),
    "a cell in column XFD": (lambda: one_row(['<c r="XFD1"><v>1</v></c>']), "Dòng 1: có ô quá cột 50", 0),
    "a row numbered 1,048,576": (lambda: with_sheet(['<row r="1048576"><c r="A1048576"><v>1</v></c></row>']),
                                 "dài hơn 10001 dòng", 0),
    "a 40,000-character cell": (lambda: one_row([f'<c t="inlineStr"><is><t>{"Hộ " * 13_334}</t></is></c>']),
                                "hơn 32767 ký tự", 0),
    "a billion-laughs DOCTYPE": (lambda: xlsx_with_part(SHEET, [LAUGHS]), "có khai báo DOCTYPE", 0),
    "a styles part of 400,000 elements": (lambda: styles(400_000), "Phần xl/styles.xml có hơn 300000 phần tử XML", 0),
    "2,000 parts": (lambda: many_parts(2_000), "hơn 1000 phần", 0),
}


def refusal_and_peak(content: bytes) -> tuple[str, int]:
    """What the reader says is wrong with the file, and the most memory (tracemalloc) it held to say so."""
    tracemalloc.start()
    try:
        return errors_of(content)["file"], tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


class ReadPastTheLimit(Exception):
    """A test's reading went on past every limit: stopped there rather than left to exhaust the machine."""


@pytest.fixture
def rows_read(monkeypatch):
    """How many rows openpyxl handed out of the first sheet (blank ones it fills in included)."""
    counted = Counter()
    cells_by_row = ReadOnlyWorksheet._cells_by_row

    def counting(*args, **kwargs):
        for row in cells_by_row(*args, **kwargs):
            counted["rows"] += 1
            if counted["rows"] > 2 * spreadsheets.MAX_ROWS + 2:
                raise ReadPastTheLimit(counted["rows"])
            yield row
    monkeypatch.setattr(ReadOnlyWorksheet, "_cells_by_row", counting)
    return counted


@pytest.mark.parametrize("bomb", BOMBS)
def test_a_file_built_to_exhaust_the_reader_is_refused_within_bounds(bomb, rows_read):
    build, message, most_rows = BOMBS[bomb]
    content = build()
    assert len(content) < spreadsheets.MAX_BYTES
    refusal, peak = refusal_and_peak(content)
    assert message in refusal
    assert rows_read["rows"] <= most_rows
    assert peak < 100 * MB


def understating(content: bytes, name: str, size: int) -> bytes:
    """The file with the part's unpacked size set to `size` in its local header and in the central directory."""
    patched = bytearray(content)
    local = ZipFile(BytesIO(content)).getinfo(name).header_offset
    patched[local + 22:local + 26] = struct.pack("<I", size)
    central = content.find(b"PK\x01\x02")
    while content[central + 46:central + 46 + len(name)] != name.encode():
        central = content.find(b"PK\x01\x02", central + 4)
    patched[central + 24:central + 28] = struct.pack("<I", size)
    return bytes(patched)


def test_a_part_whose_headers_understate_its_size_is_read_no_further_than_they_say(rows_read):
    """34 MB of rows declared as 100 KB: reading stops at 100 KB, where the checksum no longer matches."""
    rows = b"".join(sheet_part(['<row><c t="n"><v>1</v></c></row>'] * 1_000_000))
    content = understating(xlsx_with_part(SHEET, [rows]), SHEET, 100_000)
    assert ZipFile(BytesIO(content)).getinfo(SHEET).file_size == 100_000
    refusal, peak = refusal_and_peak(content)
    assert "Không đọc được tệp" in refusal and rows_read["rows"] == 0 and peak < 100 * MB
