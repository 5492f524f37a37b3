"""The Lifelong Learning Week report (1–7 October; provinces to the ministry by 20/10): communes report the activities
they held and the people reached, the province accepts or returns each and sends its own, the views sum both.
Bad inputs tried: the default deadline already past, people reached by no activity, a negative count, the province's
report without its file; each stores nothing."""
from datetime import UTC, date, datetime

import pytest

from engine.dossiers import tasks, timers
from engine.errors import InvalidInput
from engine.reporting import periods
from tests.support.builders import (WEEK, accept_week, only_task, open_week, send_week_report, snapshot,
                                     submit_week)
from tests.support.databases import on_both_databases



def test_the_week_is_due_on_20_october_and_a_past_default_must_be_given(new_uow, officials):
    before = snapshot(new_uow)
    with pytest.raises(InvalidInput, match=r"Hạn nộp của tỉnh \(20/10/2026\) đã qua"):
        periods.open_reporting_period(WEEK, 2026, officials.ministry, new_uow())
    assert snapshot(new_uow) == before
    opened = periods.open_reporting_period(WEEK, 2027, officials.ministry, new_uow())
    assert (opened.dossiers, opened.province_deadline) == (34, datetime(2027, 10, 20, 10, 0, tzinfo=UTC))
    steps = {(t.step_name, t.title) for t in tasks.inbox(officials.ministry, new_uow()).tasks}
    assert steps == {("Tổng hợp báo cáo toàn quốc", WEEK)}
    # The annual report of the same year is a period of its own.
    periods.open_reporting_period("annual_models", 2026, officials.ministry, new_uow(), date(2026, 12, 15))


@on_both_databases  # sums in SQL, the communes' and the province's own
def test_communes_report_activities_and_people_reached_and_the_views_sum_them(new_uow, officials):
    open_week(new_uow, officials)
    task = [t for t in tasks.inbox(officials.commune, new_uow()).tasks if t.title == WEEK][0]
    assert (task.step_name, task.due_at) == ("Nộp báo cáo của xã", datetime(2027, 10, 12, 10, 0, tzinfo=UTC))
    before = snapshot(new_uow)
    with pytest.raises(InvalidInput) as refusal:
        submit_week(new_uow, officials.commune, {"activities": 0, "participants": 300})
    assert refusal.value.errors == {
        "activities": "Có 300 lượt người tham gia nhưng không có hoạt động nào: nhập số hoạt động đã tổ chức."}
    with pytest.raises(InvalidInput) as refusal:
        submit_week(new_uow, officials.commune, {"activities": -1, "participants": 0})
    assert set(refusal.value.errors) == {"activities"}
    assert snapshot(new_uow) == before

    review = only_task(submit_week(new_uow, officials.commune, {"activities": 4, "participants": 300}))
    again = only_task(tasks.complete_task(review.id, officials.province,
                                          {"decision": "return", "comment": "Thiếu ngày hội đọc sách"}, new_uow()))
    assert (again.step_name, again.unit_code) == ("Nộp báo cáo của xã", "00070")
    tasks.complete_task(only_task(tasks.complete_task(again.id, officials.commune,
                                                      {"activities": 5, "participants": 420,
                                                       "highlights": "Ngày hội đọc sách 02/10"}, new_uow())).id,
                        officials.province, {"decision": "approve"}, new_uow())
    accept_week(new_uow, officials, officials.other_commune, {"activities": 2, "participants": 80})
    with pytest.raises(InvalidInput):
        send_week_report(new_uow, officials, {"activities": 0, "participants": 50, "summary": "Tuần lễ 2027"})
    assert send_week_report(new_uow, officials, {"activities": 3, "participants": 1500,
                                                     "summary": "Tuần lễ 2027 của Hà Nội"}).next_tasks == ()

    province = periods.report_view(WEEK, 2027, officials.province, new_uow())
    by_code = {row.code: row for row in province.rows}
    assert by_code["00070"].values == {"activities": 5, "participants": 420}
    assert by_code["00073"].values == {"activities": 2, "participants": 80}
    assert (province.values, province.own) == ({"activities": 7, "participants": 500},
                                               {"activities": 3, "participants": 1500})
    assert province.totals == () and [i.name for i in province.indicators] == ["activities", "participants"]
    assert sum(row.accepted for row in province.rows) == 2
    national = periods.report_view(WEEK, 2027, officials.ministry, new_uow())
    hanoi = next(row for row in national.rows if row.code == "01")
    assert (hanoi.values, hanoi.own, hanoi.accepted) == ({"activities": 7, "participants": 500},
                                                         {"activities": 3, "participants": 1500}, 2)
    assert (national.values, national.own) == (province.values, province.own)
    # The annual report's figures are not the week's.
    assert periods.report_view(WEEK, 2027, officials.other_province, new_uow()).values == {}


def test_a_late_commune_is_reminded_then_chased_and_still_reports(new_uow, officials, clock):
    open_week(new_uow, officials)
    clock.advance(days=325)  # 11/10/2027 08:00, past the reminder (2 days before the communes' 12/10 17:00)
    assert timers.run_due_timers(new_uow, limit=5000).failed == {}
    with new_uow() as uow:
        (task,) = [t for t in uow.tasks.open_for_dossier(
            next(t for t in tasks.inbox(officials.commune, new_uow()).tasks if t.title == WEEK).dossier_id)]
        assert task.reminded_at is not None
    clock.advance(days=2)  # 13/10/2027, past the deadline
    assert timers.run_due_timers(new_uow, limit=5000).failed == {}
    chases = [t for t in tasks.inbox(officials.province, new_uow(), size=500).tasks
              if t.step_name == "Đôn đốc báo cáo của xã quá hạn"]
    assert len(chases) == len({t.dossier_id for t in chases}) > 100
    review = only_task(submit_week(new_uow, officials.commune, {"activities": 1, "participants": 40}))
    assert (review.step_name, review.unit_code) == ("Duyệt báo cáo của xã", "01")
