"""Cancel undoes a running round from inside it: the round stops at its next batch and the run waits at the
checkpoint it started from, without the epochs it never saved. Only a caller who may pause the run can ask."""

from __future__ import annotations

import pytest
from security_kit import BROWSER, OTHER_BROWSER, caller

from hill_dash.app.views import editor
from hill_dash.jobs import rounds


@pytest.fixture(scope="module")
def three_epoch_round(tmp_path_factory) -> str:
    """A digits checkpoint at its interaction point (epoch 1) whose next round trains three epochs."""
    from hill_dash.core.baseline import pretrain
    from hill_dash.core.config import RunConfig
    from hill_dash.core.scenarios import ScenarioSpec, build_scenario

    config = RunConfig(scenario="digits", interaction_epochs=(1,), end_epoch=4)
    return str(pretrain(build_scenario(ScenarioSpec("digits")), config, tmp_path_factory.mktemp("three") / "run"))


@pytest.fixture
def free_run(world, three_epoch_round):
    return rounds.start_run(world.store, "digits", checkpoint=three_epoch_round, seed=3)


def _epochs(store, run_id):
    return [e.epoch for e in store.list_epochs(run_id)]


def test_a_cancelled_round_leaves_the_run_where_the_round_started(world, free_run):
    store = world.store
    start, before, checkpoints = (store.get_run(free_run).current_epoch, _epochs(store, free_run),
                                  [c.epoch for c in store.list_checkpoints(free_run)])
    asked = []

    def cancel_in_second_epoch() -> bool:
        asked.append(len(store.list_epochs(free_run)))
        return asked[-1] > len(before)  # once the round's first epoch is stored

    result = rounds.train_round(store, free_run, should_cancel=cancel_in_second_epoch)
    assert result["cancelled"] and result["epoch"] == start
    assert len(set(asked)) == 2  # it trained one epoch, then stopped inside the next
    run = store.get_run(free_run)
    assert (run.status, run.current_epoch) == ("waiting", start)
    assert _epochs(store, free_run) == before
    assert [c.epoch for c in store.list_checkpoints(free_run)] == checkpoints
    again = rounds.train_round(store, free_run)
    assert not again["cancelled"] and again["epoch"] > start and store.get_run(free_run).status != "running"


def test_a_round_that_fails_part_way_is_undone_too(world, free_run):
    store = world.store
    start, before = store.get_run(free_run).current_epoch, _epochs(store, free_run)

    def fail_after_an_epoch(p):
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        rounds.train_round(store, free_run, progress=fail_after_an_epoch)
    run = store.get_run(free_run)
    assert (run.status, run.current_epoch) == ("waiting", start) and _epochs(store, free_run) == before


def _flag(store, run_id):
    return store.files.absolute(f"{store.get_run(run_id).run_dir}/{editor.CANCEL_FLAG}")


def test_only_the_runs_owner_can_ask_a_running_round_to_cancel(app, world):
    store = world.store
    store.update_run(world.free, status="running")
    page = {"run_id": world.free}
    with caller(app, browser=OTHER_BROWSER):
        assert editor.cancel(1, page).startswith("Not cancelled")
    assert not _flag(store, world.free).exists()
    with caller(app, browser=BROWSER):
        assert editor.cancel(1, page).startswith("Cancelling")
    assert _flag(store, world.free).exists()


def test_a_participant_cannot_cancel_unless_the_study_allows_pausing(app, world):
    store = world.store
    store.update_run(world.owned, status="running")
    with caller(app):
        assert "design" in editor.cancel(1, {"run_id": world.owned, "token": world.token})
    assert not _flag(store, world.owned).exists() and store.get_run(world.owned).status == "running"
