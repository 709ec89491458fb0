"""The transcription benchmark: which offline model a coder can work from, and both backends side by side on the
same weights and audio. Run it with `hill-dash bench transcription` or `python bench/transcription.py`.

- `models`: word error rate and speed of each packaged model (base, tiny.en) with beam search (5) and greedy
  decoding (1) on the speech set the tests synthesise (espeak-ng, en-us, 160 words per minute: the sentences
  with class and activity names, and the general think-aloud sentences) and on a harder reading of the class
  sentences (en-gb, 180 words per minute). The default must keep the first set at or below TARGET_WER.
- `backends`: faster-whisper (CTranslate2, int8 on CPU) against openai-whisper (PyTorch, float32) on the same
  base weights (openai-whisper runs them converted from the packaged CTranslate2 copy, since no base .pt is on
  the machine offline) and the same audio.
- `hallucinations`: the decoding safeguards against plain Whisper on long near-silences and repeated speech.

Times depend on the machine's load, which is reported; compare ratios measured side by side in one run.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

from transcripts._models import DEFAULT_MODEL, FALLBACK_MODEL
from transcripts._speech import CLASS_SENTENCES, SENTENCES, SpokenAudio, normalize_text, spoken_sentences
from transcripts._transcriber import DecodeOptions, get_transcriber
from transcripts._transcript import Transcript

TARGET_WER = 0.08
Log = Callable[[str], None]


def speech_sets() -> dict[str, SpokenAudio]:
    """The benchmark's recordings: the test set (two recordings) and a harder voice."""
    return {"classes_en_us_160": spoken_sentences(CLASS_SENTENCES),
            "general_en_us_160": spoken_sentences(SENTENCES),
            "classes_en_gb_180": spoken_sentences(CLASS_SENTENCES, voice="en-gb", words_per_minute=180)}


TEST_SETS = ("classes_en_us_160", "general_en_us_160")


def errors(reference: str, transcript: Transcript) -> dict[str, Any]:
    """WER and its parts (jiwer, on normalised text)."""
    import jiwer

    out = jiwer.process_words(normalize_text(reference), normalize_text(transcript.text) or "<empty>")
    return {"wer": float(out.wer), "insertions": out.insertions, "deletions": out.deletions,
            "substitutions": out.substitutions, "reference_words": len(normalize_text(reference).split())}


def timed(transcriber, audio: SpokenAudio, options: DecodeOptions, **kwargs: Any) -> tuple[Transcript, float, float]:
    """(transcript, wall seconds, CPU seconds of this process: what the work costs whatever else runs)."""
    wall, cpu = time.perf_counter(), time.process_time()
    transcript = transcriber.transcribe(audio.samples, options=options, **kwargs)
    return transcript, time.perf_counter() - wall, time.process_time() - cpu


def _row(audio: SpokenAudio, transcript: Transcript, wall: float, cpu: float, **keys: Any) -> dict[str, Any]:
    return {**keys, "audio_s": round(audio.duration, 2), "wall_s": round(wall, 2), "rtf": wall / audio.duration,
            "x_real_time": audio.duration / wall, "cpu_s_per_audio_s": cpu / audio.duration,
            **errors(audio.reference, transcript)}


def models(sets: dict[str, SpokenAudio], threads: int, log: Log) -> dict[str, Any]:
    """Every packaged model at beam 5 and 1 on every set; the test-set WER pooled over its recordings."""
    rows = []
    warm = spoken_sentences(SENTENCES[:1])
    for model in (DEFAULT_MODEL, FALLBACK_MODEL):
        transcriber = get_transcriber("faster-whisper", model, cpu_threads=threads)
        transcriber.transcribe(warm.samples)  # the first call allocates; not what each file pays
        for beam in (5, 1):
            for name, audio in sets.items():
                transcript, wall, cpu = timed(transcriber, audio, DecodeOptions(beam_size=beam))
                rows.append(_row(audio, transcript, wall, cpu, model=model, beam_size=beam, set=name))
                log(f"  {model:8s} beam {beam} {name:18s}: WER {rows[-1]['wer']:.1%}, "
                    f"{rows[-1]['x_real_time']:.1f}x real time")
    pooled = {}
    for model in (DEFAULT_MODEL, FALLBACK_MODEL):
        for beam in (5, 1):
            chosen = [r for r in rows if (r["model"], r["beam_size"], r["set"] in TEST_SETS) == (model, beam, True)]
            words = sum(r["reference_words"] for r in chosen)
            wrong = sum(r["insertions"] + r["deletions"] + r["substitutions"] for r in chosen)
            audio_s, wall_s = sum(r["audio_s"] for r in chosen), sum(r["wall_s"] for r in chosen)
            pooled[f"{model}_beam_{beam}"] = {"wer": wrong / words, "x_real_time": audio_s / wall_s,
                                              "words": words, "audio_s": audio_s}
    default = pooled[f"{DEFAULT_MODEL}_beam_{DecodeOptions().beam_size}"]
    return {"runs": rows, "test_set": pooled, "default": {"model": DEFAULT_MODEL,
                                                          "beam_size": DecodeOptions().beam_size, **default},
            "target_wer": TARGET_WER, "meets_target": default["wer"] <= TARGET_WER}


