"""A created study seen from the tests: its store, invite tokens, participants and scenario ids."""

from __future__ import annotations

from dataclasses import dataclass

from hill_dash.store import NewStudy, Store


@dataclass
class Study:
    store: Store
    created: NewStudy

    def token(self, n: int) -> str:
        return self.created.invites[n].token

    def participant(self, n: int):
        return self.store.get_participant(self.created.invites[n].participant.id)

    def scenario_id(self, n: int = 0) -> int:
        return self.created.study.scenarios[n].id
