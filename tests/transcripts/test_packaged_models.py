"""The packaged Whisper models: assembled from their registry packages on first use, every file checked against
its pinned sha256 before a model is loaded, and a mismatch refused with the fix."""

from __future__ import annotations

import hashlib
import sys

import pytest

from transcripts import TranscriberUnavailable
from transcripts._models import DEFAULT_MODEL, MODELS, ModelIntegrityError, ModelSpec, Part, model_dir, verify


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def packaged(tmp_path, monkeypatch):
    """A model split over two importable packages, registered as "toy", with the cache in tmp_path."""
    parts = {"toy_part_a": b"first half of the weights|", "toy_part_b": b"second half"}
    for name, data in parts.items():
        folder = tmp_path / "site" / name / "data"
        folder.mkdir(parents=True)
        (folder.parent / "__init__.py").write_text("")
        (folder / "model.bin.part").write_bytes(data)
    (tmp_path / "site" / "toy_part_b" / "data" / "config.json").write_text("{}")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.setenv("HILL_MODEL_CACHE", str(tmp_path / "cache"))
    whole = parts["toy_part_a"] + parts["toy_part_b"]
    spec = ModelSpec(name="toy", packages=("toy-part-a==1", "toy-part-b==1"),
                     files={"model.bin": (Part("toy_part_a", "data/model.bin.part"),
                                          Part("toy_part_b", "data/model.bin.part")),
                            "config.json": (Part("toy_part_b", "data/config.json"),)},
                     sha256={"model.bin": _sha(whole), "config.json": _sha(b"{}")})
    monkeypatch.setitem(MODELS, "toy", spec)
    yield spec, whole
    for name in parts:
        sys.modules.pop(name, None)


def test_parts_are_joined_once_into_the_cache_and_verified(packaged, tmp_path):
    spec, whole = packaged
    directory = model_dir("toy")
    assert directory.parent == tmp_path / "cache" and (directory / "model.bin").read_bytes() == whole
    assert sorted(p.name for p in directory.iterdir()) == ["config.json", "model.bin"]
    assert model_dir("toy") == directory  # the second use finds it assembled
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [directory.name]  # no temporary left behind


def test_a_corrupt_cache_is_refused_with_the_fix(packaged):
    _, whole = packaged
    directory = model_dir("toy")
    (directory / "model.bin").write_bytes(b"other weights")
    with pytest.raises(ModelIntegrityError, match="has sha256 .* not the pinned .* it was not loaded") as info:
        model_dir("toy")
    assert f"Delete {directory}" in str(info.value)
    (directory / "model.bin").write_bytes(whole)
    (directory / "config.json").unlink()
    with pytest.raises(ModelIntegrityError, match="lacks config.json"):
        model_dir("toy")


def test_changed_package_contents_never_reach_the_cache(packaged, tmp_path, monkeypatch):
    spec, _ = packaged
    monkeypatch.setitem(MODELS, "toy", ModelSpec(spec.name, spec.packages, spec.files,
                                                 {**spec.sha256, "model.bin": "0" * 64}))
    with pytest.raises(ModelIntegrityError, match="toy-part-a==1 toy-part-b==1 --force-reinstall"):
        model_dir("toy")
    assert not any((tmp_path / "cache").iterdir())


def test_a_missing_package_names_what_to_install(packaged, monkeypatch):
    spec, _ = packaged
    monkeypatch.setitem(MODELS, "toy", ModelSpec(spec.name, ("toy-gone==1",),
                                                 {"model.bin": (Part("toy_gone_package", "data/x"),)},
                                                 {"model.bin": "0" * 64}))
    with pytest.raises(TranscriberUnavailable, match="pip install toy-gone==1"):
        model_dir("toy")


def test_the_shipped_models_match_their_pins():
    for name, spec in MODELS.items():
        for module in {part.module for parts in spec.files.values() for part in parts}:
            pytest.importorskip(module, reason=f"the {name} model package is not installed")
        verify(spec, model_dir(name))
    assert DEFAULT_MODEL == "base"
