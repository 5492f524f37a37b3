"""Reporting periods: the ministry opens one, every province gets its report with the deadline, a late province is
chased by the ministry and can still submit. Bad inputs tried: a second opening, a province opening, a past
deadline, an unknown kind, a year out of range; each stores nothing."""
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from engine.dossiers import starting, tasks, timers, viewing
from engine.dossiers.attachments import Upload
from engine.errors import Conflict, DossierNotFound, Forbidden, InvalidInput
from engine.reporting import figures, periods
from engine.storage.tables import DossierRow, ReportValueRow
from tests.support.builders import (FIGURES, accept_figures, commune_task, only_task, set_commune_deadline,
                                     snapshot)
from tests.support.databases import on_both_databases

DUE = datetime(2026, 12, 15, 10, 0, tzinfo=UTC)  # 15/12/2026 17:00 in Vietnam
NATIONAL_STEP = "Tổng hợp báo cáo toàn quốc"


def test_every_province_gets_its_report_with_the_period_s_deadline(new_uow, officials):
    opened = periods.open_reporting_period("annual_models", 2026, officials.ministry, new_uow())
    assert (opened.dossiers, opened.province_deadline) == (34, DUE)
    (task,) = tasks.inbox(officials.province, new_uow()).tasks
    assert (task.step_name, task.unit_code, task.title, task.due_at) == (
        "Đặt hạn nộp cho các xã", "01", "annual_models", DUE)
    assert [t.unit_code for t in tasks.inbox(officials.other_province, new_uow()).tasks] == ["46"]
    assert "annual_models_report" not in [p.id for p in starting.startable_processes(officials.province, new_uow())]
    with pytest.raises(Forbidden, match="tự mở khi Bộ mở kỳ báo cáo"):
        starting.start_dossier("annual_models_report", officials.province, {"year": 2026}, new_uow())


@pytest.mark.parametrize("who, kind, year, deadline, refusal", [
    ("province", "annual_models", 2026, None, Forbidden),
    ("ministry", "weekly_gossip", 2026, None, InvalidInput),
    ("ministry", "annual_models", 2031, None, InvalidInput),
    ("ministry", "annual_models", 2026, date(2026, 11, 1), InvalidInput),
])
def test_a_period_that_cannot_open_stores_nothing(new_uow, officials, who, kind, year, deadline, refusal):
    before = snapshot(new_uow)
    with pytest.raises(refusal):
        periods.open_reporting_period(kind, year, getattr(officials, who), new_uow(), deadline)
    assert snapshot(new_uow) == before


def test_a_period_opens_once(new_uow, officials):
    periods.open_reporting_period("annual_models", 2026, officials.ministry, new_uow())
    before = snapshot(new_uow)
    with pytest.raises(Conflict, match="đã được mở"):
        periods.open_reporting_period("annual_models", 2026, officials.ministry, new_uow())
    assert snapshot(new_uow) == before


def test_the_ministry_compiles_the_national_report_in_a_dossier_only_it_sees(new_uow, officials):
    periods.open_reporting_period("annual_models", 2026, officials.ministry, new_uow())
    (task,) = tasks.inbox(officials.ministry, new_uow()).tasks
    assert (task.step_name, task.unit_code, task.title) == (NATIONAL_STEP, "VN", "annual_models")
    with pytest.raises(DossierNotFound):
        viewing.get_dossier(task.dossier_id, officials.province, new_uow())
    with pytest.raises(InvalidInput) as refusal:
        tasks.complete_task(task.id, officials.ministry, {"summary": "Cả nước đạt 71% gia đình học tập."}, new_uow())
    assert set(refusal.value.errors) == {"report_file"}
    done = tasks.complete_task(task.id, officials.ministry, {"summary": "Cả nước đạt 71% gia đình học tập."},
                               new_uow(), {"report_file": [Upload("bao-cao-toan-quoc.pdf", b"%PDF-1.4\n")]})
    assert (done.status, done.next_tasks) == ("closed", ())
    dossier = viewing.get_dossier(task.dossier_id, officials.ministry, new_uow())
    assert (dossier.province_code, dossier.commune_code, dossier.data["summary"]) == (
        "VN", "VN", "Cả nước đạt 71% gia đình học tập.")


def test_without_a_national_process_no_period_opens(new_uow, officials):
    with new_uow() as uow:
        for version in uow.processes.latest_of_each():
            if version.process_id == "annual_models_national_report":
                version.properties = {**version.properties, "report": "retired"}
        uow.commit()
    before = snapshot(new_uow)
    with pytest.raises(Conflict, match="Chưa triển khai quy trình báo cáo tổng hợp toàn quốc của Bộ"):
        periods.open_reporting_period("annual_models", 2026, officials.ministry, new_uow())
    assert snapshot(new_uow) == before


