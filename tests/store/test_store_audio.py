"""Audio chunks: kept as they arrive, idempotent per sequence number, joined in order; transcripts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hill_dash.store import NewStudy, Store, StoreError


def test_chunks_are_idempotent_and_joined_in_sequence_order(store: Store, study: NewStudy) -> None:
    participant = study.invites[0].participant
    recording = store.create_recording("think_aloud", "audio/webm;codecs=opus", participant_id=participant.id,
                                       study_scenario_id=study.study.scenarios[0].id)
    assert (recording.status, recording.mime) == ("recording", "audio/webm")
    parts = {2: b"-third", 0: b"first", 1: b"-second"}
    for seq, data in parts.items():
        chunk = store.add_chunk(recording.id, seq, data, client_offset_ms=seq * 1000)
        assert store.files.absolute(chunk.path).read_bytes() == data
    retried = store.add_chunk(recording.id, 1, b"a retry of the same upload")
    assert retried.seq == 1 and store.files.absolute(retried.path).read_bytes() == b"-second"
    assert [c.seq for c in store.list_chunks(recording.id)] == [0, 1, 2]
    joined = store.join_chunks(recording.id, duration_s=3.0)
    assert (joined.status, joined.duration_s, joined.path) == ("complete", 3.0, f"recordings/{recording.id}/audio.webm")
    assert store.files.absolute(joined.path).read_bytes() == b"first-second-third"
    with pytest.raises(StoreError, match="is complete; it takes no more chunks"):
        store.add_chunk(recording.id, 3, b"late")
    assert store.add_chunk(recording.id, 2, b"retry after join").path == store.list_chunks(recording.id)[2].path


def test_a_gap_in_the_chunks_stops_the_join(store: Store) -> None:
    recording = store.create_recording("interview", "audio/ogg")
    with pytest.raises(StoreError, match="no chunks to join"):
        store.join_chunks(recording.id)
    store.add_chunk(recording.id, 0, b"a")
    store.add_chunk(recording.id, 2, b"c")
    with pytest.raises(StoreError, match=r"chunks \[1\] are missing"):
        store.join_chunks(recording.id)
    assert store.get_recording(recording.id).status == "recording"
    store.add_chunk(recording.id, 1, b"b")
    assert store.files.absolute(store.join_chunks(recording.id).path).read_bytes() == b"abc"


def test_chunk_for_an_unknown_recording_leaves_no_file(store: Store) -> None:
    with pytest.raises(StoreError, match="no recording with id 77"):
        store.add_chunk(77, 0, b"x")
    assert not (store.files.root / "recordings" / "77").exists()


def test_import_and_list_recordings(store: Store, study: NewStudy, tmp_path: Path) -> None:
    source = tmp_path / "interview.wav"
    source.write_bytes(b"RIFF....WAVE")
    participant = study.invites[1].participant
    imported = store.import_recording("interview", source, participant_id=participant.id, duration_s=12.5)
    assert (imported.mime, imported.status) == ("audio/wav", "complete")
    assert store.files.absolute(imported.path).read_bytes() == b"RIFF....WAVE"
    loose = store.create_recording("think_aloud")
    assert [r.id for r in store.list_recordings(study="pilot")] == [imported.id]
    assert [r.id for r in store.list_recordings(kind="think_aloud")] == [loose.id]
    with pytest.raises(StoreError, match="use one of: think_aloud, interview"):
        store.create_recording("podcast")


def test_transcripts_and_their_corrections(store: Store) -> None:
    recording = store.create_recording("interview")
    segments = [{"start": 0, "end": 1.5, "text": "I moved the cat"}, {"start": 1.5, "end": 3, "text": "class."}]
    transcript = store.add_transcript(recording.id, "faster-whisper", "tiny.en", language="en", segments=segments,
                                      settings={"beam_size": 1})
    assert store.get_recording(recording.id).status == "transcribed"
    store.add_transcript_edit(transcript.id, 0, "I moved the cats", "ada")
    store.add_transcript_edit(transcript.id, 0, "I moved the cat cluster", "bob")
    assert [s["text"] for s in store.transcript_segments(transcript.id)] == ["I moved the cat cluster", "class."]
    assert store.transcript_segments(transcript.id, edited=False)[0]["text"] == "I moved the cat"
    assert [e.editor for e in store.list_transcript_edits(transcript.id)] == ["ada", "bob"]
    with pytest.raises(StoreError, match=r"has segments 0\.\.1; there is no segment 2"):
        store.add_transcript_edit(transcript.id, 2, "x", "ada")
    with pytest.raises(StoreError, match=r"ends .* before it starts"):
        store.add_transcript(recording.id, "whisper", "tiny", segments=[{"start": 2, "end": 1, "text": "x"}])
    store.files.write_bytes("transcripts/t.json", json.dumps({"segments": segments}).encode())
    from_file = store.add_transcript(recording.id, "whisper", "tiny", path="transcripts/t.json")
    assert from_file.segments is None
    assert [s["end"] for s in store.transcript_segments(from_file.id)] == [1.5, 3]
    assert [t.id for t in store.list_transcripts(recording.id)] == [transcript.id, from_file.id]
