"""The authorization matrix: for every rule of the app's url_map (but static files), every method it accepts, every
caller and, for a rule naming an object, whose object it is, the one status it must answer; and the check that walks
the url_map, sends each request and reports what differs, what is undeclared, what is declared for no rule, and any
answer (page, JSON, every cell of an .xlsx, the text of a PDF, the headers) showing a marker its caller may not read.

How to read a table: one per blueprint area, a column per caller, a row per request ("METHOD rule?query").
- Callers: `anonymous`; an official of each role signed in to the pages (their session also calls /api, sending the
  CSRF token in X-CSRFToken on writes); `token:read` and `token:act` (Chi hội tổ 1's tokens, so they act as the
  branch); `token:deploy` (the designer's); `basic:designer` and `basic:commune` (HTTP Basic with the right password: refused everywhere).
- Whose object: a rule with an object id in its path (or `{unit}` in its query) has a row per owner: `own` (the
  caller's unit: for a task, one in the caller's own inbox), `near` (Phường Cửa Nam 00073, another commune of the
  caller's province Hà Nội) and `far` (Huế 46, another province). A caller without tasks of its own (administrator,
  designer) is sent the commune's. A rule without is one row.
- HEAD answers as GET (Flask runs the GET view); OPTIONS is one row per table (Flask answers it before any view, but
  after the blueprint's authentication), unless a rule has its own "OPTIONS /rule" row.
- A status may name where it redirects: "302→/login?next" (the sign-in page, asked to come back), "302→/inbox".
- Writes change nothing: each sends what an authorised caller gets refused for (see BODIES), so a refusal by
  validation (4xx, or the page's redirect with a flashed message) stands apart from a refusal of the caller
  (401/403/404); the test compares every table before and after.
"""
import re
from dataclasses import dataclass
from io import BytesIO
from urllib.parse import parse_qs, urlsplit

from openpyxl import load_workbook
from pypdf import PdfReader

from engine.model import Role
from tests.support.builders import PASSWORD, PROCESS, basic, csrf_token
from tests.support.two_worlds import FAR, NEAR, OWN, World

LOGIN = "302→/login?next"  # not signed in: sent to the sign-in page, which brings the official back
NONE = "none"

# Who may read which other side's names: the province its own communes, the ministry and administrators everyone.
MAY_READ = {"province": (NEAR,), "ministry": (NEAR, FAR), "admin": (NEAR, FAR)}

SESSIONS = ("branch", "commune", "province", "ministry", "admin", "designer")
PAGE_CALLERS = ("anonymous", *SESSIONS)
API_CALLERS = (*PAGE_CALLERS, "token:read", "token:act", "token:deploy")
ENGINE_CALLERS = (*API_CALLERS, "basic:designer", "basic:commune")


def seen_by(*readers, others=404, anonymous=LOGIN, callers=PAGE_CALLERS, answer=200) -> tuple:
    """A row: `readers` get `answer` (200), the anonymous `anonymous`, every other caller `others`."""
    return tuple(anonymous if c == "anonymous" else answer if c in readers else others for c in callers)


# A dossier and what hangs off it (its files, its titles' certificates, its decision): its branch, commune and
# province, the ministry and administrators; to anyone else it does not exist (404, naming no unit).
UNITS_ABOVE = {OWN: ("branch", "commune", "province", "ministry", "admin"), NEAR: ("province", "ministry", "admin"),
               FAR: ("ministry", "admin")}
