"""Security headers and cookies: every page's Content-Security-Policy and its companions, files kept sandboxed, no
script or handler written into a template, and the Secure cookie and HSTS that a production deployment switches on."""
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from engine.recognition import registry
from engine.reporting import periods
from tests.support.builders import PASSWORD, approve_all_the_way, csrf_token, to_commune

TEMPLATES = Path(__file__).resolve().parents[2] / "web" / "templates"


def policy(response) -> dict:
    """The Content-Security-Policy header as {directive: sources}."""
    parts = (part.strip().partition(" ") for part in response.headers["Content-Security-Policy"].split(";"))
    return {name: value.strip() for name, _, value in parts}


def assert_page_headers(response):
    csp = policy(response)
    assert csp["default-src"] == "'self'" and csp["object-src"] == "'none'" and csp["base-uri"] == "'self'"
    assert csp["script-src"] == "'self'" and csp["style-src"] == "'self'"  # nothing inline, no eval
    assert csp["form-action"] == "'self'" and csp["frame-ancestors"] == "'none'"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_every_page_answers_with_the_security_headers(client, officials, login_as, new_uow):
    dossier_id, verify = to_commune(new_uow, officials)
    _, approve = approve_all_the_way(new_uow, officials, verify)
    approve()
    (title, *_) = registry.recognised_titles(officials.province, new_uow())
    periods.open_reporting_period("annual_models", 2026, officials.ministry, new_uow())
    assert_page_headers(client.get("/login"))
    assert_page_headers(client.get("/inbox"))  # the redirect to sign in
    pages = {officials.commune: ["/inbox", f"/dossiers/{dossier_id}", f"/tasks/{verify.id}", "/registry",
                                 "/expiring", "/branches", "/no-such-page"],
             officials.province: [f"/decisions/{title.decision_id}", "/reports/annual_models/2026"],
             officials.ministry: ["/periods", "/reports/annual_models/2026"],
             officials.designer: ["/deployments", "/deployments/candidate_list_recognition/migration"]}
    for who, paths in pages.items():
        login_as(who)
        for path in paths:
            response = client.get(path)
            assert response.status_code in (200, 404), (path, response.status_code)
            assert response.mimetype == "text/html", path
            assert_page_headers(response)
        client.post("/logout", data={"csrf_token": csrf_token(client.get("/inbox").get_data(as_text=True))})


def test_a_dossier_s_files_keep_their_sandbox(client, officials, login_as, new_uow):
    dossier_id, _ = to_commune(new_uow, officials)
    login_as(officials.commune)
    response = client.get(f"/dossiers/{dossier_id}/diagram.bpmn")
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"] == "sandbox; default-src 'none'; frame-ancestors 'none'"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


class _InlineCode(HTMLParser):
    """Collects what a template would run or style inline, which the pages' policy refuses."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0]
        names = dict(attrs)
        if tag == "script" and "src" not in names and names.get("type") != "application/json":
            self.found.append(f"line {line}: <script> without src")
        if tag == "style":
            self.found.append(f"line {line}: <style>")
        for name, value in attrs:
            # A bare word inside a Jinja tag parses as an attribute without a value: only name=value counts.
            if value is not None and (name.startswith("on") or name == "style"):
                self.found.append(f"line {line}: {name}= on <{tag}>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"line {line}: a javascript: URL on <{tag}>")


def test_no_template_carries_inline_script_handlers_or_styles():
    templates = sorted(TEMPLATES.glob("*.html"))
    assert templates
    for template in templates:
        parser = _InlineCode()
        parser.feed(template.read_text(encoding="utf-8"))
        assert parser.found == [], template.name


def config_from_environment(**variables) -> list[str]:
    """Config's switches as a fresh interpreter reads them from this environment."""
    environment = {k: v for k, v in os.environ.items() if k not in ("SECURE_COOKIES", "HTTPS")} | variables
    script = "from web.config import Config; print(Config.SESSION_COOKIE_SECURE, Config.HTTPS)"
    result = subprocess.run([sys.executable, "-c", script], env=environment, capture_output=True, text=True,
                             check=True)
    return result.stdout.split()


@pytest.fixture
def https_app(database_url, clock):
    """The app as the README's production settings serve it: HTTPS=1 and SECURE_COOKIES=1."""
    from web import create_app
    from web.config import TestConfig

    class Production(TestConfig):
        DATABASE_URL, CLOCK = database_url, clock
        HTTPS = SESSION_COOKIE_SECURE = True

    return create_app(Production)


def sign_in(client, official, base_url="http://localhost"):
    token = csrf_token(client.get("/login", base_url=base_url).get_data(as_text=True))
    # Over HTTPS, Flask-WTF also wants a same-origin Referer: the Referrer-Policy "same-origin" keeps sending it.
    return client.post("/login", base_url=base_url, headers={"Referer": f"{base_url}/login"},
                       data={"username": official.username, "password": PASSWORD, "csrf_token": token})


def test_the_session_cookie_is_secure_when_configured(client, officials, https_app):
    assert config_from_environment() == ["False", "False"]  # the embedded demo is plain http on localhost
    assert config_from_environment(SECURE_COOKIES="1", HTTPS="1") == ["True", "True"]
    assert config_from_environment(SECURE_COOKIES="0") == ["False", "False"]
    plain = sign_in(client, officials.commune)
    assert plain.status_code == 302 and "Secure" not in plain.headers["Set-Cookie"]
    secure = sign_in(https_app.test_client(), officials.commune, "https://localhost")
    assert secure.status_code == 302 and "; Secure" in secure.headers["Set-Cookie"]
    assert "HttpOnly" in secure.headers["Set-Cookie"] and "SameSite=Lax" in secure.headers["Set-Cookie"]


def test_https_is_forced_with_hsts_only_when_configured(client, https_app):
    assert client.get("/login").status_code == 200
    assert "Strict-Transport-Security" not in client.get("/login", base_url="https://localhost").headers
    production = https_app.test_client()
    redirected = production.get("/login?next=/inbox")
    assert redirected.status_code == 302 and redirected.headers["Location"] == "https://localhost/login?next=/inbox"
    for response in (production.get("/login", base_url="https://localhost"),
                     production.get("/login", headers={"X-Forwarded-Proto": "https"})):  # behind a TLS proxy
        assert response.status_code == 200
        assert response.headers["Strict-Transport-Security"] == "max-age=31556926; includeSubDomains"
        assert_page_headers(response)
