"""Sessions kept on the server (audit findings: a session cookie still worked after logout and after a password change,
no way to change a password or disable an account). Bad inputs tried: a cookie replayed after logout, after a
password change made in another browser, after the account was disabled; a wrong current password; a new password
that is too short, holds the username or is a common one."""
from engine.organisation.accounts import sign_in
from tests.support.builders import PASSWORD, csrf_token


def cookie_of(client) -> str:
    return client.get_cookie("session").value


def replayed(app, cookie: str):
    """A fresh browser presenting a copy of a cookie: what an attacker with a stolen cookie does."""
    other = app.test_client()
    other.set_cookie("session", cookie)
    return other.get("/inbox")


def test_a_cookie_kept_after_logout_signs_nobody_in(app, client, login_as, officials):
    login_as(officials.commune)
    kept = cookie_of(client)
    assert replayed(app, kept).status_code == 200
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/inbox").get_data(as_text=True))})
    assert replayed(app, kept).status_code == 302  # to the login page


def test_changing_the_password_ends_the_other_sessions_but_not_this_one(app, client, login_as, officials, new_uow):
    login_as(officials.commune)
    phone = cookie_of(client)
    desk = app.test_client()
    token = csrf_token(desk.get("/login").get_data(as_text=True))
    desk.post("/login", data={"username": officials.commune.username, "password": PASSWORD, "csrf_token": token})
    page = desk.get("/password").get_data(as_text=True)
    answer = desk.post("/password", data={"csrf_token": csrf_token(page), "current_password": PASSWORD,
                                          "new_password": "mot-mat-khau-moi-dai"})
    assert answer.status_code == 302
    assert desk.get("/inbox").status_code == 200
    assert replayed(app, phone).status_code == 302
    assert sign_in(officials.commune.username, "mot-mat-khau-moi-dai", new_uow()) is not None
    assert sign_in(officials.commune.username, PASSWORD, new_uow()) is None


def test_a_password_change_is_refused_with_what_is_wrong_and_changes_nothing(client, login_as, officials, new_uow):
    login_as(officials.commune)
    token = csrf_token(client.get("/password").get_data(as_text=True))
    for current, new, field, why in (
            ("sai-mat-khau-roi", "mot-mat-khau-moi-dai", "current", "Mật khẩu hiện tại không đúng."),
            (PASSWORD, "ngan", "new", "từ 10 đến 256 ký tự"),
            (PASSWORD, f"{officials.commune.username}-2026", "new", "không được chứa tên đăng nhập"),
            (PASSWORD, "password1234", "new", "hay bị dò nhất")):
        answer = client.post("/password", data={"csrf_token": token, "current_password": current,
                                                "new_password": new})
        assert answer.status_code == 422 and why in answer.get_data(as_text=True), (new, field)
    assert sign_in(officials.commune.username, PASSWORD, new_uow()) is not None


def test_a_disabled_account_signs_in_no_more_and_its_sessions_end(app, client, runner, login_as, officials, api):
    login_as(officials.commune)
    kept, program = cookie_of(client), api.headers(officials.commune)
    result = runner.invoke(args=["users", "disable", officials.commune.username])
    assert result.exit_code == 0, result.output
    assert replayed(app, kept).status_code == 302
    fresh = app.test_client()
    refused = fresh.post("/login", data={"username": officials.commune.username, "password": PASSWORD,
                                         "csrf_token": csrf_token(fresh.get("/login").get_data(as_text=True))})
    assert refused.status_code == 200 and "Sai tên đăng nhập hoặc mật khẩu." in refused.get_data(as_text=True)
    assert client.get("/api/tasks", headers=program).status_code == 401
    unknown = runner.invoke(args=["users", "disable", "khong-co-ai"])
    assert unknown.exit_code != 0 and "khong-co-ai" in unknown.output


def try_password(app, username: str, password: str):
    browser = app.test_client()
    token = csrf_token(browser.get("/login").get_data(as_text=True))
    return browser.post("/login", data={"username": username, "password": password, "csrf_token": token})


def test_guessing_a_password_locks_the_account_and_the_address(app, officials):
    """Audit finding: 200 wrong passwords in 26 s, then the right one worked. Bad inputs tried: ten wrong passwords
    for one account, then the right one; wrong passwords over many accounts from one address."""
    for _ in range(10):
        assert try_password(app, officials.commune.username, "doan-sai-mat-khau").status_code == 200
    locked = try_password(app, officials.commune.username, PASSWORD)
    assert locked.status_code == 429 and "Đăng nhập sai quá nhiều lần" in locked.get_data(as_text=True)
    assert try_password(app, officials.branch.username, PASSWORD).status_code == 302  # another account: unaffected
    for i in range(40):
        try_password(app, f"khong-co-{i}", "doan-sai-mat-khau")
    assert try_password(app, officials.province.username, PASSWORD).status_code == 429  # this address: locked
