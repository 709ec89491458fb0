"""A participant's pages (`/p/<token>`): consent, demographics, each scenario's latent editor and questionnaires,
then a closing page. The link is the only credential and every page shows only that participant's own data.

The step logic lives in `views.flow`; this module draws each step and wires the callbacks that save answers as
they are given, move on with "Next", and prepare a scenario's run in the background the first time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import dash
import dash_bootstrap_components as dbc
import questionnaires
from dash import ALL, MATCH, Input, Output, State, callback, ctx, dcc, html
from dash.exceptions import PreventUpdate

from hill_dash.app import ids
from hill_dash.app.context import get_store
from hill_dash.app.components.task_panel import pretraining_progress
from hill_dash.app.views import flow
from hill_dash.app.views.editor import editor_view
from hill_dash.app.views.questionnaire import control_id, instrument_form, shown_answers
from hill_dash.app.views.recorder import recorder_widget
from hill_dash.store import Participant, Store

dash.register_page(__name__, path_template="/p/<token>", name="Participant", nav=False)

AGREE = "agree"


def scenario_href(token: str, index: int) -> str:
    """Where the editor's "Continue to the questionnaires" leads once scenario `index` has trained to its end."""
    return f"/p/{token}?finished={index}"


def _notice(text: str) -> dbc.Alert:
    return dbc.Alert(text, color="warning", className="hill-participant-notice")


def _next_button(label: str = "Next") -> dbc.Button:
    return dbc.Button(label, id=ids.PARTICIPANT_NEXT, color="primary", class_name="mt-2")


def _consent_page(store: Store, participant: Participant) -> html.Div:
    study = store.get_study(participant.study_id)
    paragraphs = [html.P(part.strip(), style={"whiteSpace": "pre-line"})
                  for part in study.consent_text.split("\n\n") if part.strip()]
    return html.Div([
        html.H3("Before we start"), *paragraphs,
        dcc.Checklist(id={"type": ids.PARTICIPANT_AGREE, "step": flow.CONSENT},
                      options=[{"label": " I agree to take part", "value": AGREE}], value=[]),
        _next_button("Continue"),
    ], className="hill-consent")


def _form_page(store: Store, participant: Participant, step: dict[str, Any]) -> html.Div:
    instrument = questionnaires.load(step["instrument"])
    heading = None
    if step["page"] == flow.QUESTIONNAIRE:
        study = store.get_study(participant.study_id)
        heading = html.P(f"Task {step['index'] + 1} of {len(study.scenarios)} · questionnaire {step['form'] + 1} of "
                         f"{len(study.instruments)}", className="text-muted small")
    return html.Div([heading, instrument_form(instrument, flow.form_values(store, participant.id, step)),
                     _next_button()], className="hill-form-page")


def _preparing_panel(token: str, step: dict[str, Any]) -> html.Div:
    """Shown until the scenario's run is ready; its store starts the background job that prepares it."""
    return html.Div([
        dbc.Spinner(color="primary", size="sm", spinner_class_name="me-2"),
        html.Span("Preparing the model for this task; this can take a minute…"),
        dbc.Progress(id=ids.PARTICIPANT_PROGRESS, value=0, max=1, label="getting the data ready…", striped=True,
                     animated=True, class_name="mt-2", style={"height": "1.4rem", "maxWidth": "40rem"}),
        html.Div(id=ids.PARTICIPANT_PREPARE_ERROR, className="text-danger mt-2"),
        dcc.Store(id=ids.PARTICIPANT_PREPARE, data={"token": token, "step": step}),
    ], className="hill-preparing")


def _scenario_page(store: Store, participant: Participant, token: str, step: dict[str, Any]) -> html.Div:
    study = store.get_study(participant.study_id)
    heading = html.H4(f"Task {step['index'] + 1} of {len(study.scenarios)}")
    run_id = flow.ready_run(store, participant.id, step["study_scenario_id"])
    if run_id is None:
        return html.Div([heading, _preparing_panel(token, step)])
    return html.Div([heading, recorder_widget(token, step["study_scenario_id"]),
                     editor_view(run_id, participant_token=token, done_href=scenario_href(token, step["index"]))])


def render_step(store: Store, participant: Participant, token: str, step: dict[str, Any]) -> Any:
    """The page of one step."""
    page = step.get("page")
    if page == flow.CONSENT:
        return _consent_page(store, participant)
    if page in (flow.DEMOGRAPHICS, flow.QUESTIONNAIRE):
        return _form_page(store, participant, step)
    if page == flow.SCENARIO:
        return _scenario_page(store, participant, token, step)
    return html.Div([html.H3("Thank you!"), html.P("You have finished the study. You can close this page now.")],
                    className="hill-done")


def layout(token: str | None = None, **query: str) -> html.Div:
    """The step the link's participant is on; `?finished=<i>` (the editor's way out) first leaves scenario i."""
    store = get_store()
    try:
        participant = flow.require(store, token)
    except flow.FlowError as exc:
        return html.Div(_notice(str(exc)), className="hill-participant")
    finished = query.get("finished")
    if finished is not None and finished.isdigit():
        flow.finish_scenario(store, token, int(finished))
    step = flow.current_step(store, participant)
    return html.Div([
        dcc.Store(id=ids.PARTICIPANT_TOKEN, data=token),
        dcc.Store(id=ids.PARTICIPANT_STEP, data=step),
        dcc.Location(id=ids.PARTICIPANT_LOCATION, refresh=True),
        html.Div(render_step(store, participant, token, step), id=ids.PARTICIPANT_CONTENT),
        html.Div(id=ids.PARTICIPANT_MESSAGE, className="text-danger mt-2"),
    ], className="hill-participant")


