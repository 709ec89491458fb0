"""Corrections as edits on top of the machine transcript: the machine output is never overwritten."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Iterable

from transcripts._transcript import Transcript


class EditError(ValueError):
    """An edit that cannot apply to the transcript it was given."""


@dataclass(frozen=True)
class TranscriptEdit:
    """`editor` replaced the text of segment `segment` (0-based) with `text` at `time`."""

    segment: int
    text: str
    editor: str
    time: datetime


def apply_edits(transcript: Transcript, edits: Iterable[TranscriptEdit]) -> Transcript:
    """The corrected transcript: each edited segment gets the newest edit's text (ties: the later in the list).

    The input transcript is left untouched. An edited segment loses its word timings, which belonged to the
    machine text, and records its editor in `edited_by`. Raises EditError for a segment index out of range.
    """
    n = len(transcript.segments)
    ordered = sorted(enumerate(edits), key=lambda pair: (pair[1].time, pair[0]))
    latest: dict[int, TranscriptEdit] = {}
    for _, edit in ordered:
        if not 0 <= edit.segment < n:
            raise EditError(
                f"edit by {edit.editor} at {edit.time.isoformat()} targets segment {edit.segment}, "
                f"but the transcript has segments 0..{n - 1}; was it made for another transcript?"
            )
        latest[edit.segment] = edit
    segments = tuple(
        replace(seg, text=latest[i].text, words=(), edited_by=latest[i].editor) if i in latest else seg
        for i, seg in enumerate(transcript.segments)
    )
    return replace(transcript, segments=segments)
