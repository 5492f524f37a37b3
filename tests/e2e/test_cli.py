"""The CLI through Flask's runner, as an administrator would type it."""
import threading

from engine.designing import deployments
from engine.dossiers import starting, timers, viewing
from engine.model import Official, Role
from engine.organisation.accounts import sign_in
from tests.support.builders import due_at
from tests.support.diagrams import deadline_diagram
from web import embedded


def test_init_db_is_idempotent(runner):
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert "phiên bản 1 (không đổi)" in result.output


def test_add_branch_prints_its_code_and_users_can_be_created(runner, new_uow):
    result = runner.invoke(args=["units", "add-branch", "--commune", "00070", "--name", "Chi hội thôn Đông"])
    assert result.exit_code == 0 and result.output.strip() == "00070-01"
    second = runner.invoke(args=["units", "add-branch", "--commune", "00070", "--name", "Chi hội thôn Tây"])
    assert second.output.strip() == "00070-02"
    created = runner.invoke(args=["users", "create", "--username", "dong", "--role", "branch", "--unit", "00070-01"],
                            input="hoa-sen-mua-thu\nhoa-sen-mua-thu\n")
    assert created.exit_code == 0, created.output
    assert sign_in("dong", "hoa-sen-mua-thu", new_uow()).official.unit_code == "00070-01"


def test_bad_cli_input_says_what_is_wrong(runner):
    unknown = runner.invoke(args=["units", "add-branch", "--commune", "99999", "--name", "X"])
    assert unknown.exit_code != 0 and "99999" in unknown.output
    mismatch = runner.invoke(args=["users", "create", "--username", "u", "--password-stdin", "--role", "commune",
                                   "--unit", "01"], input="mat-khau-dai\n")
    assert mismatch.exit_code != 0 and "cấp commune" in mismatch.output
    for weak, why in (("ngan", "từ 10 đến 256 ký tự"), ("u", "từ 10 đến 256 ký tự"),
                      ("1234567890", "hay bị dò nhất"), ("Password123", "hay bị dò nhất")):
        refused = runner.invoke(args=["users", "create", "--username", "u", "--password-stdin", "--role", "ministry"],
                                input=weak + "\n")
        assert refused.exit_code != 0 and why in refused.output, (weak, refused.output)
    named = runner.invoke(args=["users", "create", "--username", "hoangkim", "--password-stdin", "--role", "ministry"],
                          input="Hoangkim-2026\n")
    assert named.exit_code != 0 and "không được chứa tên đăng nhập" in named.output
    assert "--password " not in runner.invoke(args=["users", "create", "--help"]).output


def test_demo_seeds_accounts_and_a_waiting_dossier(runner, new_uow):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "xa-hoankiem" in result.output and "đang chờ xã 00070" in result.output
    official = sign_in("xa-hoankiem", "hoctap-2026", new_uow()).official
    from engine.dossiers.tasks import inbox
    assert [t.step for t in inbox(official, new_uow()).tasks] == ["verify"]
    assert "Đã mở kỳ báo cáo năm 2026 cho 34 tỉnh" in result.output
    assert [t.step for t in inbox(Official("tinh-hanoi", Role.PROVINCE, "01"), new_uow()).tasks] == [
        "set_commune_deadline"]
    again = runner.invoke(args=["demo"])  # a second run adds nothing and does not fail
    assert again.exit_code == 0 and "Kỳ báo cáo năm 2026 đã mở từ trước." in again.output
    assert len(inbox(official, new_uow()).tasks) == 1


def test_demo_refuses_a_database_with_accounts_of_its_own(runner, officials, new_uow):
    """The demo's accounts (an administrator among them) share a published password: never in a real database."""
    refused = runner.invoke(args=["demo"])
    assert refused.exit_code != 0 and "đã có tài khoản khác" in refused.output
    assert sign_in("quantri", "hoctap-2026", new_uow()) is None


def test_deploy_command_refuses_a_broken_file(runner, tmp_path):
    broken = tmp_path / "broken.bpmn"
    broken.write_text("<bpmn:definitions")
    result = runner.invoke(args=["deploy", str(broken)])
    assert result.exit_code != 0 and "broken.bpmn, dòng 1: XML không hợp lệ" in result.output


def test_run_timers_fires_what_is_due_once(runner, new_uow, officials, clock):
    deployments.deploy({"with_deadline.bpmn": deadline_diagram()}, officials.designer, new_uow())
    starting.start_dossier("with_deadline", officials.branch, {"year": 2026}, new_uow())
    assert "của 0 hồ sơ, mở 0 việc" in runner.invoke(args=["run-timers"]).output
    clock.advance(days=30)
    result = runner.invoke(args=["run-timers"])
    assert result.exit_code == 0 and "của 1 hồ sơ, mở 1 việc" in result.output
    assert "của 0 hồ sơ, mở 0 việc" in runner.invoke(args=["run-timers"]).output


def test_the_app_fires_timers_by_itself_without_a_worker(database_url, new_uow, officials, clock, monkeypatch):
    deployments.deploy({"with_deadline.bpmn": deadline_diagram()}, officials.designer, new_uow())
    dossier_id = starting.start_dossier("with_deadline", officials.branch, {"year": 2026}, new_uow()).id
    clock.advance(days=30)
    sweeps, swept, real_sweep = [], threading.Event(), timers.run_due_timers

    def sweep(new_uow, *args, **kwargs):
        sweeps.append(real_sweep(new_uow, *args, **kwargs))
        swept.set()
        return sweeps[-1]

    monkeypatch.setattr(timers, "run_due_timers", sweep)
    app = embedded.create_app({"SECRET_KEY": "x", "DATABASE_URL": database_url, "CLOCK": clock,
                               "TIMER_SWEEP_SECONDS": 1})
    try:
        # The app's own thread sweeps a second after it starts; however slow the machine, it says when it has.
        assert swept.wait(timeout=60), "the app did not sweep"
        assert (sweeps[0].fired, sweeps[0].opened, sweeps[0].failed) == (1, 1, {})
        assert due_at(new_uow, dossier_id) is None
        history = viewing.get_dossier(dossier_id, officials.ministry, new_uow()).history
        assert history[-1].action == "timer"
    finally:
        app.extensions["timer_sweeper_stop"].set()


def test_reports_open_starts_every_province_s_report(runner):
    result = runner.invoke(args=["reports", "open", "--year", "2026"])
    assert result.exit_code == 0, result.output
    assert "annual_models năm 2026: 34 tỉnh, hạn 15/12/2026 17:00" in result.output
    again = runner.invoke(args=["reports", "open", "--year", "2026"])
    assert again.exit_code != 0 and "đã được mở" in again.output


def test_reports_target_sets_a_province_s_own_target(runner):
    result = runner.invoke(args=["reports", "target", "--province", "01", "--model", "family", "--year", "2030",
                                 "--rate", "0.9"])
    assert result.exit_code == 0 and "Chỉ tiêu family của 01 đến năm 2030: 90%." in result.output
    bad = runner.invoke(args=["reports", "target", "--model", "family", "--year", "2030", "--rate", "9"])
    assert bad.exit_code != 0 and "Chỉ tiêu là một tỷ lệ" in bad.output
