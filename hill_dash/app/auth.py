"""Researcher login: who is logged in (Flask's signed login cookie), and the guards every researcher page,
callback and Flask route goes through.

Accounts are created on the command line (`hill-dash researcher add NAME`); the store keeps only password hashes.
The cookie holds the researcher's id, and every check reads the account back from the store, so deleting an
account ends its logins. Participants never log in: their link is their only credential (see `views.flow`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import quote

import dash_bootstrap_components as dbc
import flask
from dash import dcc, html
from dash.exceptions import PreventUpdate

from hill_dash.app import ids
from hill_dash.app.context import get_store
from hill_dash.store import NotFound, Researcher, Store

SESSION_KEY = "researcher_id"
LOGIN_PATH = "/login"
HOME_PATH = "/researcher"
REFUSED = "Researchers only: log in to see this page."

F = TypeVar("F", bound=Callable[..., Any])


def current_researcher(store: Store | None = None) -> Researcher | None:
    """The researcher logged in for this request, or None (also outside a request, or for a deleted account)."""
    if not flask.has_request_context():
        return None
    researcher_id = flask.session.get(SESSION_KEY)
    if not isinstance(researcher_id, int) or isinstance(researcher_id, bool):
        return None
    try:
        return (store or get_store()).get_researcher(researcher_id)
    except NotFound:
        flask.session.pop(SESSION_KEY, None)
        return None


def log_in(name: str | None, password: str | None, store: Store | None = None) -> Researcher | None:
    """Check the name and password; on success the signed cookie records the researcher (a fresh cookie, so
    nothing from before the login carries over). None when they do not match."""
    if not name or not password:
        return None
    researcher = (store or get_store()).verify_researcher(name, password)
    if researcher is not None:
        flask.session.clear()
        flask.session[SESSION_KEY] = researcher.id
    return researcher


def log_out() -> None:
    """Forget the researcher of this browser."""
    flask.session.clear()


def require_researcher() -> Researcher:
    """For callbacks that return researcher data: the researcher, or PreventUpdate (nothing is sent)."""
    researcher = current_researcher()
    if researcher is None:
        raise PreventUpdate
    return researcher


def safe_next(path: str | None, default: str = HOME_PATH) -> str:
    """A path to return to after logging in: only a path on this site (no `//host` or `scheme:` redirects)."""
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path or ":" in path.split("?")[0]:
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
