"""Login and session hygiene: guessing is slowed per account and per address, unknown names cost the same work,
a logout ends the session on the server, `next` never leaves the site, form posts need the session's CSRF token,
and every response carries the security headers."""

from __future__ import annotations

import contextlib
import sys
from datetime import timedelta

import flask
import pytest
from security_kit import caller, log_in_client

from hill_dash.app import auth, security
from hill_dash.store import sessions
from hill_dash.store.tables import utcnow


def login_page():
    return sys.modules["hill_dash.app.pages.login"]


@pytest.fixture
def mallory(world):
    """An account whose throttle state each test starts afresh."""
    store = world.store
    try:
        account = store.create_researcher("mallory", "right password")
    except Exception:
        account = next(r for r in store.list_researchers() if r.name == "mallory")
    store.login_succeeded(["name:mallory", "address:127.0.0.1", "address:10.0.0.9", "address:10.0.0.7"])
    yield account
    store.login_succeeded(["name:mallory", "address:127.0.0.1", "address:10.0.0.9", "address:10.0.0.7"])


def test_many_wrong_passwords_then_the_right_one_is_still_refused(app, world, mallory):
    refused = 0
    with caller(app, environ_base={"REMOTE_ADDR": "10.0.0.9"}):
        for _ in range(60):
            try:
                assert auth.log_in("mallory", "guess") is None
            except auth.Throttled:
                refused += 1
        with pytest.raises(auth.Throttled) as waited:
            auth.log_in("mallory", "right password")
        assert flask.session.get(auth.SESSION_KEY) is None
        href, message = login_page().submit_login(1, None, "mallory", "right password", "/researcher")
        assert "Too many failed logins" in message and flask.session.get(auth.SESSION_KEY) is None
    assert refused >= 60 - sessions.FREE_FAILURES - 1 and waited.value.wait >= 1


def test_the_account_is_throttled_from_every_address(app, world, mallory):
    for address in ("10.0.0.7", "10.0.0.9"):
        with caller(app, environ_base={"REMOTE_ADDR": address}):
            for _ in range(3):
                with contextlib.suppress(auth.Throttled):
                    auth.log_in("mallory", "guess")
    with caller(app, environ_base={"REMOTE_ADDR": "192.0.2.1"}):
        with pytest.raises(auth.Throttled):
            auth.log_in("mallory", "right password")


def test_one_address_guessing_many_names_is_throttled(app, world, mallory):
    with caller(app, environ_base={"REMOTE_ADDR": "10.0.0.7"}):
        for n in range(sessions.FREE_FAILURES + 1):
            assert auth.log_in(f"nobody-{n}", "guess") is None
        with pytest.raises(auth.Throttled):
            auth.log_in("mallory", "right password")


def test_the_wait_doubles_and_is_capped():
    waits = [sessions.backoff(n).total_seconds() for n in range(1, 30)]
    assert waits[:sessions.FREE_FAILURES] == [0] * sessions.FREE_FAILURES
    assert waits[sessions.FREE_FAILURES:sessions.FREE_FAILURES + 3] == [1, 2, 4]
    assert max(waits) == sessions.MAX_WAIT.total_seconds()


def test_after_the_wait_the_right_password_works(app, world, mallory):
    store = world.store
    keys = ["name:mallory", "address:127.0.0.1"]
    long_ago = utcnow() - timedelta(hours=1)
    for _ in range(sessions.FREE_FAILURES + 1):
        store.login_failed(keys, now=long_ago)
    assert store.login_wait(keys) == 0
    with caller(app):
        assert auth.log_in("mallory", "right password") == mallory


def test_an_unknown_name_costs_a_password_check_too(world, monkeypatch):
    from hill_dash.store import accounts

    checked = []
    real = accounts.check_password_hash
    monkeypatch.setattr(accounts, "check_password_hash", lambda h, p: checked.append(h) or real(h, p))
    assert world.store.verify_researcher("no-such-name", "guess") is None
    assert world.store.verify_researcher("ada", "guess") is None
    assert len(checked) == 2 and all(h.startswith("scrypt:") for h in checked)


def test_a_cookie_copied_before_logout_no_longer_works(app, world):
    client = app.server.test_client()
    log_in_client(client, world.ada)
    with client.session_transaction() as session:
        copied = session[auth.SESSION_KEY]
    assert client.get(f"/researcher/study/{world.mine.study.id}/answers.csv").status_code == 200
    with caller(app):
        flask.session[auth.SESSION_KEY] = copied
        auth.log_out()
    thief = app.server.test_client()
    with thief.session_transaction() as session:
        session[auth.SESSION_KEY] = copied
    assert thief.get(f"/researcher/study/{world.mine.study.id}/answers.csv").status_code == 401


def test_a_researcher_id_in_the_cookie_is_no_login(app, world):
    client = app.server.test_client()
    with client.session_transaction() as session:
        session[auth.SESSION_KEY] = world.ada.id
        session["researcher_id"] = world.ada.id
    assert client.get(f"/researcher/study/{world.mine.study.id}/answers.csv").status_code == 401


@pytest.mark.parametrize("target", [
    "/\t/localhost/pwned", "/%09/localhost/pwned", "/%5Cevil.example", "/\\evil.example", "//evil.example",
    "/%2F/evil.example", "https://evil.example/", "javascript:alert(1)", "/\n/evil.example", "/\r\n/evil",
    " /researcher", "researcher", "/x" + "y" * 3000, "/%0d%0aSet-Cookie:x=1"])
def test_next_never_leads_off_the_site(target):
    assert auth.safe_next(target) == auth.HOME_PATH


@pytest.mark.parametrize("target", ["/researcher/study/3", "/researcher/analysis?study=2", "/researcher"])
def test_next_keeps_paths_on_this_site(target):
    assert auth.safe_next(target) == target


def test_a_cross_origin_post_is_refused(app, world):
    client = app.server.test_client()
    log_in_client(client, world.ada)
    for origin in ("http://localhost:9999", "http://evil.example", "null"):
        refused = client.post("/researcher/recordings/upload", data={"participant_id": "1"},
                              headers={"Origin": origin}, content_type="multipart/form-data")
        assert refused.status_code == 403 and "cross-site" in refused.text
        callback = client.post("/_dash-update-component", json={}, headers={"Origin": origin})
        assert callback.status_code == 403


def test_a_form_post_riding_on_the_login_needs_the_csrf_token(app, world):
    client = app.server.test_client()
    log_in_client(client, world.ada)
    before = len(world.store.list_recordings())
    form = {"participant_id": str(world.participant.id)}
    refused = client.post("/researcher/recordings/upload", data=form, content_type="multipart/form-data")
    assert refused.status_code == 403 and "CSRF" in refused.text
    with client.session_transaction() as session:
        session[security.CSRF_KEY] = "the session's token"
    wrong = client.post("/researcher/recordings/upload", data={**form, "csrf_token": "guessed"},
                        content_type="multipart/form-data")
    assert wrong.status_code == 403
    right = client.post("/researcher/recordings/upload", data={**form, "csrf_token": "the session's token"},
                        content_type="multipart/form-data")
    assert right.status_code == 400 and "choose an audio file" in right.text  # past the check, to the route
    assert len(world.store.list_recordings()) == before


@pytest.mark.parametrize("path", ["/", "/login", "/editor", "/_dash-layout", "/researcher/study/1/answers.csv"])
def test_every_response_carries_the_security_headers(app, path):
    answer = app.server.test_client().get(path)
    csp = answer.headers["Content-Security-Policy"]
    scripts = csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["X-Frame-Options"] == "DENY" and answer.headers["Referrer-Policy"] == "no-referrer"
