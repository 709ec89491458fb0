"""The latent editor bound to a run in the store: used by the free editor page and by a participant's scenario step.

The page holds only the run id (and a participant's token); everything shown is rebuilt from the store, every
released edit is written the moment it arrives, and training rounds run as background callbacks (a disk-cache
process by default, a Celery worker with Redis), never inside a request.
"""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import ClientsideFunction, Input, Output, State, callback, clientside_callback, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from hill_dash.app import ids
from hill_dash.app.components.control_panel import accuracy_figure, control_states, metrics_text
from hill_dash.app.components.editor_panel import accuracy_change_table, editor_layout
from hill_dash.app.components.latent_figure import accuracy_change_rows, build_latent_figure
from hill_dash.app.context import get_store
from hill_dash.jobs import rounds
from hill_dash.store import Store

PAUSE_FLAG = "PAUSE"


def figure_snapshot(snapshot: dict[str, Any]) -> dict[str, Any]:
    """The training core's snapshot dict in the shape the figure builder reads."""
    return {"epoch": snapshot["epoch"], "coords": [list(p) for p in zip(snapshot["x"], snapshot["y"])],
            "labels": snapshot["labels"], "predictions": snapshot["predictions"],
            "misclassified": snapshot["misclassified"], "class_names": snapshot["class_names"],
            "centres": [c if c is not None and None not in c else [0.0, 0.0] for c in snapshot["class_centres"]],
            "spreads": snapshot["class_spreads"], "index": snapshot["display_index"]}


def panel_status(view: dict[str, Any]) -> str:
    """The control panel's state: done at the end, running while a round trains, paused between points."""
    if view["finished"]:
        return "done"
    if view["status"] == "running":
        return "running"
    return "idle" if view["epoch"] in view["interaction_epochs"] else "paused"


def _history(view: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"epoch": h["epoch"], "accuracy": h["val_acc"], "macro_f1": h["val_macro_f1"]}
            for h in view["history"] if h["val_acc"] is not None]


def render_parts(view: dict[str, Any], before_after: bool) -> dict[str, Any]:
    """Figure, metrics and table for a run view (a pure function of the view, tested without a browser)."""
    current = figure_snapshot(view["snapshot"])
    previous = figure_snapshot(view["previous"]) if view.get("previous") else None
    figure = build_latent_figure(current, positions=view["positions"], previous=previous,
                                 show_before_after=bool(before_after and previous),
                                 uirevision=f"run-{view['run_id']}", arrows=view.get("arrows"))
    figure.update_layout(meta={**(figure.layout.meta or {}), "run": view["run_id"]})
    history = _history(view)
    rows = accuracy_change_rows(previous, current) if previous else []
    return {"figure": figure, "history": history, "rows": rows,
            "accuracy": accuracy_figure(history, view["interaction_epochs"]), "metrics": metrics_text(history),
            "status": panel_status(view)}


def stored_arrows(store: Store, run_id: int, index: int) -> list[dict[str, Any]]:
    """The direction arrows in force at an interaction point, as ``{"index", "vector"}`` for the figure."""
    return [{"index": e.point_indices[0], "vector": list(e.arrow["vector"])}
            for e in store.list_edits(run_id, index, active_only=True) if e.kind == "arrow" and e.arrow]


def run_view_with_arrows(store: Store, run_id: int) -> dict[str, Any]:
    """`rounds.run_view` plus the arrows to draw on the current interaction point's view."""
    view = rounds.run_view(store, run_id)
    view["arrows"] = stored_arrows(store, run_id, view["interaction_index"])
    return view


def arrow_mode_switch(on: bool = False) -> dbc.Switch:
    """Switches the editor between moving points (off) and drawing direction arrows on points (on)."""
    return dbc.Switch(id=ids.EDITOR_ARROW_MODE, value=on, class_name="mb-1",
                      label="arrow mode: press on a point, release in the direction its class score should fall")


def editor_view(run_id: int, *, participant_token: str | None = None, done_href: str | None = None) -> html.Div:
    """The editor for one run, as it stands in the store."""
    store = get_store()
    view = run_view_with_arrows(store, run_id)
    parts = render_parts(view, before_after=False)
    done = dbc.Button("Continue to the questionnaires", href=done_href or "#", color="success",
                      id=ids.EDITOR_DONE, class_name="mt-2", style={} if view["finished"] and done_href else
                      {"display": "none"})
    return html.Div([
        dcc.Store(id=ids.EDITOR_RUN, data={"run_id": int(run_id), "token": participant_token}),
        dcc.Store(id=ids.EDITOR_REFRESH, data=0),
        html.Div(_heading(view), id=ids.EDITOR_HEADING, className="mb-1"),
        arrow_mode_switch(),
        # latent_editor.js reads the mode from this wrapper's class (set in the browser by `hill.editMode`)
        html.Div(editor_layout(parts["figure"], parts["history"], view["interaction_epochs"], alpha=view["alpha"],
                               lam=view["lam"], status=parts["status"], change_rows=parts["rows"],
                               epochs_between=_default_epochs(view)), id=ids.EDITOR_MODE, className=""),
        html.Div(id=ids.EDITOR_MESSAGE, className="small text-muted"),
        done,
    ])


