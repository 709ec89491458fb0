"""Requests and audio the recording tests share: participant uploads through the test client, a researcher's
login cookie, and real webm/opus audio cut into chunks the way a browser slices a recording."""

from __future__ import annotations

from pathlib import Path

from hill_dash.app import auth
from hill_dash.app.audio_routes import TOKEN_HEADER
from hill_dash.app.context import get_store


def log_in(client, researcher) -> None:
    """Give the test client the login cookie of `researcher`."""
    with client.session_transaction() as session:
        session[auth.SESSION_KEY] = get_store().create_session(researcher.id)


def start(client, token: str, scenario_id: int, mime: str = "audio/webm;codecs=opus"):
    return client.post("/audio/recordings", json={"study_scenario_id": scenario_id, "mime": mime},
                       headers={TOKEN_HEADER: token})


def send_chunk(client, token: str, recording_id: int, seq: int, data: bytes, offset_ms: int | None = None):
    query = "" if offset_ms is None else f"?offset_ms={offset_ms}"
    return client.post(f"/audio/recordings/{recording_id}/chunks/{seq}{query}", data=data,
                       headers={TOKEN_HEADER: token}, content_type="audio/webm")


def webm_opus(path: Path, samples, rate: int = 16_000) -> Path:
    """Float samples in [-1, 1] encoded as webm/opus, the way a browser's MediaRecorder stores speech."""
    import av
    import numpy as np

    pcm = (np.clip(samples, -1, 1) * 32767).astype(np.int16)[None, :]
    with av.open(str(path), "w", format="webm") as out:
        stream = out.add_stream("libopus", rate=48_000, layout="mono")
        frame = av.AudioFrame.from_ndarray(pcm, format="s16", layout="mono")
        frame.sample_rate = rate
        frame.pts = None  # the encoder resamples to 48 kHz; timestamps at 16 kHz would not match
        for packet in [*stream.encode(frame), *stream.encode(None)]:
            out.mux(packet)
    return path


def pieces(data: bytes, n: int) -> list[bytes]:
    """`data` cut into `n` consecutive pieces (a browser's slices continue one stream the same way)."""
    cuts = [round(i * len(data) / n) for i in range(n + 1)]
    return [data[a:b] for a, b in zip(cuts, cuts[1:])]


def recorded(store, participant_id: int, scenario_id: int, data: bytes, n: int = 3, finish: bool = True) -> int:
    """A think-aloud recording of `data` arrived in `n` chunks (joined when `finish`); its id."""
    recording = store.create_recording("think_aloud", "audio/webm", participant_id=participant_id,
                                       study_scenario_id=scenario_id)
    for seq, part in enumerate(pieces(data, n)):
        store.add_chunk(recording.id, seq, part, client_offset_ms=2000 * seq)
    if finish:
        store.join_chunks(recording.id)
    return recording.id

