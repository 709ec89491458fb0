"""The latent editor bound to a run in the store: used by the free editor page and by a participant's scenario step.

The page holds only the run id (and a participant's token); everything shown is rebuilt from the store, every
released edit is written the moment it arrives, and training rounds run as background callbacks (a disk-cache
process by default, a Celery worker with Redis), never inside a request.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dash_bootstrap_components as dbc
from dash import ClientsideFunction, Input, Output, State, callback, clientside_callback, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from hill_dash.app import access, ids
from hill_dash.app.components.control_panel import accuracy_figure, control_states, metrics_text
from hill_dash.app.components.editor_panel import accuracy_change_table, editor_layout, latent_editor
from hill_dash.app.components.follow_feedback import add_follow_feedback, shown_centres
from hill_dash.app.components.latent_figure import accuracy_change_rows, build_latent_figure, class_colours
from hill_dash.app.components.sample_hover import display_sample, hover_card, sample_picture
from hill_dash.app.components.task_panel import hidden_researcher_controls, rounds_left_text, task_sidebar, task_words
from hill_dash.app.context import get_store
from hill_dash.jobs import edit_input, rounds
from hill_dash.jobs.recovery import Busy, recover_run, training_lease
from hill_dash.jobs.warm import background_priority
from hill_dash.store import Store

PAUSE_FLAG = "PAUSE"
CANCEL_FLAG = "CANCEL"
CANCELLING = "Cancelling"


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
    # crosses at the centres of the edited positions: after undo, reset or reload they sit where the edits put them
    figure = build_latent_figure(current, positions=view["positions"], previous=previous,
                                 centres=shown_centres(view["positions"], current["labels"], current["centres"]),
                                 show_before_after=bool(before_after and previous),
                                 uirevision=f"run-{view['run_id']}", arrows=view.get("arrows"), hover_labels=False)
    add_follow_feedback(figure, view.get("follow") or (), class_colours(len(current["class_names"])))
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
    """The editor for one run, as it stands in the store: a participant's view (task, Train, undo, feedback) when
    the run belongs to a participant's link, else the researcher's free editor with the full panel."""
    store = get_store()
    view = run_view_with_arrows(store, run_id)
    parts = render_parts(view, before_after=False)
    stores = [dcc.Store(id=ids.EDITOR_RUN, data={"run_id": int(run_id), "token": participant_token}),
              dcc.Store(id=ids.EDITOR_REFRESH, data=0)]
    if participant_token is not None:
        return _participant_view(view, parts, stores, done_href)
    done = dbc.Button("Continue", href=done_href or "#", color="success", id=ids.EDITOR_DONE, class_name="ms-2",
                      size="sm", style={} if view["finished"] and done_href else {"display": "none"})
    return html.Div([
        *stores,
        html.Div([html.Span(_heading(view), id=ids.EDITOR_HEADING), done], className="mb-1"),
        html.Div(id=ids.EDITOR_MESSAGE, className="small text-muted mb-1", role="status"),
        arrow_mode_switch(),
        # latent_editor.js reads the mode from this wrapper's class (set in the browser by `hill.editMode`)
        html.Div(editor_layout(parts["figure"], parts["history"], view["interaction_epochs"], alpha=view["alpha"],
                               lam=view["lam"], status=parts["status"], change_rows=parts["rows"]),
                 id=ids.EDITOR_MODE, className=""),
        html.Div([html.Div(id=ids.EDITOR_TASK), html.Div(id=ids.EDITOR_ROUNDS_LEFT)], style={"display": "none"}),
    ])


def _participant_view(view: dict[str, Any], parts: dict[str, Any], stores: list[Any],
                      done_href: str | None) -> html.Div:
    sidebar = task_sidebar(view, train_disabled=control_states(parts["status"])[ids.EDITOR_TRAIN],
                           change_rows=parts["rows"], done_href=done_href)
    return html.Div([
        *stores,
        dbc.Row([
            dbc.Col([html.Div(_participant_heading(view), id=ids.EDITOR_HEADING, className="fw-semibold mb-1"),
                     html.Div(latent_editor(parts["figure"], height="calc(100vh - 230px)",
                                            tooltip_id=ids.EDITOR_HOVER), id=ids.EDITOR_MODE, className="")], md=8),
            dbc.Col(sidebar, md=4),
        ]),
        hidden_researcher_controls(),
    ], className="hill-participant-editor")


def _participant_heading(view: dict[str, Any]) -> str:
    if view["finished"]:
        return "Training is finished."
    total = len(view["interaction_epochs"])
    done = total - int(view["rounds_left"]) + 1
    return f"Round {max(1, done)} of {total}: arrange the dots, then press Train."


def _heading(view: dict[str, Any]) -> str:
    """The researcher's heading, with the latest change adaptive reliance made to alpha (if any)."""
    changes = view.get("alpha_changes") or []
    return _stop_heading(view) + (f" Adaptive reliance: {changes[-1]}." if changes else "")


