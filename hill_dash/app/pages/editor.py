"""The free latent editor: try the method on a scenario without a study (`/editor`, then `/editor?run=ID`)."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html
from dash.exceptions import PreventUpdate

from hill_dash.app import access, ids
from hill_dash.app.context import get_settings, get_store
from hill_dash.app.components.task_panel import pretraining_progress
from hill_dash.app.views.editor import editor_view
from hill_dash.jobs import rounds

dash.register_page(__name__, path="/editor", name="Latent editor", order=1)


def startable_scenarios(scenario: str) -> list[str]:
    """The scenarios a visitor may start a free run of: the offline ones and the deployment's own."""
    from hill_dash.core.scenarios.registry import list_scenarios

    return sorted({s.name for s in list_scenarios() if not s.needs_files} | {scenario})


def _start_panel(scenario: str) -> html.Div:
    options = startable_scenarios(scenario)
    return html.Div([
        html.H3("Latent editor"),
        html.P("Start a run: the model is first trained to its first interaction point (once per scenario; "
               "later runs reuse that checkpoint), then you reshape its latent space and train on."),
        dbc.Row([
            dbc.Col(dbc.Select(id=ids.FREE_SCENARIO, options=[{"label": n, "value": n} for n in options],
                               value=scenario), width=3),
            dbc.Col(dbc.Button("Start a run", id=ids.FREE_START, color="primary"), width="auto"),
        ], class_name="mb-3"),
        dbc.Progress(id=ids.FREE_PROGRESS, value=0, max=1, label="", style={"height": "1.4rem"}),
        dcc.Location(id=ids.FREE_LOCATION, refresh=True),
    ])


def layout(run: str | None = None, **_query: str) -> html.Div:
    actor = access.current_actor(create_browser=True)  # the browser's key owns the runs it starts
    if run is None:
        return _start_panel(get_settings().scenario)
    try:
        return editor_view(access.run_for(actor, run, "view").id)
    except (ValueError, LookupError, rounds.RoundError, access.Refused) as exc:
        return dbc.Alert([f"Run {run!r} cannot be shown: {exc}. ", html.A("Start a new run", href="/editor")],
                         color="warning")


@callback(Output(ids.FREE_LOCATION, "href"), Input(ids.FREE_START, "n_clicks"), State(ids.FREE_SCENARIO, "value"),
          background=True, prevent_initial_call=True,
          running=[(Output(ids.FREE_START, "disabled"), True, False)],
          progress=[Output(ids.FREE_PROGRESS, "value"), Output(ids.FREE_PROGRESS, "max"),
                    Output(ids.FREE_PROGRESS, "label")])
def start_run(set_progress, clicks: int | None, scenario: str) -> str:
    """Create a run (pretraining the scenario first if no run has yet) and open it."""
    if not clicks or not scenario:
        raise PreventUpdate
    owner = access.current_actor().browser_key
    if owner is None or scenario not in startable_scenarios(get_settings().scenario):
        raise access.Refused(f"a run of {str(scenario)[:80]!r} cannot be started from this browser")

    def report(p: dict) -> None:
        set_progress(pretraining_progress(p))

    run_id = rounds.start_run(get_store(), scenario, progress=report, owner_key=owner)
    return f"/editor?run={run_id}"
