"""Synthetic speech with a known transcript (espeak-ng), for checking a transcription setup end to end.

Sentences are varied on purpose: Whisper degenerates on the same sentence repeated, which would measure the
repetition failure instead of recognition.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from transcripts._audio import SAMPLE_RATE, decode_audio

SENTENCES: tuple[str, ...] = (
    "Now my strategy is to move the points closer to the center of their cluster.",
    "Let's get the airplane away from the bird.",
    "I think the automobile class is great, so I will not move it at all.",
    "The trucks and the ships are still mixed together on the left side.",
    "After this round of training the accuracy went up a little.",
    "Maybe the model cannot tell cats and dogs apart because they look alike.",
    "I would like to try something completely different this time.",
    "Before, I tried to separate classes that are similar to each other.",
    "The frogs form a small dense group near the bottom of the plot.",
    "It is not so much a black box anymore.",
    "The system is easy to use, but I am not sure my changes help.",
    "Walking and running are close, but sitting is far away from both.",
    "Please show me which classes changed after the last epoch.",
)


# Think-aloud as it sounds in a HILL study: the scenarios' class and activity names inside ordinary sentences.
# None of these is in SENTENCES, so a model choice made on one set can be checked on the other.
CLASS_SENTENCES: tuple[str, ...] = (
    "The deer and the horse are right next to each other, which makes sense to me.",
    "I will drag the cluster of cats a bit further away from the dogs.",
    "Nordic walking overlaps with normal walking, so I pull them apart.",
    "Ascending stairs and descending stairs look almost the same to the model.",
    "Now the airplanes sit close to the ships, probably because of the blue background.",
    "Cycling is on its own in the upper right corner, and that is fine.",
    "The digit seven keeps getting confused with the digit one.",
    "I am moving the trucks to the left and the automobiles to the right.",
    "Ironing and vacuum cleaning are mixed up, let me separate those two classes.",
    "Rope jumping is clearly separated, I will leave it where it is.",
    "Lying and sitting are far apart now, the training helped a lot.",
    "The birds are scattered all over the plot, I am not sure why.",
    "Badminton is close to running, maybe because both movements are fast.",
    "After the last epoch the frogs moved closer to the deer again.",
)


class SpeechSynthesisUnavailable(RuntimeError):
    """The espeak-ng program is not installed."""


@dataclass(frozen=True)
class SpokenAudio:
    """Samples (float32, 16 kHz mono), the words spoken, and where speech is (seconds)."""

    samples: np.ndarray
    reference: str
    speech: tuple[tuple[float, float], ...]

    @property
    def duration(self) -> float:
        """Length in seconds."""
        return self.samples.size / SAMPLE_RATE

    def silences(self) -> list[tuple[float, float]]:
        """The stretches between (and around) the spoken sentences."""
        edges = [0.0] + [t for span in self.speech for t in span] + [self.duration]
        return [(a, b) for a, b in zip(edges[::2], edges[1::2]) if b > a]


def espeak_available() -> bool:
    """Whether the espeak-ng program is on PATH."""
    return shutil.which("espeak-ng") is not None


def synthesize(text: str, voice: str = "en-us", words_per_minute: int = 160) -> np.ndarray:
    """`text` spoken by espeak-ng, as float32 16 kHz mono samples."""
    if not espeak_available():
        raise SpeechSynthesisUnavailable("espeak-ng is not installed (Debian: apt-get install espeak-ng)")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "speech.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-s", str(words_per_minute), "-w", str(out), text],
                       check=True, capture_output=True)
        return decode_audio(out)[0]


def spoken_sentences(sentences: tuple[str, ...] | list[str] = SENTENCES, pause: float = 0.5,
                     lead_in: float = 0.3, noise_dbfs: float | None = None, seed: int = 0, voice: str = "en-us",
                     words_per_minute: int = 160) -> SpokenAudio:
    """The sentences spoken one after another, `pause` seconds apart, after `lead_in` seconds of silence.

    With `noise_dbfs` (for example -60) the whole recording gets white noise at that RMS level, the way a quiet
    room sounds; Whisper's silence hallucinations appear on such near-silence.
    """
    pieces: list[np.ndarray] = [np.zeros(int(lead_in * SAMPLE_RATE), np.float32)]
    spans: list[tuple[float, float]] = []
    position = lead_in
    gap = np.zeros(int(pause * SAMPLE_RATE), np.float32)
    for sentence in sentences:  # each sentence is followed by a pause, the last one too
        spoken = synthesize(sentence, voice, words_per_minute)
        spans.append((position, position + spoken.size / SAMPLE_RATE))
        pieces += [spoken, gap]
        position += (spoken.size + gap.size) / SAMPLE_RATE
    samples = np.concatenate(pieces)
    if noise_dbfs is not None:
        rng = np.random.default_rng(seed)
        samples = samples + rng.normal(0.0, 10 ** (noise_dbfs / 20), samples.size).astype(np.float32)
    return SpokenAudio(samples=samples.astype(np.float32), reference=" ".join(sentences), speech=tuple(spans))


def write_wav(samples: np.ndarray, path: str | os.PathLike) -> Path:
    """Write float samples in [-1, 1] as a 16-bit PCM 16 kHz mono WAV file."""
    path = Path(path)
    pcm = (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(pcm.tobytes())
    return path


_NUMBERS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
            "sixteen seventeen eighteen nineteen twenty").split()


def normalize_text(text: str) -> str:
    """Lower case, punctuation dropped (apostrophes inside words kept), whitespace collapsed, the numbers 0-20
    written as words (Whisper writes "7" for "seven"); for word error rates."""
    text = re.sub(r"[^\w\s']|(?<!\w)'|'(?!\w)", " ", text.lower())
    return " ".join(_NUMBERS[int(w)] if w.isdigit() and int(w) <= 20 else w for w in text.split())


def word_error_rate(reference: str, hypothesis: str) -> float:
    """WER of `hypothesis` against `reference` after `normalize_text` (needs the `jiwer` package)."""
    import jiwer

    return float(jiwer.wer(normalize_text(reference), normalize_text(hypothesis) or "<empty>"))
