"""The researcher's analysis (`/researcher/analysis?study=<id>`): pick a study and a scenario; Figure 5 for it,
Figures 6 and 7, the strategy timeline and the report are built in a background callback, and the tidy tables
and figures can be downloaded.

The background callback runs in another process, outside any request, so it cannot read the login cookie: a
logged-in request signs what to build (with the app's secret key) and the background callback builds only that.
"""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, ctx, dcc, html
from dash.exceptions import PreventUpdate
from itsdangerous import BadSignature, URLSafeTimedSerializer

from hill_dash.app import auth, ids
from hill_dash.app.context import get_settings, get_store
from hill_dash.app.views.analysis import analyse_scenario, analysis_content, figures_html, tidy_zip
from hill_dash.store import Researcher
from hill_dash.studydata import StudyDataError, find_study, load_study
from hill_dash.studydata.outputs import file_name

PATH = "/researcher/analysis"
SIGNED_FOR_S = 3600  # a build request older than this is refused: reload the page

dash.register_page(__name__, path=PATH, name="Analysis", order=7)


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(get_settings().secret_key, salt="hill-analysis-build")


def sign_request(study_id: int, scenario: str) -> str:
    """What to build, signed so that only a logged-in researcher's request can start a build."""
    return _signer().dumps({"study": study_id, "scenario": scenario})


def read_request(token: Any) -> dict[str, Any] | None:
    """The signed build request, or None when it is missing, forged or too old."""
    if not isinstance(token, str):
        return None
    try:
        return _signer().loads(token, max_age=SIGNED_FOR_S)
    except BadSignature:
        return None


