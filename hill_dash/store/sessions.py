"""Researcher logins kept on the server, and the counters that slow down password guessing.

A login is a row: the browser's cookie holds only a random id whose SHA-256 is stored, so logging out (or an
administrator revoking every login of an account) ends it for good, whatever copy of the cookie exists. Failed
logins are counted per account name and per client address; from the fifth failure in a row each further try
waits twice as long as the one before (1 s, 2 s, 4 s, ... at most 15 minutes).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import select, update

from hill_dash.store._base import StoreBase, to_record
from hill_dash.store.accounts import Researcher
from hill_dash.store.participants import hash_token
from hill_dash.store.tables import LoginThrottle as ThrottleRow
from hill_dash.store.tables import Researcher as ResearcherRow
from hill_dash.store.tables import ResearcherSession as SessionRow
from hill_dash.store.tables import utcnow

SESSION_IDLE = timedelta(hours=12)
SESSION_MAX_AGE = timedelta(days=7)
SEEN_EVERY = timedelta(minutes=1)  # how often a session's last_seen_at is written (not on every request)
FREE_FAILURES = 4
MAX_WAIT = timedelta(minutes=15)
FORGET_AFTER = timedelta(hours=24)  # failures this old no longer count


def backoff(failures: int) -> timedelta:
    """How long a key with `failures` failed logins in a row must wait before the next try."""
    if failures <= FREE_FAILURES:
        return timedelta(0)
    return min(MAX_WAIT, timedelta(seconds=2 ** min(failures - FREE_FAILURES - 1, 20)))


class SessionsMixin(StoreBase):
    """Start, check and end researcher logins; count failed ones."""

    def create_session(self, researcher_id: int) -> str:
        """A new login of this researcher; returns the id for the browser's cookie (only its hash is kept)."""
        token = secrets.token_urlsafe(32)
        with self._write() as session:
            self._get(session, ResearcherRow, researcher_id, "researcher")
            session.add(SessionRow(token_hash=hash_token(token), researcher_id=researcher_id))
        return token

    def session_researcher(self, token: str, now: datetime | None = None) -> Researcher | None:
        """The researcher of a live login: not revoked, used within SESSION_IDLE, younger than SESSION_MAX_AGE."""
        if not isinstance(token, str) or not token or len(token) > 200:
            return None
        now = now or utcnow()
        with self._read() as session:
            row = session.scalars(select(SessionRow).where(SessionRow.token_hash == hash_token(token))).first()
            if (row is None or row.revoked_at is not None or now - row.last_seen_at > SESSION_IDLE
                    or now - row.created_at > SESSION_MAX_AGE):
                return None
            researcher = session.get(ResearcherRow, row.researcher_id)
            stale = now - row.last_seen_at > SEEN_EVERY
            record = None if researcher is None else to_record(Researcher, researcher)
        if stale and record is not None:
            with self._write() as session:
                session.execute(update(SessionRow).where(SessionRow.id == row.id).values(last_seen_at=now))
        return record

    def revoke_session(self, token: str) -> None:
        """End one login (logging out); an unknown id changes nothing."""
        if not isinstance(token, str) or not token:
            return
        with self._write() as session:
            session.execute(update(SessionRow).where(SessionRow.token_hash == hash_token(token),
                                                     SessionRow.revoked_at.is_(None)).values(revoked_at=utcnow()))

    def revoke_sessions(self, researcher_id: int) -> int:
        """End every login of a researcher (a password change, a lost laptop); returns how many were live."""
        with self._write() as session:
            result = session.execute(update(SessionRow).where(SessionRow.researcher_id == researcher_id,
                                                              SessionRow.revoked_at.is_(None))
                                     .values(revoked_at=utcnow()))
            return int(result.rowcount or 0)

    def login_wait(self, keys: Iterable[str], now: datetime | None = None) -> float:
        """Seconds until a login may be tried for these keys (0 when it may be tried now)."""
        now = now or utcnow()
        with self._read() as session:
            rows = session.scalars(select(ThrottleRow).where(ThrottleRow.key.in_(list(keys)))).all()
            waits = [(row.blocked_until - now).total_seconds() for row in rows
                     if row.blocked_until is not None and now - row.last_failure_at < FORGET_AFTER]
        return max([0.0, *waits])

    def login_failed(self, keys: Iterable[str], now: datetime | None = None) -> None:
        """Count a failed login against every key and set how long each must now wait."""
        now = now or utcnow()
        with self._write() as session:
            for key in keys:
                row = session.scalars(select(ThrottleRow).where(ThrottleRow.key == key).with_for_update()).first()
                if row is None:
                    row = ThrottleRow(key=key, failures=0)
                    session.add(row)
                elif now - row.last_failure_at >= FORGET_AFTER:
                    row.failures = 0
                row.failures += 1
                row.last_failure_at = now
                row.blocked_until = now + backoff(row.failures)

    def login_succeeded(self, keys: Iterable[str]) -> None:
        """Forget the failures of these keys (the account's own, after its right password)."""
        with self._write() as session:
            for row in session.scalars(select(ThrottleRow).where(ThrottleRow.key.in_(list(keys)))).all():
                session.delete(row)
