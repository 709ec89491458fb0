"""`hill-dash transcribe`: audio files to timed transcripts (SRT, WebVTT, TXT, JSON), offline by default."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import click
from tqdm import tqdm

from hill_dash.cli._output import emit, fail, json_option, progress
from transcripts import FORMATS, AudioError, DecodeOptions, Segment, TranscriberUnavailable, export, get_transcriber


class _SegmentBar:
    """A per-file bar that advances by decoded segment end time (seconds of audio done)."""

    def __init__(self, name: str, disable: bool) -> None:
        self.name, self.disable, self.bar, self.done = name, disable, None, 0.0

    def __call__(self, segment: Segment, duration: float) -> None:
        if self.bar is None:
            self.bar = tqdm(total=round(duration, 1), desc=self.name, unit="s", file=sys.stderr,
                            disable=self.disable, leave=False, dynamic_ncols=True)
        step = max(0.0, min(segment.end, duration) - self.done)
        self.bar.update(round(step, 1))
        self.done += step

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _output_path(source: Path, out_dir: Path | None, fmt: str, taken: set[Path]) -> Path:
    """`<stem>.<fmt>` next to the input or in --out; a numbered name when two inputs share a stem."""
    folder = out_dir or source.parent
    path, n = folder / f"{source.stem}.{fmt}", 1
    while path in taken:
        path, n = folder / f"{source.stem}-{n}.{fmt}", n + 1
    taken.add(path)
    return path


def _human(result: dict[str, Any]) -> str:
    lines = []
    for f in result["files"]:
        if f["ok"]:
            lines.append(f"{f['input']}: {f['duration']:.1f} s of audio in {f['seconds']:.1f} s "
                         f"(real-time factor {f['rtf']:.3f}), language {f['language']} -> {', '.join(f['outputs'])}")
        else:
            lines.append(f"{f['input']}: FAILED: {f['error']}")
    lines.append(f"{len(result['files']) - result['failed']} of {len(result['files'])} files transcribed "
                 f"with {result['backend']} ({result['model']})")
    return "\n".join(lines)


@click.command("transcribe")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--backend", type=click.Choice(["faster-whisper", "openai-whisper"]), default="faster-whisper",
              show_default=True, help="faster-whisper runs offline with the packaged Whisper base.")
@click.option("--model", default=None, help="base (default: the most accurate offline model), tiny.en (about "
              "twice as fast), another model name, a CTranslate2 model directory, or a .pt checkpoint "
              "(openai-whisper). Packaged models are checked against pinned checksums before loading.")
@click.option("--format", "formats", type=click.Choice(FORMATS), multiple=True, default=("json",),
              show_default=True, help="Output format; repeat for several.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the outputs (created if missing). Default: next to each input file.")
@click.option("--word-timestamps", is_flag=True, help="Also time each word (kept in the JSON output).")
@click.option("--language", default=None, help="Spoken language code such as 'en' (default: detect).")
@click.option("--beam-size", type=click.IntRange(1, 20), default=None,
              help="Beam width (default 5; 1 is greedy decoding, faster and a little less accurate).")
@click.option("--threads", type=click.IntRange(0, 256), default=0, help="CPU threads, 0 = library default.")
@click.option("--allow-download", is_flag=True, help="Let a named model be downloaded when it is not on disk.")
@json_option
@click.pass_context
def transcribe(ctx: click.Context, files: tuple[Path, ...], backend: str, model: str | None,
               formats: tuple[str, ...], out_dir: Path | None, word_timestamps: bool, language: str | None,
               beam_size: int | None, threads: int, allow_download: bool, as_json: bool) -> None:
    """Transcribe audio FILES (wav, mp3, m4a, webm, ogg, ...) with Whisper.

    Each file gets one output per --format. A file that is not readable audio is reported and skipped; the
    others are still transcribed, and the exit code is 1 if any failed.
    """
    extra: dict[str, Any] = {"cpu_threads": threads} if backend == "faster-whisper" else {}
    options = DecodeOptions() if beam_size is None else DecodeOptions(beam_size=beam_size)
    try:
        transcriber = get_transcriber(backend, model, allow_download=allow_download, options=options, **extra)
    except (TranscriberUnavailable, ValueError) as exc:
        fail(str(exc))
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
    rows, taken = [], set()
    for source in progress(files, total=len(files), desc="files", disable=len(files) < 2):
        row: dict[str, Any] = {"input": str(source), "ok": False, "outputs": []}
        bar = _SegmentBar(source.name, disable=False)
        started = time.perf_counter()
        try:
            transcript = transcriber.transcribe(source, language=language, word_timestamps=word_timestamps,
                                                on_segment=bar)
            for fmt in formats:
                path = _output_path(source, out_dir, fmt, taken)
                path.write_text(export(transcript, fmt), encoding="utf-8")
                row["outputs"].append(str(path))
        except (AudioError, OSError) as exc:
            row["error"] = str(exc)
        else:
            seconds = time.perf_counter() - started
            row.update(ok=True, duration=transcript.duration, seconds=seconds, language=transcript.language,
                       segments=len(transcript.segments), rtf=seconds / max(transcript.duration, 1e-9))
        finally:
            bar.close()
        rows.append(row)
    done = [r for r in rows if r["ok"]]
    audio = sum(r["duration"] for r in done)
    wall = sum(r["seconds"] for r in done)
    result = {"backend": backend, "model": transcriber.model_name, "files": rows,
              "outputs": [p for r in rows for p in r["outputs"]], "failed": len(rows) - len(done),
              "audio_seconds": audio, "wall_seconds": wall, "rtf": wall / audio if audio else None,
              "languages": sorted({r["language"] for r in done if r["language"]})}
    emit(result, as_json, _human)
    if result["failed"]:
        ctx.exit(1)
