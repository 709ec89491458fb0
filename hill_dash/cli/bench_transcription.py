"""`hill-dash bench transcription`: the offline models' word error rate and speed on synthetic think-aloud, and
faster-whisper against openai-whisper on the same weights and audio (`transcripts._benchmark`)."""

from __future__ import annotations

import sys
from typing import Any

import click

from hill_dash.cli._output import emit, fail, json_option

PART_NAMES = ("models", "backends", "hallucinations")


def _human(r: dict[str, Any]) -> str:
    lines = []
    if "models" in r:
        d = r["models"]["default"]
        lines.append(f"default {d['model']} (beam {d['beam_size']}): WER {d['wer']:.1%} on {d['words']} words "
                     f"(target <= {r['models']['target_wer']:.0%}), {d['x_real_time']:.1f}x real time")
    if "backends" in r:
        ratio = r["backends"]["openai_over_faster"]
        lines.append(f"openai-whisper takes {ratio['beam_5']:.1f}x (beam 5) and {ratio['beam_1']:.1f}x (beam 1) the "
                     "time of faster-whisper on the same weights")
    load = r["load_average"]
    lines.append(f"load average {load['before']:.1f} -> {load['after']:.1f} on {load['cpus']} cpus")
    return "\n".join(lines)


@click.command("transcription")
@click.option("--threads", type=click.IntRange(1, 64), default=2, show_default=True, help="CPU threads per backend.")
@click.option("--parts", default="models,backends", show_default=True,
              help=f"Comma-separated parts: {', '.join(PART_NAMES)}.")
@json_option
def bench_transcription(threads: int, parts: str, as_json: bool) -> None:
    """Measure the packaged Whisper models and both backends on espeak-ng speech (needs espeak-ng)."""
    from hill_dash.provenance import environment
    from transcripts._benchmark import run
    from transcripts._speech import espeak_available

    chosen = tuple(p.strip() for p in parts.split(",") if p.strip())
    if not chosen or set(chosen) - set(PART_NAMES):
        fail(f"--parts takes a comma-separated list of {', '.join(PART_NAMES)}; got {parts!r}")
    if not espeak_available():
        fail("espeak-ng is not installed (Debian: apt-get install espeak-ng); the benchmark synthesises its speech")
    result = run(chosen, threads, lambda line: print(line, file=sys.stderr, flush=True))
    emit({**result, "environment": environment()}, as_json, _human)