def test_the_province_fans_out_to_each_of_its_communes_with_their_deadline(new_uow, officials):
    periods.open_reporting_period("annual_models", 2026, officials.ministry, new_uow())
    done = set_commune_deadline(new_uow, officials)
    assert [t.step_name for t in done.next_tasks] == ["Tổng hợp, gửi báo cáo của tỉnh"]
    with new_uow() as uow:
        communes = len(uow.units.communes_of("01"))
        opened = uow.session.scalar(select(func.count()).select_from(DossierRow).where(
            DossierRow.province_code == "01", DossierRow.title == "annual_models", DossierRow.commune_code != "01"))
    assert opened == communes > 100
    task = commune_task(new_uow, officials.commune)
    assert (task.step_name, task.unit_code, task.due_at) == ("Nộp báo cáo của xã", "00070",
                                                             datetime(2026, 12, 5, 10, 0, tzinfo=UTC))
    assert tasks.get_task(task.id, officials.commune, new_uow()).values["recognised_family"] == 0
    # Each commune sees its own report only.
    with pytest.raises(DossierNotFound):
        viewing.get_dossier(task.dossier_id, officials.other_commune, new_uow())
    assert tasks.inbox(officials.other_commune, new_uow()).total == 1


def test_a_commune_s_figures_are_checked_returned_and_accepted(new_uow, officials):
    periods.open_reporting_period("annual_models", 2026, officials.ministry, new_uow())
    set_commune_deadline(new_uow, officials)
    task = commune_task(new_uow, officials.commune)
    with pytest.raises(InvalidInput) as refusal:
        tasks.complete_task(task.id, officials.commune, {**FIGURES, "recognised_family": 60, "registered_clan": 70},
                            new_uow())
    assert refusal.value.errors == {
        "recognised_family": "Số được công nhận (60) lớn hơn tổng số (50).",
        "registered_clan": "Số đăng ký (70) lớn hơn tổng số (50)."}
    with pytest.raises(InvalidInput, match="Sổ danh hiệu ghi 0; nhập lý do điều chỉnh"):
        tasks.complete_task(task.id, officials.commune, {**FIGURES, "recognised_family": 12}, new_uow())
    review = only_task(tasks.complete_task(task.id, officials.commune, {
        **FIGURES, "recognised_family": 12, "correction_reason": "12 hộ công nhận trước khi dùng phần mềm"},
        new_uow()))
    assert (review.step_name, review.unit_code) == ("Duyệt báo cáo của xã", "01")
    resubmit = only_task(tasks.complete_task(review.id, officials.province,
                                             {"decision": "return", "comment": "Tổng số hộ chưa khớp thống kê"},
                                             new_uow()))
    assert (resubmit.step_name, resubmit.unit_code) == ("Nộp báo cáo của xã", "00070")
    review = only_task(tasks.complete_task(resubmit.id, officials.commune, {**FIGURES, "total_family": 55},
                                           new_uow()))
    done = tasks.complete_task(review.id, officials.province, {"decision": "approve"}, new_uow())
    assert done.next_tasks == () and done.status == "closed"
    with new_uow() as uow:
        rows = {(r.indicator, r.value) for r in uow.session.scalars(
            select(ReportValueRow).where(ReportValueRow.unit_code == "00070"))}
    assert rows == {(f"{part}_{model}", count) for model in figures.MODELS
                    for part, count in (("registered", 40), ("recognised", 0),
                                        ("total", 55 if model == "family" else 50))}


def test_communes_are_reminded_then_chased_and_a_late_commune_still_submits(new_uow, officials, clock):
    periods.open_reporting_period("annual_models", 2026, officials.ministry, new_uow())
    set_commune_deadline(new_uow, officials)
    on_time = commune_task(new_uow, officials.other_commune)
    tasks.complete_task(on_time.id, officials.other_commune, FIGURES, new_uow())
    with new_uow() as uow:
        communes = len(uow.units.communes_of("01"))
    clock.advance(days=12, hours=9, minutes=1)  # 02/12/2026 17:01 in Vietnam: three days before
    reminded = timers.run_due_timers(new_uow)
    assert (reminded.fired, reminded.opened, reminded.failed) == (communes, 0, {})
    with new_uow() as uow:
        (late_task,) = uow.tasks.open_for_dossier(commune_task(new_uow, officials.commune).dossier_id)
        (in_review,) = uow.tasks.open_for_dossier(on_time.dossier_id)
        assert (late_task.reminded_at, in_review.reminded_at) == (clock.now(), None)
    clock.advance(days=3)  # past 05/12 17:00: every commune report not finished goes to the province
    chased = timers.run_due_timers(new_uow)
    assert (chased.fired, chased.opened) == (communes, communes)
    assert {t.step_name for t in tasks.inbox(officials.province, new_uow(), size=500).tasks} == {
        "Đôn đốc báo cáo của xã quá hạn", "Duyệt báo cáo của xã", "Tổng hợp, gửi báo cáo của tỉnh"}
    late = commune_task(new_uow, officials.commune)
    review = only_task(tasks.complete_task(late.id, officials.commune, FIGURES, new_uow()))
    assert review.step_name == "Duyệt báo cáo của xã"


