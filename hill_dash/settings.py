"""Where a deployment keeps its data and which services it uses.

Read from the environment so that the web process, Dash's background processes and Celery workers (which inherit or
are started with the same environment) agree without passing anything else around.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass, replace
from pathlib import Path

ENV_PREFIX = "HILL_"


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str | None = None  # None: an SQLite file in data_dir
    redis_url: str | None = None  # set: background work goes through Celery workers over this Redis
    scenario: str = "digits"
    host: str = "127.0.0.1"
    port: int = 8050
    secret_key: str = ""

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        env = os.environ
        values: dict[str, object] = {
            "data_dir": Path(env.get(f"{ENV_PREFIX}DATA_DIR", "hill-data")).expanduser().resolve(),
            "database_url": env.get(f"{ENV_PREFIX}DATABASE_URL") or None,
            "redis_url": env.get(f"{ENV_PREFIX}REDIS_URL") or None,
            "scenario": env.get(f"{ENV_PREFIX}SCENARIO", "digits"),
            "host": env.get(f"{ENV_PREFIX}HOST", "127.0.0.1"),
            "port": int(env.get(f"{ENV_PREFIX}PORT", "8050")),
            "secret_key": env.get(f"{ENV_PREFIX}SECRET_KEY", ""),
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        settings = cls(**values)  # type: ignore[arg-type]
        if not settings.secret_key:
            settings = replace(settings, secret_key=_persistent_secret(settings.data_dir))
        return settings

    @property
    def job_queue(self) -> str:
        """The Celery queue of this deployment's background jobs, named after its store: two deployments (or a test
        and a worker left from another) that share a Redis never take each other's jobs, which would run against
        the wrong database."""
        store = self.database_url or str(self.data_dir)
        return "hill-" + hashlib.sha256(store.encode()).hexdigest()[:16]

    def export_env(self) -> None:
        """Publish these settings to child processes (background jobs) through the environment."""
        os.environ[f"{ENV_PREFIX}DATA_DIR"] = str(self.data_dir)
        os.environ[f"{ENV_PREFIX}SCENARIO"] = self.scenario
        os.environ[f"{ENV_PREFIX}SECRET_KEY"] = self.secret_key
        for key, value in (("DATABASE_URL", self.database_url), ("REDIS_URL", self.redis_url)):
            if value:
                os.environ[f"{ENV_PREFIX}{key}"] = value
            else:
                os.environ.pop(f"{ENV_PREFIX}{key}", None)


def _persistent_secret(data_dir: Path) -> str:
    """A session-signing key kept in the data directory, so logins survive a restart.

    The web process and a worker started at the same moment must end with the same key: the key is written to a
    private temporary file and linked into place, which fails for all but the first, and the rest read the winner's.
    """
    path = data_dir / "secret_key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        temporary = data_dir / f".secret_key.{os.getpid()}.{secrets.token_hex(4)}"
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_hex(32))
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    key = path.read_text().strip()
    if not key:
        raise ValueError(f"{path} is empty: delete it (a new key is made at the next start; logins end) "
                         f"or set {ENV_PREFIX}SECRET_KEY")
    return key
