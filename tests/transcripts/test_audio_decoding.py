"""Decoding real containers to 16 kHz mono, and rejecting what is not audio."""

from __future__ import annotations

import numpy as np
import pytest
from audio_files import CONTAINERS, write_audio

from transcripts import SAMPLE_RATE, AudioError, check_upload, decode_audio
from transcripts._audio import as_samples


def _peak_hz(samples: np.ndarray) -> float:
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(samples.size)))
    return float(np.fft.rfftfreq(samples.size, 1 / SAMPLE_RATE)[np.argmax(spectrum)])


@pytest.mark.parametrize("ext", sorted(CONTAINERS))
def test_each_container_decodes_to_16k_mono_with_pitch_kept(tmp_path, ext):
    path = write_audio(tmp_path / f"tone.{ext}", seconds=1.5, freq=440.0)
    samples, duration = decode_audio(path)
    assert samples.dtype == np.float32 and samples.ndim == 1
    assert duration == pytest.approx(1.5, abs=0.06)
    assert samples.size == pytest.approx(1.5 * SAMPLE_RATE, abs=0.06 * SAMPLE_RATE)
    assert _peak_hz(samples) == pytest.approx(440.0, abs=3.0)
    assert 0.3 < np.max(np.abs(samples)) <= 1.0


def test_content_not_extension_decides(tmp_path):
    mislabeled = write_audio(tmp_path / "tone.ogg").rename(tmp_path / "tone.wav")
    samples, _ = decode_audio(mislabeled)
    assert _peak_hz(samples) == pytest.approx(440.0, abs=3.0)
    from_bytes, duration = decode_audio(mislabeled.read_bytes())
    assert duration == pytest.approx(1.5, abs=0.06) and from_bytes.size == samples.size


def test_text_file_named_wav_is_rejected(tmp_path):
    fake = tmp_path / "notes.wav"
    fake.write_text("these are my interview notes, not a recording\n" * 20)
    with pytest.raises(AudioError, match="not a readable audio file"):
        decode_audio(fake)
    with pytest.raises(AudioError, match="not a readable audio file"):
        check_upload(fake.read_bytes(), max_bytes=10**6)


def test_empty_input_is_rejected(tmp_path):
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    with pytest.raises(AudioError, match="empty"):
        decode_audio(empty)
    with pytest.raises(AudioError, match="empty"):
        check_upload(b"", max_bytes=100)


def test_missing_file_is_named(tmp_path):
    with pytest.raises(AudioError, match="does not exist"):
        decode_audio(tmp_path / "nowhere.mp3")


def test_truncated_file_is_rejected(tmp_path):
    data = write_audio(tmp_path / "tone.m4a").read_bytes()
    with pytest.raises(AudioError):
        decode_audio(data[:200])


def test_upload_over_the_limit_is_rejected_before_decoding(tmp_path):
    path = write_audio(tmp_path / "tone.wav")
    size = path.stat().st_size
    with pytest.raises(AudioError, match="over the limit"):
        check_upload(path, max_bytes=size - 1)
    with pytest.raises(AudioError, match="over the limit"):
        check_upload(b"x" * 2048, max_bytes=1024)  # not audio either: the size is what is reported


def test_accepted_upload_reports_size_container_and_length(tmp_path):
    path = write_audio(tmp_path / "tone.webm", seconds=2.0)
    info = check_upload(path.read_bytes(), max_bytes=path.stat().st_size)
    assert info.size_bytes == path.stat().st_size
    assert "webm" in info.container
    assert info.duration == pytest.approx(2.0, abs=0.06)


def test_arrays_are_checked():
    assert as_samples(np.zeros(160, dtype=np.float64)).dtype == np.float32
    with pytest.raises(AudioError, match="1-D"):
        as_samples(np.zeros((2, 160), dtype=np.float32))
    with pytest.raises(AudioError, match="NaN"):
        as_samples(np.array([0.0, np.nan], dtype=np.float32))
    with pytest.raises(AudioError, match="empty"):
        as_samples(np.zeros(0, dtype=np.float32))