def backends(sets: dict[str, SpokenAudio], threads: int, log: Log) -> dict[str, Any]:
    """faster-whisper and openai-whisper on the same base weights and the class-sentence recording."""
    import torch

    torch.set_num_threads(threads)
    audio = sets["classes_en_us_160"]
    pair = {"faster-whisper": get_transcriber("faster-whisper", DEFAULT_MODEL, cpu_threads=threads),
            "openai-whisper": get_transcriber("openai-whisper", DEFAULT_MODEL)}
    warm = spoken_sentences(SENTENCES[:1])
    rows = []
    for name, transcriber in pair.items():
        transcriber.transcribe(warm.samples)
        for beam in (5, 1):
            transcript, wall, cpu = timed(transcriber, audio, DecodeOptions(beam_size=beam))
            rows.append(_row(audio, transcript, wall, cpu, backend=name, model=transcriber.model_name,
                             beam_size=beam))
            log(f"  {name:15s} beam {beam}: WER {rows[-1]['wer']:.1%}, {rows[-1]['x_real_time']:.1f}x real time "
                f"(CPU seconds per audio second {rows[-1]['cpu_s_per_audio_s']:.2f})")
    rtf = {(r["backend"], r["beam_size"]): r["rtf"] for r in rows}
    return {"threads": threads, "weights": f"Whisper {DEFAULT_MODEL} (openai-whisper: converted from the packaged "
                                           "CTranslate2 copy; no .pt of base is available offline)",
            "runs": rows, "openai_over_faster": {f"beam_{b}": rtf[("openai-whisper", b)] / rtf[("faster-whisper", b)]
                                                 for b in (5, 1)}}


def _in_silence(transcript: Transcript, silences: list[tuple[float, float]], margin: float = 0.3) -> list[str]:
    return [w.word.strip() for s in transcript.segments for w in s.words
            if any(a + margin < (w.start + w.end) / 2 < b - margin for a, b in silences)]


def hallucinations(threads: int, log: Log) -> dict[str, Any]:
    """Defaults vs plain Whisper on long near-silent pauses and on a sentence repeated six times."""
    transcriber = get_transcriber("faster-whisper", DEFAULT_MODEL, cpu_threads=threads)
    cases = {"long_silences": spoken_sentences(SENTENCES[:5], pause=15.0, lead_in=8.0, noise_dbfs=-60.0),
             "repeated_sentence": spoken_sentences([SENTENCES[9]] * 6 + list(SENTENCES[3:9]), pause=0.4)}
    variants = {"defaults": DecodeOptions(), "plain": DecodeOptions.plain()}
    out: dict[str, Any] = {}
    for case, audio in cases.items():
        out[case] = {"audio_s": audio.duration}
        for label, options in variants.items():
            transcript, wall, _ = timed(transcriber, audio, options, word_timestamps=True)
            words = _in_silence(transcript, audio.silences())
            out[case][label] = {**errors(audio.reference, transcript), "words_in_silence": len(words),
                                "silence_words": words, "rtf": wall / audio.duration}
            log(f"  {case:17s} {label:8s}: WER {out[case][label]['wer']:.1%}, words in silence {len(words)}")
    return out


PARTS = {"models": models, "backends": backends, "hallucinations": hallucinations}


def run(parts: tuple[str, ...] = ("models", "backends"), threads: int = 2, log: Log = print) -> dict[str, Any]:
    """Run the chosen parts; the result with the machine's load before and after."""
    load_before = os.getloadavg()[0]
    sets = speech_sets() if {"models", "backends"} & set(parts) else {}
    result: dict[str, Any] = {}
    for part in parts:
        log(f"{part}, {threads} threads:")
        result[part] = hallucinations(threads, log) if part == "hallucinations" else PARTS[part](sets, threads, log)
    result["load_average"] = {"before": load_before, "after": os.getloadavg()[0], "cpus": os.cpu_count()}
    return result
