"""Researcher login: who is logged in, and the guards every researcher page, callback and Flask route goes through.

Accounts are created on the command line (`hill-dash researcher add NAME`); the store keeps only password hashes.
A login is a session kept in the store; the signed cookie holds only its random id, so logging out ends it on the
server, and deleting an account ends its logins. Failed logins are throttled per name and per address (see
`store.sessions`). Participants never log in: their link is their only credential (see `views.flow`).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import quote, unquote, urlsplit

import dash_bootstrap_components as dbc
import flask
from dash import dcc, html
from dash.exceptions import PreventUpdate

from hill_dash.app import cookies, ids
from hill_dash.app.context import get_store
from hill_dash.store import Researcher, Store

SESSION_KEY = "researcher_session"
LOGIN_PATH = "/login"
HOME_PATH = "/researcher"
REFUSED = "Researchers only: log in to see this page."

F = TypeVar("F", bound=Callable[..., Any])


class Throttled(Exception):
    """Too many failed logins for this name or address: the seconds to wait are in `wait`."""

    def __init__(self, wait: float) -> None:
        self.wait = max(1, math.ceil(wait))
        super().__init__(f"Too many failed logins: wait {self.wait} s before trying again.")


def current_researcher(store: Store | None = None) -> Researcher | None:
    """The researcher logged in for this request (or the request that started this background job), or None: no
    login, a login that was logged out, expired or revoked, or a deleted account."""
    token = cookies.session_values().get(SESSION_KEY)
    if not isinstance(token, str):
        return None
    return (store or get_store()).session_researcher(token)


def _throttle_keys(name: str) -> tuple[str, str]:
    address = flask.request.remote_addr if flask.has_request_context() else None
    return f"name:{name.strip().lower()[:150]}", f"address:{address or 'unknown'}"


def log_in(name: str | None, password: str | None, store: Store | None = None) -> Researcher | None:
    """Check the name and password; on success a new server-side login starts and the cookie holds only its id (a
    fresh cookie, so nothing from before the login carries over). None when they do not match; `Throttled` while
    this name or this address must wait after repeated failures."""
    if not name or not password or len(name) > 200 or len(password) > 1000:
        return None
    store = store or get_store()
    keys = _throttle_keys(name)
    wait = store.login_wait(keys)
    if wait > 0:
        raise Throttled(wait)
    researcher = store.verify_researcher(name, password)
    if researcher is None:
        store.login_failed(keys)
        return None
    store.login_succeeded(keys[:1])
    start_session(researcher, store)
    return researcher


def start_session(researcher: Researcher, store: Store | None = None) -> str:
    """Log `researcher` in for this browser (a new server-side session); returns the session id."""
    token = (store or get_store()).create_session(researcher.id)
    browser = flask.session.get(cookies.BROWSER_KEY)  # free-editor runs of this browser stay its own
    flask.session.clear()
    flask.session[SESSION_KEY] = token
    if browser is not None:
        flask.session[cookies.BROWSER_KEY] = browser
    return token


def log_out() -> None:
    """End this browser's login on the server (a copy of the cookie no longer works) and forget it here."""
    token = flask.session.get(SESSION_KEY)
    if isinstance(token, str):
        get_store().revoke_session(token)
    flask.session.clear()


def require_researcher() -> Researcher:
    """For callbacks that return researcher data: the researcher, or PreventUpdate (nothing is sent)."""
    researcher = current_researcher()
    if researcher is None:
        raise PreventUpdate
    return researcher


def safe_next(path: str | None, default: str = HOME_PATH) -> str:
    """A path to return to after logging in: only a plain path on this site. Browsers drop tabs and newlines from
    URLs and read a backslash as a slash, so a path with a control character or a backslash (also percent-encoded)
    could lead off the site: it is refused, as are `//host` and `scheme:` targets."""
    if not isinstance(path, str) or not path.startswith("/") or len(path) > 2000:
        return default
    for form in (path, unquote(path)):
        if any(ord(ch) < 0x20 or ord(ch) == 0x7F or ch == "\\" for ch in form):
            return default
        parsed = urlsplit(form)
        if form.startswith("//") or parsed.scheme or parsed.netloc or ":" in form.split("?")[0]:
            return default
    return path


def login_href(next_path: str | None = None) -> str:
    """The login page, returning to `next_path` afterwards."""
    target = safe_next(next_path, "")
    return f"{LOGIN_PATH}?next={quote(target, safe='/')}" if target else LOGIN_PATH


def refusal(next_path: str | None = None) -> dbc.Alert:
    """What a researcher page shows to a visitor who is not logged in: a link to the login page, nothing else."""
    return dbc.Alert([html.Span(REFUSED + " "), html.A("Log in", href=login_href(next_path), className="alert-link")],
                     color="warning", className="hill-refused")


def researcher_bar(researcher: Researcher) -> html.Div:
    """The line at the top of every researcher page: who is logged in, and the way out."""
    return html.Div([
        html.Span(["Logged in as ", html.Strong(researcher.name)], className="me-3"),
        dbc.Button("Log out", id=ids.LOGIN_LOGOUT, size="sm", color="secondary", outline=True),
        dcc.Location(id=ids.LOGIN_LOCATION, refresh=True),
    ], className="d-flex align-items-center justify-content-end mb-2 small")


def researcher_page(path_template: str) -> Callable[[F], F]:
    """Decorate a page's `layout(**kwargs)`: a visitor who is not logged in gets `refusal` (whose login link
    returns to `path_template` filled from the URL variables), a researcher gets the page (called with
    `researcher=` added) under the logout bar."""

    def wrap(layout: F) -> F:
        @functools.wraps(layout)
        def guarded(**kwargs: Any) -> Any:
            researcher = current_researcher()
            if researcher is None:
                path = path_template
                for name, value in kwargs.items():
                    path = path.replace(f"<{name}>", quote(str(value), safe=""))
                return refusal(path)
            return html.Div([researcher_bar(researcher), layout(researcher=researcher, **kwargs)])

        return guarded  # type: ignore[return-value]

    return wrap


def login_required(view: F) -> F:
    """Decorate a Flask view: 401 (with where to log in) unless a researcher is logged in."""

    @functools.wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if current_researcher() is None:
            return flask.Response(f"{REFUSED} Log in at {LOGIN_PATH}\n", status=401, mimetype="text/plain")
        return view(*args, **kwargs)

    return guarded  # type: ignore[return-value]
