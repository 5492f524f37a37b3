"""Learning citizens: registration with evidence, the branch's verification, the commune's decision
(learning_citizen.feature)."""
from pytest_bdd import given, parsers, scenarios, then, when

from engine.dossiers import starting, viewing
from engine.recognition import registry
from features.steps.citizens import CITIZEN, commune_decides, self_assessment, upload
from features.steps.common import decision

scenarios("learning_citizen.feature")

@when(parsers.parse('chi hội tổ 1 đăng ký cho công dân "{full_name}" số định danh "{id_number}" với điểm "{points}" '
                    'và minh chứng "{file}"'))
def branch_registers(story, full_name, id_number, points, file):
    dossier = starting.start_dossier(CITIZEN, story.officials.branch, {"year": 2026}, story.new_uow())
    story.dossier_id = dossier.id
    story.complete(story.officials.branch, self_assessment(full_name, id_number, points),
                   uploads={"evidence": [upload(file)]})


@given(parsers.parse('công dân "{full_name}" số định danh "{id_number}" đã được công nhận năm 2026'))
def citizen_recognised(story, full_name, id_number):
    branch_registers(story, full_name, id_number, "8 8 8 8 8 8 8 8 8 8", "giay-khen.pdf")
    branch_verifies(story, "đạt")
    commune_decides(story, "công nhận", "15/QĐ-UBND")


VERIFY = {"đạt": "approve", "trả lại": "return", "không công nhận": "reject"}


@when(parsers.parse('chi hội xác nhận "{word}"'))
def branch_verifies(story, word):
    story.complete(story.officials.branch, {"decision": VERIFY[word]})
    assert story.refusal is None, story.refusal


@when(parsers.parse('chi hội xác nhận "{word}" với ý kiến "{comment}"'))
def branch_verifies_with_comment(story, word, comment):
    story.complete(story.officials.branch, {"decision": VERIFY[word], "comment": comment})
    assert story.refusal is None, story.refusal


@when(parsers.parse('xã ra quyết định "{word}" với ý kiến "{comment}"'))
def commune_decides_with_comment(story, word, comment):
    story.complete(story.officials.commune, decision(word, comment))
    assert story.refusal is None, story.refusal


@when(parsers.parse('chi hội bổ sung tự đánh giá, giữ các tệp cũ và thêm minh chứng "{file}"'))
def branch_revises(story, file):
    view = viewing.get_dossier(story.dossier_id, story.officials.branch, story.new_uow())
    kept = [a.id for a in view.attachments]
    story.complete(story.officials.branch,
                   {**self_assessment("Phạm Văn Minh", "001090012345", "8 8 8 8 9 9 9 8 8 8"), "evidence": kept},
                   uploads={"evidence": [upload(file)]})
    assert story.refusal is None, story.refusal


@then(parsers.parse('sổ danh hiệu có công dân "{name}" {score:d} điểm do đơn vị "{unit}" quyết định, '
                    'hiệu lực đến "{day}"'))
def citizen_in_registry(story, name, score, unit, day):
    (title,) = registry.recognised_titles(story.officials.branch, story.new_uow(), year=2026)
    assert (title.title, title.subject_name, title.score, title.valid_until.isoformat()) == ("citizen", name, score, day)
    with story.new_uow() as uow:
        assert uow.titles.get(title.id).deciding_unit == unit


@then(parsers.parse('hồ sơ có các tệp "{names}"'))
def dossier_files(story, names):
    view = viewing.get_dossier(story.dossier_id, story.officials.commune, story.new_uow())
    assert [a.file_name for a in view.attachments] == names.split(", ")
    assert [a.id for a in view.attachments] == view.data["evidence"]


@then("hồ sơ chưa có tệp nào")
def no_files(story):
    view = viewing.get_dossier(story.dossier_id, story.officials.branch, story.new_uow())
    assert view.attachments == () and "evidence" not in view.data
