"""Choose where Dash background callbacks run.

Default: a disk cache and local processes (one machine, nothing to set up). With a Redis URL: Celery workers, so a lab
can put training on GPU machines; a worker reads the run's last checkpoint and edits from the shared store, so any
worker can take any job.
"""

from __future__ import annotations

from typing import Any

from hill_dash.settings import Settings


def make_celery(settings: Settings) -> Any:
    from celery import Celery

    if not settings.redis_url:
        raise ValueError("a Celery app needs a Redis URL: set HILL_REDIS_URL (e.g. redis://127.0.0.1:6379/0)")
    app = Celery("hill_dash", broker=settings.redis_url, backend=settings.redis_url)
    # Training rounds take minutes: acknowledge late so a worker that dies hands the job to another.
    app.conf.update(task_acks_late=True, worker_prefetch_multiplier=1, broker_connection_retry_on_startup=True)
    return app


def make_background_manager(settings: Settings) -> Any:
    if settings.redis_url:
        from dash import CeleryManager

        return CeleryManager(make_celery(settings))

    import diskcache
    from dash import DiskcacheManager

    cache_dir = settings.data_dir / "cache"
    cache_dir.mkdir(parents=True, exist_ok=True)
    return DiskcacheManager(diskcache.Cache(str(cache_dir)))
