"""One transcript for its researchers (`/researcher/transcript/<id>`): the timed segments next to the audio
(a click on a time plays from there), corrections kept as edits on top of Whisper's text, coding with the study's
codebook as the logged-in coder, agreement between coders, and the coded quotes as a download."""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import ALL, MATCH, Input, Output, State, callback, clientside_callback, ctx, dcc, html
from dash.exceptions import PreventUpdate

import transcripts
from hill_dash.app import auth, ids
from hill_dash.app.audio_routes import audio_href
from hill_dash.app.context import get_store
from hill_dash.store import Code, NotFound, Researcher, Store, StoreError

PATH = "/researcher/transcript/<transcript_id>"

dash.register_page(__name__, path_template=PATH, name="Transcript", nav=False)


def _clock(seconds: float) -> str:
    return f"{int(seconds // 60)}:{seconds % 60:04.1f}"


def transcript_study(store: Store, transcript_id: int) -> tuple[int | None, str]:
    """The study a transcript belongs to (None for audio of no participant) and the participant's code."""
    recording = store.get_recording(store.get_transcript(transcript_id).recording_id)
    if recording.participant_id is None:
        return None, f"recording {recording.id}"
    participant = store.get_participant(recording.participant_id)
    return participant.study_id, participant.code


def ensure_codebook(store: Store, study_id: int) -> list[Code]:
    """The study's codebook, seeded with the paper's themes and codes (section 4.2.3) the first time it is used."""
    codes = store.list_codes(study_id)
    if codes:
        return codes
    added: dict[str, int] = {}
    try:
        for code, parent in transcripts.paper_codebook().walk():
            added[code.id] = store.add_code(study_id, code.name, code.description, theme=parent is None,
                                            parent_id=added[parent] if parent else None).id
    except StoreError:  # another researcher's first visit seeded it at the same moment
        pass
    return store.list_codes(study_id)


def code_options(codes: list[Code]) -> list[dict[str, Any]]:
    """Select options naming each code with the theme above it."""
    names = {c.id: c.name for c in codes}
    return [{"label": f"{names[c.parent_id]} › {c.name}" if c.parent_id in names else c.name, "value": c.id}
            for c in codes]


def save_correction(store: Store, transcript_id: int, index: int, text: str | None, editor: str) -> str:
    """Store a corrected segment text as an edit (Whisper's text stays as it was); the line shown under it."""
    text = (text or "").strip()
    if text == store.transcript_segments(transcript_id)[index]["text"].strip():
        return ""
    store.add_transcript_edit(transcript_id, index, text, editor)
    return f"Saved as {editor}'s correction."


def apply_code(store: Store, transcript_id: int, code_id: Any, first: Any, last: Any, memo: str | None,
               coder: str) -> str:
    """Code segments first..last (numbered from 1, as the page shows them); the outcome in words."""
    if code_id in (None, ""):
        return "Choose a code first."
    try:
        start = int(first)
        end = int(last) if last not in (None, "") else start
    except (TypeError, ValueError):
        return "Give the first (and optionally the last) segment number, as shown next to each segment."
    try:
        store.add_coding(transcript_id, start - 1, end - 1, int(code_id), coder, memo=(memo or "").strip())
    except StoreError as exc:
        count = len(store.transcript_segments(transcript_id))
        return f"Not coded: segments {start}–{end} do not fit (this transcript has 1–{count})." \
            if "do not fit" in str(exc) else f"Not coded: {exc}"
    return f"Coded segments {start}–{end} as {coder}."


