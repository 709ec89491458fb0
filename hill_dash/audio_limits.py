"""What a think-aloud recording may be: which audio types, how many chunks, how many bytes, how long; and the check
that a finished recording really is audio of the type it claims (by decoding it), before anyone can play it.

The defaults fit a two-hour session recorded the way `recorder.js` records (2 s slices of 32 kbit/s opus: about
30 MB and 3,600 chunks), with room to spare; a deployment changes them with the environment variables (or Flask
config keys) `HILL_MAX_CHUNKS`, `HILL_MAX_RECORDING_BYTES` and `HILL_MAX_RECORDING_S`.

A recording's length is what its audio says, never what the browser reports: when it is finished, from the
timestamps of its last audio packets (milliseconds, even for two hours); when it is transcribed, from the decoded
samples themselves, before any speech model runs.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MAX_CHUNKS = 14_400  # two hours of 0.5 s slices
MAX_RECORDING_BYTES = 256 * 1024 * 1024
MAX_RECORDING_S = 3 * 3600
KEYS = {"max_chunks": ("HILL_MAX_CHUNKS", MAX_CHUNKS), "max_bytes": ("HILL_MAX_RECORDING_BYTES", MAX_RECORDING_BYTES),
        "max_seconds": ("HILL_MAX_RECORDING_S", MAX_RECORDING_S)}
# The container names the decoder reports for each accepted type.
CONTAINERS = {"audio/webm": "webm", "audio/ogg": "ogg", "audio/wav": "wav", "audio/x-wav": "wav",
              "audio/mpeg": "mp3", "audio/mp4": "mp4", "audio/flac": "flac"}


@dataclass(frozen=True)
class Limits:
    max_chunks: int = MAX_CHUNKS
    max_bytes: int = MAX_RECORDING_BYTES
    max_seconds: int = MAX_RECORDING_S

    @classmethod
    def from_config(cls, config: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None) -> Limits:
        """The limits in force: a Flask config key, else the environment variable of the same name, else the
        default. A value that is not a positive whole number is an error naming the setting."""
        config = config or {}
        environ = os.environ if environ is None else environ
        values = {}
        for name, (key, default) in KEYS.items():
            raw = config.get(key, environ.get(key, default))
            try:
                value = int(raw)
            except (TypeError, ValueError):
                value = 0
            if value <= 0:
                raise ValueError(f"{key} must be a positive whole number, got {str(raw)[:40]!r}")
            values[name] = value
        return cls(**values)


@dataclass(frozen=True)
class AudioCheck:
    """What decoding a stored recording found: why it is not kept as audio (None when it is) and how long it
    plays by its own timestamps (None when that cannot be read)."""

    problem: str | None
    seconds: float | None


def check_audio(path: str | Path, mime: str, max_seconds: float | None = None) -> AudioCheck:
    """Check that the file at `path` is audio of type `mime` (see `not_audio`) and measure how long it plays;
    with `max_seconds`, a longer recording is a problem too."""
    problem = not_audio(path, mime)
    if problem is not None:
        return AudioCheck(problem, None)
    seconds = audio_seconds(path)
    if seconds is None:
        return AudioCheck("the audio's length cannot be read from its timestamps", None)
    if max_seconds is not None and seconds > max_seconds:
        return AudioCheck(f"it plays {seconds:.0f} s, longer than the {max_seconds:.0f} s this server keeps; "
                          "record shorter sessions or raise HILL_MAX_RECORDING_S", seconds)
    return AudioCheck(None, seconds)


def audio_seconds(path: str | Path) -> float | None:
    """How long the first audio stream plays, from the end of its last packets.

    A seek to the end reads only the last packets (a file without an index costs the demuxer a search, still
    well under a second for two hours), so finishing a recording stays quick however long it is."""
    import av

    try:
        with av.open(str(path), mode="r", metadata_errors="ignore") as container:
            stream = container.streams.audio[0]
            base = stream.time_base
            start = (stream.start_time or 0) * base if base is not None else 0
            try:
                container.seek(2**62, stream=stream, backward=True)
            except av.FFmpegError:
                container.seek(0, stream=stream)
            end = None
            for packet in container.demux(stream):
                if packet.pts is None or packet.time_base is None:
                    continue
                until = (packet.pts + (packet.duration or 0)) * packet.time_base
                end = until if end is None else max(end, until)
    except (av.FFmpegError, OSError, ValueError, IndexError):
        return None
    return None if end is None else max(0.0, float(end - start))


def not_audio(path: str | Path, mime: str) -> str | None:
    """Why the file at `path` is not audio of type `mime` (None when it is): it must open as the container the
    type names, hold an audio stream and no video, and its first audio frame must decode."""
    import av

    expected = CONTAINERS.get(mime)
    if expected is None:
        return f"{mime!r} is not an accepted audio type"
    try:
        with av.open(str(path), mode="r", metadata_errors="ignore") as container:
            names = container.format.name.split(",")
            if expected not in names:
                return f"the data is {container.format.name!r}, not the {mime} it was declared as"
            if container.streams.video:
                return "the data holds video; record audio only"
            if not container.streams.audio:
                return "the data holds no audio stream"
            for _frame in container.decode(audio=0):
                return None
    except (av.FFmpegError, OSError, ValueError, StopIteration) as exc:
        return f"the data does not decode as audio ({exc})"
    return "the audio stream holds no sound"
