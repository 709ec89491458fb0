"""The whole app in a real browser: the latent editor on a run in the store, served by `hill-dash serve`.

Drag one point and one centre cross, check what the store holds, refresh, then train to the next interaction point
and see the plot and metrics follow.
"""

from __future__ import annotations

import time

import numpy as np
import pytest
from live_server import LiveServer, own_free_run, severe_console_errors
from editor_page import GRAPH, drag, lonely_point, shown, to_client, to_data
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from hill_dash.jobs import rounds
from hill_dash.store import open_store

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _wait(driver, condition, timeout=60, what="the page"):
    return WebDriverWait(driver, timeout, poll_frequency=0.3).until(lambda d: condition(d), f"waiting for {what}")


def _open_editor(driver, url: str) -> None:
    driver.get(url)
    _wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, f"{GRAPH} .gl-container"), what="the latent graph")
    _wait(driver, lambda d: d.execute_script(f"return !!document.querySelector('{GRAPH}')._fullData;"))
    time.sleep(0.5)  # the first WebGL paint


def _stored_edits(store, run_id):
    return [e for e in store.list_edits(run_id) if e.kind in ("point", "class")]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("editor-live")
    store = open_store(data_dir=data_dir)
    server = LiveServer(data_dir)
    yield server, store
    server.stop()


def test_drags_are_stored_survive_a_refresh_and_steer_the_next_round(served, browser):
    server, store = served
    run_id = own_free_run(browser, server, store, "digits", seed=0)
    page = f"{server.url}/editor?run={run_id}"
    _open_editor(browser, page)
    view = rounds.run_view(store, run_id)
    coords = np.asarray(view["positions"])
    centres = np.asarray(view["snapshot"]["class_centres"])
    labels = np.asarray(view["snapshot"]["labels"])

    # One point.
    point = lonely_point(coords, centres)
    start = to_client(browser, *coords[point])
    end = (start[0] + 60, start[1] - 40)
    drag(browser, start, end)
    _wait(browser, lambda d: len(_stored_edits(store, run_id)) == 1, what="the point edit in the store")
    edit = _stored_edits(store, run_id)[0]
    expected = coords[point] + to_data(browser, *end) - to_data(browser, *start)
    assert edit.kind == "point" and edit.point_indices == [point] and edit.epoch == view["epoch"]
    np.testing.assert_allclose(edit.old_positions, [coords[point]], atol=1e-4)
    np.testing.assert_allclose(edit.new_positions, [expected], atol=1e-4)

    # One centre cross: every point of its class moves by one offset.
    cls = int(np.bincount(labels).argmax())
    _wait(browser, lambda d: not d.find_elements(By.CSS_SELECTOR, ".hill-drag-layer"), what="the drag to land")
    start = to_client(browser, *centres[cls])
    end = (start[0] - 50, start[1] + 35)
    drag(browser, start, end)
    _wait(browser, lambda d: len(_stored_edits(store, run_id)) == 2, what="the class edit in the store")
    edit = _stored_edits(store, run_id)[1]
    members = sorted(np.flatnonzero(labels == cls).tolist())
    assert edit.kind == "class" and edit.class_id == cls and sorted(edit.point_indices) == members
    offsets = np.asarray(edit.new_positions) - np.asarray(edit.old_positions)
    np.testing.assert_allclose(offsets, np.repeat(offsets[:1], len(offsets), axis=0), atol=1e-4)

    # A refresh rebuilds the view from the store: both edits are still there.
    after = np.asarray(rounds.run_view(store, run_id)["positions"])
    _open_editor(browser, page)
    trace = shown(browser)[("points", int(labels[point]))]
    k = trace["index"].index(point)
    np.testing.assert_allclose([trace["x"][k], trace["y"][k]], after[point], atol=1e-4)
    members_trace = shown(browser)[("points", cls)]
    j = members_trace["index"].index(members[0])
    np.testing.assert_allclose([members_trace["x"][j], members_trace["y"][j]], after[members[0]], atol=1e-4)

    # Train to the next interaction point: heading, metrics and plot follow.
    browser.find_element(By.ID, "editor-train-next").click()
    second = view["interaction_epochs"][1]
    _wait(browser, lambda d: f"Epoch {second}:" in d.find_element(By.ID, "editor-heading").text, timeout=240,
          what="the round to reach the next interaction point")
    _wait(browser, lambda d: f"epoch {second:>3}" in d.find_element(By.ID, "editor-metrics").text
          or f"epoch {second}" in d.find_element(By.ID, "editor-metrics").text, what="the metrics box")
    assert browser.execute_script(f"return document.querySelector('{GRAPH}')._fullLayout.meta.epoch;") == second
    stored = store.list_epochs(run_id)
    assert stored[-1].epoch == second and stored[-1].loss_human is not None
    assert severe_console_errors(browser) == []


@pytest.fixture(scope="module")
def long_round(tmp_path_factory) -> str:
    """A digits checkpoint at its interaction point (epoch 1) whose next round trains 79 epochs: long enough that
    the round is still running when Cancel arrives, on a fast machine as on a busy one (the default schedule's
    two-epoch round can end between two looks at the store)."""
    from hill_dash.core.baseline import pretrain
    from hill_dash.core.config import RunConfig
    from hill_dash.core.scenarios import ScenarioSpec, build_scenario

    config = RunConfig(scenario="digits", interaction_epochs=(1,), end_epoch=80)
    return str(pretrain(build_scenario(ScenarioSpec("digits")), config, tmp_path_factory.mktemp("long") / "run"))


def test_cancel_undoes_the_running_round_and_the_run_can_train_again(served, browser, long_round):
    server, store = served
    run_id = own_free_run(browser, server, store, "digits", seed=1, checkpoint=long_round)
    start = store.get_run(run_id).current_epoch
    before = [e.epoch for e in store.list_epochs(run_id)]
    _open_editor(browser, f"{server.url}/editor?run={run_id}")
    # A click that lands before the page's callbacks are wired does nothing: click until the round starts.
    for _ in range(3):
        browser.find_element(By.ID, "editor-train-next").click()
        try:
            _wait(browser, lambda d: store.get_run(run_id).status == "running", timeout=30)
            break
        except TimeoutException:
            continue
    _wait(browser, lambda d: store.get_run(run_id).status == "running" and store.list_epochs(run_id)[-1].epoch > start,
          timeout=120, what="the round's first epoch")
    cancel = browser.find_element(By.ID, "editor-cancel")
    _wait(browser, lambda d: cancel.is_enabled(), what="Cancel to be enabled while the round runs")
    cancel.click()
    _wait(browser, lambda d: store.get_run(run_id).status == "waiting", timeout=120, what="the round to stop")
    assert store.get_run(run_id).current_epoch == start
    assert [e.epoch for e in store.list_epochs(run_id)] == before
    _wait(browser, lambda d: not d.find_element(By.ID, "editor-train-next").get_attribute("disabled"),
          what="Train to be enabled again")
    _wait(browser, lambda d: f"back at epoch {start}" in d.find_element(By.ID, "editor-message").text,
          what="the page to say the round was cancelled")
    assert severe_console_errors(browser) == []