def _stop_heading(view: dict[str, Any]) -> str:
    """The researcher's heading; between interaction points (after a pause or a shorter round) it names the stop
    the next round trains to, never an interaction point that does not exist."""
    if view["finished"]:
        return f"Training finished at epoch {view['epoch']}."
    points, epoch = list(view["interaction_epochs"]), view["epoch"]
    if epoch in points:
        return (f"Epoch {epoch}: interaction point {points.index(epoch) + 1} of {len(points)}. Drag points, or a "
                "whole class by its cross, or draw arrows on points in arrow mode, then train.")
    stop = view["next_stop"]
    target = (f"interaction point {points.index(stop) + 1} of {len(points)} (epoch {stop})" if stop in points
              else f"the end (epoch {stop})")
    return f"Epoch {epoch}: paused between stops. Train goes on to {target}."


def authorised_run(run: dict[str, Any] | None, action: str = "view") -> int:
    """The id of the run the page holds, if the caller (resolved on the server: the participant token the page
    holds, the login, the browser session) may do `action` with it (see `access.check_run`); `access.Refused`
    (a PreventUpdate that says why) otherwise."""
    if not isinstance(run, dict) or run.get("run_id") is None:
        raise PreventUpdate
    return access.run_for(access.current_actor(run.get("token")), run["run_id"], action).id


clientside_callback(ClientsideFunction(namespace="hill", function_name="editMode"),
                   Output(ids.EDITOR_MODE, "className"), Input(ids.EDITOR_ARROW_MODE, "value"))


@callback(Output(ids.EDITOR_MESSAGE, "children"),
          Output(ids.EDITOR_UNDO, "disabled"), Output(ids.EDITOR_REDO, "disabled"), Output(ids.EDITOR_RESET, "disabled"),
          Input(ids.EDITOR_EDIT_STORE, "data"), State(ids.EDITOR_RUN, "data"), prevent_initial_call=True)
def save_edit(edit: dict[str, Any] | None, run: dict[str, Any]) -> tuple[Any, ...]:
    """Write a released edit at once; a refused edit says why and leaves the store as it was."""
    if not edit:
        raise PreventUpdate
    try:
        run_id = authorised_run(run, "edit")
        edit = edit_input.checked_edit(edit)
        edit_id = rounds.record_edit(get_store(), run_id, edit)
    except (rounds.RoundError, edit_input.BadEdit, LookupError, access.Refused) as exc:
        return f"Not saved: {exc}", no_update, no_update, no_update
    saved = "Saved. Your change counts when you press Train." if run.get("token") else f"Edit {edit_id} saved."
    return saved, False, True, False


@callback(Output(ids.EDITOR_REFRESH, "data", allow_duplicate=True),
          Input(ids.EDITOR_UNDO, "n_clicks"), Input(ids.EDITOR_REDO, "n_clicks"), Input(ids.EDITOR_RESET, "n_clicks"),
          State(ids.EDITOR_RUN, "data"), State(ids.EDITOR_REFRESH, "data"), prevent_initial_call=True)
def edit_history(_undo: int, _redo: int, _reset: int, run: dict[str, Any], version: int) -> int:
    """Undo, redo and reset are stored as events (nothing is deleted); the view is then rebuilt."""
    run_id = authorised_run(run, "edit")
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
          Output(ids.EDITOR_TRAIN, "style"), Output(ids.EDITOR_ROUNDS_LEFT, "children"),
          Output(ids.EDITOR_TASK, "children"), Output(ids.EDITOR_MESSAGE, "children", allow_duplicate=True),
          Input(ids.EDITOR_REFRESH, "data"), Input(ids.EDITOR_BEFORE_AFTER, "value"), State(ids.EDITOR_RUN, "data"),
          State(ids.EDITOR_MESSAGE, "children"), prevent_initial_call=True)
