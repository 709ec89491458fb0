"""Counterbalanced scenario orders: the balanced Latin square (Williams design).

For an even number n of conditions, n rows in which every condition appears once in every position and every
ordered pair of neighbours (a then b) appears exactly once. For an odd n no such square of n rows exists; the
square followed by its reversed rows (2n rows) balances neighbours, each ordered pair appearing twice.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence


def balanced_latin_square(n: int) -> list[list[int]]:
    """The rows of the balanced Latin square for conditions 0..n-1 (doubled when n is odd).

    >>> balanced_latin_square(4)
    [[0, 1, 3, 2], [1, 2, 0, 3], [2, 3, 1, 0], [3, 0, 2, 1]]
    >>> len(balanced_latin_square(3))
    6
    """
    if n < 1:
        raise ValueError(f"a Latin square needs at least one condition, got {n}")
    # First row 0, 1, n-1, 2, n-2, ...; every further row adds 1 (mod n).
    first, low, high = [0], 1, n - 1
    while len(first) < n:
        first.append(low)
        low += 1
        if len(first) < n:
            first.append(high)
            high -= 1
    rows = [[(c + shift) % n for c in first] for shift in range(n)]
    if n % 2 == 1:
        rows += [list(reversed(row)) for row in rows]
    return rows


def open_row(rows: Sequence[Sequence[int]], taken: Sequence[Sequence[int]]) -> list[int]:
    """The first row whose use count among `taken` (orders of the participants still in) is lowest.

    With no dropouts this gives participant i row i mod len(rows); a dropout's row becomes the open one.

    >>> open_row([[0, 1], [1, 0]], [[0, 1], [1, 0], [0, 1]])
    [1, 0]
    """
    counts = Counter(tuple(order) for order in taken)
    return list(min(rows, key=lambda row: counts[tuple(row)]))
