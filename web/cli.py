"""Command line, through Flask's: each command wraps one use case, as flaskr's init-db does."""
import functools
import sys
import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from engine import demo
from engine.auditing import anchors, archiving, verifying
from engine.clock import VIETNAM
from engine.designing import deployments, moving_dossiers
from engine.dossiers import stored_state, timers
from engine.errors import EngineError, InvalidInput
from engine.jobs import dead_letters, outbox
from engine.model import SYSTEM, BranchKind, JobStatus, ReportKind, Role
from engine.organisation import accounts, tokens, units
from engine.recognition import decision_tables
from engine.reporting import figures, periods
from engine.storage.database import upgrade_schema
from web.engine_access import app_engine

users_cli = AppGroup("users", help="Tài khoản cán bộ.")
units_cli = AppGroup("units", help="Đơn vị: tỉnh, xã, chi hội.")
decisions_cli = AppGroup("decisions", help="Bảng quyết định (DMN): toàn quốc hoặc của từng tỉnh.")
tokens_cli = AppGroup("tokens", help="Mã truy cập cho chương trình (Authorization: Bearer).")
reports_cli = AppGroup("reports", help="Kỳ báo cáo: Bộ mở kỳ, mỗi tỉnh nhận hồ sơ báo cáo có hạn nộp.")
jobs_cli = AppGroup("jobs", help="Việc nền: danh sách (việc lỗi trước hết), chạy lại, chuyển việc còn chờ cho worker.")
audit_cli = AppGroup("audit", help="Nhật ký kiểm toán: chuỗi băm từng hồ sơ, mốc neo hằng ngày của từng tỉnh, lưu trữ.")


def engine_errors(command):
    """End a command whose use case refuses with the engine's message (exit code 1), as click ends a usage error."""
    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except EngineError as error:
            raise click.ClickException(str(error)) from error
    return run


def option_errors(command):
    """End a command whose use case refuses an option's value naming that option (exit code 2), as click does."""
    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except InvalidInput as error:
            field, message = next(iter(error.errors.items()))
            raise click.BadParameter(message, param_hint=f"--{field}") from error
    return run


def init_db() -> None:
    """Create or upgrade the schema, load the official units, deploy the shipped diagrams."""
    engine = app_engine()
    upgrade_schema(engine.database)
    added = units.load_administrative_units(engine.uow())
    if added:
        click.echo(f"Đã nạp {added} đơn vị hành chính (Bộ, 34 tỉnh, 3.321 xã).")
    for table in decision_tables.load_decision_directory(current_app.config["BPMN_DIR"], SYSTEM, engine.uow):
        click.echo(f"Bảng quyết định {table.decision_id} (toàn quốc): phiên bản {table.version} "
                   f"({'mới' if table.created else 'không đổi'}).")
    for result in deployments.deploy_directory(current_app.config["BPMN_DIR"], SYSTEM, engine.uow()):
        state = "mới" if result.created else "không đổi"
        click.echo(f"Quy trình {result.process_id}: phiên bản {result.version} ({state}).")


@click.command("init-db")
@with_appcontext
def init_db_command():
    """Tạo hoặc nâng cấp cơ sở dữ liệu và triển khai các quy trình trong bpmn/."""
    init_db()
    click.echo("Cơ sở dữ liệu đã sẵn sàng.")


@users_cli.command("create")
@click.option("--username", required=True)
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--unit", default=None, help="Mã đơn vị (tỉnh 01, xã 00070, chi hội 00070-01).")
@click.option("--full-name", default="")
@click.option("--password-stdin", is_flag=True,
              help="Đọc mật khẩu từ dòng đầu của stdin (cho script); không có: hỏi, không hiện chữ.")
@engine_errors
def create_user_command(username, role, unit, full_name, password_stdin):
    """Tạo tài khoản cán bộ. Mật khẩu không bao giờ nằm trên dòng lệnh (lịch sử shell, danh sách tiến trình)."""
    password = (sys.stdin.readline().rstrip("\n") if password_stdin
                else click.prompt("Mật khẩu", hide_input=True, confirmation_prompt=True))
    official = accounts.create_user(username, password, role, unit, app_engine().uow(), full_name)
    click.echo(f"Đã tạo {official.username} ({official.role}, {official.unit_code}).")


@users_cli.command("disable")
@click.argument("username")
@engine_errors
def disable_user_command(username):
    """Khoá tài khoản: không đăng nhập được nữa, các phiên đang mở kết thúc."""
    accounts.disable_account(username, SYSTEM, app_engine().uow())
    click.echo(f"Đã khoá {username}.")


