"""Transcript export to the formats subtitle tools and analysts read: TXT, SRT, WebVTT and JSON."""

from __future__ import annotations

import os
from pathlib import Path

from transcripts._transcript import Transcript

FORMATS = ("txt", "srt", "vtt", "json")


def format_timestamp(seconds: float, decimal_marker: str = ".") -> str:
    """HH:MM:SS.mmm (WebVTT) or, with decimal_marker=",", HH:MM:SS,mmm (SRT); rounded to the millisecond."""
    if seconds < 0:
        raise ValueError(f"a timestamp cannot be negative, got {seconds}")
    millis = int(round(seconds * 1000))
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{decimal_marker}{millis:03d}"


def _cue_text(text: str) -> str:
    # A blank line ends a cue in both SRT and WebVTT, so text must never contain one.
    return "\n".join(line for line in text.strip().splitlines() if line.strip())


def to_txt(transcript: Transcript) -> str:
    """One segment per line, no timings."""
    return "".join(f"{s.text.strip()}\n" for s in transcript.segments if s.text.strip())


def to_srt(transcript: Transcript) -> str:
    """SubRip: numbered cues, `HH:MM:SS,mmm --> HH:MM:SS,mmm`, a blank line after each cue."""
    cues = [
        f"{i}\n{format_timestamp(s.start, ',')} --> {format_timestamp(s.end, ',')}\n{_cue_text(s.text)}\n"
        for i, s in enumerate((s for s in transcript.segments if s.text.strip()), start=1)
    ]
    return "\n".join(cues)


def to_vtt(transcript: Transcript) -> str:
    """WebVTT: the `WEBVTT` header, then `HH:MM:SS.mmm --> HH:MM:SS.mmm` cues separated by blank lines."""
    cues = [
        f"{format_timestamp(s.start)} --> {format_timestamp(s.end)}\n{_cue_text(s.text)}\n"
        for s in transcript.segments
        if s.text.strip()
    ]
    return "WEBVTT\n\n" + "\n".join(cues)


def to_json(transcript: Transcript) -> str:
    """The full transcript (segments, words, settings) as JSON; `Transcript.from_json` reads it back."""
    return transcript.to_json() + "\n"


_WRITERS = {"txt": to_txt, "srt": to_srt, "vtt": to_vtt, "json": to_json}


def export(transcript: Transcript, fmt: str) -> str:
    """The transcript rendered in one of FORMATS."""
    try:
        writer = _WRITERS[fmt.lower()]
    except KeyError:
        raise ValueError(f"unknown export format '{fmt}'; choose one of {', '.join(FORMATS)}") from None
    return writer(transcript)


def write_transcript(transcript: Transcript, path: str | os.PathLike, fmt: str | None = None) -> Path:
    """Write the transcript to `path` in `fmt` (default: the file's extension)."""
    path = Path(path)
    text = export(transcript, fmt or path.suffix.lstrip("."))
    path.write_text(text, encoding="utf-8")
    return path
