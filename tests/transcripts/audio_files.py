"""Real audio files in several containers, written with PyAV, for decoder and upload tests."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np

# (container format, codec, encoder sample rate) per file extension.
CONTAINERS = {
    "wav": ("wav", "pcm_s16le", 16_000),
    "mp3": ("mp3", "libmp3lame", 44_100),
    "m4a": ("ipod", "aac", 44_100),
    "webm": ("webm", "libopus", 48_000),
    "ogg": ("ogg", "libopus", 48_000),
    "flac": ("flac", "flac", 22_050),
}


def tone(seconds: float, rate: int, freq: float = 440.0) -> np.ndarray:
    """A sine tone at half scale, as int16 samples."""
    t = np.arange(int(seconds * rate)) / rate
    return (0.5 * np.sin(2 * np.pi * freq * t) * 32767).astype(np.int16)


def _encode(path: Path, frames: Iterable) -> Path:
    """Encode audio frames into the container named by the file's extension."""
    import av

    fmt, codec, rate = CONTAINERS[path.suffix.lstrip(".")]
    with av.open(str(path), "w", format=fmt) as out:
        stream = out.add_stream(codec, rate=rate, layout="mono")
        for frame in frames:
            frame.pts = None  # the encoder resamples; source timestamps would not match its rate
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return path


def write_audio(path: Path, seconds: float = 1.5, freq: float = 440.0) -> Path:
    """A tone encoded into the container named by the file's extension."""
    import av

    rate = CONTAINERS[path.suffix.lstrip(".")][2]
    frame = av.AudioFrame.from_ndarray(tone(seconds, rate, freq)[None, :], format="s16", layout="mono")
    frame.sample_rate = rate
    return _encode(path, [frame])


def reencode(source: Path, path: Path) -> Path:
    """Another audio file re-encoded into the container named by `path`'s extension (webm: as browsers record)."""
    import av

    with av.open(str(source)) as src:
        return _encode(path, src.decode(audio=0))
