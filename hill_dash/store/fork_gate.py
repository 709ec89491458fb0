"""Fork a process only while no thread of it is inside SQLite.

The web server forks a process for every training round (Dash's disk-cache manager) from its request threads.
A fork taken while another thread is inside SQLite copies SQLite's internal mutexes locked, and the round process
then hangs forever the first time it opens a connection (seen under four rounds at once: blocked in
`sqlite3Malloc`). Work on the database passes this gate (`shared`); `install` makes every fork wait until no such
work runs and keeps new work out until the fork is done.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class ForkGate:
    """Many threads may be inside at once; a fork waits for all of them to leave."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._inside = 0
        self._forking = False
        self._depth = threading.local()

    @contextmanager
    def shared(self) -> Iterator[None]:
        depth = getattr(self._depth, "n", 0)
        if depth == 0:  # a thread already inside (nested store calls) never waits for a fork it holds up
            with self._cond:
                while self._forking:
                    self._cond.wait()
                self._inside += 1
        self._depth.n = depth + 1
        try:
            yield
        finally:
            self._depth.n = depth
            if depth == 0:
                with self._cond:
                    self._inside -= 1
                    if self._inside == 0:
                        self._cond.notify_all()

    def before_fork(self) -> None:
        self._cond.acquire()
        self._forking = True
        own = 1 if getattr(self._depth, "n", 0) else 0  # the forking thread may itself be inside
        while self._inside > own:
            self._cond.wait()

    def after_fork_in_parent(self) -> None:
        self._forking = False
        self._cond.notify_all()
        self._cond.release()

    def after_fork_in_child(self) -> None:
        self.__init__()  # the child starts with a fresh gate (its copy of the lock is held by the forking thread)


GATE = ForkGate()
_installed = False


def install() -> None:
    """Make this process's forks wait at the gate (once; for the server that forks round processes)."""
    global _installed
    if not _installed:
        os.register_at_fork(before=GATE.before_fork, after_in_parent=GATE.after_fork_in_parent,
                            after_in_child=GATE.after_fork_in_child)
        _installed = True
