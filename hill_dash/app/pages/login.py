"""Researcher login and logout (`/login?next=/researcher/...`). Accounts come from `hill-dash researcher add`."""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html
from dash.exceptions import PreventUpdate

from hill_dash.app import auth, ids

dash.register_page(__name__, path=auth.LOGIN_PATH, name="Log in", nav=False)

WRONG = "That name and password do not match an account. Accounts are made with `hill-dash researcher add NAME`."


def login_form(next_path: str) -> html.Div:
    """Name, password and a button; `next_path` is where a successful login goes."""
    return html.Div([
        html.H3("Researcher login"),
        dbc.Label("Name", html_for=ids.LOGIN_NAME),
        dbc.Input(id=ids.LOGIN_NAME, type="text", autocomplete="username", class_name="mb-2"),
        dbc.Label("Password", html_for=ids.LOGIN_PASSWORD),
        dbc.Input(id=ids.LOGIN_PASSWORD, type="password", autocomplete="current-password", class_name="mb-3"),
        dbc.Button("Log in", id=ids.LOGIN_SUBMIT, color="primary"),
        html.Div(id=ids.LOGIN_MESSAGE, className="text-danger mt-2"),
        dcc.Store(id=ids.LOGIN_NEXT, data=next_path),
        dcc.Location(id=ids.LOGIN_LOCATION, refresh=True),
    ], style={"maxWidth": "24rem"})


def layout(**query: str) -> html.Div:
    """The login form, or for a researcher already logged in, the way on."""
    next_path = auth.safe_next(query.get("next"))
    researcher = auth.current_researcher()
    if researcher is not None:
        return html.Div([auth.researcher_bar(researcher),
                         html.P(["You are logged in. ", html.A("Go on to your studies", href=next_path)])])
    return login_form(next_path)


@callback(Output(ids.LOGIN_LOCATION, "href"), Output(ids.LOGIN_MESSAGE, "children"),
          Input(ids.LOGIN_SUBMIT, "n_clicks"), Input(ids.LOGIN_PASSWORD, "n_submit"),
          State(ids.LOGIN_NAME, "value"), State(ids.LOGIN_PASSWORD, "value"), State(ids.LOGIN_NEXT, "data"),
          prevent_initial_call=True)
def submit_login(_clicks: Any, _enter: Any, name: str | None, password: str | None,
                 next_path: str | None) -> tuple[Any, str]:
    """Log in and go on to `next_path`; a wrong name or password stays here and says so."""
    try:
        researcher = auth.log_in(name, password)
    except auth.Throttled as exc:
        return dash.no_update, str(exc)
    if researcher is None:
        return dash.no_update, WRONG
    return auth.safe_next(next_path), ""


@callback(Output(ids.LOGIN_LOCATION, "href", allow_duplicate=True), Input(ids.LOGIN_LOGOUT, "n_clicks"),
          prevent_initial_call=True)
def submit_logout(clicks: int | None) -> str:
    """Log out and return to the login page."""
    if not clicks:
        raise PreventUpdate
    auth.log_out()
    return auth.LOGIN_PATH
