"""REFI-QDA export: the .qdpx a coder opens in QualCoder, NVivo, ATLAS.ti or MAXQDA, read back by an independent
reader (pyrefiqda, whose models are generated from the QDA-XML project schema and check GUIDs, colours and
required attributes)."""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime

import pytest

from transcripts import CodedSpan, Codebook, CodingError, Segment, Transcript
from transcripts._refiqda import source_text, write_qdpx

pyrefiqda = pytest.importorskip("pyrefiqda", reason="the pyrefiqda reader is not installed (test extra)")


def transcript(key: str, participant: str, texts: list[str]) -> Transcript:
    segments = tuple(Segment(4.0 * i, 4.0 * i + 3.5, t) for i, t in enumerate(texts))
    return Transcript(segments=segments, language="en", duration=4.0 * len(texts), backend="faster-whisper",
                      model="base", id=key, meta={"participant": participant, "scenario": "digits"})


@pytest.fixture
def project(tmp_path):
    book = Codebook()
    book.add("Strategies", "How participants reshaped the latent space.")
    book.add("Merge Similar Classes", "Moving related classes together.", parent="strategies")
    book.add("User Interface", "Features, layout and feedback.")
    texts = {"1": transcript("1", "P01", ["I put the cats next to the dogs.", "The buttons are clear."]),
             "2": transcript("2", "P02", ["Ünïcode stays intact: deer and horse."])}
    spans = [CodedSpan("1", "merge-similar-classes", "ada", segments=(0, 0), chars=(10, 31), memo="animals"),
             CodedSpan("1", "user-interface", "ben", segments=(1, 1)),
             CodedSpan("2", "merge-similar-classes", "ada", segments=(0, 0), chars=(22, 36)),
             CodedSpan("1", "strategies", "ben", segments=(0, 1))]
    path = write_qdpx(tmp_path / "study.qdpx", "pilot", book, texts, spans,
                      created=datetime(2026, 12, 1, tzinfo=UTC))
    return path, texts, spans, tmp_path


def test_the_project_reads_back_with_codes_sources_and_coded_selections(project):
    path, texts, spans, tmp_path = project
    read = pyrefiqda.RefiProject.load(path, extract_dir=str(tmp_path / "out"))
    top = read.code_book.codes.code
    assert [c.name for c in top] == ["Strategies", "User Interface"]
    assert [c.name for c in top[0].code] == ["Merge Similar Classes"]
    assert top[0].description == "How participants reshaped the latent space."
    assert {u.name for u in read.users.user} == {"ada", "ben"}
    sources = read.sources.text_source
    assert len(sources) == 2 and sum(len(s.plain_text_selection) for s in sources) == len(spans)
    guid_to_name = {c.guid: c.name for c in top} | {c.guid: c.name for c in top[0].code}
    quotes = {}
    for source in sources:
        text = (tmp_path / "out" / "sources" / source.plain_text_path.removeprefix("internal://")).read_text("utf-8")
        for chosen in source.plain_text_selection:
            code = guid_to_name[chosen.coding[0].code_ref.target_guid]
            quotes.setdefault(code, []).append(text[chosen.start_position:chosen.end_position])
    assert sorted(quotes["Merge Similar Classes"]) == ["cats next to the dogs", "deer and horse"]
    assert quotes["User Interface"] == ["The buttons are clear."]
    assert quotes["Strategies"] == ["I put the cats next to the dogs.\n[00:00:04] The buttons are clear."]


def test_memos_travel_as_selection_descriptions_and_guids_are_stable(project, tmp_path):
    path, texts, spans, _ = project
    read = pyrefiqda.RefiProject.load(path, extract_dir=str(tmp_path / "a"))
    memos = [s.description for src in read.sources.text_source for s in src.plain_text_selection if s.description]
    assert memos == ["animals"]
    book = Codebook()
    book.add("Strategies")
    book.add("Merge Similar Classes", parent="strategies")
    book.add("User Interface")
    again = write_qdpx(tmp_path / "again.qdpx", "pilot", book, texts, spans,
                       created=datetime(2026, 12, 1, tzinfo=UTC))
    second = pyrefiqda.RefiProject.load(again, extract_dir=str(tmp_path / "b"))
    assert [s.guid for s in second.sources.text_source] == [s.guid for s in read.sources.text_source]


def test_the_archive_holds_the_xml_and_one_text_per_source(project):
    path, texts, _, _ = project
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        assert "project.qde" in names and sum(n.startswith("sources/") for n in names) == len(texts)
        assert b'xmlns="urn:QDA-XML:project:1.0"' in archive.read("project.qde")
    assert source_text(texts["1"]).text.splitlines()[1] == "[00:00:04] The buttons are clear."


def test_unknown_codes_and_wrong_suffix_are_refused(tmp_path):
    book = Codebook()
    book.add("User Interface")
    texts = {"1": transcript("1", "P01", ["fine"])}
    with pytest.raises(CodingError, match="not in the codebook: nope"):
        write_qdpx(tmp_path / "x.qdpx", "s", book, texts, [CodedSpan("1", "nope", "ada", segments=(0, 0))])
    with pytest.raises(CodingError, match=r"\.qdpx"):
        write_qdpx(tmp_path / "x.zip", "s", book, texts, [])
