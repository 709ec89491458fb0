"""Codes applied to transcript spans by named coders, code frequencies, and quotes in the paper's form.

A span names its segments directly (first..last, inclusive) or by time; a time range covers the segments whose
midpoint lies inside it, so a segment only grazed by the range is not counted as coded. A span given by segments
may narrow to characters (`chars`: the offset into the first segment's text and the end offset into the last
segment's text), which is how a coder selecting words in a QDA tool codes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Union

import pandas as pd

from transcripts._codebook import Codebook
from transcripts._transcript import Segment, Transcript


class CodingError(ValueError):
    """A coded span that does not fit its transcript or codebook."""


@dataclass(frozen=True)
class CodedSpan:
    """`coder` applied `code` to part of transcript `transcript_id`, given as `segments` (first, last; inclusive,
    0-based) or `times` (start, end seconds), with an optional memo. `chars` (start offset in the first segment's
    text, end offset in the last one's, end exclusive) narrows a segment span to the selected text."""

    transcript_id: str
    code: str
    coder: str
    segments: tuple[int, int] | None = None
    times: tuple[float, float] | None = None
    memo: str = ""
    chars: tuple[int, int] | None = None

    def __post_init__(self) -> None:
        if (self.segments is None) == (self.times is None):
            raise CodingError(f"a coded span needs exactly one of segments=(first, last) or times=(start, end); "
                              f"got segments={self.segments}, times={self.times}")
        first, last = self.segments if self.segments is not None else self.times
        if last < first or first < 0:
            raise CodingError(f"span {self.segments or self.times} of code '{self.code}' by {self.coder} is "
                              "reversed or negative; give (first, last) with 0 <= first <= last")
        if self.chars is not None:
            start, end = self.chars
            if self.segments is None or start < 0 or end < 0 or (first == last and end <= start):
                raise CodingError(f"characters {start}..{end} of code '{self.code}' by {self.coder} do not select "
                                  "any text; give them with segments, start before end within one segment")

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
    """The text a span covers: the selected characters, or the whole segments joined by spaces."""
    transcript = _lookup(transcripts, span)
    indices = list(span.segment_indices(transcript))
    texts = [transcript.segments[i].text for i in indices]
    if span.chars is not None and texts:
        start, end = span.chars
        if len(texts) == 1:
            texts[0] = texts[0][start:end]
        else:
            texts[0], texts[-1] = texts[0][start:], texts[-1][:end]
    return " ".join(t.strip() for t in texts if t.strip()).strip()


def span_times(span: CodedSpan, transcript: Transcript) -> tuple[float, float]:
    """(start, end) seconds of a span: its segments' times, narrowed by word times when the span selects
    characters and the segments carry word timestamps."""
    indices = list(span.segment_indices(transcript))
    if not indices:
        return (span.times or (0.0, 0.0))
    first, last = transcript.segments[indices[0]], transcript.segments[indices[-1]]
    start, end = first.start, last.end
    if span.chars is not None:
        start = _char_time(first, span.chars[0], first.start, at_end=False)
        end = _char_time(last, span.chars[1], last.end, at_end=True)
    return start, max(start, end)


def _char_time(segment: Segment, offset: int, default: float, at_end: bool) -> float:
    """The start (or end) time of the word holding character `offset` of the segment's text."""
    position = 0
    for word in segment.words:
        text = word.word.strip()
        found = segment.text.find(text, position) if text else -1
        if found < 0:
            return default  # the text was corrected: word times no longer line up
        position = found + len(text)
        if (at_end and position >= offset) or (not at_end and position > offset):
            return word.end if at_end else word.start
    return default


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


def quote_rows(spans: Iterable[CodedSpan], transcripts: Mapping[str, Transcript]) -> pd.DataFrame:
    """One row per coded span: participant, scenario, code, coder, start_s, end_s, quote, memo, transcript.

    The table a qualitative report cites from; time order within each transcript."""
    rows = []
    for span in spans:
        transcript = _lookup(transcripts, span)
        start, end = span_times(span, transcript)
        rows.append({"participant": str(transcript.meta.get("participant", span.transcript_id)),
                     "scenario": transcript.meta.get("scenario"), "code": span.code, "coder": span.coder,
                     "start_s": round(start, 2), "end_s": round(end, 2), "quote": span_text(span, transcripts),
                     "memo": span.memo, "transcript": span.transcript_id})
    columns = ["participant", "scenario", "code", "coder", "start_s", "end_s", "quote", "memo", "transcript"]
    frame = pd.DataFrame.from_records(rows, columns=columns)
    return frame.sort_values(["participant", "transcript", "start_s", "code"], kind="stable").reset_index(drop=True)


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
