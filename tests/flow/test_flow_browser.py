"""The study flow in a real headless Chromium against a real `hill-dash serve` process.

Dash's global callbacks attach to the first app created in a process, so the server runs as a subprocess on a data
directory prepared here with the store API. A participant follows their link: consent, demographics, one
interaction point in the latent editor (one training round to the end of a short schedule), UMUX-Lite, NASA-TLX
and the custom questions with refreshes in between; a second participant's link shows none of it, and a researcher
page refuses a visitor who is not logged in.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
from flow_study import CONSENT
from live_server import LiveServer, severe_console_errors
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from hill_dash.app import ids
from hill_dash.app.views import flow
from hill_dash.store import open_store

pytestmark = [pytest.mark.browser, pytest.mark.slow,
              pytest.mark.filterwarnings("ignore::DeprecationWarning:selenium.*")]

LONG = 240  # preparing a run and training a round start a process that builds the scenario: slow on busy cores


@pytest.fixture
def server(tmp_path, tiny_checkpoint, chromium):
    """A study on a fresh data directory, served by `hill-dash serve` in its own process."""
    store = open_store(data_dir=tmp_path)
    created = store.create_study("browser", [{"scenario": "digits", "pretrained_checkpoint": tiny_checkpoint,
                                              "interaction_epochs": [1], "end_epoch": 2}], n_participants=2,
                                 consent_text=CONSENT, instruments=["umux_lite", "nasa_tlx", "custom_hill"])
    live = LiveServer(tmp_path)
    try:
        yield live.url, store, created
    finally:
        live.stop()
        store.close()


def _dom_id(kind: str, instrument: str, item: str) -> str:
    return json.dumps({"instrument": instrument, "item": item, "type": kind}, separators=(",", ":"))


def _wait(driver, condition, timeout: float = 30):
    ignored = (StaleElementReferenceException, NoSuchElementException)
    return WebDriverWait(driver, timeout, ignored_exceptions=ignored).until(condition)


def _element(driver, kind: str, instrument: str, item: str):
    """The element of a dict id, or None (Selenium's By.ID cannot take the JSON form Dash gives such ids)."""
    return driver.execute_script("return document.getElementById(arguments[0]);", _dom_id(kind, instrument, item))


def _control(driver, kind: str, instrument: str, item: str):
    return _wait(driver, lambda d: _element(d, kind, instrument, item))


def _saved(driver, instrument: str, item: str) -> None:
    _wait(driver, lambda d: "Saved." in (getattr(_element(d, ids.Q_STATUS, instrument, item), "text", "")))


def _click(driver, element) -> None:
    """Click an element wherever it is: a long form's bottom lies below the window and keeps moving while the
    sliders' code loads, so the click is dispatched on the element itself."""
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", element)


def _choose(driver, instrument: str, item: str, label: str) -> None:
    group = _control(driver, ids.Q_ITEM, instrument, item)
    _click(driver, next(l for l in group.find_elements(By.TAG_NAME, "label") if l.text.strip() == label))
    _saved(driver, instrument, item)


def _chosen(driver, instrument: str, item: str) -> list[str]:
    group = _control(driver, ids.Q_ITEM, instrument, item)
    return [l.text.strip() for l in group.find_elements(By.TAG_NAME, "label")
            if l.find_element(By.TAG_NAME, "input").is_selected()]


def _thumb(driver, instrument: str, item: str):
    """A slider's handle, once the slider's code has loaded (Dash loads it after the page)."""
    return _wait(driver, lambda d: _control(d, ids.Q_ITEM, instrument, item).find_element(
        By.CSS_SELECTOR, "[role='slider']"))


def _slide(driver, store, participant_id: int, instrument: str, item: str, steps: int) -> int:
    """Move a slider by arrow keys, each step saved before the next; returns the value it ends at."""
    thumb = _thumb(driver, instrument, item)
    value = int(thumb.get_attribute("aria-valuenow") or 0)  # an unanswered slider starts at its scale's start
    driver.execute_script("arguments[0].focus();", thumb)  # keys, not a click: a click could move the handle
    for _ in range(steps):
        ActionChains(driver).send_keys(Keys.ARROW_RIGHT).perform()  # the unanswered handle is hidden: keys go to focus
        value += 1
        _wait(driver, lambda _d, v=value: _latest(store, participant_id, instrument).get(item, (None,))[0] == v)
    return value


def _next(driver, heading: str) -> None:
    _click(driver, driver.find_element(By.ID, ids.PARTICIPANT_NEXT))
    _wait(driver, EC.text_to_be_present_in_element((By.ID, ids.PARTICIPANT_CONTENT), heading))


def _latest(store, participant_id: int, instrument: str) -> dict:
    return {a.item: (a.value, a.untouched) for a in store.latest_answers(participant_id, instrument)}


def test_a_participant_goes_from_consent_through_the_editor_to_the_questionnaires(server, dash_duo):
    base, store, created = server
    driver = dash_duo.driver
    driver.set_window_size(1200, 1000)
    first, second = created.invites
    participant = first.participant.id

    driver.get(f"{base}/researcher")
    _wait(driver, EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".hill-refused"), "Researchers only"))
    assert "browser" not in driver.find_element(By.ID, "_pages_content").text
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{base}/researcher/study/{created.study.id}/answers.csv")
    assert refused.value.code == 401

    driver.get(f"{base}/p/{first.token}")
    _wait(driver, EC.text_to_be_present_in_element((By.ID, ids.PARTICIPANT_CONTENT), "You may stop at any time."))
    _click(driver, driver.find_element(By.ID, ids.PARTICIPANT_NEXT))
    _wait(driver, EC.text_to_be_present_in_element((By.ID, ids.PARTICIPANT_MESSAGE), "Please tick"))
    _click(driver, driver.find_element(By.CSS_SELECTOR, ".hill-consent input[type='checkbox']"))
    _next(driver, "About you")

    age = _control(driver, ids.Q_ITEM, "demographics", "age")
    age.send_keys("29", Keys.TAB)
    _saved(driver, "demographics", "age")
    _choose(driver, "demographics", "gender", "female")
    _slide(driver, store, participant, "demographics", "ml_experience", 1)
    _next(driver, "Task 1 of 1")

    # The run is prepared in the background, then the page reloads with the editor at the interaction point.
    train = _wait(driver, EC.element_to_be_clickable((By.ID, ids.EDITOR_TRAIN)), LONG)
    _click(driver, train)
    _click(driver, _wait(driver, EC.visibility_of_element_located((By.ID, ids.EDITOR_DONE)), LONG))
    _wait(driver, EC.text_to_be_present_in_element((By.ID, ids.PARTICIPANT_CONTENT), "Using the system"))
    (run,) = store.list_runs(participant_id=participant)
    assert run.status == "finished" and run.current_epoch == 2

    _choose(driver, "umux_lite", "i1", "6")
    driver.refresh()
    _wait(driver, EC.text_to_be_present_in_element((By.ID, ids.PARTICIPANT_CONTENT), "Using the system"))
    assert _chosen(driver, "umux_lite", "i1") == ["6"]
    _click(driver, driver.find_element(By.ID, ids.PARTICIPANT_NEXT))
    _wait(driver, EC.text_to_be_present_in_element((By.ID, ids.PARTICIPANT_MESSAGE), "Question 2"))
    _choose(driver, "umux_lite", "i2", "5")
    _next(driver, "How demanding was the task?")

    assert _slide(driver, store, participant, "nasa_tlx", "mental", 3) == 3  # from the scale's start
    _choose(driver, "nasa_tlx", "pair:mental:physical", "Mental Demand")
    driver.refresh()
    _wait(driver, EC.text_to_be_present_in_element((By.ID, ids.PARTICIPANT_CONTENT), "How demanding was the task?"))
    assert _thumb(driver, "nasa_tlx", "mental").get_attribute("aria-valuenow") == "3"
    assert _chosen(driver, "nasa_tlx", "pair:mental:physical") == ["Mental Demand"]
    _click(driver, driver.find_element(By.ID, ids.PARTICIPANT_NEXT))  # one pair of 15 answered: all or none
    _wait(driver, EC.text_to_be_present_in_element((By.ID, ids.PARTICIPANT_MESSAGE), "14 of 15 pairs"))
    for row in driver.find_elements(By.CSS_SELECTOR, ".hill-q-pair")[1:]:
        _click(driver, row.find_element(By.TAG_NAME, "label"))
        _wait(driver, lambda _driver, row=row: "Saved." in row.text)
    for item in ("physical", "temporal", "performance", "effort", "frustration"):
        _slide(driver, store, participant, "nasa_tlx", item, 2)
    _next(driver, "Experience with the system")

    assert _slide(driver, store, participant, "custom_hill", "q1", 5) == 5
    for n in range(2, 8):
        _slide(driver, store, participant, "custom_hill", f"q{n}", 1)
    _next(driver, "Thank you")

    scenario = created.study.scenarios[0].id
    tlx = _latest(store, participant, "nasa_tlx")
    assert tlx["mental"] == (3, False) and tlx["physical"] == (2, False) and tlx["pair:mental:physical"][0] == \
        "mental"
    assert sum(1 for key in tlx if key.startswith("pair:")) == 15
    custom = _latest(store, participant, "custom_hill")
    assert custom["q1"] == (5, False) and custom["q2"] == (1, False)
    assert {a.study_scenario_id for a in store.latest_answers(participant, "umux_lite")} == {scenario}
    assert _latest(store, participant, "umux_lite") == {"i1": (6, False), "i2": (5, False)}
    assert store.get_participant(participant).status == "finished"
    assert severe_console_errors(driver) == []

    driver.get(f"{base}/p/{second.token}")
    _wait(driver, EC.text_to_be_present_in_element((By.ID, ids.PARTICIPANT_CONTENT), "You may stop at any time."))
    _click(driver, driver.find_element(By.CSS_SELECTOR, ".hill-consent input[type='checkbox']"))
    _next(driver, "About you")
    assert _control(driver, ids.Q_ITEM, "demographics", "age").get_attribute("value") == ""
    assert _chosen(driver, "demographics", "gender") == []
    assert flow.current_step(store, store.get_participant(second.participant.id))["page"] == flow.DEMOGRAPHICS
    assert store.latest_answers(second.participant.id, "umux_lite") == []
