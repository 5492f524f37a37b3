"""Deploying from an external modeller: the designers' upload page and the Camunda-7-compatible REST endpoint that
Camunda Modeler's Deploy button calls with a deploy token. Bad inputs tried: no credentials, a password (HTTP Basic,
right or wrong), an official who is not a designer (no deploy token to be had), a page upload without its CSRF token, a file that is not XML, a diagram whose condition imports os, a file
of another kind, no file at all; each stores nothing."""
import io
from pathlib import Path

import pytest

from engine.dossiers import starting, viewing
from tests.support import BPMN
from engine.organisation import tokens
from tests.support.builders import PASSWORD, PROCESS, basic, csrf_token, snapshot, to_commune
from tests.support.diagrams import drawn_in_camunda_modeler, line_of

MODELER_FILE = Path(__file__).parents[1] / "fixtures" / "camunda_modeler_family.bpmn"
CREATE = "/engine-rest/deployment/create"
UNSAFE = MODELER_FILE.read_bytes().replace(
    b'<bpmn:sequenceFlow id="Flow_0a3" sourceRef="Activity_verify" targetRef="Event_done" />',
    b'<bpmn:sequenceFlow id="Flow_0a3" sourceRef="Activity_verify" targetRef="Event_done">'
    b'<bpmn:conditionExpression>__import__("os").system("id")</bpmn:conditionExpression></bpmn:sequenceFlow>')


@pytest.fixture
def designer(officials, new_uow) -> dict:
    """The header Camunda Modeler sends with the designer's deploy token."""
    secret = tokens.create_token(officials.designer, "Camunda Modeler", ["deploy"], 30, new_uow()).secret
    return {"Authorization": f"Bearer {secret}"}


def modeler_deploy(client, credentials, files, name="hoc-tap"):
    """What Camunda Modeler sends: the deployment's name and source, and each file as a part named after it."""
    data = {"deployment-name": name, "deployment-source": "Camunda Modeler", "deploy-changed-only": "true",
            **{file_name: (io.BytesIO(content), file_name) for file_name, content in files.items()}}
    return client.post(CREATE, data=data, headers=credentials, content_type="multipart/form-data")


def test_camunda_modeler_deploys_and_a_dossier_runs_on_the_new_process(client, officials, new_uow, designer):
    assert client.get("/engine-rest/deployment?maxResults=0", headers=designer).json == []
    assert client.get("/engine-rest/version", headers=designer).json == {"version": "7.21.0"}
    answer = modeler_deploy(client, designer, {MODELER_FILE.name: MODELER_FILE.read_bytes()})
    assert answer.status_code == 200, answer.json
    (definition,) = answer.json["deployedProcessDefinitions"].values()
    assert (answer.json["name"], answer.json["source"]) == ("hoc-tap", "Camunda Modeler")
    assert (definition["key"], definition["version"], definition["created"]) == ("family_from_modeler", 1, True)
    again = modeler_deploy(client, designer, {MODELER_FILE.name: MODELER_FILE.read_bytes()})
    assert [d["created"] for d in again.json["deployedProcessDefinitions"].values()] == [False]

    started = starting.start_dossier("family_from_modeler", officials.branch, {"year": 2026}, new_uow())
    assert [t.step_name for t in started.open_tasks] == ["Lập danh sách"]
    listed = client.get("/engine-rest/deployment", headers=designer).json
    assert "family_from_modeler:1" in [d["id"] for d in listed]


def test_the_modeller_s_file_comes_back_as_drawn(client, login_as, officials, new_uow, designer):
    modeler_deploy(client, designer, {MODELER_FILE.name: MODELER_FILE.read_bytes()})
    started = starting.start_dossier("family_from_modeler", officials.branch, {"year": 2026}, new_uow())
    login_as(officials.branch)
    assert client.get(f"/dossiers/{started.id}/diagram.bpmn").data == MODELER_FILE.read_bytes()


def test_the_modeller_is_told_which_file_line_and_element_is_refused_and_nothing_is_stored(client, officials,
                                                                                           new_uow, designer):
    before = snapshot(new_uow)
    refused = modeler_deploy(client, designer, {"family.bpmn": UNSAFE})
    assert refused.status_code == 400 and refused.json["type"] == "ParseException"
    (problem,) = refused.json["details"]["family.bpmn"]["errors"]
    assert (problem["line"], problem["mainElementId"], problem["elementIds"]) == (
        line_of(UNSAFE, '__import__("os")'), "Flow_0a3", ["Flow_0a3"])
    assert "__import__" in problem["message"]
    broken = modeler_deploy(client, designer, {"family.bpmn": b"<bpmn:definitions"})
    assert broken.status_code == 400 and broken.json["message"].startswith("family.bpmn, dòng 1: XML không hợp lệ")
    (not_xml,) = broken.json["details"]["family.bpmn"]["errors"]
    assert (not_xml["line"], not_xml["mainElementId"], not_xml["elementIds"]) == (1, None, [])
    other = modeler_deploy(client, designer, {"family.form": b"{}"})
    assert other.status_code == 400 and "chỉ triển khai được tệp" in other.json["message"]
    empty = client.post(CREATE, data={"deployment-name": "x"}, headers=designer,
                        content_type="multipart/form-data")
    assert empty.status_code == 400 and "không có tệp nào" in empty.json["message"]
    assert snapshot(new_uow) == before