def _study_id(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _own_study_id(value: Any) -> int | None:
    """The chosen study's id if the logged-in researcher may open it (PreventUpdate without a login), else None."""
    researcher = auth.require_researcher()
    study_id = _study_id(value)
    if study_id is None or not get_store().may_open_study(researcher.id, study_id):
        return None
    return study_id


@auth.researcher_page(PATH)
def layout(researcher: Researcher, study: str | None = None, **_query: str) -> html.Div:
    """Pick a study and scenario; its figures, report and downloads (refused to visitors not logged in)."""
    studies = get_store().studies_of(researcher.id)
    chosen = _study_id(study) if study is not None else (studies[-1].id if studies else None)
    button = {"size": "sm", "color": "secondary", "outline": True, "class_name": "me-2"}
    return html.Div([
        html.H3("Analysis"),
        dbc.Row([
            dbc.Col(dcc.Dropdown(id=ids.ANALYSIS_STUDY, options=[{"label": s.name, "value": s.id} for s in studies],
                                 value=chosen, placeholder="Study", clearable=False), width=5),
            dbc.Col(dcc.Dropdown(id=ids.ANALYSIS_SCENARIO, placeholder="Scenario", clearable=False), width=3),
            dbc.Col(dbc.Spinner(size="sm", color="primary", spinner_class_name="d-none", id=ids.ANALYSIS_SPINNER),
                    width=1),
        ], class_name="mb-2"),
        html.Div([
            dbc.Button("Tidy data (CSV zip)", id=ids.ANALYSIS_CSV, **button),
            dbc.Button("Tidy data (Parquet zip)", id=ids.ANALYSIS_PARQUET, **button),
            dbc.Button("Figures (offline HTML)", id=ids.ANALYSIS_HTML, disabled=True, **button),
            html.Small("PNG/PDF figures: run `hill-dash figures` on the command line.", className="text-muted"),
        ], className="mb-2"),
        html.Div(id=ids.ANALYSIS_DOWNLOAD_MESSAGE),
        dcc.Download(id=ids.ANALYSIS_DOWNLOAD_TIDY),
        dcc.Download(id=ids.ANALYSIS_DOWNLOAD_HTML),
        dcc.Store(id=ids.ANALYSIS_REQUEST),
        dcc.Store(id=ids.ANALYSIS_FIGURES),
        html.Div(id=ids.ANALYSIS_CONTENT),
    ])


@callback(Output(ids.ANALYSIS_SCENARIO, "options"), Output(ids.ANALYSIS_SCENARIO, "value"),
          Input(ids.ANALYSIS_STUDY, "value"), State(ids.ANALYSIS_SCENARIO, "value"))
def scenarios(study: Any, current: str | None) -> tuple[list[dict[str, str]], str | None]:
    """The chosen study's scenarios, keeping the current one when the study has it (logged-in researchers only)."""
    study_id = _own_study_id(study)
    if study_id is None:
        return [], None
    try:
        names = [s.scenario for s in find_study(get_store(), study_id).scenarios]
    except StudyDataError:
        return [], None
    return [{"label": n, "value": n} for n in names], current if current in names else (names[0] if names else None)


@callback(Output(ids.ANALYSIS_REQUEST, "data"), Output(ids.ANALYSIS_CONTENT, "children"),
          Input(ids.ANALYSIS_SCENARIO, "value"), State(ids.ANALYSIS_STUDY, "value"))
def request_build(scenario: str | None, study: Any) -> tuple[Any, Any]:
    """Sign the build of the chosen study and scenario for the background callback (logged-in researchers only)."""
    study_id = _own_study_id(study)
    if study_id is None or not scenario:
        return None, html.P("Choose a study and a scenario.", className="text-muted")
    return sign_request(study_id, scenario), html.P(f"Building the figures and report for {scenario}…",
                                                    className="text-muted")


@callback(Output(ids.ANALYSIS_CONTENT, "children", allow_duplicate=True), Output(ids.ANALYSIS_FIGURES, "data"),
          Input(ids.ANALYSIS_REQUEST, "data"), background=True, prevent_initial_call=True,
          running=[(Output(ids.ANALYSIS_SPINNER, "spinner_class_name"), "", "d-none"),
                   (Output(ids.ANALYSIS_STUDY, "disabled"), True, False),
                   (Output(ids.ANALYSIS_SCENARIO, "disabled"), True, False),
                   (Output(ids.ANALYSIS_HTML, "disabled"), True, False)])
def build(token: Any) -> tuple[Any, Any]:
    """Build the signed request's figures and report (in a background process: no request, no login cookie)."""
    wanted = read_request(token)
    if wanted is None:
        raise PreventUpdate
    try:
        tables = load_study(get_store(), wanted["study"])
    except StudyDataError as exc:
        return dbc.Alert(str(exc), color="warning"), None
    result = analyse_scenario(tables, wanted["scenario"])
    return analysis_content(result), {"study": tables.study.name, "scenario": result.scenario,
                                      "figures": {n: f.to_plotly_json() for n, f in result.figures.items()}}


@callback(Output(ids.ANALYSIS_DOWNLOAD_TIDY, "data"), Output(ids.ANALYSIS_DOWNLOAD_MESSAGE, "children"),
          Input(ids.ANALYSIS_CSV, "n_clicks"), Input(ids.ANALYSIS_PARQUET, "n_clicks"),
          State(ids.ANALYSIS_STUDY, "value"), prevent_initial_call=True)
def download_tidy(_csv: int | None, _parquet: int | None, study: Any) -> tuple[Any, Any]:
    """The chosen study's tidy tables as a zip of CSV or Parquet files (logged-in researchers only)."""
    fmt = {ids.ANALYSIS_CSV: "csv", ids.ANALYSIS_PARQUET: "parquet"}.get(ctx.triggered_id)
    study_id = _own_study_id(study)
    if fmt is None:
        raise PreventUpdate
    if study_id is None:
        return dash.no_update, dbc.Alert("Choose a study first.", color="warning", dismissable=True)
    try:
        tables = load_study(get_store(), study_id)
    except StudyDataError as exc:
        return dash.no_update, dbc.Alert(str(exc), color="warning", dismissable=True)
    name = f"{file_name(tables.study.name)}-tidy-{fmt}.zip"
    return dcc.send_bytes(tidy_zip(tables, fmt), name), None


@callback(Output(ids.ANALYSIS_DOWNLOAD_HTML, "data"),
          Output(ids.ANALYSIS_DOWNLOAD_MESSAGE, "children", allow_duplicate=True),
          Input(ids.ANALYSIS_HTML, "n_clicks"), State(ids.ANALYSIS_FIGURES, "data"), prevent_initial_call=True)
def download_figures(clicks: int | None, shown: dict[str, Any] | None) -> tuple[Any, Any]:
    """The figures on the page as one offline HTML file (logged-in researchers only)."""
    auth.require_researcher()
    if not clicks:
        raise PreventUpdate
    if not shown or not shown.get("figures"):
        return dash.no_update, dbc.Alert("No figures to download: choose a study whose figures could be made.",
                                         color="warning", dismissable=True)
    title = f"{shown['study']}: {shown['scenario']}"
    page = figures_html(shown["figures"], title)
    return dcc.send_string(page, f"{file_name(title)}-figures.html"), None
