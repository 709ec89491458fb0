"""Round processes: one that has already exited counts as done, not as an error; one that trains runs below the
server's priority."""

from __future__ import annotations

import subprocess
import sys

from hill_dash.jobs.managers import make_background_manager
from hill_dash.settings import Settings


def test_an_exited_job_is_neither_running_nor_an_error_to_stop(tmp_path):
    manager = make_background_manager(Settings(data_dir=tmp_path, secret_key="k"))
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    assert manager.job_running(gone.pid) is False
    manager.terminate_job(gone.pid)
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert manager.job_running(alive.pid) is True
        manager.terminate_job(alive.pid)
        alive.wait(timeout=10)
        assert alive.returncode is not None
    finally:
        alive.kill()


def test_a_round_process_runs_below_the_servers_priority_once():
    script = ("import os; from hill_dash.jobs.warm import background_priority, ROUND_NICENESS; "
              "background_priority(); background_priority(); "
              "assert os.getpriority(os.PRIO_PROCESS, 0) == max(ROUND_NICENESS, 0), os.getpriority(os.PRIO_PROCESS, 0)")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
