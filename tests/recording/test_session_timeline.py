"""Think-aloud on the session clock: segments (and words) joined to the epoch, the interaction point and the edits
made within the documented window, from the store's rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from hill_dash.store.tables import Answer, AudioChunk, Edit, Epoch, Recording
from transcripts import EDIT_WINDOW_S

T0 = datetime(2026, 11, 30, 10, 0, 0, tzinfo=UTC)  # the participant's first answer: session second 0
SEGMENTS = [{"start": 1.0, "end": 4.0, "text": "I move the cats away from the dogs.",
             "words": [{"start": 1.0, "end": 1.3, "word": " I"}, {"start": 2.5, "end": 2.9, "word": " cats"}]},
            {"start": 20.0, "end": 23.0, "text": "Now let it train."},
            {"start": 100.0, "end": 104.0, "text": "The cats moved, good."}]


def _at(store, table, row_id, seconds, column="created_at"):
    with store.engine.begin() as connection:
        connection.execute(update(table).where(table.id == row_id).values({column: T0 + timedelta(seconds=seconds)}))


@pytest.fixture
def session(study):
    """A participant who answered at 0 s, started recording at 60 s (chunk timing), reached the first
    interaction point (epoch 25) at 50 s, moved class 3 at 63 s and class 5 at 110 s, reached epoch 30 at 150 s."""
    store = study.store
    participant, scenario = study.participant(0), study.scenario_id()
    store.save_answer(participant.id, "demographics", "age", 30)
    run = store.create_run(study_scenario_id=scenario, participant_id=participant.id)
    store.add_epoch(run.id, 25, interaction_point=True, val_acc=0.9)
    first = store.add_edit(run.id, 0, 25, "class", class_id=3, point_indices=[1, 2])
    second = store.add_edit(run.id, 0, 25, "class", class_id=5, point_indices=[4])
    store.add_epoch(run.id, 30, interaction_point=True, val_acc=0.92)
    recording = store.create_recording("think_aloud", "audio/webm", participant_id=participant.id,
                                       study_scenario_id=scenario)
    store.add_chunk(recording.id, 0, b"x" * 10, client_offset_ms=0)
    chunk = store.add_chunk(recording.id, 1, b"x" * 10, client_offset_ms=2000)
    transcript = store.add_transcript(recording.id, "faster-whisper", "base", segments=SEGMENTS)
    with store.engine.begin() as connection:
        epochs = {e: i for i, e in connection.execute(
            Epoch.__table__.select().with_only_columns(Epoch.id, Epoch.epoch).where(Epoch.run_id == run.id))}
        chunks = [i for (i,) in connection.execute(
            AudioChunk.__table__.select().with_only_columns(AudioChunk.id).where(
                AudioChunk.recording_id == recording.id))]
        connection.execute(update(Answer).where(Answer.participant_id == participant.id).values(answered_at=T0))
    _at(store, Recording, recording.id, 59.0, "started_at")  # the row is made before the audio begins
    _at(store, AudioChunk, chunks[0], 60.4, "received_at")  # 0.4 s late
    _at(store, AudioChunk, chunk.id, 62.1, "received_at")  # 2.0 s in, 0.1 s late: the best estimate, 60.1
    _at(store, Epoch, epochs[25], 50.0)
    _at(store, Edit, first.id, 63.0)
    _at(store, Edit, second.id, 110.0)
    _at(store, Epoch, epochs[30], 150.0)
    return store, transcript, participant, (first, second)


def test_segments_land_on_the_session_clock_with_the_model_state_and_nearby_edits(session):
    store, transcript, participant, (first, second) = session
    aligned, events, start = store.transcript_timeline(transcript.id)
    assert start == T0 + timedelta(seconds=60.1) and store.session_start(participant.id) == T0
    offset = 60.1
    assert [s["session_start_s"] for s in aligned] == pytest.approx([offset + 1, offset + 20, offset + 100])
    one, two, three = aligned
    assert (one["epoch"], one["interaction_index"]) == (25, 0)
    assert one["edits_near"] == 1 and one["edit_ids"] == str(first.id) and one["edit_labels"] == "move class 3"
    assert two["edits_near"] == 0  # 80.1..83.1 s: the edits at 63 s and 110 s are more than 10 s away
    assert three["edits_near"] == 0 and three["epoch"] == 30 and three["interaction_index"] == 1
    assert two["nearest_edit_s"] == pytest.approx((60.1 + 21.5) - 63.0, abs=0.01)
    assert [w["word"] for w in one["words"]] == [" I", " cats"]
    assert one["words"][1]["session_start_s"] == pytest.approx(offset + 2.5)
    assert {e.kind for e in events} == {"edit", "epoch"} and EDIT_WINDOW_S == 10.0


def test_the_export_frame_carries_the_timeline_columns(session, study):
    store, transcript, participant, (first, _) = session
    frame = store.segments_frame(study.created.study.id)
    assert len(frame) == 3 and set(frame["participant"]) == {participant.code}
    assert {"session_start_s", "interaction_index", "epoch", "edits_near", "edit_ids"} <= set(frame.columns)
    assert frame["scenario"].tolist() == ["digits"] * 3
    assert frame.loc[0, "edit_ids"] == str(first.id) and frame.loc[2, "interaction_index"] == 1
    words = store.words_frame(study.created.study.id)
    assert words["word"].tolist() == ["I", "cats"] and words["session_start_s"].tolist() == pytest.approx([61.1, 62.6])
    assert words["interaction_index"].tolist() == [0, 0]
