"""Codes applied to transcript spans by named coders, code frequencies, and quotes in the paper's form.

A span names its segments directly (first..last, inclusive) or by time; a time range covers the segments whose
midpoint lies inside it, so a segment only grazed by the range is not counted as coded.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Union

import pandas as pd

from transcripts._codebook import Codebook
from transcripts._transcript import Transcript


class CodingError(ValueError):
    """A coded span that does not fit its transcript or codebook."""


@dataclass(frozen=True)
class CodedSpan:
    """`coder` applied `code` to part of transcript `transcript_id`, given as `segments` (first, last; inclusive,
    0-based) or `times` (start, end seconds), with an optional memo."""

    transcript_id: str
    code: str
    coder: str
    segments: tuple[int, int] | None = None
    times: tuple[float, float] | None = None
    memo: str = ""

    def __post_init__(self) -> None:
        if (self.segments is None) == (self.times is None):
            raise CodingError(f"a coded span needs exactly one of segments=(first, last) or times=(start, end); "
                              f"got segments={self.segments}, times={self.times}")
        first, last = self.segments if self.segments is not None else self.times
        if last < first or first < 0:
            raise CodingError(f"span {self.segments or self.times} of code '{self.code}' by {self.coder} is "
                              "reversed or negative; give (first, last) with 0 <= first <= last")

    def segment_indices(self, transcript: Transcript) -> range | list[int]:
        """The indices of the segments this span covers in `transcript`."""
        n = len(transcript.segments)
        if self.segments is not None:
            first, last = self.segments
            if last >= n:
                raise CodingError(f"span of code '{self.code}' by {self.coder} ends at segment {last}, but "
                                  f"transcript '{self.transcript_id}' has segments 0..{n - 1}")
            return range(first, last + 1)
        start, end = self.times
        return [i for i, s in enumerate(transcript.segments) if start <= (s.start + s.end) / 2 <= end]


TranscriptInfo = Union[Transcript, Mapping[str, Any]]


def _lookup(transcripts: Mapping[str, Transcript], span: CodedSpan) -> Transcript:
    try:
        return transcripts[span.transcript_id]
    except KeyError:
        raise CodingError(f"span of code '{span.code}' by {span.coder} refers to transcript "
                          f"'{span.transcript_id}', which was not given") from None


def span_text(span: CodedSpan, transcripts: Mapping[str, Transcript]) -> str:
    """The words of the segments a span covers, joined by spaces."""
    transcript = _lookup(transcripts, span)
    return " ".join(transcript.segments[i].text.strip() for i in span.segment_indices(transcript)).strip()


def format_quote(text: str, participant: str) -> str:
    """A quote as the paper prints it: “Now my strategy is ...” (P13)."""
    return f"\u201c{text.strip()}\u201d ({participant})"


def quotes(spans: Iterable[CodedSpan], transcripts: Mapping[str, Transcript], code: str | None = None,
           coder: str | None = None) -> list[str]:
    """Formatted quotes of the spans (of one code and/or coder if given), in transcript and time order.

    The participant comes from each transcript's `meta["participant"]` (the transcript id when missing). Pass
    corrected transcripts (see `apply_edits`) to quote the corrected words.
    """
    chosen = [s for s in spans if (code is None or s.code == code) and (coder is None or s.coder == coder)]
    chosen.sort(key=lambda s: (s.transcript_id, min(s.segment_indices(_lookup(transcripts, s)), default=-1)))
    out = []
    for span in chosen:
        transcript = _lookup(transcripts, span)
        text = span_text(span, transcripts)
        if text:
            out.append(format_quote(text, str(transcript.meta.get("participant", span.transcript_id))))
    return out


def _meta(info: TranscriptInfo) -> Mapping[str, Any]:
    return info.meta if isinstance(info, Transcript) else info


def check_codes(spans: Iterable[CodedSpan], codebook: Codebook) -> None:
    """Raise CodingError naming every span whose code is not in the codebook."""
    known = set(codebook.ids())
    unknown = sorted({s.code for s in spans if s.code not in known})
    if unknown:
        raise CodingError(f"codes not in the codebook: {', '.join(unknown)}; add them to the codebook first")


def code_frequencies(spans: Iterable[CodedSpan], transcripts: Mapping[str, TranscriptInfo],
                     codebook: Codebook | None = None, coder: str | None = None, rollup: bool = False,
                     by: Sequence[str] = ("participant", "scenario")) -> pd.DataFrame:
    """How often each code was applied, per participant and scenario (rows) and code (columns).

    `transcripts` maps transcript id to a Transcript (its `meta`) or directly to a metadata mapping with the `by`
    keys. Counts are applications (spans), so pass one coder's spans (`coder=`) or the agreed coding where parts
    were coded twice. With a codebook every code gets a column (zeros included) and with `rollup=True` a span
    also counts for every theme/code above its code.
    """
    spans = [s for s in spans if coder is None or s.coder == coder]
    if codebook is not None:
        check_codes(spans, codebook)
    rows = []
    for span in spans:
        if span.transcript_id not in transcripts:
            raise CodingError(f"no metadata for transcript '{span.transcript_id}' (needed for {', '.join(by)})")
        meta = _meta(transcripts[span.transcript_id])
        keys = {k: meta.get(k, "unknown") for k in by}
        code: str | None = span.code
        while code is not None:
            rows.append({**keys, "code": code})
            code = codebook.parent_of(code) if rollup and codebook is not None else None
    columns = codebook.ids() if codebook is not None else sorted({r["code"] for r in rows})
    if not rows:
        return pd.DataFrame(columns=columns, dtype=int).rename_axis(index=None, columns="code")
    table = pd.crosstab([pd.Series([r[k] for r in rows], name=k) for k in by],
                        pd.Series([r["code"] for r in rows], name="code"))
    return table.reindex(columns=columns, fill_value=0).astype(int)