DOSSIER = {side: seen_by(*readers) for side, readers in UNITS_ABOVE.items()}
# A file of them asked for in the background: to the job's page (302), or as above.
ASKED = {side: seen_by(*readers, answer=302) for side, readers in UNITS_ABOVE.items()}
# The registry under a unit (?unit=): out of reach is refused (403: the unit code is the caller's own query).
REGISTRY = {side: seen_by(*readers, others=403) for side, readers in UNITS_ABOVE.items()}
REGISTRY_ASKED = {side: seen_by(*readers, others=403, answer=302) for side, readers in UNITS_ABOVE.items()}
# Withdrawing a dossier, sent without a reason: its proposing branch is refused for that alone (422); the units above,
# who see it, as not its proposer (403); to anyone else it does not exist (404).
WITHDRAW = {side: tuple(422 if (side, c) == (OWN, "branch") else s
                        for c, s in zip(PAGE_CALLERS, seen_by(*readers, answer=403)))
            for side, readers in UNITS_ABOVE.items()}
# A task: only the unit and role it waits for (403 to any other: a task id is a random UUID, nothing to probe).
NOT_YOURS = seen_by(others=403)
# A task's form sent signed out: not sent away to sign in (what it carries would be lost) but a page signing the
# official in again that carries it on (401), whoever's task it names.
TYPED_WORK = {OWN: (401, 422, 422, 422, 422, 403, 403), NEAR: seen_by(others=403, anonymous=401),
              FAR: seen_by(others=403, anonymous=401)}

