"""The audit through the CLI, as an administrator checks it: `flask audit anchor`, `verify`, `archive`. Each kind of
tampering (a row's payload edited, a middle row deleted, the tail deleted, the tail deleted and the head the dossier
keeps rewound after its day was anchored, an anchor edited or deleted, an archived row edited) is written past the
triggers, as an intruder with database access would, and must be the first broken link `verify` names, with exit
code 1."""
import pytest
from sqlalchemy import select

from engine.dossiers import tasks
from engine.storage.tables import AuditRow
from tests.support.builders import to_commune
from tests.support.databases import on_both_databases, write_past_triggers


@pytest.fixture
def audited(new_uow, officials, clock, runner):
    """Two dossiers of 20/11/2026 (the first passed on by the commune: 3 rows, the second 2), anchored the next day:
    {dossier: its rows' ids}."""
    first, verify = to_commune(new_uow, officials)
    tasks.complete_task(verify.id, officials.commune, {"decision": "approve"}, new_uow())
    second, _ = to_commune(new_uow, officials)
    clock.advance(days=1)
    anchored = runner.invoke(args=["audit", "anchor"])
    assert anchored.exit_code == 0 and "Neo nhật ký ngày 20/11/2026: 35 mốc neo, 2 hồ sơ" in anchored.output
    with new_uow() as uow:
        return {d: list(uow.session.scalars(select(AuditRow.id).where(AuditRow.dossier_id == d).order_by(AuditRow.id)))
                for d in (first, second)}


@on_both_databases
def test_a_clean_audit_verifies_with_what_it_counted(runner, audited):
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "toàn vẹn: đã kiểm tra 5 hàng nhật ký, 35 mốc neo" in result.output
    by_province = runner.invoke(args=["audit", "verify", "--province", "01", "--since", "2026-11-20"])
    assert "đã kiểm tra 5 hàng nhật ký, 1 mốc neo" in by_province.output
    again = runner.invoke(args=["audit", "anchor"])
    assert again.exit_code == 0 and "Không có ngày nào cần neo" in again.output


# Each tampering: the SQL, one statement or several (given the rows' ids of the first and second dossier), then what
# verify must name.
TAMPERING = {
    "payload edited": (lambda first, second: f"UPDATE audit_log SET payload = '{{\"decision\": \"reject\"}}' "
                                             f"WHERE id = {first[2]}",
                       lambda first, second: f"(row changed): hồ sơ {FIRST}, hàng {first[2]}: nội dung hàng đã bị sửa"),
    "middle row deleted": (lambda first, second: f"DELETE FROM audit_log WHERE id = {first[1]}",
                           lambda first, second: f"(row missing): hồ sơ {FIRST}, hàng {first[2]}: thiếu hàng ngay "
                                                 "trước"),
    "tail deleted": (
        lambda first, second: f"DELETE FROM audit_log WHERE id = {second[1]}",
        lambda first, second: f"(head missing): hồ sơ {SECOND}, hàng {second[0]}: chuỗi không kết thúc ở hàng cuối mà "
                              "hồ sơ ghi nhận"),
    "tail deleted and the dossier's head rewound, after its day was anchored": (
        lambda first, second: (f"DELETE FROM audit_log WHERE id = {second[1]}",
                               f"UPDATE dossiers SET audit_head = (SELECT row_hash FROM audit_log WHERE id = {second[0]})"
                               f" WHERE id = (SELECT dossier_id FROM audit_log WHERE id = {second[0]})"),
        lambda first, second: f"(head missing): hồ sơ {SECOND}, hàng {second[1]}: hàng cuối của hồ sơ trong ngày "
                              "20/11/2026 không còn"),
    "anchor edited": (lambda first, second: "UPDATE audit_anchors SET heads = '{}' WHERE province_code = '01'",
                      lambda first, second: "(anchor broken): mốc neo của 01 ngày 20/11/2026: mốc neo đã bị sửa"),
    "anchors deleted": (lambda first, second: "DELETE FROM audit_anchors WHERE province_code = '01'",
                        lambda first, second: "(anchor broken): mốc neo của 01 ngày 20/11/2026: tỉnh này không còn"),
}
FIRST, SECOND = "{first}", "{second}"


@on_both_databases
@pytest.mark.parametrize("tampering", TAMPERING)
def test_tampering_is_the_first_broken_link(runner, audited, database_url, tampering):
    (first, first_rows), (second, second_rows) = audited.items()
    statements, expected = TAMPERING[tampering]
    for statement in (lambda s: (s,) if isinstance(s, str) else s)(statements(first_rows, second_rows)):
        write_past_triggers(database_url, statement)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1, result.output
    assert expected(first_rows, second_rows).format(first=first, second=second) in result.output


@on_both_databases
def test_a_row_edited_after_it_was_archived_is_the_first_broken_link(runner, audited, database_url):
    (first, first_rows), _ = audited.items()
    moved = runner.invoke(args=["audit", "archive", "--before", "2026-11-21"])
    assert moved.exit_code == 0 and "Đã chuyển 5 hàng" in moved.output, moved.output
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    write_past_triggers(database_url, f"UPDATE audit_log_archive SET username = 'ai-do' WHERE id = {first_rows[0]}")
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"(row changed): hồ sơ {first}, hàng {first_rows[0]}: nội dung hàng (trong kho lưu trữ) đã bị sửa" \
        in result.output


def test_the_timer_worker_anchors_the_days_that_ended(runner, new_uow, officials, clock):
    to_commune(new_uow, officials)
    assert "Neo nhật ký" not in runner.invoke(args=["run-timers"]).output
    clock.advance(days=1)
    assert "Neo nhật ký ngày 20/11/2026: 35 mốc neo, 1 hồ sơ có thay đổi." in runner.invoke(args=["run-timers"]).output
    assert "Neo nhật ký" not in runner.invoke(args=["run-timers"]).output


def test_bad_audit_options_are_refused_naming_the_option(runner, new_uow, officials):
    """Tried: a commune's code and an unknown code as --province, a malformed --since, archiving before a day to come,
    anchoring today (not over yet); nothing is stored."""
    to_commune(new_uow, officials)
    for args, option in ((["verify", "--province", "00070"], "--province"),
                         (["verify", "--province", "99"], "--province"),
                         (["verify", "--since", "20/11/2026"], "--since"),
                         (["archive", "--before", "2026-11-22"], "--before"),
                         (["anchor", "--day", "2026-11-20"], "--day")):
        result = runner.invoke(args=["audit", *args])
        assert result.exit_code == 2 and option in result.output, (args, result.output)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "2 hàng nhật ký, 0 mốc neo" in result.output
