"""Runs a dead process left "running": found, and put back at their last checkpoint so they can train again.

A process that trains a run holds an exclusive lock on the run's `TRAINING.lock` file for as long as the round
lasts (`training_lease`). The operating system drops the lock when the process dies, however it dies (kill -9, a
crash, a lost Celery worker), so a run marked "running" whose lock is free has no trainer: `recover_run` sets it
back to "waiting" at the epoch of its newest checkpoint. The app does this for every run at start-up and for a run
whenever its page is refreshed. Edits and answers written before the crash are kept; epoch rows past the
checkpoint (whose weights died with the process) are dropped, and the next round writes them again. The lock needs a
file system with working `flock` (a local disk, or NFSv4 for workers on several machines).
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

from hill_dash.store import Store

LOCK_NAME = "TRAINING.lock"


class Busy(RuntimeError):
    """Another process is training this run right now."""


def _lock_file(store: Store, run_id: int) -> IO[str]:
    path = store.files.absolute(f"{store.get_run(run_id).run_dir}/{LOCK_NAME}")
    path.parent.mkdir(parents=True, exist_ok=True)
    return open(path, "a+")


@contextmanager
def training_lease(store: Store, run_id: int) -> Iterator[None]:
    """Hold the run's training lock for the block; Busy when another process holds it."""
    handle = _lock_file(store, run_id)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Busy(f"run {run_id} is training in another window or process; wait for that round") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        handle.close()


def trainer_alive(store: Store, run_id: int) -> bool:
    """True when some process holds the run's training lock."""
    handle = _lock_file(store, run_id)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    else:
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False
    finally:
        handle.close()


def recover_run(store: Store, run_id: int) -> bool:
    """Put a "running" run whose trainer is gone back to its last checkpoint; True when it did."""
    run = store.get_run(run_id)
    if run.status != "running" or trainer_alive(store, run_id):
        return False
    latest = store.latest_checkpoint(run_id)
    if latest is None:
        store.update_run(run_id, status="failed")
        return True
    store.drop_epochs_after(run_id, latest.epoch)  # sets the current epoch back to the checkpoint's
    store.update_run(run_id, status="waiting")
    return True


def recover_runs(store: Store) -> list[int]:
    """Recover every run left "running" without a trainer (at start-up); returns their ids."""
    running = [run.id for run in store.list_runs() if run.status == "running"]
    return [run_id for run_id in running if recover_run(store, run_id)]
