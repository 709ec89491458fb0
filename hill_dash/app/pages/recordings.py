"""The researcher's recordings (`/researcher/recordings?study=<id>`): every think-aloud and interview recording of
a study with a player, interview uploads, and transcription with Whisper as a background job."""

from __future__ import annotations

import base64
import binascii
import tempfile
from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, callback, ctx, dcc, html
from dash.exceptions import PreventUpdate

from hill_dash.app import access, auth, ids
from hill_dash.app.audio_routes import UPLOAD_MAX_BYTES, audio_href, import_interview, interview_file
from hill_dash.app.context import get_store
from hill_dash.jobs.transcription import TranscriptionError, queue_transcription, run_transcription_job
from hill_dash.store import NotFound, Researcher, Store, StoreError
from transcripts import AudioError

PATH = "/researcher/recordings"

dash.register_page(__name__, path=PATH, name="Recordings", order=6)


def transcript_href(transcript_id: int) -> str:
    """The page of one transcript."""
    return f"/researcher/transcript/{transcript_id}"


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    return f"{int(seconds // 60)}:{int(seconds % 60):02d}"


def recording_rows(store: Store, study_id: int) -> list[dict[str, Any]]:
    """One row per recording of a study, by participant and then time."""
    study = store.get_study(study_id)
    codes = {p.id: p.code for p in store.list_participants(study.id)}
    scenarios = {s.id: s.scenario for s in study.scenarios}
    recordings = store.list_recordings(study=study.id)
    problems = store.recording_problems([r.id for r in recordings])
    rows = []
    for recording in recordings:
        transcripts = store.list_transcripts(recording.id)
        rows.append({"id": recording.id, "participant": codes.get(recording.participant_id, "–"),
                     "scenario": scenarios.get(recording.study_scenario_id, "–"), "kind": recording.kind,
                     "started": recording.started_at.strftime("%Y-%m-%d %H:%M"),
                     "duration": _duration(recording.duration_s), "status": recording.status,
                     "has_audio": recording.path is not None, "problem": problems.get(recording.id),
                     "transcript": transcripts[-1].id if transcripts else None})
    return sorted(rows, key=lambda r: (r["participant"], r["id"]))


def _transcribe_button(row: dict[str, Any]) -> Any:
    label = {"recording": "Close and transcribe", "transcribed": "Transcribe again"}.get(row["status"], "Transcribe")
    return dbc.Button(label, id={"type": ids.REC_TRANSCRIBE, "recording": row["id"]}, size="sm", color="secondary",
                      outline=True)


def recordings_table(rows: list[dict[str, Any]]) -> Any:
    """The recordings with a player, their transcript's link and the transcribe action."""
    if not rows:
        return html.P("No recordings in this study yet.", className="text-muted")
    head = html.Thead(html.Tr([html.Th(h) for h in ("Participant", "Scenario", "Kind", "Started", "Duration",
                                                    "Status", "Audio", "Transcript", "")]))
    body = html.Tbody([html.Tr([
        *(html.Td(row[key]) for key in ("participant", "scenario", "kind", "started", "duration")),
        html.Td([row["status"], html.Div(row["problem"], className="small text-danger hill-recording-problem")
                 if row.get("problem") else None]),
        html.Td(html.Audio(src=audio_href(row["id"]), controls=True, preload="none") if row["has_audio"] else "–"),
        html.Td(html.A("Open", href=transcript_href(row["transcript"])) if row["transcript"] else "–"),
        html.Td(_transcribe_button(row)),
    ], className=f"hill-recording-{row['status']}") for row in rows])
    return dbc.Table([head, body], size="sm", hover=True, className="hill-recordings")


def _participant_options(store: Store, study_id: int | None) -> list[dict[str, Any]]:
    if study_id is None:
        return []
    return [{"label": p.code, "value": p.id} for p in store.list_participants(study_id)]


