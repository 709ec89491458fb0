"""The codebook tree: the paper's themes, user codes, YAML/JSON files."""

from __future__ import annotations

import pytest

from transcripts import Codebook, CodebookError, paper_codebook

STRATEGIES = ["increasing-cluster-compactness", "maximizing-cluster-distance", "merge-similar-classes",
              "keep-arrangement", "changed-strategy"]


def test_paper_codebook_holds_the_three_themes_and_five_strategies():
    book = paper_codebook()
    assert [t.name for t in book.themes] == ["Strategies", "Human-Model-Interaction", "User Interface"]
    assert [c.id for c in book.get("strategies").children] == STRATEGIES
    assert all(book.parent_of(code) == "strategies" for code in STRATEGIES)
    assert book.parent_of("user-interface") is None
    assert all(code.description for code, _ in book.walk())


def test_users_add_codes_and_themes():
    book = paper_codebook()
    book.add("Random Exploration", "Moving points without a plan.", parent="strategies")
    book.add("Trust", parent="human-model-interaction")
    book.add("Study Setup")
    assert book.get("random-exploration").name == "Random Exploration"
    assert book.parent_of("trust") == "human-model-interaction"
    assert book.themes[-1].id == "study-setup"


def test_duplicate_bad_and_unknown_ids_are_refused():
    book = paper_codebook()
    with pytest.raises(CodebookError, match="already in the codebook"):
        book.add("Keep Arrangement", parent="strategies")
    with pytest.raises(CodebookError, match="lower-case slug"):
        book.add("Odd", code_id="Odd Code")
    with pytest.raises(CodebookError, match="unknown code 'nope'"):
        book.add("Child", parent="nope")
    with pytest.raises(CodebookError, match="already in the codebook"):
        Codebook.from_dict({"themes": [{"id": "a", "name": "A"}, {"id": "b", "name": "B",
                                                                   "children": [{"id": "a", "name": "A2"}]}]})


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_save_and_load_round_trip(tmp_path, suffix):
    book = paper_codebook()
    book.add("Trust", "Whether the model's reaction is believed.", parent="human-model-interaction")
    loaded = Codebook.load(book.save(tmp_path / f"codes{suffix}"))
    assert loaded.to_dict() == book.to_dict()
    assert loaded.get("trust").description == "Whether the model's reaction is believed."


def test_unreadable_files_are_explained(tmp_path):
    with pytest.raises(CodebookError, match="not '.txt'"):
        paper_codebook().save(tmp_path / "codes.txt")
    broken = tmp_path / "codes.yaml"
    broken.write_text("themes: [unclosed")
    with pytest.raises(CodebookError, match="not a readable codebook"):
        Codebook.load(broken)
    nameless = tmp_path / "codes.json"
    nameless.write_text('{"themes": [{"id": "x"}]}')
    with pytest.raises(CodebookError, match="needs an 'id' and a 'name'"):
        Codebook.load(nameless)
