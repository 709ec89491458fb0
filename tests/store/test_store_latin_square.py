"""The balanced Latin square that orders a study's scenarios."""

from __future__ import annotations

from collections import Counter

import pytest

from hill_dash.store.latin_square import balanced_latin_square, open_row


def _carryover(rows: list[list[int]]) -> Counter[tuple[int, int]]:
    return Counter((row[k], row[k + 1]) for row in rows for k in range(len(row) - 1))


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 6, 7, 8])
def test_every_condition_once_in_every_position(n: int) -> None:
    rows = balanced_latin_square(n)
    assert len(rows) == (n if n % 2 == 0 else 2 * n)
    for row in rows:
        assert sorted(row) == list(range(n))
    for position in range(n):
        counts = Counter(row[position] for row in rows)
        assert set(counts) == set(range(n))
        assert len(set(counts.values())) == 1, f"position {position} is unbalanced: {counts}"


@pytest.mark.parametrize("n", [2, 4, 6, 8])
def test_even_square_balances_first_order_carryover(n: int) -> None:
    pairs = _carryover(balanced_latin_square(n))
    assert set(pairs) == {(a, b) for a in range(n) for b in range(n) if a != b}
    assert set(pairs.values()) == {1}


@pytest.mark.parametrize("n", [3, 5, 7])
def test_odd_doubled_square_balances_carryover_twice(n: int) -> None:
    pairs = _carryover(balanced_latin_square(n))
    assert set(pairs) == {(a, b) for a in range(n) for b in range(n) if a != b}
    assert set(pairs.values()) == {2}


def test_open_row_fills_the_least_used_row_first() -> None:
    rows = balanced_latin_square(4)
    assert open_row(rows, []) == rows[0]
    assert open_row(rows, rows[:3]) == rows[3]
    assert open_row(rows, [*rows, rows[0], rows[2]]) == rows[1]


def test_a_square_needs_a_condition() -> None:
    with pytest.raises(ValueError, match="at least one condition"):
        balanced_latin_square(0)