def study_coding(store: Store, study_id: int) -> tuple[list[transcripts.CodedSpan], dict[str, transcripts.Transcript]]:
    """A study's codings as spans (code names as codes) and the corrected transcripts they refer to."""
    names = {c.id: c.name for c in store.list_codes(study_id)}
    codings = store.list_codings(study=study_id)
    texts: dict[str, transcripts.Transcript] = {}
    for transcript_id in sorted({c.transcript_id for c in codings}):
        stored = store.get_transcript(transcript_id)
        segments = tuple(transcripts.Segment(float(s["start"]), float(s["end"]), str(s["text"]))
                         for s in store.transcript_segments(transcript_id))
        texts[str(transcript_id)] = transcripts.Transcript(
            segments=segments, language=stored.language, duration=segments[-1].end if segments else 0.0,
            backend=stored.backend, model=stored.model, id=str(transcript_id),
            meta={"participant": transcript_study(store, transcript_id)[1]})
    spans = [transcripts.CodedSpan(str(c.transcript_id), names[c.code_id], c.coder, segments=(c.start_index,
                                                                                                c.end_index),
                                   memo=c.memo) for c in codings]
    return spans, texts


def agreement_view(store: Store, study_id: int) -> Any:
    """Cohen's (two coders) or Fleiss' (more) kappa on the transcripts every coder coded, per code and overall."""
    spans, texts = study_coding(store, study_id)
    try:
        report = transcripts.agreement(spans, texts)
    except transcripts.CodingError as exc:
        return html.P(f"No agreement yet: {exc}.", className="text-muted small")
    frame = report.to_frame().reset_index().round({"kappa": 3, "observed": 3})
    frame["kappa"] = frame["kappa"].map(lambda k: "undefined" if k != k else k)  # NaN: nobody used the code
    return html.Div([html.P(f"Coders {', '.join(report.coders)} on {report.n_units} segments they all coded.",
                            className="small mb-1"),
                     dbc.Table.from_dataframe(frame, size="sm", className="hill-agreement")])


def quotes_text(store: Store, study_id: int, code_id: Any = None) -> str:
    """The study's coded quotes in the paper's form (“…” (P13)), under each code's name; one code when given."""
    spans, texts = study_coding(store, study_id)
    chosen = [c for c in store.list_codes(study_id) if code_id in (None, "") or c.id == int(code_id)]
    parts = []
    for code in chosen:
        lines = list(dict.fromkeys(transcripts.quotes(spans, texts, code=code.name)))  # two coders, one quote
        if lines:
            parts.append("\n".join([code.name, *lines]))
    return "\n\n".join(parts) + "\n" if parts else "No coded quotes yet.\n"


def codings_view(store: Store, transcript_id: int, coder: str) -> Any:
    """The codings of this transcript; the logged-in coder can take back their own."""
    study_id = transcript_study(store, transcript_id)[0]
    names = {c.id: c.name for c in store.list_codes(study_id)} if study_id is not None else {}
    codings = store.list_codings(transcript_id=transcript_id)
    if not codings:
        return html.P("Nothing coded yet.", className="text-muted small")
    rows = [html.Tr([html.Td(c.coder), html.Td(names.get(c.code_id, c.code_id)),
                     html.Td(f"{c.start_index + 1}–{c.end_index + 1}"), html.Td(c.memo, className="small"),
                     html.Td(dbc.Button("Remove", id={"type": ids.TRANSCRIPT_UNCODE, "coding": c.id}, size="sm",
                                        color="link", class_name="p-0") if c.coder == coder else "")])
            for c in codings]
    head = html.Thead(html.Tr([html.Th(h) for h in ("Coder", "Code", "Segments", "Memo", "")]))
    return dbc.Table([head, html.Tbody(rows)], size="sm", className="hill-codings")


def segments_table(store: Store, transcript_id: int) -> Any:
    """Every segment: its number, its time (click: play from there) and its text, editable."""
    machine = store.transcript_segments(transcript_id, edited=False)
    if not machine:
        return html.P("Whisper found no speech in this recording.", className="text-muted")
    rows = []
    for i, (seg, original) in enumerate(zip(store.transcript_segments(transcript_id), machine)):
        edited = seg["text"] != original["text"]
        rows.append(html.Tr([
            html.Td(str(i + 1), className="text-muted small"),
            html.Td(html.Button(f"{_clock(seg['start'])}–{_clock(seg['end'])}", id={"type": ids.TRANSCRIPT_SEEK,
                                                                                    "index": i},
                                type="button", className="btn btn-link btn-sm p-0 text-nowrap")),
            html.Td([dbc.Textarea(id={"type": ids.TRANSCRIPT_TEXT, "index": i}, value=seg["text"], debounce=True,
                                  rows=2, size="sm"),
                     html.Div(f"Whisper: {original['text']}" if edited else "", className="small text-muted"),
                     html.Div(id={"type": ids.TRANSCRIPT_SAVED, "index": i}, className="small text-success")]),
        ]))
    return dbc.Table(html.Tbody(rows), size="sm", className="hill-segments")


