"""A participant's whole session in headless Chromium at 1366 x 768, against a real `hill-dash serve`: consent,
demographics, two tasks in the latent editor (a digits and a basicmotions run, trained to their ends with Train
alone) each followed by UMUX-Lite, NASA-TLX and the custom questions. Only what is on screen is used: the way
forward is in view when a task is done, the researcher's words (α, λ, pause, macro-F1) never appear, an untouched
required slider blocks Next by name, a click at a slider's middle is an answer, and a reload while recording
continues the recording with the gap stored."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from flow_study import CONSENT
from live_server import LiveServer, severe_console_errors
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.actions.action_builder import ActionBuilder
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from hill_dash.app import ids
from hill_dash.store import open_store
from hill_dash.store.resumed import resumed_from

pytestmark = [pytest.mark.browser, pytest.mark.slow,
              pytest.mark.filterwarnings("ignore::DeprecationWarning:selenium.*")]

LONG = 240  # a round runs in a background process on busy shared cores
RESEARCHER_WORDS = ("α", "λ", "alpha", "lambda", "macro-F1", "Pause", "Resume", "Cancel", "epochs between",
                    "arrow mode", "class score", "UMUX", "NASA")
INSTRUMENTS = ["umux_lite", "nasa_tlx", "custom_hill"]


@pytest.fixture(scope="module")
def checkpoints(tmp_path_factory) -> dict[str, str]:
    """digits and basicmotions pretrained to their only interaction point (epoch 1 of 2): one round each."""
    from hill_dash.core.baseline import pretrain
    from hill_dash.core.config import RunConfig
    from hill_dash.core.scenarios import ScenarioSpec, build_scenario

    out = {}
    for name in ("digits", "basicmotions"):
        config = RunConfig(scenario=name, interaction_epochs=(1,), end_epoch=2)
        out[name] = str(pretrain(build_scenario(ScenarioSpec(name)), config,
                                 tmp_path_factory.mktemp("pretrained") / name))
    return out


@pytest.fixture
def served(tmp_path, checkpoints, chromium):
    store = open_store(data_dir=tmp_path)
    scenarios = [{"scenario": name, "pretrained_checkpoint": path, "interaction_epochs": [1], "end_epoch": 2}
                 for name, path in checkpoints.items()]
    created = store.create_study("session", scenarios, n_participants=1, consent_text=CONSENT,
                                 instruments=INSTRUMENTS)
    live = LiveServer(tmp_path)
    try:
        yield live.url, store, created
    finally:
        live.stop()
        store.close()


@pytest.fixture
def driver(pytestconfig, chromium, tmp_path):
    """Headless Chromium at 1366 x 768 whose microphone (granted without asking) plays a tone."""
    from microphone_browser import chromium_with_microphone

    from transcripts._speech import write_wav

    t = np.arange(2 * 16_000) / 16_000
    microphone = write_wav(0.4 * np.sin(2 * np.pi * 330 * t), tmp_path / "mic.wav")
    shared = pytestconfig.pluginmanager.get_plugin(str(Path(__file__).parents[1] / "conftest.py"))
    browser = chromium_with_microphone(chromium, shared.CHROMIUM_FLAGS, microphone, size="1366,768")
    yield browser
    browser.quit()


def _wait(driver, condition, timeout: float = 30):
    ignored = (StaleElementReferenceException, NoSuchElementException)
    return WebDriverWait(driver, timeout, ignored_exceptions=ignored).until(condition)


def _text(driver) -> str:
    return driver.find_element(By.TAG_NAME, "body").text


def _no_researcher_words(driver) -> None:
    shown = _text(driver)
    assert not [w for w in RESEARCHER_WORDS if w in shown], shown[:2000]


def _in_view(driver, element) -> bool:
    return driver.execute_script(
        "var r = arguments[0].getBoundingClientRect();"
        "return r.width > 0 && r.top >= 0 && r.bottom <= window.innerHeight && r.right <= window.innerWidth;",
        element)


def _press_in_view(driver, element_id: str, timeout: float = 30):
    """Click the button where it is, without scrolling: it must be visible in the window."""
    element = _wait(driver, EC.element_to_be_clickable((By.ID, element_id)), timeout)
    assert _in_view(driver, element), f"{element_id} is outside the 1366 x 768 window"
    element.click()


def _dom_id(kind: str, instrument: str, item: str) -> str:
    return json.dumps({"instrument": instrument, "item": item, "type": kind}, separators=(",", ":"))


def _element(driver, kind: str, instrument: str, item: str):
    return _wait(driver, lambda d: d.execute_script("return document.getElementById(arguments[0]);",
                                                    _dom_id(kind, instrument, item)))


def _saved(driver, instrument: str, item: str) -> None:
    _wait(driver, lambda d: "Saved." in _element(d, ids.Q_STATUS, instrument, item).text)


def _next(driver, expected: str) -> None:
    button = driver.find_element(By.ID, ids.PARTICIPANT_NEXT)
    driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", button)  # the participant scrolls
    button.click()
    _wait(driver, EC.text_to_be_present_in_element((By.ID, ids.PARTICIPANT_CONTENT), expected))


def _choose(driver, instrument: str, item: str, label: str) -> None:
    group = _element(driver, ids.Q_ITEM, instrument, item)
    choice = next(l for l in group.find_elements(By.TAG_NAME, "label") if l.text.strip() == label)
    driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", choice)
    choice.click()
    _saved(driver, instrument, item)


def _click_slider(driver, instrument: str, item: str, share: float) -> None:
    """Click a slider's line at `share` of its length (0 = left end), as a participant would."""
    wrapper = _element(driver, ids.Q_SLIDER, instrument, item)
    track = _wait(driver, lambda d: wrapper.find_element(By.CSS_SELECTOR, ".dash-slider-track"))
    driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", track)
    handle_shown = driver.execute_script(
        "var t = arguments[0].querySelector('[role=slider]'); return t && getComputedStyle(t).opacity !== '0';",
        wrapper)
    assert not handle_shown, f"{instrument}.{item} shows a handle before it is answered"
    box = driver.execute_script("var r = arguments[0].getBoundingClientRect(); return [r.left, r.top, r.width, "
                                "r.height];", track)
    actions = ActionBuilder(driver)
    actions.pointer_action.move_to_location(int(box[0] + share * box[2]), int(box[1] + box[3] / 2)).click()
    actions.perform()
    _saved(driver, instrument, item)


