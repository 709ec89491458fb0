"""Participant links: only the token's SHA-256 is stored; reset invalidates the old link."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import select

from hill_dash.store import NewStudy, NotFound, Store
from hill_dash.store.tables import Participant as ParticipantRow


def test_token_finds_its_participant_and_only_its_hash_is_stored(store: Store, study: NewStudy) -> None:
    tokens = [invite.token for invite in study.invites]
    assert len(set(tokens)) == len(tokens) and all(len(t) >= 32 for t in tokens)
    for invite in study.invites:
        assert store.participant_by_token(invite.token) == invite.participant
    with store.engine.connect() as connection:
        stored = connection.execute(select(ParticipantRow.__table__)).all()
    dump = repr(stored)
    assert all(token not in dump for token in tokens)
    hashes = {row.token_hash for row in stored}
    assert hashes == {hashlib.sha256(t.encode()).hexdigest() for t in tokens}


def test_sqlite_files_never_hold_a_plain_token(tmp_path: Path) -> None:
    from hill_dash.store import open_store

    store = open_store(url=f"sqlite:///{tmp_path / 'hill.db'}", data_dir=tmp_path)
    new = store.create_study("pilot", ["digits"], n_participants=3)
    fresh = store.reset_token(new.invites[0].participant.id)
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("hill.db*"))
    for token in [fresh, *(invite.token for invite in new.invites)]:
        assert token.encode() not in raw
    assert hashlib.sha256(fresh.encode()).hexdigest().encode() in raw
    store.close()


def test_reset_token_replaces_the_link(store: Store, study: NewStudy) -> None:
    participant = study.invites[1].participant
    fresh = store.reset_token(participant.id)
    assert fresh != study.invites[1].token
    assert store.participant_by_token(fresh).id == participant.id
    with pytest.raises(NotFound, match="link is not valid"):
        store.participant_by_token(study.invites[1].token)
    with pytest.raises(NotFound, match="link is not valid"):
        store.participant_by_token("not-a-token")
    with pytest.raises(NotFound, match="no participant with id 999"):
        store.reset_token(999)
