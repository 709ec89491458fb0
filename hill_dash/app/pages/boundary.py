"""The boundary lab (`/boundary`, then `/boundary?run=ID`): draw direction arrows on a 2D classifier's points.

A lab belongs to the browser that started it, like a free-editor run (see `hill_dash.app.access`): only that browser
opens, changes and lists it."""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html, no_update
from dash.exceptions import PreventUpdate

from hill_dash.app import access, ids
from hill_dash.app.context import get_store
from hill_dash.app.views.boundary import DATASET_LABELS, lab_for, lab_layout
from hill_dash.boundary import DATASETS, DatasetSpec, LabConfig
from hill_dash.boundary.datasets import DEFAULT_NOISE
from hill_dash.jobs import boundary_rounds

dash.register_page(__name__, path="/boundary", name="Boundary lab", order=2)

MAX_SAMPLES = 5000  # the contour and every epoch stay quick to draw and train in a page
RECENT_LABS = 10


def _field(label: str, component: Any) -> dbc.Col:
    return dbc.Col([dbc.Label(label, class_name="mb-0 small"), component], width=2)


def _recent_labs(actor: access.Actor) -> html.Div:
    """The newest labs this browser started (nobody else's: another browser's lab ids are not shown)."""
    if actor.browser_key is None:
        return html.Div()
    labs = [run for run in get_store().list_runs(owner_key=actor.browser_key)
            if boundary_rounds.is_lab(run.scenario)][-RECENT_LABS:]
    if not labs:
        return html.Div()
    items = [dbc.ListGroupItem(f"Lab {run.id}: {run.scenario.removeprefix(boundary_rounds.SCENARIO_PREFIX)}, "
                               f"epoch {run.current_epoch}", href=f"/boundary?run={run.id}") for run in reversed(labs)]
    return html.Div([html.H6("Recent labs", className="mt-4"), dbc.ListGroup(items)])


def start_panel(actor: access.Actor) -> html.Div:
    """The form that starts a lab: data set, size, noise (blank = the data set's default) and seed; below it the
    caller's own recent labs."""
    options = [{"label": DATASET_LABELS[name], "value": name} for name in DATASETS]
    defaults = ", ".join(f"{DATASET_LABELS[n]} {DEFAULT_NOISE[n]:g}" for n in DATASETS)
    return html.Div([
        html.H3("Boundary lab"),
        html.P("A small classifier learns two classes in 2D while you watch its decision boundary; draw arrows on "
               "points to say which way the boundary should move, and train on with them."),
        dbc.Row([
            _field("Data set", dbc.Select(id=ids.BOUNDARY_DATASET, options=options, value="moons")),
            _field("Points", dbc.Input(id=ids.BOUNDARY_SAMPLES, type="number", min=8, max=MAX_SAMPLES, step=1,
                                       value=300)),
            _field("Noise", dbc.Input(id=ids.BOUNDARY_NOISE, type="number", min=0, step=0.01,
                                      placeholder="default")),
            _field("Seed", dbc.Input(id=ids.BOUNDARY_SEED, type="number", min=0, step=1, value=0)),
            dbc.Col(dbc.Button("Start", id=ids.BOUNDARY_START, color="primary"), width="auto",
                    class_name="d-flex align-items-end"),
        ], class_name="mb-2"),
        html.Div(f"Default noise: {defaults}.", className="small text-muted"),
        html.Div(id=ids.BOUNDARY_START_MESSAGE, className="text-danger small mt-2"),
        dcc.Location(id=ids.BOUNDARY_LOCATION, refresh=True),
        _recent_labs(actor),
    ])


def layout(run: str | None = None, **_query: str) -> html.Div:
    actor = access.current_actor(create_browser=True)  # the browser's key owns the labs it starts
    if run is None:
        return start_panel(actor)
    try:
        return lab_layout(boundary_rounds.lab_view(get_store(), lab_for(run, "view", actor)))
    except (ValueError, LookupError, access.Refused) as exc:
        return dbc.Alert([f"Lab {str(run)[:40]!r} cannot be shown: {exc}. ",
                          html.A("Start a new lab", href="/boundary")], color="warning")


def lab_spec(dataset: str | None, samples: Any, noise: Any, seed: Any) -> LabConfig:
    """The lab config for the form's values; raises ValueError with what to change."""
    if samples is None or seed is None:
        raise ValueError("fill in the number of points and the seed (whole numbers)")
    if float(samples) != int(samples) or float(seed) != int(seed) or int(seed) < 0:
        raise ValueError(f"points ({samples}) and seed ({seed}) must be whole numbers, the seed 0 or more")
    if int(samples) > MAX_SAMPLES:
        raise ValueError(f"{samples} points are more than this page draws quickly: use at most {MAX_SAMPLES}")
    spec = DatasetSpec(name=dataset or "", n_samples=int(samples), noise=None if noise in (None, "") else float(noise),
                       seed=int(seed))
    return LabConfig(dataset=spec, seed=int(seed))


@callback(Output(ids.BOUNDARY_LOCATION, "href"), Output(ids.BOUNDARY_START_MESSAGE, "children"),
          Input(ids.BOUNDARY_START, "n_clicks"), State(ids.BOUNDARY_DATASET, "value"),
          State(ids.BOUNDARY_SAMPLES, "value"), State(ids.BOUNDARY_NOISE, "value"), State(ids.BOUNDARY_SEED, "value"),
          prevent_initial_call=True)
def start_lab(clicks: int | None, dataset: str | None, samples: Any, noise: Any, seed: Any) -> tuple[Any, str]:
    """Create the lab (a data set and an untrained model: milliseconds) for this browser and open it."""
    if not clicks:
        raise PreventUpdate
    owner = access.current_actor(create_browser=True).browser_key
    if owner is None:
        return no_update, "Cannot start: this browser sent no session cookie; allow cookies for this site and reload."
    try:
        run_id = boundary_rounds.start_lab(get_store(), lab_spec(dataset, samples, noise, seed), owner_key=owner)
    except (TypeError, ValueError) as exc:
        return no_update, f"Cannot start: {exc}."
    return f"/boundary?run={run_id}", ""
