"""The participant's side of the latent editor: the task in plain words, how many rounds are left, Train, the
edit history buttons and the feedback of the last round. Everything a researcher sets (loss weights, epochs per
round, pause/cancel, validation metrics) stays in the study design and the researcher's free editor.

Callbacks of the editor view are shared by both views, so the researcher-only controls exist here too, hidden and
without words: a participant never reads them and never reaches them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from hill_dash.app import ids
from hill_dash.app.components.editor_panel import accuracy_change_table, edit_toolbar

FEEDBACK_TITLE = "What the last round changed"


def rounds_left_text(view: Mapping[str, Any]) -> str:
    """"3 rounds left" (counting this one), or that training is finished."""
    if view["finished"]:
        return "Training is finished."
    left = int(view["rounds_left"])
    return f"{left} training round{'s' if left != 1 else ''} left, counting this one."


def _class_list(names: Sequence[str]) -> str:
    shown = [str(n) for n in names]
    return ", ".join(shown[:-1]) + f" and {shown[-1]}" if len(shown) > 1 else "".join(shown)


def task_words(view: Mapping[str, Any]) -> list[Any]:
    """What to do and why, in the participant's words."""
    names = view["snapshot"]["class_names"]
    if view["finished"]:
        return [html.P("The model has finished training. Thank you! Continue to the questions about this task.",
                       className="mb-2")]
    return [
        html.P([html.Strong("Your task: "),
                f"help the computer model tell {_class_list(names)} apart. Each dot is one example, coloured by "
                "what it really is; a dot with a dark ring is one the model gets wrong right now."], className="mb-1"),
        html.P("Drag dots, or a whole group by its cross, to where you think they belong, then press Train. The "
               "model learns from your arrangement, and you see how it changed.", className="mb-1"),
    ]


def pretraining_progress(p: Mapping[str, Any]) -> tuple[int, int, str]:
    """(value, max, label) of a progress bar while the starting model trains: epoch k of n, validation accuracy
    and an estimate of the time left, from the progress reports of `rounds.pretrained_checkpoint`."""
    total = p.get("of")
    if p.get("phase") == "loading" or not total:
        return 0, 1, "getting the data ready…"
    epoch = int(p.get("epoch") or 0)
    words = [f"epoch {epoch} of {total}"]
    if p.get("val_acc") is not None:
        words.append(f"{100 * float(p['val_acc']):.0f} % of the check examples right")
    elapsed = p.get("elapsed_s")
    if epoch and elapsed is not None and epoch < total:
        left = float(elapsed) / epoch * (total - epoch)
        words.append(f"about {max(1, round(left))} s left")
    return epoch, int(total), ", ".join(words)


def hidden_researcher_controls() -> html.Div:
    """The researcher's controls, present for the shared callbacks but never shown to a participant."""
    hidden = {"display": "none"}
    return html.Div([
        html.Button(id=ids.EDITOR_PAUSE, disabled=True), html.Button(id=ids.EDITOR_RESUME, disabled=True),
        html.Button(id=ids.EDITOR_CANCEL, disabled=True),
        dcc.Input(id=ids.EDITOR_EPOCHS, type="hidden", value=None),
        dcc.Input(id=ids.EDITOR_ALPHA, type="hidden", value=None),
        dcc.Input(id=ids.EDITOR_LAMBDA, type="hidden", value=None),
        dcc.Input(id=ids.EDITOR_ARROW_MODE, type="hidden", value=""),
        html.Pre(id=ids.EDITOR_METRICS),
        dcc.Graph(id=ids.EDITOR_ACCURACY_GRAPH, config={"displayModeBar": False}),
    ], style=hidden, **{"aria-hidden": "true"})


def task_sidebar(view: Mapping[str, Any], *, train_disabled: bool, change_rows: Sequence[Mapping[str, Any]],
                 done_href: str | None, feedback: Any = None) -> html.Div:
    """The right-hand column of a participant's editor; its first control is always the way forward (Train, or
    Continue once the run is done), so it sits in view on a 1366 x 768 screen."""
    finished = bool(view["finished"])
    done = dbc.Button("Continue to the questions", href=done_href or "#", color="success", id=ids.EDITOR_DONE,
                      class_name="w-100 mb-2", style={} if finished and done_href else {"display": "none"})
    return html.Div([
        html.Div(task_words(view), id=ids.EDITOR_TASK, className="small"),
        done,
        dbc.Button("Train", id=ids.EDITOR_TRAIN, color="primary", disabled=train_disabled,
                   class_name="w-100 mb-1", style={"display": "none"} if finished else {}),
        html.Div(rounds_left_text(view), id=ids.EDITOR_ROUNDS_LEFT, className="small text-muted mb-1"),
        dbc.Progress(id=ids.EDITOR_PROGRESS, value=0, max=1, label="", class_name="mb-2",
                     style={"height": "1.2rem"}),
        edit_toolbar(),
        html.Div(id=ids.EDITOR_MESSAGE, className="small text-muted mb-2", role="status"),
        html.Div(feedback, id=ids.EDITOR_FEEDBACK),
        html.Div([html.H6(FEEDBACK_TITLE, className="mb-1 mt-2"),
                  html.P("Share of examples the model recognises, per group, before and after the last round.",
                         className="small text-muted mb-1"),
                  html.Div(accuracy_change_table(change_rows) if change_rows else
                           html.P("It appears here after your first round.", className="small fst-italic"),
                           id=ids.EDITOR_ACCURACY_TABLE)],
                 className="hill-task-feedback"),
    ], className="hill-task-panel")
