"""The researcher's start page (`/researcher`): their studies, and the form that creates a new one."""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
import flask
from dash import ALL, Input, Output, State, callback, dcc, html

from hill_dash.app import auth, ids
from hill_dash.app.context import get_store
from hill_dash.app.views.invites import links_panel
from hill_dash.app.views.study_setup import (DEFAULT_INSTRUMENTS, SetupError, instrument_options, scenario_choices,
                                             study_arguments)
from hill_dash.core.teacher import DEFAULT_TEACHER, TEACHERS
from hill_dash.store import Researcher, Store, StoreError, Study

dash.register_page(__name__, path=auth.HOME_PATH, name="Researchers", order=5)


def study_href(study_id: int) -> str:
    """The overview page of a study."""
    return f"/researcher/study/{study_id}"


def studies_table(studies: list[Study]) -> Any:
    """Every study with a link to its overview."""
    if not studies:
        return html.P("No studies yet: create one below.", className="text-muted")
    rows = [html.Tr([html.Td(html.A(s.name, href=study_href(s.id))),
                     html.Td(", ".join(sc.scenario for sc in s.scenarios)),
                     html.Td(", ".join(s.instruments) or "none"), html.Td(s.n_participants),
                     html.Td(s.created_at.strftime("%Y-%m-%d"))]) for s in studies]
    head = html.Thead(html.Tr([html.Th(h) for h in ("Study", "Scenarios", "Questionnaires", "Invited", "Created")]))
    return dbc.Table([head, html.Tbody(rows)], size="sm", hover=True, className="hill-studies")


def _field(kind: str, name: Any) -> dict[str, Any]:
    return {"type": kind, "scenario": name}


def scenario_rows() -> html.Tbody:
    """One row per scenario: use it or not, an optional pretrained checkpoint, its interaction points and end."""
    rows = []
    for info, schedule in scenario_choices():
        note = " (needs data files)" if info.needs_files else ""
        rows.append(html.Tr([
            html.Td(dcc.Checklist(id=_field(ids.RESEARCHER_SCENARIO_USE, info.name),
                                  options=[{"label": f" {info.name}", "value": info.name}],
                                  value=[] if info.needs_files in (True, None) else [info.name])),
            html.Td(html.Small(info.description + note)),
            html.Td(dbc.Input(id=_field(ids.RESEARCHER_SCENARIO_CHECKPOINT, info.name), size="sm",
                              placeholder="shared pretrained checkpoint")),
            html.Td(dbc.Input(id=_field(ids.RESEARCHER_SCENARIO_EPOCHS, info.name), size="sm",
                              value=schedule.text())),
            html.Td(dbc.Input(id=_field(ids.RESEARCHER_SCENARIO_END, info.name), size="sm", type="number",
                              value=schedule.end_epoch, style={"maxWidth": "6rem"})),
        ]))
    return html.Tbody(rows)


def study_form() -> html.Div:
    """The new-study form with the paper's protocol as defaults."""
    head = html.Thead(html.Tr([html.Th(h) for h in ("Use", "Scenario", "Pretrained checkpoint (path, optional)",
                                                    "Interaction points", "End epoch")]))
    return html.Div([
        dbc.Label("Name", html_for=ids.RESEARCHER_NAME),
        dbc.Input(id=ids.RESEARCHER_NAME, class_name="mb-2"),
        dbc.Label("Description (for researchers)", html_for=ids.RESEARCHER_DESCRIPTION),
        dbc.Textarea(id=ids.RESEARCHER_DESCRIPTION, class_name="mb-2"),
        dbc.Label("Consent text (participants read it and tick “I agree”)", html_for=ids.RESEARCHER_CONSENT),
        dbc.Textarea(id=ids.RESEARCHER_CONSENT, class_name="mb-2", style={"minHeight": "8rem"}),
        html.P("Scenarios (participants meet them in counterbalanced orders)", className="fw-semibold mb-1"),
        dbc.Table([head, scenario_rows()], size="sm", className="hill-scenario-rows"),
        dbc.Row([
            dbc.Col([dbc.Label("α (human loss weight, 0-1)"),
                     dbc.Input(id=ids.RESEARCHER_ALPHA, type="number", value=0.5, min=0, max=1, step=0.05)]),
            dbc.Col([dbc.Label("λ (scale term weight)"),
                     dbc.Input(id=ids.RESEARCHER_LAMBDA, type="number", value=0.1, min=0, step=0.01)]),
            dbc.Col([dbc.Label("Participants to invite"),
                     dbc.Input(id=ids.RESEARCHER_PARTICIPANTS, type="number", value=8, min=0, step=1)]),
        ], class_name="mb-2"),
        dbc.Row([
            dbc.Col([dbc.Label("How edits become training (teacher)", html_for=ids.RESEARCHER_TEACHER),
                     dbc.Select(id=ids.RESEARCHER_TEACHER, value="follow", options=[
                         {"label": "follow: the model follows each moved class (default)", "value": "follow"},
                         {"label": "paper: the published loss, for replication", "value": "paper"}])]),
            dbc.Col([dbc.Label("Adaptive reliance"),
                     dbc.Checklist(id=ids.RESEARCHER_ADAPTIVE, switch=True, value=[], options=[
                         {"label": "halve α after a round that ends below the baseline band", "value": "on"}])]),
        ], class_name="mb-2"),
        dbc.Label("Questionnaires after each scenario (demographics are asked once, after consent)"),
        dcc.Checklist(id=ids.RESEARCHER_INSTRUMENTS, options=instrument_options(), value=list(DEFAULT_INSTRUMENTS),
                      inline=True, inputClassName="me-1", labelClassName="me-3", className="mb-3"),
        dbc.Button("Create the study", id=ids.RESEARCHER_CREATE, color="primary"),
        html.Div(id=ids.RESEARCHER_MESSAGE, className="mt-2"),
        html.Div(id=ids.RESEARCHER_INVITES),
    ], className="hill-study-form")


