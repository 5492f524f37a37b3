"""Two worlds for the authorization matrix, built once through the use cases on an SQLite file the app serves.

"Ours" is Hà Nội (01): Phường Hoàn Kiếm (00070) with Chi hội tổ 1, the cast's officials. Beside it, "near": Phường
Cửa Nam (00073) with Chi hội tổ 5, another commune of the same province (what a province sees and a commune must
not). "Far", or theirs, is Huế (46): a commune and a branch of its own with their officials. Each side has dossiers
at every step (an open task for its branch, commune and province), a citizen's evidence file, recognised titles with
certificates and recognition decisions, an annual reporting period with its commune's accepted figures, and inbox
filters its officials' colleagues shared. Every
name near and far carries its side's marker (ZZNEAR-…, ZZLEAK-…), so an answer showing one shows a leak."""
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from fpdf import FPDF
from sqlalchemy import select

from engine.dossiers import saved_filters, starting, tasks, viewing
from engine.dossiers.attachments import Upload
from engine.jobs.dispatchers import inline_units_of_work
from engine.model import InboxFilter, Official, Role
from engine.organisation import accounts, tokens, units
from engine.recognition import registry
from engine.reporting import periods
from engine.storage.database import make_engine, make_session_factory
from engine.storage.tables import Base
from tests.support import databases
from tests.support.builders import FIGURES, PASSWORD, PROCESS, only_task
from tests.support.fixtures import Officials

NEAR, FAR = "ZZNEAR", "ZZLEAK"
OWN = "own"
CITIZEN = "learning_citizen_recognition"
YEAR = 2026
ID_NUMBERS = {OWN: "001090000001", NEAR: "001090000002", FAR: "046090000003"}
# Rows that change when someone merely reads or signs in: sessions, and a token's last use.
# Asking for a file adds a job and, once run, its file: a read made in the background.
VOLATILE = {"sign_ins": None, "api_tokens": ("last_used_at",), "jobs": None, "job_files": None}


@dataclass
class Side:
    """One side's officials (by role) and the ids of its objects (by kind; tasks by the role that does them)."""
    officials: dict[Role, Official]
    objects: dict[str, object] = field(default_factory=dict)
    tasks: dict[Role, str] = field(default_factory=dict)


@dataclass
class World:
    database_url: str
    clock: object
    new_uow: object
    officials: Officials
    admin: Official
    sides: dict[str, Side]
    tokens: dict[str, str]  # caller name: the secret of its token


def build(template: Path, directory: Path, password_hash: str, clock) -> World:
    """Copy the template database and fill both worlds, every step through a use case."""
    url = databases.sqlite_copy(template, directory)
    new_uow = inline_units_of_work(make_session_factory(make_engine(url)), clock)
    with pytest.MonkeyPatch.context() as patch:
        # One hash of the shared password for every account (a scrypt hash costs about 50 ms; signing in checks it).
        patch.setattr(accounts, "hash_password", lambda password: password_hash)
        cast = Officials(new_uow)
        admin = accounts.create_user("quantri", PASSWORD, Role.ADMIN, None, new_uow())
        far = _far_officials(new_uow, cast)
    sides = {OWN: Side({Role.BRANCH: cast.branch, Role.COMMUNE: cast.commune, Role.PROVINCE: cast.province,
                        Role.MINISTRY: cast.ministry}),
             NEAR: Side({Role.BRANCH: cast.other_branch, Role.COMMUNE: cast.other_commune,
                         Role.PROVINCE: cast.province}),
             FAR: far}
    for name, side in sides.items():
        _lists(new_uow, name, side)
        _citizen(new_uow, name, side)
    _reports(new_uow, cast, sides)
    for name, side in sides.items():
        _registry_ids(new_uow, cast.ministry, side)
    world = World(url, clock, new_uow, cast, admin, sides, {})
    _tokens(world)
    _saved_filters(world)
    return world


