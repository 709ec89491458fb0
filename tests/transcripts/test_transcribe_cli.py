"""`hill-dash transcribe`: outputs per format, a JSON summary as the last line, bad files reported one by one.

Most tests run the fake backend (no model) so they check the command itself; one runs the real offline model.
"""

from __future__ import annotations

import json

import pytest
from audio_files import write_audio
from click.testing import CliRunner

from hill_dash.cli import main
from hill_dash.cli import transcribe as command
from transcripts import DEFAULT_MODEL, Transcript, get_transcriber, load_transcript, to_srt
from transcripts._fake import DEFAULT_SCRIPT
from transcripts._speech import SENTENCES, espeak_available, spoken_sentences, word_error_rate, write_wav


@pytest.fixture
def fake_backend(monkeypatch):
    calls = []

    def fake(backend, model=None, **opts):
        calls.append((backend, model, opts))
        return get_transcriber("fake", model)

    monkeypatch.setattr(command, "get_transcriber", fake)
    return calls


def _last_json(output: str) -> dict:
    return json.loads(output.strip().splitlines()[-1])


def test_good_files_are_written_and_bad_ones_reported(tmp_path, fake_backend):
    good = write_audio(tmp_path / "P13.ogg", seconds=3.0)
    other = write_audio(tmp_path / "P14.m4a", seconds=5.0)
    bad = tmp_path / "notes.wav"
    bad.write_text("not a recording\n" * 30)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["transcribe", str(good), str(bad), str(other), "--format", "srt",
                                       "--format", "json", "--out", str(out), "--json", "--beam-size", "1"])
    assert result.exit_code == 1, result.output
    summary = _last_json(result.stdout)
    assert summary["failed"] == 1 and summary["backend"] == "faster-whisper" and summary["model"] == "scripted"
    by_input = {f["input"]: f for f in summary["files"]}
    assert "not a readable audio file" in by_input[str(bad)]["error"]
    assert by_input[str(good)]["duration"] == pytest.approx(3.0, abs=0.06)
    assert by_input[str(other)]["segments"] == 3
    assert summary["outputs"] == [str(out / "P13.srt"), str(out / "P13.json"), str(out / "P14.srt"),
                                  str(out / "P14.json")]
    assert summary["languages"] == ["en"]
    assert summary["rtf"] == pytest.approx(summary["wall_seconds"] / summary["audio_seconds"])
    saved = load_transcript(out / "P14.json")
    assert [s.text for s in saved.segments] == [text for _, _, text in DEFAULT_SCRIPT]
    assert (out / "P14.srt").read_text() == to_srt(saved)
    assert fake_backend[0][2]["options"].beam_size == 1


def test_outputs_default_next_to_inputs_and_same_stems_do_not_collide(tmp_path, fake_backend):
    (tmp_path / "a").mkdir()
    first = write_audio(tmp_path / "a" / "P2.wav")
    second = write_audio(tmp_path / "P2.mp3")
    result = CliRunner().invoke(main, ["transcribe", str(first), str(second), "--format", "vtt"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "a" / "P2.vtt").read_text().startswith("WEBVTT\n\n00:00:00.000 --> 00:00:01.500\n")
    assert (tmp_path / "P2.vtt").exists()
    shared = tmp_path / "shared"
    result = CliRunner().invoke(main, ["transcribe", str(first), str(second), "--out", str(shared), "--json"])
    assert _last_json(result.stdout)["outputs"] == [str(shared / "P2.json"), str(shared / "P2-1.json")]


def test_model_that_cannot_load_stops_the_command_with_the_reason(tmp_path):
    audio = write_audio(tmp_path / "P1.wav")
    result = CliRunner().invoke(main, ["transcribe", str(audio), "--model", "large-v3", "--json"])
    assert result.exit_code != 0
    assert "not in the local model cache" in result.output
    assert not (tmp_path / "P1.json").exists()


@pytest.mark.speech
def test_real_offline_model_end_to_end(tmp_path):
    if not espeak_available():
        pytest.skip("espeak-ng is not installed (apt-get install espeak-ng)")
    audio = write_wav(spoken_sentences(SENTENCES[1:3]).samples, tmp_path / "P6.wav")
    result = CliRunner().invoke(main, ["transcribe", str(audio), "--format", "txt", "--format", "json",
                                       "--word-timestamps", "--language", "en", "--threads", "2", "--json"])
    assert result.exit_code == 0, result.output
    summary = _last_json(result.stdout)
    assert summary["model"] == DEFAULT_MODEL and summary["languages"] == ["en"]
    transcript: Transcript = load_transcript(tmp_path / "P6.json")
    assert transcript.segments[0].words, "word timestamps were requested"
    wer = word_error_rate(" ".join(SENTENCES[1:3]), (tmp_path / "P6.txt").read_text())
    assert wer <= 0.2, f"word error rate {wer:.1%} (measured 0% on these 21 words: four more may go wrong)"
