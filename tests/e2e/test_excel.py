"""Excel through the pages: every list downloads as .xlsx (opened back), and a branch fills its list from a file.
Bad inputs tried: a wrong score, a file that is no workbook, a workbook whose sheet is not XML, candidates named as
formulas (=HYPERLINK, +, -, @, tab, CR), another commune asking for the list."""
import re
from io import BytesIO

from openpyxl import load_workbook

from engine.dossiers import starting, tasks, viewing
from tests.support.builders import APPROVAL, PROCESS, csrf_token, only_task, to_commune, xlsx_file, xlsx_with_part


def opened(response):
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype.endswith("spreadsheetml.sheet")
    return load_workbook(BytesIO(response.data))


def rows(sheet):
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_every_list_downloads_as_a_xlsx_file(client, officials, login_as, new_uow):
    dossier_id, verify = to_commune(new_uow, officials)
    approve = only_task(tasks.complete_task(verify.id, officials.commune, {"decision": "approve"}, new_uow()))
    login_as(officials.province)
    inbox = opened(client.get("/inbox.xlsx")).active
    assert rows(inbox)[0][:5] == ["Hồ sơ", "Tên hồ sơ", "Đơn vị đề nghị", "Danh hiệu", "Bước"]
    assert rows(inbox)[1][:5] == [dossier_id, "Tổ 1", "Chi hội tổ 1", "Gia đình học tập",
                                  "Phê duyệt, ra quyết định công nhận"]
    assert rows(inbox)[1][6] == "Thành phố Hà Nội"  # the unit holding the task, by name
    tasks.complete_task(approve.id, officials.province, APPROVAL, new_uow())
    book = opened(client.get("/registry.xlsx?year=2026"))
    assert book.sheetnames == ["Sổ danh hiệu", "Số lượng theo xã"]
    assert [r[0] for r in rows(book["Sổ danh hiệu"])[1:]] == ["Nguyễn Văn An", "Trần Thị Bình"]
    assert rows(book["Sổ danh hiệu"])[1][5:8] == ["Chi hội tổ 1", "Phường Hoàn Kiếm", "Thành phố Hà Nội"]
    assert rows(book["Số lượng theo xã"])[1] == [2026, "Gia đình học tập", "Thành phố Hà Nội", "Phường Hoàn Kiếm",
                                               "00070", 2]
    candidates = opened(client.get(f"/dossiers/{dossier_id}/candidates.xlsx")).active
    assert rows(candidates) == [["Tên (chủ hộ, dòng họ, thôn)", "Điểm đánh giá"], ["Nguyễn Văn An", 86], ["Trần Thị Bình", 92.5]]
    login_as(officials.commune)
    assert rows(opened(client.get("/branches.xlsx")).active) == [["Mã", "Tên", "Loại"], [officials.branch_code, "Chi hội tổ 1", "Chi hội thôn, tổ dân phố"]]
    login_as(officials.other_commune)
    assert client.get(f"/dossiers/{dossier_id}/candidates.xlsx").status_code == 404


FORMULA_LIKE = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=2+2"]


def test_text_that_looks_like_a_formula_downloads_as_text(client, officials, login_as, new_uow):
    """Names starting with =, +, -, @, a tab or a carriage return are kept as text cells Excel shows as typed
    (a string with the quote prefix, never a formula); scores, negative or not, stay numbers."""
    candidates = [{"name": name, "score": 80 + index} for index, name in enumerate(FORMULA_LIKE)]
    dossier_id, _ = to_commune(new_uow, officials, candidates)
    login_as(officials.commune)
    sheet = opened(client.get(f"/dossiers/{dossier_id}/candidates.xlsx")).active
    names, scores = [row[0] for row in sheet.iter_rows(min_row=2)], [row[1] for row in sheet.iter_rows(min_row=2)]
    assert [(c.value, c.data_type, c.quotePrefix) for c in names] == [(name, "s", True) for name in FORMULA_LIKE]
    assert [(c.value, c.data_type) for c in scores] == [(80 + index, "n") for index in range(len(FORMULA_LIKE))]


def test_a_step_without_a_list_has_no_list_to_download(client, officials, login_as, new_uow):
    _, verify = to_commune(new_uow, officials)
    login_as(officials.commune)
    response = client.get(f"/tasks/{verify.id}/list.xlsx")
    assert response.status_code == 404 and "không có danh sách để tải về" in response.get_data(as_text=True)


def upload(client, task_id, token, content, filename="danh-sach.xlsx"):
    return client.post(f"/tasks/{task_id}/import", data={"csrf_token": token, "file": (BytesIO(content), filename)},
                       content_type="multipart/form-data")


def test_a_branch_fills_its_list_from_excel_and_a_wrong_file_imports_nothing(client, officials, login_as, new_uow):
    dossier = starting.start_dossier(PROCESS, officials.branch, {"year": 2026, "title": "family"}, new_uow())
    task_id = only_task(dossier).id
    login_as(officials.branch)
    template = opened(client.get(f"/tasks/{task_id}/list.xlsx")).active
    assert rows(template) == [["Tên (chủ hộ, dòng họ, thôn)", "Điểm đánh giá"]]
    token = csrf_token(client.get(f"/tasks/{task_id}").get_data(as_text=True))

    bad = upload(client, task_id, token, xlsx_file(["Tên (chủ hộ, dòng họ, thôn)", "Điểm đánh giá"], ["Hộ A", 80], ["Hộ B", "tám"]))
    page = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "Dòng 3, cột Điểm đánh giá: Phải là một số." in page
    assert 'value="Hộ A"' not in page
    assert upload(client, task_id, token, b"not a workbook", "x.xlsx").status_code == 422
    not_xml = upload(client, task_id, token, xlsx_with_part("xl/worksheets/sheet1.xml", [b"not xml"]))
    assert not_xml.status_code == 422 and "Phần xl/worksheets/sheet1.xml không phải XML hợp lệ" in not_xml.text

    good = upload(client, task_id, token, xlsx_file(["Tên (chủ hộ, dòng họ, thôn)", "Điểm đánh giá"], ["Hộ A", 80], ["Hộ B", 75.5]))
    page = good.get_data(as_text=True)
    assert good.status_code == 200 and "Đã đọc 2 dòng từ tệp" in page
    assert 'value="Hộ A"' in page and 'value="75.5"' in page
    # Reading a file stores nothing: the step is still open until the official submits the filled form.
    assert viewing.get_dossier(dossier.id, officials.branch, new_uow()).data.get("candidates") is None
    fields = dict(re.findall(r'name="(candidates-\d+-\w+)" value="([^"]*)"', page))
    submitted = client.post(f"/tasks/{task_id}", data={"_lists": "candidates", "csrf_token": token, **fields})
    assert submitted.status_code == 302
    assert viewing.get_dossier(dossier.id, officials.branch, new_uow()).data["candidates"] == [
        {"name": "Hộ A", "score": 80}, {"name": "Hộ B", "score": 75.5}]