def _answers(store, participant_id: int, instrument: str, scenario_id: int | None = None) -> dict:
    return {a.item: (a.value, a.untouched) for a in store.latest_answers(participant_id, instrument, scenario_id)}


def _recorder(driver) -> dict:
    return driver.execute_script("return window.hillRecorder && window.hillRecorder.status();") or {}


def _task(driver, store, participant_id: int, record_and_reload: bool) -> None:
    """One task: the editor as the participant sees it, Train until done, Continue; optionally a reload while the
    think-aloud recording runs."""
    _wait(driver, EC.element_to_be_clickable((By.ID, ids.EDITOR_TRAIN)), LONG)
    _no_researcher_words(driver)
    assert "Your task" in _text(driver) and "left" in driver.find_element(By.ID, ids.EDITOR_ROUNDS_LEFT).text
    if record_and_reload:
        driver.find_element(By.ID, ids.REC_START).click()
        _wait(driver, lambda d: _recorder(d).get("state") == "recording" and _recorder(d).get("chunks", 0) >= 1, 60)
        first = _recorder(driver)["recordingId"]
        driver.refresh()
        _wait(driver, lambda d: _recorder(d).get("state") == "recording" and _recorder(d)["recordingId"] != first,
              60)
        second = _recorder(driver)["recordingId"]
        previous, gap = resumed_from(store, second)
        assert previous == first and gap is not None and 0.0 <= gap < 30.0
        assert "Recording" in driver.find_element(By.ID, ids.REC_STATUS).text
    while not driver.find_element(By.ID, ids.EDITOR_DONE).is_displayed():
        _press_in_view(driver, ids.EDITOR_TRAIN, LONG)
        _wait(driver, lambda d: d.find_element(By.ID, ids.EDITOR_DONE).is_displayed() or
              d.find_element(By.ID, ids.EDITOR_TRAIN).is_enabled(), LONG)
    _no_researcher_words(driver)
    _press_in_view(driver, ids.EDITOR_DONE)


