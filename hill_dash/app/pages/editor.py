"""The free latent editor: try the method on a scenario without a study (`/editor`, then `/editor?run=ID`)."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html
from dash.exceptions import PreventUpdate

from hill_dash.app import ids
from hill_dash.app.context import get_settings, get_store
from hill_dash.app.views.editor import editor_view
from hill_dash.jobs import rounds

dash.register_page(__name__, path="/editor", name="Latent editor", order=1)


def _start_panel(scenario: str) -> html.Div:
    from hill_dash.core.scenarios.registry import list_scenarios

    offline = [s.name for s in list_scenarios() if not s.needs_files]
    options = sorted(set(offline) | {scenario})
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
    if run is None:
        return _start_panel(get_settings().scenario)
    try:
        return editor_view(int(run))
    except (ValueError, LookupError, rounds.RoundError) as exc:
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

    def report(p: dict) -> None:
        set_progress((p["epoch"], p["epoch"] + 1, f"pretraining: epoch {p['epoch']}, "
                                                   f"validation accuracy {p['val_acc']:.3f}"))

    run_id = rounds.start_run(get_store(), scenario, progress=report)
    return f"/editor?run={run_id}"
