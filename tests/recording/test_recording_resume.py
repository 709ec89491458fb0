"""A think-aloud recording ended by a page reload is continued by the next one, and the gap between them is
stored; a recording of someone else, or of nothing, cannot be continued."""

from __future__ import annotations

from recording_kit import TOKEN_HEADER, send_chunk, start

from hill_dash.store.resumed import resumed_from


def _resume(client, token, scenario_id, previous, gap_ms):
    return client.post("/audio/recordings", json={"study_scenario_id": scenario_id, "mime": "audio/webm",
                                                  "resumes": previous, "gap_ms": gap_ms},
                       headers={TOKEN_HEADER: token})


def test_a_recording_resumed_after_a_reload_names_the_one_it_continues_with_the_gap(client, study):
    token, scenario = study.token(0), study.scenario_id()
    first = start(client, token, scenario).json["recording_id"]
    send_chunk(client, token, first, 0, b"some audio", offset_ms=0)
    # the reload's beacon has not finished the first recording yet: the page's measurement is taken, bounded
    answer = _resume(client, token, scenario, first, 1500)
    assert answer.status_code == 201, answer.text
    second = answer.json["recording_id"]
    previous, gap = resumed_from(study.store, second)
    assert previous == first and 0.0 <= gap <= 1.5 and answer.json["gap_s"] == gap
    assert resumed_from(study.store, first) == (None, None)


def test_the_server_measures_the_gap_when_the_previous_duration_is_known(client, study):
    token, scenario = study.token(0), study.scenario_id()
    first = start(client, token, scenario).json["recording_id"]
    study.store.update_recording(first, duration_s=0.0)
    answer = _resume(client, token, scenario, first, 999_999)  # an absurd report does not count here
    started = study.store.get_recording(answer.json["recording_id"]).started_at
    between = (started - study.store.get_recording(first).started_at).total_seconds()
    assert answer.status_code == 201 and abs(answer.json["gap_s"] - between) < 0.01


def test_another_participants_recording_cannot_be_continued(client, study):
    other = start(client, study.token(1), study.scenario_id()).json["recording_id"]
    before = len(study.store.list_recordings())
    answer = _resume(client, study.token(0), study.scenario_id(), other, 10)
    assert answer.status_code in (403, 404)
    assert len(study.store.list_recordings()) == before  # refused before anything was created
    bad = _resume(client, study.token(0), study.scenario_id(), "first", 10)
    assert bad.status_code == 400 and "resumes" in bad.text
