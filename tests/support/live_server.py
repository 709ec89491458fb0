"""A real `hill-dash serve` (and helpers) for tests that drive the whole app over HTTP.

Dash's page callbacks attach to the first app made in a process, so the whole app is tested the way it runs: in its
own process.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def hill_command() -> list[str]:
    """The installed `hill-dash` console script of the interpreter running the tests."""
    script = Path(sys.executable).with_name("hill-dash")
    return [str(script)] if script.exists() else [sys.executable, "-m", "hill_dash"]


def app_env(data_dir: Path, env: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of an app process (server or worker) on `data_dir`: the test process may have exported
    another app's settings (an in-process app publishes its key for its background jobs), and a worker holding that
    key could not read the server's session cookies."""
    own = ("HILL_DATABASE_URL", "HILL_REDIS_URL", "HILL_SECRET_KEY")
    inherited = {k: v for k, v in os.environ.items() if k not in own}
    return {**inherited, "HILL_DATA_DIR": str(data_dir), **(env or {})}


class LiveServer:
    """A real `hill-dash serve` in its own process: Dash's page callbacks attach to the first app made in a
    process, so the whole app is tested the way it runs, over HTTP."""

    def __init__(self, data_dir: Path, extra: list[str] | None = None, env: dict[str, str] | None = None):
        self.data_dir, self.port = data_dir, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = data_dir / "server.log"
        data_dir.mkdir(parents=True, exist_ok=True)
        self.env = app_env(data_dir, env)
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


def severe_console_errors(driver) -> list[dict]:
    """Console entries that are errors (software WebGL's performance warnings are not)."""
    return [entry for entry in driver.get_log("browser") if entry.get("level") == "SEVERE"]


def own_free_run(driver, server: LiveServer, store, scenario: str, **options) -> int:
    """A free-editor run that belongs to `driver`'s browser, as if it had pressed Start: the browser gets a signed
    session cookie naming it (signed with the server's key), and the run is started for that browser."""
    import hashlib
    import secrets

    from hill_dash.app import cookies
    from hill_dash.jobs import rounds

    browser = secrets.token_urlsafe(16)
    secret = (server.data_dir / "secret_key").read_text().strip()
    driver.get(f"{server.url}/_dash-layout")  # a page of the site, so the cookie can be set for it
    driver.add_cookie({"name": cookies.COOKIE_NAME, "path": "/",
                       "value": cookies._serializer(secret).dumps({cookies.BROWSER_KEY: browser})})
    return rounds.start_run(store, scenario, owner_key=hashlib.sha256(browser.encode()).hexdigest(), **options)


def own_lab(driver, server: LiveServer, store, config) -> int:
    """A boundary lab (of `config`, a `LabConfig`) that belongs to `driver`'s browser, as if it had pressed Start on
    /boundary: the browser gets a signed session cookie naming it (signed with the server's key), and the lab is
    started for that browser."""
    import hashlib
    import secrets

    from hill_dash.app import cookies
    from hill_dash.jobs import boundary_rounds

    browser = secrets.token_urlsafe(16)
    secret = (server.data_dir / "secret_key").read_text().strip()
    driver.get(f"{server.url}/_dash-layout")  # a page of the site, so the cookie can be set for it
    driver.add_cookie({"name": cookies.COOKIE_NAME, "path": "/",
                       "value": cookies._serializer(secret).dumps({cookies.BROWSER_KEY: browser})})
    return boundary_rounds.start_lab(store, config, owner_key=hashlib.sha256(browser.encode()).hexdigest())
