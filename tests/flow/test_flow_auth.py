"""Researcher login and the refusals: pages, callbacks and Flask routes give nothing to a visitor not logged in."""

from __future__ import annotations

import flask
import pytest
from dash import html
from dash.exceptions import PreventUpdate
from layout_tree import text, walk

from hill_dash.app import auth
from hill_dash.app.context import get_store


@pytest.fixture
def server(tmp_path, monkeypatch):
    """A bare Flask app and the store `get_store()` opens for it."""
    monkeypatch.setenv("HILL_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("HILL_DATABASE_URL", raising=False)
    app = flask.Flask(__name__)
    app.secret_key = "test"
    get_store().create_researcher("ada", "correct horse")
    return app


def test_nobody_is_logged_in_outside_a_request_or_without_the_cookie(server):
    assert auth.current_researcher() is None
    with server.test_request_context():
        assert auth.current_researcher() is None
        with pytest.raises(PreventUpdate):
            auth.require_researcher()


def test_a_wrong_password_logs_nobody_in_and_a_right_one_records_only_the_id(server):
    with server.test_request_context():
        assert auth.log_in("ada", "wrong horse!") is None and dict(flask.session) == {}
        assert auth.log_in("ada", None) is None
        flask.session["stale"] = "from before"
        researcher = auth.log_in(" ada ", "correct horse")
        assert researcher is not None and list(flask.session) == [auth.SESSION_KEY]
        assert isinstance(flask.session[auth.SESSION_KEY], str) and len(flask.session[auth.SESSION_KEY]) >= 32
        assert auth.current_researcher() == researcher == auth.require_researcher()
        auth.log_out()
        assert auth.current_researcher() is None


@pytest.mark.parametrize("forged", [999, "1", True, None])
def test_a_cookie_naming_no_researcher_counts_as_logged_out(server, forged):
    with server.test_request_context():
        flask.session[auth.SESSION_KEY] = forged
        assert auth.current_researcher() is None


@pytest.mark.parametrize("path, expected", [
    ("/researcher/study/3", "/researcher/study/3"), (None, "/researcher"), ("https://evil.example/", "/researcher"),
    ("//evil.example/x", "/researcher"), ("/\\evil", "/researcher"), ("javascript:alert(1)", "/researcher"),
])
def test_after_login_only_paths_on_this_site_are_followed(path, expected):
    assert auth.safe_next(path) == expected


def test_a_refused_page_shows_only_the_login_link_back_to_where_it_was(server):
    calls = []

    @auth.researcher_page("/researcher/study/<study_id>")
    def page(researcher, study_id=None):
        calls.append((researcher.name, study_id))
        return html.P(f"study {study_id} data")

    with server.test_request_context():
        refused = page(study_id="7")
        links = [c.href for c in walk(refused) if isinstance(c, html.A)]
        assert links == ["/login?next=/researcher/study/7"] and "data" not in text(refused) and calls == []
        auth.log_in("ada", "correct horse")
        shown = page(study_id="7")
        assert "study 7 data" in text(shown) and "ada" in text(shown) and calls == [("ada", "7")]


def test_a_protected_flask_route_answers_401_until_a_researcher_logs_in(server):
    server.add_url_rule("/secret.csv", "secret", auth.login_required(lambda: "a,b\n1,2\n"))
    client = server.test_client()
    refused = client.get("/secret.csv")
    assert refused.status_code == 401 and "a,b" not in refused.get_data(as_text=True)
    with client.session_transaction() as cookie:
        cookie[auth.SESSION_KEY] = get_store().create_session(get_store().verify_researcher("ada", "correct horse").id)
    assert client.get("/secret.csv").get_data(as_text=True) == "a,b\n1,2\n"
