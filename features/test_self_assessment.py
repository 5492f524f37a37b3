"""Commune communities and learning units: self-assessment, the province's decision, level 2 rules
(self_assessment.feature)."""
import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from engine.dossiers import starting, viewing
from engine.dossiers.attachments import Upload
from engine.errors import EngineError
from engine.organisation import accounts, units
from engine.recognition import registry
from features.steps.citizens import commune_decides, self_assessment, upload
from features.steps.common import SIGNER, decision
from tests.support.builders import PASSWORD

scenarios("self_assessment.feature")

COMMUNE_PROCESS = "commune_community_recognition"
UNIT_PROCESS = "learning_unit_recognition"
PDF = b"%PDF-1.4\n% bao cao\n"


def documents(*fields) -> dict[str, list[Upload]]:
    return {field: [Upload(f"{field}.pdf", PDF)] for field in fields}


def commune_assessment(level: int, failed: int | None = None) -> dict:
    return {"level": str(level),
            **{f"criterion_{i}": "not_met" if i == failed else "met" for i in range(1, 6)}}


def unit_assessment(level: int, members: int) -> dict:
    return {"level": str(level), "members": members, **{f"criterion_{i}": "met" for i in range(1, 5)}}


def commune_sends(story, year, level, failed=None):
    story.dossier_id = starting.start_dossier(COMMUNE_PROCESS, story.officials.commune, {"year": year},
                                              story.new_uow()).id
    story.complete(story.officials.commune, commune_assessment(level, failed),
                   uploads=documents("report", "criteria_table", "minutes"))


@when(parsers.parse("xã Hoàn Kiếm gửi hồ sơ tự đánh giá năm {year:d} mức độ {level:d}"))
def commune_sends_all_met(story, year, level):
    commune_sends(story, year, level)


@when(parsers.parse("xã Hoàn Kiếm gửi hồ sơ tự đánh giá năm {year:d} mức độ {level:d} với tiêu chí {failed:d} chưa đạt"))
def commune_sends_one_failed(story, year, level, failed):
    commune_sends(story, year, level, failed)


@when("xã Hoàn Kiếm bổ sung hồ sơ tự đánh giá với biên bản mới")
def commune_revises(story):
    kept = viewing.get_dossier(story.dossier_id, story.officials.commune, story.new_uow()).data
    story.complete(story.officials.commune, {**commune_assessment(1), "report": kept["report"],
                                             "criteria_table": kept["criteria_table"]}, uploads=documents("minutes"))
    assert story.refusal is None, story.refusal


@given(parsers.parse('xã Hoàn Kiếm đã được công nhận mức độ 1 năm {year:d} theo quyết định "{number}" ngày "{day}"'))
def commune_recognised(story, year, number, day):
    commune_sends(story, year, 1)
    province_decides(story, number, day)


def province_decides(story, number, day):
    story.complete(story.officials.province, {**decision("công nhận"), "decision_number": number,
                                              "decision_date": day, **SIGNER})
    assert story.refusal is None, story.refusal


@given(parsers.parse('Ban khuyến học của "{name}" ({kind}) thuộc phường Hoàn Kiếm'))
def learning_unit(story, name, kind):
    code = units.add_branch("00070", name, story.new_uow(), kind=kind)
    story.unit = accounts.create_user(f"donvi-{code}", PASSWORD, "branch", code, story.new_uow())
    story.unit_name = name


def unit_sends(story, year, level, members):
    story.dossier_id = starting.start_dossier(UNIT_PROCESS, story.unit, {"year": year}, story.new_uow()).id
    story.complete(story.unit, unit_assessment(level, members), uploads=documents("report", "minutes"))


@when(parsers.parse("đơn vị gửi hồ sơ tự đánh giá năm {year:d} mức độ {level:d} với {members:d} thành viên"))
def unit_sends_step(story, year, level, members):
    unit_sends(story, year, level, members)


@when("đơn vị bổ sung hồ sơ tự đánh giá")
def unit_revises(story):
    kept = viewing.get_dossier(story.dossier_id, story.unit, story.new_uow()).data
    story.complete(story.unit, {**unit_assessment(1, 20), "report": kept["report"], "minutes": kept["minutes"]})
    assert story.refusal is None, story.refusal


@given(parsers.parse('đơn vị đã được công nhận mức độ 1 năm {year:d} theo quyết định ngày "{day}"'))
def unit_recognised(story, year, day):
    unit_sends(story, year, 1, 20)
    assert story.refusal is None, story.refusal
    province_decides(story, f"{year}-01/QĐ-UBND", day)


@given(parsers.parse("{count:d} thành viên của đơn vị đã được công nhận Công dân học tập năm 2026"))
def members_recognised(story, count):
    """Each member through the real citizen process, registered by the unit's own Ban khuyến học."""
    unit_dossier = story.dossier_id
    for number in range(count):
        story.dossier_id = starting.start_dossier("learning_citizen_recognition", story.unit, {"year": 2026},
                                                  story.new_uow()).id
        story.complete(story.unit, self_assessment(f"Thành viên {number + 1}", f"{number + 1:012d}",
                                                   "8 8 8 8 8 8 8 8 8 8"), uploads={"evidence": [upload("a.pdf")]})
        story.complete(story.unit, {"decision": "approve"})
        commune_decides(story, "công nhận", "70/QĐ-UBND")
    story.dossier_id = unit_dossier


@then(parsers.parse('việc tiếp theo là "{step}" của đơn vị'))
def next_task_at_unit(story, step):
    task = story.open_task()
    assert (task.step_name, task.unit_code, task.role) == (step, story.unit.unit_code, "branch")


@then(parsers.parse('sổ danh hiệu có "{name}" danh hiệu "{title}" mức độ {level:d} do đơn vị "{unit}" quyết định, '
                    'hiệu lực đến "{day}"'))
def registry_has_level(story, name, title, level, unit, day):
    found = [t for t in registry.recognised_titles(story.officials.ministry, story.new_uow())
             if t.dossier_id == story.dossier_id]
    assert [(t.subject_name, t.title, t.level, t.valid_until.isoformat()) for t in found] == [(name, title, level, day)]
    view = registry.recognition_decision(found[0].decision_id, story.officials.province, story.new_uow())
    assert view.deciding_unit == unit


@then(parsers.parse('chi hội tổ 1 không mở được hồ sơ "{process}" vì "{reason}"'))
def branch_cannot_open(story, process, reason):
    with pytest.raises(EngineError, match=reason):
        starting.start_dossier(process, story.officials.branch, {"year": 2026}, story.new_uow())
    assert process not in [p.id for p in starting.startable_processes(story.officials.branch, story.new_uow())]

