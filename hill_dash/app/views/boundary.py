"""The boundary lab bound to a run in the store: the decision function, the arrows an annotator draws on it, and
training rounds.

An arrow is drawn with Plotly's line tool (the figure's drag mode is "drawline"): the graph reports the new line
in `relayoutData`, its start is snapped to the nearest training point, the arrow is stored at once and the figure
is redrawn from the store (the drawn line gives way to the arrow). The page holds only the run id; rounds run as
background callbacks, never inside a request.

A lab is a free run owned by the browser that started it (see `hill_dash.app.access`): every callback resolves its
caller on the server and reaches the lab only through `lab_for`, so the id the page holds is a lookup key, and a lab
of another browser reads as one that does not exist.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import dash_bootstrap_components as dbc
import numpy as np
import plotly.graph_objects as go
from dash import ALL, Input, Output, State, callback, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from hill_dash.app import access, ids
from hill_dash.app.context import get_store
from hill_dash.boundary import accuracy_figure, lab_figure
from hill_dash.jobs import boundary_rounds

DATASET_LABELS = {"moons": "two moons", "circles": "circles", "xor": "XOR", "blobs": "Gaussian blobs"}
# A line starts on a point when its start lies within SNAP_FRACTION of the data's extent from it (about 15 px on
# a 500 px plot), and is an arrow only when it is longer than MIN_LENGTH_FRACTION of that extent.
SNAP_FRACTION = 0.035
MIN_LENGTH_FRACTION = 0.01
DEFAULT_EPOCHS = 20
GRAPH_CONFIG = {"displaylogo": False, "modeBarButtonsToAdd": ["drawline"], "scrollZoom": True}


class ArrowRefused(ValueError):
    """A drawn line that cannot be an arrow; the message tells the annotator what to draw instead."""


def drawn_line(relayout: Mapping[str, Any] | None) -> tuple[float, float, float, float] | None:
    """`(x0, y0, x1, y1)` of the line just drawn, from a graph's `relayoutData` (None for any other change).

    Drawing a shape reports the whole `shapes` list; the page redraws the figure without shapes after every line,
    so the newest line is the last one.
    """
    shapes = relayout.get("shapes") if isinstance(relayout, Mapping) else None
    if not shapes or not isinstance(shapes, list):
        return None
    shape = shapes[-1]
    if not isinstance(shape, Mapping) or shape.get("type") != "line":
        return None
    try:
        return tuple(float(shape[k]) for k in ("x0", "y0", "x1", "y1"))  # type: ignore[return-value]
    except (KeyError, TypeError, ValueError):
        return None


def snap_arrow(line: Sequence[float], points: np.ndarray,
               snap_fraction: float = SNAP_FRACTION) -> tuple[int, tuple[float, float]]:
    """The training point a line starts on and the line's direction `(index, (dx, dy))`.

    Raises `ArrowRefused` when the line starts away from every point or is too short to have a direction.
    """
    x0, y0, x1, y1 = (float(v) for v in line)
    points = np.asarray(points, dtype=np.float64)
    extent = float(np.ptp(points, axis=0).max()) if len(points) else 0.0
    if extent <= 0:
        raise ArrowRefused("the lab has no spread of points to draw arrows on")
    distance = np.hypot(points[:, 0] - x0, points[:, 1] - y0)
    index = int(distance.argmin())
    if distance[index] > snap_fraction * extent:
        raise ArrowRefused("start the arrow on a point: press on a training point and drag toward where its "
                           "class should end")
    dx, dy = x1 - x0, y1 - y0
    if np.hypot(dx, dy) < MIN_LENGTH_FRACTION * extent:
        raise ArrowRefused("the arrow is too short to have a direction: drag farther from the point")
    return index, (dx, dy)


def _heading(view: Mapping[str, Any]) -> str:
    spec, history = view["dataset"], view["history"]
    accuracy = f", held-out accuracy {history[-1]['heldout_accuracy']:.3f}" if history else ""
    return (f"Lab {view['run_id']}: {DATASET_LABELS.get(spec.name, spec.name)}, {spec.n_samples} points, noise "
            f"{spec.effective_noise:g}, seed {spec.seed}. Round {view['round']}, epoch {view['epoch']}{accuracy}.")


def lab_graph_figure(view: Mapping[str, Any]) -> go.Figure:
    """The decision function with the points and the arrows in force, tagged with the run, epoch and arrows."""
    with boundary_rounds.single_threaded_torch():  # this runs in the web process, which forks the rounds
        figure = lab_figure(view["lab"])
    figure.update_layout(uirevision=f"lab-{view['run_id']}", height=560,
                         meta={"run": view["run_id"], "epoch": view["epoch"], "round": view["round"],
                               "arrows": len(view["arrows"])})
    return figure


def history_figure(view: Mapping[str, Any]) -> go.Figure:
    """Held-out accuracy over the epochs (empty axes before the first round)."""
    if not view["history"]:
        figure = go.Figure()
        figure.update_layout(height=260, xaxis_title="epoch", yaxis_title="accuracy", yaxis_range=[0, 1.02],
                             annotations=[{"text": "train a round to see held-out accuracy", "showarrow": False,
                                           "xref": "paper", "yref": "paper", "x": 0.5, "y": 0.5}])
        return figure
    return accuracy_figure(view["history"])


def arrow_list(arrows: Sequence[Mapping[str, Any]]) -> html.Div:
    """One row per arrow in force (point, direction, who drew it) with its remove button."""
    if not arrows:
        return html.Div("No arrows yet: draw one from a point toward where its class should end.",
                        className="small text-muted")
    rows = [
        dbc.ListGroupItem(html.Div([
            html.Span(f"point {a['point_index']}: ({a['vector'][0]:+.2f}, {a['vector'][1]:+.2f}) by "
                      f"{a['annotator']}", className="small"),
            dbc.Button("remove", id={"type": ids.BOUNDARY_ARROW_REMOVE, "edit": a["id"]}, size="sm",
                       color="link", class_name="p-0 ms-2"),
        ], className="d-flex justify-content-between align-items-center"), class_name="py-1")
        for a in arrows
    ]
    return dbc.ListGroup(rows, flush=True)


def lab_parts(view: Mapping[str, Any]) -> dict[str, Any]:
    """What the page shows for a lab view: figure, accuracy, arrow list and heading (pure, tested as data)."""
    return {"figure": lab_graph_figure(view), "accuracy": history_figure(view), "arrows": arrow_list(view["arrows"]),
            "heading": _heading(view)}


def _controls(view: Mapping[str, Any]) -> list[Any]:
    return [
        dbc.Label("Annotator", html_for=ids.BOUNDARY_ANNOTATOR, class_name="mb-0 small"),
        dbc.Input(id=ids.BOUNDARY_ANNOTATOR, value="annotator", persistence=True, persistence_type="local",
                  size="sm", class_name="mb-2"),
        dbc.Label("w: weight of the arrows (0 = plain BCE)", class_name="mb-0 small"),
        dcc.Slider(id=ids.BOUNDARY_WEIGHT, min=0, max=1, step=0.01, value=view["weight"],
                   marks={0: "0", 0.25: "0.25", 0.5: "0.5", 0.75: "0.75", 1: "1"},
                   tooltip={"placement": "bottom"}),
        dbc.Label("Epochs per round", html_for=ids.BOUNDARY_EPOCHS, class_name="mb-0 small"),
        dbc.Input(id=ids.BOUNDARY_EPOCHS, type="number", min=1, max=boundary_rounds.MAX_EPOCHS_PER_ROUND, step=1,
                  value=DEFAULT_EPOCHS, size="sm", class_name="mb-2"),
        dbc.Button("Train", id=ids.BOUNDARY_TRAIN, color="primary", class_name="mb-2 w-100"),
        dbc.Progress(id=ids.BOUNDARY_PROGRESS, value=0, max=1, label="", style={"height": "1.2rem"},
                     class_name="mb-2"),
        html.Div(id=ids.BOUNDARY_MESSAGE, className="small text-muted mb-2"),
        html.H6("Arrows", className="mt-2"),
        html.Div(arrow_list(view["arrows"]), id=ids.BOUNDARY_ARROWS),
    ]


def lab_layout(view: Mapping[str, Any]) -> html.Div:
    """The lab page for one run, as it stands in the store."""
    parts = lab_parts(view)
    return html.Div([
        dcc.Store(id=ids.BOUNDARY_RUN, data={"run_id": int(view["run_id"])}),
        dcc.Store(id=ids.BOUNDARY_REFRESH, data=0),
        html.H4(parts["heading"], id=ids.BOUNDARY_HEADING, className="mb-1"),
        html.P("Draw an arrow from a training point in the direction that should lower its class's score (toward "
               "where the other class should be); rounds train with (1 - w) BCE + w direction loss.",
               className="small text-muted"),
        dbc.Row([
            dbc.Col(_controls(view), width=3),
            dbc.Col([dcc.Graph(id=ids.BOUNDARY_GRAPH, figure=parts["figure"], config=GRAPH_CONFIG),
                     dcc.Graph(id=ids.BOUNDARY_ACCURACY_GRAPH, figure=parts["accuracy"],
                               config={"displaylogo": False})], width=9),
        ]),
    ])


def lab_for(lab_id: Any, action: str = "view", actor: access.Actor | None = None) -> int:
    """The id of the boundary lab `lab_id` if the caller (resolved on the server unless given) may do `action`
    ("view", or "edit" for arrows, w and training) with it; `access.Refused` saying why not otherwise. A lab the
    caller may not view reads as missing, whoever's it is."""
    store = get_store()
    actor = actor or access.current_actor(store=store)
    ident = access.parse_id(lab_id, "lab")
    try:
        run = access.run_for(actor, ident, action, store)
    except access.Refused:
        if action != "view" and _viewable(actor, ident, store):
            raise  # a lab the caller sees but may not change: the reason is theirs to read
        raise access.Refused(f"there is no lab {ident} you may open; start one at /boundary") from None
    try:
        return boundary_rounds.check_lab(run).id
    except boundary_rounds.BoundaryRoundError as exc:
        raise access.Refused(str(exc)) from None


