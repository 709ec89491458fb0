"""The two kinds of failure: a broken instrument file, and answers that do not fit an instrument."""

from __future__ import annotations

from dataclasses import dataclass


class InstrumentError(ValueError):
    """An instrument definition is malformed; the message names the file and the field to fix."""


class UnknownInstrumentError(InstrumentError, LookupError):
    """No instrument with the requested id exists on the search path."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a set of answers. `item` is the item id, or a pseudo-id such as `pairs[3]`."""

    item: str | None
    message: str

    def __str__(self) -> str:
        return f"{self.item}: {self.message}" if self.item else self.message


class ValidationError(ValueError):
    """Answers do not fit their instrument. `problems` lists every problem found, each with its item id."""

    def __init__(self, instrument_id: str, problems: list[Problem]) -> None:
        self.instrument_id = instrument_id
        self.problems = list(problems)
        count = len(self.problems)
        lines = "\n".join(f"  - {problem}" for problem in self.problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(f"{count} {noun} in the answers to '{instrument_id}':\n{lines}")

    @property
    def items(self) -> list[str]:
        """The item ids that have at least one problem, in the order found (no repeats)."""
        return list(dict.fromkeys(p.item for p in self.problems if p.item))
