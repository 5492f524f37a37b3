"""Reporting periods: the ministry opens one, every province gets its report with the deadline, a late province is
chased by the ministry and can still submit. Bad inputs tried: a second opening, a province opening, a past
deadline, an unknown kind, a year out of range; each stores nothing."""
from datetime import UTC, date, datetime

import pytest

from engine import dossiers, reports, tasks, timers
from engine.attachments import Upload
from engine.errors import Conflict, Forbidden, InvalidInput
from tests.integration.test_use_cases import snapshot

DUE = datetime(2026, 12, 15, 10, 0, tzinfo=UTC)  # 15/12/2026 17:00 in Vietnam


def test_every_province_gets_its_report_with_the_period_s_deadline(new_uow, officials):
    opened = reports.open_reporting_period("annual_models", 2026, officials.ministry, new_uow())
    assert (opened.dossiers, opened.province_deadline) == (34, DUE)
    (task,) = tasks.inbox(officials.province, new_uow()).tasks
    assert (task.step_name, task.unit_code, task.title, task.due_at) == (
        "Tổng hợp, gửi báo cáo của tỉnh", "01", "annual_models", DUE)
    assert [t.unit_code for t in tasks.inbox(officials.other_province, new_uow()).tasks] == ["46"]
    assert "annual_models_report" not in [p.id for p in dossiers.startable_processes(officials.province, new_uow())]
    with pytest.raises(Forbidden, match="tự mở khi Bộ mở kỳ báo cáo"):
        dossiers.start_dossier("annual_models_report", officials.province, {"year": 2026}, new_uow())


@pytest.mark.parametrize("who, kind, year, deadline, refusal", [
    ("province", "annual_models", 2026, None, Forbidden),
    ("ministry", "weekly_gossip", 2026, None, InvalidInput),
    ("ministry", "annual_models", 2031, None, InvalidInput),
    ("ministry", "annual_models", 2026, date(2026, 11, 1), InvalidInput),
])
def test_a_period_that_cannot_open_stores_nothing(new_uow, officials, who, kind, year, deadline, refusal):
    before = snapshot(new_uow)
    with pytest.raises(refusal):
        reports.open_reporting_period(kind, year, getattr(officials, who), new_uow(), deadline)
    assert snapshot(new_uow) == before


def test_a_period_opens_once(new_uow, officials):
    reports.open_reporting_period("annual_models", 2026, officials.ministry, new_uow())
    before = snapshot(new_uow)
    with pytest.raises(Conflict, match="đã được mở"):
        reports.open_reporting_period("annual_models", 2026, officials.ministry, new_uow())
    assert snapshot(new_uow) == before


def test_a_late_province_is_chased_by_the_ministry_and_still_submits(new_uow, officials, clock):
    reports.open_reporting_period("annual_models", 2026, officials.ministry, new_uow(), date(2026, 12, 10))
    clock.advance(days=21)  # 11/12/2026
    sweep = timers.run_due_timers(new_uow)
    assert (sweep.fired, sweep.opened, sweep.failed) == (34, 34, {})
    chases = tasks.inbox(officials.ministry, new_uow())
    assert chases.total == 34 and {t.step_name for t in chases.tasks} == {"Đôn đốc tỉnh nộp báo cáo quá hạn"}
    (late,) = tasks.inbox(officials.province, new_uow()).tasks
    done = tasks.complete_task(late.id, officials.province, {"summary": "Toàn tỉnh đạt 72% gia đình học tập."},
                               new_uow(), {"report_file": [Upload("bao-cao-tinh.pdf", b"%PDF-1.4\n")]})
    assert done.next_tasks == () and tasks.inbox(officials.province, new_uow()).tasks == []
    assert timers.run_due_timers(new_uow).fired == 0
