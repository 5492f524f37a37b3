"""Excel in and out: files written are opened back; files read are all or nothing, with row and column in
every error. Bad inputs tried: not an xlsx, empty sheet, missing and unknown columns, text and out-of-range scores,
a missing name, too many rows."""
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook

from engine import spreadsheets
from engine.dossiers import forms
from engine.errors import InvalidInput
from tests.support.builders import xlsx_file

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
])
def test_whole_file_errors(content, message):
    assert message in errors_of(content)["file"]


def test_too_many_rows(monkeypatch):
    monkeypatch.setattr(spreadsheets, "MAX_ROWS", 3)
    rows = [["Hộ " + str(i), 80] for i in range(4)]
    assert "tối đa 3 dòng" in errors_of(xlsx_file(["Tên (chủ hộ, dòng họ, thôn)", "Điểm đánh giá"], *rows))["file"]
