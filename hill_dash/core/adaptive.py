"""Adaptive reliance (opt-in per study): how much the next round relies on the participant.

Rule: when a round ends with validation accuracy below the lower edge of the baseline seed band (alpha = 0 runs
from the same checkpoint) at that epoch, alpha for the next round is halved; below `MIN_ALPHA` it becomes 0 (the
round then trains with cross-entropy alone). Accuracy inside or above the band leaves alpha as it is, and alpha is
never raised again within a run: the participant sees their edits followed less, never a sudden jump back.
Every change is stored with its reason (`alpha_changes`) and shown to the researcher.
"""

from __future__ import annotations

from dataclasses import dataclass

FACTOR = 0.5
MIN_ALPHA = 0.05


@dataclass(frozen=True)
class AlphaDecision:
    old_alpha: float
    new_alpha: float
    reason: str

    @property
    def lowered(self) -> bool:
        return self.new_alpha < self.old_alpha


def next_alpha(alpha: float, val_acc: float, band_min: float | None, epoch: int) -> AlphaDecision:
    """The alpha for the round after `epoch` under the rule above.

    >>> next_alpha(0.5, 0.80, 0.83, 5).new_alpha
    0.25
    >>> next_alpha(0.06, 0.80, 0.83, 7).new_alpha
    0.0
    >>> next_alpha(0.5, 0.85, 0.83, 5).lowered
    False
    """
    if not 0.0 <= alpha <= 1.0:
        raise ValueError(f"alpha={alpha} is outside [0, 1]")
    if band_min is None:
        return AlphaDecision(alpha, alpha, f"no baseline band at epoch {epoch}: alpha kept at {alpha:g}")
    if val_acc >= band_min or alpha == 0.0:
        return AlphaDecision(alpha, alpha, f"validation accuracy {val_acc:.3f} at epoch {epoch} is not below the "
                                           f"baseline band's lower edge {band_min:.3f}: alpha kept at {alpha:g}")
    lowered = alpha * FACTOR
    new = 0.0 if lowered < MIN_ALPHA else lowered
    return AlphaDecision(alpha, new, f"validation accuracy {val_acc:.3f} at epoch {epoch} fell below the baseline "
                                     f"band's lower edge {band_min:.3f}: alpha {alpha:g} -> {new:g} for the next round")
