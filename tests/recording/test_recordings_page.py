"""The recordings page's layout and callbacks as plain functions inside the real app's requests: the table per
study, queuing a transcription and running it as the background callback does; nothing for visitors."""

from __future__ import annotations

import pytest
from dash.exceptions import PreventUpdate
from dash_calls import call, request
from layout_tree import find, text, walk
from recording_kit import recorded

from hill_dash.app import auth, ids


def _transcribe_trigger(recording_id: int) -> dict:
    return {"type": ids.REC_TRANSCRIBE, "recording": recording_id}


def test_visitors_get_neither_the_page_nor_its_callbacks(pages, study, tone_webm):
    module = pages["recordings"]
    recording_id = recorded(study.store, study.participant(0).id, study.scenario_id(), tone_webm.read_bytes())
    with request(pages["app"]):
        refused = module.layout(study=str(study.created.study.id))
        assert auth.REFUSED in text(refused) and "think-aloud" not in text(refused)
        for callback, args, trigger in ((module.show_recordings, (study.created.study.id, 0), None),
                                        (module.queue, ([1],), _transcribe_trigger(recording_id)),
                                        (module.upload, ("data:audio/wav;base64,AAAA", "a.wav", 1, 1, 0), None)):
            with pytest.raises(PreventUpdate):
                call(callback, *args, trigger=trigger)
    assert study.store.list_jobs() == [] and len(study.store.list_recordings()) == 1


def test_a_researcher_sees_the_recordings_and_transcribes_one(pages, study, researcher, tone_webm, monkeypatch):
    module, store = pages["recordings"], study.store
    study_id = study.created.study.id
    recording_id = recorded(store, study.participant(1).id, study.scenario_id(1), tone_webm.read_bytes())
    with request(pages["app"], researcher):
        page = module.layout(study=str(study_id))
        assert find(page, ids.REC_STUDY).value == study_id
        table, participants = call(module.show_recordings, study_id, 0)
    assert [o["label"] for o in participants] == ["P1", "P2"]
    assert "P2 basicmotions think_aloud" in text(table) and "complete" in text(table)
    players = [c for c in walk(table) if type(c).__name__ == "Audio"]
    assert [p.src for p in players] == [f"/researcher/recordings/{recording_id}/audio"]
    with request(pages["app"], researcher):
        with pytest.raises(PreventUpdate):  # the table redrawn: buttons that nobody clicked
            call(module.queue, [None], trigger=_transcribe_trigger(recording_id), value=None)
        job, message = call(module.queue, [1], trigger=_transcribe_trigger(recording_id))
    assert store.get_job(job["job_id"]).payload == {"requested_by": "ada"} and "Transcribing" in text(message)
    monkeypatch.setenv("HILL_TRANSCRIBE_BACKEND", "fake")
    progress = []
    with request(pages["app"]):  # a visitor replaying the job id is refused; the job stays queued
        refused, unchanged = module.transcribe(progress.append, job, 4)
    assert "log in as a researcher of this study" in text(refused) and unchanged == 4
    assert store.get_job(job["job_id"]).status == "queued" and progress == []
    # the background job knows its caller from the signed cookie of the request that started it
    with request(pages["app"], researcher):
        message, version = module.transcribe(progress.append, job, 4)
    transcript = store.list_transcripts(recording_id)[0]
    assert "Transcribed:" in text(message) and "(3 segments)" in text(message)
    assert version == 5 and progress[-1][0] == 1.0
    assert any(getattr(c, "href", None) == f"/researcher/transcript/{transcript.id}" for c in walk(message))
    with request(pages["app"], researcher):
        again, _ = module.transcribe(progress.append, job, 5)
    assert "Not transcribed" in text(again) and "already done" in text(again)
    with request(pages["app"], researcher):
        table, _ = call(module.show_recordings, study_id, 5)
    assert "transcribed" in text(table) and "Transcribe again" in text(table)


def test_a_silent_recording_shows_why_it_was_not_transcribed(pages, study, researcher, tmp_path, monkeypatch):
    import numpy as np
    from recording_kit import webm_opus

    module, store = pages["recordings"], study.store
    quiet = webm_opus(tmp_path / "quiet.webm", np.zeros(16_000 * 3, np.float32)).read_bytes()
    recording_id = recorded(store, study.participant(0).id, study.scenario_id(), quiet)
    with request(pages["app"], researcher):
        job, _ = call(module.queue, [1], trigger=_transcribe_trigger(recording_id))
    monkeypatch.setenv("HILL_TRANSCRIBE_BACKEND", "fake")
    with request(pages["app"], researcher):
        message, _ = module.transcribe(lambda update: None, job, 0)
    assert "Not transcribed" in text(message) and "silent" in text(message)
    with request(pages["app"], researcher):
        table, _ = call(module.show_recordings, study.created.study.id, 1)
    problem = [c for c in walk(table) if "hill-recording-problem" in (getattr(c, "className", "") or "")]
    assert len(problem) == 1 and "microphone" in text(problem[0])