def _viewable(actor: access.Actor, ident: int, store: Any) -> bool:
    try:
        access.run_for(actor, ident, "view", store)
    except access.Refused:
        return False
    return True


def authorised_lab(run: Any, action: str = "view") -> int:
    """The id of the lab the page holds (`{"run_id": ...}`) if the caller may do `action` with it (see `lab_for`);
    PreventUpdate for a page that holds no lab."""
    if not isinstance(run, Mapping) or run.get("run_id") is None:
        raise PreventUpdate
    return lab_for(run["run_id"], action)


def _bump(version: Any) -> int:
    """The next value of the page's redraw counter (a counter the browser sent that is not a small count restarts)."""
    return version + 1 if isinstance(version, int) and not isinstance(version, bool) and 0 <= version < 2**31 else 1


@callback(Output(ids.BOUNDARY_MESSAGE, "children"), Output(ids.BOUNDARY_REFRESH, "data"),
          Input(ids.BOUNDARY_GRAPH, "relayoutData"), State(ids.BOUNDARY_RUN, "data"),
          State(ids.BOUNDARY_ANNOTATOR, "value"), State(ids.BOUNDARY_REFRESH, "data"), prevent_initial_call=True)
def draw_arrow(relayout: dict[str, Any] | None, run: dict[str, Any], annotator: str | None,
               version: int) -> tuple[str, int]:
    """A newly drawn line becomes an arrow on the point it starts on; the figure is redrawn either way."""
    line = drawn_line(relayout)
    if line is None:
        raise PreventUpdate
    store = get_store()
    try:
        run_id = authorised_lab(run, "edit")
        if annotator is not None and not isinstance(annotator, str):
            raise ArrowRefused("the annotator name must be text")
        lab = boundary_rounds.load_lab(store, run_id, with_arrows=False)
        index, vector = snap_arrow(line, lab.split("train")[0])
        boundary_rounds.add_arrow(store, run_id, index, vector, annotator=annotator or "")
    except (ArrowRefused, boundary_rounds.BoundaryRoundError, access.Refused) as exc:
        return f"Not stored: {exc}.", _bump(version)  # the redraw takes the stray line away
    return f"Arrow on point {index} stored.", _bump(version)