def refresh(_version: int, before_after: bool, run: dict[str, Any], shown: Any = None) -> tuple[Any, ...]:
    """Rebuild the editor from the store (after a round, undo, reset or the before/after switch); messages
    about the view that was replaced are cleared, and a cancelled round says where the run is now."""
    run_id = authorised_run(run)
    store = get_store()
    recover_run(store, run_id)  # a round whose process died shows as stopped at its last checkpoint
    view = run_view_with_arrows(store, run_id)
    parts = render_parts(view, before_after)
    edits = store.list_edits(run_id, view["interaction_index"])
    undoable = any(e.kind in ("point", "class", "collapse", "selection", "arrow") and not e.undone for e in edits)
    redoable = store_has_redo(edits)
    buttons = {ids.EDITOR_UNDO: not undoable, ids.EDITOR_REDO: not redoable, ids.EDITOR_RESET: not undoable}
    states = control_states(parts["status"])
    participant = bool(run.get("token"))
    done_style = {} if view["finished"] and participant else {"display": "none"}
    train_style = {"display": "none"} if view["finished"] and participant else {}
    table = accuracy_change_table(parts["rows"]) if parts["rows"] else None
    heading = _participant_heading(view) if participant else _heading(view)
    message = "" if ctx.triggered_id == ids.EDITOR_REFRESH else no_update
    if message == "" and isinstance(shown, str) and shown.startswith(CANCELLING):
        message = f"Round cancelled: the run is back at epoch {view['epoch']}, with your edits."
    return (parts["figure"], table, parts["metrics"], parts["accuracy"], heading, done_style,
            buttons[ids.EDITOR_UNDO], buttons[ids.EDITOR_REDO], buttons[ids.EDITOR_RESET],
            states[ids.EDITOR_TRAIN], states[ids.EDITOR_RESUME], train_style, rounds_left_text(view),
            task_words(view), message)


# The before/after switch keeps its state in the browser across a reload; redraw once on load when it is on.
clientside_callback(
    """function (on, version) {
        var t = (dash_clientside.callback_context || {}).triggered || [];
        var initial = !t.length || t[0].prop_id === ".";
        return on && initial ? (version || 0) + 1 : dash_clientside.no_update;
    }""",
    Output(ids.EDITOR_REFRESH, "data", allow_duplicate=True), Input(ids.EDITOR_BEFORE_AFTER, "value"),
    State(ids.EDITOR_REFRESH, "data"), prevent_initial_call="initial_duplicate")


