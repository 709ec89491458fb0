"""Coding as QDA tools do it, in the store: selected characters with the text they covered, colours, memos, and
independent passes (a coder sees another's codings only once both marked their pass done)."""

from __future__ import annotations

import pytest
from recording_kit import recorded

from hill_dash.store import StoreError

SEGMENTS = [{"start": 0.0, "end": 3.0, "text": "I put the cats next to the dogs."},
            {"start": 3.0, "end": 6.0, "text": "The buttons are clear."}]


@pytest.fixture
def transcript_id(study, tone_webm):
    store = study.store
    recording_id = recorded(store, study.participant(0).id, study.scenario_id(), tone_webm.read_bytes())
    return store.add_transcript(recording_id, "faster-whisper", "base", segments=SEGMENTS).id


def test_a_selection_keeps_its_offsets_and_the_text_it_covered(study, transcript_id):
    store = study.store
    code = store.add_code(study.created.study.id, "Merge", color="#3CB44B")
    assert code.color == "#3cb44b"
    coding = store.add_coding(transcript_id, 0, 0, code.id, "ada", memo="animals", start_char=10, end_char=31)
    assert (coding.start_char, coding.end_char, coding.quote, coding.memo) == (10, 31, "cats next to the dogs",
                                                                             "animals")
    across = store.add_coding(transcript_id, 0, 1, code.id, "ada", start_char=27, end_char=11)
    assert across.quote == "dogs. The buttons"
    store.add_transcript_edit(transcript_id, 1, "The sliders are clear.", "ada")
    assert store.add_coding(transcript_id, 1, 1, code.id, "ada", start_char=4, end_char=11).quote == "sliders"
    for bad in ((5, 5), (10, 99), (-1, 3)):
        with pytest.raises(StoreError, match="do not select text"):
            store.add_coding(transcript_id, 0, 0, code.id, "ada", start_char=bad[0], end_char=bad[1])
    with pytest.raises(StoreError, match="both start_char and end_char"):
        store.add_coding(transcript_id, 0, 0, code.id, "ada", start_char=3)
    with pytest.raises(StoreError, match="#rrggbb"):
        store.add_code(study.created.study.id, "Other", color="green")
    assert store.update_coding_memo(coding.id, "cats and dogs", "ada").memo == "cats and dogs"
    with pytest.raises(StoreError, match="only its coder"):
        store.update_coding_memo(coding.id, "mine now", "bob")


def test_coders_see_each_other_only_after_both_finished(study, transcript_id):
    store = study.store
    code = store.add_code(study.created.study.id, "Interface")
    mine = store.add_coding(transcript_id, 1, 1, code.id, "ada")
    theirs = store.add_coding(transcript_id, 1, 1, code.id, "bob")

    def seen(viewer):
        return {c.id for c in store.visible_codings(transcript_id, viewer)}

    assert seen("ada") == {mine.id} and seen("bob") == {theirs.id}
    store.finish_pass(transcript_id, "ada")
    assert seen("ada") == {mine.id} and seen("bob") == {theirs.id}  # bob is still coding
    assert store.finished_codings(study.created.study.id) == [store.list_codings(coder="ada")[0]]
    store.finish_pass(transcript_id, "bob")
    assert seen("ada") == seen("bob") == {mine.id, theirs.id}
    assert store.finish_pass(transcript_id, "bob").coder == "bob"  # finishing twice keeps one pass
    assert [p.coder for p in store.list_passes(study=study.created.study.id)] == ["ada", "bob"]
    store.reopen_pass(transcript_id, "bob")
    assert seen("bob") == {theirs.id} and seen("ada") == {mine.id}
