"""Steps through the web pages, as an official signs in and submits a task's form."""
from pytest_bdd import parsers, then, when

from features.steps.common import SIGNER, decision
from tests.support.builders import csrf_token


def submit_on_task_page(client, login_as, official, task_id, values):
    login_as(official)
    token = csrf_token(client.get(f"/tasks/{task_id}").get_data(as_text=True))
    response = client.post(f"/tasks/{task_id}", data={**values, "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)


@when(parsers.parse('cán bộ xã đăng nhập và thẩm định "{word}" trên trang nhiệm vụ'))
def commune_on_page(story, client, login_as, word):
    submit_on_task_page(client, login_as, story.officials.commune, story.open_task().id, decision(word))


@when(parsers.parse('cán bộ tỉnh đăng nhập và phê duyệt "{word}" trên trang nhiệm vụ'))
def province_on_page(story, client, login_as, word):
    submit_on_task_page(client, login_as, story.officials.province, story.open_task().id, {
        **decision(word), "decision_number": "130/QĐ-UBND", "decision_date": "2026-11-20", **SIGNER})


@then(parsers.parse('trang sổ danh hiệu của tỉnh có "{name}"'))
def registry_page_has(client, name):
    page = client.get("/registry?year=2026").get_data(as_text=True)
    assert name in page and "130/QĐ-UBND" in page
