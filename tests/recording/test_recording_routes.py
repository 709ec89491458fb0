"""The think-aloud upload routes through Flask's test client: chunks kept as they come, in any order and retried,
joined in sequence order into audio that decodes; refusals say why and store nothing."""

from __future__ import annotations

import io

import pytest
from recording_kit import TOKEN_HEADER, log_in, pieces, send_chunk, start

from hill_dash.app.audio_routes import CHUNK_KEY
from transcripts import decode_audio


def _joined(store, recording_id: int) -> bytes:
    """The chunks as joined (the recording's file is an indexed copy of them)."""
    return store.files.absolute(f"recordings/{recording_id}/audio.webm").read_bytes()


def _recording(client, study, n: int = 0) -> int:
    answer = start(client, study.token(n), study.scenario_id())
    assert answer.status_code == 201, answer.text
    return answer.json["recording_id"]


def test_chunks_out_of_order_and_retried_are_joined_in_sequence_order(client, study, tone_webm):
    data = tone_webm.read_bytes()
    parts = pieces(data, 5)
    recording_id = _recording(client, study)
    for seq in (0, 3, 1, 4, 2):
        assert send_chunk(client, study.token(0), recording_id, seq, parts[seq], offset_ms=2000 * seq).status_code \
            == 200
    retried = send_chunk(client, study.token(0), recording_id, 1, b"bytes of a retry", offset_ms=2000)
    assert retried.status_code == 200 and retried.json["seq"] == 1
    finished = client.post(f"/audio/recordings/{recording_id}/finish", json={"duration_ms": 6100},
                           headers={TOKEN_HEADER: study.token(0)})
    assert finished.status_code == 200, finished.text
    assert (finished.json["status"], finished.json["chunks"], finished.json["missing"]) == ("complete", 5, [])
    store = study.store
    recording = store.get_recording(recording_id)
    assert (recording.kind, recording.mime) == ("think_aloud", "audio/webm")
    assert recording.duration_s == pytest.approx(6.0, abs=0.05)  # what the audio plays, not the 6.1 s claimed
    assert (recording.participant_id, recording.study_scenario_id) == (study.participant(0).id, study.scenario_id())
    assert _joined(store, recording_id) == data
    assert recording.path == f"recordings/{recording_id}/audio-indexed.webm"
    assert 5.8 <= decode_audio(store.files.absolute(recording.path))[1] <= 6.2
    chunks = store.list_chunks(recording_id)
    assert [c.client_offset_ms for c in chunks] == [0, 2000, 4000, 6000, 8000]
    assert all(c.received_at >= recording.started_at for c in chunks)


def test_in_order_chunks_of_a_second_recording_stay_apart_from_the_first(client, study, tone_webm):
    parts = pieces(tone_webm.read_bytes(), 3)
    first, second = _recording(client, study), _recording(client, study)
    for seq, part in enumerate(parts):
        send_chunk(client, study.token(0), second, seq, part)
    send_chunk(client, study.token(0), first, 0, b"only the first")
    assert len(study.store.list_chunks(second)) == 3 and len(study.store.list_chunks(first)) == 1


@pytest.mark.parametrize("token", ["not-a-token", "", None])
def test_a_wrong_or_missing_token_is_refused(client, study, token):
    recording_id = _recording(client, study)
    headers = {} if token is None else {TOKEN_HEADER: token}
    refused = client.post(f"/audio/recordings/{recording_id}/chunks/0", data=b"audio", headers=headers)
    assert refused.status_code == 403 and "link is not valid" in refused.text
    assert client.post("/audio/recordings", json={"study_scenario_id": study.scenario_id()},
                       headers=headers).status_code == 403
    assert study.store.list_chunks(recording_id) == []


def test_another_participants_recording_or_study_is_refused(client, study):
    recording_id = _recording(client, study, 0)
    refused = send_chunk(client, study.token(1), recording_id, 0, b"audio")
    assert refused.status_code == 403 and "does not belong to this participant" in refused.text
    finish = client.post(f"/audio/recordings/{recording_id}/finish", json={}, headers={TOKEN_HEADER: study.token(1)})
    assert finish.status_code == 403
    other = study.store.create_study("elsewhere", ["digits"], n_participants=1)
    foreign = start(client, study.token(0), other.study.scenarios[0].id)
    assert foreign.status_code == 403 and "not one of this participant's tasks" in foreign.text
    study.store.set_status(study.participant(0).id, "dropped")
    assert send_chunk(client, study.token(0), recording_id, 0, b"audio").status_code == 403
    assert study.store.list_chunks(recording_id) == [] and study.store.get_recording(recording_id).status == \
        "recording"