def test_a_late_province_is_chased_by_the_ministry_and_still_submits(new_uow, officials, clock):
    periods.open_reporting_period("annual_models", 2026, officials.ministry, new_uow(), date(2026, 12, 10))
    set_commune_deadline(new_uow, officials)
    clock.advance(days=21)  # 11/12/2026, past the province's 10/12 and the communes' 05/12
    sweep = timers.run_due_timers(new_uow, limit=5000)
    assert sweep.failed == {}
    chases = [t for t in tasks.inbox(officials.ministry, new_uow()).tasks if t.step_name != NATIONAL_STEP]
    assert {t.step_name for t in chases} == {"Đôn đốc tỉnh nộp báo cáo quá hạn"} and len(chases) == 34
    submit = [t for t in tasks.inbox(officials.province, new_uow(), size=500).tasks
              if t.step_name == "Tổng hợp, gửi báo cáo của tỉnh"]
    (late,) = submit
    done = tasks.complete_task(late.id, officials.province, {"summary": "Toàn tỉnh đạt 72% gia đình học tập."},
                               new_uow(), {"report_file": [Upload("bao-cao-tinh.pdf", b"%PDF-1.4\n")]})
    assert done.next_tasks == ()


@on_both_databases  # when each province sent: the latest time per province in SQL
def test_a_province_is_reminded_before_its_deadline_and_the_ministry_sees_who_sent(new_uow, officials, clock):
    before = snapshot(new_uow)
    with pytest.raises(InvalidInput) as refusal:
        periods.open_reporting_period("annual_models", 2026, officials.ministry, new_uow(), reminder_days=0)
    assert refusal.value.errors == {"reminder_days": "Nhắc trước hạn từ 1 đến 30 ngày."}
    assert snapshot(new_uow) == before
    periods.open_reporting_period("annual_models", 2026, officials.ministry, new_uow(), reminder_days=2)
    set_commune_deadline(new_uow, officials)
    clock.advance(days=22, hours=10)  # 12/12/2026 18:00 in Vietnam: the reminder (13/12 17:00) not yet due
    assert timers.run_due_timers(new_uow, limit=5000).failed == {}
    (submit,) = [t for t in tasks.inbox(officials.province, new_uow(), size=500).tasks
                 if t.step_name == "Tổng hợp, gửi báo cáo của tỉnh"]
    with new_uow() as uow:
        assert uow.tasks.get(submit.id).reminded_at is None
    clock.advance(days=1)  # 13/12 18:00: two days before 15/12 17:00 has passed
    assert timers.run_due_timers(new_uow, limit=5000).failed == {}
    with new_uow() as uow:
        assert uow.tasks.get(submit.id).reminded_at == clock.now()
    tasks.complete_task(submit.id, officials.province, {"summary": "Báo cáo của Hà Nội."}, new_uow(),
                        {"report_file": [Upload("bao-cao-tinh.pdf", b"%PDF-1.4\n")]})
    national = periods.report_view("annual_models", 2026, officials.ministry, new_uow())
    sent = {row.code: row.sent_at for row in national.rows}
    assert (sent["01"], sent["46"], national.past_deadline, national.deadline) == (clock.now(), None, False, DUE)
    assert periods.report_view("annual_models", 2026, officials.province, new_uow()).sent_at == clock.now()
    clock.advance(days=3)
    assert periods.report_view("annual_models", 2026, officials.ministry, new_uow()).past_deadline