PAGES = {
    # request                                     anonymous  branch  commune  province  ministry  admin  designer
    "OPTIONS":                                    (200,      200,    200,     200,      200,      200,   200),
    "GET /":                                      (LOGIN, *["302→/inbox"] * 6),
    "GET /inbox":                                 seen_by(*SESSIONS),
    "GET /inbox.xlsx":                            seen_by(*SESSIONS),
    # A filter saved without a name: the inbox again with the reason, nothing saved.
    "POST /inbox/filters":                        (LOGIN, *["302→/inbox"] * 6),
    # Own: a filter a colleague of the caller's unit and role shared (theirs to delete); elsewhere none to see.
    "POST /inbox/filters/<int:filter_id>/delete": {OWN: seen_by(others=403), NEAR: seen_by(), FAR: seen_by()},
    "GET /tasks/<task_id>": {
        OWN:                                      seen_by("branch", "commune", "province", "ministry", others=403),
        NEAR: NOT_YOURS, FAR: NOT_YOURS},
    "POST /tasks/<task_id>":                     TYPED_WORK,
    # Only the branch's step has a list to download; another step's says so (404 naming the step).
    "GET /tasks/<task_id>/list.xlsx": {
        OWN:                                      (LOGIN,    200,    404,     404,      404,      403,   403),
        NEAR: NOT_YOURS, FAR: NOT_YOURS},
    "POST /tasks/<task_id>/import": {
        OWN:                                      (LOGIN,    422,    422,     422,      422,      403,   403),
        NEAR: NOT_YOURS, FAR: NOT_YOURS},
    # A draft with nothing typed is refused (422); discarding a draft there is none of goes back to the task.
    "POST /tasks/<task_id>/draft":               TYPED_WORK,
    "POST /tasks/<task_id>/draft/delete": {
        OWN:                                      (LOGIN,    302,    302,     302,      302,      403,   403),
        NEAR: NOT_YOURS, FAR: NOT_YOURS},
    # The opening page lists what the caller's unit may open (nothing, for most); the branch's refused start: that
    # page again with the reason (422), nothing opened.
    "GET /dossiers/new":                          seen_by(*SESSIONS),
    "POST /dossiers":                             (LOGIN,    422,    403,     403,      403,      403,   403),
    # The dossiers a unit proposed or holds; a designer has no unit with dossiers.
    "GET /unit-dossiers":                         seen_by("branch", "commune", "province", "ministry", "admin",
                                                          others=403),
    "GET /dossiers/<int:dossier_id>":             DOSSIER,
    "POST /dossiers/<int:dossier_id>/withdraw":   WITHDRAW,
    "GET /dossiers/<int:dossier_id>/candidates.xlsx": DOSSIER,
    "GET /dossiers/<int:dossier_id>/diagram.bpmn": DOSSIER,
    "GET /attachments/<int:attachment_id>":       DOSSIER,
    "GET /decisions/<int:decision_id>":           DOSSIER,
    "GET /decisions/<int:decision_id>.xlsx":      DOSSIER,
    "GET /titles/<int:title_id>/certificate.pdf": DOSSIER,
    "POST /decisions/<int:decision_id>/certificates": ASKED,
    "POST /registry/export?year=2026&unit={unit}": REGISTRY_ASKED,
    "GET /registry?year=2026&unit={unit}":        REGISTRY,
    "GET /registry.xlsx?year=2026&unit={unit}":   REGISTRY,
    "GET /expiring?year=2027&unit={unit}":        REGISTRY,
    "GET /expiring?year=2027&unit={unit}&format=xlsx": REGISTRY,
    "GET /reports/<kind>/<int:year>":             seen_by("province", "ministry", "admin", others=403),
    "GET /reports/<kind>/<int:year>?format=xlsx": seen_by("province", "ministry", "admin", others=403),
    "GET /periods":                               seen_by("ministry", "admin", others=403),
    # An opening without kind or year: the page again with the reason (422).
    "POST /periods":                              (LOGIN,    403,    403,     403,      422,      422,   403),
    "GET /deployments":                           seen_by("admin", "designer", others=403),
    # A deployment of no files: the page again with the reason (422).
    "POST /deployments":                          (LOGIN,    403,    403,     403,      403,      422,   422),
    "GET /deployments/<process_id>/migration":    seen_by("admin", "designer", others=403),
    # Moving the dossiers of a process with one version: none to move.
    "POST /deployments/<process_id>/migration":   (LOGIN,    403,    403,     403,      403,  *["302→/deployments/"
                                                   f"{PROCESS}/migration"] * 2),
    # An administrator: every job; anyone else: their own.
    "GET /jobs":                                  seen_by(*SESSIONS),
    "GET /jobs?status=all":                       seen_by(*SESSIONS),
    # No such job: the administrator hears so; a job's id names nothing of a unit.
    "POST /jobs/<int:job_id>/retry":              (LOGIN,    403,    403,     403,      403,      404,   403),
    "GET /jobs/<int:job_id>":                     seen_by(),
    "GET /jobs/<int:job_id>/file":                seen_by(),
    # Public, for load balancers: it names no dossier, unit or official.
    "GET /health":                                (200,) * 7,
    "GET /branches":                              seen_by("commune", others=403),
    "GET /branches.xlsx":                         seen_by("commune", others=403),
    # A name the commune already has: its branches again with the reason (422). An administrator's own unit (the
    # ministry) is no commune.
    "POST /branches":                             (LOGIN,    403,    422,     403,      403,      404,   403),
    "GET /login":                                 (200,) * 7,
    # A wrong password: the page again (the sign-in throttle counts it; each table sends one per caller).
    "POST /login":                                (200,) * 7,
    # Signing out ends a session of the caller's made for this request, not the one the matrix reuses.
    "POST /logout":                               (LOGIN, *["302→/login"] * 6),
    "GET /password":                              seen_by(*SESSIONS),
    "POST /password":                             (LOGIN, *[422] * 6),
    "GET /tokens":                                seen_by(*SESSIONS),
    "POST /tokens":                               (LOGIN, *[422] * 6),
    # Revoking a token already revoked changes nothing; another's is missing, but to an administrator.
    "POST /tokens/<int:token_id>/revoke": {
        OWN:                                      (LOGIN, *["302→/tokens"] * 6),
        NEAR:                                     (LOGIN,    404,    404,     404,      404, "302→/tokens", 404),
        FAR:                                      (LOGIN,    404,    404,     404,      404, "302→/tokens", 404)},
}


def api_row(*readers, others=404) -> tuple:
    """A row of the API: as the pages' (401 for the anonymous), the tokens acting as Chi hội tổ 1 and the
    designer's deploy token refused (401)."""
    by_caller = dict(zip(PAGE_CALLERS, seen_by(*readers, others=others, anonymous=401)))
    by_caller.update({"token:read": by_caller["branch"], "token:act": by_caller["branch"], "token:deploy": 401})
    return tuple(by_caller[c] for c in API_CALLERS)


