"""One transcript for its researchers (`/researcher/transcript/<id>`): the audio with a lane of the session's edits
and training rounds under it (a click on an edit plays what was said then), the timed segments placed on the
participant's session clock, corrections kept as edits on top of Whisper's text, coding by selecting words (coded
spans highlighted in their code's colour, a memo per coding, the codebook as a tree), independent passes,
agreement between coders, and the coded quotes as a download."""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import ALL, MATCH, Input, Output, State, callback, clientside_callback, ctx, dcc, html
from dash.exceptions import PreventUpdate

from hill_dash.app import access, auth, ids
from hill_dash.app.audio_routes import audio_href
from hill_dash.app.context import get_store
from hill_dash.app.views.coding_study import (agreement_view, code_selection, ensure_codebook, quotes_frame,
                                              transcript_study)
from hill_dash.app.views.coding_text import code_colors, code_label, codebook_tree, codings_list, segment_text
from hill_dash.app.views.session_lane import lane_figure, segment_caption
from hill_dash.store import Researcher, Store, StoreError

PATH = "/researcher/transcript/<transcript_id>"

dash.register_page(__name__, path_template=PATH, name="Transcript", nav=False)


def _clock(seconds: float) -> str:
    return f"{int(seconds // 60)}:{seconds % 60:04.1f}"


def save_correction(store: Store, transcript_id: int, index: int, text: str | None, editor: str) -> str:
    """Store a corrected segment text as an edit (Whisper's text stays as it was); the line shown under it."""
    text = (text or "").strip()
    if text == store.transcript_segments(transcript_id)[index]["text"].strip():
        return ""
    store.add_transcript_edit(transcript_id, index, text, editor)
    return f"Saved as {editor}'s correction."


def coded_views(store: Store, transcript_id: int, viewer: str) -> tuple[list[Any], Any]:
    """Every segment's highlighted text and the codings list, as `viewer` may see them."""
    study_id = transcript_study(store, transcript_id)[0]
    codes = store.list_codes(study_id) if study_id is not None else []
    names, colors = {c.id: c.name for c in codes}, code_colors(codes)
    texts = [s["text"] for s in store.transcript_segments(transcript_id)]
    shown = store.visible_codings(transcript_id, viewer)
    hidden = len(store.list_codings(transcript_id=transcript_id)) - len(shown)
    segments = [segment_text(i, t, shown, texts, colors, names) for i, t in enumerate(texts)]
    return segments, codings_list(shown, texts, names, colors, viewer, hidden)


def segments_table(store: Store, transcript_id: int, viewer: str, aligned: list[dict[str, Any]]) -> Any:
    """Every segment: its number and time (click: play from there), its selectable coded text with its place on
    the session timeline, and a correction field."""
    machine = store.transcript_segments(transcript_id, edited=False)
    if not machine:
        return html.P("Whisper found no speech in this recording.", className="text-muted")
    texts, _ = coded_views(store, transcript_id, viewer)
    rows = []
    for i, (seg, original) in enumerate(zip(aligned, machine)):
        edited = seg["text"] != original["text"]
        rows.append(html.Tr([
            html.Td(str(i + 1), className="text-muted small"),
            html.Td(html.Button(f"{_clock(seg['start'])}–{_clock(seg['end'])}",
                                id={"type": ids.TRANSCRIPT_SEEK, "index": i}, type="button",
                                className="btn btn-link btn-sm p-0 text-nowrap")),
            html.Td([texts[i], html.Div(segment_caption(seg), className="small text-muted"),
                     html.Details([html.Summary("Correct", className="small"),
                                   dbc.Textarea(id={"type": ids.TRANSCRIPT_TEXT, "index": i}, value=seg["text"],
                                                debounce=True, rows=2, size="sm"),
                                   html.Div(f"Whisper: {original['text']}" if edited else "",
                                            className="small text-muted")]),
                     html.Div(id={"type": ids.TRANSCRIPT_SAVED, "index": i}, className="small text-success")]),
        ]))
    return dbc.Table(html.Tbody(rows), size="sm", className="hill-segments")