@on_both_databases  # sums and counts in SQL (PostgreSQL's SUM is numeric)
def test_aggregates_are_the_sums_of_the_communes_figures_against_the_targets(new_uow, officials, clock):
    periods.open_reporting_period("annual_models", 2026, officials.ministry, new_uow())
    set_commune_deadline(new_uow, officials)
    accept_figures(new_uow, officials, officials.commune, {**FIGURES, "registered_family": 50, "total_family": 100})
    accept_figures(new_uow, officials, officials.other_commune, {**FIGURES, "total_family": 60})
    periods.set_target("01", "family", 2030, 0.9, officials.province, new_uow())

    province = periods.report_view("annual_models", 2026, officials.province, new_uow())
    by_code = {row.code: row for row in province.rows}
    assert len(province.rows) > 100 and {"00070", "00073"} <= set(by_code)
    family = province.totals[0]
    assert (family.model, family.registered, family.recognised, family.total) == ("family", 90, 0, 160)
    assert (family.rate_of_total, family.target, family.gap) == (0.0, 0.9, 0.9)
    assert (by_code["00070"].accepted, by_code["00070"].waiting) == (1, 0)
    waiting = [row for row in province.rows if row.waiting]
    assert len(waiting) == len(province.rows) - 2 and not any(row.overdue for row in waiting)

    national = periods.report_view("annual_models", 2026, officials.ministry, new_uow())
    hanoi = next(row for row in national.rows if row.code == "01")
    assert (hanoi.models[0].registered, hanoi.models[0].total, hanoi.accepted) == (90, 160, 2)
    assert hanoi.models[0].target == 0.9 and next(r for r in national.rows if r.code == "46").models[0].target == 0.8
    assert national.totals[0].total == 160 and len(national.rows) == 34
    clock.advance(days=16)
    late = periods.report_view("annual_models", 2026, officials.ministry, new_uow())
    assert next(row for row in late.rows if row.code == "01").overdue == hanoi.communes - 2


def test_the_view_stays_within_the_official_s_reach(new_uow, officials):
    periods.open_reporting_period("annual_models", 2026, officials.ministry, new_uow())
    with pytest.raises(Forbidden):
        periods.report_view("annual_models", 2026, officials.commune, new_uow())
    with new_uow() as uow:
        hue = [commune.code for commune in uow.units.communes_of("46")]
    assert [row.code for row in periods.report_view("annual_models", 2026, officials.other_province,
                                                     new_uow()).rows] == hue
    with pytest.raises(Forbidden):
        periods.set_target("01", "family", 2030, 0.9, officials.other_province, new_uow())
    with pytest.raises(InvalidInput):
        periods.set_target("46", "family", 2030, 1.5, officials.other_province, new_uow())


def test_a_national_target_set_by_the_ministry_applies_where_a_province_has_none(new_uow, officials):
    periods.open_reporting_period("annual_models", 2026, officials.ministry, new_uow())
    periods.set_target("VN", "family", 2030, 0.85, officials.ministry, new_uow())
    periods.set_target("01", "family", 2030, 0.9, officials.province, new_uow())
    national = periods.report_view("annual_models", 2026, officials.ministry, new_uow())
    targets = {row.code: row.models[0].target for row in national.rows}
    assert (national.totals[0].target, targets["01"], targets["46"]) == (0.85, 0.9, 0.85)
    assert national.totals[1].target == 0.75  # clan: the national default from QĐ 387


def test_waiting_counts_are_those_of_the_period_s_year(new_uow, officials):
    for year in (2026, 2027):
        periods.open_reporting_period("annual_models", year, officials.ministry, new_uow())
        (task,) = [t for t in tasks.inbox(officials.province, new_uow()).tasks
                   if t.step_name == "Đặt hạn nộp cho các xã"]
        tasks.complete_task(task.id, officials.province, {"commune_deadline": "2026-12-05", "reminder_days": 3},
                            new_uow())
    view = periods.report_view("annual_models", 2026, officials.province, new_uow())
    assert {row.waiting for row in view.rows} == {1}


def test_a_commune_deadline_after_the_province_s_is_refused_and_opens_nothing(new_uow, officials):
    periods.open_reporting_period("annual_models", 2026, officials.ministry, new_uow())
    before = snapshot(new_uow)
    with pytest.raises(InvalidInput, match=r"Hạn của xã phải trước hạn của tỉnh \(15/12/2026\)"):
        set_commune_deadline(new_uow, officials, day="2026-12-20")
    assert snapshot(new_uow) == before


def test_a_target_for_a_unit_that_is_not_a_province_is_refused(new_uow, officials):
    with pytest.raises(InvalidInput, match="Không có tỉnh mã 99"):
        periods.set_target("99", "family", 2030, 0.9, officials.ministry, new_uow())
    with pytest.raises(InvalidInput, match="Không có tỉnh mã 00070"):
        periods.set_target("00070", "family", 2030, 0.9, officials.ministry, new_uow())


def test_a_commune_report_opened_after_its_reminder_fell_due_is_reminded_at_once(new_uow, officials, clock):
    """A deadline closer than the reminder days (or a fan-out job run late): the reminder is not lost."""
    periods.open_reporting_period("annual_models", 2026, officials.ministry, new_uow())
    set_commune_deadline(new_uow, officials, day="2026-11-22", reminder_days=3)  # reminder 19/11, today 20/11
    task = commune_task(new_uow, officials.commune)
    with new_uow() as uow:
        (row,) = uow.tasks.open_for_dossier(task.dossier_id)
        assert row.reminded_at == clock.now()
    history = viewing.get_dossier(task.dossier_id, officials.commune, new_uow()).history
    assert sorted(entry.action for entry in history) == ["reminder", "start"]
