"""A transcriber that runs no model, for fast tests of the layers above (the CLI, jobs, the app).

Like a mock transport for an HTTP client it answers from a script: either fixed segments (kept where they fall
inside the audio) or a handler function that sees the decoded samples. Audio is still decoded for real, so bad
files fail exactly as with a real backend.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

import numpy as np

from transcripts._audio import SAMPLE_RATE
from transcripts._transcriber import DecodeOptions, Transcriber
from transcripts._transcript import Segment, Word

Script = Sequence[tuple[float, float, str]]
Handler = Callable[[np.ndarray, DecodeOptions], Script]

DEFAULT_SCRIPT: Script = (
    (0.0, 2.0, "Now my strategy is to cluster them near to the exact center."),
    (2.0, 4.0, "Let's get the airplane away from the bird."),
    (4.0, 6.0, "I think the automobile is great."),
)


def _timed_words(start: float, end: float, text: str) -> tuple[Word, ...]:
    """Words spread evenly over the segment (the fake has no alignment to offer)."""
    tokens = text.split()
    if not tokens:
        return ()
    step = (end - start) / len(tokens)
    return tuple(Word(start + i * step, start + (i + 1) * step, f" {t}", 1.0) for i, t in enumerate(tokens))


class FakeTranscriber(Transcriber):
    """Returns `script` segments that start inside the audio (ends clipped to its length), or what `handler`
    returns for the samples."""

    backend = "fake"

    def __init__(self, model: str | None = None, *, script: Script = DEFAULT_SCRIPT, handler: Handler | None = None,
                 language: str = "en", options: DecodeOptions | None = None) -> None:
        super().__init__(model or "scripted", options)
        self._script, self._handler, self._language = tuple(script), handler, language

    def _segments(self, samples: np.ndarray, language: str | None, word_timestamps: bool,
                  options: DecodeOptions) -> tuple[Iterator[Segment], str | None]:
        duration = samples.size / SAMPLE_RATE
        script = self._handler(samples, options) if self._handler else self._script
        segments = [
            Segment(start=start, end=min(end, duration), text=text,
                    words=_timed_words(start, min(end, duration), text) if word_timestamps else ())
            for start, end, text in script
            if start < duration
        ]
        return iter(segments), language or self._language
