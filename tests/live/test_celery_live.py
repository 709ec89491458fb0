"""The scale-out path for real: `hill-dash serve` with Redis hands training to a `hill-dash worker` (Celery)."""

from __future__ import annotations

import subprocess
import time

import pytest
from live_server import LiveServer, app_env, hill_command, severe_console_errors
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from hill_dash.store import open_store

pytestmark = [pytest.mark.browser, pytest.mark.redis, pytest.mark.slow]


def test_a_training_job_is_carried_by_a_celery_worker(tmp_path, redis_url, browser):
    # Tasks a killed earlier run left unacknowledged stay in that run's own queue (named after its data directory),
    # so nothing is flushed: this deployment's worker never sees them.
    data_dir = tmp_path / "celery"
    data_dir.mkdir()
    worker_log = data_dir / "worker.log"
    server = None
    # A worker of another deployment on the same Redis (a lab's second study, a worker an earlier run left): it must
    # never take this deployment's jobs, which would run against its own database.
    other_dir = tmp_path / "other"
    other_dir.mkdir()
    other_log = other_dir / "worker.log"
    other = subprocess.Popen([*hill_command(), "worker", "--data-dir", str(other_dir), "--redis-url", redis_url],
                             stdout=other_log.open("w"), stderr=subprocess.STDOUT, env=app_env(other_dir))
    worker = subprocess.Popen([*hill_command(), "worker", "--data-dir", str(data_dir), "--redis-url", redis_url],
                              stdout=worker_log.open("w"), stderr=subprocess.STDOUT, env=app_env(data_dir))
    try:
        deadline = time.monotonic() + 240
        while "ready." not in other_log.read_text():  # listening, so it would take a job sent to its queue
            assert other.poll() is None and time.monotonic() < deadline, other_log.read_text()[-3000:]
            time.sleep(0.5)
        server = LiveServer(data_dir, extra=["--redis-url", redis_url])
        wait = WebDriverWait(browser, 300, poll_frequency=0.5)
        browser.get(f"{server.url}/editor")
        wait.until(lambda d: d.find_elements(By.ID, "free-start"))
        browser.find_element(By.ID, "free-start").click()
        try:
            wait.until(lambda d: "run=" in d.current_url, "the worker to pretrain and create the run")
        except TimeoutException:
            print("worker log:", worker_log.read_text()[-4000:], "server log:", server.log.read_text()[-4000:])
            raise
        run_id = int(browser.current_url.rsplit("=", 1)[1])
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#editor-latent-graph .gl-container"))
        store = open_store(data_dir=data_dir)
        start = store.get_run(run_id).current_epoch
        # A click that lands before the page's callbacks are wired does nothing: click until the round starts.
        for _ in range(3):
            browser.find_element(By.ID, "editor-train-next").click()
            try:
                WebDriverWait(browser, 30, poll_frequency=0.5).until(
                    lambda d: store.get_run(run_id).status == "running" or store.get_run(run_id).current_epoch > start)
                break
            except TimeoutException:
                continue
        try:
            wait.until(lambda d: store.get_run(run_id).current_epoch > start
                       and store.get_run(run_id).status == "waiting", "the worker to finish the training round")
        except Exception:
            print("worker log:", worker_log.read_text()[-4000:], "server log:", server.log.read_text()[-4000:])
            raise
        log = worker_log.read_text()
        assert log.count("succeeded") >= 2, log[-3000:]  # the run's creation and the training round
        other_jobs = other_log.read_text()
        assert "received" not in other_jobs, other_jobs[-3000:]
        assert severe_console_errors(browser) == []
    finally:
        if server is not None:
            server.stop()
        for process in (worker, other):
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
