"""The researcher's recordings and transcript pages in a real headless Chromium against `hill-dash serve`: log in,
transcribe a recording with the background callback, play a segment by clicking its time, correct it, and code
words selected in its text."""

from __future__ import annotations

import pytest
from live_server import LiveServer, severe_console_errors
from recording_kit import recorded
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

from hill_dash.app import ids
from hill_dash.store import open_store

pytestmark = [pytest.mark.browser, pytest.mark.slow,
              pytest.mark.filterwarnings("ignore::DeprecationWarning:selenium.*")]

WAIT = 120  # the first background callback starts a process that imports the app


@pytest.fixture
def live(tmp_path, chromium, tone_webm):
    """A study with one think-aloud recording and a researcher, served by `hill-dash serve` with the scripted
    transcriber (a real Whisper run is tested in test_transcription_job)."""
    data_dir = tmp_path / "live"
    store = open_store(data_dir=data_dir)
    created = store.create_study("live", ["digits"], n_participants=1)
    store.create_researcher("ada", "correct horse")
    recording_id = recorded(store, created.invites[0].participant.id, created.study.scenarios[0].id,
                            tone_webm.read_bytes())
    server = LiveServer(data_dir, env={"HILL_TRANSCRIBE_BACKEND": "fake"})
    yield server, store, created.study.id, recording_id
    server.stop()
    store.close()


def _dict_ids(browser, kind: str) -> list:
    return browser.find_elements(By.CSS_SELECTOR, f'[id*=\'"type":"{kind}"\']')


def test_transcribe_play_correct_and_code_in_the_browser(live, browser):
    server, store, study_id, recording_id = live
    wait = WebDriverWait(browser, WAIT)
    browser.get(f"{server.url}/login")
    wait.until(lambda b: b.find_elements(By.ID, ids.LOGIN_NAME))
    browser.find_element(By.ID, ids.LOGIN_NAME).send_keys("ada")
    browser.find_element(By.ID, ids.LOGIN_PASSWORD).send_keys("correct horse")
    browser.find_element(By.ID, ids.LOGIN_SUBMIT).click()
    wait.until(lambda b: b.current_url.endswith("/researcher"))

    browser.get(f"{server.url}/researcher/recordings?study={study_id}")
    wait.until(lambda b: _dict_ids(b, ids.REC_TRANSCRIBE))
    assert browser.find_elements(By.CSS_SELECTOR, f'audio[src="/researcher/recordings/{recording_id}/audio"]')
    _dict_ids(browser, ids.REC_TRANSCRIBE)[0].click()
    wait.until(lambda b: "Transcribed" in b.find_element(By.ID, ids.REC_JOB_MESSAGE).text)
    transcript = store.list_transcripts(recording_id)[0]
    browser.find_element(By.ID, ids.REC_JOB_MESSAGE).find_element(By.TAG_NAME, "a").click()

    wait.until(lambda b: len(_dict_ids(b, ids.TRANSCRIPT_SEEK)) == 3)
    assert browser.current_url.endswith(f"/researcher/transcript/{transcript.id}")
    _dict_ids(browser, ids.TRANSCRIPT_SEEK)[1].click()  # the fake script's second segment starts at 2 s
    wait.until(lambda b: b.execute_script(f"return document.getElementById('{ids.TRANSCRIPT_AUDIO}').currentTime")
               >= 2.0)

    browser.find_elements(By.CSS_SELECTOR, ".hill-segments details summary")[0].click()  # "Correct"
    box = _dict_ids(browser, ids.TRANSCRIPT_TEXT)[0]
    box.clear()
    box.send_keys("Now my strategy is to cluster them near the centre.", Keys.TAB)
    wait.until(lambda b: "Saved as ada" in _dict_ids(b, ids.TRANSCRIPT_SAVED)[0].text)
    assert store.transcript_segments(transcript.id)[0]["text"] == "Now my strategy is to cluster them near the centre."

    wait.until(lambda b: b.execute_script(SEGMENT_TEXT) == "Now my strategy is to cluster them near the centre.")
    browser.execute_script(SELECT_WORDS, "cluster them")
    wait.until(lambda b: "cluster them" in b.find_element(By.ID, ids.TRANSCRIPT_SELECTED).text)
    Select(browser.find_element(By.ID, ids.TRANSCRIPT_CODE)).select_by_visible_text(
        "Strategies › Increasing Cluster Compactness")
    browser.find_element(By.ID, ids.TRANSCRIPT_MEMO).send_keys("says it outright")
    browser.find_element(By.ID, ids.TRANSCRIPT_APPLY).click()
    wait.until(lambda b: "as ada" in b.find_element(By.ID, ids.TRANSCRIPT_CODE_MESSAGE).text)
    coding = store.list_codings(transcript_id=transcript.id)[0]
    assert (coding.start_index, coding.end_index, coding.start_char, coding.end_char, coding.quote) == \
        (0, 0, 22, 34, "cluster them")
    assert (coding.coder, coding.memo) == ("ada", "says it outright")
    marks = browser.find_elements(By.CSS_SELECTOR, ".hill-segtext mark.hill-coded")
    assert [m.text for m in marks] == ["cluster them"]
    assert not severe_console_errors(browser)


SEGMENT_TEXT = "return document.querySelector('.hill-segtext[data-index=\"0\"]').textContent;"
SELECT_WORDS = """
var el = document.querySelector('.hill-segtext[data-index="0"]'), node = el.firstChild;
var at = node.textContent.indexOf(arguments[0]), range = document.createRange();
range.setStart(node, at); range.setEnd(node, at + arguments[0].length);
var sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
document.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
"""
