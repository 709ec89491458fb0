"""Two researchers on one server: neither can list, open, export or act on the other's study (a study made on the
command line, with no creator, is shared)."""

from __future__ import annotations

import sys

import pytest
from security_kit import caller, log_in_client
from dash.exceptions import PreventUpdate
from dash_calls import call
from layout_tree import text

from hill_dash.app import access, ids


def page(name: str):
    return sys.modules[f"hill_dash.app.pages.{name}"]


def test_the_study_list_shows_only_ones_own_and_shared_studies(app, world):
    shared = world.store.create_study("shared pilot", ["digits"], n_participants=0)
    with caller(app, researcher=world.bob):
        shown = text(page("researcher").layout())
        recordings = text(page("recordings").layout())
        analysis = text(page("analysis").layout())
    assert "bob's study" in shown and "shared pilot" in shown and "ada's study" not in shown
    assert "ada's study" not in recordings and "ada's study" not in analysis
    assert [s.id for s in world.store.studies_of(world.bob.id)] == [shared.study.id, world.theirs.study.id]


def test_another_researchers_study_page_shows_nothing_of_it(app, world):
    with caller(app, researcher=world.bob):
        shown = text(page("study").layout(study_id=str(world.mine.study.id)))
    assert "ada's study" not in shown and "P1" not in shown and "no study" in shown.lower()


@pytest.mark.parametrize("kind", ["answers", "overview"])
def test_another_researchers_study_cannot_be_exported(app, world, kind):
    client = app.server.test_client()
    log_in_client(client, world.bob)
    refused = client.get(f"/researcher/study/{world.mine.study.id}/{kind}.csv")
    assert refused.status_code == 404 and "P1" not in refused.get_data(as_text=True)
    log_in_client(client, world.ada)
    assert client.get(f"/researcher/study/{world.mine.study.id}/{kind}.csv").status_code == 200


@pytest.mark.parametrize("action", [ids.STUDY_RESET, ids.STUDY_DROP])
def test_another_researcher_can_neither_reset_a_link_nor_drop_a_participant(app, world, action):
    target = world.mine.invites[1].participant
    with caller(app, researcher=world.bob):
        with pytest.raises(PreventUpdate):
            call(page("study").update_overview, None, None, [1], [1], world.mine.study.id,
                 trigger={"type": action, "participant": target.id})
    assert world.store.participant_by_token(world.other_token).id == target.id
    assert world.store.get_participant(target.id).status != "dropped"


@pytest.mark.parametrize("study_id", ["ada", 2**70, -3, None, [1]])
def test_crafted_study_ids_in_the_overview_are_refused(app, world, study_id):
    with caller(app, researcher=world.ada):
        with pytest.raises(PreventUpdate):
            call(page("study").update_overview, 1, None, [], [], study_id, trigger=ids.STUDY_TICK)


def test_a_participant_id_of_another_study_is_ignored_by_the_overview(app, world):
    foreign = world.theirs.invites[0]
    with caller(app, researcher=world.ada):
        call(page("study").update_overview, None, None, [1], [], world.mine.study.id,
             trigger={"type": ids.STUDY_RESET, "participant": foreign.participant.id})
    assert world.store.participant_by_token(foreign.token).id == foreign.participant.id


def test_another_researchers_study_gives_no_analysis_or_recordings(app, world):
    with caller(app, researcher=world.bob):
        assert page("analysis").scenarios(world.mine.study.id, None) == ([], None)
        assert page("analysis").request_build("digits", world.mine.study.id)[0] is None
        table, participants = page("recordings").show_recordings(world.mine.study.id, 0)
        assert participants == [] and "among your studies" in text(table)
        tidy, message = call(page("analysis").download_tidy, 1, None, world.mine.study.id, trigger=ids.ANALYSIS_CSV)
    assert tidy is not access.Refused and "Choose a study" in text(message)


def test_another_researchers_transcripts_are_out_of_reach(app, world):
    recording = world.store.create_recording("think_aloud", "audio/webm", participant_id=world.participant.id,
                                             study_scenario_id=world.scenario_id)
    transcript = world.store.add_transcript(recording.id, "faster-whisper", "tiny.en",
                                            segments=[{"start": 0, "end": 1, "text": "my secret thought"}])
    with caller(app, researcher=world.bob):
        with pytest.raises(access.Refused):
            access.researcher_transcript(transcript.id)
        shown = text(page("transcript").layout(transcript_id=str(transcript.id)))
    assert "my secret thought" not in shown
    with caller(app, researcher=world.ada):
        assert access.researcher_transcript(transcript.id) == transcript.id
