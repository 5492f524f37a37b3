"""Use case: seed a demo — branches in two Hà Nội communes and a school (a learning unit), one account per role,
one dossier at the commune, and this year's annual reporting period."""
from engine.clock import today_in_vietnam
from engine.dossiers import starting, tasks
from engine.errors import Conflict, InvalidInput
from engine.model import SYSTEM, BranchKind, Official, ReportKind, Role
from engine.organisation import accounts, units
from engine.reporting import periods

DEMO_PASSWORD = "hoctap-2026"  # nosec B105: the demo's published password (README), for the seeded demo only
COMMUNE = "00070"          # Phường Hoàn Kiếm, Thành phố Hà Nội
OTHER_COMMUNE = "00073"    # Phường Cửa Nam, Thành phố Hà Nội
PROVINCE = "01"
PROCESS = "candidate_list_recognition"


def seed(new_uow) -> list[str]:
    """Create what is missing and return the lines to print (accounts with their password). A database that holds
    accounts of its own is refused: the demo's accounts, an administrator among them, share a published password."""
    _refuse_a_real_database(new_uow)
    branch = _branch(new_uow, COMMUNE, "Chi hội tổ dân phố số 1")
    other_branch = _branch(new_uow, OTHER_COMMUNE, "Chi hội tổ dân phố số 5")
    # A learning unit: its Ban khuyến học self-assesses (Đơn vị học tập) and registers its members as citizens.
    school = _branch(new_uow, COMMUNE, "Trường THCS Ngô Sĩ Liên", BranchKind.SCHOOL)
    unit_of = {"branch": branch, "other_branch": other_branch, "school": school, "commune": COMMUNE,
               "other_commune": OTHER_COMMUNE, "province": PROVINCE, None: None}
    people = [(username, role, unit_of[unit]) for username, role, unit in ACCOUNTS]
    lines = ["Tài khoản mẫu (mật khẩu chung: " + DEMO_PASSWORD + "):"]
    created_branch_user = False
    for username, role, unit in people:
        try:
            official = accounts.create_user(username, DEMO_PASSWORD, role, unit, new_uow())
            created_branch_user |= username == "chihoi1"
        except InvalidInput:
            official = Official(username, role, unit or "VN")  # already there from an earlier run
        lines.append(f"  {username:12} {role.value:9} {official.unit_code}")
    if created_branch_user:
        lines.append(_sample_dossier(new_uow, Official("chihoi1", Role.BRANCH, branch)))
    lines.append(_reporting_period(new_uow))
    return lines


# One account per role: (username, role, which of the demo's units).
ACCOUNTS = [("chihoi1", Role.BRANCH, "branch"), ("chihoi5", Role.BRANCH, "other_branch"),
            ("truong-nsl", Role.BRANCH, "school"), ("xa-hoankiem", Role.COMMUNE, "commune"),
            ("xa-cuanam", Role.COMMUNE, "other_commune"), ("tinh-hanoi", Role.PROVINCE, "province"),
            ("bo", Role.MINISTRY, None), ("thietke", Role.DESIGNER, None), ("quantri", Role.ADMIN, None)]


def _refuse_a_real_database(new_uow) -> None:
    with new_uow() as uow:
        others = uow.users.names_other_than([name for name, _, _ in ACCOUNTS], 4)
    if others:
        raise Conflict(f"Cơ sở dữ liệu này đã có tài khoản khác ({', '.join(others[:3])}"
                       f"{', ...' if len(others) > 3 else ''}): demo (mật khẩu công khai, có cả quản trị) chỉ chạy "
                       "trên cơ sở dữ liệu trống hoặc của chính nó.")


def _branch(new_uow, commune: str, name: str, kind: str = BranchKind.VILLAGE) -> str:
    with new_uow() as uow:
        existing = [b.code for b in uow.units.branches_of(commune) if b.name == name]
    return existing[0] if existing else units.add_branch(commune, name, new_uow(), kind=kind)


def _sample_dossier(new_uow, branch_official: Official) -> str:
    with new_uow() as uow:
        year = today_in_vietnam(uow.clock).year
    dossier = starting.start_dossier(PROCESS, branch_official, {"year": year, "title": "family", "name": "Danh sách mẫu"},
                                     new_uow())
    tasks.complete_task(dossier.open_tasks[0].id, branch_official, {"candidates": [
        {"name": "Nguyễn Văn An", "score": 86}, {"name": "Trần Thị Bình", "score": 92},
        {"name": "Lê Văn Cường", "score": 78}]}, new_uow())
    return f"Hồ sơ mẫu số {dossier.id} đang chờ xã {COMMUNE} thẩm định."


def _reporting_period(new_uow) -> str:
    """This year's annual report, so that provinces and the ministry have their reporting tasks (its deadlines and
    reminders fire by themselves: the web app sweeps the timers)."""
    with new_uow() as uow:
        year = today_in_vietnam(uow.clock).year
    try:
        opened = periods.open_reporting_period(ReportKind.ANNUAL_MODELS, year, SYSTEM, new_uow())
    except Conflict:
        return f"Kỳ báo cáo năm {year} đã mở từ trước."
    except InvalidInput as error:
        return f"Chưa mở kỳ báo cáo năm {year}: {error}"
    return (f"Đã mở kỳ báo cáo năm {year} cho {opened.dossiers} tỉnh: tinh-hanoi đặt hạn cho các xã, "
            "bo tổng hợp toàn quốc.")
