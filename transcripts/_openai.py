"""openai-whisper (PyTorch), the package the HILL study transcribed with.

Weights are read from disk only: a model name is looked up in `download_root` (default: whisper's own cache,
~/.cache/whisper) and a missing file fails at once with the fix, instead of a network attempt that hangs or fails
later. Without a cached .pt, a packaged model (base by default, tiny.en) is converted on load from the CTranslate2
copy the faster-whisper backend uses (`_ct2_convert`), so this backend works offline too and runs the very same
weights. Files go through the `ffmpeg` program exactly as the study's pipeline did when it is installed (PyAV
otherwise); arrays need neither.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from transcripts._audio import AudioError, AudioInput
from transcripts._faster import SHIPPED
from transcripts._models import DEFAULT_MODEL, FALLBACK_MODEL, is_packaged, model_dir
from transcripts._transcriber import DecodeOptions, Transcriber, TranscriberUnavailable, speech_spans
from transcripts._transcript import Segment, Word


def whisper_cache_dir() -> Path:
    """Where openai-whisper keeps downloaded weights: $XDG_CACHE_HOME/whisper or ~/.cache/whisper."""
    return Path(os.getenv("XDG_CACHE_HOME", Path.home() / ".cache")) / "whisper"


def _cached_weights(name: str, download_root: str | None) -> Path:
    """Where openai-whisper keeps (or would download) the weights of a named model."""
    import whisper

    root = Path(download_root) if download_root else whisper_cache_dir()
    return root / os.path.basename(whisper._MODELS.get(name, f"/{name}.pt"))


def _load_model(model: Any, device: str, download_root: str | None, allow_download: bool):
    """(whisper.model.Whisper, display name) from a model object, a .pt path, a model name, a CTranslate2
    directory or "shipped" (tiny.en); None means base. A packaged model name (base, tiny.en) reads whisper's cached
    .pt when it is there and otherwise converts the packaged CTranslate2 copy."""
    import whisper

    if isinstance(model, whisper.model.Whisper):
        return model.to(device), f"in-memory (n_audio_state={model.dims.n_audio_state})"
    model = {None: DEFAULT_MODEL, SHIPPED: FALLBACK_MODEL}.get(model, model)
    if is_packaged(model) and not allow_download and not _cached_weights(model, download_root).is_file():
        # offline: the same weights the faster-whisper backend runs, read from the packaged CTranslate2 copy
        from transcripts._ct2_convert import ct2_to_openai

        directory = model_dir(model)
        return ct2_to_openai(directory, device=device), f"{model} (from CTranslate2 {directory})"
    if (Path(model) / "model.bin").is_file():
        from transcripts._ct2_convert import ct2_to_openai

        return ct2_to_openai(model, device=device), f"{Path(model).name} (from CTranslate2 {model})"
    name = str(model or DEFAULT_MODEL)
    if name not in whisper._MODELS:
        if not Path(name).is_file():
            raise TranscriberUnavailable(
                f"openai-whisper model '{name}' is neither a known model name ({', '.join(whisper.available_models())})"
                " nor a checkpoint file (.pt); check the name or path"
            )
        return whisper.load_model(name, device=device), Path(name).stem
    weights = _cached_weights(name, download_root)
    root = weights.parent
    if not weights.is_file() and not allow_download:
        raise TranscriberUnavailable(
            f"openai-whisper weights for '{name}' are not on this machine (looked for {weights}). Copy {weights.name} "
            f"there, pass a .pt checkpoint path as the model, or allow a download (allow_download=True or "
            "--allow-download) on a machine that is online; the faster-whisper backend works offline as it is"
        )
    try:
        return whisper.load_model(name, device=device, download_root=str(root)), name
    except OSError as exc:  # urllib's URLError is an OSError: no network, or a corrupt cached file re-downloaded
        raise TranscriberUnavailable(
            f"openai-whisper weights for '{name}' could not be downloaded into {root} ({exc}); this machine may be "
            "offline: copy the .pt file there by hand, or use the faster-whisper backend"
        ) from exc


class OpenAIWhisperTranscriber(Transcriber):
    """openai-whisper on CPU by default. `model`: a model name (weights looked up on disk), a `.pt` checkpoint
    path, a CTranslate2 model directory or "shipped" (converted on load, see `_ct2_convert`), or a
    `whisper.model.Whisper` object (for example a freshly initialised one). None: base (whisper's cached .pt
    when it is there, else the packaged weights converted)."""

    backend = "openai-whisper"

    def __init__(self, model: Any = None, *, device: str = "cpu", download_root: str | None = None,
                 allow_download: bool = False, use_ffmpeg: bool | None = None,
                 options: DecodeOptions | None = None) -> None:
        self.model, name = _load_model(model, device, download_root, allow_download)
        self._device = device
        self._use_ffmpeg = shutil.which("ffmpeg") is not None if use_ffmpeg is None else use_ffmpeg
        super().__init__(name, options)

    def _settings(self) -> dict[str, Any]:
        return {"device": self._device}

    def _load(self, audio: AudioInput) -> tuple[np.ndarray, str]:
        if not self._use_ffmpeg or not isinstance(audio, (str, os.PathLike)):
            return super()._load(audio)
        import whisper

        path = Path(audio)
        if not path.is_file() or path.stat().st_size == 0:
            return super()._load(audio)  # the shared decoder words the missing/empty-file errors
        try:
            samples = whisper.load_audio(str(path))
        except RuntimeError as exc:
            last = str(exc).strip().splitlines()[-1] if str(exc).strip() else "unknown error"
            raise AudioError(f"'{path}' is not a readable audio file (ffmpeg: {last})") from exc
        if samples.size == 0:
            raise AudioError(f"'{path}' holds no audio samples; the recording is empty")
        return samples, "ffmpeg"

    def _segments(self, samples: np.ndarray, language: str | None, word_timestamps: bool,
                  options: DecodeOptions) -> tuple[Iterator[Segment], str | None]:
        import whisper

        clips: list[float] | str = "0"
        if options.vad_filter:
            # A clip ending past the last mel frame makes openai-whisper loop forever on an empty window.
            last = (samples.size // whisper.audio.HOP_LENGTH) / whisper.audio.FRAMES_PER_SECOND
            clips = [t for a, b in speech_spans(samples) if min(b, last) - a >= 0.02 for t in (a, min(b, last))]
            if not clips:  # no speech at all: nothing to decode, and nothing for Whisper to invent
                return iter(()), language or (None if self.model.is_multilingual else "en")
        temperature = options.temperature if len(options.temperature) > 1 else options.temperature[0]
        result = whisper.transcribe(
            self.model, samples, verbose=None, language=language, temperature=temperature,
            compression_ratio_threshold=options.compression_ratio_threshold,
            logprob_threshold=options.log_prob_threshold, no_speech_threshold=options.no_speech_threshold,
            condition_on_previous_text=options.condition_on_previous_text, word_timestamps=word_timestamps,
            clip_timestamps=clips, beam_size=options.beam_size if options.beam_size > 1 else None,
            fp16=self._device != "cpu",
            **({"sample_len": options.max_new_tokens} if options.max_new_tokens else {}),
        )
        segments = [
            Segment(start=float(s["start"]), end=float(s["end"]), text=s["text"].strip(),
                    words=tuple(Word(float(w["start"]), float(w["end"]), w["word"], float(w["probability"]))
                                for w in s.get("words", ())),
                    avg_logprob=float(s["avg_logprob"]), no_speech_prob=float(s["no_speech_prob"]),
                    compression_ratio=float(s["compression_ratio"]))
            for s in result["segments"]
        ]
        return iter(segments), result.get("language")
