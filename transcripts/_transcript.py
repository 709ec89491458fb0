"""The machine transcript as data: timed segments, optional word timings, and how it was made.

Transcripts are immutable (frozen dataclasses holding tuples) so that corrections are always a new object and the
machine output stays intact. `to_dict` / `from_dict` round-trip through JSON without loss.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping

FORMAT = "hill-dash.transcript/1"


class TranscriptFormatError(ValueError):
    """A JSON document is not a transcript this package wrote."""


@dataclass(frozen=True)
class Word:
    """One word with its start and end time in seconds and the model's probability for it."""

    start: float
    end: float
    word: str
    probability: float | None = None


@dataclass(frozen=True)
class Segment:
    """A stretch of speech with its text; `words` is empty unless word timestamps were requested."""

    start: float
    end: float
    text: str
    words: tuple[Word, ...] = ()
    avg_logprob: float | None = None
    no_speech_prob: float | None = None
    compression_ratio: float | None = None
    edited_by: str | None = None


@dataclass(frozen=True)
class Transcript:
    """A whole recording's transcript with the backend, model and settings that produced it.

    `meta` carries study context such as {"participant": "P13", "scenario": "cifar10"}.
    """

    segments: tuple[Segment, ...]
    language: str | None
    duration: float
    backend: str
    model: str
    settings: Mapping[str, Any] = field(default_factory=dict)
    source: str | None = None
    id: str | None = None
    meta: Mapping[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """All segment texts joined by single spaces."""
        return " ".join(s.text.strip() for s in self.segments if s.text.strip())

    def with_meta(self, **meta: Any) -> "Transcript":
        """A copy with `meta` entries added or replaced (for example the participant id)."""
        return replace(self, meta={**self.meta, **meta})

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data, tagged with the format name so `from_dict` can check what it reads."""
        data = asdict(self)
        data["settings"] = dict(self.settings)
        data["meta"] = dict(self.meta)
        return {"format": FORMAT, **data}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Transcript":
        """Rebuild a transcript from `to_dict` output; raises TranscriptFormatError naming what is wrong."""
        if not isinstance(data, Mapping) or data.get("format") != FORMAT:
            found = data.get("format") if isinstance(data, Mapping) else type(data).__name__
            raise TranscriptFormatError(f"not a hill-dash transcript (expected format '{FORMAT}', found {found!r})")
        try:
            segments = tuple(
                Segment(**{**s, "words": tuple(Word(**w) for w in s.get("words", ()))}) for s in data["segments"]
            )
            return cls(
                segments=segments,
                language=data.get("language"),
                duration=float(data["duration"]),
                backend=str(data["backend"]),
                model=str(data["model"]),
                settings=dict(data.get("settings") or {}),
                source=data.get("source"),
                id=data.get("id"),
                meta=dict(data.get("meta") or {}),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise TranscriptFormatError(f"the transcript document is incomplete or malformed: {exc}") from exc

    def to_json(self, indent: int | None = 2) -> str:
        """The transcript as a JSON string."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> "Transcript":
        """Parse a JSON string written by `to_json`."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise TranscriptFormatError(f"the transcript is not valid JSON: {exc}") from exc
        return cls.from_dict(data)


def load_transcript(path: str | os.PathLike) -> Transcript:
    """Read a transcript JSON file."""
    return Transcript.from_json(Path(path).read_text(encoding="utf-8"))
