"""Files with a step: recognised by content, stored only when the step completes, readable only where the dossier is.
Bad inputs tried: an executable, an empty file, a file over the limit, a zip named .pdf, a field the form does not
have, keeping a file of another dossier, a file field that is not a list of ids; each leaves every record as it
was."""
import pytest

from engine.dossiers import attachments, starting, tasks, viewing
from engine.dossiers.attachments import MAX_FILE_BYTES, Upload
from engine.errors import InvalidInput, NotFound
from tests.support.builders import snapshot
from tests.support.databases import on_both_databases

PDF = b"%PDF-1.4\n% minh chung\n"
ASSESSMENT = {"full_name": "Phạm Văn Minh", "id_number": "001090012345",
              **{f"indicator_{i}": 8 for i in range(1, 11)}}


def registration(new_uow, officials):
    started = starting.start_dossier("learning_citizen_recognition", officials.branch, {"year": 2026}, new_uow())
    return started.id, started.open_tasks[0].id


@pytest.mark.parametrize("upload, message", [
    (Upload("caidat.exe", b"MZ\x90\x00"), "chỉ nhận PDF, ảnh JPEG/PNG, Word .docx hoặc Excel .xlsx"),
    (Upload("rong.pdf", b""), "Tệp “rong.pdf” rỗng."),
    (Upload("lon.pdf", PDF + b"\0" * MAX_FILE_BYTES), "lớn hơn 10 MB"),
    (Upload("nen.pdf", b"PK\x03\x04" + b"\0" * 20), "không nhận được"),
])
def test_a_file_that_is_not_evidence_is_refused_and_nothing_is_stored(new_uow, officials, upload, message):
    _, task_id = registration(new_uow, officials)
    before = snapshot(new_uow)
    with pytest.raises(InvalidInput) as refusal:
        tasks.complete_task(task_id, officials.branch, ASSESSMENT, new_uow(), {"evidence": [upload]})
    assert message in refusal.value.errors["evidence"]
    assert snapshot(new_uow) == before


def test_unknown_fields_and_other_dossiers_files_are_refused(new_uow, officials):
    first_id, first_task = registration(new_uow, officials)
    tasks.complete_task(first_task, officials.branch, ASSESSMENT, new_uow(), {"evidence": [Upload("a.pdf", PDF)]})
    (foreign,) = viewing.get_dossier(first_id, officials.branch, new_uow()).attachments
    _, task_id = registration(new_uow, officials)
    before = snapshot(new_uow)
    with pytest.raises(InvalidInput) as refusal:
        tasks.complete_task(task_id, officials.branch, {**ASSESSMENT, "id_number": "001090099999",
                                                        "evidence": [foreign.id]}, new_uow(),
                            {"photo": [Upload("b.pdf", PDF)]})
    assert refusal.value.errors == {"photo": "Biểu mẫu không có trường tệp này.",
                                    "evidence": "Có tệp không thuộc hồ sơ này hoặc không thuộc trường này."}
    assert snapshot(new_uow) == before


@on_both_databases  # file contents in a binary column (bytea)
def test_files_are_kept_with_a_clean_name_and_read_back_only_where_the_dossier_is_seen(new_uow, officials):
    dossier_id, task_id = registration(new_uow, officials)
    docx = b"PK\x03\x04" + b"\0" * 30
    tasks.complete_task(task_id, officials.branch, ASSESSMENT, new_uow(),
                        {"evidence": [Upload("../../etc/Giấy khen.pdf", PDF), Upload("Bảng điểm.DOCX", docx)]})
    view = viewing.get_dossier(dossier_id, officials.commune, new_uow())
    assert [(a.file_name, a.media_type, a.size) for a in view.attachments] == [
        ("Giấy khen.pdf", "application/pdf", len(PDF)),
        ("Bảng điểm.DOCX", attachments._OFFICE[".docx"], len(docx))]
    assert view.data["evidence"] == [a.id for a in view.attachments]
    first = view.attachments[0].id
    for reader in (officials.branch, officials.commune, officials.province, officials.ministry):
        info, content = attachments.download(first, reader, new_uow())
        assert (info.file_name, content) == ("Giấy khen.pdf", PDF)
    for outsider in (officials.other_commune, officials.other_branch, officials.other_province, officials.designer):
        with pytest.raises(NotFound, match=f"Không có tệp số {first} trong phạm vi của bạn"):
            attachments.download(first, outsider, new_uow())
    with pytest.raises(NotFound, match="Không có tệp số 999999 trong phạm vi của bạn"):
        attachments.download(999_999, officials.ministry, new_uow())


@pytest.mark.parametrize("kept", [None, 5, "1", [{"id": 1}], [True]])
def test_a_file_field_must_list_ids(new_uow, officials, kept):
    _, task_id = registration(new_uow, officials)
    before = snapshot(new_uow)
    with pytest.raises(InvalidInput) as refusal:
        tasks.complete_task(task_id, officials.branch, {**ASSESSMENT, "evidence": kept}, new_uow(),
                            {"evidence": [Upload("a.pdf", PDF)]})
    assert refusal.value.errors == {"evidence": "Phải là danh sách mã số các tệp đã gửi trước (số nguyên)."}
    assert snapshot(new_uow) == before


def test_a_file_is_named_after_what_it_is(new_uow, officials):
    dossier_id, task_id = registration(new_uow, officials)
    tasks.complete_task(task_id, officials.branch, ASSESSMENT, new_uow(),
                        {"evidence": [Upload("trang.html", PDF), Upload("anh.JPEG", b"\xff\xd8\xff\xe0")]})
    names = [a.file_name for a in viewing.get_dossier(dossier_id, officials.branch, new_uow()).attachments]
    assert names == ["trang.pdf", "anh.JPEG"]


def test_a_citizen_recognised_through_another_branch_is_refused_without_saying_where(new_uow, officials):
    elsewhere = starting.start_dossier("learning_citizen_recognition", officials.other_branch, {"year": 2026},
                                       new_uow())
    done = tasks.complete_task(elsewhere.open_tasks[0].id, officials.other_branch, ASSESSMENT, new_uow(),
                               {"evidence": [Upload("a.pdf", PDF)]})
    done = tasks.complete_task(done.next_tasks[0].id, officials.other_branch, {"decision": "approve"}, new_uow())
    tasks.complete_task(done.next_tasks[0].id, officials.other_commune, {
        "decision": "approve", "decision_number": "77/QĐ-UBND", "decision_date": "2026-11-19",
        "signer": "Hồ Văn Lâm", "signer_office": "Chủ tịch UBND phường Cửa Nam"}, new_uow())
    _, task_id = registration(new_uow, officials)
    with pytest.raises(InvalidInput) as refusal:
        tasks.complete_task(task_id, officials.branch, ASSESSMENT, new_uow(), {"evidence": [Upload("b.pdf", PDF)]})
    assert refusal.value.errors == {
        "id_number": "Số định danh này đã có danh hiệu còn hiệu lực cho năm 2026 ở một đơn vị khác."}