def api_write(*writers, others=403) -> tuple:
    """A write with an invalid body: 422 to `writers` (and the branch's act token with the branch), `others` to the
    rest; the read-only token is refused (401)."""
    row = dict(zip(API_CALLERS, api_row(*writers, others=others)))
    row["token:read"] = 401
    return tuple(422 if row[c] == 200 else row[c] for c in API_CALLERS)


API_DOSSIER = {side: api_row(*readers) for side, readers in UNITS_ABOVE.items()}
API_REGISTRY = {side: api_row(*readers, others=403) for side, readers in UNITS_ABOVE.items()}
API_NOT_YOURS = api_write(others=403)


def api_withdraw(side: str, readers: tuple) -> tuple:
    """WITHDRAW's row through the API: the branch's act token as the branch, the read-only one refused (401)."""
    row = dict(zip(API_CALLERS, api_row(*readers)))
    row.update({c: 403 for c in API_CALLERS if row[c] == 200})
    if side == OWN:
        row.update({"branch": 422, "token:act": 422})
    row["token:read"] = 401
    return tuple(row[c] for c in API_CALLERS)

API = {
    # request                          anonymous branch commune province ministry admin designer read act deploy
    "OPTIONS":                         (401,     200,   200,    200,     200,     200,  200,     200, 200, 401),
    # The API's description is public, whatever credentials come with the request.
    "GET /api/openapi.json":           (200,) * 10,
    "OPTIONS /api/openapi.json":       (200,) * 10,
    "GET /api/processes":              api_row(*SESSIONS),
    "GET /api/dossiers":               api_row("branch", "commune", "province", "ministry", "admin", others=403),
    "POST /api/dossiers":              api_write("branch"),
    "GET /api/dossiers/<int:dossier_id>": API_DOSSIER,
    "POST /api/dossiers/<int:dossier_id>/withdraw": {side: api_withdraw(side, readers)
                                                     for side, readers in UNITS_ABOVE.items()},
    "GET /api/tasks":                  api_row(*SESSIONS),
    "GET /api/filters":                api_row(*SESSIONS),
    "POST /api/filters":               api_write(*SESSIONS),
    "DELETE /api/filters/<int:filter_id>": {OWN: API_NOT_YOURS, NEAR: api_write(others=404),
                                            FAR: api_write(others=404)},
    "GET /api/tasks/<task_id>": {
        OWN:                           api_row("branch", "commune", "province", "ministry", others=403),
        NEAR: api_row(others=403), FAR: api_row(others=403)},
    "POST /api/tasks/<task_id>/complete": {
        OWN:                           api_write("branch", "commune", "province", "ministry"),
        NEAR: API_NOT_YOURS, FAR: API_NOT_YOURS},
    # A draft: the caller's own only (none saved: 404); an empty one is refused (422); deleting none is done (204).
    "GET /api/tasks/<task_id>/draft": {
        OWN:                           tuple(404 if s == 200 else s
                                             for s in api_row("branch", "commune", "province", "ministry", others=403)),
        NEAR: api_row(others=403), FAR: api_row(others=403)},
    "PUT /api/tasks/<task_id>/draft": {
        OWN:                           api_write("branch", "commune", "province", "ministry"),
        NEAR: API_NOT_YOURS, FAR: API_NOT_YOURS},
    "DELETE /api/tasks/<task_id>/draft": {
        OWN:                           tuple(204 if s == 422 else s
                                             for s in api_write("branch", "commune", "province", "ministry")),
        NEAR: API_NOT_YOURS, FAR: API_NOT_YOURS},
    "GET /api/reports/<kind>/<int:year>": api_row("province", "ministry", "admin", others=403),
    "GET /api/decisions/<int:decision_id>": API_DOSSIER,
    "GET /api/registry?year=2026&unit={unit}": API_REGISTRY,
    "GET /api/registry/counts?year=2026&unit={unit}": API_REGISTRY,
    "GET /api/registry/expiring?year=2027&unit={unit}": API_REGISTRY,
}

