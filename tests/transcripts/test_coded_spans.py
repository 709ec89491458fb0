"""Codes applied to transcript spans: segment and time ranges, frequencies, quotes in the paper's form."""

from __future__ import annotations

import pandas as pd
import pytest

from transcripts import CodedSpan, CodingError, Segment, Transcript, code_frequencies, paper_codebook, quotes


def _transcript(tid: str, participant: str, scenario: str, texts: list[str]) -> Transcript:
    segments = tuple(Segment(2.0 * i, 2.0 * i + 2.0, t) for i, t in enumerate(texts))
    return Transcript(segments, "en", 2.0 * len(texts), "fake", "scripted", id=tid,
                      meta={"participant": participant, "scenario": scenario})


@pytest.fixture
def transcripts() -> dict[str, Transcript]:
    p13 = _transcript("p13-cifar", "P13", "cifar10", ["Now my strategy is to cluster them", "near to the exact center.",
                                                      "Okay, next round."])
    p14 = _transcript("p14-cifar", "P14", "cifar10", ["Let's get the airplane away from the bird.", "Hmm."])
    p14b = _transcript("p14-pamap", "P14", "pamap2", ["I think walking is great.", "So I'll not move it at all."])
    return {t.id: t for t in (p13, p14, p14b)}


def test_time_range_covers_segments_by_midpoint(transcripts):
    t = transcripts["p13-cifar"]  # segment midpoints at 1, 3, 5 s
    assert list(CodedSpan("p13-cifar", "keep-arrangement", "anna", times=(0.5, 3.2)).segment_indices(t)) == [0, 1]
    assert list(CodedSpan("p13-cifar", "keep-arrangement", "anna", times=(1.5, 2.9)).segment_indices(t)) == []
    assert list(CodedSpan("p13-cifar", "keep-arrangement", "anna", segments=(1, 2)).segment_indices(t)) == [1, 2]


def test_invalid_spans_are_explained(transcripts):
    with pytest.raises(CodingError, match="exactly one of"):
        CodedSpan("p13-cifar", "x", "anna")
    with pytest.raises(CodingError, match="reversed or negative"):
        CodedSpan("p13-cifar", "x", "anna", segments=(2, 1))
    with pytest.raises(CodingError, match="has segments 0..2"):
        CodedSpan("p13-cifar", "x", "anna", segments=(1, 5)).segment_indices(transcripts["p13-cifar"])


def test_quotes_in_the_papers_form(transcripts):
    spans = [
        CodedSpan("p14-cifar", "maximizing-cluster-distance", "anna", segments=(0, 0), memo="whole class"),
        CodedSpan("p13-cifar", "increasing-cluster-compactness", "anna", segments=(0, 1)),
        CodedSpan("p14-pamap", "keep-arrangement", "ben", times=(0.0, 4.0)),
    ]
    assert quotes(spans, transcripts, coder="anna") == [
        "\u201cNow my strategy is to cluster them near to the exact center.\u201d (P13)",
        "\u201cLet's get the airplane away from the bird.\u201d (P14)",
    ]
    assert quotes(spans, transcripts, code="keep-arrangement") == [
        "\u201cI think walking is great. So I'll not move it at all.\u201d (P14)"]


def test_code_frequencies_per_participant_and_scenario(transcripts):
    spans = [
        CodedSpan("p13-cifar", "increasing-cluster-compactness", "anna", segments=(0, 1)),
        CodedSpan("p13-cifar", "increasing-cluster-compactness", "anna", segments=(2, 2)),
        CodedSpan("p14-cifar", "maximizing-cluster-distance", "anna", segments=(0, 0)),
        CodedSpan("p14-pamap", "keep-arrangement", "anna", segments=(0, 1)),
        CodedSpan("p14-pamap", "user-interface", "anna", segments=(1, 1)),
        CodedSpan("p14-pamap", "keep-arrangement", "ben", segments=(0, 1)),
    ]
    table = code_frequencies(spans, transcripts, paper_codebook(), coder="anna")
    assert list(table.index) == [("P13", "cifar10"), ("P14", "cifar10"), ("P14", "pamap2")]
    assert list(table.columns) == paper_codebook().ids()
    assert table.loc[("P13", "cifar10"), "increasing-cluster-compactness"] == 2
    assert table.loc[("P14", "pamap2")].to_dict()["keep-arrangement"] == 1
    assert table.loc[("P14", "cifar10"), "strategies"] == 0
    assert int(table.to_numpy().sum()) == 5

    rolled = code_frequencies(spans, transcripts, paper_codebook(), coder="anna", rollup=True)
    assert rolled["strategies"].tolist() == [2, 1, 1]
    assert int(rolled["user-interface"].sum()) == 1

    both = code_frequencies(spans, {k: dict(v.meta) for k, v in transcripts.items()}, by=("scenario",))
    pd.testing.assert_series_equal(both["keep-arrangement"], pd.Series([0, 2], index=pd.Index(
        ["cifar10", "pamap2"], name="scenario"), name="keep-arrangement"))


def test_frequencies_refuse_codes_outside_the_codebook(transcripts):
    spans = [CodedSpan("p13-cifar", "made-up", "anna", segments=(0, 0))]
    with pytest.raises(CodingError, match="made-up"):
        code_frequencies(spans, transcripts, paper_codebook())
    with pytest.raises(CodingError, match="no metadata for transcript 'other'"):
        code_frequencies([CodedSpan("other", "x", "anna", segments=(0, 0))], transcripts)