def coding_panel(options: list[dict[str, Any]], done: bool) -> html.Div:
    """The selected words, a code, a memo; apply as the logged-in coder; finish or reopen the pass."""
    return html.Div([
        html.H5("Code"),
        html.Div("Select words in a segment's text to code them.", id=ids.TRANSCRIPT_SELECTED,
                 className="small text-muted mb-1"),
        dbc.Select(id=ids.TRANSCRIPT_CODE, options=options, placeholder="Code", class_name="mb-1"),
        dbc.Textarea(id=ids.TRANSCRIPT_MEMO, placeholder="Memo for this coding (optional)", rows=2,
                     class_name="mb-1"),
        dbc.Button("Code the selection", id=ids.TRANSCRIPT_APPLY, color="primary", size="sm", class_name="me-2"),
        dbc.Button("Reopen my pass" if done else "My pass is done", id=ids.TRANSCRIPT_PASS, size="sm",
                   color="secondary", outline=True),
        html.Div(id=ids.TRANSCRIPT_CODE_MESSAGE, className="small mt-1"),
    ], className="hill-coding-panel")


def codebook_panel(codes: list[Any]) -> html.Div:
    """The codebook tree and a form to add a code under a theme or code."""
    parents = [{"label": c.name, "value": c.id} for c in codes]
    return html.Div([
        html.H5("Codebook", className="mt-3"),
        html.Div(codebook_tree(codes), id=ids.TRANSCRIPT_CODEBOOK),
        dbc.Input(id=ids.TRANSCRIPT_NEW_NAME, placeholder="New code", size="sm", class_name="mt-2 mb-1",
                  maxLength=200),
        dbc.Select(id=ids.TRANSCRIPT_NEW_PARENT, options=parents, placeholder="Top level (a theme)", size="sm",
                   class_name="mb-1"),
        dbc.Input(id=ids.TRANSCRIPT_NEW_DESCRIPTION, placeholder="What it means", size="sm", class_name="mb-1",
                  maxLength=2000),
        dbc.Row([dbc.Col(dbc.Input(id=ids.TRANSCRIPT_NEW_COLOR, type="color", value="#4363d8", size="sm"), width=3),
                 dbc.Col(dbc.Button("Add code", id=ids.TRANSCRIPT_NEW_ADD, size="sm", color="secondary"))],
                class_name="g-1"),
        html.Div(id=ids.TRANSCRIPT_NEW_MESSAGE, className="small mt-1"),
    ])


@auth.researcher_page(PATH)
def layout(researcher: Researcher, transcript_id: str | None = None, **_query: str) -> Any:
    """The transcript with its audio, session lane, corrections and coding (refused to visitors not logged in)."""
    store = get_store()
    try:
        transcript = store.get_transcript(access.researcher_transcript(transcript_id, store))
    except access.Refused:
        return dbc.Alert([f"There is no transcript {transcript_id!r}. ", html.A("See the recordings",
                                                                                 href="/researcher/recordings")],
                         color="warning")
    study_id, who = transcript_study(store, transcript.id)
    recording = store.get_recording(transcript.recording_id)
    codes = ensure_codebook(store, study_id) if study_id is not None else []
    names = {c.id: c.name for c in codes}
    options = [{"label": code_label(c, names), "value": c.id} for c in codes]
    aligned, events, start = store.transcript_timeline(transcript.id)
    done = researcher.name in {p.coder for p in store.list_passes(transcript_id=transcript.id)}
    _, codings = coded_views(store, transcript.id, researcher.name)
    problem = store.recording_problem(recording.id)
    return html.Div([
        dcc.Store(id=ids.TRANSCRIPT_ID, data=transcript.id),
        dcc.Store(id=ids.TRANSCRIPT_STARTS, data=[s["start"] for s in aligned]),
        dcc.Store(id=ids.TRANSCRIPT_SOUGHT), dcc.Store(id=ids.TRANSCRIPT_SELECTION),
        dcc.Download(id=ids.TRANSCRIPT_DOWNLOAD),
        html.H3(f"Transcript {transcript.id}: {who}, {recording.kind.replace('_', '-')}"),
        html.P(f"{transcript.backend} {transcript.model}, language {transcript.language or '?'} · "
               f"{transcript.created_at:%Y-%m-%d %H:%M}", className="small text-muted"),
        dbc.Alert(problem, color="warning") if problem else None,
        html.Audio(id=ids.TRANSCRIPT_AUDIO, src=audio_href(recording.id), controls=True, preload="metadata",
                   className="w-100 mb-1") if recording.path else None,
        dcc.Graph(id=ids.TRANSCRIPT_LANE, figure=lane_figure(aligned, events, start, recording.duration_s),
                  config={"displayModeBar": False}, className="mb-2"),
        dbc.Row([
            dbc.Col(segments_table(store, transcript.id, researcher.name, aligned), width=8),
            dbc.Col([coding_panel(options, done) if study_id is not None else
                     html.P("This recording belongs to no study, so it has no codebook.", className="small"),
                     html.Div(codings, id=ids.TRANSCRIPT_CODINGS, className="mt-2"),
                     codebook_panel(codes) if study_id is not None else None], width=4),
        ]),
        html.H5("Agreement between coders (whole study, finished passes)", className="mt-3"),
        html.Div(agreement_view(store, study_id) if study_id is not None else None, id=ids.TRANSCRIPT_AGREEMENT),
        html.Div([dbc.Select(id=ids.TRANSCRIPT_QUOTE_CODE, options=options, placeholder="All codes", size="sm",
                             style={"maxWidth": "20rem"}, class_name="d-inline-block me-2"),
                  dbc.Button("Download quotes (CSV)", id=ids.TRANSCRIPT_QUOTES, size="sm", color="secondary")],
                 className="mt-2") if study_id is not None else None,
    ])


