"""The slice of Camunda 7's REST API that Camunda Modeler's Deploy button uses, so a designer deploys from the
modeller (endpoint `<this server>/engine-rest`, "Bearer token" with a designer's or an administrator's deploy token). The
deployment is validated and versioned exactly as from the CLI or the designers' page; a refusal answers as Camunda's
ParseException does, naming file, line and element, so the modeller shows it."""
from flask import Blueprint, g, jsonify, request

from engine.clock import VIETNAM
from engine.designing import deployments
from engine.errors import DeploymentRefused, EngineError
from web import forms, programs
from web.engine_access import app_engine, uow
from web.errors import status_of

bp = Blueprint("engine_rest", __name__, url_prefix="/engine-rest")
# The Camunda 7 REST API level whose deployment calls this slice answers like.
API_VERSION = "7.21.0"


@bp.before_request
def identify():
    """Only a designer's or an administrator's deploy-scoped token (the modeller's "Bearer token")."""
    if not programs.sends_credentials():
        return programs.unauthorised(_refusal("Cần mã truy cập có quyền deploy (Bearer token trong Camunda Modeler)."))
    refused = programs.sign_in(("deploy",), _refusal)
    if refused is None:
        deployments.check_deployer(g.official)
    return refused


def _refusal(message: str) -> dict:
    return {"type": "AuthenticationException", "message": message}


@bp.errorhandler(EngineError)
def engine_error(error: EngineError):
    """Engine errors as Camunda's exceptions, so the modeller shows them."""
    if isinstance(error, DeploymentRefused):
        element = (error.element or "").split(" (")[0] or None
        problem = {"message": error.reason, "line": error.line or 0, "column": 0, "mainElementId": element,
                   "elementIds": [element] if element else []}
        return jsonify({"type": "ParseException", "message": str(error),
                        "details": {error.file: {"errors": [problem], "warnings": []}}}), 400
    kind = "AuthorizationException" if status_of(error) == 403 else "InvalidRequestException"
    return jsonify({"type": kind, "message": str(error)}), status_of(error)


@bp.get("/version")
def version():
    """The Camunda REST API level this slice answers like (the modeller checks it)."""
    return jsonify({"version": API_VERSION})


@bp.get("/deployment")
def list_deployments():
    """Each deployed process version as a deployment (the modeller asks for none, to check the connection)."""
    most = forms.ascii_int(request.args.get("maxResults"))
    versions = deployments.list_versions(g.official, uow())
    return jsonify([{"id": f"{v.process_id}:{v.version}", "name": v.process_id, "source": None,
                     "deploymentTime": _camunda_time(v.deployed_at), "tenantId": None, "links": []}
                    for v in versions[:most]])


@bp.post("/deployment/create")
def create_deployment():
    """Deploy the request's files as one deployment; the answer lists the process definitions, new or unchanged."""
    files = forms.deployment_files(request.files)
    results = deployments.deploy(files, g.official, uow())
    deployment_id = deployments.files_hash(files)[:32]
    return jsonify({
        "id": deployment_id, "name": request.form.get("deployment-name") or None,
        "source": request.form.get("deployment-source") or None,
        "deploymentTime": _camunda_time(app_engine().clock.now()), "tenantId": None,
        "links": [], "deployedCaseDefinitions": None, "deployedDecisionDefinitions": None,
        "deployedDecisionRequirementsDefinitions": None,
        "deployedProcessDefinitions": {f"{r.process_id}:{r.version}": {
            "id": f"{r.process_id}:{r.version}", "key": r.process_id, "name": r.name, "version": r.version,
            "deploymentId": deployment_id, "resource": None, "category": None, "description": None, "diagram": None,
            "suspended": False, "tenantId": None, "versionTag": None, "historyTimeToLive": None,
            "startableInTasklist": True, "created": r.created} for r in results}})


def _camunda_time(moment) -> str:
    """Camunda's date format: 2026-12-01T09:30:00.000+0700."""
    return moment.astimezone(VIETNAM).strftime("%Y-%m-%dT%H:%M:%S.000%z")