@auth.researcher_page(auth.HOME_PATH)
def layout(researcher: Researcher, **_query: str) -> html.Div:
    """Every study, then the new-study form (refused to visitors not logged in, by the decorator)."""
    return html.Div([
        html.H3("Studies"),
        html.Div(studies_table(get_store().studies_of(researcher.id)), id=ids.RESEARCHER_STUDIES),
        html.H4("New study", className="mt-4"),
        study_form(),
    ])


def create_from_form(store: Store, researcher: Researcher, base_url: str, form: dict[str, Any]) -> tuple[Any, Any]:
    """Create the study the form describes: (message, the participants' links shown once)."""
    form = dict(form)
    reliance = {"teacher": form.pop("teacher", None) or DEFAULT_TEACHER,
                "adaptive_alpha": bool(form.pop("adaptive_alpha", False))}
    try:
        if reliance["teacher"] not in TEACHERS:  # checked before anything is created
            raise SetupError(f"teacher {reliance['teacher']!r} is not known; choose one of {', '.join(TEACHERS)}")
        created = store.create_study(**study_arguments(**form, data_dir=store.files.data_dir),
                                     created_by=researcher.id)
        store.set_study_reliance(created.study.id, **reliance)
    except (SetupError, StoreError) as exc:
        return dbc.Alert(f"The study was not created: {exc}", color="danger"), None
    study = created.study
    message = dbc.Alert(["Study created. ", html.A("Open its overview", href=study_href(study.id))],
                        color="success")
    links = [(invite.participant.code, invite.token) for invite in created.invites]
    return message, links_panel(links, base_url, f"Links of the {len(links)} participants of {study.name}")


@callback(Output(ids.RESEARCHER_MESSAGE, "children"), Output(ids.RESEARCHER_INVITES, "children"),
          Output(ids.RESEARCHER_STUDIES, "children"),
          Output(ids.RESEARCHER_NAME, "value"), Output(ids.RESEARCHER_DESCRIPTION, "value"),
          Output(ids.RESEARCHER_CONSENT, "value"),
          Input(ids.RESEARCHER_CREATE, "n_clicks"),
          State(ids.RESEARCHER_NAME, "value"), State(ids.RESEARCHER_DESCRIPTION, "value"),
          State(ids.RESEARCHER_CONSENT, "value"), State(ids.RESEARCHER_ALPHA, "value"),
          State(ids.RESEARCHER_LAMBDA, "value"), State(ids.RESEARCHER_INSTRUMENTS, "value"),
          State(ids.RESEARCHER_PARTICIPANTS, "value"), State(ids.RESEARCHER_TEACHER, "value"),
          State(ids.RESEARCHER_ADAPTIVE, "value"),
          State(_field(ids.RESEARCHER_SCENARIO_USE, ALL), "id"),
          State(_field(ids.RESEARCHER_SCENARIO_USE, ALL), "value"),
          State(_field(ids.RESEARCHER_SCENARIO_CHECKPOINT, ALL), "value"),
          State(_field(ids.RESEARCHER_SCENARIO_EPOCHS, ALL), "value"),
          State(_field(ids.RESEARCHER_SCENARIO_END, ALL), "value"), prevent_initial_call=True)
def create_study(_clicks: int | None, name: str | None, description: str | None, consent: str | None, alpha: Any,
                 lam: Any, instruments: list[str] | None, n_participants: Any, teacher: Any, adaptive: Any,
                 use_ids: list[dict[str, str]],
                 uses: list[list[str]], checkpoints: list[str | None], epochs: list[str | None],
                 ends: list[Any]) -> tuple[Any, ...]:
    """Create a study (logged-in researchers only), show its participants' links once and clear the form's texts
    (a second click must not make the same study again)."""
    researcher = auth.require_researcher()
    rows = [{"scenario": i["scenario"], "use": bool(u), "checkpoint": c, "epochs": e, "end": d}
            for i, u, c, e, d in zip(use_ids, uses, checkpoints, epochs, ends)]
    store = get_store()
    message, invites = create_from_form(store, researcher, flask.request.host_url, {
        "name": name, "description": description, "consent_text": consent, "alpha": alpha, "lam": lam,
        "instruments": instruments, "n_participants": n_participants, "scenarios": rows,
        "teacher": teacher if isinstance(teacher, str) else None,
        "adaptive_alpha": isinstance(adaptive, list) and "on" in adaptive})
    if invites is None:
        return message, dash.no_update, dash.no_update, dash.no_update, dash.no_update, dash.no_update
    return message, invites, studies_table(store.studies_of(researcher.id)), "", "", ""
