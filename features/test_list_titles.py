"""Clans and village communities on the shared list process; recognition decisions (list_titles.feature)."""
from pytest_bdd import parsers, scenarios, then, when

from engine.dossiers import starting
from engine.recognition import registry
from features.steps.common import SIGNER, decision
from features.steps.recognition import PROCESS, candidate_rows

scenarios("list_titles.feature")


@when(parsers.parse('chi hội tổ 1 mở hồ sơ "{title}" năm {year:d} và gửi danh sách gồm:'))
def branch_opens_title_and_sends(story, title, year, datatable):
    dossier = starting.start_dossier(PROCESS, story.officials.branch, {"year": year, "title": title}, story.new_uow())
    story.dossier_id = dossier.id
    story.complete(story.officials.branch, {"candidates": candidate_rows(datatable)})


@when(parsers.parse('tỉnh thử phê duyệt "{word}" với quyết định số "{number}" ngày "{day}"'))
def province_tries(story, word, number, day):
    story.complete(story.officials.province, {**decision(word), "decision_number": number, "decision_date": day,
                                              **SIGNER})


@when(parsers.parse('tỉnh thử phê duyệt "{word}" với quyết định số "{number}" ngày "{day}" do "{signer}" ký'))
def province_tries_signed_by(story, word, number, day, signer):
    story.complete(story.officials.province, {**decision(word), "decision_number": number, "decision_date": day,
                                              **SIGNER, "signer": signer})


@then(parsers.parse('sổ danh hiệu có "{name}" với danh hiệu "{title}" hiệu lực đến "{day}"'))
def registry_has_title(story, name, title, day):
    titles = registry.recognised_titles(story.officials.commune, story.new_uow(), year=2026)
    assert [(t.subject_name, t.title, t.valid_until.isoformat()) for t in titles] == [(name, title, day)]


@then(parsers.parse('quyết định "{number}" của tỉnh "{province}" công nhận "{names}"'))
def decision_lists(story, number, province, names):
    (any_title, *_) = [t for t in registry.recognised_titles(story.officials.ministry, story.new_uow())
                       if t.decision_number == number]
    view = registry.recognition_decision(any_title.decision_id, story.officials.province, story.new_uow())
    assert (view.number, view.deciding_unit, view.signer_name, view.signer_office) == (
        number, province, SIGNER["signer"], SIGNER["signer_office"])
    assert [t.subject_name for t in view.subjects] == names.split(", ")
