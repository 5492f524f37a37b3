"""Drafts of task forms (engine/dossiers/drafts.py): saved per official and task with their files, restored, kept
from a refused submission, gone once the task is done; within a draft's limits; no one else's."""
import pytest
from sqlalchemy import func, select

from engine.dossiers import drafts, starting, tasks, withdrawing
from engine.dossiers.attachments import Upload
from engine.errors import NotFound, NotYourTask, TaskAlreadyDone
from engine.model import Role
from engine.organisation import accounts
from engine.storage.tables import AttachmentRow, DraftFileRow, TaskDraftRow
from tests.support.builders import PASSWORD, only_task, snapshot, to_commune
from tests.support.databases import on_both_databases

PDF = b"%PDF-1.4\n% bien ban\n"
POINTS = {f"indicator_{i}": 8 for i in range(1, 11)}


def citizen_task(new_uow, officials):
    """A branch's open registration of a citizen: a form with an evidence file field."""
    started = starting.start_dossier("learning_citizen_recognition", officials.branch, {"year": 2026},
                                     new_uow())
    return only_task(started)


def given(values: dict, uploads: dict | None = None):
    return lambda fields: (values, uploads or {})


def count(new_uow, table) -> int:
    with new_uow() as uow:
        return uow.session.scalar(select(func.count()).select_from(table))


def test_a_draft_comes_back_with_its_files_to_its_official_only(new_uow, officials):
    task = citizen_task(new_uow, officials)
    saved = drafts.save_draft(task.id, officials.branch, given({"full_name": "Phạm Văn Minh"},
                                                               {"evidence": [Upload("Giấy khen.pdf", PDF)]}),
                              None, new_uow())
    assert saved.errors == {}
    opened = drafts.task_with_draft(task.id, officials.branch, new_uow())
    assert opened.values == {"full_name": "Phạm Văn Minh"}
    assert [(f.field, f.file_name, f.size) for f in opened.draft.files] == [("evidence", "Giấy khen.pdf", len(PDF))]
    # Another official of the same branch and role sees the task, not the draft; another unit not even the task.
    colleague = accounts.create_user("chihoi1-b", PASSWORD, Role.BRANCH, officials.branch_code, new_uow())
    assert drafts.task_with_draft(task.id, colleague, new_uow()).draft is None
    with pytest.raises(NotFound):
        drafts.draft_of(task.id, colleague, new_uow())
    with pytest.raises(NotYourTask):
        drafts.task_with_draft(task.id, officials.other_branch, new_uow())
    with pytest.raises(NotYourTask):
        drafts.save_draft(task.id, officials.other_branch, given({"full_name": "X"}), None, new_uow())


def test_saving_again_replaces_the_values_and_keeps_the_files_asked_for(new_uow, officials):
    task = citizen_task(new_uow, officials)
    first = drafts.save_draft(task.id, officials.branch, given({"full_name": "A"}, {"evidence": [
        Upload("a.pdf", PDF), Upload("b.pdf", PDF)]}), None, new_uow()).draft
    a, b = first.files
    second = drafts.save_draft(task.id, officials.branch, given({"full_name": "B"}, {"evidence": [
        Upload("c.pdf", PDF)]}), [b.id], new_uow()).draft
    assert second.values == {"full_name": "B"} and [f.file_name for f in second.files] == ["b.pdf", "c.pdf"]
    assert count(new_uow, DraftFileRow) == 2
    assert drafts.discard_draft(task.id, officials.branch, new_uow())
    assert count(new_uow, DraftFileRow) == 0 and count(new_uow, TaskDraftRow) == 0
    assert not drafts.discard_draft(task.id, officials.branch, new_uow())


def test_a_draft_is_refused_naming_the_field_and_nothing_is_saved(new_uow, officials):
    task = citizen_task(new_uow, officials)
    for values, uploads, field in (({"full_name": "A"}, {"evidence": [Upload("caidat.exe", b"MZ\x90")]}, "evidence"),
                                   ({"zz_not_a_field": "x"}, {}, "zz_not_a_field"),
                                   ({"full_name": "x" * drafts.MAX_VALUES_BYTES}, {}, "form"),
                                   ({}, {}, "form")):
        refused = drafts.save_draft(task.id, officials.branch, given(values, uploads), None, new_uow())
        assert field in refused.errors and refused.draft is None
    too_many = {"evidence": [Upload(f"{i}.pdf", PDF) for i in range(drafts.MAX_FILES + 1)]}
    assert "files" in drafts.save_draft(task.id, officials.branch, given({}, too_many), None, new_uow()).errors
    assert count(new_uow, TaskDraftRow) == 0 and count(new_uow, DraftFileRow) == 0