@tokens_cli.command("create")
@click.option("--user", "username", required=True, help="Tài khoản (dịch vụ) dùng mã.")
@click.option("--name", required=True, help="Chương trình nào dùng mã.")
@click.option("--scope", "scopes", multiple=True, required=True, type=click.Choice(tokens.SCOPES))
@click.option("--days", type=click.IntRange(1, tokens.MAX_DAYS), default=90, show_default=True)
@engine_errors
def create_token_command(username, name, scopes, days):
    """Tạo mã truy cập cho một chương trình; mã chỉ in ra một lần."""
    created = tokens.create_token(SYSTEM, name, list(scopes), days, app_engine().uow(), username)
    click.echo(created.secret)


@units_cli.command("add-branch")
@click.option("--commune", required=True, help="Mã xã, ví dụ 00070.")
@click.option("--name", required=True)
@click.option("--kind", type=click.Choice([k.value for k in BranchKind]), default=BranchKind.VILLAGE.value,
              show_default=True, help="Chi hội thôn/tổ dân phố, hoặc Ban khuyến học của cơ quan, trường học, doanh nghiệp.")
@engine_errors
def add_branch_command(commune, name, kind):
    """Lập một chi hội thuộc xã; in mã chi hội mới."""
    click.echo(units.add_branch(commune, name, app_engine().uow(), kind=kind))


@click.command("deploy")
@with_appcontext
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@engine_errors
def deploy_command(files):
    """Triển khai các tệp .bpmn và biểu mẫu .json như một lần triển khai."""
    results = deployments.deploy({f.name: f.read_bytes() for f in files}, SYSTEM, app_engine().uow())
    for result in results:
        click.echo(f"{result.process_id}: phiên bản {result.version} ({'mới' if result.created else 'không đổi'}).")


@click.command("migrate")
@with_appcontext
@click.argument("process_id")
@click.option("--to", "to_version", type=int, default=None, help="Phiên bản đích (mặc định: mới nhất).")
@click.option("--apply", is_flag=True, help="Chuyển thật; không có: chỉ xem hồ sơ nào chuyển được.")
@engine_errors
def migrate_command(process_id, to_version, apply):
    """Chuyển các hồ sơ đang chạy của một quy trình sang phiên bản mới hơn, nếu chưa tới phần đã sửa."""
    migration = moving_dossiers.migrate_dossiers(process_id, SYSTEM, app_engine().uow(), to_version, apply)
    verb = "Đã chuyển" if migration.applied else "Chuyển được (chạy lại với --apply để chuyển)"
    click.echo(f"{verb} sang phiên bản {migration.to_version}: {len(migration.movable)} hồ sơ "
               f"{sorted(migration.movable)}.")
    for dossier_id, reason in sorted(migration.refused.items()):
        click.echo(f"  hồ sơ {dossier_id} ở lại: {reason}")


@decisions_cli.command("load")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--province", default=None, help="Mã tỉnh nạp bảng riêng (bỏ trống: bảng toàn quốc).")
@engine_errors
def load_decision_command(file, province):
    """Nạp một bảng quyết định (.dmn): toàn quốc, hoặc bảng riêng của một tỉnh."""
    tables = decision_tables.load_decision_table(file.name, file.read_bytes(), SYSTEM, app_engine().uow(), province)
    for table in tables:
        click.echo(f"{table.decision_id} ({table.province_code}): phiên bản {table.version} "
                   f"({'mới' if table.created else 'không đổi'}).")


@click.command("demo")
@with_appcontext
@engine_errors
def demo_command():
    """Khởi tạo dữ liệu mẫu: chi hội, một tài khoản mỗi vai trò, một hồ sơ đang chờ xã."""
    init_db()
    for line in demo.seed(app_engine().uow):
        click.echo(line)


@reports_cli.command("open")
@click.option("--kind", type=click.Choice([k.value for k in ReportKind]), default=ReportKind.ANNUAL_MODELS.value,
              show_default=True)
