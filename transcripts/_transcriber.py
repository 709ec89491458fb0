"""One interface for every speech-to-text backend, the decoding defaults, and the factory that picks a backend.

Backends load lazily (`get_transcriber` imports only the one asked for), so using faster-whisper never imports
torch and the fake backend imports no model library at all.
"""

from __future__ import annotations

import importlib
import os
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, replace
from typing import Any, ClassVar

import numpy as np

from transcripts._audio import SAMPLE_RATE, AudioInput, as_samples
from transcripts._transcript import Segment, Transcript

SegmentCallback = Callable[[Segment, float], None]


class TranscriberUnavailable(RuntimeError):
    """A backend or model cannot be loaded here (package missing, weights not on disk and no download allowed)."""


@dataclass(frozen=True)
class DecodeOptions:
    """Decoding settings shared by the Whisper backends.

    The defaults guard against Whisper's known failure modes: voice-activity filtering skips silences (where
    Whisper invents "Thank you." and the like); not conditioning on the previous text stops one bad window from
    repeating through the rest of the recording; the compression-ratio, log-probability and no-speech thresholds
    with a temperature fallback re-decode or drop windows that look like loops or noise. `bench/transcription.py`
    measures the effect against `DecodeOptions.plain()`; note that speech which really repeats itself also
    compresses well and can be re-decoded worse at higher temperatures (the benchmark shows by how much).

    Beam search (beam_size=5) is the default: with the default base model it took the word error rate on synthetic
    think-aloud with class and activity names from 5.6% (greedy) to 3.9% for about 1.5x the time; greedy
    (beam_size=1) is the faster choice. `max_new_tokens` caps the tokens decoded per 30-second window (None: the
    model's limit). `bench/transcription.py` holds the measurements.
    """

    beam_size: int = 5
    temperature: tuple[float, ...] = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
    compression_ratio_threshold: float | None = 2.4
    log_prob_threshold: float | None = -1.0
    no_speech_threshold: float | None = 0.6
    condition_on_previous_text: bool = False
    vad_filter: bool = True
    max_new_tokens: int | None = None

    @classmethod
    def plain(cls) -> "DecodeOptions":
        """Whisper with every safeguard off: one temperature, no thresholds, no VAD, conditioned on history."""
        return cls(temperature=(0.0,), compression_ratio_threshold=None, log_prob_threshold=None,
                   no_speech_threshold=None, condition_on_previous_text=True, vad_filter=False)

    def updated(self, **changes: Any) -> "DecodeOptions":
        """A copy with some settings changed; unknown names raise TypeError."""
        return replace(self, **changes)


class Transcriber(ABC):
    """Turns audio into a `Transcript`. Subclasses load a model once and implement `_segments`."""

    backend: ClassVar[str]

    def __init__(self, model_name: str, options: DecodeOptions | None = None) -> None:
        self.model_name = model_name
        self.options = options or DecodeOptions()

    def _load(self, audio: AudioInput) -> tuple[np.ndarray, str]:
        """Samples at 16 kHz and the name of the decoder used; backends may decode differently."""
        return as_samples(audio), "array" if isinstance(audio, np.ndarray) else "pyav"

    @abstractmethod
    def _segments(self, samples: np.ndarray, language: str | None, word_timestamps: bool,
                  options: DecodeOptions) -> tuple[Iterator[Segment], str | None]:
        """Lazily yield segments in time order, and return the spoken language."""

    def _settings(self) -> dict[str, Any]:
        """Backend-specific settings recorded in every transcript (device, compute type, ...)."""
        return {}

    def transcribe(self, audio: AudioInput, *, language: str | None = None, word_timestamps: bool = False,
                   options: DecodeOptions | None = None, on_segment: SegmentCallback | None = None,
                   source: str | None = None) -> Transcript:
        """Transcribe a file path, bytes, binary file or float32 16 kHz mono array.

        `on_segment(segment, duration)` is called with each segment as soon as it is decoded and the audio's
        length in seconds (for progress by segment end time).
        Raises AudioError for input that is not audio.
        """
        options = options or self.options
        samples, decoder = self._load(audio)
        if source is None and isinstance(audio, (str, os.PathLike)):
            source = str(audio)
        iterator, spoken = self._segments(samples, language, word_timestamps, options)
        segments = []
        for segment in iterator:
            segments.append(segment)
            if on_segment is not None:
                on_segment(segment, samples.size / SAMPLE_RATE)
        settings = {**asdict(options), "temperature": list(options.temperature), "word_timestamps": word_timestamps,
                    "language_requested": language, "decoder": decoder, **self._settings()}
        return Transcript(segments=tuple(segments), language=spoken, duration=samples.size / SAMPLE_RATE,
                          backend=self.backend, model=self.model_name, settings=settings, source=source)


def speech_spans(samples: np.ndarray) -> list[tuple[float, float]]:
    """Speech regions (seconds) found by the Silero VAD that faster-whisper ships, for backends without VAD."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    return [(c["start"] / SAMPLE_RATE, c["end"] / SAMPLE_RATE)
            for c in get_speech_timestamps(samples, VadOptions())]


_BACKENDS = {
    "faster-whisper": "transcripts._faster:FasterWhisperTranscriber",
    "openai-whisper": "transcripts._openai:OpenAIWhisperTranscriber",
    "fake": "transcripts._fake:FakeTranscriber",
}
BACKENDS = tuple(_BACKENDS)
DEFAULT_BACKEND = "faster-whisper"


def get_transcriber(backend: str = DEFAULT_BACKEND, model: Any = None,
                    **opts: Any) -> Transcriber:
    """Load a transcriber: `backend` is one of BACKENDS; `model` a model name or local path (None: the default,
    Whisper base from its registry packages; "tiny.en" is the fast fallback).

    `opts` go to the backend (for example `cpu_threads=2`, `allow_download=True`, `options=DecodeOptions(...)`).
    Raises TranscriberUnavailable with a clear reason when the model cannot be loaded here.
    """
    try:
        target = _BACKENDS[backend]
    except KeyError:
        raise ValueError(f"unknown transcription backend '{backend}'; choose one of {', '.join(BACKENDS)}") from None
    module_name, class_name = target.split(":")
    try:
        cls = getattr(importlib.import_module(module_name), class_name)
    except ImportError as exc:
        raise TranscriberUnavailable(f"the {backend} backend needs a package that is not installed: {exc}") from exc
    return cls(os.fspath(model) if isinstance(model, os.PathLike) else model, **opts)
