"""The annual report with deadlines, reminders and escalation (annual_report.feature)."""
from datetime import date

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from engine.dossiers import tasks, viewing
from engine.dossiers.attachments import Upload
from engine.errors import DossierNotFound
from engine.reporting import periods
from engine.reporting.figures import MODELS
from engine.storage.tables import ReportValueRow
from features.steps.reports import follow_up, province_report_of

scenarios("annual_report.feature")

DECISIONS = {"chấp nhận": "approve", "trả lại": "return"}


def figures(recognised: int, total: int) -> dict:
    values = {f"{part}_{model}": 0 for model in MODELS for part in ("registered", "recognised")}
    values.update({f"total_{model}": total for model in MODELS})
    return {**values, "registered_family": total, "recognised_family": recognised}


def report_of(story, official):
    """The commune's own report dossier in this period, and its open task if it has one."""
    (task,) = [t for t in tasks.inbox(official, story.new_uow(), size=500).tasks if t.title == "annual_models"] or [None]
    return task


@given(parsers.parse('Bộ mở kỳ báo cáo năm {year:d} với hạn của tỉnh "{day}"'))
def ministry_opens(story, year, day):
    periods.open_reporting_period("annual_models", year, story.officials.ministry, story.new_uow(),
                                  date.fromisoformat(day))


@given(parsers.parse('tỉnh Hà Nội đặt hạn cho các xã "{day}", nhắc trước {days:d} ngày'))
def province_sets_deadline(story, day, days):
    (task,) = tasks.inbox(story.officials.province, story.new_uow()).tasks
    tasks.complete_task(task.id, story.officials.province, {"commune_deadline": day, "reminder_days": days},
                        story.new_uow())
    story.dossier_id = report_of(story, story.officials.commune).dossier_id


@when(parsers.parse('phường Hoàn Kiếm nộp báo cáo với {recognised:d} gia đình học tập được công nhận trên tổng '
                    '{total:d} hộ, ghi lý do "{reason}"'))
def commune_submits_with_reason(story, recognised, total, reason):
    story.complete(story.officials.commune, {**figures(recognised, total), "correction_reason": reason},
                   task_id=report_of(story, story.officials.commune).id)
    assert story.refusal is None, story.refusal


@when(parsers.parse("phường Hoàn Kiếm nộp báo cáo với {recognised:d} gia đình học tập được công nhận trên tổng "
                    "{total:d} hộ"))
def commune_submits(story, recognised, total):
    # By its own task: once late, the report also has the province's task to chase it.
    story.complete(story.officials.commune, figures(recognised, total),
                   task_id=report_of(story, story.officials.commune).id)


@when(parsers.parse('tỉnh duyệt báo cáo của phường Hoàn Kiếm "{word}"'))
def province_reviews(story, word):
    story.complete(story.officials.province, {"decision": DECISIONS[word]})
    assert story.refusal is None, story.refusal


@when(parsers.parse('tỉnh duyệt báo cáo của phường Hoàn Kiếm "{word}" với lý do "{reason}"'))
def province_reviews_with_reason(story, word, reason):
    story.complete(story.officials.province, {"decision": DECISIONS[word], "comment": reason})
    assert story.refusal is None, story.refusal


@when("tỉnh Hà Nội gửi báo cáo của tỉnh")
def province_submits(story):
    (task,) = [t for t in tasks.inbox(story.officials.province, story.new_uow(), size=500).tasks
               if t.step_name == "Tổng hợp, gửi báo cáo của tỉnh"]
    tasks.complete_task(task.id, story.officials.province, {"summary": "Kết quả năm 2026 của Hà Nội."},
                        story.new_uow(), {"report_file": [Upload("bao-cao.pdf", b"%PDF-1.4\n")]})


@then(parsers.parse('số liệu được chấp nhận của phường Hoàn Kiếm có {recognised:d} gia đình học tập trên tổng '
                    '{total:d}'))
def accepted_figures(story, recognised, total):
    with story.new_uow() as uow:
        values = {row.indicator: row.value for row in uow.session.query(ReportValueRow).filter_by(unit_code="00070")}
    assert (values["recognised_family"], values["total_family"]) == (recognised, total)


@then("tỉnh Hà Nội không còn việc của kỳ báo cáo")
def province_done(story):
    # Every task of the period: its own report's, and those on its communes' reports (to review, to chase).
    assert [t.step_name for t in tasks.inbox(story.officials.province, story.new_uow(), size=500).tasks
            if t.title == "annual_models"] == []


@then(parsers.parse('việc "{step}" của phường Hoàn Kiếm đã được nhắc'))
def reminded(story, step):
    with story.new_uow() as uow:
        (task,) = uow.tasks.open_for_dossier(story.dossier_id)
        assert task.name == step and task.reminded_at is not None


@then(parsers.parse('hộp việc của tỉnh Hà Nội có việc "{step}" cho phường Hoàn Kiếm'))
def province_has_chase(story, step):
    assert any(t.step_name == step and t.dossier_id == story.dossier_id
               for t in tasks.inbox(story.officials.province, story.new_uow(), size=500).tasks)


@then(parsers.parse('việc "{step}" của phường Hoàn Kiếm được đánh dấu quá hạn'))
def marked_overdue(story, step):
    assert report_of(story, story.officials.commune).step_name == step
    # As the province's report page and GET /api/reports/annual_models/2026 say it: waiting, and past its deadline.
    view = periods.report_view("annual_models", 2026, story.officials.province, story.new_uow())
    hoan_kiem = next(row for row in view.rows if row.code == "00070")
    assert (hoan_kiem.waiting, hoan_kiem.overdue) == (1, 1)


