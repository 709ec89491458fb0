"""A process killed with SIGKILL in the middle of a training round: its run does not stay "running"; the server's
start-up (or the next refresh of the run's page) returns it to its last checkpoint and it trains again. And
background jobs are keyed per request, so a result nobody collected is never taken for a new request."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import types

import pytest
from security_kit import caller

from hill_dash.app import ids
from hill_dash.app.views import editor
from hill_dash.jobs import rounds
from hill_dash.jobs.managers import make_background_manager
from hill_dash.jobs.recovery import Busy, recover_run, trainer_alive, training_lease
from hill_dash.settings import Settings

ROUND = """
import sys, time
from hill_dash.store import open_store
from hill_dash.jobs import rounds
from hill_dash.jobs.recovery import training_lease

store = open_store(data_dir=sys.argv[1])
run_id = int(sys.argv[2])

def progress(p):
    print("trained epoch", p["epoch"], flush=True)
    time.sleep(600)  # killed here, mid-round: the epoch is stored, the round's checkpoint is not

with training_lease(store, run_id):
    rounds.train_round(store, run_id, progress=progress)
"""


def _killed_mid_round(store, run_id: int) -> None:
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    process = subprocess.Popen([sys.executable, "-c", ROUND, str(store.files.data_dir), str(run_id)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    try:
        line = process.stdout.readline()
        assert line.startswith("trained epoch"), line + process.stdout.read()
        assert store.get_run(run_id).status == "running" and trainer_alive(store, run_id)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)


@pytest.fixture
def run_id(world, tiny_checkpoint):
    return rounds.start_run(world.store, "digits", participant_id=world.participant.id,
                            study_scenario_id=world.scenario_id, checkpoint=tiny_checkpoint, seed=5)


def test_after_kill_9_the_server_start_returns_the_run_to_its_checkpoint(app, world, run_id):
    from hill_dash.app.app import create_app

    store = world.store
    start_epoch = store.get_run(run_id).current_epoch
    _killed_mid_round(store, run_id)
    assert store.get_run(run_id).status == "running" and not trainer_alive(store, run_id)
    assert max(e.epoch for e in store.list_epochs(run_id)) == start_epoch + 1  # stored before the kill
    create_app(Settings(data_dir=store.files.data_dir, secret_key="test-secret"))  # a restart
    run = store.get_run(run_id)
    assert (run.status, run.current_epoch) == ("waiting", start_epoch)
    # the killed epoch's weights were never saved: its row goes too, so no curve shows an epoch no model had
    assert max(e.epoch for e in store.list_epochs(run_id)) == start_epoch
    result = rounds.train_round(store, run_id)
    assert result["finished"] and store.get_run(run_id).status == "finished"


def test_after_kill_9_a_refresh_of_the_page_shows_the_run_stopped(app, world, run_id, monkeypatch):
    store = world.store
    _killed_mid_round(store, run_id)
    monkeypatch.setattr(editor, "ctx", types.SimpleNamespace(triggered_id=ids.EDITOR_REFRESH,
                                                             triggered=[{"prop_id": "x", "value": 1}]))
    with caller(app):
        editor.refresh(1, False, {"run_id": run_id, "token": world.token})
    assert store.get_run(run_id).status == "waiting"


def test_a_live_round_is_neither_recovered_nor_trained_twice(world, run_id):
    store = world.store
    store.update_run(run_id, status="running")
    with training_lease(store, run_id):
        assert not recover_run(store, run_id) and store.get_run(run_id).status == "running"
        with pytest.raises(Busy):
            with training_lease(store, run_id):
                pass
    assert recover_run(store, run_id) and store.get_run(run_id).status == "waiting"


@pytest.mark.parametrize("redis_url", [None, "redis://127.0.0.1:6379/15"])
def test_every_request_gets_its_own_background_job(tmp_path, redis_url):
    manager = make_background_manager(Settings(data_dir=tmp_path, redis_url=redis_url, secret_key="k"))

    def train(run):
        return run

    keys = {manager.build_cache_key(train, [{"run_id": 3, "token": None}], [], None) for _ in range(5)}
    assert len(keys) == 5


def test_two_visitors_starting_at_once_get_two_jobs(tmp_path):
    manager = make_background_manager(Settings(data_dir=tmp_path, secret_key="k"))

    def start(clicks, scenario):
        return scenario

    first = manager.build_cache_key(start, [1, "digits"], [], None)
    second = manager.build_cache_key(start, [1, "digits"], [], None)
    assert first != second and not manager.result_ready(second)
