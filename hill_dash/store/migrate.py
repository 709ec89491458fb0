"""Schema migrations: Alembic, configured in code, with its scripts inside this package.

`open_store` calls `upgrade(engine)` on every start, so a data directory made by an older hill-dash is brought
to the current schema before anything reads it. New revisions go to `migrations/versions/` (write them with
`alembic_config(url)` and `alembic.command.revision(..., autogenerate=True)`, then read them through).

Alembic is imported only when a database actually needs migrating: on an up-to-date database `upgrade()` reads
the one row of `alembic_version` and compares it with the newest revision of the packaged scripts, which it reads
from the scripts' own `revision = ...` lines (importing Alembic and building its script directory costs more
than a command that only reads results takes for everything else).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from hill_dash.store.engine import WRITE_OPTION

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
VERSIONS = MIGRATIONS / "versions"
INITIAL_REVISION = "0001"
VERSION_TABLE = "alembic_version"  # Alembic's default, which env.py keeps

_ASSIGNMENT = re.compile(r"^(revision|down_revision)\s*(?::[^=]*)?=\s*(.+?)\s*$", re.MULTILINE)
_QUOTED = re.compile(r"""["']([^"']+)["']""")


def alembic_config(url: str | None = None) -> Config:
    """An Alembic Config pointing at the packaged scripts; no alembic.ini is read."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("path_separator", "os")
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database behind `engine` to `revision` (default: the newest schema).

    With the default, a database already at the newest revision is left alone without importing Alembic.
    """
    if revision == "head" and _is_at(engine, packaged_head()):
        return
    from alembic import command

    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def head_revision() -> str:
    """The newest revision the packaged scripts know (as Alembic reads them)."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the packaged migrations have no head revision"
    return head


@lru_cache(maxsize=1)
def packaged_head() -> str | None:
    """The newest revision of the packaged scripts, read from their `revision`/`down_revision` lines without
    Alembic; None when the scripts do not form one simple line (Alembic then decides)."""
    revisions: dict[str, tuple[str, ...]] = {}
    for script in sorted(VERSIONS.glob("*.py")):
        found = dict(_ASSIGNMENT.findall(script.read_text(encoding="utf-8")))
        if "revision" not in found:
            continue
        own = _QUOTED.findall(found["revision"])
        if len(own) != 1 or own[0] in revisions:
            return None
        revisions[own[0]] = tuple(_QUOTED.findall(found.get("down_revision", "None")))
    parents = {parent for downs in revisions.values() for parent in downs}
    heads = [name for name in revisions if name not in parents]
    return heads[0] if len(heads) == 1 else None


def _is_at(engine: Engine, head: str | None) -> bool:
    """True when the database records exactly `head` as its revision; any doubt (no version table yet, a
    database that cannot be read) answers False and leaves the decision to Alembic."""
    if head is None:
        return False
    reader = engine.execution_options(**{WRITE_OPTION: False})  # a plain read: no write lock for a look
    try:
        with reader.connect() as connection:
            found = [row[0] for row in connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}"))]
    except DBAPIError:
        return False
    return found == [head]


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None for an empty database)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
