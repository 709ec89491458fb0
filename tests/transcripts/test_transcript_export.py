"""Exports: exact SRT/WebVTT timing format, TXT, and a lossless JSON round trip."""

from __future__ import annotations

import json

import pytest

from transcripts import (
    Segment,
    Transcript,
    TranscriptFormatError,
    Word,
    export,
    format_timestamp,
    load_transcript,
    to_srt,
    to_txt,
    to_vtt,
    write_transcript,
)


def _transcript() -> Transcript:
    return Transcript(
        segments=(
            Segment(0.0, 2.5, " Let's get the airplane away from the bird.",
                    words=(Word(0.0, 0.4, " Let's", 0.9), Word(0.4, 0.7, " get", 0.8))),
            Segment(3661.0015, 3663.9996, "It's not so much a black box anymore"),
            Segment(3664.0, 3665.0, "   "),
        ),
        language="en", duration=3700.0, backend="fake", model="scripted",
        settings={"beam_size": 5, "temperature": [0.0, 0.2]}, source="P2.wav", id="p2-cifar",
        meta={"participant": "P2", "scenario": "cifar10"},
    )


@pytest.mark.parametrize("seconds, marker, expected", [
    (0.0, ",", "00:00:00,000"),
    (1.0004, ",", "00:00:01,000"),
    (1.0006, ",", "00:00:01,001"),
    (59.9996, ".", "00:01:00.000"),
    (3661.25, ".", "01:01:01.250"),
    (36000.007, ",", "10:00:00,007"),
])
def test_timestamps(seconds, marker, expected):
    assert format_timestamp(seconds, marker) == expected


def test_negative_timestamp_is_an_error():
    with pytest.raises(ValueError, match="negative"):
        format_timestamp(-0.1)


def test_srt_is_exact():
    assert to_srt(_transcript()) == (
        "1\n00:00:00,000 --> 00:00:02,500\nLet's get the airplane away from the bird.\n"
        "\n"
        "2\n01:01:01,002 --> 01:01:04,000\nIt's not so much a black box anymore\n"
    )


def test_vtt_is_exact():
    assert to_vtt(_transcript()) == (
        "WEBVTT\n\n"
        "00:00:00.000 --> 00:00:02.500\nLet's get the airplane away from the bird.\n"
        "\n"
        "01:01:01.002 --> 01:01:04.000\nIt's not so much a black box anymore\n"
    )


def test_blank_lines_inside_text_cannot_end_a_cue():
    transcript = Transcript((Segment(0, 1, "first line\n\nsecond line"),), "en", 1.0, "fake", "m")
    assert to_srt(transcript) == "1\n00:00:00,000 --> 00:00:01,000\nfirst line\nsecond line\n"


def test_txt_has_one_line_per_spoken_segment():
    assert to_txt(_transcript()) == "Let's get the airplane away from the bird.\nIt's not so much a black box anymore\n"


def test_json_round_trip_keeps_everything(tmp_path):
    original = _transcript()
    path = write_transcript(original, tmp_path / "p2.json")
    assert json.loads(path.read_text())["format"] == "hill-dash.transcript/1"
    loaded = load_transcript(path)
    assert loaded == original
    assert loaded.segments[0].words[1] == Word(0.4, 0.7, " get", 0.8)
    assert loaded.meta["participant"] == "P2"


def test_unknown_format_and_foreign_json_are_explained():
    with pytest.raises(ValueError, match="choose one of txt, srt, vtt, json"):
        export(_transcript(), "docx")
    with pytest.raises(TranscriptFormatError, match="not a hill-dash transcript"):
        Transcript.from_json('{"segments": []}')
    with pytest.raises(TranscriptFormatError, match="not valid JSON"):
        Transcript.from_json("{")
    with pytest.raises(TranscriptFormatError, match="malformed"):
        Transcript.from_json('{"format": "hill-dash.transcript/1", "segments": [{"start": 0}], "duration": 1,'
                             ' "backend": "x", "model": "y"}')