@callback(Output(ids.BOUNDARY_MESSAGE, "children", allow_duplicate=True),
          Output(ids.BOUNDARY_REFRESH, "data", allow_duplicate=True),
          Input({"type": ids.BOUNDARY_ARROW_REMOVE, "edit": ALL}, "n_clicks"), State(ids.BOUNDARY_RUN, "data"),
          State(ids.BOUNDARY_ANNOTATOR, "value"), State(ids.BOUNDARY_REFRESH, "data"), prevent_initial_call=True)
def remove_arrow(_clicks: list[int | None], run: dict[str, Any], annotator: str | None,
                 version: int) -> tuple[str, int]:
    """Remove the arrow whose button was pressed (it is marked undone; the row stays)."""
    trigger = ctx.triggered_id
    # A redrawn list fires this with n_clicks None for its new buttons: only a real click counts.
    if not isinstance(trigger, Mapping) or not ctx.triggered or not ctx.triggered[0].get("value"):
        raise PreventUpdate
    try:
        run_id = authorised_lab(run, "edit")
        edit_id = access.parse_id(trigger.get("edit"), "arrow edit")
        boundary_rounds.remove_arrow(get_store(), run_id, edit_id,
                                     actor=annotator if isinstance(annotator, str) else "")
    except (boundary_rounds.BoundaryRoundError, access.Refused) as exc:
        return f"Not removed: {exc}.", _bump(version)
    return "Arrow removed.", _bump(version)


