"""Transcribing a stored recording: close a recording whose chunks stopped coming, decode its audio file, run
Whisper (offline faster-whisper with Whisper base by default, the same default as `hill-dash transcribe`) and store
the timed segments, with word times, as the machine transcript.

Audio that cannot be transcribed (corrupt, silent) is not a bare failed job: the reason, in words, is kept on the
recording (`Store.recording_problem`) and shown beside it; a recording in which Whisper finds no speech gets a
transcript with no segments and says so too.

Long work: call it from a background callback or a worker, never inside a web request. Progress goes to the
caller's callback and, for queued jobs, to the job's row, so any page can follow it.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hill_dash.audio_limits import Limits
from hill_dash.store import Job, Recording, Store, StoreError
from hill_dash.store import Transcript as StoredTranscript
from hill_dash.store.audio import SUFFIXES
from transcripts import AudioError, Segment, Transcriber, TranscriberUnavailable, decode_audio, get_transcriber
from transcripts._audio import SAMPLE_RATE, silence_problem

JOB_KIND = "transcription"
# The transcriber a deployment uses; the defaults need no network.
BACKEND_ENV, MODEL_ENV, THREADS_ENV = "HILL_TRANSCRIBE_BACKEND", "HILL_TRANSCRIBE_MODEL", "HILL_TRANSCRIBE_THREADS"

Progress = Callable[[float, str], None]


class TranscriptionError(RuntimeError):
    """A recording that cannot be transcribed; the message says why and what to do."""


def indexed_webm(source: Path) -> bytes | None:
    """The same audio packets in a webm file that states its duration and has seek cues, or None when `source`
    cannot be read.

    A browser's MediaRecorder writes webm as a live stream, with neither, so players show no length or seek bar.
    Copying the packets (no re-encoding) takes about 0.15 s per 10 minutes of audio.
    """
    import av

    buffer = io.BytesIO()
    try:
        with av.open(str(source)) as src, av.open(buffer, "w", format="webm") as dst:
            stream = src.streams.audio[0]
            out = dst.add_stream_from_template(stream)
            for packet in src.demux(stream):
                if packet.dts is not None:  # the demuxer's empty packet at the end
                    packet.stream = out
                    dst.mux(packet)
    except (av.FFmpegError, IndexError, ValueError):
        return None
    return buffer.getvalue()


def finalise_recording(store: Store, recording_id: int, duration_s: float | None = None) -> tuple[Recording, list[int]]:
    """Join a recording's chunks into its audio file and mark it complete; returns it with the chunk numbers that
    never arrived. A webm recording then points at an indexed copy (see `indexed_webm`); the join stays too.

    Chunks lost on the way (a page closed mid-upload) are skipped rather than blocking the rest: a browser's
    chunks continue one stream, so the later ones still play. Without its first chunk a webm file has no header
    and will not decode, which the transcription then reports.
    """
    chunks = store.list_chunks(recording_id)
    if not chunks:
        raise StoreError(f"recording {recording_id} has no audio: no chunk ever arrived")
    if duration_s is None and chunks[-1].client_offset_ms is not None:
        duration_s = chunks[-1].client_offset_ms / 1000.0  # at least this long; the decoder measures it exactly
    missing = sorted(set(range(chunks[-1].seq + 1)) - {chunk.seq for chunk in chunks})
    if not missing:
        recording = store.join_chunks(recording_id, duration_s=duration_s)
    else:
        mime = store.get_recording(recording_id).mime
        path = store.files.concatenate(f"recordings/{recording_id}/audio{SUFFIXES.get(mime, '.bin')}",
                                       [chunk.path for chunk in chunks])
        recording = store.update_recording(recording_id, status="complete", duration_s=duration_s, path=path)
    indexed = indexed_webm(store.files.absolute(recording.path)) if recording.mime == "audio/webm" else None
    if indexed:
        path = store.files.write_bytes(f"recordings/{recording_id}/audio-indexed.webm", indexed)
        recording = store.update_recording(recording_id, path=path)
    return recording, missing


def default_transcriber() -> Transcriber:
    """The deployment's transcriber: $HILL_TRANSCRIBE_BACKEND (default faster-whisper), $HILL_TRANSCRIBE_MODEL
    (default Whisper base; "tiny.en" is the fast fallback), $HILL_TRANSCRIBE_THREADS CPU threads (default: the
    library's choice)."""
    backend = os.environ.get(BACKEND_ENV) or "faster-whisper"
    options: dict[str, Any] = {}
    threads = os.environ.get(THREADS_ENV)
    if backend == "faster-whisper" and threads:
        options["cpu_threads"] = int(threads)
    return get_transcriber(backend, os.environ.get(MODEL_ENV) or None, **options)


def segment_rows(segments: tuple[Segment, ...]) -> list[dict[str, Any]]:
    """Segments as the store keeps them: times, text, Whisper's confidence values and the word timings."""
    return [{"start": s.start, "end": s.end, "text": s.text, "avg_logprob": s.avg_logprob,
             "no_speech_prob": s.no_speech_prob, "compression_ratio": s.compression_ratio,
             "words": [{"start": w.start, "end": w.end, "word": w.word, "probability": w.probability}
                       for w in s.words]} for s in segments]


def _refuse(store: Store, recording_id: int, problem: str) -> TranscriptionError:
    store.set_recording_problem(recording_id, problem)
    store.update_recording(recording_id, status="failed")
    return TranscriptionError(f"recording {recording_id} could not be transcribed: {problem}")


def transcribe_recording(store: Store, recording_id: int, *, transcriber: Transcriber | None = None,
                         progress: Progress | None = None) -> StoredTranscript:
    """Transcribe one recording and store the transcript; the recording ends "transcribed" (or "failed", with
    TranscriptionError saying why). A recording still taking chunks is closed first."""
    recording = store.get_recording(recording_id)
    if recording.status == "recording":
        try:
            recording, _ = finalise_recording(store, recording_id)
        except StoreError as exc:
            raise TranscriptionError(str(exc)) from exc
    if not recording.path:
        raise TranscriptionError(f"recording {recording_id} has no audio file to transcribe")
    limit = Limits.from_config().max_seconds  # a bad setting is refused before anything changes
    report = progress or (lambda _fraction, _text: None)
    store.update_recording(recording_id, status="transcribing")
    store.set_recording_problem(recording_id, None)
    report(0.0, f"checking the audio of recording {recording_id}")
    try:
        samples, _ = decode_audio(store.files.absolute(recording.path))
    except AudioError as exc:
        raise _refuse(store, recording_id, str(exc)) from exc
    seconds = samples.size / SAMPLE_RATE
    if seconds > limit:  # what the speech model would be made to work through, however the file was labelled
        raise _refuse(store, recording_id, f"the audio plays {seconds:.0f} s, longer than the {limit} s this "
                                           "server transcribes; split it, or raise HILL_MAX_RECORDING_S")
    silent = silence_problem(samples)
    if silent:
        raise _refuse(store, recording_id, silent)
    report(0.02, f"loading the speech model for recording {recording_id}")
    try:
        model = transcriber or default_transcriber()

        def on_segment(segment: Segment, duration: float) -> None:
            done = min(segment.end, duration)
            report(min(1.0, done / duration) if duration else 1.0, f"{done:.0f} of {duration:.0f} s transcribed")

        result = model.transcribe(samples, on_segment=on_segment, word_timestamps=True,
                                  source=str(recording.path))
    except (AudioError, TranscriberUnavailable) as exc:
        raise _refuse(store, recording_id, str(exc)) from exc
    except Exception:
        store.update_recording(recording_id, status="failed")
        raise
    stored = store.add_transcript(recording_id, result.backend, result.model, language=result.language,
                                  segments=segment_rows(result.segments), settings=dict(result.settings))
    store.update_recording(recording_id, duration_s=result.duration)
    if not result.segments:
        store.set_recording_problem(recording_id, f"Whisper found no speech in {result.duration:.0f} s of audio "
                                                  "(there is sound, but no words); listen to the recording")
    report(1.0, f"{len(result.segments)} segments, {result.duration:.0f} s of audio")
    return stored


def queue_transcription(store: Store, recording_id: int, requested_by: str) -> Job:
    """A queued transcription job for a recording (what a page hands to its background callback)."""
    store.get_recording(recording_id)
    return store.create_job(JOB_KIND, recording_id=recording_id, payload={"requested_by": requested_by})


def run_transcription_job(store: Store, job_id: int, *, transcriber: Transcriber | None = None,
                          progress: Progress | None = None) -> StoredTranscript:
    """Run a queued transcription job, reporting progress to `progress` and to the job's row.

    Only a queued job runs (so a job is never run twice); the job ends "done" or "failed" with the reason.
    """
    job = store.get_job(job_id)
    if job.kind != JOB_KIND or job.recording_id is None:
        raise TranscriptionError(f"job {job_id} is a {job.kind} job, not a transcription")
    if job.status != "queued":
        raise TranscriptionError(f"job {job_id} is already {job.status}; queue a new transcription instead")
    store.update_job(job_id, status="running", progress=0.0)

    def report(fraction: float, text: str) -> None:
        store.update_job(job_id, progress=fraction, message=text)
        if progress is not None:
            progress(fraction, text)

    try:
        stored = transcribe_recording(store, job.recording_id, transcriber=transcriber, progress=report)
    except Exception as exc:
        store.update_job(job_id, status="failed", message=str(exc))
        raise
    store.update_job(job_id, status="done", message=f"transcript {stored.id}")
    return stored