# Camunda Modeler's slice: a designer's (or administrator's) deploy token only; a session or a password (HTTP Basic,
# a slow hash on every request) is no credential here.
ENGINE_READ = (*[401] * 9, 200, 401, 401)
ENGINE = {
    # request                          anonymous, 6 sessions, read, act: 401; deploy, basic:designer, basic:commune
    "OPTIONS":                         ENGINE_READ,
    "GET /engine-rest/version":        ENGINE_READ,
    "GET /engine-rest/deployment":     ENGINE_READ,
    # A deployment of no files: Camunda's InvalidRequestException.
    "POST /engine-rest/deployment/create": (*[401] * 9, 400, 401, 401),
}

TABLES = {"pages": (PAGE_CALLERS, PAGES), "api": (API_CALLERS, API), "engine": (ENGINE_CALLERS, ENGINE)}

# What each write sends: nothing an authorised caller may store (see each row's note).
BODIES = {
    "POST /tasks/<task_id>": {},
    "POST /tasks/<task_id>/import": {},
    "POST /tasks/<task_id>/draft": {},
    "POST /tasks/<task_id>/draft/delete": {},
    "PUT /api/tasks/<task_id>/draft": {},
    "DELETE /api/tasks/<task_id>/draft": {},
    "POST /dossiers": {"process": PROCESS, "year": "năm nay"},
    "POST /periods": {},
    "POST /deployments": {},
    "POST /deployments/<process_id>/migration": {},
    "POST /branches": {"name": "Chi hội tổ 1"},
    "POST /jobs/<int:job_id>/retry": {},
    "POST /decisions/<int:decision_id>/certificates": {},
    "POST /registry/export?year=2026&unit={unit}": {},
    "POST /login": {"username": "", "password": ""},
    "POST /logout": {},
    "POST /password": {},
    "POST /tokens": {},
    "POST /tokens/<int:token_id>/revoke": {},
    "POST /api/dossiers": {"process": PROCESS, "data": {"year": "năm nay"}},
    "POST /dossiers/<int:dossier_id>/withdraw": {"reason": ""},
    "POST /api/dossiers/<int:dossier_id>/withdraw": {"reason": ""},
    "POST /api/tasks/<task_id>/complete": {"zz_not_a_field": 1},
    "POST /inbox/filters": {},
    "POST /inbox/filters/<int:filter_id>/delete": {},
    "POST /api/filters": {"name": ""},
    "DELETE /api/filters/<int:filter_id>": {},
    "POST /engine-rest/deployment/create": {"deployment-name": "không có tệp"},
}
ENDS_SESSION = {"POST /logout"}
# Path values that name no one's object.
PLAIN_VALUES = {"kind": "annual_models", "year": 2026, "process_id": PROCESS, "job_id": 999999}
OBJECTS = {"dossier_id": "dossier", "attachment_id": "attachment", "title_id": "title", "decision_id": "decision"}
UNIT_QUERY = {OWN: "", NEAR: "00073", FAR: "46"}


@dataclass(frozen=True)
class Caller:
    name: str
    role: Role | None  # whose objects are its own
    headers: dict
    csrf: str = ""
    username: str = ""  # to sign in afresh where a request ends the session


def sign_in_callers(app, world: World) -> dict[str, Caller]:
    """Every caller, each official signed in once (a password hash costs about 50 ms) and reused."""
    cast = world.officials
    officials = {"branch": cast.branch, "commune": cast.commune, "province": cast.province,
                 "ministry": cast.ministry, "admin": world.admin, "designer": cast.designer}
    callers = {name: _session(app, name, official.role, official.username) for name, official in officials.items()}
    callers["anonymous"] = _session(app, "anonymous", None, "")
    for name, secret in world.tokens.items():
        role = Role.DESIGNER if name == "token:deploy" else Role.BRANCH
        callers[name] = Caller(name, role, {"Authorization": f"Bearer {secret}"})
    for name, official in (("basic:designer", cast.designer), ("basic:commune", cast.commune)):
        callers[name] = Caller(name, official.role, basic(official))
    return callers


