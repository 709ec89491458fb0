"""Transcription benchmark (see `transcripts._benchmark`): the offline models' word error rate and speed on the
synthetic speech set, and faster-whisper against openai-whisper on the same weights and audio.

    python bench/transcription.py [--json] [--threads 2] [--parts models,backends,hallucinations]

The same measurement is `hill-dash bench transcription`, which adds the environment record.
"""

from __future__ import annotations

import argparse
import json
import sys

from transcripts._benchmark import PARTS, run
from transcripts._speech import espeak_available


def main(argv: list[str] | None = None) -> int:
    """Run the chosen parts and print a summary (and with --json one JSON object as the last line)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    parser.add_argument("--threads", type=int, default=2, help="CPU threads for both backends (default 2)")
    parser.add_argument("--parts", default="models,backends", help=f"comma-separated, of {', '.join(PARTS)}")
    args = parser.parse_args(argv)
    parts = tuple(p.strip() for p in args.parts.split(",") if p.strip())
    if not espeak_available():
        print("espeak-ng is not installed (apt-get install espeak-ng); the benchmark needs it", file=sys.stderr)
        return 2
    if not parts or set(parts) - set(PARTS):
        print(f"--parts takes a comma-separated list of {', '.join(PARTS)}", file=sys.stderr)
        return 2
    result = run(parts, args.threads, lambda line: print(line, file=sys.stderr if args.json else sys.stdout,
                                                        flush=True))
    if args.json:
        print(json.dumps(result, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