@click.option("--year", type=int, required=True)
@click.option("--deadline", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Hạn nộp của tỉnh (YYYY-MM-DD); mặc định 15/12 (báo cáo năm), 20/10 (Tuần lễ).")
@click.option("--reminder-days", type=click.IntRange(1, 30), default=3, show_default=True,
              help="Nhắc tỉnh trước hạn bao nhiêu ngày.")
@with_appcontext
@engine_errors
def open_period_command(kind, year, deadline, reminder_days):
    """Mở kỳ báo cáo: mỗi tỉnh nhận một hồ sơ báo cáo với hạn nộp, Bộ nhận việc tổng hợp toàn quốc."""
    opened = periods.open_reporting_period(kind, year, SYSTEM, app_engine().uow(),
                                           deadline.date() if deadline else None, reminder_days=reminder_days)
    click.echo(f"Đã mở kỳ báo cáo {opened.kind} năm {opened.year}: {opened.dossiers} tỉnh, hạn "
               f"{opened.province_deadline.astimezone(VIETNAM):%d/%m/%Y %H:%M}.")


@reports_cli.command("target")
@click.option("--province", default="VN", show_default=True, help="Mã tỉnh; VN: chỉ tiêu toàn quốc.")
@click.option("--model", required=True, type=click.Choice([str(m) for m in figures.MODELS]))
@click.option("--year", "milestone_year", type=int, required=True, help="Năm mốc, ví dụ 2030.")
@click.option("--rate", type=float, required=True, help="Tỷ lệ, ví dụ 0.85.")
@with_appcontext
@engine_errors
def set_target_command(province, model, milestone_year, rate):
    """Đặt chỉ tiêu của một tỉnh (hoặc toàn quốc) cho một mô hình đến năm mốc."""
    periods.set_target(province, model, milestone_year, rate, SYSTEM, app_engine().uow())
    click.echo(f"Chỉ tiêu {model} của {province} đến năm {milestone_year}: {rate:.0%}.")


@click.command("run-timers")
@click.option("--every", type=click.IntRange(min=1), default=None, metavar="SECONDS",
              help="Chạy mãi, quét lại sau mỗi SECONDS giây (chế độ worker). Không có: quét một lần.")
@with_appcontext
def run_timers_command(every):
    """Kích hoạt các mốc thời gian (nhắc hạn, quá hạn, chuyển cấp trên) đã đến hạn."""
    engine = app_engine()
    while True:
        sweep = timers.run_due_timers(engine.uow)
        click.echo(f"Đã kích hoạt mốc thời gian của {sweep.fired} hồ sơ, mở {sweep.opened} việc"
                   + (f"; {len(sweep.failed)} hồ sơ lỗi, thử lại sau: {sweep.failed}" if sweep.failed else "") + ".")
        # The worker also relays jobs a crash left in the outbox and anchors each day's audit once the day is over: no
        # other process need be scheduled where no broker is.
        outbox.relay_left_behind(engine.uow, engine.dispatcher)
        _echo_anchored(anchors.anchor_past_days(engine.uow))
        if every is None:
            return
        time.sleep(every)


@click.command("upgrade-state")
@click.option("--dry-run", is_flag=True, help="Chỉ thử: tính hết, báo kết quả, không lưu gì.")
@click.option("--batch-size", type=click.IntRange(min=1), default=stored_state.UPGRADE_BATCH, show_default=True,
              help="Số hồ sơ mỗi giao dịch.")
@with_appcontext
def upgrade_state_command(dry_run, batch_size):
    """Nâng cấp trạng thái quy trình đã lưu (hồ sơ, phiên bản quy trình) lên phiên bản phần mềm đang dùng."""
    engine = app_engine()
    found = stored_state.stored_state(engine.uow())
    if found.newer_than_code:
        raise click.ClickException(f"Dữ liệu được lưu ở phiên bản {found.newest}, mới hơn phần mềm này "
                                   f"({found.code}): hãy chạy bản phần mềm mới hơn, đừng hạ cấp.")
    with click.progressbar(length=stored_state.count_to_upgrade(engine.uow()), label="Hồ sơ") as bar:
        summary = stored_state.upgrade_state(engine.uow, dry_run, batch_size, bar.update)
    click.echo(("Chạy thử, không lưu gì: " if dry_run else "") + f"nâng cấp {summary.upgraded}, "
               f"đã ở phiên bản {found.code} {summary.current}, lỗi {len(summary.failed)}.")
    for name, reason in summary.failed.items():
        click.echo(f"  {name}: {reason}")
    if summary.failed:
        raise SystemExit(1)


def _echo_anchored(anchored: list[anchors.Anchored]) -> None:
    for day in anchored:
        click.echo(f"Neo nhật ký ngày {day.day:%d/%m/%Y}: {day.anchors} mốc neo, {day.heads} hồ sơ có thay đổi.")


@audit_cli.command("anchor")
@click.option("--day", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Ngày cần neo (YYYY-MM-DD, đã qua). Không có: mọi ngày đã qua chưa được neo.")
@with_appcontext
@engine_errors
@option_errors
def anchor_audit_command(day):
    """Neo nhật ký kiểm toán: mỗi tỉnh một mốc neo mỗi ngày, ghi đầu chuỗi của các hồ sơ thay đổi hôm đó."""
    engine = app_engine()
    anchored = [anchors.anchor_audit(day.date(), engine.uow())] if day else anchors.anchor_past_days(engine.uow)
    _echo_anchored(anchored)
    if not anchored:
        click.echo("Không có ngày nào cần neo.")


@audit_cli.command("verify")
@click.option("--province", default=None, help="Chỉ kiểm tra một tỉnh (mã tỉnh, ví dụ 01; VN: hồ sơ của Bộ).")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Chỉ các hồ sơ có nhật ký từ ngày này (YYYY-MM-DD) và mốc neo từ ngày này.")
@with_appcontext
@engine_errors
@option_errors
def verify_audit_command(province, since):
    """Tính lại mọi chuỗi băm (cả hàng đã lưu trữ) và kiểm tra mốc neo; thoát mã 1 ở chỗ hỏng đầu tiên."""
    result = verifying.verify_audit(app_engine().uow, province, since.date() if since else None)
    checked = f"{result.rows} hàng nhật ký, {result.anchors} mốc neo"
    if result.broken:
        click.echo(f"Nhật ký kiểm toán bị can thiệp ({result.broken.problem}): {result.broken}")
        click.echo(f"Đã kiểm tra {checked} trước chỗ hỏng này.")
        raise SystemExit(1)
    click.echo(f"Nhật ký kiểm toán toàn vẹn: đã kiểm tra {checked}.")


@audit_cli.command("archive")
@click.option("--before", type=click.DateTime(formats=["%Y-%m-%d"]), required=True,
              help="Chuyển các hàng ghi trước ngày này (YYYY-MM-DD) sang kho lưu trữ.")
@with_appcontext
@engine_errors
@option_errors
def archive_audit_command(before):
    """Chuyển hàng nhật ký cũ sang bảng lưu trữ, mỗi lô một giao dịch; không hàng nào mất."""
    moved = archiving.archive_audit(before.date(), app_engine().uow)
    click.echo(f"Đã chuyển {moved} hàng nhật ký ghi trước {before:%d/%m/%Y} sang kho lưu trữ.")


@jobs_cli.command("list")
@click.option("--status", type=click.Choice([*JobStatus, "all"]), default=JobStatus.DEAD, show_default=True)
@with_appcontext
def list_jobs_command(status):
    """Liệt kê việc nền (mặc định: danh sách lỗi), mới nhất trước."""
    for job in dead_letters.list_jobs(SYSTEM, app_engine().uow(), None if status == "all" else status):
        click.echo(f"{job.id}\t{job.kind}\t{job.status}\t{job.attempts} lần\t{job.created_at:%Y-%m-%d %H:%M}\t"
                   f"{job.error or job.result or ''}")


@jobs_cli.command("retry")
@click.argument("job_id", type=int)
@with_appcontext
@engine_errors
def retry_job_command(job_id):
    """Chạy lại một việc ở danh sách lỗi."""
    dead_letters.retry_job(job_id, SYSTEM, app_engine().uow())
    click.echo(f"Việc nền {job_id} đã vào hàng chờ.")


@jobs_cli.command("relay")
@with_appcontext
def relay_jobs_command():
    """Chuyển cho worker các việc nền còn nằm trong hộp thư đi (sau một sự cố, khi bộ chuyển tin lỗi)."""
    engine = app_engine()
    click.echo(f"Đã chuyển {outbox.relay_left_behind(engine.uow, engine.dispatcher)} việc nền.")


def init_app(app) -> None:
    for command in (init_db_command, deploy_command, migrate_command, demo_command, run_timers_command,
                    upgrade_state_command):
        app.cli.add_command(command)
    app.cli.add_command(users_cli)
    app.cli.add_command(units_cli)
    app.cli.add_command(decisions_cli)
    app.cli.add_command(reports_cli)
    app.cli.add_command(tokens_cli)
    app.cli.add_command(audit_cli)
    app.cli.add_command(jobs_cli)
