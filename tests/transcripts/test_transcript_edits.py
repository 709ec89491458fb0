"""Corrections stored as edits on top of the machine transcript."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from transcripts import EditError, Segment, Transcript, TranscriptEdit, Word, apply_edits

T0 = datetime(2025, 3, 1, 10, 0, 0)


def _machine() -> Transcript:
    return Transcript(
        segments=(
            Segment(0.0, 2.0, "Let's get their plane away from the word.",
                    words=(Word(0.0, 0.5, " Let's"), Word(0.5, 1.0, " get"))),
            Segment(2.0, 4.0, "I think the automobile is great."),
            Segment(4.0, 6.0, "It's not so much a black box any more."),
        ),
        language="en", duration=6.0, backend="faster-whisper", model="tiny.en",
    )


def test_edits_replace_text_and_leave_the_machine_transcript_intact():
    machine = _machine()
    edit = TranscriptEdit(0, "Let's get the airplane away from the bird.", "anna", T0)
    corrected = apply_edits(machine, [edit])
    assert corrected.segments[0].text == "Let's get the airplane away from the bird."
    assert corrected.segments[0].edited_by == "anna"
    assert corrected.segments[0].words == ()  # the machine word timings belonged to the old text
    assert (corrected.segments[0].start, corrected.segments[0].end) == (0.0, 2.0)
    assert corrected.segments[1:] == machine.segments[1:]
    assert machine.segments[0].text == "Let's get their plane away from the word."
    assert len(machine.segments[0].words) == 2


def test_the_latest_edit_of_a_segment_wins_whatever_the_list_order():
    edits = [
        TranscriptEdit(2, "It's not so much a black box anymore.", "ben", T0 + timedelta(minutes=5)),
        TranscriptEdit(2, "It's not a black box.", "anna", T0),
        TranscriptEdit(1, "I think the automobile class is great.", "anna", T0 + timedelta(minutes=1)),
    ]
    corrected = apply_edits(_machine(), edits)
    assert corrected.segments[2].text == "It's not so much a black box anymore."
    assert corrected.segments[2].edited_by == "ben"
    assert corrected.segments[1].text == "I think the automobile class is great."


def test_same_time_edits_keep_list_order():
    edits = [TranscriptEdit(1, "first", "anna", T0), TranscriptEdit(1, "second", "ben", T0)]
    assert apply_edits(_machine(), edits).segments[1].text == "second"


@pytest.mark.parametrize("index", [3, -1])
def test_out_of_range_edit_is_explained(index):
    with pytest.raises(EditError, match=r"segments 0\.\.2"):
        apply_edits(_machine(), [TranscriptEdit(index, "x", "anna", T0)])


def test_no_edits_gives_an_equal_transcript():
    assert apply_edits(_machine(), []) == _machine()
