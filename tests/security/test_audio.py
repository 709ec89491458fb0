"""The audio routes under attack: only audio types are taken, a recording is confirmed to be audio by decoding
before anyone can play it, it is served back with its safe type and `nosniff`, and every number a participant
sends is bounded."""

from __future__ import annotations

import io
import math
import struct
import wave

import pytest
from security_kit import log_in_client
from sqlalchemy import update

from hill_dash.app.audio_routes import TOKEN_HEADER
from hill_dash.store.tables import Recording as RecordingRow

PAGE = b"<!doctype html><html><body><script>fetch('/researcher/study/1/answers.csv')</script></body></html>"


def _wav(seconds: float = 1.0, rate: int = 8000) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(b"".join(struct.pack("<h", int(8000 * math.sin(i / 5))) for i in range(int(seconds * rate))))
    return buffer.getvalue()


@pytest.fixture
def client(app):
    return app.server.test_client()


def _start(client, world, mime="audio/wav"):
    return client.post("/audio/recordings", json={"study_scenario_id": world.scenario_id, "mime": mime},
                       headers={TOKEN_HEADER: world.token})


def _chunk(client, world, recording_id, seq, data, query=""):
    return client.post(f"/audio/recordings/{recording_id}/chunks/{seq}{query}", data=data,
                       headers={TOKEN_HEADER: world.token}, content_type="application/octet-stream")


def _finish(client, world, recording_id, **body):
    return client.post(f"/audio/recordings/{recording_id}/finish", json=body, headers={TOKEN_HEADER: world.token})


@pytest.mark.parametrize("mime", ["text/html", "text/html; charset=utf-8", "application/javascript",
                                  "image/svg+xml", "video/webm", "application/xhtml+xml", "text/plain",
                                  "audio/webm\r\nX-Injected: 1", "x" * 10_000, "multipart/x-mixed-replace"])
def test_a_recording_must_declare_an_audio_type(client, world, mime):
    before = len(world.store.list_recordings())
    refused = _start(client, world, mime)
    assert refused.status_code == 415 and "not accepted" in refused.text
    assert len(world.store.list_recordings()) == before


def test_a_page_uploaded_as_audio_is_never_served(client, world):
    """The stored script injection: a page sent as the only chunk of an 'audio' recording."""
    recording_id = _start(client, world, "audio/webm").json["recording_id"]
    assert _chunk(client, world, recording_id, 0, PAGE).status_code == 200
    finished = _finish(client, world, recording_id, duration_ms=1000)
    assert finished.status_code == 415 and "not kept as audio" in finished.text
    assert world.store.get_recording(recording_id).status == "failed"
    log_in_client(client, world.ada)
    served = client.get(f"/researcher/recordings/{recording_id}/audio")
    assert served.status_code == 404 and b"<script>" not in served.data


def test_real_audio_is_served_with_its_type_nosniff_and_a_sandbox(client, world):
    recording_id = _start(client, world, "audio/wav").json["recording_id"]
    assert _chunk(client, world, recording_id, 0, _wav()).status_code == 200
    assert _finish(client, world, recording_id, duration_ms=1000).json["status"] == "complete"
    log_in_client(client, world.ada)
    served = client.get(f"/researcher/recordings/{recording_id}/audio")
    assert served.status_code == 200 and served.mimetype == "audio/wav"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in served.headers["Content-Security-Policy"]


def test_a_row_stored_with_a_page_type_is_served_only_as_a_download(client, world):
    """A recording stored before types were checked keeps its type in the database; it still never renders."""
    recording_id = _start(client, world, "audio/wav").json["recording_id"]
    _chunk(client, world, recording_id, 0, _wav())
    _finish(client, world, recording_id)
    with world.store._write() as session:
        session.execute(update(RecordingRow).where(RecordingRow.id == recording_id).values(mime="text/html"))
    log_in_client(client, world.ada)
    served = client.get(f"/researcher/recordings/{recording_id}/audio")
    assert served.mimetype == "application/octet-stream" and "attachment" in served.headers["Content-Disposition"]
    assert served.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("seq", [20_000_000, 2**63, 2**70, 14_400])
def test_a_chunk_number_past_the_limit_is_refused_before_anything_is_kept(client, world, seq):
    recording_id = _start(client, world).json["recording_id"]
    refused = _chunk(client, world, recording_id, seq, b"\0" * 16)
    assert refused.status_code == 413 and "out of range" in refused.text
    assert world.store.list_chunks(recording_id) == []
    finished = _finish(client, world, recording_id)
    assert finished.status_code == 409 and len(finished.data) < 1000  # no list of millions of missing chunks


@pytest.mark.parametrize("query", ["?offset_ms=99999999999999", "?offset_ms=" + "9" * 400,
                                   f"?offset_ms={2**70}"])
def test_a_chunk_offset_out_of_range_is_refused(client, world, query):
    recording_id = _start(client, world).json["recording_id"]
    refused = _chunk(client, world, recording_id, 0, b"\0" * 16, query)
    assert refused.status_code in (400, 413) and world.store.list_chunks(recording_id) == []


