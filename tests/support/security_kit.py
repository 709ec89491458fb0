"""Requests to the app as a chosen caller, for the adversarial tests: a researcher's login, a browser's own id."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import flask

from hill_dash.app import auth, cookies
from hill_dash.app.context import get_store

BROWSER = "browser-that-started-the-free-run"
OTHER_BROWSER = "a-stranger's-browser"


@contextmanager
def caller(app, researcher=None, browser: str | None = None, **options) -> Iterator[None]:
    """A request to the app (a Dash callback by default) from a browser logged in as `researcher` and/or holding
    the browser id `browser`; nothing of either when not given."""
    with app.server.test_request_context("/_dash-update-component", method="POST", **options):
        if researcher is not None:
            auth.start_session(researcher)
        if browser is not None:
            flask.session[cookies.BROWSER_KEY] = browser
        yield


def log_in_client(client, researcher) -> str:
    """Give a test client the login cookie of `researcher` (a fresh server-side session); returns its id."""
    token = get_store().create_session(researcher.id)
    with client.session_transaction() as session:
        session[auth.SESSION_KEY] = token
    return token
