"""Audio that cannot be transcribed says why on the recording itself, not only in a failed job."""

from __future__ import annotations

import numpy as np
import pytest
from recording_kit import recorded, webm_opus

from hill_dash.jobs.transcription import TranscriptionError, queue_transcription, run_transcription_job
from transcripts import get_transcriber
from transcripts._audio import level_dbfs, silence_problem


def _ids(study):
    return study.participant(0).id, study.scenario_id()


def test_a_silent_recording_is_refused_with_the_likely_cause(study, tmp_path):
    store = study.store
    quiet = webm_opus(tmp_path / "quiet.webm", np.zeros(16_000 * 4, np.float32))
    recording_id = recorded(store, *_ids(study), quiet.read_bytes())
    job = queue_transcription(store, recording_id, "ada")
    with pytest.raises(TranscriptionError, match="silent"):
        run_transcription_job(store, job.id, transcriber=get_transcriber("fake"))
    problem = store.recording_problem(recording_id)
    assert "silent" in problem and "microphone" in problem
    assert store.get_job(job.id).status == "failed" and "silent" in store.get_job(job.id).message
    assert store.get_recording(recording_id).status == "failed" and store.list_transcripts(recording_id) == []
    assert store.recording_problems([recording_id]) == {recording_id: problem}


def test_corrupt_audio_leaves_its_reason_on_the_recording(study):
    store = study.store
    recording_id = recorded(store, *_ids(study), b"this was never audio " * 40)
    with pytest.raises(TranscriptionError):
        run_transcription_job(store, queue_transcription(store, recording_id, "ada").id,
                              transcriber=get_transcriber("fake"))
    assert "not a readable audio file" in store.recording_problem(recording_id)


def test_sound_without_words_is_transcribed_empty_and_says_so(study, tone_webm):
    store = study.store
    recording_id = recorded(store, *_ids(study), tone_webm.read_bytes())
    stored = run_transcription_job(store, queue_transcription(store, recording_id, "ada").id,
                                   transcriber=get_transcriber("fake", script=()))
    assert store.transcript_segments(stored.id) == []
    assert "no speech" in store.recording_problem(recording_id)


def test_a_new_transcription_clears_an_old_problem(study, tone_webm):
    store = study.store
    recording_id = recorded(store, *_ids(study), tone_webm.read_bytes())
    store.set_recording_problem(recording_id, "the recording is silent")
    run_transcription_job(store, queue_transcription(store, recording_id, "ada").id,
                          transcriber=get_transcriber("fake", script=((0.0, 1.0, "hello"),)))
    assert store.recording_problem(recording_id) is None


def test_levels_separate_a_quiet_room_from_speech_and_digital_silence():
    rng = np.random.default_rng(0)
    assert silence_problem(0.3 * np.sin(np.arange(16_000) / 5).astype(np.float32)) is None
    room = rng.normal(0, 10 ** (-70 / 20), 16_000).astype(np.float32)  # -70 dBFS RMS hiss: peak about -58
    assert -62 < level_dbfs(room)[0] < -50 and "loudest moment" in silence_problem(room)
    assert "digital silence" in silence_problem(np.zeros(16_000, np.float32))
