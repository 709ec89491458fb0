"""`hill-dash researcher add | list` through click's runner, against a temporary data directory."""

from __future__ import annotations

import json

from click.testing import CliRunner

from hill_dash.cli import main
from hill_dash.store import open_store


def _run(*args, stdin=None):
    return CliRunner().invoke(main, list(args), input=stdin)


def test_add_reads_the_password_from_stdin_and_prints_json_last(tmp_path):
    result = _run("researcher", "add", "ada", "--password-stdin", "--json", "--data-dir", str(tmp_path),
                  stdin="correct horse\n")
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout.strip().splitlines()[-1])
    assert record["name"] == "ada" and isinstance(record["id"], int)
    store = open_store(data_dir=tmp_path)
    assert store.verify_researcher("ada", "correct horse").id == record["id"]
    assert store.verify_researcher("ada", "correct horse\n") is None  # the newline is not part of it


def test_add_prompts_twice_and_refuses_a_mismatch(tmp_path):
    result = _run("researcher", "add", "bea", "--data-dir", str(tmp_path), stdin="first one\nsecond one\n"
                  "long enough\nlong enough\n")
    assert result.exit_code == 0, result.output
    assert "do not match" in result.output
    assert open_store(data_dir=tmp_path).verify_researcher("bea", "long enough") is not None


def test_bad_passwords_and_taken_names_fail_with_a_message_and_store_nothing_new(tmp_path):
    short = _run("researcher", "add", "cy", "--password-stdin", "--data-dir", str(tmp_path), stdin="short\n")
    assert short.exit_code != 0 and "at least 8 characters" in short.output
    empty = _run("researcher", "add", "cy", "--password-stdin", "--data-dir", str(tmp_path), stdin="")
    assert empty.exit_code != 0 and "empty line" in empty.output
    assert _run("researcher", "add", "cy", "--password-stdin", "--data-dir", str(tmp_path),
                stdin="long enough\n").exit_code == 0
    taken = _run("researcher", "add", "cy", "--password-stdin", "--data-dir", str(tmp_path), stdin="other pass\n")
    assert taken.exit_code != 0 and "already exists" in taken.output
    assert open_store(data_dir=tmp_path).verify_researcher("cy", "long enough") is not None


def test_list_shows_names_but_never_passwords(tmp_path):
    assert "no researcher accounts yet" in _run("researcher", "list", "--data-dir", str(tmp_path)).output
    for name in ("zoe", "al"):
        _run("researcher", "add", name, "--password-stdin", "--data-dir", str(tmp_path), stdin="secret pass\n")
    result = _run("researcher", "list", "--json", "--data-dir", str(tmp_path))
    listed = json.loads(result.stdout.strip().splitlines()[-1])["researchers"]
    assert [r["name"] for r in listed] == ["al", "zoe"] and "secret pass" not in result.output
