"""The latent editor's layout: the draggable graph with its released-edit store, the edit history buttons, the
before/after switch with its accuracy-change table, and the whole editor composed with the sidebar.

The graph sits in a ``.hill-editor`` wrapper whose ``data-edit-store`` attribute names the ``dcc.Store`` that
``assets/latent_editor.js`` writes each released edit into; a page listens to that store's ``data``, appends the
edit to the participant's log and, if it wants, re-renders the figure from ``edit_stack.replay``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import dash_bootstrap_components as dbc
import plotly.graph_objects as go
from dash import dcc, html

from hill_dash.app import ids
from hill_dash.app.components.control_panel import control_panel
from hill_dash.app.components.edit_stack import EditState

GRAPH_CONFIG = {"scrollZoom": True, "displaylogo": False, "modeBarButtonsToRemove": ["autoScale2d"],
                "doubleClick": "reset"}


def latent_editor(figure: go.Figure | None = None, graph_id: str | dict[str, Any] = ids.EDITOR_GRAPH,
                  store_id: str | dict[str, Any] = ids.EDITOR_EDIT_STORE, height: str = "72vh",
                  tooltip_id: str | None = None) -> html.Div:
    """The draggable latent scatter and the store that receives each released edit; with `tooltip_id`, a tooltip
    over the graph that a hover callback fills (the sample under the pointer)."""
    store_ref = json.dumps(store_id, sort_keys=True, separators=(",", ":")) if isinstance(store_id, dict) else store_id
    tooltip = [dcc.Tooltip(id=tooltip_id, direction="right", background_color="white")] if tooltip_id else []
    return html.Div([
        dcc.Graph(id=graph_id, figure=figure if figure is not None else go.Figure(), config=GRAPH_CONFIG,
                  style={"height": height}, clear_on_unhover=True),
        dcc.Store(id=store_id, storage_type="memory"),
        *tooltip,
    ], className="hill-editor", **{"data-edit-store": store_ref})


def history_button_states(state: EditState | None) -> dict[str, bool]:
    """Which of undo / redo / reset are disabled (True) for the replayed edit state."""
    if state is None:
        return {ids.EDITOR_UNDO: True, ids.EDITOR_REDO: True, ids.EDITOR_RESET: True}
    return {ids.EDITOR_UNDO: not state.can_undo, ids.EDITOR_REDO: not state.can_redo,
            ids.EDITOR_RESET: not state.active}


def before_after_switch(on: bool = False) -> dbc.Switch:
    """Shows the previous interaction point's view beside the current one; kept in the browser across reloads
    (the editor redraws with it on load)."""
    return dbc.Switch(id=ids.EDITOR_BEFORE_AFTER, label="show before / after", value=on, class_name="ms-3 mb-0",
                      persistence=True, persistence_type="session")


def edit_toolbar(state: EditState | None = None, before_after: bool = False) -> html.Div:
    """Undo / redo / reset of this interaction point's edits and the before/after switch."""
    disabled = history_button_states(state)
    return html.Div([
        dbc.ButtonGroup([
            dbc.Button("Undo", id=ids.EDITOR_UNDO, outline=True, color="secondary", disabled=disabled[ids.EDITOR_UNDO]),
            dbc.Button("Redo", id=ids.EDITOR_REDO, outline=True, color="secondary", disabled=disabled[ids.EDITOR_REDO]),
            dbc.Button("Reset", id=ids.EDITOR_RESET, outline=True, color="warning",
                       disabled=disabled[ids.EDITOR_RESET]),
        ], size="sm"),
        before_after_switch(before_after),
    ], className="d-flex align-items-center mb-2")


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f} %"


def _delta_cell(delta: float | None) -> html.Td:
    if delta is None:
        return html.Td("–")
    tone = "text-success" if delta > 0 else "text-danger" if delta < 0 else "text-muted"
    return html.Td(f"{100 * delta:+.1f} pp", className=tone)


def accuracy_change_table(rows: Sequence[Mapping[str, Any]]) -> dbc.Table:
    """The before/after table from ``latent_figure.accuracy_change_rows``: one row per class, then all classes."""
    header = html.Thead(html.Tr([html.Th("class"), html.Th("before"), html.Th("after"), html.Th("change")]))
    body = html.Tbody([
        html.Tr([html.Td(row["class"]), html.Td(_percent(row["before"])), html.Td(_percent(row["after"])),
                 _delta_cell(row["delta"])], className="fw-bold" if row["class_id"] is None else None)
        for row in rows
    ])
    return dbc.Table([header, body], size="sm", striped=True, class_name="hill-accuracy-change mb-0")


def editor_layout(figure: go.Figure | None = None, history: Sequence[Mapping[str, Any]] = (),
                  interaction_epochs: Sequence[int] = (), epochs_between: int | None = None, alpha: float = 0.5,
                  lam: float = 0.1, status: str = "idle", state: EditState | None = None,
                  change_rows: Sequence[Mapping[str, Any]] = ()) -> dbc.Container:
    """The whole editor: sidebar on the left, toolbar and graph in the middle, accuracy change below the graph."""
    return dbc.Container(dbc.Row([
        dbc.Col(control_panel(epochs_between, alpha, lam, history, interaction_epochs, status), width=3),
        dbc.Col([
            edit_toolbar(state),
            latent_editor(figure, tooltip_id=ids.EDITOR_HOVER),
            html.Div(accuracy_change_table(change_rows) if change_rows else None, id=ids.EDITOR_ACCURACY_TABLE),
        ], width=9),
    ]), id=ids.EDITOR_ROOT, fluid=True, class_name="py-2")
