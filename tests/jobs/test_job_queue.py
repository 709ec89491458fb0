"""Background jobs go to a queue named after the store, so deployments sharing a Redis keep to their own jobs."""

from __future__ import annotations

from hill_dash.jobs.managers import make_celery
from hill_dash.settings import Settings


def test_the_queue_is_named_after_the_store(tmp_path):
    one = Settings(data_dir=tmp_path / "one", redis_url="redis://127.0.0.1:6379/15")
    other = Settings(data_dir=tmp_path / "other", redis_url="redis://127.0.0.1:6379/15")
    postgres = Settings(data_dir=tmp_path / "one", database_url="postgresql+psycopg://u@127.0.0.1/a")
    assert one.job_queue != other.job_queue
    assert postgres.job_queue != one.job_queue
    # Two processes of one deployment (the server and a worker) agree on it.
    assert Settings(data_dir=tmp_path / "one").job_queue == one.job_queue
    assert Settings(data_dir=tmp_path / "x", database_url=postgres.database_url).job_queue == postgres.job_queue


def test_celery_sends_jobs_to_the_deployments_queue(tmp_path):
    settings = Settings(data_dir=tmp_path, redis_url="redis://127.0.0.1:6379/15")
    app = make_celery(settings)
    assert app.conf.task_default_queue == settings.job_queue
    assert settings.job_queue in app.amqp.queues  # the worker consumes from it by default
