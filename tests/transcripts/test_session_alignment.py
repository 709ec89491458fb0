"""Segments and words placed on the session clock and joined to the training state and the edits around them;
coded selections timed by their words."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from transcripts import CodedSpan, EDIT_WINDOW_S, Segment, Transcript, Word, align_segments, quote_rows, span_times
from transcripts._timeline import SessionEvent, edit_at

ZERO = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


def _at(seconds: float) -> datetime:
    return ZERO + timedelta(seconds=seconds)


EVENTS = [SessionEvent(_at(100), "epoch", run_id=1, epoch=25, interaction_point=True),
          SessionEvent(_at(125), "edit", run_id=1, ident=7, epoch=25, interaction_index=0, label="move class 3"),
          SessionEvent(_at(200), "epoch", run_id=1, epoch=26),
          SessionEvent(_at(230), "epoch", run_id=1, epoch=30, interaction_point=True)]


def test_the_window_reaches_ten_seconds_each_side_of_a_segment():
    recording_start = _at(120)  # 120 s into the session
    segments = [{"start": 0.0, "end": 2.0, "text": "a"},  # 120-122: the edit at 125 is 3 s after
                {"start": 14.0, "end": 15.0, "text": "b"},  # 134-135: 9 s after the edit
                {"start": 15.5, "end": 16.0, "text": "c"},  # 135.5-136: 10.5 s after it: outside
                {"start": 120.0, "end": 121.0, "text": "d",
                 "words": [{"start": 120.2, "end": 120.6, "word": " d"}]}]  # 240 s: after the second point
    rows = align_segments(segments, recording_start, ZERO, EVENTS)
    assert EDIT_WINDOW_S == 10.0
    assert [r["edits_near"] for r in rows] == [1, 1, 0, 0]
    assert [r["session_start_s"] for r in rows] == [120.0, 134.0, 135.5, 240.0]
    assert [(r["epoch"], r["interaction_index"]) for r in rows] == [(25, 0), (25, 0), (25, 0), (30, 1)]
    assert rows[0]["edit_labels"] == "move class 3" and rows[2]["nearest_edit_s"] == pytest.approx(10.75)
    assert rows[3]["words"][0]["session_start_s"] == pytest.approx(240.2) and rows[3]["words"][0]["epoch"] == 30


def test_clicking_an_edit_plays_the_segment_spoken_nearest_to_it():
    rows = align_segments([{"start": 1.0, "end": 3.0, "text": "a"}, {"start": 40.0, "end": 42.0, "text": "b"}],
                          _at(120), ZERO, EVENTS)
    assert edit_at(rows, _at(125), _at(120)) == 1.0  # 5 s into the recording: 2 s after "a" ended
    assert edit_at(rows, _at(140), _at(120)) == 20.0  # nothing said within 10 s: the edit's own moment
    assert edit_at(rows, _at(100), _at(120)) is None  # before the recording began


def test_a_selection_is_timed_by_its_words_and_quoted_with_participant_and_code():
    words = tuple(Word(1.0 + i, 1.8 + i, f" {w}") for i, w in enumerate("I move the cats".split()))
    transcript = Transcript((Segment(1.0, 5.0, "I move the cats", words=words),), "en", 6.0, "fake", "x", id="t",
                            meta={"participant": "P6", "scenario": "cifar10"})
    span = CodedSpan("t", "merge", "ada", segments=(0, 0), chars=(2, 6), memo="verb")
    assert span_times(span, transcript) == (2.0, 2.8)  # "move" only
    row = quote_rows([span], {"t": transcript}).iloc[0].to_dict()
    assert row == {"participant": "P6", "scenario": "cifar10", "code": "merge", "coder": "ada", "start_s": 2.0,
                   "end_s": 2.8, "quote": "move", "memo": "verb", "transcript": "t"}