def coding_panel(options: list[dict[str, Any]]) -> html.Div:
    """Pick a code, the segments and a memo; apply as the logged-in coder."""
    return html.Div([
        html.H5("Code"),
        dbc.Select(id=ids.TRANSCRIPT_CODE, options=options, placeholder="Code", class_name="mb-1"),
        dbc.Row([dbc.Col(dbc.Input(id=ids.TRANSCRIPT_FIRST, type="number", min=1, placeholder="from segment")),
                 dbc.Col(dbc.Input(id=ids.TRANSCRIPT_LAST, type="number", min=1, placeholder="to segment"))],
                class_name="mb-1 g-1"),
        dbc.Textarea(id=ids.TRANSCRIPT_MEMO, placeholder="Memo (optional)", rows=2, class_name="mb-1"),
        dbc.Button("Apply code", id=ids.TRANSCRIPT_APPLY, color="primary", size="sm"),
        html.Div(id=ids.TRANSCRIPT_CODE_MESSAGE, className="small mt-1"),
    ], className="hill-coding-panel")


@auth.researcher_page(PATH)
def layout(researcher: Researcher, transcript_id: str | None = None, **_query: str) -> Any:
    """The transcript with its audio, corrections and coding (refused to visitors not logged in)."""
    store = get_store()
    try:
        transcript = store.get_transcript(int(transcript_id or ""))
    except (ValueError, NotFound):
        return dbc.Alert([f"There is no transcript {transcript_id!r}. ", html.A("See the recordings",
                                                                                 href="/researcher/recordings")],
                         color="warning")
    study_id, who = transcript_study(store, transcript.id)
    recording = store.get_recording(transcript.recording_id)
    options = code_options(ensure_codebook(store, study_id)) if study_id is not None else []
    starts = [float(s["start"]) for s in store.transcript_segments(transcript.id)]
    return html.Div([
        dcc.Store(id=ids.TRANSCRIPT_ID, data=transcript.id), dcc.Store(id=ids.TRANSCRIPT_STARTS, data=starts),
        dcc.Store(id=ids.TRANSCRIPT_SOUGHT), dcc.Download(id=ids.TRANSCRIPT_DOWNLOAD),
        html.H3(f"Transcript {transcript.id}: {who}, {recording.kind.replace('_', '-')}"),
        html.P(f"{transcript.backend} {transcript.model}, language {transcript.language or '?'} · "
               f"{transcript.created_at:%Y-%m-%d %H:%M}", className="small text-muted"),
        html.Audio(id=ids.TRANSCRIPT_AUDIO, src=audio_href(recording.id), controls=True, preload="metadata",
                   className="w-100 mb-2") if recording.path else None,
        dbc.Row([
            dbc.Col(segments_table(store, transcript.id), width=8),
            dbc.Col([coding_panel(options) if study_id is not None else
                     html.P("This recording belongs to no study, so it has no codebook.", className="small"),
                     html.Div(codings_view(store, transcript.id, researcher.name), id=ids.TRANSCRIPT_CODINGS,
                              className="mt-2")], width=4),
        ]),
        html.H5("Agreement between coders (whole study)", className="mt-3"),
        html.Div(agreement_view(store, study_id) if study_id is not None else None, id=ids.TRANSCRIPT_AGREEMENT),
        html.Div([dbc.Select(id=ids.TRANSCRIPT_QUOTE_CODE, options=options, placeholder="All codes", size="sm",
                             style={"maxWidth": "20rem"}, class_name="d-inline-block me-2"),
                  dbc.Button("Download quotes", id=ids.TRANSCRIPT_QUOTES, size="sm", color="secondary")],
                 className="mt-2") if study_id is not None else None,
    ])


