"""The Flask routes audio travels through: a participant's think-aloud chunks as they are recorded, a researcher's
interview uploads, and the audio files played back on the researcher's pages.

A participant proves who they are with their link token (header `X-Hill-Token`, or a `token` form field from
`navigator.sendBeacon`, which cannot set headers) and may only record into their own study scenarios. Researcher
routes need the login. Every refusal is plain text saying what was wrong.
"""

from __future__ import annotations

import functools
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import flask

from hill_dash.app import access, auth
from hill_dash.app.context import get_store
from hill_dash.audio_limits import CONTAINERS, Limits, check_audio
from hill_dash.jobs.transcription import finalise_recording
from hill_dash.store import NotFound, Participant, Recording, Store, StoreError
from hill_dash.store.audio import audio_mime
from transcripts import AudioError, check_upload

CHUNK_MAX_BYTES = 4 * 1024 * 1024  # a few seconds of browser audio are ~10-50 kB; this leaves room for wav
UPLOAD_MAX_BYTES = 500 * 1024 * 1024  # about 9 hours of 128 kbps mp3
BEACON_MAX_CHUNKS = 16  # chunks a closing page may still hand over with its last request
INTERVIEW_SUFFIXES = (".wav", ".mp3", ".m4a", ".webm", ".ogg", ".flac")
CHUNK_KEY, UPLOAD_KEY = "HILL_CHUNK_MAX_BYTES", "HILL_UPLOAD_MAX_BYTES"
TOKEN_HEADER = "X-Hill-Token"
PLAYABLE = ("complete", "transcribing", "transcribed")


class Refused(Exception):
    """A request this route will not serve: the HTTP status and the message for the client."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _limit(key: str, default: int) -> int:
    return int(flask.current_app.config.get(key, default))


def _participant(store: Store) -> Participant:
    token = flask.request.headers.get(TOKEN_HEADER)
    if token is None and flask.request.mimetype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        token = flask.request.form.get("token")
    try:
        participant = store.participant_by_token(token or "")
    except NotFound:
        participant = None
    if participant is None or participant.status == "dropped":
        raise Refused(403, "this participant link is not valid (or was closed); reload the page from your link")
    return participant


def _own_recording(store: Store, participant: Participant, recording_id: int) -> Recording:
    try:
        recording = store.get_recording(recording_id)
    except NotFound:
        recording = None
    if recording is None or recording.participant_id != participant.id:
        raise Refused(403, f"recording {recording_id} does not belong to this participant link")
    return recording


def _limits() -> Limits:
    return Limits.from_config(flask.current_app.config)


def _check_room(store: Store, recording_id: int, seq: int, size: int) -> None:
    """Refuse a chunk past the recording's limits on chunk number and total bytes (413, nothing stored)."""
    limits = _limits()
    if not 0 <= seq < limits.max_chunks:
        raise Refused(413, f"chunk number {seq} is out of range: a recording has chunks 0 to "
                           f"{limits.max_chunks - 1}; start a new recording")
    if store.chunk_bytes(recording_id) + size > limits.max_bytes:
        raise Refused(413, f"recording {recording_id} has reached the limit of {limits.max_bytes} bytes; "
                           "start a new recording")


def _read_body(limit: int) -> bytes:
    """The request body, refused with 413 (before it is read, when the client said its length) above `limit`."""
    length = flask.request.content_length
    if length is not None and length > limit:
        raise Refused(413, f"an audio chunk may be at most {limit} bytes, this one is {length}; record with a "
                           "shorter time slice")
    data = flask.request.stream.read(limit + 1)
    if len(data) > limit:
        raise Refused(413, f"an audio chunk may be at most {limit} bytes; record with a shorter time slice")
    if not data:
        raise Refused(400, "the audio chunk is empty; send the recorded bytes as the request body")
    return data