def test_a_chunk_over_the_limit_is_refused_with_the_limit(server, client, study):
    server.config[CHUNK_KEY] = 1000
    recording_id = _recording(client, study)
    refused = send_chunk(client, study.token(0), recording_id, 0, b"x" * 1001)
    assert refused.status_code == 413 and "at most 1000 bytes" in refused.text
    assert send_chunk(client, study.token(0), recording_id, 0, b"x" * 1000).status_code == 200
    assert len(study.store.list_chunks(recording_id)) == 1


def test_bad_offsets_and_empty_chunks_are_refused(client, study):
    recording_id = _recording(client, study)
    url = f"/audio/recordings/{recording_id}/chunks/0"
    for query, body, says in (("?offset_ms=soon", b"a", "whole milliseconds"), ("?offset_ms=-5", b"a", "negative"),
                              ("", b"", "empty")):
        refused = client.post(url + query, data=body, headers={TOKEN_HEADER: study.token(0)})
        assert refused.status_code == 400 and says in refused.text
    assert study.store.list_chunks(recording_id) == []


def test_a_closing_page_hands_over_its_unsent_chunks_with_the_finish(client, study, tone_webm):
    data = tone_webm.read_bytes()
    parts = pieces(data, 3)
    recording_id = _recording(client, study)
    send_chunk(client, study.token(0), recording_id, 0, parts[0], offset_ms=0)
    beacon = {"token": study.token(0), "duration_ms": "6000", "offset-1": "2000", "offset-2": "4000",
              "chunk-1": (io.BytesIO(parts[1]), "blob"), "chunk-2": (io.BytesIO(parts[2]), "blob")}
    finished = client.post(f"/audio/recordings/{recording_id}/finish", data=beacon,
                           content_type="multipart/form-data")
    assert finished.status_code == 200, finished.text
    recording = study.store.get_recording(recording_id)
    assert _joined(study.store, recording_id) == data and recording.duration_s == 6.0
    late = send_chunk(client, study.token(0), recording_id, 3, b"late")
    assert late.status_code == 409 and "takes no more chunks" in late.text
    again = client.post(f"/audio/recordings/{recording_id}/finish", json={"duration_ms": 1},
                        headers={TOKEN_HEADER: study.token(0)})
    assert again.status_code == 200 and again.json["duration_s"] == 6.0


def test_a_lost_chunk_is_named_and_the_rest_is_joined(client, study, tone_webm):
    parts = pieces(tone_webm.read_bytes(), 4)
    recording_id = _recording(client, study)
    for seq in (0, 1, 3):
        send_chunk(client, study.token(0), recording_id, seq, parts[seq], offset_ms=1500 * seq)
    finished = client.post(f"/audio/recordings/{recording_id}/finish", json={},
                           headers={TOKEN_HEADER: study.token(0)})
    assert finished.json["missing"] == [2] and finished.json["status"] == "complete"
    recording = study.store.get_recording(recording_id)
    # the later chunks continue the stream: the audio's own timestamps run to its end, past the lost piece
    assert recording.duration_s == pytest.approx(6.0, abs=0.05)
    assert _joined(study.store, recording_id) == parts[0] + parts[1] + parts[3]


def test_a_recording_that_ends_before_any_audio_is_marked_failed(client, study):
    recording_id = _recording(client, study)
    finished = client.post(f"/audio/recordings/{recording_id}/finish", json={"duration_ms": 300},
                           headers={TOKEN_HEADER: study.token(0)})
    assert finished.status_code == 409 and "before any audio arrived" in finished.text
    assert study.store.get_recording(recording_id).status == "failed"


def test_the_audio_file_is_for_logged_in_researchers_and_seekable(client, study, researcher, tone_webm):
    recording_id = _recording(client, study)
    send_chunk(client, study.token(0), recording_id, 0, tone_webm.read_bytes())
    client.post(f"/audio/recordings/{recording_id}/finish", json={}, headers={TOKEN_HEADER: study.token(0)})
    data = study.store.files.absolute(study.store.get_recording(recording_id).path).read_bytes()
    url = f"/researcher/recordings/{recording_id}/audio"
    refused = client.get(url)
    assert refused.status_code == 401 and data[:4] not in refused.data
    log_in(client, researcher)
    whole = client.get(url)
    assert (whole.status_code, whole.mimetype, whole.data) == (200, "audio/webm", data)
    part = client.get(url, headers={"Range": "bytes=100-199"})
    assert part.status_code == 206 and part.data == data[100:200]
    missing = client.get(f"/researcher/recordings/{_recording(client, study)}/audio")
    assert missing.status_code == 404 and "no audio file yet" in missing.text