def _study_id(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def upload_panel() -> html.Div:
    """Interview uploads: the participant, then the file (checked to be audio before it is kept)."""
    return html.Div([
        html.H5("Upload an interview"),
        dbc.Row([
            dbc.Col(dbc.Select(id=ids.REC_PARTICIPANT, placeholder="Participant"), width=3),
            dbc.Col(dcc.Upload(html.Div(["Drop an audio file here or ", html.A("choose one")]), id=ids.REC_UPLOAD,
                               max_size=UPLOAD_MAX_BYTES, multiple=False, className="hill-upload border rounded p-2",
                               accept=".wav,.mp3,.m4a,.webm,.ogg,.flac,audio/*")),
        ], class_name="mb-1"),
        html.Div(id=ids.REC_UPLOAD_MESSAGE),
    ], className="mb-3")


@auth.researcher_page(PATH)
def layout(researcher: Researcher, study: str | None = None, **_query: str) -> html.Div:
    """Pick a study; its recordings, the interview upload, transcription (refused to visitors not logged in)."""
    studies = get_store().studies_of(researcher.id)
    chosen = _study_id(study) if study is not None else (studies[-1].id if studies else None)
    return html.Div([
        html.H3("Recordings"),
        dbc.Select(id=ids.REC_STUDY, options=[{"label": s.name, "value": s.id} for s in studies], value=chosen,
                   placeholder="Study", class_name="mb-3", style={"maxWidth": "24rem"}),
        upload_panel(),
        dcc.Store(id=ids.REC_JOB),
        dcc.Store(id=ids.REC_REFRESH, data=0),
        html.Div(id=ids.REC_JOB_MESSAGE),
        dbc.Progress(id=ids.REC_PROGRESS, value=0, max=1, label="", class_name="mb-2", style={"height": "1.2rem"}),
        html.Div(id=ids.REC_TABLE),
    ])


@callback(Output(ids.REC_TABLE, "children"), Output(ids.REC_PARTICIPANT, "options"),
          Input(ids.REC_STUDY, "value"), Input(ids.REC_REFRESH, "data"))
def show_recordings(study: Any, _version: int) -> tuple[Any, Any]:
    """The chosen study's recordings and participants (logged-in researchers only)."""
    researcher = auth.require_researcher()
    study_id = _study_id(study)
    if study_id is None:
        return html.P("Choose a study.", className="text-muted"), []
    store = get_store()
    if not store.may_open_study(researcher.id, study_id):
        return dbc.Alert(f"There is no study {study_id} among your studies.", color="warning"), []
    try:
        return recordings_table(recording_rows(store, study_id)), _participant_options(store, study_id)
    except NotFound as exc:
        return dbc.Alert(str(exc), color="warning"), []


def store_upload(store: Store, contents: str, filename: str | None, participant: Any, study: Any) -> str:
    """Keep an uploaded interview (a data URL from dcc.Upload) of a participant of the study; the outcome."""
    study_id = _study_id(study)
    participant_id = _study_id(participant)
    if study_id is None or participant_id is None:
        return "Choose the study and the participant first, then drop the file again."
    try:
        in_study = store.get_participant(participant_id).study_id == study_id
    except NotFound:
        in_study = False
    if not in_study:
        return "That participant is not in the chosen study; choose again."
    try:
        data = base64.b64decode(contents.split(",", 1)[1], validate=True)
    except (IndexError, binascii.Error):
        return f"'{filename}' did not arrive as a file; try again."
    with tempfile.TemporaryDirectory() as tmp:
        try:
            path = interview_file(tmp, filename)
            path.write_bytes(data)
            recording = import_interview(store, path, participant_id, max_bytes=UPLOAD_MAX_BYTES)
        except (AudioError, StoreError) as exc:
            return f"Not stored: {exc}"
    return f"Stored '{filename}' as recording {recording.id} ({_duration(recording.duration_s)})."


@callback(Output(ids.REC_UPLOAD_MESSAGE, "children"), Output(ids.REC_REFRESH, "data", allow_duplicate=True),
          Input(ids.REC_UPLOAD, "contents"), State(ids.REC_UPLOAD, "filename"), State(ids.REC_PARTICIPANT, "value"),
          State(ids.REC_STUDY, "value"), State(ids.REC_REFRESH, "data"), prevent_initial_call=True)
def upload(contents: str | None, filename: str | None, participant: Any, study: Any, version: int) -> tuple:
    """Check and keep an interview upload (logged-in researchers only)."""
    researcher = auth.require_researcher()
    if not contents:
        raise PreventUpdate
    store = get_store()
    if _study_id(study) is not None and not store.may_open_study(researcher.id, _study_id(study)):
        raise PreventUpdate
    message = store_upload(store, contents, filename, participant, study)
    ok = message.startswith("Stored")
    return (dbc.Alert(message, color="success" if ok else "danger", dismissable=True),
            (version or 0) + 1 if ok else dash.no_update)


@callback(Output(ids.REC_JOB, "data"), Output(ids.REC_JOB_MESSAGE, "children"),
          Input({"type": ids.REC_TRANSCRIBE, "recording": ALL}, "n_clicks"), prevent_initial_call=True)
def queue(_clicks: list[int | None]) -> tuple[Any, Any]:
    """Queue the clicked recording's transcription; the background callback below runs it."""
    researcher = auth.require_researcher()
    if not (ctx.triggered and ctx.triggered[0].get("value")) or not isinstance(ctx.triggered_id, dict):
        raise PreventUpdate  # a table redrawn with unclicked buttons
    store = get_store()
    try:
        recording_id = access.parse_id(ctx.triggered_id.get("recording"), "recording")
        study_id = store.recording_study_id(recording_id)
    except (access.Refused, NotFound):
        raise PreventUpdate from None
    if study_id is None or not store.may_open_study(researcher.id, study_id):
        raise PreventUpdate
    job = queue_transcription(store, recording_id, researcher.name)
    return {"job_id": job.id}, dbc.Alert(f"Transcribing recording {recording_id}…", color="info")


@callback(Output(ids.REC_JOB_MESSAGE, "children", allow_duplicate=True),
          Output(ids.REC_REFRESH, "data", allow_duplicate=True),
          Input(ids.REC_JOB, "data"), State(ids.REC_REFRESH, "data"), background=True, prevent_initial_call=True,
          # the table takes no clicks while a job runs: one transcription at a time per page
          running=[(Output(ids.REC_TABLE, "className"), "pe-none opacity-50", "")],
          progress=[Output(ids.REC_PROGRESS, "value"), Output(ids.REC_PROGRESS, "label")])
def transcribe(set_progress: Any, job: dict[str, Any] | None, version: int) -> tuple[Any, int]:
    """Run a queued transcription job (only a job a logged-in researcher queued, and only once)."""
    if not isinstance(job, dict) or job.get("job_id") is None:
        raise PreventUpdate
    store = get_store()
    # the job id comes from the browser: the caller (read from the signed cookie the job was started with) must be
    # a researcher who may open the study the job's recording belongs to
    researcher = auth.current_researcher(store)
    try:
        queued = store.get_job(access.parse_id(job.get("job_id"), "job"))
        study_id = store.recording_study_id(queued.recording_id) if queued.recording_id is not None else None
    except (access.Refused, NotFound):
        raise PreventUpdate from None
    if researcher is None or study_id is None or not store.may_open_study(researcher.id, study_id):
        return dbc.Alert("Not transcribed: log in as a researcher of this study.", color="danger"), version or 0
    try:
        stored = run_transcription_job(store, queued.id,
                                       progress=lambda fraction, text: set_progress((fraction, text)))
    except (TranscriptionError, StoreError) as exc:
        return dbc.Alert(f"Not transcribed: {exc}", color="danger"), (version or 0) + 1
    count = len(store.transcript_segments(stored.id))
    message = dbc.Alert(["Transcribed: ", html.A(f"transcript {stored.id}", href=transcript_href(stored.id)),
                         f" ({count} segments)."], color="success")
    return message, (version or 0) + 1