@on_both_databases  # the refused step rolled back under its row lock, then the draft written; bytes in bytea
def test_a_refused_submission_keeps_its_valid_files_and_the_next_one_sends_them(new_uow, officials):
    task = citizen_task(new_uow, officials)
    before = snapshot(new_uow)
    refused = drafts.submit_task(task.id, officials.branch, given(
        {"full_name": "Phạm Văn Minh", **POINTS},
        {"evidence": [Upload("Giấy khen.pdf", PDF), Upload("caidat.exe", b"MZ\x90")]}), [], new_uow())
    assert "caidat.exe" in refused.errors["evidence"] and refused.completed is None
    assert snapshot(new_uow) == before  # nothing of the step: no attachment, no audit, the task still open
    (kept,) = refused.draft.files
    assert kept.file_name == "Giấy khen.pdf" and refused.draft.values["full_name"] == "Phạm Văn Minh"

    sent = drafts.submit_task(task.id, officials.branch, given(
        {"full_name": "Phạm Văn Minh", "id_number": "001090012345", **POINTS}), [kept.id], new_uow())
    assert sent.errors == {} and sent.completed is not None
    with new_uow() as uow:
        (attachment,) = uow.session.scalars(select(AttachmentRow)).all()
        assert attachment.file_name == "Giấy khen.pdf" and attachment.content == PDF
        assert uow.dossiers.get(sent.completed.dossier_id).data["evidence"] == [attachment.id]
    assert count(new_uow, TaskDraftRow) == 0 and count(new_uow, DraftFileRow) == 0


def test_a_refused_submission_without_files_writes_nothing(new_uow, officials):
    _, verify = to_commune(new_uow, officials)
    before = snapshot(new_uow)
    refused = drafts.submit_task(verify.id, officials.commune, given({"decision": "return"}), [], new_uow())
    assert refused.errors == {"comment": "Bắt buộc nhập."} and refused.draft is None
    assert snapshot(new_uow) == before and count(new_uow, TaskDraftRow) == 0


@on_both_databases
def test_completing_a_task_deletes_every_draft_of_it(new_uow, officials):
    _, verify = to_commune(new_uow, officials)
    drafts.save_draft(verify.id, officials.commune, given({"comment": "Đang xem"}), None, new_uow())
    tasks.complete_task(verify.id, officials.commune, {"decision": "approve"}, new_uow())
    assert count(new_uow, TaskDraftRow) == 0
    with pytest.raises(TaskAlreadyDone):
        drafts.save_draft(verify.id, officials.commune, given({"comment": "muộn"}), None, new_uow())
    assert drafts.task_with_draft(verify.id, officials.commune, new_uow()).draft is None


def test_a_task_cancelled_by_a_withdrawal_takes_its_drafts_and_their_files_with_it(new_uow, officials):
    task = citizen_task(new_uow, officials)
    drafts.save_draft(task.id, officials.branch, given({"full_name": "Phạm Văn Minh"}, {"evidence": [
        Upload("bien-ban.pdf", PDF)]}), None, new_uow())
    assert (count(new_uow, TaskDraftRow), count(new_uow, DraftFileRow)) == (1, 1)
    withdrawing.withdraw_dossier(task.dossier_id, officials.branch, "Đăng ký nhầm người", new_uow())
    assert (count(new_uow, TaskDraftRow), count(new_uow, DraftFileRow)) == (0, 0)


def test_a_refused_submission_shows_only_the_draft_files_its_form_kept(new_uow, officials):
    task = citizen_task(new_uow, officials)
    _, b = drafts.save_draft(task.id, officials.branch, given({}, {"evidence": [
        Upload("a.pdf", PDF), Upload("b.pdf", PDF)]}), None, new_uow()).draft.files
    refused = drafts.submit_task(task.id, officials.branch, given({"full_name": "X"}), [b.id], new_uow())
    assert refused.errors and [f.file_name for f in refused.draft.files] == ["b.pdf"]
