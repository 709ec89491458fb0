"""Agreement between coders on the double-coded part of the transcripts (statsmodels' kappa statistics).

Rated units are transcript segments: a unit is (transcript id, segment index). What each coder "rates" a unit:

- per code c: present (1) if any of the coder's spans with code c covers the unit, else absent (0);
- overall: the unit's whole set of codes from that coder, taken as one nominal category (so two coders agree on a
  unit only when they gave it exactly the same codes, the empty set included).

Two coders give Cohen's kappa (`statsmodels.stats.inter_rater.cohens_kappa` on their square contingency table),
three or more Fleiss' kappa (`fleiss_kappa` on `aggregate_raters` counts). Krippendorff's alpha (nominal) is
reported beside either: it takes any number of coders and tolerates a coder missing a unit. Kappa and alpha are
NaN when undefined: every rating fell into one category, so chance agreement is 1 (for example a code nobody used).
The tests check all three against published worked examples.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from transcripts._coding import CodedSpan, CodingError
from transcripts._transcript import Transcript

Unit = tuple[str, int]


@dataclass(frozen=True)
class Kappa:
    """One agreement statistic: kappa, observed (raw) agreement, the method and the number of units."""

    kappa: float
    observed: float
    method: str
    n_units: int
    alpha: float = float("nan")


@dataclass(frozen=True)
class AgreementReport:
    """Overall and per-code agreement of `coders` on `n_units` segments."""

    coders: tuple[str, ...]
    n_units: int
    overall: Kappa
    per_code: dict[str, Kappa] = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        """One row per code plus an "(overall)" row: kappa, observed agreement, method, units."""
        rows = {"(overall)": self.overall, **self.per_code}
        return pd.DataFrame([{"code": k, "kappa": v.kappa, "alpha": v.alpha, "observed": v.observed,
                              "method": v.method, "units": v.n_units} for k, v in rows.items()]).set_index("code")


def krippendorff_alpha(ratings: np.ndarray) -> float:
    """Krippendorff's alpha for nominal data from a (units x coders) array of category labels, NaN = missing.

    Built from the coincidence matrix (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability"): each unit
    with m >= 2 values adds 1/(m - 1) for every ordered pair of its values; alpha = 1 - D_o / D_e.
    """
    ratings = np.asarray(ratings, dtype=float)
    values = np.unique(ratings[~np.isnan(ratings)])
    index = {v: i for i, v in enumerate(values)}
    coincidence = np.zeros((values.size, values.size))
    for row in ratings:
        present = [index[v] for v in row[~np.isnan(row)]]
        m = len(present)
        if m < 2:
            continue  # a unit only one coder rated holds no pair
        counts = np.bincount(present, minlength=values.size).astype(float)
        coincidence += (np.outer(counts, counts) - np.diag(counts)) / (m - 1)
    n_c = coincidence.sum(axis=1)
    n = n_c.sum()
    if n <= 1:
        return float("nan")
    observed = n - np.trace(coincidence)
    expected = (n * n - np.sum(n_c**2)) / (n - 1)
    return float(1.0 - observed / expected) if expected > 0 else float("nan")


def rating_kappa(ratings: np.ndarray) -> Kappa:
    """Kappa of a (units x coders) array of integer category labels: Cohen for two coders, Fleiss for more."""
    # statsmodels costs about a second to import: only computing agreement pays it, not importing the package
    from statsmodels.stats.inter_rater import aggregate_raters, cohens_kappa, fleiss_kappa

    ratings = np.asarray(ratings, dtype=int)
    n_units, n_coders = ratings.shape
    if n_coders < 2 or n_units == 0:
        raise CodingError(f"agreement needs at least two coders and one unit, got {n_coders} and {n_units}")
    n_cat = int(ratings.max()) + 1
    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        if n_coders == 2:
            table = np.zeros((n_cat, n_cat))
            np.add.at(table, (ratings[:, 0], ratings[:, 1]), 1)
            kappa = float(cohens_kappa(table, return_results=False)) if n_cat > 1 else float("nan")
            return Kappa(kappa, float(np.trace(table) / n_units), "cohen", n_units, krippendorff_alpha(ratings))
        counts, _ = aggregate_raters(ratings, n_cat=n_cat)
        kappa = float(fleiss_kappa(counts, method="fleiss")) if n_cat > 1 else float("nan")
        # Fleiss' observed agreement: the share of agreeing coder pairs, averaged over units.
        observed = float(np.mean((np.sum(counts**2, axis=1) - n_coders) / (n_coders * (n_coders - 1))))
        return Kappa(kappa, observed, "fleiss", n_units, krippendorff_alpha(ratings))


def coded_sets(spans: Iterable[CodedSpan], transcripts: Mapping[str, Transcript]) -> dict[str, dict[Unit, set[str]]]:
    """For each coder, the set of codes they gave each unit they coded."""
    out: dict[str, dict[Unit, set[str]]] = {}
    for span in spans:
        if span.transcript_id not in transcripts:
            raise CodingError(f"span by {span.coder} refers to transcript '{span.transcript_id}', not given")
        for i in span.segment_indices(transcripts[span.transcript_id]):
            out.setdefault(span.coder, {}).setdefault((span.transcript_id, i), set()).add(span.code)
    return out


def double_coded_units(spans: Iterable[CodedSpan], transcripts: Mapping[str, Transcript],
                       coders: Sequence[str]) -> list[Unit]:
    """Every segment of each transcript in which all `coders` applied at least one code (the default units)."""
    spans = list(spans)
    ids = sorted(set.intersection(*({s.transcript_id for s in spans if s.coder == c} for c in coders)))
    return [(tid, i) for tid in ids for i in range(len(transcripts[tid].segments))]


def agreement(spans: Iterable[CodedSpan], transcripts: Mapping[str, Transcript], units: Sequence[Unit] | None = None,
              coders: Sequence[str] | None = None, codes: Sequence[str] | None = None) -> AgreementReport:
    """Inter-coder agreement over `units` (default: `double_coded_units`), overall and for each code.

    `coders` defaults to everyone with a span, `codes` to every code used. See the module docstring for what is
    rated.
    """
    spans = list(spans)
    coders = tuple(sorted({s.coder for s in spans}) if coders is None else coders)
    if len(coders) < 2:
        found = ", ".join(coders) if coders else "none"
        raise CodingError(f"agreement needs codings from at least two coders; coders found: {found}")
    spans = [s for s in spans if s.coder in coders]
    codes = sorted({s.code for s in spans}) if codes is None else list(codes)
    units = double_coded_units(spans, transcripts, coders) if units is None else list(units)
    if not units:
        raise CodingError(f"no transcript was coded by all of {', '.join(coders)}; pass the double-coded units")
    given = coded_sets(spans, transcripts)
    sets = [[frozenset(given.get(c, {}).get(u, set()) & set(codes)) for c in coders] for u in units]
    labels: dict[frozenset, int] = {}
    overall = np.array([[labels.setdefault(s, len(labels)) for s in row] for row in sets])
    per_code = {code: rating_kappa(np.array([[int(code in s) for s in row] for row in sets])) for code in codes}
    return AgreementReport(coders=coders, n_units=len(units), overall=rating_kappa(overall), per_code=per_code)