def _default_epochs(view: dict[str, Any]) -> int:
    points = [*view["interaction_epochs"], view["end_epoch"]]
    ahead = [p for p in points if p > view["epoch"]]
    return max(1, (min(ahead) - view["epoch"]) if ahead else 1)


def _heading(view: dict[str, Any]) -> str:
    if view["finished"]:
        return f"Training finished at epoch {view['epoch']}."
    return (f"Epoch {view['epoch']}: interaction point {view['interaction_index'] + 1} of "
            f"{len(view['interaction_epochs'])}. Drag points, or a whole class by its cross, or draw arrows on "
            "points in arrow mode, then train.")


def authorised_run(run: dict[str, Any] | None) -> int:
    """The run id a page may act on: a participant's run only with that participant's token."""
    if not run or run.get("run_id") is None:
        raise PreventUpdate
    store = get_store()
    owner = store.get_run(int(run["run_id"])).participant_id
    if owner is not None:
        token = run.get("token")
        try:
            participant = store.participant_by_token(token) if token else None
        except LookupError:
            participant = None
        if participant is None or participant.id != owner:
            raise PreventUpdate
    return int(run["run_id"])


clientside_callback(ClientsideFunction(namespace="hill", function_name="editMode"),
                   Output(ids.EDITOR_MODE, "className"), Input(ids.EDITOR_ARROW_MODE, "value"))


@callback(Output(ids.EDITOR_MESSAGE, "children"),
          Output(ids.EDITOR_UNDO, "disabled"), Output(ids.EDITOR_REDO, "disabled"), Output(ids.EDITOR_RESET, "disabled"),
          Input(ids.EDITOR_EDIT_STORE, "data"), State(ids.EDITOR_RUN, "data"), prevent_initial_call=True)
def save_edit(edit: dict[str, Any] | None, run: dict[str, Any]) -> tuple[Any, ...]:
    """Write a released edit at once; a refused edit says why and leaves the store as it was."""
    if not edit:
        raise PreventUpdate
    run_id = authorised_run(run)
    try:
        edit_id = rounds.record_edit(get_store(), run_id, edit)
    except (rounds.RoundError, LookupError) as exc:
        return f"Not saved: {exc}", no_update, no_update, no_update
    return f"Edit {edit_id} saved.", False, True, False


@callback(Output(ids.EDITOR_REFRESH, "data", allow_duplicate=True),
          Input(ids.EDITOR_UNDO, "n_clicks"), Input(ids.EDITOR_REDO, "n_clicks"), Input(ids.EDITOR_RESET, "n_clicks"),
          State(ids.EDITOR_RUN, "data"), State(ids.EDITOR_REFRESH, "data"), prevent_initial_call=True)
def edit_history(_undo: int, _redo: int, _reset: int, run: dict[str, Any], version: int) -> int:
    """Undo, redo and reset are stored as events (nothing is deleted); the view is then rebuilt."""
    run_id = authorised_run(run)
    store = get_store()
    view = rounds.run_view(store, run_id)
    index = view["interaction_index"]
    if ctx.triggered_id == ids.EDITOR_UNDO:
        store.undo_last(run_id, index)
    elif ctx.triggered_id == ids.EDITOR_REDO:
        store.redo_last(run_id, index)
    elif ctx.triggered_id == ids.EDITOR_RESET:
        store.add_edit(run_id, index, view["epoch"], "reset")
    return (version or 0) + 1


@callback(Output(ids.EDITOR_GRAPH, "figure"), Output(ids.EDITOR_ACCURACY_TABLE, "children"),
          Output(ids.EDITOR_METRICS, "children"), Output(ids.EDITOR_ACCURACY_GRAPH, "figure"),
          Output(ids.EDITOR_HEADING, "children"), Output(ids.EDITOR_DONE, "style"),
          Output(ids.EDITOR_UNDO, "disabled", allow_duplicate=True),
          Output(ids.EDITOR_REDO, "disabled", allow_duplicate=True),
          Output(ids.EDITOR_RESET, "disabled", allow_duplicate=True),
          Output(ids.EDITOR_TRAIN, "disabled", allow_duplicate=True),
          Output(ids.EDITOR_RESUME, "disabled", allow_duplicate=True),
          Input(ids.EDITOR_REFRESH, "data"), Input(ids.EDITOR_BEFORE_AFTER, "value"), State(ids.EDITOR_RUN, "data"),
          prevent_initial_call=True)