clientside_callback(
    """function (clicks, lane, starts) {
        var dc = window.dash_clientside, hit = dc.callback_context.triggered_id;
        var audio = document.getElementById("%s"), at = null;
        if (!audio || !hit) { return dc.no_update; }
        if (hit === "%s") {
            var point = lane && lane.points && lane.points[0];
            if (!point || point.customdata === undefined) { return dc.no_update; }
            at = Number(point.customdata);
        } else if (starts && clicks.some(Boolean)) {
            at = starts[hit.index];
        }
        if (at === null || !isFinite(at)) { return dc.no_update; }
        audio.currentTime = at;
        audio.play().catch(function () { return null; });  // a browser may refuse to play before a user gesture
        return at;
    }""" % (ids.TRANSCRIPT_AUDIO, ids.TRANSCRIPT_LANE),
    Output(ids.TRANSCRIPT_SOUGHT, "data"), Input({"type": ids.TRANSCRIPT_SEEK, "index": ALL}, "n_clicks"),
    Input(ids.TRANSCRIPT_LANE, "clickData"), State(ids.TRANSCRIPT_STARTS, "data"), prevent_initial_call=True)


clientside_callback(
    """function (chosen) {
        if (!chosen || !chosen.text) { return window.dash_clientside.no_update; }
        return "Selected: \\u201c" + chosen.text + "\\u201d (segment " + (chosen.first + 1) +
            (chosen.last !== chosen.first ? "–" + (chosen.last + 1) : "") + ")";
    }""",
    Output(ids.TRANSCRIPT_SELECTED, "children"), Input(ids.TRANSCRIPT_SELECTION, "data"), prevent_initial_call=True)


@callback(Output({"type": ids.TRANSCRIPT_SAVED, "index": MATCH}, "children"),
          Output({"type": ids.TRANSCRIPT_SEGTEXT, "index": MATCH}, "children"),
          Input({"type": ids.TRANSCRIPT_TEXT, "index": MATCH}, "value"), State(ids.TRANSCRIPT_ID, "data"),
          prevent_initial_call=True)
def correct(text: str | None, transcript_id: int) -> tuple[str, Any]:
    """Store a corrected segment text as the logged-in researcher's edit; the coded text shows it at once, so a
    selection made next counts characters of the corrected text."""
    researcher = auth.require_researcher()
    store = get_store()
    transcript_id = access.researcher_transcript(transcript_id, store)
    index = ctx.triggered_id.get("index") if isinstance(ctx.triggered_id, dict) else None
    if type(index) is not int or not 0 <= index < len(store.transcript_segments(transcript_id)):
        raise PreventUpdate
    message = save_correction(store, transcript_id, index, (text or "")[:5000], researcher.name)
    texts, _ = coded_views(store, transcript_id, researcher.name)
    return message, texts[index].children


@callback(Output(ids.TRANSCRIPT_CODE_MESSAGE, "children"), Output(ids.TRANSCRIPT_CODINGS, "children"),
          Output({"type": ids.TRANSCRIPT_SEGTEXT, "index": ALL}, "children"),
          Output(ids.TRANSCRIPT_AGREEMENT, "children"), Output(ids.TRANSCRIPT_PASS, "children"),
          Input(ids.TRANSCRIPT_APPLY, "n_clicks"), Input({"type": ids.TRANSCRIPT_UNCODE, "coding": ALL}, "n_clicks"),
          Input(ids.TRANSCRIPT_PASS, "n_clicks"),
          State(ids.TRANSCRIPT_ID, "data"), State(ids.TRANSCRIPT_CODE, "value"),
          State(ids.TRANSCRIPT_SELECTION, "data"), State(ids.TRANSCRIPT_MEMO, "value"), prevent_initial_call=True)
