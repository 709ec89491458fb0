"""The boundary page in a real browser, served by `hill-dash serve`: draw one arrow with Plotly's line tool, see it
stored, train a round with it, remove it (in a lab the browser owns); a browser without the owner's cookie is shown
no lab."""

from __future__ import annotations

import time

import numpy as np
import pytest
from boundary_app_labs import lab_config, stored_arrows
from editor_page import drag
from live_server import LiveServer, own_lab, severe_console_errors
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from hill_dash.app import ids
from hill_dash.jobs import boundary_rounds
from hill_dash.store import open_store

pytestmark = [pytest.mark.browser, pytest.mark.slow]

GRAPH = f"#{ids.BOUNDARY_GRAPH} .js-plotly-plot"
ANNOTATIONS = f"return document.querySelector('{GRAPH}')._fullLayout.annotations.map(a => a.name);"
# The axes share one scale ("constrain: domain"), so the plot area may be narrower than the layout's margins say:
# pixels are counted from each axis's own offset.
TO_CLIENT = f"""
const gd = document.querySelector('{GRAPH}'), r = gd.getBoundingClientRect(), xa = gd._fullLayout.xaxis,
      ya = gd._fullLayout.yaxis;
return [r.left + xa._offset + xa.d2p(arguments[0]), r.top + ya._offset + ya.d2p(arguments[1])];
"""
TO_DATA = f"""
const gd = document.querySelector('{GRAPH}'), r = gd.getBoundingClientRect(), xa = gd._fullLayout.xaxis,
      ya = gd._fullLayout.yaxis;
return [xa.p2d(arguments[0] - r.left - xa._offset), ya.p2d(arguments[1] - r.top - ya._offset)];
"""


def _wait(driver, condition, timeout=60, what="the page"):
    return WebDriverWait(driver, timeout, poll_frequency=0.3).until(lambda d: condition(d), f"waiting for {what}")


def _client(driver, x: float, y: float) -> tuple[int, int]:
    px, py = driver.execute_script(TO_CLIENT, float(x), float(y))
    return round(px), round(py)


def _data(driver, px: int, py: int) -> np.ndarray:
    return np.array(driver.execute_script(TO_DATA, px, py))


def _lonely(points: np.ndarray) -> int:
    distance = np.linalg.norm(points[:, None] - points[None], axis=2)
    np.fill_diagonal(distance, np.inf)
    return int(distance.min(axis=1).argmax())


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("boundary-live")
    store = open_store(data_dir=data_dir)
    server = LiveServer(data_dir)
    yield server, store
    server.stop()


def test_an_arrow_drawn_on_a_point_is_stored_trained_with_and_removed(served, browser):
    server, store = served
    lab_id = own_lab(browser, server, store, lab_config())  # the lab belongs to this browser, as if it started it
    browser.get(f"{server.url}/boundary?run={lab_id}")
    _wait(browser, lambda d: d.execute_script(f"const g = document.querySelector('{GRAPH}'); "
                                              "return !!(g && g._fullLayout && g._fullLayout._size);"),
          what="the boundary graph")
    time.sleep(0.5)  # the first paint
    points = boundary_rounds.load_lab(store, lab_id).split("train")[0]
    point = _lonely(points)

    # Draw: press on the point, drag toward the middle (the line tool stops at the plot's edge), release.
    start = _client(browser, *points[point])
    x, y = points[point]
    end = (start[0] + (70 if x < 0 else -70), start[1] + (45 if y > 0 else -45))
    drag(browser, start, end)
    _wait(browser, lambda d: len(stored_arrows(store, lab_id)) == 1, what="the arrow in the store")
    [(index, vector, annotator)] = stored_arrows(store, lab_id)
    assert index == point and annotator == "annotator"
    np.testing.assert_allclose(vector, _data(browser, *end) - _data(browser, *start), atol=0.03)
    _wait(browser, lambda d: d.execute_script(ANNOTATIONS) == [f"arrow-{point}"], what="the arrow on the figure")
    assert browser.execute_script(f"return document.querySelector('{GRAPH}')._fullLayout.shapes.length;") == 0
    assert f"Arrow on point {point} stored." in browser.find_element(By.ID, ids.BOUNDARY_MESSAGE).text

    # Train one short round: it runs with the arrow, and the page shows the new round.
    epochs = browser.find_element(By.ID, ids.BOUNDARY_EPOCHS)
    epochs.clear()
    epochs.send_keys("3")
    browser.find_element(By.ID, ids.BOUNDARY_TRAIN).click()
    _wait(browser, lambda d: "Round 1, epoch 3" in d.find_element(By.ID, ids.BOUNDARY_HEADING).text, timeout=120,
          what="the round to finish")
    assert boundary_rounds.current_round(store, lab_id) == 1
    assert [e.epoch for e in store.list_epochs(lab_id)] == [1, 2, 3]
    assert all(e.loss_direction is not None for e in store.list_epochs(lab_id))

    # Remove it: the edit is marked undone and the figure loses the arrow.
    browser.find_element(By.CSS_SELECTOR, f"[id*='{ids.BOUNDARY_ARROW_REMOVE}']").click()
    _wait(browser, lambda d: stored_arrows(store, lab_id) == [], what="the arrow to be removed")
    _wait(browser, lambda d: d.execute_script(ANNOTATIONS) == [], what="the figure without the arrow")
    assert [e.kind for e in store.list_edits(lab_id)] == ["arrow", "undo"]
    assert severe_console_errors(browser) == []


def test_a_lab_opened_without_its_browsers_cookie_reads_as_missing(served, browser):
    server, store = served
    lab_id = own_lab(browser, server, store, lab_config(seed=1))
    before = (store.get_run(lab_id).config, store.list_edits(lab_id))
    browser.delete_all_cookies()  # now a stranger's browser, as far as the server can tell
    browser.get(f"{server.url}/boundary?run={lab_id}")
    _wait(browser, lambda d: f"there is no lab {lab_id} you may open" in d.find_element(By.TAG_NAME, "body").text,
          what="the refusal")
    assert not browser.find_elements(By.ID, ids.BOUNDARY_GRAPH)
    browser.get(f"{server.url}/boundary")
    _wait(browser, lambda d: d.find_elements(By.ID, ids.BOUNDARY_START), what="the start form")
    assert not browser.find_elements(By.CSS_SELECTOR, f"a[href$='run={lab_id}']")  # not among its recent labs
    assert (store.get_run(lab_id).config, store.list_edits(lab_id)) == before