clientside_callback(
    """function (clicks, starts) {
        var dc = window.dash_clientside, hit = dc.callback_context.triggered_id;
        var audio = document.getElementById("%s");
        if (!hit || !audio || !starts || !clicks.some(Boolean)) { return dc.no_update; }
        audio.currentTime = starts[hit.index];
        audio.play().catch(function () { return null; });  // a browser may refuse to play before a user gesture
        return hit.index;
    }""" % ids.TRANSCRIPT_AUDIO,
    Output(ids.TRANSCRIPT_SOUGHT, "data"), Input({"type": ids.TRANSCRIPT_SEEK, "index": ALL}, "n_clicks"),
    State(ids.TRANSCRIPT_STARTS, "data"), prevent_initial_call=True)


@callback(Output({"type": ids.TRANSCRIPT_SAVED, "index": MATCH}, "children"),
          Input({"type": ids.TRANSCRIPT_TEXT, "index": MATCH}, "value"), State(ids.TRANSCRIPT_ID, "data"),
          prevent_initial_call=True)
def correct(text: str | None, transcript_id: int) -> str:
    """Store a corrected segment text as the logged-in researcher's edit."""
    researcher = auth.require_researcher()
    return save_correction(get_store(), int(transcript_id), int(ctx.triggered_id["index"]), text, researcher.name)


@callback(Output(ids.TRANSCRIPT_CODE_MESSAGE, "children"), Output(ids.TRANSCRIPT_CODINGS, "children"),
          Output(ids.TRANSCRIPT_AGREEMENT, "children"),
          Input(ids.TRANSCRIPT_APPLY, "n_clicks"), Input({"type": ids.TRANSCRIPT_UNCODE, "coding": ALL}, "n_clicks"),
          State(ids.TRANSCRIPT_ID, "data"), State(ids.TRANSCRIPT_CODE, "value"), State(ids.TRANSCRIPT_FIRST, "value"),
          State(ids.TRANSCRIPT_LAST, "value"), State(ids.TRANSCRIPT_MEMO, "value"), prevent_initial_call=True)
def code(_apply: int | None, _removes: list[int | None], transcript_id: int, code_id: Any, first: Any, last: Any,
         memo: str | None) -> tuple[Any, Any, Any]:
    """Apply a code as the logged-in coder, or take back one of their own codings; then redraw the codings."""
    researcher = auth.require_researcher()
    if not (ctx.triggered and ctx.triggered[0].get("value")):
        raise PreventUpdate  # the codings list redrawn with unclicked buttons
    store = get_store()
    transcript_id = int(transcript_id)
    study_id = transcript_study(store, transcript_id)[0]
    if study_id is None:
        raise PreventUpdate
    if isinstance(ctx.triggered_id, dict):
        coding_id = int(ctx.triggered_id["coding"])
        mine = {c.id for c in store.list_codings(transcript_id=transcript_id, coder=researcher.name)}
        if coding_id not in mine:
            raise PreventUpdate
        store.delete_coding(coding_id)
        message = "Coding removed."
    else:
        message = apply_code(store, transcript_id, code_id, first, last, memo, researcher.name)
    return message, codings_view(store, transcript_id, researcher.name), agreement_view(store, study_id)


@callback(Output(ids.TRANSCRIPT_DOWNLOAD, "data"), Input(ids.TRANSCRIPT_QUOTES, "n_clicks"),
          State(ids.TRANSCRIPT_ID, "data"), State(ids.TRANSCRIPT_QUOTE_CODE, "value"), prevent_initial_call=True)
def download_quotes(clicks: int | None, transcript_id: int, code_id: Any) -> dict[str, Any]:
    """The study's coded quotes as a text file (logged-in researchers only)."""
    auth.require_researcher()
    store = get_store()
    study_id = transcript_study(store, int(transcript_id))[0]
    if not clicks or study_id is None:
        raise PreventUpdate
    return dcc.send_string(quotes_text(store, study_id, code_id), f"quotes-study-{study_id}.txt")