def _far_officials(new_uow, cast: Officials) -> Side:
    """Huế's commune (renamed with the marker: no use case renames a unit) and a branch in it, with officials."""
    with new_uow() as uow:
        commune = uow.units.communes_of("46")[0]
        commune.name = f"{FAR}-commune"
        code = commune.code
        uow.commit()
    branch = units.add_branch(code, f"{FAR}-branch", new_uow())
    return Side({Role.BRANCH: accounts.create_user("zz-chihoi-hue", PASSWORD, Role.BRANCH, branch, new_uow()),
                 Role.COMMUNE: accounts.create_user("zz-xa-hue", PASSWORD, Role.COMMUNE, code, new_uow()),
                 Role.PROVINCE: cast.other_province})


def _marked(side: str, kind: str, n: int = 1) -> str:
    return f"{side}-{kind}-{n}" if side != OWN else f"Ours {kind} {n}"


def _lists(new_uow, name: str, side: Side) -> None:
    """Candidate lists standing at the branch, the commune and (but near) the province, and one recognised by the
    province: an open task for each of them, a recognition decision, titles."""
    branch, commune, province = (side.officials[r] for r in (Role.BRANCH, Role.COMMUNE, Role.PROVINCE))
    steps = (Role.BRANCH, Role.COMMUNE) if name == NEAR else (Role.BRANCH, Role.COMMUNE, Role.PROVINCE, None)
    for n, stop in enumerate(steps, 1):
        started = starting.start_dossier(PROCESS, branch, {"year": YEAR, "title": "family",
                                                            "name": _marked(name, "dossier", n)},
                                         new_uow())
        side.objects.setdefault("dossier", started.id)
        task = only_task(started)
        for who, values in ((branch, {"candidates": [{"name": _marked(name, "candidate", 10 * n + i), "score": 90}
                                                     for i in (1, 2)]}),
                            (commune, {"decision": "approve", "comment": _marked(name, "verification", n)}),
                            (province, _approval(name, n))):
            if who.role == stop:
                side.tasks[stop] = task.id
                break
            done = tasks.complete_task(task.id, who, values, new_uow())
            task = done.next_tasks[0] if done.next_tasks else None


def _approval(name: str, n: int) -> dict:
    return {"decision": "approve", "decision_number": f"{_marked(name, 'decision', n)}/QĐ", "decision_date":
            "2026-11-18", "signer": _marked(name, "signer", n), "signer_office": _marked(name, "office", n)}


def _citizen(new_uow, name: str, side: Side) -> None:
    """A citizen registered with an evidence file, verified by the branch and recognised by the commune."""
    branch, commune = side.officials[Role.BRANCH], side.officials[Role.COMMUNE]
    started = starting.start_dossier(CITIZEN, branch, {"year": YEAR, "name": _marked(name, "citizen-dossier")},
                                     new_uow())
    values = {"full_name": _marked(name, "citizen"), "id_number": ID_NUMBERS[name], "birth_year": 1990,
              **{f"indicator_{i}": 8 for i in range(1, 11)}}
    evidence = Upload(f"{_marked(name, 'evidence')}.pdf", _pdf(_marked(name, "evidence")))
    done = tasks.complete_task(only_task(started).id, branch, values, new_uow(), {"evidence": [evidence]})
    done = tasks.complete_task(only_task(done).id, branch, {"decision": "approve"}, new_uow())
    tasks.complete_task(only_task(done).id, commune, _approval(name, 9), new_uow())
    (side.objects["attachment"],) = (a.id for a in viewing.get_dossier(started.id, branch, new_uow()).attachments)


def _pdf(text: str) -> bytes:
    """A one-page PDF saying `text`: real enough for a reader to find the marker in it."""
    document = FPDF()
    document.add_page()
    document.set_font("helvetica", size=12)
    document.cell(text=text)
    return bytes(document.output())