def _offset(value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        offset = int(value)
    except (TypeError, ValueError):
        raise Refused(400, f"offset_ms must be whole milliseconds since the recording started, got {value!r}")
    if offset < 0:
        raise Refused(400, f"offset_ms cannot be negative, got {offset}")
    limit_ms = _limits().max_seconds * 1000
    if offset > limit_ms:
        raise Refused(413, f"offset_ms {offset} is past the longest recording this server keeps ({limit_ms} ms)")
    return offset


def _answer(view: Any) -> Any:
    """Wrap a view so Refused and bad store input become plain-text answers with their status."""

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        try:
            return view(*args, **kwargs)
        except Refused as exc:
            return flask.Response(f"{exc}\n", status=exc.status, mimetype="text/plain")
        except StoreError as exc:
            return flask.Response(f"{exc}\n", status=404 if isinstance(exc, NotFound) else 409,
                                  mimetype="text/plain")

    return wrapped


def start_recording() -> Any:
    """POST JSON {study_scenario_id, mime}: a new think-aloud recording of one of the participant's scenarios."""
    store = get_store()
    participant = _participant(store)
    body = flask.request.get_json(silent=True)
    body = body if isinstance(body, dict) else {}
    try:
        scenario_id = access.parse_id(body.get("study_scenario_id"), "study scenario")
    except access.Refused:
        raise Refused(400, "give the study_scenario_id of the task being recorded (a whole number)") from None
    if scenario_id not in {s.id for s in store.participant_scenarios(participant.id)}:
        raise Refused(403, f"study scenario {scenario_id} is not one of this participant's tasks")
    try:
        mime = audio_mime(str(body.get("mime") or "audio/webm")[:200])
    except StoreError as exc:
        raise Refused(415, str(exc)) from None
    previous = resumed_recording(store, participant, body)
    recording = store.create_recording("think_aloud", mime, participant_id=participant.id,
                                       study_scenario_id=scenario_id)
    gap_s = None if previous is None else mark_gap(store, recording.id, previous, body)
    return flask.jsonify(recording_id=recording.id, started_at=recording.started_at.isoformat(), gap_s=gap_s), 201


def resumed_recording(store: Store, participant: Participant, body: Mapping[str, Any]) -> int | None:
    """With {"resumes": <id>} the new recording continues the participant's own recording <id>, which a page
    reload ended: its id once checked, else None."""
    if body.get("resumes") is None:
        return None
    try:
        previous = access.parse_id(body.get("resumes"), "recording")
    except access.Refused:
        raise Refused(400, "resumes must be the id of the recording the reload ended (a whole number)") from None
    return _own_recording(store, participant, previous).id


def mark_gap(store: Store, recording_id: int, previous: int, body: Mapping[str, Any]) -> float:
    """Store that `recording_id` continues `previous`, with the gap between them (the page's "gap_ms" counts only
    when the server cannot measure it); returns the gap in seconds."""
    from hill_dash.store.resumed import mark_resumed

    reported = body.get("gap_ms")
    reported_s = float(reported) / 1000.0 if isinstance(reported, (int, float)) and not isinstance(
        reported, bool) else None
    try:
        return mark_resumed(store, recording_id, previous, reported_s)
    except StoreError as exc:
        raise Refused(409, str(exc)) from None


def add_chunk(recording_id: int, seq: int) -> Any:
    """POST the bytes of chunk `seq` (?offset_ms= when it starts); a chunk sent again is acknowledged unchanged."""
    store = get_store()
    recording = _own_recording(store, _participant(store), recording_id)
    offset = _offset(flask.request.args.get("offset_ms"))
    data = _read_body(_limit(CHUNK_KEY, CHUNK_MAX_BYTES))
    _check_room(store, recording.id, seq, len(data))
    chunk = store.add_chunk(recording.id, seq, data, client_offset_ms=offset)
    return flask.jsonify(seq=chunk.seq, received_at=chunk.received_at.isoformat())


def _beacon_chunks(store: Store, recording_id: int, form: Mapping[str, Any], limit: int) -> None:
    """Keep the chunks a closing page sent along with its finish request (files named chunk-<seq>)."""
    for name, upload in flask.request.files.items():
        if not name.startswith("chunk-") or not name[6:].isdigit():
            raise Refused(400, f"unexpected file field {name!r}; name chunks chunk-<seq>")
        data = upload.read(limit + 1)
        if len(data) > limit:
            raise Refused(413, f"{name} is over the chunk limit of {limit} bytes")
        seq = int(name[6:]) if len(name) <= 16 else -1
        offset = _offset(form.get(f"offset-{seq}"))
        _check_room(store, recording_id, seq, len(data))
        store.add_chunk(recording_id, seq, data, client_offset_ms=offset)


def finish_recording(recording_id: int) -> Any:
    """POST {duration_ms} (JSON, or a form with chunk-<seq> files from a closing page): join the chunks into the
    recording's audio file. Finishing twice answers with the recording as it is."""
    store = get_store()
    limit = _limit(CHUNK_KEY, CHUNK_MAX_BYTES)
    length = flask.request.content_length
    if length is not None and length > limit * BEACON_MAX_CHUNKS:
        raise Refused(413, f"a finishing request may carry at most {BEACON_MAX_CHUNKS} chunks")
    recording = _own_recording(store, _participant(store), recording_id)
    form: Mapping[str, Any] = (flask.request.form if flask.request.mimetype == "multipart/form-data"
                               else flask.request.get_json(silent=True) or {})
    missing: list[int] = []
    if recording.status == "recording":
        _beacon_chunks(store, recording.id, form, limit)
        if not store.list_chunks(recording.id):
            store.update_recording(recording.id, status="failed")
            raise Refused(409, f"recording {recording.id} ended before any audio arrived; start a new one")
        _browser_duration(form.get("duration_ms"))
        limits = _limits()
        recording, missing = finalise_recording(store, recording.id)
        checked = check_audio(store.files.absolute(recording.path), recording.mime, limits.max_seconds)
        if checked.problem is not None:
            store.update_recording(recording.id, status="failed", duration_s=checked.seconds)
            too_long = checked.seconds is not None and checked.seconds > limits.max_seconds
            raise Refused(413 if too_long else 415, f"recording {recording.id} is not kept as audio: {checked.problem}")
        # the length the audio itself plays, not the browser's clock
        recording = store.update_recording(recording.id, duration_s=checked.seconds)
    return flask.jsonify(recording_id=recording.id, status=recording.status, duration_s=recording.duration_s,
                         chunks=len(store.list_chunks(recording.id)), missing=missing)


def _browser_duration(value: Any) -> None:
    """Refuse a malformed `duration_ms` (older pages send it); the stored length is measured from the audio."""
    if value in (None, ""):
        return
    try:
        float(value)
    except (TypeError, ValueError):
        raise Refused(400, f"duration_ms must be a number, got {str(value)[:40]!r}") from None


def interview_file(folder: str | os.PathLike[str], filename: str | None) -> Path:
    """Where to save an uploaded interview inside `folder`: named by the upload's audio suffix, which later names
    the type for players. AudioError for a name that is not one of INTERVIEW_SUFFIXES."""
    suffix = Path(filename or "").suffix.lower()
    if suffix not in INTERVIEW_SUFFIXES:
        raise AudioError(f"'{filename}' is not an audio file name this page takes; upload "
                         f"{', '.join(s.lstrip('.') for s in INTERVIEW_SUFFIXES)}")
    return Path(folder) / f"interview{suffix}"


def import_interview(store: Store, path: Path, participant_id: int, study_scenario_id: int | None = None,
                     max_bytes: int = UPLOAD_MAX_BYTES) -> Recording:
    """Store the interview saved at `path` (see `interview_file`) once it has proved to be audio by decoding.

    Raises AudioError for a file that is too large or not audio, StoreError for an unknown participant."""
    store.get_participant(participant_id)
    info = check_upload(path, max_bytes)
    return store.import_recording("interview", path, participant_id=participant_id,
                                  study_scenario_id=study_scenario_id, duration_s=info.duration)


def upload_interview() -> Any:
    """POST multipart `file` with `participant_id` (and optionally `study_scenario_id`): a new interview recording."""
    store = get_store()
    limit = _limit(UPLOAD_KEY, UPLOAD_MAX_BYTES)
    length = flask.request.content_length
    if length is not None and length > limit + 64 * 1024:
        raise Refused(413, f"the upload is {length / 1e6:.1f} MB, over the limit of {limit / 1e6:.1f} MB; "
                           "split the recording or compress it (for example to mp3 or ogg)")
    upload = flask.request.files.get("file")
    if upload is None or not upload.filename:
        raise Refused(400, "choose an audio file to upload (form field 'file')")
    try:
        participant_id = int(flask.request.form.get("participant_id", ""))
        scenario = flask.request.form.get("study_scenario_id") or None
        scenario_id = None if scenario is None else int(scenario)
    except ValueError:
        raise Refused(400, "participant_id (and study_scenario_id, when given) must be numbers")
    try:
        study_id = store.participant_study_id(participant_id)
    except NotFound:
        study_id = None
    researcher = auth.current_researcher(store)
    if study_id is None or researcher is None or not store.may_open_study(researcher.id, study_id):
        raise Refused(404, f"there is no participant {participant_id} in your studies")
    with tempfile.TemporaryDirectory() as tmp:
        try:
            path = interview_file(tmp, upload.filename)
            upload.save(path)
            recording = import_interview(store, path, participant_id, scenario_id, limit)
        except AudioError as exc:
            raise Refused(413 if "over the limit" in str(exc) else 400, f"not stored: {exc}")
    return flask.jsonify(recording_id=recording.id, duration_s=recording.duration_s), 201


def recording_audio(recording_id: int) -> Any:
    """A recording's audio file, with range requests so a player can seek."""
    store = get_store()
    try:
        recording = store.get_recording(access.researcher_recording(recording_id, store))
    except access.Refused as exc:
        raise Refused(404, str(exc)) from None
    if not recording.path or recording.status not in PLAYABLE:
        raise Refused(404, f"recording {recording_id} has no audio file yet (status {recording.status})")
    # Only a type from the allow-list is ever sent; whatever else a row may hold is served as a download.
    safe = recording.mime in CONTAINERS
    response = flask.send_file(store.files.absolute(recording.path), conditional=True,
                               mimetype=recording.mime if safe else "application/octet-stream",
                               as_attachment=not safe, download_name=f"recording-{recording.id}")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def audio_href(recording_id: int) -> str:
    """Where a researcher page's player loads a recording from."""
    return f"/researcher/recordings/{recording_id}/audio"


ROUTES = (
    ("/audio/recordings", "hill_audio_start", start_recording, False),
    ("/audio/recordings/<int:recording_id>/chunks/<int:seq>", "hill_audio_chunk", add_chunk, False),
    ("/audio/recordings/<int:recording_id>/finish", "hill_audio_finish", finish_recording, False),
    ("/researcher/recordings/upload", "hill_audio_upload", upload_interview, True),
)


def register_audio_routes(server: flask.Flask) -> None:
    """Add the audio routes to the app's Flask server (once; calling again changes nothing)."""
    Limits.from_config(server.config)  # a malformed limit stops the start with its name, not a participant's upload
    for rule, endpoint, view, researcher_only in ROUTES:
        if endpoint not in server.view_functions:
            guarded = auth.login_required(_answer(view)) if researcher_only else _answer(view)
            server.add_url_rule(rule, endpoint, guarded, methods=["POST"])
    if "hill_audio_file" not in server.view_functions:
        server.add_url_rule("/researcher/recordings/<int:recording_id>/audio", "hill_audio_file",
                            auth.login_required(_answer(recording_audio)), methods=["GET"])
