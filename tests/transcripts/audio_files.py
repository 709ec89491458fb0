"""Real audio files in several containers, written with PyAV, for decoder and upload tests."""

from __future__ import annotations

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


def write_audio(path: Path, seconds: float = 1.5, freq: float = 440.0) -> Path:
    """Encode a tone into the container named by the file's extension."""
    import av

    fmt, codec, rate = CONTAINERS[path.suffix.lstrip(".")]
    with av.open(str(path), "w", format=fmt) as out:
        stream = out.add_stream(codec, rate=rate, layout="mono")
        frame = av.AudioFrame.from_ndarray(tone(seconds, rate, freq)[None, :], format="s16", layout="mono")
        frame.sample_rate = rate
        for packet in stream.encode(frame):
            out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return path