def _session(app, name: str, role: Role | None, username: str) -> Caller:
    client = app.test_client()
    token = csrf_token(client.get("/login").get_data(as_text=True))
    if username:
        signed = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
        assert signed.status_code == 302, f"{username} could not sign in"
    return Caller(name, role, {"Cookie": f"session={client.get_cookie('session').value}"}, token, username)


@dataclass(frozen=True)
class Probe:
    """One request of the matrix and the answer declared for it."""
    key: str  # the declaration's row, as the table writes it
    method: str
    url: str
    caller: str
    owner: str
    expected: int | str
    body: dict | None


def check(app, world: World, callers: dict[str, Caller], tables=TABLES) -> list[str]:
    """Every problem the matrix finds in `app`: undeclared and stale declarations, wrong statuses, leaked markers."""
    probes, problems = plan(app, world, callers, tables)
    client = app.test_client(use_cookies=False)
    for probe in probes:
        problems += _probe(app, client, probe, callers[probe.caller])
    return problems


def plan(app, world: World, callers: dict[str, Caller], tables=TABLES) -> tuple[list[Probe], list[str]]:
    """The requests the url_map asks for, each with its declared answer, and what the tables fail to declare (or
    declare for no rule)."""
    probes, problems, used = [], [], set()
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint == "static":
            continue
        area = _area(rule.rule)
        names, table = tables[area]
        for method in sorted(rule.methods - {"HEAD"}):
            keys = [k for k in table if _method_and_rule(k) == (method, rule.rule)]
            keys = keys or (["OPTIONS"] if method == "OPTIONS" and "OPTIONS" in table else [])
            if not keys:
                problems.append(f"undeclared: {method} {rule.rule} (endpoint {rule.endpoint}) in the {area} table")
            for key in keys:
                used.add((area, key))
                sent = ("GET", "HEAD") if method == "GET" else (method,)
                problems += _rows(probes, world, callers, names, table[key], key, rule, sent)
    problems += [f"declared for no rule of the app: {key} in the {area} table" for area, (_, table) in tables.items()
                 for key in table if (area, key) not in used]
    return probes, problems


def _area(rule: str) -> str:
    return "api" if rule.startswith("/api/") else "engine" if rule.startswith("/engine-rest/") else "pages"


def _method_and_rule(key: str) -> tuple[str, str]:
    method, _, target = key.partition(" ")
    return method, target.split("?")[0]


def _rows(probes, world, callers, names, declared, key, rule, methods) -> list[str]:
    owned = key != "OPTIONS" and _owned(rule.rule, key)
    if isinstance(declared, dict) != owned or (owned and set(declared) != {OWN, NEAR, FAR} and
                                               set(declared) != {OWN, FAR}):
        return [f"{key}: declare one row per owner (own, near, far) exactly when the rule names an object"]
    problems = [f"{key}: say in BODIES what the write sends"] if "POST" in methods and key not in BODIES else []
    for owner, row in (declared.items() if owned else [(NONE, declared)]):
        if len(row) != len(names):
            problems.append(f"{key} ({owner}): {len(row)} statuses for {len(names)} callers {names}")
            continue
        for name, expected in zip(names, row):
            for method in methods:
                url = _url(rule, key, world, owner, callers[name].role, method)
                probes.append(Probe(key, method, url, name, owner, expected,
                                    BODIES.get(key, {}) if method in ("POST", "PUT", "DELETE") else None))
    return problems


