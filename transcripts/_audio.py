"""Audio in: any container FFmpeg knows (wav, mp3, m4a, webm, ogg, ...) decoded to float32 mono 16 kHz.

Decoding goes through PyAV, which ships its own FFmpeg libraries, so no `ffmpeg` program is needed. The content is
probed, never the file name: a text file called `.wav` is rejected with the reason.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Union

import numpy as np

SAMPLE_RATE = 16_000

AudioSource = Union[str, os.PathLike, bytes, bytearray, BinaryIO]
AudioInput = Union[AudioSource, np.ndarray]


class AudioError(ValueError):
    """The input is not audio that can be transcribed (missing, empty, corrupt, too large, not audio at all)."""


@dataclass(frozen=True)
class UploadInfo:
    """What an accepted upload holds: its size, container format and length in seconds."""

    size_bytes: int
    container: str
    duration: float


def _describe(source: AudioSource) -> str:
    if isinstance(source, (str, os.PathLike)):
        return f"'{source}'"
    return "the uploaded data"


def _open_container(source: AudioSource):
    import av

    what = _describe(source)
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.is_file():
            raise AudioError(f"{what} does not exist or is not a file; check the path")
        if path.stat().st_size == 0:
            raise AudioError(f"{what} is empty (0 bytes); record or export the audio again")
        target: object = str(path)
    elif isinstance(source, (bytes, bytearray)):
        if len(source) == 0:
            raise AudioError(f"{what} is empty (0 bytes); record or export the audio again")
        target = io.BytesIO(bytes(source))
    else:
        target = source
    try:
        container = av.open(target, mode="r", metadata_errors="ignore")
    except av.FFmpegError as exc:
        raise AudioError(
            f"{what} is not a readable audio file ({exc.strerror or exc}); "
            "supported are the usual audio/video containers such as wav, mp3, m4a, webm, ogg, flac"
        ) from exc
    if not container.streams.audio:
        container.close()
        raise AudioError(f"{what} has no audio stream (container '{container.format.name}'); give an audio file")
    return container


def _decode(source: AudioSource) -> tuple[np.ndarray, str]:
    """Decode the first audio stream to float32 mono at SAMPLE_RATE; return it with the container's name."""
    import av

    container = _open_container(source)
    chunks: list[np.ndarray] = []
    with container:
        fmt = container.format.name
        resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
        try:
            for frame in container.decode(audio=0):
                frame.pts = None  # the resampler rebuilds timing; broken pts in uploads must not stop it
                chunks.extend(out.to_ndarray().reshape(-1) for out in resampler.resample(frame))
            chunks.extend(out.to_ndarray().reshape(-1) for out in resampler.resample(None))
        except av.FFmpegError as exc:
            raise AudioError(f"{_describe(source)} is corrupt: decoding failed ({exc.strerror or exc})") from exc
    samples = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int16)
    if samples.size == 0:
        raise AudioError(f"{_describe(source)} holds an audio stream with no samples; the recording is empty")
    return samples.astype(np.float32) / 32768.0, fmt


def decode_audio(source: AudioSource) -> tuple[np.ndarray, float]:
    """Decode a file path, bytes or binary file object to (float32 mono 16 kHz samples, duration in seconds).

    Raises AudioError, saying what is wrong, for missing, empty, corrupt or non-audio input.
    """
    audio, _ = _decode(source)
    return audio, audio.size / SAMPLE_RATE


def as_samples(audio: AudioInput) -> np.ndarray:
    """Samples ready for a model: arrays are checked (1-D, finite, assumed 16 kHz); anything else is decoded."""
    if isinstance(audio, np.ndarray):
        if audio.ndim != 1:
            raise AudioError(f"an audio array must be 1-D mono samples at {SAMPLE_RATE} Hz, got shape {audio.shape}")
        if audio.size == 0:
            raise AudioError("the audio array is empty")
        samples = audio.astype(np.float32, copy=False)
        if not np.all(np.isfinite(samples)):
            raise AudioError("the audio array holds NaN or infinite values")
        return samples
    return decode_audio(audio)[0]


def check_upload(data: Union[bytes, bytearray, str, os.PathLike], max_bytes: int) -> UploadInfo:
    """Accept an upload only if it is at most `max_bytes` long and really decodes to audio.

    The size is checked before anything is decoded, so an oversized upload costs nothing. Raises AudioError.
    """
    if isinstance(data, (str, os.PathLike)):
        path = Path(data)
        if not path.is_file():
            raise AudioError(f"'{path}' does not exist or is not a file; check the path")
        size = path.stat().st_size
    else:
        size = len(data)
    if size > max_bytes:
        raise AudioError(
            f"the upload is {size / 1e6:.1f} MB, over the limit of {max_bytes / 1e6:.1f} MB; "
            "split the recording or compress it (for example to mp3 or ogg)"
        )
    audio, fmt = _decode(data)
    return UploadInfo(size_bytes=size, container=fmt, duration=audio.size / SAMPLE_RATE)


SILENCE_DBFS = -50.0  # a recording whose loudest moment stays below this holds no usable speech


def level_dbfs(samples: np.ndarray) -> tuple[float, float]:
    """(peak, RMS) level of float samples in dB relative to full scale (-inf for digital silence)."""
    samples = np.asarray(samples, dtype=np.float32)
    if samples.size == 0:
        return float("-inf"), float("-inf")
    with np.errstate(divide="ignore"):
        peak = 20 * np.log10(float(np.max(np.abs(samples))))
        rms = 20 * np.log10(float(np.sqrt(np.mean(samples.astype(np.float64) ** 2))))
    return float(peak), float(rms)


def silence_problem(samples: np.ndarray, threshold_dbfs: float = SILENCE_DBFS) -> str | None:
    """Why a recording is too quiet to transcribe, in words, or None when it has sound."""
    peak, _ = level_dbfs(samples)
    if peak >= threshold_dbfs:
        return None
    seconds = np.asarray(samples).size / SAMPLE_RATE
    level = "digital silence" if peak == float("-inf") else f"its loudest moment is {peak:.0f} dBFS"
    return (f"the recording is silent ({seconds:.0f} s, {level}): the microphone was probably muted, blocked by the "
            "browser or not the one the participant spoke into; check the input device and record again")
