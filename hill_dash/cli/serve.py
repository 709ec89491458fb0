from __future__ import annotations

from pathlib import Path

import click



def _settings(data_dir: Path | None, database_url: str | None, redis_url: str | None, scenario: str | None,
              host: str | None, port: int | None):
    from hill_dash.settings import Settings

    return Settings.from_env(data_dir=data_dir.expanduser().resolve() if data_dir else None,
                             database_url=database_url, redis_url=redis_url, scenario=scenario, host=host, port=port)


_common = [
    click.option("--data-dir", type=click.Path(path_type=Path), help="Where the database and run files live "
                 "[env HILL_DATA_DIR; default ./hill-data]."),
    click.option("--database-url", help="Any SQLAlchemy URL, e.g. postgresql+psycopg://user@host/db "
                 "[env HILL_DATABASE_URL; default an SQLite file in the data directory]."),
    click.option("--redis-url", help="Run background work on Celery workers over this Redis [env HILL_REDIS_URL]."),
]


def _with_common(fn):
    for option in reversed(_common):
        fn = option(fn)
    return fn


@click.command()
@_with_common
@click.option("--scenario", help="The scenario the free latent editor opens with [default digits: offline].")
@click.option("--host", help="Interface to listen on [default 127.0.0.1].")
@click.option("--port", type=int, help="Port [default 8050].")
@click.option("--debug", is_flag=True, help="Dash's debug mode (reloads on code changes).")
def serve(data_dir, database_url, redis_url, scenario, host, port, debug) -> None:
    """Start the web app. With no options it runs on the offline `digits` scenario with nothing else to set up."""
    from hill_dash.app.app import create_app

    settings = _settings(data_dir, database_url, redis_url, scenario, host, port)
    app = create_app(settings)
    from hill_dash.jobs.warm import warm_server

    warm_server(settings)  # round processes fork from this one: they start with the scenarios built
    click.echo(f"hill-dash: serving scenario '{settings.scenario}' at http://{settings.host}:{settings.port}/ "
               f"(data in {settings.data_dir}; Ctrl+C stops)", err=False)
    if debug:
        app.run(host=settings.host, port=settings.port, debug=True)
        return
    import waitress

    # Several threads: a participant's page polls progress while another request stores an edit.
    waitress.serve(app.server, host=settings.host, port=settings.port, threads=8, _quiet=True)


@click.command()
@_with_common
@click.option("--concurrency", type=int, default=1, show_default=True, help="Jobs run at once on this worker.")
def worker(data_dir, database_url, redis_url, concurrency) -> None:
    """Start a Celery worker that takes the app's background jobs (training rounds, transcription)."""
    from hill_dash.app.app import create_app

    settings = _settings(data_dir, database_url, redis_url, None, None, None)
    if not settings.redis_url:
        raise click.ClickException("a worker needs Redis: pass --redis-url or set HILL_REDIS_URL")
    app = create_app(settings)
    celery_app = app._background_manager.handle  # the Celery app the Dash callbacks were registered on
    from hill_dash.jobs.warm import warm_server

    warm_server(settings)  # the prefork pool's processes fork from this one, warm
    celery_app.worker_main(["worker", "--loglevel=INFO", f"--concurrency={concurrency}", "--pool=prefork"])
