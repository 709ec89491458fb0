"""Shared test set-up: the real-server fixtures and the headless Chromium options.

Servers are named by environment variables (`.ci/run` exports them for the loopback PostgreSQL and Redis); a test
that needs one skips, saying why, when the variable is unset or the server does not answer.
"""

from __future__ import annotations

import os
import shutil
import socket
import sys
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


@pytest.fixture(autouse=True)
def _only_this_apps_callbacks(request):
    """For a `dash_duo` test: page callbacks registered with `dash.callback` by modules that other tests import
    would join the first app that serves a request; set them aside while this test's app runs, then restore them."""
    if "dash_duo" not in request.fixturenames:
        yield
        return
    from dash import _callback

    saved_list, saved_map = list(_callback.GLOBAL_CALLBACK_LIST), dict(_callback.GLOBAL_CALLBACK_MAP)
    _callback.GLOBAL_CALLBACK_LIST.clear()
    _callback.GLOBAL_CALLBACK_MAP.clear()
    yield
    _callback.GLOBAL_CALLBACK_LIST.extend(saved_list)
    _callback.GLOBAL_CALLBACK_MAP.update(saved_map)


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


@pytest.fixture
def dash_duo(request, dash_thread_server, tmpdir):
    """dash[testing]'s `dash_duo`, waiting up to 30 s instead of 10: on two busy cores (a round training beside the
    browser) a page can take longer than 10 s to show what it will show."""
    from dash.testing.composite import DashComposite

    with DashComposite(
        server=dash_thread_server,
        browser=request.config.getoption("webdriver"),
        remote=request.config.getoption("remote"),
        remote_url=request.config.getoption("remote_url"),
        headless=request.config.getoption("headless"),
        options=request.config.hook.pytest_setup_options(),
        download_path=tmpdir.mkdir("download").strpath,
        percy_assets_root=request.config.getoption("percy_assets"),
        percy_finalize=request.config.getoption("nopercyfinalize"),
        pause=request.config.getoption("pause"),
        wait_timeout=30,
    ) as composite:
        yield composite
