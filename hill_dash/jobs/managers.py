"""Choose where Dash background callbacks run.

Default: a disk cache and local processes (one machine, nothing to set up). With a Redis URL: Celery workers, so a lab
can put training on GPU machines; a worker reads the run's last checkpoint and edits from the shared store, so any
worker can take any job.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from hill_dash.settings import Settings


def make_celery(settings: Settings) -> Any:
    from celery import Celery

    if not settings.redis_url:
        raise ValueError("a Celery app needs a Redis URL: set HILL_REDIS_URL (e.g. redis://127.0.0.1:6379/0)")
    app = Celery("hill_dash", broker=settings.redis_url, backend=settings.redis_url)
    # Training rounds take minutes: acknowledge late so a worker that dies hands the job to another.
    app.conf.update(task_acks_late=True, worker_prefetch_multiplier=1, broker_connection_retry_on_startup=True,
                    task_default_queue=settings.job_queue)
    return app


RESULT_EXPIRY_S = 24 * 3600  # a result nobody collected (a closed tab) is dropped after a day


class PerRequestKeys:
    """Mix-in for Dash's background managers: every request starts its own job under a fresh key.

    Dash keys a job by the callback's arguments, so a round whose result was never collected would be handed to
    the next request with the same arguments (and the new job stopped), and two visitors pressing Start at the
    same moment would share one job. A random part in the key makes each request its own job; the browser polls
    with the key it was given, so nothing else changes."""

    def build_cache_key(self, fn: Any, args: Any, cache_args_to_ignore: Any, triggered: Any) -> str:
        base = super().build_cache_key(fn, args, cache_args_to_ignore, triggered)  # type: ignore[misc]
        return hashlib.sha256(f"{base}:{secrets.token_hex(16)}".encode()).hexdigest()


class ExitedJobs:
    """Mix-in for Dash's disk-cache manager: a round process that exits while its result is collected is done,
    not an error. Dash lists the job's child processes to stop them, and one that ends meanwhile made the poll
    answer 500, so the page never showed the finished round."""

    def terminate_job(self, job: Any) -> None:
        import psutil

        try:
            super().terminate_job(job)  # type: ignore[misc]
        except psutil.NoSuchProcess:
            pass

    def job_running(self, job: Any) -> bool:
        import psutil

        try:
            return bool(super().job_running(job))  # type: ignore[misc]
        except psutil.NoSuchProcess:
            return False


class GatedCache:
    """Mix-in for Dash's disk-cache manager: its SQLite reads and writes pass the fork gate, so a round process is
    never forked while a request thread is inside SQLite (see `hill_dash.store.fork_gate`)."""

    def _gated(self, name: str, *args: Any) -> Any:
        from hill_dash.store.fork_gate import GATE

        with GATE.shared():
            return getattr(super(), name)(*args)

    def get_progress(self, key: Any) -> Any:
        return self._gated("get_progress", key)

    def result_ready(self, key: Any) -> Any:
        return self._gated("result_ready", key)

    def get_result(self, key: Any, job: Any) -> Any:
        return self._gated("get_result", key, job)

    def get_updated_props(self, key: Any) -> Any:
        return self._gated("get_updated_props", key)

    def clear_cache_entry(self, key: Any) -> Any:
        return self._gated("clear_cache_entry", key)

    def get_or_create_signing_secret(self, generate: Any) -> Any:
        return self._gated("get_or_create_signing_secret", generate)


def make_background_manager(settings: Settings) -> Any:
    if settings.redis_url:
        from dash import CeleryManager

        celery_manager = type("PerRequestCeleryManager", (PerRequestKeys, CeleryManager), {})
        return celery_manager(make_celery(settings), expire=RESULT_EXPIRY_S)

    import diskcache
    from dash import DiskcacheManager

    cache_dir = settings.data_dir / "cache"
    cache_dir.mkdir(parents=True, exist_ok=True)
    disk_manager = type("PerRequestDiskcacheManager", (PerRequestKeys, ExitedJobs, GatedCache, DiskcacheManager), {})
    return disk_manager(diskcache.Cache(str(cache_dir)), expire=RESULT_EXPIRY_S)