def test_a_recording_stops_taking_bytes_at_its_limit(app, client, world):
    app.server.config["HILL_MAX_RECORDING_BYTES"] = 3000
    try:
        recording_id = _start(client, world).json["recording_id"]
        assert _chunk(client, world, recording_id, 0, b"\0" * 2000).status_code == 200
        refused = _chunk(client, world, recording_id, 1, b"\0" * 2000)
        assert refused.status_code == 413 and "limit of 3000 bytes" in refused.text
        assert [c.seq for c in world.store.list_chunks(recording_id)] == [0]
    finally:
        app.server.config.pop("HILL_MAX_RECORDING_BYTES")


@pytest.mark.parametrize("duration", ["1e20", "inf", "1e400", 10**30, 0, 5])
def test_the_stored_length_is_what_the_audio_plays_not_what_the_browser_claims(client, world, duration):
    recording_id = _start(client, world).json["recording_id"]
    _chunk(client, world, recording_id, 0, _wav(seconds=1.5))
    finished = _finish(client, world, recording_id, duration_ms=duration)
    assert finished.status_code == 200 and finished.json["duration_s"] == pytest.approx(1.5, abs=0.01)
    assert world.store.get_recording(recording_id).duration_s == pytest.approx(1.5, abs=0.01)


def test_audio_longer_than_the_limit_is_refused_whatever_length_the_browser_claims(app, client, world):
    app.server.config["HILL_MAX_RECORDING_S"] = 2
    try:
        recording_id = _start(client, world).json["recording_id"]
        _chunk(client, world, recording_id, 0, _wav(seconds=3.0))
        refused = _finish(client, world, recording_id, duration_ms=1000)
    finally:
        app.server.config.pop("HILL_MAX_RECORDING_S")
    assert refused.status_code == 413 and "plays 3 s, longer than the 2 s" in refused.text
    assert world.store.get_recording(recording_id).status == "failed"
    log_in_client(client, world.ada)
    assert client.get(f"/researcher/recordings/{recording_id}/audio").status_code == 404


def test_a_malformed_duration_claim_is_refused_and_the_recording_stays_open(client, world):
    recording_id = _start(client, world).json["recording_id"]
    _chunk(client, world, recording_id, 0, _wav())
    refused = _finish(client, world, recording_id, duration_ms="a while")
    assert refused.status_code == 400 and "duration_ms must be a number" in refused.text
    assert world.store.get_recording(recording_id).status == "recording"


def test_a_closing_page_cannot_smuggle_a_huge_chunk_number(client, world):
    recording_id = _start(client, world).json["recording_id"]
    form = {"token": world.token, "chunk-99999999999999999999": (io.BytesIO(b"\0" * 16), "blob")}
    refused = client.post(f"/audio/recordings/{recording_id}/finish", data=form, content_type="multipart/form-data")
    assert refused.status_code == 413 and world.store.list_chunks(recording_id) == []


def test_a_large_anonymous_callback_body_is_refused_unread(client):
    refused = client.post("/_dash-update-component", data=b"[" + b"0," * (1_600_000) + b"0]",
                          content_type="application/json")
    assert refused.status_code == 413


@pytest.mark.parametrize("path", ["/audio/recordings/{big}/chunks/0", "/audio/recordings/{big}/finish"])
def test_ids_beyond_64_bits_are_refused_not_a_server_error(client, world, path):
    answer = client.post(path.format(big=2**70), data=b"\0", headers={TOKEN_HEADER: world.token},
                         content_type="application/octet-stream")
    assert answer.status_code in (403, 404)


def test_another_researcher_can_neither_play_nor_add_to_a_studys_recordings(client, world):
    recording_id = _start(client, world).json["recording_id"]
    _chunk(client, world, recording_id, 0, _wav())
    _finish(client, world, recording_id)
    log_in_client(client, world.bob)
    assert client.get(f"/researcher/recordings/{recording_id}/audio").status_code == 404
    assert client.get(f"/researcher/recordings/{2**70}/audio").status_code == 404
    before = len(world.store.list_recordings())
    upload = client.post("/researcher/recordings/upload", data={
        "participant_id": str(world.participant.id), "file": (io.BytesIO(_wav()), "interview.wav"),
        "csrf_token": _csrf(client)}, content_type="multipart/form-data")
    assert upload.status_code == 404 and len(world.store.list_recordings()) == before


def _csrf(client) -> str:
    from hill_dash.app.security import CSRF_KEY

    with client.session_transaction() as session:
        session.setdefault(CSRF_KEY, "token-of-this-session")
        return session[CSRF_KEY]


@pytest.mark.parametrize("value", ["lots", "0", "-5", "1.5"])
def test_a_malformed_recording_limit_stops_the_start_naming_the_setting(monkeypatch, value):
    import flask

    from hill_dash.app.audio_routes import register_audio_routes

    monkeypatch.setenv("HILL_MAX_CHUNKS", value)
    server = flask.Flask("limits")
    with pytest.raises(ValueError, match="HILL_MAX_CHUNKS must be a positive whole number"):
        register_audio_routes(server)
    assert "hill_audio_chunk" not in server.view_functions and not server.view_functions.keys() - {"static"}