def _owned(rule: str, key: str) -> bool:
    return "{unit}" in key or any(name in OBJECTS or name in ("task_id", "token_id", "filter_id")
                                  for name in re.findall(r"<(?:\w+:)?(\w+)>", rule))


def _url(rule, key: str, world: World, owner: str, role: Role | None, method: str) -> str:
    """The rule's path with its values filled for the owner, and the declaration's query."""
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(_value(m.group(1), world, owner, role)), rule.rule)
    query = key.partition("?")[2] if key != "OPTIONS" else ""
    if method == "OPTIONS":
        query = ""
    return path + ("?" + query.replace("{unit}", UNIT_QUERY.get(owner, "")) if query else "")


def _value(name: str, world: World, owner: str, role: Role | None):
    owner = OWN if owner == NONE else owner
    side = world.sides[owner]
    if name in PLAIN_VALUES:
        return PLAIN_VALUES[name]
    if name in OBJECTS:
        return side.objects[OBJECTS[name]]
    if name == "task_id":
        return side.tasks.get(role) or side.tasks[Role.COMMUNE]
    if name == "token_id":
        return side.objects[f"token:{role or Role.BRANCH}" if owner == OWN else "token"]
    if name == "filter_id":
        return side.objects[f"filter:{role or Role.BRANCH}" if owner == OWN else "filter"]
    raise KeyError(f"no value for <{name}>: say in PLAIN_VALUES or OBJECTS what it names")


def _probe(app, client, probe: Probe, caller: Caller) -> list[str]:
    response = _send(app, client, probe, caller)
    problems = []
    if not _answers(response, probe.expected):
        where = response.headers.get("Location", "")
        problems.append(f"{probe.method} {probe.url} as {probe.caller} ({probe.owner}): {response.status_code}"
                        f"{'→' + where if where else ''}, declared {probe.expected} [{probe.key}]")
    text = readable(response)
    for marker in (NEAR, FAR):
        if marker not in MAY_READ.get(caller.name, ()) and marker in text:
            problems.append(f"leak: {probe.method} {probe.url} as {probe.caller} shows {_context(text, marker)}")
    return problems


def _send(app, client, probe: Probe, caller: Caller):
    if probe.key in ENDS_SESSION and caller.username:
        caller = _session(app, caller.name, caller.role, caller.username)
    headers = caller.headers
    if probe.body is None:
        return client.open(probe.url, method=probe.method, headers=headers)
    if probe.url.startswith("/api/"):
        return client.open(probe.url, method=probe.method, json=probe.body,
                           headers={**headers, "X-CSRFToken": caller.csrf})
    if probe.url.startswith("/engine-rest/"):
        return client.open(probe.url, method=probe.method, data=probe.body, headers=headers,
                           content_type="multipart/form-data")
    return client.open(probe.url, method=probe.method, data={**probe.body, "csrf_token": caller.csrf},
                       headers=headers)


def _answers(response, expected: int | str) -> bool:
    status, _, target = str(expected).partition("→")
    if response.status_code != int(status):
        return False
    if not target:
        return True
    wanted, got = urlsplit(target), urlsplit(response.headers.get("Location", ""))
    return got.path == wanted.path and set(parse_qs(got.query)) == set(filter(None, wanted.query.split("&")))


def readable(response) -> str:
    """Everything an answer shows: its headers, its body as text, and the text inside an .xlsx (every cell of every
    sheet) or a PDF."""
    data = response.get_data()
    parts = [f"{k}: {v}" for k, v in response.headers.items()]
    if data.startswith(b"PK\x03\x04"):
        book = load_workbook(BytesIO(data), read_only=True)
        parts += [str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
                  for cell in row if cell is not None]
    elif data.startswith(b"%PDF"):
        parts += [page.extract_text() for page in PdfReader(BytesIO(data)).pages]
    else:
        parts.append(data.decode("utf-8", "replace"))
    return "\n".join(parts)


def _context(text: str, marker: str) -> str:
    at = text.index(marker)
    return repr(text[max(0, at - 60):at + 60])