def _reports(new_uow, cast: Officials, sides: dict[str, Side]) -> None:
    """The ministry opens 2026's annual period; Hà Nội and Huế set their communes' deadline, and Hoàn Kiếm's and
    Huế's commune send figures their province accepts."""
    periods.open_reporting_period("annual_models", YEAR, cast.ministry, new_uow())
    (national,) = tasks.inbox(cast.ministry, new_uow()).tasks
    sides[OWN].tasks[Role.MINISTRY] = national.id
    for name in (OWN, FAR):
        province, commune = sides[name].officials[Role.PROVINCE], sides[name].officials[Role.COMMUNE]
        (deadline,) = [t for t in tasks.inbox(province, new_uow()).tasks if t.title == "annual_models"]
        tasks.complete_task(deadline.id, province, {"commune_deadline": "2026-12-05", "reminder_days": 3}, new_uow())
        (report,) = [t for t in tasks.inbox(commune, new_uow()).tasks if t.title == "annual_models"]
        figures = {**FIGURES, "correction_reason": _marked(name, "reason"), "comment": _marked(name, "report")}
        review = only_task(tasks.complete_task(report.id, commune, figures, new_uow()))
        tasks.complete_task(review.id, province, {"decision": "approve"}, new_uow())


def _registry_ids(new_uow, ministry: Official, side: Side) -> None:
    """A title of the side's branch (its certificate) and the recognition decision naming it."""
    (title, *_) = registry.recognised_titles(ministry, new_uow(), YEAR, side.officials[Role.BRANCH].unit_code)
    side.objects["title"], side.objects["decision"] = title.id, title.decision_id


def _tokens(world: World) -> None:
    """The branch's tokens to read and to act, the designer's to deploy; for every official, and for the near and
    far communes, a token already revoked: revoking it again (an administrator may revoke anyone's) changes nothing."""
    cast, new_uow = world.officials, world.new_uow
    for caller, who, scope in (("token:read", cast.branch, "read"), ("token:act", cast.branch, "act"),
                               ("token:deploy", cast.designer, "deploy")):
        world.tokens[caller] = tokens.create_token(who, "ma trận", [scope], 30, new_uow()).secret
    for official in (cast.branch, cast.commune, cast.province, cast.ministry, world.admin, cast.designer):
        made = tokens.create_token(official, "đã thu hồi", ["read"], 30, new_uow())
        tokens.revoke_token(official, made.info.id, new_uow())
        world.sides[OWN].objects[f"token:{official.role}"] = made.info.id
    for name in (NEAR, FAR):
        commune = world.sides[name].officials[Role.COMMUNE]
        made = tokens.create_token(commune, f"{name}-token", ["read"], 30, new_uow())
        tokens.revoke_token(commune, made.info.id, new_uow())
        world.sides[name].objects["token"] = made.info.id


def _saved_filters(world: World) -> None:
    """For every official, an inbox filter a colleague of the same unit and role shared (theirs to delete, not the
    official's); for the near and far communes, one shared there."""
    cast = world.officials
    for official in (cast.branch, cast.commune, cast.province, cast.ministry, world.admin, cast.designer):
        colleague = Official(f"dong-nghiep-{official.role}", official.role, official.unit_code)
        saved = saved_filters.save_filter(colleague, _marked(OWN, "filter"), InboxFilter(overdue=True), True,
                                          world.new_uow())
        world.sides[OWN].objects[f"filter:{official.role}"] = saved.id
    for name in (NEAR, FAR):
        commune = world.sides[name].officials[Role.COMMUNE]
        colleague = Official(f"{name}-colleague", Role.COMMUNE, commune.unit_code)
        saved = saved_filters.save_filter(colleague, _marked(name, "filter"), InboxFilter(text=_marked(name, "q")),
                                          True, world.new_uow())
        world.sides[name].objects["filter"] = saved.id


def snapshot(new_uow) -> dict[str, list]:
    """Every row of every table but what reading changes (sessions, a token's last use): what a refused or invalid
    write must leave as it was."""
    rows = {}
    with new_uow() as uow:
        for table in Base.metadata.sorted_tables:
            if table.name in VOLATILE and VOLATILE[table.name] is None:
                continue
            columns = [c for c in table.columns if c.name not in (VOLATILE.get(table.name) or ())]
            rows[table.name] = [tuple(r) for r in uow.session.execute(select(*columns).order_by(*table.primary_key))]
    return rows
