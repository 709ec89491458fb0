"""Checking a participant's answers (and pairwise choices) against an instrument, collecting every problem."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ._errors import Problem, ValidationError
from ._instrument import Instrument, Pairwise

_ANSWER_KEYS = {"value", "untouched"}


@dataclass(frozen=True)
class CheckedAnswers:
    """Answers that passed validation: a value (None when skipped) and an untouched flag per item, plus the
    pairwise choices in the instrument's pair order (None when not given)."""

    values: dict[str, Any]
    untouched: dict[str, bool]
    choices: list[str] | None


def check_answers(instrument: Instrument, answers: Any, pairs: Any = None) -> CheckedAnswers:
    """Validate and normalise; raise ValidationError listing every problem found."""
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    untouched: dict[str, bool] = {}
    if not isinstance(answers, Mapping):
        problems.append(Problem(None, f"answers must be a mapping of item id to value, got "
                                      f"{type(answers).__name__}"))
        answers = {}
    known = set(instrument.item_ids)
    for key in answers:
        if key not in known:
            problems.append(Problem(str(key), f"unknown item (items of '{instrument.id}': "
                                              f"{', '.join(instrument.item_ids)})"))
    for item in instrument.items:
        value, flag, problem = _unwrap(answers.get(item.id))
        if problem is None and value is None and item.required:
            problem = "required item is missing; give a value" + (" (the slider was never moved)" if flag else "")
        if problem is None and value is not None:
            problem = item.scale.check(value)
        if problem is not None:
            problems.append(Problem(item.id, problem))
        values[item.id] = value
        untouched[item.id] = flag
    choices = _check_pairs(instrument.pairwise, pairs, problems)
    if problems:
        raise ValidationError(instrument.id, problems)
    return CheckedAnswers(values=values, untouched=untouched, choices=choices)


def _unwrap(raw: Any) -> tuple[Any, bool, str | None]:
    """(value, untouched, problem) from a plain value or a `{"value": x, "untouched": bool}` mapping."""
    if not isinstance(raw, Mapping):
        return _blank_to_none(raw), False, None
    unknown = sorted(str(k) for k in raw if k not in _ANSWER_KEYS)
    if unknown:
        return None, False, f"unknown answer field {unknown[0]!r}; an answer is a value or {{value, untouched}}"
    flag = raw.get("untouched", False)
    if not isinstance(flag, bool):
        return None, False, f"'untouched' must be true or false, got {flag!r}"
    return _blank_to_none(raw.get("value")), flag, None


def _blank_to_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


def _check_pairs(pairwise: Pairwise | None, pairs: Any, problems: list[Problem]) -> list[str] | None:
    if pairs is None:
        if pairwise is not None and pairwise.required:
            problems.append(Problem("pairs", f"this instrument needs its {len(pairwise.pairs)} pairwise choices"))
        return None
    if pairwise is None:
        problems.append(Problem("pairs", "this instrument has no pairwise comparisons; leave pairs out"))
        return None
    if isinstance(pairs, (str, bytes, Mapping)) or not isinstance(pairs, Sequence):
        problems.append(Problem("pairs", "pairs must be a list: the chosen item id for each pair, in the "
                                         "instrument's pair order"))
        return None
    if all(isinstance(p, str) for p in pairs):
        return _check_ordered(pairwise, list(pairs), problems)
    return _check_labelled(pairwise, list(pairs), problems)


def _check_ordered(pairwise: Pairwise, choices: list[str], problems: list[Problem]) -> list[str] | None:
    expected = len(pairwise.pairs)
    if len(choices) != expected:
        problems.append(Problem("pairs", f"expected {expected} choices (one per pair, in the instrument's pair "
                                         f"order), got {len(choices)}"))
        return None
    before = len(problems)
    for index, (choice, pair) in enumerate(zip(choices, pairwise.pairs)):
        if choice not in pair:
            problems.append(Problem(f"pairs[{index}]", f"choice {choice!r} is not in its pair "
                                                       f"{pair[0]} / {pair[1]}"))
    return choices if len(problems) == before else None


def _check_labelled(pairwise: Pairwise, entries: list[Any], problems: list[Problem]) -> list[str] | None:
    """Choices given as `{"pair": [a, b], "choice": c}` or `(a, b, c)`, in any order; each pair exactly once."""
    slot_of = {frozenset(pair): slot for slot, pair in enumerate(pairwise.pairs)}
    found: dict[int, tuple[int, str]] = {}
    before = len(problems)
    for index, entry in enumerate(entries):
        where = f"pairs[{index}]"
        parsed = _labelled_entry(entry)
        if parsed is None:
            problems.append(Problem(where, f"expected {{'pair': [a, b], 'choice': c}} or (a, b, c), got {entry!r}"))
            continue
        a, b, choice = parsed
        slot = slot_of.get(frozenset((a, b)))
        if slot is None:
            problems.append(Problem(where, f"{a} / {b} is not one of the instrument's pairs"))
        elif slot in found:
            problems.append(Problem(where, f"the pair {a} / {b} is answered twice (first at pairs[{found[slot][0]}])"))
        elif choice not in (a, b):
            problems.append(Problem(where, f"choice {choice!r} is not in its pair {a} / {b}"))
        else:
            found[slot] = (index, choice)
    missing = [f"{a} / {b}" for slot, (a, b) in enumerate(pairwise.pairs) if slot not in found]
    if missing:
        problems.append(Problem("pairs", f"{len(missing)} of {len(pairwise.pairs)} pairs are not answered: "
                                         f"{', '.join(missing)}"))
    if len(problems) != before:
        return None
    return [found[slot][1] for slot in range(len(pairwise.pairs))]


def _labelled_entry(entry: Any) -> tuple[str, str, str] | None:
    if isinstance(entry, Mapping):
        pair, choice = entry.get("pair"), entry.get("choice")
        if set(entry) != {"pair", "choice"} or not isinstance(pair, Sequence) or isinstance(pair, str):
            return None
        entry = (*pair, choice)
    if isinstance(entry, Sequence) and not isinstance(entry, str) and len(entry) == 3:
        if all(isinstance(part, str) for part in entry):
            return entry[0], entry[1], entry[2]
    return None
