"""The scripted backend that layers above use in fast tests: it still decodes audio for real."""

from __future__ import annotations

import numpy as np
import pytest
from audio_files import write_audio

from transcripts import AudioError, DecodeOptions, get_transcriber


def test_script_is_clipped_to_the_audio_and_words_are_timed(tmp_path):
    fake = get_transcriber("fake", script=[(0.0, 1.0, "hello there"), (1.0, 9.0, "long tail"), (9.0, 10.0, "gone")])
    transcript = fake.transcribe(write_audio(tmp_path / "a.webm", seconds=2.0), word_timestamps=True)
    assert [s.text for s in transcript.segments] == ["hello there", "long tail"]
    assert transcript.segments[1].end == pytest.approx(2.0, abs=0.06)
    assert [(w.start, w.end, w.word) for w in transcript.segments[0].words] == [(0.0, 0.5, " hello"),
                                                                               (0.5, 1.0, " there")]
    assert transcript.backend == "fake" and transcript.source.endswith("a.webm")


def test_handler_sees_the_samples_and_options():
    seen = {}

    def handler(samples: np.ndarray, options: DecodeOptions):
        seen.update(n=samples.size, beam=options.beam_size)
        return [(0.0, samples.size / 16_000, f"{samples.size} samples")]

    fake = get_transcriber("fake", handler=handler)
    transcript = fake.transcribe(np.zeros(8000, np.float32), options=DecodeOptions(beam_size=2), language="de")
    assert seen == {"n": 8000, "beam": 2}
    assert transcript.text == "8000 samples" and transcript.language == "de"
    assert transcript.settings["beam_size"] == 2 and transcript.settings["decoder"] == "array"


def test_bad_audio_fails_as_with_a_real_backend(tmp_path):
    bad = tmp_path / "x.mp3"
    bad.write_bytes(b"\x00" * 1000)
    with pytest.raises(AudioError):
        get_transcriber("fake").transcribe(bad)
