"""Shared test set-up: the real-server fixtures and the headless Chromium options.

Servers are named by environment variables (`.ci/run` exports them for the loopback PostgreSQL and Redis); a test
that needs one skips, saying why, when the variable is unset or the server does not answer.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

# Helpers shared by several test folders (browser drivers, page readers) live in tests/support.
sys.path.insert(0, str(Path(__file__).parent / "support"))

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-dev-shm-usage", "--no-first-run", "--disable-component-update", "--disable-sync"]


def _reachable(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 0), timeout=1.0):
            return True
    except OSError:
        return False


def _server_url(var: str) -> str:
    url = os.environ.get(var)
    if not url:
        pytest.skip(f"{var} is not set: export it (as .ci/run does) to run the tests against a real server")
    host = urlparse(url).hostname
    if host not in {"127.0.0.1", "localhost", "::1"}:
        pytest.skip(f"{var} points at {host}; tests only talk to servers on loopback")
    if not _reachable(url):
        pytest.skip(f"{var}={url} does not answer; start the server (see README, 'Tests')")
    return url


@pytest.fixture(scope="session")
def postgres_url() -> str:
    return _server_url("HILL_TEST_POSTGRES_URL")


@pytest.fixture(scope="session")
def redis_url() -> str:
    return _server_url("HILL_TEST_REDIS_URL")


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def chromium() -> str:
    path = chromium_path()
    if path is None or shutil.which("chromedriver") is None:
        pytest.skip("Debian's chromium and chromium-driver are not installed (scripts/system-deps.sh installs them)")
    return path


def pytest_setup_options():
    """dash[testing] hook: Debian's Chromium, headless, with no outside traffic."""
    from selenium.webdriver.chrome.options import Options

    options = Options()
    path = chromium_path()
    if path:
        options.binary_location = path
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    return options


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def hill_command() -> list[str]:
    """The installed `hill-dash` console script of the interpreter running the tests."""
    script = Path(sys.executable).with_name("hill-dash")
    return [str(script)] if script.exists() else [sys.executable, "-m", "hill_dash"]


class LiveServer:
    """A real `hill-dash serve` in its own process: Dash's page callbacks attach to the first app made in a
    process, so the whole app is tested the way it runs, over HTTP."""

    def __init__(self, data_dir: Path, extra: list[str] | None = None, env: dict[str, str] | None = None):
        self.data_dir, self.port = data_dir, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = data_dir / "server.log"
        data_dir.mkdir(parents=True, exist_ok=True)
        inherited = {k: v for k, v in os.environ.items() if k not in ("HILL_DATABASE_URL", "HILL_REDIS_URL")}
        self.env = {**inherited, "HILL_DATA_DIR": str(data_dir), **(env or {})}
        self.process = subprocess.Popen(
            [*hill_command(), "serve", "--data-dir", str(data_dir), "--port", str(self.port), *(extra or [])],
            stdout=self.log.open("w"), stderr=subprocess.STDOUT, env=self.env)
        self._wait()

    def _wait(self, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"hill-dash serve exited: {self.log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/_dash-layout", timeout=2):
                    return
            except OSError:
                time.sleep(0.5)
        raise RuntimeError(f"hill-dash serve did not answer within {timeout} s: {self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture
def browser(chromium):
    """A headless Debian Chromium driven by selenium (chromedriver from PATH)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options

    options = Options()
    options.binary_location = chromium
    for flag in [*CHROMIUM_FLAGS, "--window-size=1400,1000"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def severe_console_errors(driver) -> list[dict]:
    """Console entries that are errors (software WebGL's performance warnings are not)."""
    return [entry for entry in driver.get_log("browser") if entry.get("level") == "SEVERE"]
