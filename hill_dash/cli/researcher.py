"""`hill-dash researcher add | list`: researcher accounts for the app's login (the store keeps password hashes)."""

from __future__ import annotations

import sys
from typing import Any

import click

from hill_dash.cli._output import emit, fail, json_option
from hill_dash.cli.serve import _settings, _with_common


def _store(data_dir: Any, database_url: str | None, redis_url: str | None) -> Any:
    from hill_dash.store import open_store

    settings = _settings(data_dir, database_url, redis_url, None, None, None)
    return open_store(url=settings.database_url, data_dir=settings.data_dir)


def _record(researcher: Any) -> dict[str, Any]:
    return {"id": researcher.id, "name": researcher.name, "created_at": researcher.created_at.isoformat()}


@click.group()
def researcher() -> None:
    """Researcher accounts: who may log in to set up studies and see their data."""


@researcher.command("add")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of standard input "
              "instead of asking for it twice.")
@_with_common
@json_option
def add(name: str, password_stdin: bool, data_dir: Any, database_url: str | None, redis_url: str | None,
        as_json: bool) -> None:
    """Create the account NAME (the password needs at least 8 characters)."""
    from hill_dash.store import StoreError

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            fail("--password-stdin read an empty line: pipe the password in, e.g. `printf '%s\\n' \"$PW\" | "
                 "hill-dash researcher add NAME --password-stdin`")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True, err=True)
    try:
        created = _store(data_dir, database_url, redis_url).create_researcher(name, password)
    except StoreError as exc:
        fail(str(exc))
    emit(_record(created), as_json, lambda r: f"researcher {r['name']!r} created (id {r['id']}); log in at /login")


@researcher.command("list")
@_with_common
@json_option
def list_accounts(data_dir: Any, database_url: str | None, redis_url: str | None, as_json: bool) -> None:
    """List every researcher account (names only; passwords are never shown or stored)."""
    accounts = [_record(r) for r in _store(data_dir, database_url, redis_url).list_researchers()]
    emit({"researchers": accounts}, as_json,
         lambda r: "\n".join(f"{a['id']}\t{a['name']}\t{a['created_at']}" for a in r["researchers"])
         or "no researcher accounts yet: hill-dash researcher add NAME")
