"""Steps of the list recognition (family, clan, village community): the branch's list, the commune's verification,
the deciding level's decision, the registry, the decision tables a province loads."""
from pathlib import Path

from pytest_bdd import given, parsers, then, when

from engine.dossiers import starting, tasks, viewing
from engine.recognition import decision_tables, registry
from features.steps.common import SIGNER, decision

PROCESS = "candidate_list_recognition"
TABLES = Path(__file__).parents[1] / "tables"


@given(parsers.parse("chi hội tổ 1 của phường Hoàn Kiếm đã gửi danh sách đề nghị năm {year:d} gồm:"))
def branch_sends_list(story, year, datatable):
    branch_opens_and_sends(story, year, datatable)
    assert story.refusal is None, story.refusal


@when(parsers.parse('xã thẩm định "{word}"'))
def commune_verifies(story, word):
    story.complete(story.officials.commune, decision(word))


@when(parsers.parse('xã thẩm định "{word}" với ý kiến "{comment}"'))
def commune_verifies_with_comment(story, word, comment):
    story.complete(story.officials.commune, decision(word, comment))


@when(parsers.parse('xã thẩm định lại đúng việc vừa làm "{word}" với ý kiến "{comment}"'))
def commune_repeats(story, word, comment):
    story.complete(story.officials.commune, decision(word, comment), task_id=story.last_task)


@when(parsers.parse('cán bộ xã Cửa Nam thẩm định "{word}"'))
def other_commune_verifies(story, word):
    story.complete(story.officials.other_commune, decision(word))


@when(parsers.parse('tỉnh phê duyệt "{word}" với quyết định số "{number}" ngày "{day}"'))
def province_approves(story, word, number, day):
    story.complete(story.officials.province, {**decision(word), "decision_number": number, "decision_date": day,
                                              **SIGNER})
    assert story.refusal is None, story.refusal


@when(parsers.parse('tỉnh phê duyệt "{word}" với ý kiến "{comment}"'))
def province_decides_with_comment(story, word, comment):
    story.complete(story.officials.province, decision(word, comment))


@when(parsers.parse('chi hội gửi lại danh sách chỉ gồm "{name}"'))
def branch_resends(story, name):
    story.complete(story.officials.branch, {"candidates": [{"name": name, "score": 86}]})
    assert story.refusal is None, story.refusal


@then(parsers.parse('việc tiếp theo là "{step}" của chi hội tổ 1'))
def next_task_at_branch(story, step):
    task = story.open_task()
    assert (task.step_name, task.unit_code) == (step, story.officials.branch_code)
    assert task.id in [t.id for t in tasks.inbox(story.officials.branch, story.new_uow()).tasks]


@then(parsers.parse('việc tiếp theo là "{step}" của {level} "{unit}"'))
def next_task_at(story, step, level, unit):
    task = story.open_task()
    assert (task.step_name, task.unit_code, task.role) == (step, unit, {"xã": "commune", "tỉnh": "province"}[level])


@then(parsers.parse('sổ danh hiệu năm {year:d} của tỉnh "{province}" gồm "{names}"'))
def registry_has(story, year, province, names):
    titles = registry.recognised_titles(story.officials.ministry, story.new_uow(), year=year, unit_code=province)
    assert [t.subject_name for t in titles] == names.split(", ")
    assert {(t.commune_code, t.province_code, t.year, t.title) for t in titles} == {("00070", province, year, "family")}


@then(parsers.parse('sổ danh hiệu năm {year:d} của tỉnh "{province}" trống'))
def registry_empty(story, year, province):
    assert registry.recognised_titles(story.officials.ministry, story.new_uow(), year=year, unit_code=province) == []


@given(parsers.parse('tỉnh "{province}" nạp bảng quyết định "{file}"'))
def province_loads_table(story, province, file):
    official = story.officials.province
    assert official.unit_code == province
    decision_tables.load_decision_table(file, (TABLES / file).read_bytes(), official, story.new_uow())


@when(parsers.parse('xã ra quyết định "{word}" với quyết định số "{number}" ngày "{day}"'))
def commune_chair_decides(story, word, number, day):
    story.complete(story.officials.commune, {**decision(word), "decision_number": number, "decision_date": day,
                                             "signer": "Phạm Thị Dung", "signer_office": "Chủ tịch UBND phường Hoàn Kiếm"})
    assert story.refusal is None, story.refusal


@then(parsers.parse('danh hiệu do đơn vị "{unit}" quyết định'))
def decided_by(story, unit):
    with story.new_uow() as uow:
        rows = [uow.titles.get(t.id) for t in registry.recognised_titles(story.officials.ministry, story.new_uow())
                if t.dossier_id == story.dossier_id]
        assert rows and {row.deciding_unit for row in rows} == {unit}


def candidate_rows(datatable) -> list[dict]:
    header, *rows = datatable
    assert header == ["chủ hộ", "điểm"]
    return [{"name": name, "score": float(score)} for name, score in rows]


@when(parsers.parse("chi hội tổ 1 mở hồ sơ năm {year:d} và gửi danh sách gồm:"))
def branch_opens_and_sends(story, year, datatable):
    dossier = starting.start_dossier(PROCESS, story.officials.branch, {"year": year, "title": "family"},
                                     story.new_uow())
    story.dossier_id = dossier.id
    story.complete(story.officials.branch, {"candidates": candidate_rows(datatable)})


@given(parsers.parse("chi hội tổ 1 đã mở một hồ sơ năm {year:d}"))
def branch_opened_earlier(story, year):
    story.earlier_dossier_id = starting.start_dossier(PROCESS, story.officials.branch, {"year": year, "title": "family"},
                                                      story.new_uow()).id


@when("chi hội tổ 1 gửi danh sách của hồ sơ mở trước gồm:")
def branch_sends_earlier(story, datatable):
    story.dossier_id = story.earlier_dossier_id
    story.complete(story.officials.branch, {"candidates": candidate_rows(datatable)})
    assert story.refusal is None, story.refusal


@then("hồ sơ chưa có danh sách đề nghị nào")
def no_list_stored(story):
    view = viewing.get_dossier(story.dossier_id, story.officials.branch, story.new_uow())
    assert "candidates" not in view.data and [h.action for h in view.history] == ["start"]
