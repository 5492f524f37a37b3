"""The Lifelong Learning Week report, commune → province → ministry (learning_week.feature)."""
from datetime import date

from pytest_bdd import given, parsers, scenarios, then, when

from engine.dossiers import tasks
from engine.dossiers.attachments import Upload
from engine.reporting import periods
from features.steps.reports import follow_up, province_report_of

scenarios("learning_week.feature")

WEEK = "learning_week"
COMMUNES = {"phường Hoàn Kiếm": "commune", "phường Cửa Nam": "other_commune"}
PROVINCE_STEP = "Tổng hợp, gửi báo cáo Tuần lễ của tỉnh"


def week_task(story, official, step=None):
    found = [t for t in tasks.inbox(official, story.new_uow(), size=500).tasks
             if t.title == WEEK and (step is None or t.step_name == step)]
    return found[0] if found else None


@given(parsers.parse("Bộ mở kỳ báo cáo Tuần lễ năm {year:d}"))
def ministry_opens(story, year):
    opened = periods.open_reporting_period(WEEK, year, story.officials.ministry, story.new_uow())
    assert opened.province_deadline.date() == date(year, 10, 20)


@given(parsers.parse('tỉnh Hà Nội đặt hạn Tuần lễ cho các xã "{day}", nhắc trước {days:d} ngày'))
def province_sets_deadline(story, day, days):
    task = week_task(story, story.officials.province, "Đặt hạn nộp cho các xã")
    tasks.complete_task(task.id, story.officials.province, {"commune_deadline": day, "reminder_days": days},
                        story.new_uow())


@when(parsers.parse("{commune} báo cáo {activities:d} hoạt động với {participants:d} lượt người"))
def commune_reports(story, commune, activities, participants):
    official = getattr(story.officials, COMMUNES[commune])
    story.complete(official, {"activities": activities, "participants": participants},
                   task_id=week_task(story, official, "Nộp báo cáo của xã").id)


@when(parsers.parse("{commune} báo cáo {activities:d} hoạt động với {participants:d} lượt người và được tỉnh chấp "
                    "nhận"))
def commune_reports_and_is_accepted(story, commune, activities, participants):
    commune_reports(story, commune, activities, participants)
    assert story.refusal is None, story.refusal
    story.complete(story.officials.province, {"decision": "approve"}, task_id=_review(story).id)
    assert story.refusal is None, story.refusal


def _review(story):
    (review,) = [t for t in tasks.inbox(story.officials.province, story.new_uow(), size=500).tasks
                 if t.step_name == "Duyệt báo cáo của xã" and t.title == WEEK]
    return review


@when(parsers.parse('tỉnh trả lại báo cáo Tuần lễ của phường Hoàn Kiếm với lý do "{reason}"'))
def province_returns(story, reason):
    story.complete(story.officials.province, {"decision": "return", "comment": reason}, task_id=_review(story).id)
    assert story.refusal is None, story.refusal


@then(parsers.parse('phường Hoàn Kiếm lại có việc "{step}"'))
def commune_has_again(story, step):
    assert week_task(story, story.officials.commune, step) is not None


@when(parsers.parse("tỉnh Hà Nội gửi báo cáo Tuần lễ với {activities:d} hoạt động cấp tỉnh và {participants:d} "
                    "lượt người"))
def province_sends(story, activities, participants):
    story.complete(story.officials.province, {"activities": activities, "participants": participants,
                                              "summary": "Kết quả Tuần lễ của Hà Nội."},
                   task_id=week_task(story, story.officials.province, PROVINCE_STEP).id,
                   uploads={"report_file": [Upload("tuan-le.pdf", b"%PDF-1.4\n")]})
    assert story.refusal is None, story.refusal


def _expected(activities, participants, own_activities, own_participants):
    return ({"activities": activities, "participants": participants},
            {"activities": own_activities, "participants": own_participants})


@then(parsers.parse("tổng hợp Tuần lễ của tỉnh Hà Nội có {a:d} hoạt động và {p:d} lượt người ở các xã, {oa:d} hoạt "
                    "động và {op:d} lượt người cấp tỉnh"))
def province_totals(story, a, p, oa, op):
    view = periods.report_view(WEEK, 2027, story.officials.province, story.new_uow())
    values, own = _expected(a, p, oa, op)
    assert view.values == values and (view.own or {"activities": 0, "participants": 0}) == own
    assert view.values == {name: sum(row.values.get(name, 0) for row in view.rows) for name in values}


@then(parsers.parse("tổng hợp Tuần lễ của Bộ cho Hà Nội có {a:d} hoạt động và {p:d} lượt người ở các xã, {oa:d} "
                    "hoạt động và {op:d} lượt người cấp tỉnh"))
def ministry_totals(story, a, p, oa, op):
    view = periods.report_view(WEEK, 2027, story.officials.ministry, story.new_uow())
    hanoi = next(row for row in view.rows if row.code == "01")
    assert (hanoi.values, hanoi.own) == _expected(a, p, oa, op)


@when("Bộ gửi báo cáo tổng hợp toàn quốc Tuần lễ")
def ministry_compiles(story):
    story.complete(story.officials.ministry, {"summary": "Cả nước tổ chức Tuần lễ 2027."},
                   task_id=week_task(story, story.officials.ministry, "Tổng hợp báo cáo toàn quốc").id,
                   uploads={"report_file": [Upload("toan-quoc.pdf", b"%PDF-1.4\n")]})
    assert story.refusal is None, story.refusal


@then("Bộ không còn việc của kỳ báo cáo Tuần lễ")
def ministry_done(story):
    assert week_task(story, story.officials.ministry) is None


@then(parsers.parse('hộp việc của Bộ có việc "{step}" cho tỉnh Hà Nội'))
def ministry_has_chase(story, step):
    hanoi_report = week_task(story, story.officials.province, PROVINCE_STEP).dossier_id
    assert any(t.step_name == step and t.dossier_id == hanoi_report and t.unit_code == "VN"
               for t in tasks.inbox(story.officials.ministry, story.new_uow(), size=500).tasks)


@then("tỉnh Hà Nội không còn việc gửi báo cáo Tuần lễ")
def province_sent(story):
    assert week_task(story, story.officials.province, PROVINCE_STEP) is None


@when("Bộ ghi đã đôn đốc tỉnh Hà Nội về Tuần lễ")
def ministry_chases_province(story):
    follow_up(story, story.officials.ministry, WEEK, "Đôn đốc tỉnh nộp báo cáo quá hạn",
              province_report_of(story, WEEK))


@when("tỉnh Hà Nội ghi đã đôn đốc phường Hoàn Kiếm về Tuần lễ")
def province_chases_commune(story):
    follow_up(story, story.officials.province, WEEK, "Đôn đốc báo cáo của xã quá hạn",
              week_task(story, story.officials.commune, "Nộp báo cáo của xã").dossier_id)
