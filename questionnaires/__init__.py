"""Questionnaire instruments as data files, answer validation and scoring; pure Python (no Dash, no hill_dash).

    >>> import questionnaires
    >>> questionnaires.score("umux_lite", {"i1": 6, "i2": 5})["raw"]
    75.0

Instruments are YAML files (`questionnaires/instruments/*.yaml`, or your own directories via `search_path`);
the maths lives in `questionnaires.functional`. See README.md beside this file for the file format.
"""

from __future__ import annotations

from typing import Any

from . import functional
from ._errors import InstrumentError, Problem, UnknownInstrumentError, ValidationError
from ._instrument import Instrument, Item, Pairwise, Scoring
from ._parse import instrument_from_dict, read_instrument_file
from ._registry import BUILTIN_DIR, SearchPath, list_instruments, load, pairwise_pairs, resolve
from ._scales import Scale
from ._score import score_checked
from ._validate import check_answers

__all__ = [
    "BUILTIN_DIR", "Instrument", "InstrumentError", "Item", "Pairwise", "Problem", "Scale", "Scoring",
    "UnknownInstrumentError", "ValidationError", "from_dict", "functional", "list_instruments", "load",
    "load_file", "pairwise_pairs", "score", "validate",
]


def load_file(path: str) -> Instrument:
    """Read one instrument file by path (its `id` must match the file name)."""
    return read_instrument_file(path)


def from_dict(data: dict[str, Any]) -> Instrument:
    """Build an instrument from plain data in the file format (the inverse of `Instrument.to_dict`)."""
    return instrument_from_dict(data)


def validate(instrument_id: str | Instrument, answers: Any, pairs: Any = None, *,
             search_path: SearchPath = None) -> None:
    """Check answers (item id -> value, or -> {"value": x, "untouched": bool}) and optional pairwise choices.

    `pairs`: the chosen item id per pair in the order of `pairwise_pairs(...)`, or entries
    `{"pair": [a, b], "choice": c}` / `(a, b, c)` in any order. Raises ValidationError listing every problem.
    """
    check_answers(resolve(instrument_id, search_path), answers, pairs)


def score(instrument_id: str | Instrument, answers: Any, pairs: Any = None, *,
          search_path: SearchPath = None) -> dict[str, Any]:
    """Validate, then score: `items` (and `untouched` for slider items) plus the instrument's scoring fields.

    umux_lite: `raw`, `sus_parity`; nasa_tlx: `raw_total`, `raw_mean`, and with pairs `weights`, `weighted`;
    sus: `sus`; a generic sum/mean instrument: the scoring `name`.
    """
    instrument = resolve(instrument_id, search_path)
    return score_checked(instrument, check_answers(instrument, answers, pairs))