def _messages(messages: list[str]) -> Any:
    return html.Ul([html.Li(m) for m in messages], className="hill-problems") if messages else ""


@callback(Output(ids.PARTICIPANT_CONTENT, "children"), Output(ids.PARTICIPANT_STEP, "data"),
          Output(ids.PARTICIPANT_MESSAGE, "children"),
          Input(ids.PARTICIPANT_NEXT, "n_clicks"), State(ids.PARTICIPANT_TOKEN, "data"),
          State(ids.PARTICIPANT_STEP, "data"), State({"type": ids.PARTICIPANT_AGREE, "step": ALL}, "value"),
          State(control_id(ids.Q_ITEM, ALL, ALL), "id"), State(control_id(ids.Q_ITEM, ALL, ALL), "value"),
          State(control_id(ids.Q_OTHER, ALL, ALL), "id"), State(control_id(ids.Q_OTHER, ALL, ALL), "value"),
          prevent_initial_call=True)
def go_next(clicks: int | None, token: str, shown: dict[str, Any], agreed: list[list[str] | None],
            item_ids: list[dict[str, str]], item_values: list[Any], other_ids: list[dict[str, str]],
            other_values: list[Any]) -> tuple:
    """Consent or submit the questionnaire shown; stay with the reasons, or draw the next step."""
    if not clicks:
        raise PreventUpdate
    store = get_store()
    try:
        if shown.get("page") == flow.CONSENT:
            step, messages = flow.give_consent(store, token, shown, any(AGREE in (v or []) for v in agreed))
        else:
            answers = shown_answers(item_ids, item_values, other_ids, other_values).get(shown.get("instrument"))
            step, messages = flow.submit_form(store, token, shown, answers)
        if flow.same_step(step, shown):
            return dash.no_update, dash.no_update, _messages(messages)
        participant = flow.require(store, token)
    except flow.FlowError as exc:
        return _notice(str(exc)), {}, ""
    return render_step(store, participant, token, step), step, _messages(messages)


def _status(save: Callable[[], str]) -> str:
    try:
        return save()
    except flow.FlowError as exc:
        return f"Not saved: {exc}"


@callback(Output(control_id(ids.Q_STATUS, MATCH, MATCH), "children"),  # type: ignore[arg-type]
          Input(control_id(ids.Q_ITEM, MATCH, MATCH), "value"),  # type: ignore[arg-type]
          State(ids.PARTICIPANT_TOKEN, "data"), State(ids.PARTICIPANT_STEP, "data"), prevent_initial_call=True)
def save_item(value: Any, token: str, shown: dict[str, Any]) -> str:
    """Save a question's answer (radio, slider, number, text, or a pairwise choice) the moment it changes."""
    item = ctx.triggered_id
    return _status(lambda: flow.save_item(get_store(), token, item["instrument"], item["item"], value, shown))


@callback(Output(control_id(ids.Q_OTHER_STATUS, MATCH, MATCH), "children"),  # type: ignore[arg-type]
          Input(control_id(ids.Q_OTHER, MATCH, MATCH), "value"),  # type: ignore[arg-type]
          State(ids.PARTICIPANT_TOKEN, "data"), State(ids.PARTICIPANT_STEP, "data"), prevent_initial_call=True)
def save_other(text: str | None, token: str, shown: dict[str, Any]) -> str:
    """Save a self-described answer typed into a choice question's box."""
    item = ctx.triggered_id
    return _status(lambda: flow.save_other(get_store(), token, item["instrument"], item["item"], text, shown))


@callback(Output(ids.PARTICIPANT_LOCATION, "href"), Output(ids.PARTICIPANT_PREPARE_ERROR, "children"),
          Input(ids.PARTICIPANT_PREPARE, "data"), background=True,
          progress=[Output(ids.PARTICIPANT_PROGRESS, "value"), Output(ids.PARTICIPANT_PROGRESS, "max"),
                    Output(ids.PARTICIPANT_PROGRESS, "label")])
def prepare_run(set_progress: Any, request: dict[str, Any] | None) -> tuple[Any, str]:
    """Create the participant's run of this scenario (pretraining the shared checkpoint first if there is none
    yet), then reload the page, which now shows the editor."""
    if not request:
        raise PreventUpdate
    token, step = request["token"], request["step"]

    def report(p: dict[str, Any]) -> None:
        set_progress(pretraining_progress(p))

    try:
        flow.ensure_run(get_store(), token, step, progress=report)
    except flow.FlowError as exc:
        return dash.no_update, str(exc)
    except Exception as exc:  # shown instead of a spinner that never ends; the researcher can act on it
        return dash.no_update, f"The model for this task could not be prepared ({exc}). Please tell the researcher."
    return f"/p/{token}?ready={step['index']}", ""
