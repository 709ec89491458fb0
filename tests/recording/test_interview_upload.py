"""Interview uploads: kept only when they really decode to audio and fit the size limit, through the Flask route
and through the recordings page's upload callback; researchers only."""

from __future__ import annotations

import base64
import io

import numpy as np
import pytest
from recording_kit import log_in

from hill_dash.app.audio_routes import UPLOAD_KEY
from transcripts._speech import write_wav


@pytest.fixture
def wav_bytes(tmp_path) -> bytes:
    t = np.arange(int(2.5 * 16_000)) / 16_000
    return write_wav(0.3 * np.sin(2 * np.pi * 220 * t), tmp_path / "tone.wav").read_bytes()


def _upload(client, data: bytes, name: str, participant_id, **form):
    return client.post("/researcher/recordings/upload", content_type="multipart/form-data",
                       data={"file": (io.BytesIO(data), name), "participant_id": str(participant_id), **form})


def test_an_interview_that_decodes_is_stored_with_its_length(client, study, researcher, wav_bytes):
    log_in(client, researcher)
    answer = _upload(client, wav_bytes, "P1 interview.WAV", study.participant(0).id,
                     study_scenario_id=str(study.scenario_id(1)))
    assert answer.status_code == 201, answer.text
    recording = study.store.get_recording(answer.json["recording_id"])
    assert (recording.kind, recording.mime, recording.status) == ("interview", "audio/wav", "complete")
    assert recording.duration_s == pytest.approx(2.5, abs=0.01)
    assert recording.study_scenario_id == study.scenario_id(1)
    assert study.store.files.absolute(recording.path).read_bytes() == wav_bytes


@pytest.mark.parametrize("data, name, status, says", [
    (b"this is a text file, not a recording" * 20, "interview.wav", 400, "not a readable audio file"),
    (b"", "empty.mp3", 400, "empty (0 bytes)"),
    (b"RIFF", "notes.txt", 400, "not an audio file name"),
])
def test_an_upload_that_is_not_audio_is_refused_with_the_reason(client, study, researcher, data, name, status, says):
    log_in(client, researcher)
    answer = _upload(client, data, name, study.participant(0).id)
    assert answer.status_code == status and says in answer.text and answer.text.startswith("not stored")
    assert study.store.list_recordings(study=study.created.study.id) == []


def test_an_upload_over_the_limit_is_refused_before_it_is_decoded(server, client, study, researcher, wav_bytes):
    server.config[UPLOAD_KEY] = 10_000
    log_in(client, researcher)
    answer = _upload(client, wav_bytes, "long.wav", study.participant(0).id)
    assert answer.status_code == 413 and "over the limit of 0.0 MB" in answer.text
    assert study.store.list_recordings(study=study.created.study.id) == []


def test_uploads_need_a_login_and_a_participant(client, study, researcher, wav_bytes):
    refused = _upload(client, wav_bytes, "a.wav", study.participant(0).id)
    assert refused.status_code == 401
    log_in(client, researcher)
    assert _upload(client, wav_bytes, "a.wav", "someone").status_code == 400
    unknown = _upload(client, wav_bytes, "a.wav", 999)
    assert unknown.status_code == 404 and "participant" in unknown.text
    assert study.store.list_recordings() == []


def test_the_pages_upload_keeps_audio_and_explains_a_refusal(pages, study, wav_bytes):
    store_upload = pages["recordings"].store_upload
    store, study_id, participant = study.store, study.created.study.id, study.participant(1).id
    url = "data:audio/wav;base64," + base64.b64encode(wav_bytes).decode()
    assert store_upload(store, url, "P2.wav", participant, study_id).startswith("Stored 'P2.wav' as recording")
    fake = "data:audio/wav;base64," + base64.b64encode(b"no audio here" * 50).decode()
    refused = store_upload(store, fake, "P2-again.wav", participant, study_id)
    assert refused.startswith("Not stored:") and "not a readable audio file" in refused
    other = store.create_study("other", ["digits"], n_participants=1).study.id
    assert "not in the chosen study" in store_upload(store, url, "P2.wav", participant, other)
    assert "Choose the study and the participant" in store_upload(store, url, "P2.wav", None, study_id)
    assert [r.kind for r in store.list_recordings(study=study_id)] == ["interview"]
