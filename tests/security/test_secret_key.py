"""The session-signing key: one per data directory, even when the web process and workers start together."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from hill_dash.settings import Settings

READ_KEY = "from hill_dash.settings import Settings; print(Settings.from_env().secret_key)"


def test_processes_starting_together_agree_on_one_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("HILL_")}
    env["HILL_DATA_DIR"] = str(tmp_path / "data")
    starts = [subprocess.Popen([sys.executable, "-c", READ_KEY], env=env, stdout=subprocess.PIPE, text=True)
              for _ in range(8)]
    keys = {process.communicate(timeout=120)[0].strip() for process in starts}
    assert len(keys) == 1 and len(keys.pop()) == 64
    assert (tmp_path / "data" / "secret_key").stat().st_mode & 0o077 == 0
    assert [p.name for p in (tmp_path / "data").iterdir()] == ["secret_key"]  # no temporary files left


def test_a_restart_keeps_the_key(tmp_path, monkeypatch):
    monkeypatch.delenv("HILL_SECRET_KEY", raising=False)
    first = Settings.from_env(data_dir=tmp_path).secret_key
    assert Settings.from_env(data_dir=tmp_path).secret_key == first


def test_an_emptied_key_file_is_an_error_that_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.delenv("HILL_SECRET_KEY", raising=False)
    (tmp_path / "secret_key").write_text("")
    with pytest.raises(ValueError, match="delete it"):
        Settings.from_env(data_dir=tmp_path)
