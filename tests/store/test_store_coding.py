"""The codebook, codings of transcript segments, memos."""

from __future__ import annotations

import pytest

from hill_dash.store import NewStudy, Store, StoreError, Transcript


@pytest.fixture
def transcript(store: Store, study: NewStudy) -> Transcript:
    recording = store.create_recording("think_aloud", participant_id=study.invites[0].participant.id)
    return store.add_transcript(recording.id, "faster-whisper", "tiny.en", segments=[
        {"start": 0.0, "end": 2.0, "text": "these two overlap"},
        {"start": 2.0, "end": 5.0, "text": "so I pull them apart"},
        {"start": 5.0, "end": 6.5, "text": "done"}])


def test_codebook_nests_codes_under_themes(store: Store, study: NewStudy) -> None:
    theme = store.add_code("pilot", "Strategy", theme=True)
    code = store.add_code("pilot", "separate classes", "pulling clusters apart", parent_id=theme.id)
    assert [c.name for c in store.list_codes("pilot")] == ["Strategy", "separate classes"]
    renamed = store.update_code(code.id, name="separate", description="moves clusters apart")
    assert (renamed.name, renamed.parent_id) == ("separate", theme.id)
    assert store.update_code(code.id, parent_id=None).parent_id is None
    with pytest.raises(StoreError, match="already has a code named 'Strategy'"):
        store.add_code("pilot", "Strategy")
    with pytest.raises(StoreError, match="under its own descendant"):
        store.update_code(theme.id, parent_id=store.update_code(code.id, parent_id=theme.id).id)
    other = store.add_code(store.create_study("other", ["digits"]).study.id, "Strategy")
    with pytest.raises(StoreError, match="another study's codebook"):
        store.add_code("pilot", "wrong parent", parent_id=other.id)


def test_codings_check_their_segments_and_codebook(store: Store, study: NewStudy, transcript: Transcript) -> None:
    code = store.add_code("pilot", "separate")
    coding = store.add_coding(transcript.id, 0, 1, code.id, "ada", memo="clear case")
    store.add_coding(transcript.id, 2, 2, code.id, "bob")
    assert [c.coder for c in store.list_codings(transcript_id=transcript.id)] == ["ada", "bob"]
    assert [c.id for c in store.list_codings(study="pilot", coder="ada")] == [coding.id]
    with pytest.raises(StoreError, match="do not fit transcript"):
        store.add_coding(transcript.id, 1, 3, code.id, "ada")
    with pytest.raises(StoreError, match="do not fit transcript"):
        store.add_coding(transcript.id, 2, 1, code.id, "ada")
    foreign = store.add_code(store.create_study("other", ["digits"]).study.id, "separate")
    with pytest.raises(StoreError, match="another study's codebook"):
        store.add_coding(transcript.id, 0, 0, foreign.id, "ada")
    store.delete_coding(coding.id)
    assert [c.coder for c in store.list_codings(transcript_id=transcript.id)] == ["bob"]


def test_memos(store: Store, transcript: Transcript) -> None:
    general = store.add_memo("ada", "participants ignore the arrow tool")
    specific = store.add_memo("bob", "hesitates at 0:02", transcript_id=transcript.id)
    assert [m.id for m in store.list_memos()] == [general.id, specific.id]
    assert [m.id for m in store.list_memos(transcript_id=transcript.id)] == [specific.id]
    assert [m.id for m in store.list_memos(author="ada")] == [general.id]
    with pytest.raises(StoreError, match="needs an author and some text"):
        store.add_memo("ada", "   ")
