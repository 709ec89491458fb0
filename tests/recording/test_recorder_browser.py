"""The think-aloud recorder in a real headless Chromium whose microphone plays a wav file: the widget's chunks
arrive while it records (a failed upload is sent again) and join into audio that decodes; leaving the page hands
the rest over by beacon."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest
from live_server import severe_console_errors
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from hill_dash.app import ids
from transcripts import decode_audio
from transcripts._speech import write_wav

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore::DeprecationWarning:selenium.*")]

WAIT = 60  # seconds; the recorder itself needs ~2 s per chunk
STATUS = "return window.hillRecorder && window.hillRecorder.status();"


@pytest.fixture
def microphone(tmp_path) -> Path:
    """What the fake microphone plays (in a loop): a tone that rises and falls in pitch, half scale."""
    t = np.arange(3 * 16_000) / 16_000
    return write_wav(0.5 * np.sin(2 * np.pi * (300 + 100 * np.sin(2 * np.pi * t)) * t), tmp_path / "mic.wav")


@pytest.fixture
def page(study):
    """A fresh Dash app holding only the recorder of participant 1 in the study's first scenario, with the audio
    routes, served from a thread of this process (the widget has no callbacks, so any app will do). The first
    upload of chunk 1 fails with 503, as a dropped connection would; yields the URL and the refused uploads."""
    import flask
    from dash import Dash, html
    from werkzeug.serving import make_server

    from hill_dash.app.app import ASSETS
    from hill_dash.app.audio_routes import register_audio_routes
    from hill_dash.app.views.recorder import recorder_widget

    # Callbacks of pages imported earlier in this process attach to every new app: their ids are not here.
    app = Dash(__name__, assets_folder=str(ASSETS), serve_locally=True, use_pages=False,
               suppress_callback_exceptions=True)
    app.layout = html.Div([html.H4("Task 1 of 2"), recorder_widget(study.token(0), study.scenario_id())])
    register_audio_routes(app.server)
    refused: list[str] = []

    @app.server.before_request
    def drop_the_first_upload_of_chunk_1():
        if flask.request.path.endswith("/chunks/1") and not refused:
            refused.append(flask.request.path)
            return flask.Response("try again", status=503)
        return None

    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/", refused
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture
def driver(pytestconfig, chromium, microphone):
    """Headless Chromium that grants the microphone without asking and feeds it from `microphone`."""
    from microphone_browser import chromium_with_microphone

    # The shared tests/conftest.py (its module name "conftest" is this folder's now) holds the common flags.
    shared = pytestconfig.pluginmanager.get_plugin(str(Path(__file__).parents[1] / "conftest.py"))
    browser = chromium_with_microphone(chromium, shared.CHROMIUM_FLAGS, microphone)
    yield browser
    browser.quit()


def _stated_length(path: Path) -> float | None:
    """The length a webm file states in its header (what a player shows), in seconds."""
    import av

    with av.open(str(path)) as container:
        return None if container.duration is None else container.duration / 1e6


def _status(driver) -> dict:
    return driver.execute_script(STATUS) or {}


def _start(driver, url: str, chunks: int) -> dict:
    driver.get(url)
    WebDriverWait(driver, WAIT).until(lambda d: d.find_element(By.ID, ids.REC_START).is_displayed())
    driver.find_element(By.ID, ids.REC_START).click()
    WebDriverWait(driver, WAIT).until(lambda d: _status(d).get("chunks", 0) >= chunks and not _status(d)["waiting"])
    assert "Recording" in driver.find_element(By.ID, ids.REC_STATUS).text
    return _status(driver)


def test_a_recording_arrives_in_chunks_and_joins_into_playable_audio(page, driver, study):
    store = study.store
    url, refused = page
    during = _start(driver, url, chunks=3)
    recording_id = during["recordingId"]
    arrived = store.list_chunks(recording_id)
    assert len(arrived) >= 3 and store.get_recording(recording_id).status == "recording"  # kept as they came
    assert refused == [f"/audio/recordings/{recording_id}/chunks/1"] and arrived[1].seq == 1  # sent again
    driver.find_element(By.ID, ids.REC_STOP).click()
    WebDriverWait(driver, WAIT).until(lambda d: "Recording saved" in d.find_element(By.ID, ids.REC_STATUS).text)
    assert _status(driver)["state"] == "done"
    assert [e for e in severe_console_errors(driver) if "chunks/1" not in e["message"]] == []  # but the 503

    recording = store.get_recording(recording_id)
    chunks = store.list_chunks(recording_id)
    assert (recording.status, recording.mime, recording.kind) == ("complete", "audio/webm", "think_aloud")
    assert (recording.participant_id, recording.study_scenario_id) == (study.participant(0).id, study.scenario_id())
    assert [c.seq for c in chunks] == list(range(len(chunks))) and len(chunks) >= 4
    offsets = [c.client_offset_ms for c in chunks]
    assert offsets[0] == 0 and offsets == sorted(offsets) and offsets[-1] >= 5000
    samples, duration = decode_audio(store.files.absolute(recording.path))
    assert duration > 1.0 and abs(duration - recording.duration_s) < 1.5
    raw = store.files.absolute(f"recordings/{recording_id}/audio.webm")
    assert decode_audio(raw)[1] == duration and _stated_length(raw) is None  # the browser wrote a live stream
    assert _stated_length(store.files.absolute(recording.path)) == pytest.approx(duration, abs=0.1)  # indexed
    assert float(np.sqrt(np.mean(samples[8000:] ** 2))) > 0.05  # the microphone's tone, not silence


def test_leaving_the_page_while_recording_finishes_the_recording(page, driver, study):
    store = study.store
    recording_id = _start(driver, page[0], chunks=2)["recordingId"]
    driver.get("about:blank")  # pagehide: the unsent audio and the finish request go by beacon
    WebDriverWait(driver, WAIT, poll_frequency=0.2).until(
        lambda _: store.get_recording(recording_id).status == "complete")
    recording = store.get_recording(recording_id)
    assert len(store.list_chunks(recording_id)) >= 2 and recording.duration_s >= 4.0
    assert decode_audio(store.files.absolute(recording.path))[1] > 1.0