def test_only_a_deploy_token_deploys_through_the_rest_endpoint_and_no_password_is_taken(client, officials, new_uow):
    before = snapshot(new_uow)
    files = {MODELER_FILE.name: MODELER_FILE.read_bytes()}
    anonymous = client.post(CREATE, data={"deployment-name": "x"}, content_type="multipart/form-data")
    # Never a Basic challenge: a browser would ask for the designer's password, cache it, and send it for any page.
    assert anonymous.status_code == 401 and anonymous.headers["WWW-Authenticate"] == 'Bearer realm="learning-models"'
    # A password is checked only at sign-in (a slow hash on every request would be a brute-force and load lever).
    for password in (PASSWORD, "sai-mat-khau"):
        refused = modeler_deploy(client, basic(officials.designer, password), files)
        assert refused.status_code == 401 and "HTTP Basic không còn dùng" in refused.json["message"]
    act = tokens.create_token(officials.commune, "script", ["read", "act"], 30, new_uow()).secret
    commune = modeler_deploy(client, {"Authorization": f"Bearer {act}"}, files)
    assert commune.status_code == 401 and commune.json["type"] == "AuthenticationException"
    assert snapshot(new_uow) == before


def test_a_designer_uploads_in_the_page_and_sees_each_version_with_its_dossiers(client, login_as, officials,
                                                                               new_uow):
    login_as(officials.designer)
    page = client.get("/deployments").get_data(as_text=True)
    assert "candidate_list_recognition" in page and "learning_week_report" in page
    token = csrf_token(page)
    before = snapshot(new_uow)
    refused = client.post("/deployments", data={"csrf_token": token, "files": (io.BytesIO(UNSAFE), "family.bpmn")},
                          content_type="multipart/form-data", follow_redirects=True).get_data(as_text=True)
    assert (f"Không triển khai (không lưu gì): family.bpmn, dòng {line_of(UNSAFE, '__import__(')}, phần tử Flow_0a3: "
            "biểu thức bị từ chối") in refused
    no_token = client.post("/deployments", data={"files": (io.BytesIO(MODELER_FILE.read_bytes()), "f.bpmn")},
                           content_type="multipart/form-data")
    assert no_token.status_code == 400
    assert snapshot(new_uow) == before
    done = client.post("/deployments", data={"csrf_token": token,
                                             "files": (io.BytesIO(MODELER_FILE.read_bytes()), MODELER_FILE.name)},
                       content_type="multipart/form-data", follow_redirects=True).get_data(as_text=True)
    assert "Đã triển khai: family_from_modeler phiên bản 1" in done
    starting.start_dossier("family_from_modeler", officials.branch, {"year": 2026}, new_uow())
    page = client.get("/deployments").get_data(as_text=True)
    assert "Gia đình học tập (vẽ bằng Camunda Modeler)" in page and "Đang xử lý: 1" in page
    login_as(officials.commune)
    assert client.get("/deployments").status_code == 403


def test_the_designer_sees_which_dossiers_can_move_then_moves_them(client, login_as, runner, officials, new_uow,
                                                                   tmp_path):
    waiting, _ = to_commune(new_uow, officials)
    new_file = tmp_path / "candidate_list_recognition.bpmn"
    new_file.write_bytes(drawn_in_camunda_modeler())
    forms = [str(p) for p in (BPMN / "forms").glob("*.json")]
    assert runner.invoke(args=["deploy", str(new_file), *forms]).exit_code == 0
    dry = runner.invoke(args=["migrate", PROCESS])
    assert dry.exit_code == 0 and f"Chuyển được (chạy lại với --apply để chuyển) sang phiên bản 2: 1 hồ sơ [{waiting}]" \
        in dry.output
    login_as(officials.designer)
    page = client.get(f"/deployments/{PROCESS}/migration").get_data(as_text=True)
    assert f'href="/dossiers/{waiting}"' in page and "Chuyển 1 hồ sơ sang phiên bản 2" in page
    moved = client.post(f"/deployments/{PROCESS}/migration", data={"csrf_token": csrf_token(page)},
                        follow_redirects=True).get_data(as_text=True)
    assert "Đã chuyển 1 hồ sơ sang phiên bản 2." in moved and "Không có hồ sơ nào chuyển được." in moved
    assert viewing.get_dossier(waiting, officials.ministry, new_uow()).process_version == 2
    assert "Không có quy trình 'nope'" in runner.invoke(args=["migrate", "nope"]).output
    login_as(officials.province)
    token = csrf_token(client.get("/inbox").get_data(as_text=True))
    assert client.get(f"/deployments/{PROCESS}/migration").status_code == 403
    assert client.post(f"/deployments/{PROCESS}/migration", data={"csrf_token": token}).status_code == 403