def round_epochs(value: Any) -> int | None:
    """The researcher's "at most N epochs per round" as a whole number in 1..1000, or None (to the next stop)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 1 <= number <= 1000 and number == float(value) else None


@callback(Output(ids.EDITOR_HOVER, "show"), Output(ids.EDITOR_HOVER, "bbox"), Output(ids.EDITOR_HOVER, "children"),
          Input(ids.EDITOR_GRAPH, "hoverData"), State(ids.EDITOR_RUN, "data"), prevent_initial_call=True)
def hover(hover_data: dict[str, Any] | None, run: dict[str, Any]) -> tuple[Any, ...]:
    """The sample under the pointer with its true and predicted class (points only; a centre shows nothing)."""
    points = (hover_data or {}).get("points") or []
    row = points[0].get("customdata") if points else None
    if isinstance(row, list):
        row = row[0] if row else None
    if isinstance(row, bool) or not isinstance(row, (int, float)):
        return False, no_update, no_update
    run_id = authorised_run(run)
    store = get_store()
    snapshot = rounds.load_snapshot(store, run_id)
    if snapshot is None or not 0 <= int(row) < len(snapshot.labels):
        return False, no_update, no_update
    row = int(row)
    names = snapshot.class_names
    try:
        picture = sample_picture(display_sample(store.get_run(run_id).config, row))
    except (IndexError, ValueError, LookupError):
        return False, no_update, no_update
    card = hover_card(picture, names[int(snapshot.labels[row])], names[int(snapshot.predictions[row])])
    return True, points[0].get("bbox"), card


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
    try:
        run_id = authorised_run(run, "weights")
        chosen = rounds.set_hyper(get_store(), run_id, alpha=alpha, lam=lam)
    except (rounds.RoundError, access.Refused) as exc:
        return f"Not changed: {exc}"
    return f"Next round: α = {chosen['alpha']:g}, λ = {chosen['lam']:g}."


def _flag(store: Store, run_id: int, name: str) -> Path:
    """The file in the run's directory by which the page asks its training round to pause or cancel (the round
    may run in another process or on another machine sharing the data directory)."""
    path = store.files.absolute(f"{store.get_run(run_id).run_dir}/{name}")
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


@callback(Output(ids.EDITOR_MESSAGE, "children", allow_duplicate=True),
          Input(ids.EDITOR_PAUSE, "n_clicks"), State(ids.EDITOR_RUN, "data"), prevent_initial_call=True)
def pause(_clicks: int, run: dict[str, Any]) -> str:
    """Ask the running round to stop after its current epoch (it saves a checkpoint there)."""
    try:
        run_id = authorised_run(run, "pause")
    except access.Refused as exc:
        return f"Not paused: {exc}"
    _flag(get_store(), run_id, PAUSE_FLAG).touch()
    return "Pausing after this epoch…"


@callback(Output(ids.EDITOR_MESSAGE, "children", allow_duplicate=True),
          Input(ids.EDITOR_CANCEL, "n_clicks"), State(ids.EDITOR_RUN, "data"), prevent_initial_call=True)
def cancel(_clicks: int, run: dict[str, Any]) -> str:
    """Ask the running round to stop at its next batch and undo itself (back to the checkpoint it started from).

    The round stops itself: nothing outside it ends its process, so only a caller who may pause this run can
    cancel its round, and no epoch of an unsaved round is left behind."""
    try:
        run_id = authorised_run(run, "pause")
    except access.Refused as exc:
        return f"Not cancelled: {exc}"
    store = get_store()
    if store.get_run(run_id).status != "running":
        return "No round is running."
    _flag(store, run_id, CANCEL_FLAG).touch()
    return f"{CANCELLING}: the run goes back to where this round started…"


@callback(Output(ids.EDITOR_REFRESH, "data", allow_duplicate=True),
          Input(ids.EDITOR_TRAIN, "n_clicks"), Input(ids.EDITOR_RESUME, "n_clicks"),
          State(ids.EDITOR_RUN, "data"), State(ids.EDITOR_EPOCHS, "value"), State(ids.EDITOR_REFRESH, "data"),
          # the browser asks twice a second whether the round is done: a warm round takes about a second
          background=True, prevent_initial_call=True, interval=500,
          running=[(Output(ids.EDITOR_TRAIN, "disabled"), True, True),
                   (Output(ids.EDITOR_PAUSE, "disabled"), False, True),
                   (Output(ids.EDITOR_CANCEL, "disabled"), False, True),
                   (Output(ids.EDITOR_GRAPH, "className"), "hill-training", "")],
          progress=[Output(ids.EDITOR_PROGRESS, "value"), Output(ids.EDITOR_PROGRESS, "max"),
                    Output(ids.EDITOR_PROGRESS, "label")])
def train(set_progress, _train: int, _resume: int, run: dict[str, Any], epochs: int | None, version: int) -> int:
    """One training round: from the last checkpoint, with this interaction point's edits, to the next stop."""
    run_id = authorised_run(run, "edit")
    background_priority()  # this is the round's own process: the server's callbacks go first
    store = get_store()
    flag, cancelled = _flag(store, run_id, PAUSE_FLAG), _flag(store, run_id, CANCEL_FLAG)
    flag.unlink(missing_ok=True)
    cancelled.unlink(missing_ok=True)

    participant = bool(run.get("token"))

    def report(p: dict[str, Any]) -> None:
        total = max(1, p["to"] - p["from"])
        done = p["epoch"] - p["from"]
        loss = p.get("loss")
        label = (f"training: step {done} of {total}" if participant else
                 f"epoch {p['epoch']} of {p['to']}" + ("" if loss is None else f", loss {loss:.4f}"))
        set_progress((done, total, label))

    try:
        with training_lease(store, run_id):  # the lock a crashed round leaves free (see jobs.recovery)
            rounds.train_round(store, run_id, epochs=None if participant else round_epochs(epochs),
                               progress=report, should_stop=flag.exists, should_cancel=cancelled.exists)
    except Busy:
        raise PreventUpdate from None
    finally:
        flag.unlink(missing_ok=True)
        cancelled.unlink(missing_ok=True)
    return (version or 0) + 1

