"""Tokens for programs instead of passwords (audit findings: /api and /engine-rest took HTTP Basic, answered a Basic
challenge a browser caches, so a page on another origin completed an official's task with a plain form post; every
Basic request cost ~50 ms of scrypt). Bad inputs tried: no credentials, Basic on /api, a wrong secret, a token of
another's number, a read token writing, an expired, a revoked token, a disabled account's token, a deploy scope for a
commune, a token for another account by a non-administrator, a malformed Authorization header."""
import io
from pathlib import Path

from engine.organisation import accounts, tokens
from tests.support.builders import basic, csrf_token, to_commune

MODELER_FILE = Path(__file__).parents[1] / "fixtures" / "camunda_modeler_family.bpmn"


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


def test_a_script_works_with_a_token_and_basic_is_refused_without_a_challenge(client, officials, new_uow):
    _, verify = to_commune(new_uow, officials)
    read = tokens.create_token(officials.commune, "bao cao", ["read"], 30, new_uow()).secret
    act = tokens.create_token(officials.commune, "duyet", ["act"], 30, new_uow()).secret
    assert read.startswith("lmt_") and len(read) > 40
    assert [t["id"] for t in client.get("/api/tasks", headers=bearer(read)).json] == [verify.id]
    writing = client.post(f"/api/tasks/{verify.id}/complete", json={"decision": "approve"}, headers=bearer(read))
    assert writing.status_code == 401
    # What a page on another origin could make a browser send with cached credentials: refused, nothing cached.
    forged = client.post(f"/api/tasks/{verify.id}/complete", headers=basic(officials.commune),
                         data={"values": '{"decision": "approve"}'}, content_type="multipart/form-data")
    assert forged.status_code == 401 and "Basic" not in forged.headers["WWW-Authenticate"]
    done = client.post(f"/api/tasks/{verify.id}/complete", json={"decision": "approve"}, headers=bearer(act))
    assert done.status_code == 200, done.json
    for wrong in (read[:-2] + "xx", "lmt_999_" + read.split("_", 2)[2], "lmt_", "Basic", "x" * 5000):
        assert client.get("/api/tasks", headers=bearer(wrong)).status_code == 401, wrong
    assert client.get("/api/tasks", headers={"Authorization": "Bearer"}).status_code == 401


def test_a_token_ends_when_it_expires_is_revoked_or_its_account_is_disabled(client, runner, officials, new_uow, clock):
    short = tokens.create_token(officials.commune, "ngan", ["read"], 1, new_uow()).secret
    revoked = tokens.create_token(officials.commune, "thu hoi", ["read"], 30, new_uow())
    assert client.get("/api/tasks", headers=bearer(revoked.secret)).status_code == 200
    tokens.revoke_token(officials.commune, revoked.info.id, new_uow())
    assert client.get("/api/tasks", headers=bearer(revoked.secret)).status_code == 401
    clock.advance(days=1, seconds=1)
    assert client.get("/api/tasks", headers=bearer(short)).status_code == 401
    kept = tokens.create_token(officials.commune, "con han", ["read"], 30, new_uow()).secret
    assert client.get("/api/tasks", headers=bearer(kept)).status_code == 200
    listed = {t.name: t for t in tokens.list_tokens(officials.commune, new_uow())}
    assert listed["con han"].last_used_at == clock.now() and listed["thu hoi"].revoked
    assert runner.invoke(args=["users", "disable", officials.commune.username]).exit_code == 0
    assert client.get("/api/tasks", headers=bearer(kept)).status_code == 401


def test_who_may_have_which_token(officials, new_uow):
    import pytest

    from engine.errors import Forbidden, InvalidInput
    with pytest.raises(InvalidInput, match="deploy"):
        tokens.create_token(officials.commune, "x", ["deploy"], 30, new_uow())
    with pytest.raises(Forbidden):
        tokens.create_token(officials.commune, "x", ["read"], 30, new_uow(), officials.province.username)
    with pytest.raises(InvalidInput) as bad:
        tokens.create_token(officials.commune, " ", ["write"], 0, new_uow())
    assert set(bad.value.errors) == {"name", "scopes", "days"}
    admin = accounts.create_user("quantri-kiem-thu", "mat-khau-quan-tri", "admin", None, new_uow())
    service = tokens.create_token(admin, "dong bo", ["read"], 30, new_uow(), officials.province.username)
    assert service.info.username == officials.province.username
    assert [t.name for t in tokens.list_tokens(officials.province, new_uow())] == ["dong bo"]


def modeler_5_request(authorization: dict) -> dict:
    """The request Camunda Modeler 5's Deploy button sends (its deployment client): multipart fields
    deployment-name, deployment-source, deploy-changed-only and each file as a part named after it; Accept JSON."""
    return {"headers": {**authorization, "Accept": "application/json", "User-Agent": "Camunda Modeler/5.31.0"},
            "content_type": "multipart/form-data",
            "data": {"deployment-name": "hoc-tap", "deployment-source": "Camunda Modeler", "deploy-changed-only": "true",
                     MODELER_FILE.name: (io.BytesIO(MODELER_FILE.read_bytes()), MODELER_FILE.name)}}


def test_camunda_modeler_deploys_with_a_deploy_token_and_not_with_a_password(client, officials, new_uow):
    deploy = tokens.create_token(officials.designer, "Camunda Modeler", ["deploy"], 90, new_uow()).secret
    with_token = client.post("/engine-rest/deployment/create", **modeler_5_request(bearer(deploy)))
    assert with_token.status_code == 200, with_token.json
    assert with_token.json["deployedProcessDefinitions"]
    read_only = tokens.create_token(officials.designer, "doc", ["read"], 90, new_uow()).secret
    refused = client.post("/engine-rest/deployment/create", **modeler_5_request(bearer(read_only)))
    assert refused.status_code == 401 and refused.json["type"] == "AuthenticationException"
    with_basic = client.post("/engine-rest/deployment/create", **modeler_5_request(basic(officials.designer)))
    assert with_basic.status_code == 401 and "Basic" not in with_basic.headers["WWW-Authenticate"]


def test_the_tokens_page_shows_a_secret_once_and_revokes(client, login_as, officials, new_uow):
    login_as(officials.branch)
    page = client.get("/tokens").get_data(as_text=True)
    made = client.post("/tokens", data={"csrf_token": csrf_token(page), "name": "script xa", "scopes": ["read", "act"],
                                        "days": "30"})
    html = made.get_data(as_text=True)
    secret = html.split('<code class="secret">')[1].split("</code>")[0]
    assert made.status_code == 200 and secret.startswith("lmt_")
    assert client.get("/api/processes", headers=bearer(secret)).status_code == 200
    assert secret not in client.get("/tokens").get_data(as_text=True)
    (listed,) = tokens.list_tokens(officials.branch, new_uow())
    client.post(f"/tokens/{listed.id}/revoke", data={"csrf_token": csrf_token(html)})
    assert client.get("/api/processes", headers=bearer(secret)).status_code == 401
    other = client.post(f"/tokens/{listed.id + 1000}/revoke", data={"csrf_token": csrf_token(html)})
    assert other.status_code == 404
    refused = client.post("/tokens", data={"csrf_token": csrf_token(html), "name": "", "days": "0"})
    assert refused.status_code == 422