@callback(Output(ids.BOUNDARY_MESSAGE, "children", allow_duplicate=True), Input(ids.BOUNDARY_WEIGHT, "value"),
          State(ids.BOUNDARY_RUN, "data"), prevent_initial_call=True)
def change_weight(weight: float | None, run: dict[str, Any]) -> str:
    """Store w as soon as it changes, so the next round (in whichever process) trains with it."""
    try:
        chosen = boundary_rounds.set_weight(get_store(), authorised_lab(run, "edit"), weight)
    except (boundary_rounds.BoundaryRoundError, access.Refused) as exc:
        return f"Not changed: {exc}."
    return f"Next round: w = {chosen:g}."


@callback(Output(ids.BOUNDARY_GRAPH, "figure"), Output(ids.BOUNDARY_ACCURACY_GRAPH, "figure"),
          Output(ids.BOUNDARY_ARROWS, "children"), Output(ids.BOUNDARY_HEADING, "children"),
          Input(ids.BOUNDARY_REFRESH, "data"), State(ids.BOUNDARY_RUN, "data"), prevent_initial_call=True)
def refresh(_version: int, run: dict[str, Any]) -> tuple[Any, ...]:
    """Redraw everything from the store (nothing is sent to a caller who may not view the lab)."""
    parts = lab_parts(boundary_rounds.lab_view(get_store(), authorised_lab(run)))
    return parts["figure"], parts["accuracy"], parts["arrows"], parts["heading"]


@callback(Output(ids.BOUNDARY_REFRESH, "data", allow_duplicate=True),
          Output(ids.BOUNDARY_MESSAGE, "children", allow_duplicate=True),
          Input(ids.BOUNDARY_TRAIN, "n_clicks"), State(ids.BOUNDARY_RUN, "data"), State(ids.BOUNDARY_EPOCHS, "value"),
          State(ids.BOUNDARY_REFRESH, "data"), background=True, prevent_initial_call=True,
          running=[(Output(ids.BOUNDARY_TRAIN, "disabled"), True, False)],
          progress=[Output(ids.BOUNDARY_PROGRESS, "value"), Output(ids.BOUNDARY_PROGRESS, "max"),
                    Output(ids.BOUNDARY_PROGRESS, "label")])
def train(set_progress, clicks: int | None, run: dict[str, Any], epochs: Any, version: int) -> tuple[Any, str]:
    """One round: the arrows in force, the stored w, `epochs` epochs; then the page redraws from the store. This
    runs as a background job: the caller is the browser whose request started it (its cookie comes along)."""
    if not clicks:
        raise PreventUpdate
    try:
        run_id = authorised_lab(run, "edit")
    except access.Refused as exc:
        return no_update, f"Not trained: {exc}."

    def report(p: dict[str, Any]) -> None:
        set_progress((p["epoch"] - p["from"], p["to"] - p["from"],
                      f"epoch {p['epoch']} of {p['to']}, held-out accuracy {p['heldout_accuracy']:.3f}"))

    try:
        result = boundary_rounds.train_round(get_store(), run_id, epochs, progress=report)
    except boundary_rounds.BoundaryRoundError as exc:
        return no_update, f"Not trained: {exc}."
    return _bump(version), (f"Round {result['round']} done: epoch {result['epoch']}, held-out accuracy "
                            f"{result['heldout_accuracy']:.3f}, {result['arrows']} arrows, w = "
                            f"{result['weight']:g}.")
