"""A fork waits until no thread is inside the database, and keeps new database work out until it is done."""

from __future__ import annotations

import os
import threading
import time

from hill_dash.store.fork_gate import ForkGate


def test_a_fork_waits_for_the_threads_inside_and_holds_new_ones_back():
    gate, events = ForkGate(), []
    entered = threading.Event()

    def inside() -> None:
        with gate.shared():
            with gate.shared():  # nested work of the same thread
                entered.set()
                time.sleep(0.3)
                events.append("left")

    worker = threading.Thread(target=inside)
    worker.start()
    entered.wait(5)
    gate.before_fork()
    events.append("fork")
    late = threading.Thread(target=lambda: (gate.shared().__enter__(), events.append("late")))
    late.start()
    time.sleep(0.1)
    assert events == ["left", "fork"]  # the late thread waits while the fork is under way
    pid = os.fork()
    if pid == 0:  # the child gets a fresh gate it can pass at once
        gate.after_fork_in_child()
        with gate.shared():
            os._exit(0)
    gate.after_fork_in_parent()
    late.join(5)
    worker.join(5)
    assert os.waitpid(pid, 0)[1] == 0 and events == ["left", "fork", "late"]


def test_the_forking_thread_may_itself_be_inside():
    gate = ForkGate()
    with gate.shared():
        gate.before_fork()  # returns: only this thread is inside
        gate.after_fork_in_parent()
