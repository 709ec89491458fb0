"""The `Store` facade and `open_store`, the one way into a data directory."""

from __future__ import annotations

import os

from hill_dash.store.accounts import AccountsMixin
from hill_dash.store.answers import AnswersMixin
from hill_dash.store.artifacts import ArtifactsMixin
from hill_dash.store.audio import AudioMixin
from hill_dash.store.coding import CodingMixin
from hill_dash.store.edits import EditsMixin
from hill_dash.store.engine import make_engine, resolve_data_dir, resolve_url
from hill_dash.store.files import FileArea
from hill_dash.store.follow import FollowMixin
from hill_dash.store.frames import FramesMixin
from hill_dash.store.jobs import JobsMixin
from hill_dash.store.migrate import upgrade
from hill_dash.store.overview import OverviewMixin
from hill_dash.store.ownership import OwnershipMixin
from hill_dash.store.participants import ParticipantsMixin
from hill_dash.store.runs import RunsMixin
from hill_dash.store.sessions import SessionsMixin
from hill_dash.store.studies import StudiesMixin
from hill_dash.store.timeline import TimelineMixin
from hill_dash.store.transcripts import TranscriptsMixin


class Store(AccountsMixin, StudiesMixin, ParticipantsMixin, OverviewMixin, RunsMixin, ArtifactsMixin, EditsMixin,
            AnswersMixin, AudioMixin, TranscriptsMixin, CodingMixin, JobsMixin, FramesMixin, SessionsMixin,
            OwnershipMixin, TimelineMixin, FollowMixin):
    """Everything a HILL study produces. One per process; safe to share between threads.

    Every method works in its own short transaction and returns plain dataclasses, dicts or DataFrames, never live
    database objects. Bad input raises `StoreError` and leaves the store as it was.
    """

    def __repr__(self) -> str:
        url = self.engine.url.render_as_string(hide_password=True)
        return f"Store(url={url!r}, data_dir={str(self.files.data_dir)!r})"


def open_store(url: str | None = None, data_dir: str | os.PathLike[str] | None = None,
               migrate: bool = True) -> Store:
    """Open (and create or upgrade to the current schema) the store of a data directory.

    `data_dir`: the argument, else $HILL_DATA_DIR, else ./hill-data. `url`: any SQLAlchemy URL, else
    $HILL_DATABASE_URL, else the SQLite file `<data_dir>/hill.db`. Large files always live in `<data_dir>/files/`.
    """
    directory = resolve_data_dir(data_dir)
    chosen = resolve_url(url, directory)
    engine = make_engine(chosen)
    store = Store(engine, FileArea(directory), chosen)
    if migrate:
        upgrade(store._writer)
    return store