def _questionnaires(driver, store, participant_id: int, block_on_untouched: bool) -> None:
    _wait(driver, EC.text_to_be_present_in_element((By.ID, ids.PARTICIPANT_CONTENT), "Using the system"))
    _no_researcher_words(driver)
    _choose(driver, "umux_lite", "i1", "6")
    _choose(driver, "umux_lite", "i2", "5")
    _next(driver, "How demanding was the task?")
    for n, item in enumerate(("mental", "physical", "temporal", "performance", "effort")):
        _click_slider(driver, "nasa_tlx", item, 0.1 + 0.15 * n)
    if block_on_untouched:
        driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", driver.find_element(By.ID, ids.PARTICIPANT_NEXT))
        driver.find_element(By.ID, ids.PARTICIPANT_NEXT).click()
        _wait(driver, EC.text_to_be_present_in_element((By.ID, ids.PARTICIPANT_MESSAGE), "Question 6"))
        message = driver.find_element(By.ID, ids.PARTICIPANT_MESSAGE).text
        assert "How insecure, discouraged" in message and "Frustration" not in message
        assert "How demanding was the task?" in driver.find_element(By.ID, ids.PARTICIPANT_CONTENT).text  # still here
    _click_slider(driver, "nasa_tlx", "frustration", 0.5)
    _next(driver, "Experience with the system")
    _no_researcher_words(driver)
    for n in range(1, 8):
        _click_slider(driver, "custom_hill", f"q{n}", n / 8)


def test_a_participant_finishes_both_tasks_and_every_questionnaire_with_only_what_is_on_screen(served, driver):
    base, store, created = served
    invite = created.invites[0]
    participant = invite.participant.id
    driver.get(f"{base}/p/{invite.token}")
    _wait(driver, EC.text_to_be_present_in_element((By.ID, ids.PARTICIPANT_CONTENT), "You may stop at any time."))
    driver.find_element(By.CSS_SELECTOR, ".hill-consent input[type='checkbox']").click()
    _press_in_view(driver, ids.PARTICIPANT_NEXT)
    _wait(driver, EC.text_to_be_present_in_element((By.ID, ids.PARTICIPANT_CONTENT), "About you"))

    age = _element(driver, ids.Q_ITEM, "demographics", "age")
    age.send_keys("29", Keys.TAB)
    _saved(driver, "demographics", "age")
    assert age.get_attribute("value") == "29"
    assert driver.execute_script("return arguments[0].scrollWidth <= arguments[0].clientWidth;", age)  # not clipped
    stepper = age.find_element(By.XPATH, "..").find_element(By.CSS_SELECTOR, ".dash-stepper-increment")
    assert stepper.is_displayed() and _in_view(driver, stepper)
    _choose(driver, "demographics", "gender", "female")
    driver.find_element(By.ID, ids.PARTICIPANT_NEXT).click()
    _wait(driver, EC.text_to_be_present_in_element((By.ID, ids.PARTICIPANT_MESSAGE), "Question 3"))
    assert "How much experience" in driver.find_element(By.ID, ids.PARTICIPANT_MESSAGE).text
    _click_slider(driver, "demographics", "ml_experience", 0.5)  # exactly the middle: an answer too
    _next(driver, "Task 1 of 2")

    _task(driver, store, participant, record_and_reload=True)
    _questionnaires(driver, store, participant, block_on_untouched=True)
    _next(driver, "Task 2 of 2")
    _task(driver, store, participant, record_and_reload=False)
    _questionnaires(driver, store, participant, block_on_untouched=False)
    _next(driver, "Thank you")

    assert store.get_participant(participant).status == "finished"
    runs = store.list_runs(participant_id=participant)
    assert sorted(r.status for r in runs) == ["finished", "finished"]
    (experience,) = [v for k, v in _answers(store, participant, "demographics").items() if k == "ml_experience"]
    assert experience[1] is False and 45 <= experience[0] <= 55
    for scenario in created.study.scenarios:
        tlx = _answers(store, participant, "nasa_tlx", scenario.id)
        assert all(not untouched and isinstance(value, int) and 0 <= value <= 20
                   for key, (value, untouched) in tlx.items() if not key.startswith("pair:"))
        assert len({value for key, (value, _) in tlx.items() if not key.startswith("pair:")}) >= 4
        custom = _answers(store, participant, "custom_hill", scenario.id)
        assert len(custom) == 7 and not any(untouched for _, untouched in custom.values())
        assert _answers(store, participant, "umux_lite", scenario.id) == {"i1": (6, False), "i2": (5, False)}
    assert severe_console_errors(driver) == []
