"""Scoring maths as small pure functions on plain numbers; the instrument layer (`score`) calls these.

Every function takes already-validated values; none reads files or instruments, so an analyst can call them on a
data frame column directly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

UMUX_PARITY_SLOPE = 0.65  # Lewis, Utesch & Maher (2013): SUS-parity = 0.65 * UMUX-Lite + 22.9
UMUX_PARITY_INTERCEPT = 22.9
TLX_PERCENT_PER_STEP = 5  # forms that show TLX as 0-100 move in steps of 5 over the 21 gradations


def reverse_code(value: float, low: float, high: float) -> float:
    """Mirror a value on the scale `low..high`, as done for negatively worded items.

    >>> reverse_code(2, 1, 5)
    4
    >>> reverse_code(30.0, 0, 100)
    70.0
    """
    return low + high - value


def scale_sum(values: Sequence[float], lows: Sequence[float], highs: Sequence[float], *,
              zero_based: bool = False, rescale_to: float | None = None) -> float:
    """Sum of item values; `zero_based` counts each from its scale minimum; `rescale_to` maps the maximum to it.

    SUS: ten 1..5 items after reverse coding, zero-based, rescaled to 100 (the classic `* 2.5`).

    >>> scale_sum([3] * 10, [1] * 10, [5] * 10, zero_based=True, rescale_to=100)
    50.0
    >>> scale_sum([1, 2, 3], [0, 0, 0], [5, 5, 5])
    6
    """
    if not (len(values) == len(lows) == len(highs)) or not values:
        raise ValueError(f"need one low and one high per value and at least one value, got "
                         f"{len(values)} values, {len(lows)} lows, {len(highs)} highs")
    offsets = list(lows) if zero_based else [0] * len(values)
    total = sum(v - o for v, o in zip(values, offsets))
    if rescale_to is None:
        return total
    largest = sum(h - o for h, o in zip(highs, offsets))
    return total * rescale_to / largest


def scale_mean(values: Sequence[float], lows: Sequence[float], highs: Sequence[float], *,
               zero_based: bool = False, rescale_to: float | None = None) -> float:
    """Mean of item values, with the same options as `scale_sum` (`rescale_to` maps the largest mean to it).

    >>> scale_mean([2, 4], [1, 1], [5, 5])
    3.0
    >>> scale_mean([2, 4], [1, 1], [5, 5], zero_based=True, rescale_to=100)
    50.0
    """
    total = scale_sum(values, lows, highs, zero_based=zero_based)
    if rescale_to is None:
        return total / len(values)
    return scale_sum(values, lows, highs, zero_based=zero_based, rescale_to=rescale_to)


def umux_lite_raw(item1: float, item2: float, *, points: int = 7) -> float:
    """UMUX-Lite on 0..100 from its two Likert items: `(i1 + i2 - 2) * 100 / 12` for 7-point items.

    >>> umux_lite_raw(6, 5)
    75.0
    >>> umux_lite_raw(7, 7)
    100.0
    """
    return (item1 + item2 - 2) * 100 / (2 * (points - 1))


def umux_lite_sus_parity(raw: float) -> float:
    """The regression-adjusted UMUX-Lite that is comparable with SUS scores (Lewis, Utesch & Maher 2013).

    >>> round(umux_lite_sus_parity(75.0), 2)
    71.65
    """
    return UMUX_PARITY_SLOPE * raw + UMUX_PARITY_INTERCEPT


def tlx_raw_total(ratings: Iterable[float]) -> float:
    """Raw TLX: the sum of the subscale ratings (six 0..20 ratings give 0..120).

    >>> tlx_raw_total([15, 2, 8, 6, 12, 10])
    53
    """
    return sum(ratings)


def tlx_raw_mean(ratings: Sequence[float]) -> float:
    """Raw TLX as the mean subscale rating (0..20).

    >>> tlx_raw_mean([15, 2, 8, 6, 12, 10]) == 53 / 6
    True
    """
    return sum(ratings) / len(ratings)


def tlx_weights(choices: Iterable[str], subscales: Sequence[str]) -> dict[str, int]:
    """How often each subscale won a pairwise comparison (0..5 each with 6 subscales; they sum to the pairs).

    >>> tlx_weights(["a", "a", "c"], ["a", "b", "c"])
    {'a': 2, 'b': 0, 'c': 1}
    """
    weights = dict.fromkeys(subscales, 0)
    for choice in choices:
        if choice not in weights:
            raise ValueError(f"choice {choice!r} is not one of the subscales {list(subscales)}")
        weights[choice] += 1
    return weights


def tlx_weighted(ratings: Mapping[str, float], weights: Mapping[str, int]) -> float:
    """Weighted TLX: `sum(rating * weight) / sum(weights)` (the sum of weights is 15 with the full pair set).

    >>> tlx_weighted({"a": 10, "b": 20}, {"a": 1, "b": 3})
    17.5
    """
    total_weight = sum(weights.values())
    if total_weight <= 0:
        raise ValueError("weights sum to zero; a weighted TLX needs at least one pairwise choice")
    return sum(ratings[name] * weight for name, weight in weights.items()) / total_weight


def tlx_percent_to_steps(percent: float) -> int:
    """A TLX answer shown as 0..100 (steps of 5) to the stored 0..20 gradation.

    >>> tlx_percent_to_steps(75)
    15
    """
    steps = percent / TLX_PERCENT_PER_STEP
    if not 0 <= percent <= 100 or steps != int(steps):
        raise ValueError(f"a TLX percentage must be 0..100 in steps of {TLX_PERCENT_PER_STEP}, got {percent!r}")
    return int(steps)


def tlx_steps_to_percent(steps: int) -> int:
    """The stored 0..20 TLX gradation as the 0..100 number some forms display.

    >>> tlx_steps_to_percent(15)
    75
    """
    return int(steps) * TLX_PERCENT_PER_STEP