def code(_apply: int | None, _removes: list[int | None], _pass: int | None, transcript_id: int, code_id: Any,
         selection: Any, memo: str | None) -> tuple[Any, ...]:
    """Code the selection, take back one of the coder's own codings, or finish/reopen their pass; then redraw."""
    researcher = auth.require_researcher()
    if not (ctx.triggered and ctx.triggered[0].get("value")):
        raise PreventUpdate  # the codings list redrawn with unclicked buttons
    store = get_store()
    transcript_id = access.researcher_transcript(transcript_id, store)
    study_id = transcript_study(store, transcript_id)[0]
    if study_id is None:
        raise PreventUpdate
    done = researcher.name in {p.coder for p in store.list_passes(transcript_id=transcript_id)}
    if isinstance(ctx.triggered_id, dict):
        coding_id = access.parse_id(ctx.triggered_id.get("coding"), "coding")
        mine = {c.id for c in store.list_codings(transcript_id=transcript_id, coder=researcher.name)}
        if coding_id not in mine:
            raise PreventUpdate
        store.delete_coding(coding_id)
        message = "Coding removed."
    elif ctx.triggered_id == ids.TRANSCRIPT_PASS:
        if done:
            store.reopen_pass(transcript_id, researcher.name)
            message = "Your pass is open again; other coders' codings are hidden until you finish it."
        else:
            store.finish_pass(transcript_id, researcher.name)
            message = "Your pass is done; you now see the codings of every coder who finished too."
        done = not done
    else:
        message = code_selection(store, transcript_id, code_id, selection, memo, researcher.name)
    texts, codings = coded_views(store, transcript_id, researcher.name)
    return (message, codings, [t.children for t in texts], agreement_view(store, study_id),
            "Reopen my pass" if done else "My pass is done")


@callback(Output(ids.TRANSCRIPT_NEW_MESSAGE, "children"), Output(ids.TRANSCRIPT_CODEBOOK, "children"),
          Output(ids.TRANSCRIPT_CODE, "options"), Output(ids.TRANSCRIPT_NEW_PARENT, "options"),
          Input(ids.TRANSCRIPT_NEW_ADD, "n_clicks"), State(ids.TRANSCRIPT_ID, "data"),
          State(ids.TRANSCRIPT_NEW_NAME, "value"), State(ids.TRANSCRIPT_NEW_PARENT, "value"),
          State(ids.TRANSCRIPT_NEW_DESCRIPTION, "value"), State(ids.TRANSCRIPT_NEW_COLOR, "value"),
          prevent_initial_call=True)
def add_code(clicks: int | None, transcript_id: int, name: str | None, parent: Any, description: str | None,
             color: str | None) -> tuple[Any, ...]:
    """Add a code to the study's codebook (under a theme or code when one is chosen)."""
    auth.require_researcher()
    store = get_store()
    study_id = transcript_study(store, access.researcher_transcript(transcript_id, store))[0]
    if not clicks or study_id is None:
        raise PreventUpdate
    codes = store.list_codes(study_id)
    parent_id = None
    if parent not in (None, ""):
        parent_id = access.parse_id(parent, "code")
        if parent_id not in {c.id for c in codes}:
            raise PreventUpdate
    try:
        added = store.add_code(study_id, (name or "")[:200], (description or "")[:2000], parent_id=parent_id,
                               theme=parent_id is None, color=color)
        message = f"Added {added.name}."
    except StoreError as exc:
        message = f"Not added: {exc}"
    codes = store.list_codes(study_id)
    names = {c.id: c.name for c in codes}
    return (message, codebook_tree(codes), [{"label": code_label(c, names), "value": c.id} for c in codes],
            [{"label": c.name, "value": c.id} for c in codes])


@callback(Output(ids.TRANSCRIPT_DOWNLOAD, "data"), Input(ids.TRANSCRIPT_QUOTES, "n_clicks"),
          State(ids.TRANSCRIPT_ID, "data"), State(ids.TRANSCRIPT_QUOTE_CODE, "value"), prevent_initial_call=True)
def download_quotes(clicks: int | None, transcript_id: int, code_id: Any) -> dict[str, Any]:
    """The coded quotes the researcher may see as CSV: participant, time, code, coder, words, memo."""
    researcher = auth.require_researcher()
    store = get_store()
    study_id = transcript_study(store, access.researcher_transcript(transcript_id, store))[0]
    if not clicks or study_id is None:
        raise PreventUpdate
    frame = quotes_frame(store, study_id, researcher.name, code_id)
    return dcc.send_string(frame.to_csv(index=False), f"quotes-study-{study_id}.csv")