def refresh(_version: int, before_after: bool, run: dict[str, Any]) -> tuple[Any, ...]:
    run_id = authorised_run(run)
    store = get_store()
    view = run_view_with_arrows(store, run_id)
    parts = render_parts(view, before_after)
    edits = store.list_edits(run_id, view["interaction_index"])
    undoable = any(e.kind in ("point", "class", "collapse", "selection", "arrow") and not e.undone for e in edits)
    redoable = store_has_redo(edits)
    buttons = {ids.EDITOR_UNDO: not undoable, ids.EDITOR_REDO: not redoable, ids.EDITOR_RESET: not undoable}
    states = control_states(parts["status"])
    done_style = {} if view["finished"] else {"display": "none"}
    table = accuracy_change_table(parts["rows"]) if parts["rows"] else None
    return (parts["figure"], table, parts["metrics"], parts["accuracy"], _heading(view), done_style,
            buttons[ids.EDITOR_UNDO], buttons[ids.EDITOR_REDO], buttons[ids.EDITOR_RESET],
            states[ids.EDITOR_TRAIN], states[ids.EDITOR_RESUME])


def store_has_redo(edits: list[Any]) -> bool:
    """True when the newest event of this point is an undo (a new edit or a reset ends what can be redone)."""
    for edit in reversed(edits):
        if edit.kind == "undo":
            return True
        if edit.kind != "redo":
            return False
    return False


@callback(Output(ids.EDITOR_MESSAGE, "children", allow_duplicate=True),
          Input(ids.EDITOR_ALPHA, "value"), Input(ids.EDITOR_LAMBDA, "value"), State(ids.EDITOR_RUN, "data"),
          prevent_initial_call=True)
def change_weights(alpha: float | None, lam: float | None, run: dict[str, Any]) -> str:
    """Store α and λ as soon as they change, so the next round (on whichever worker) trains with them."""
    run_id = authorised_run(run)
    try:
        chosen = rounds.set_hyper(get_store(), run_id, alpha=alpha, lam=lam)
    except rounds.RoundError as exc:
        return str(exc)
    return f"Next round: α = {chosen['alpha']:g}, λ = {chosen['lam']:g}."


@callback(Output(ids.EDITOR_MESSAGE, "children", allow_duplicate=True),
          Input(ids.EDITOR_PAUSE, "n_clicks"), State(ids.EDITOR_RUN, "data"), prevent_initial_call=True)
def pause(_clicks: int, run: dict[str, Any]) -> str:
    """Ask the running round to stop after its current epoch (it saves a checkpoint there)."""
    run_id = authorised_run(run)
    store = get_store()
    flag = store.files.absolute(f"{store.get_run(run_id).run_dir}/{PAUSE_FLAG}")
    flag.parent.mkdir(parents=True, exist_ok=True)
    flag.touch()
    return "Pausing after this epoch…"


@callback(Output(ids.EDITOR_REFRESH, "data", allow_duplicate=True),
          Input(ids.EDITOR_CANCEL, "n_clicks"), State(ids.EDITOR_RUN, "data"), State(ids.EDITOR_REFRESH, "data"),
          prevent_initial_call=True)
def after_cancel(_clicks: int, run: dict[str, Any], version: int) -> int:
    """A cancelled round's process is stopped; the run continues from its last checkpoint."""
    run_id = authorised_run(run)
    get_store().update_run(run_id, status="waiting")
    return (version or 0) + 1


@callback(Output(ids.EDITOR_REFRESH, "data", allow_duplicate=True),
          Input(ids.EDITOR_TRAIN, "n_clicks"), Input(ids.EDITOR_RESUME, "n_clicks"),
          State(ids.EDITOR_RUN, "data"), State(ids.EDITOR_EPOCHS, "value"), State(ids.EDITOR_REFRESH, "data"),
          background=True, prevent_initial_call=True,
          running=[(Output(ids.EDITOR_TRAIN, "disabled"), True, True),
                   (Output(ids.EDITOR_PAUSE, "disabled"), False, True),
                   (Output(ids.EDITOR_CANCEL, "disabled"), False, True),
                   (Output(ids.EDITOR_GRAPH, "className"), "hill-training", "")],
          progress=[Output(ids.EDITOR_PROGRESS, "value"), Output(ids.EDITOR_PROGRESS, "max"),
                    Output(ids.EDITOR_PROGRESS, "label")],
          cancel=[Input(ids.EDITOR_CANCEL, "n_clicks")])
def train(set_progress, _train: int, _resume: int, run: dict[str, Any], epochs: int | None, version: int) -> int:
    """One training round: from the last checkpoint, with this interaction point's edits, to the next stop."""
    run_id = authorised_run(run)
    store = get_store()
    flag = store.files.absolute(f"{store.get_run(run_id).run_dir}/{PAUSE_FLAG}")
    flag.unlink(missing_ok=True)

    def report(p: dict[str, Any]) -> None:
        total = max(1, p["to"] - p["from"])
        loss = p.get("loss")
        label = f"epoch {p['epoch']} of {p['to']}" + ("" if loss is None else f", loss {loss:.4f}")
        set_progress((p["epoch"] - p["from"], total, label))

    try:
        rounds.train_round(store, run_id, epochs=epochs, progress=report, should_stop=flag.exists)
    finally:
        flag.unlink(missing_ok=True)
    return (version or 0) + 1

