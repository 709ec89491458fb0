"""One study's overview for its researchers (`/researcher/study/<id>`): who is where, what has come in, and the
participant actions (new link, mark dropped, add one). Also the study's CSV exports, behind the same login."""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
import flask
from dash import ALL, Input, Output, State, callback, ctx, dcc, html

from hill_dash.app import access, auth, ids
from hill_dash.app.context import get_store
from hill_dash.app.views.invites import links_panel
from hill_dash.app.views.study_exports import EXPORTS, export_href, overview_rows
from hill_dash.store import NotFound, Researcher, Store, Study

PATH = "/researcher/study/<study_id>"
REFRESH_MS = 15_000

dash.register_page(__name__, path_template=PATH, name="Study", nav=False)


def _actions(row: dict[str, Any]) -> list[Any]:
    if row["status"] == "dropped":
        return []
    buttons = [dbc.Button("Reset link", id={"type": ids.STUDY_RESET, "participant": row["id"]}, size="sm",
                          color="secondary", outline=True, class_name="me-1")]
    if row["status"] != "finished":
        buttons.append(dbc.Button("Mark dropped", id={"type": ids.STUDY_DROP, "participant": row["id"]}, size="sm",
                                  color="danger", outline=True))
    return buttons


def participants_table(rows: list[dict[str, Any]]) -> Any:
    """Who is where: one row per participant with their actions."""
    if not rows:
        return html.P("No participants yet: add one.", className="text-muted")
    columns = ("participant", "status", "step", "order", "answers", "runs_finished")
    head = html.Thead(html.Tr([html.Th(h) for h in ("Participant", "Status", "Where", "Scenario order", "Answers",
                                                    "Runs finished", "")]))
    body = html.Tbody([html.Tr([*(html.Td(f"{r[c]} of {r['runs']}" if c == "runs_finished" else r[c])
                                  for c in columns), html.Td(_actions(r))],
                               className=f"hill-participant-{r['status']}") for r in rows])
    return dbc.Table([head, body], size="sm", hover=True, className="hill-overview")


def status_counts(store: Store, study_id: int) -> html.Div:
    """How many participants are in each status, and what has come in."""
    overview = store.study_overview(study_id)
    badges = [dbc.Badge(f"{status}: {count}", color="light", text_color="dark", class_name="me-1")
              for status, count in overview["status_counts"].items()]
    return html.Div([*badges, html.Span(f" · {overview['answers']} answers, {overview['runs_finished']} of "
                                        f"{overview['runs']} runs finished", className="small")])


def study_summary(study: Study) -> html.Div:
    """The study as it was set up: scenarios with their schedules, questionnaires, α and λ."""
    scenarios = [html.Li(f"{s.scenario}: interaction points {', '.join(map(str, s.interaction_epochs))}, end "
                         f"{s.end_epoch}, checkpoint {s.pretrained_checkpoint or 'shared pretrained'}")
                 for s in study.scenarios]
    return html.Div([
        html.P(study.description) if study.description else None,
        html.Ul(scenarios, className="small"),
        html.P(f"Questionnaires after each scenario: {', '.join(study.instruments) or 'none'} · α = {study.alpha:g},"
               f" λ = {study.lam:g}", className="small"),
    ])


@auth.researcher_page(PATH)
def layout(researcher: Researcher, study_id: str | None = None, **_query: str) -> Any:
    """The overview of one study (refused to visitors not logged in, by the decorator)."""
    store = get_store()
    try:
        study = access.study_for(access.Actor(researcher=researcher), study_id, store)
    except access.Refused:
        return dbc.Alert([f"There is no study {study_id!r}. ", html.A("See all studies", href=auth.HOME_PATH)],
                         color="warning")
    return html.Div([
        dcc.Store(id=ids.STUDY_ID, data=study.id),
        dcc.Interval(id=ids.STUDY_TICK, interval=REFRESH_MS),
        html.H3(study.name), study_summary(study),
        html.Div(status_counts(store, study.id), id=ids.STUDY_COUNTS, className="mb-2"),
        html.Div([dbc.Button("Add a participant", id=ids.STUDY_ADD, color="primary", size="sm", class_name="me-3"),
                  *[html.A(f"Download {kind} (CSV)", href=export_href(study.id, kind), className="me-3 small")
                    for kind in EXPORTS]], className="mb-2"),
        html.Div(id=ids.STUDY_LINKS),
        html.Div(participants_table(overview_rows(store, study.id)), id=ids.STUDY_TABLE),
    ])


def act(store: Store, study_id: int, trigger: Any, base_url: str) -> Any:
    """Carry out one participant action; returns the links to show once (or None)."""
    if trigger == ids.STUDY_ADD:
        invite = store.add_participant(study_id)
        return links_panel([(invite.participant.code, invite.token)], base_url, "New participant")
    if not isinstance(trigger, dict):
        return None
    try:
        participant = store.get_participant(access.parse_id(trigger.get("participant"), "participant"))
    except (access.Refused, NotFound):
        return None
    if participant.study_id != study_id:
        return None
    if trigger["type"] == ids.STUDY_RESET:
        token = store.reset_token(participant.id)
        return links_panel([(participant.code, token)], base_url, f"New link for {participant.code} (the old "
                                                                  "one no longer works)")
    if trigger["type"] == ids.STUDY_DROP:
        store.set_status(participant.id, "dropped")
    return None


@callback(Output(ids.STUDY_TABLE, "children"), Output(ids.STUDY_COUNTS, "children"),
          Output(ids.STUDY_LINKS, "children"),
          Input(ids.STUDY_TICK, "n_intervals"), Input(ids.STUDY_ADD, "n_clicks"),
          Input({"type": ids.STUDY_RESET, "participant": ALL}, "n_clicks"),
          Input({"type": ids.STUDY_DROP, "participant": ALL}, "n_clicks"),
          State(ids.STUDY_ID, "data"), prevent_initial_call=True)
def update_overview(_tick: Any, _add: Any, _resets: Any, _drops: Any, study_id: int) -> tuple[Any, Any, Any]:
    """Refresh the overview (every few seconds) and carry out a clicked action (logged-in researchers only, on
    their own studies)."""
    store = get_store()
    study_id = access.researcher_study(study_id, store).id
    clicked = bool(ctx.triggered and ctx.triggered[0].get("value"))  # rows redrawn with 0 clicks are no click
    links = dash.no_update
    if clicked and ctx.triggered_id != ids.STUDY_TICK:
        links = act(store, int(study_id), ctx.triggered_id, flask.request.host_url) or dash.no_update
    return participants_table(overview_rows(store, study_id)), status_counts(store, study_id), links