@then(parsers.parse('việc tiếp theo của báo cáo phường Hoàn Kiếm là "{step}" của {level} "{unit}"'))
def next_report_task(story, step, level, unit):
    open_tasks = viewing.get_dossier(story.dossier_id, story.officials.ministry, story.new_uow()).open_tasks
    role = {"xã": "commune", "tỉnh": "province"}[level]
    assert [(t.step_name, t.role, t.unit_code) for t in open_tasks] == [(step, role, unit)]


@then("cán bộ xã Cửa Nam không mở được báo cáo của phường Hoàn Kiếm")
def other_commune_cannot_open(story):
    with pytest.raises(DossierNotFound):
        viewing.get_dossier(story.dossier_id, story.officials.other_commune, story.new_uow())


@then("hộp việc của cán bộ xã Cửa Nam chỉ có báo cáo của xã Cửa Nam")
def other_inbox_own_only(story):
    inbox = tasks.inbox(story.officials.other_commune, story.new_uow()).tasks
    assert [t.unit_code for t in inbox] == ["00073"] and inbox[0].dossier_id != story.dossier_id


@when(parsers.parse("phường Cửa Nam nộp báo cáo với {recognised:d} gia đình học tập được công nhận trên tổng "
                    "{total:d} hộ và được chấp nhận"))
def other_commune_submits_and_is_accepted(story, recognised, total):
    task = report_of(story, story.officials.other_commune)
    review = tasks.complete_task(task.id, story.officials.other_commune, figures(recognised, total),
                                 story.new_uow()).next_tasks[0]
    tasks.complete_task(review.id, story.officials.province, {"decision": "approve"}, story.new_uow())


@then(parsers.parse("tổng hợp của tỉnh Hà Nội có {total:d} hộ, {accepted:d} xã đã được chấp nhận"))
def province_totals(story, total, accepted):
    view = periods.report_view("annual_models", 2026, story.officials.province, story.new_uow())
    assert view.totals[0].total == total and sum(row.accepted for row in view.rows) == accepted
    assert view.totals[0].total == sum(row.models[0].total for row in view.rows)


@then(parsers.parse("tổng hợp của Bộ cho Hà Nội có {total:d} hộ, {accepted:d} xã đã được chấp nhận, chỉ tiêu {rate:d}%"))
def ministry_totals(story, total, accepted, rate):
    view = periods.report_view("annual_models", 2026, story.officials.ministry, story.new_uow())
    hanoi = next(row for row in view.rows if row.code == "01")
    assert (hanoi.models[0].total, hanoi.accepted, round(hanoi.models[0].target * 100)) == (total, accepted, rate)
    assert view.totals[0].total == total


@when("tỉnh Hà Nội ghi đã đôn đốc phường Hoàn Kiếm")
def province_chases_commune(story):
    follow_up(story, story.officials.province, "annual_models", "Đôn đốc báo cáo của xã quá hạn", story.dossier_id)


@then(parsers.parse('việc "{step}" của tỉnh Hà Nội đã được nhắc'))
def province_reminded(story, step):
    (task,) = [t for t in tasks.inbox(story.officials.province, story.new_uow(), size=500).tasks
               if t.step_name == step and t.title == "annual_models"]
    with story.new_uow() as uow:
        assert uow.tasks.get(task.id).reminded_at is not None


@when("Bộ ghi đã đôn đốc tỉnh Hà Nội")
def ministry_chases_province(story):
    story.province_dossier_id = province_report_of(story, "annual_models")
    follow_up(story, story.officials.ministry, "annual_models", "Đôn đốc tỉnh nộp báo cáo quá hạn",
              story.province_dossier_id)


@when(parsers.parse("Bộ gửi báo cáo tổng hợp toàn quốc năm {year:d}"))
def ministry_compiles(story, year):
    (task,) = [t for t in tasks.inbox(story.officials.ministry, story.new_uow(), size=500).tasks
               if t.step_name == "Tổng hợp báo cáo toàn quốc" and t.title == "annual_models"]
    story.complete(story.officials.ministry, {"summary": f"Báo cáo toàn quốc năm {year}."}, task_id=task.id,
                   uploads={"report_file": [Upload("toan-quoc.pdf", b"%PDF-1.4\n")]})
    assert story.refusal is None, story.refusal


@then("Bộ không còn việc về báo cáo của tỉnh Hà Nội, báo cáo toàn quốc đã gửi")
def ministry_done_with_hanoi(story):
    left = [t for t in tasks.inbox(story.officials.ministry, story.new_uow(), size=500).tasks
            if t.title == "annual_models"]
    assert all(t.dossier_id != story.province_dossier_id and t.step_name != "Tổng hợp báo cáo toàn quốc"
               for t in left)
    assert viewing.get_dossier(story.province_dossier_id, story.officials.ministry, story.new_uow()).status == \
        "closed"


@then(parsers.parse('tỉnh Hà Nội vẫn còn việc "{step}"'))
def province_still_has(story, step):
    assert any(t.step_name == step and t.title == "annual_models"
               for t in tasks.inbox(story.officials.province, story.new_uow(), size=500).tasks)
