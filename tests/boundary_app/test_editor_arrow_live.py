"""Arrow mode in the real latent editor, served by `hill-dash serve`: switch it on, draw one arrow, find it stored."""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
import pytest
from editor_page import GRAPH, drag, lonely_point, to_client, to_data
from live_server import LiveServer, own_free_run, severe_console_errors
from latent_tiny import REFERENCE
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from hill_dash.app import ids
from hill_dash.jobs import rounds
from hill_dash.store import open_store

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _wait(driver, condition, timeout=60, what="the page"):
    return WebDriverWait(driver, timeout, poll_frequency=0.3).until(lambda d: condition(d), f"waiting for {what}")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("editor-arrow-live")
    store = open_store(data_dir=data_dir)
    # The server rebuilds the run's scenario by reference, so it must find this folder's `latent_tiny`.
    here = str(Path(__file__).parent)
    server = LiveServer(data_dir, env={"PYTHONPATH": os.pathsep.join(
        p for p in (here, os.environ.get("PYTHONPATH")) if p)})
    yield server, store
    server.stop()


def test_an_arrow_drawn_in_arrow_mode_is_stored_and_drawn(served, browser):
    server, store = served
    run_id = own_free_run(browser, server, store, REFERENCE)
    browser.get(f"{server.url}/editor?run={run_id}")
    _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, f"{GRAPH} .gl-container"), what="the latent graph")
    _wait(browser, lambda d: d.execute_script(f"return !!document.querySelector('{GRAPH}')._fullData;"))
    time.sleep(0.5)  # the first WebGL paint
    browser.find_element(By.CSS_SELECTOR, f"label[for='{ids.EDITOR_ARROW_MODE}']").click()
    _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, f".hill-arrow-mode {GRAPH}"), what="arrow mode")

    view = rounds.run_view(store, run_id)
    coords = np.asarray(view["positions"])
    point = lonely_point(coords, np.asarray(view["snapshot"]["class_centres"]))
    start = to_client(browser, *coords[point])
    end = (start[0] + 60, start[1] - 40)
    # where the pointer is released, in data coordinates, read before the saved message may reflow the page
    released = to_data(browser, *end)
    drag(browser, start, end)
    _wait(browser, lambda d: [e.kind for e in store.list_edits(run_id)] == ["arrow"], what="the arrow in the store")
    [edit] = store.list_edits(run_id)
    assert edit.point_indices == [point] and edit.epoch == view["epoch"]
    np.testing.assert_allclose(edit.arrow["vector"], released - coords[point], atol=1e-4)
    assert rounds.run_view(store, run_id)["positions"] == view["positions"]  # nothing moved
    _wait(browser, lambda d: "saved" in d.find_element(By.ID, ids.EDITOR_MESSAGE).text, what="the saved message")

    # A refresh draws the stored arrow from the store.
    browser.refresh()
    _wait(browser, lambda d: d.execute_script(
        f"const g = document.querySelector('{GRAPH}'); return g && g._fullLayout && "
        "g._fullLayout.annotations.map(a => a.name).join();") == f"arrow-{point}", what="the stored arrow drawn")
    assert severe_console_errors(browser) == []
