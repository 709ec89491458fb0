"""A study's coded transcripts as a REFI-QDA project (`.qdpx`), the exchange format of QualCoder, NVivo, ATLAS.ti
and MAXQDA.

A `.qdpx` file is a zip archive holding `project.qde` (QDA-XML, namespace urn:QDA-XML:project:1.0) and the plain
text of every source under `sources/`. Each transcript becomes a TextSource whose text has one line per segment,
"[hh:mm:ss] text", so a coder in the other tool still sees when things were said; each coded span becomes a
PlainTextSelection (character positions in that text) carrying a Coding of its code and, as its Description, the
coding's memo. Coders become Users. GUIDs are derived from the study name and the ids, so exporting twice gives
the same GUIDs and another tool can merge the two.
"""

from __future__ import annotations

import os
import uuid
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree as ET

from transcripts._codebook import Codebook
from transcripts._coding import CodedSpan, CodingError
from transcripts._transcript import Transcript

NAMESPACE = "urn:QDA-XML:project:1.0"
PALETTE = ("#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6", "#9a6324", "#469990",
           "#808000", "#000075", "#e6beff")


def code_color(index: int) -> str:
    """A distinct colour for the `index`-th code (the palette repeats after twelve)."""
    return PALETTE[index % len(PALETTE)]


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


@dataclass(frozen=True)
class SourceText:
    """A transcript's plain text and where each segment's text starts in it."""

    text: str
    offsets: tuple[int, ...]


def source_text(transcript: Transcript) -> SourceText:
    """One line per segment, "[hh:mm:ss] text"."""
    lines, offsets, position = [], [], 0
    for segment in transcript.segments:
        prefix = f"[{_clock(segment.start)}] "
        offsets.append(position + len(prefix))
        line = prefix + segment.text
        lines.append(line)
        position += len(line) + 1
    return SourceText("\n".join(lines) + ("\n" if lines else ""), tuple(offsets))


def selection(span: CodedSpan, transcript: Transcript, text: SourceText) -> tuple[int, int]:
    """(startPosition, endPosition) of a coded span in the source text (end exclusive)."""
    indices = list(span.segment_indices(transcript))
    if not indices:
        raise CodingError(f"span of code '{span.code}' by {span.coder} covers no segment of transcript "
                          f"'{span.transcript_id}'")
    first, last = indices[0], indices[-1]
    last_len = len(transcript.segments[last].text)
    start_char, end_char = span.chars if span.chars is not None else (0, last_len)
    start = text.offsets[first] + min(start_char, len(transcript.segments[first].text))
    end = text.offsets[last] + min(end_char, last_len)
    return start, max(start + 1, end)


class _Guids:
    def __init__(self, project: str) -> None:
        self.base = uuid.uuid5(uuid.NAMESPACE_URL, f"hill-dash:{project}")

    def __call__(self, *key: object) -> str:
        return str(uuid.uuid5(self.base, "/".join(map(str, key))))


def project_xml(name: str, codebook: Codebook, transcripts: Mapping[str, Transcript], spans: Iterable[CodedSpan],
                colors: Mapping[str, str] | None = None, created: datetime | None = None,
                origin: str = "hill-dash") -> tuple[bytes, dict[str, str]]:
    """The QDA-XML document and {file name under sources/: text}. `spans` name codes by codebook id."""
    spans = list(spans)
    known = set(codebook.ids())
    unknown = sorted({s.code for s in spans if s.code not in known})
    if unknown:
        raise CodingError(f"codes not in the codebook: {', '.join(unknown)}")
    guid, when = _Guids(name), _stamp(created or datetime.now(UTC))
    ET.register_namespace("", NAMESPACE)

    def tag(local: str) -> str:
        return f"{{{NAMESPACE}}}{local}"

    root = ET.Element(tag("Project"), {"name": name, "origin": origin, "creationDateTime": when})
    coders = sorted({s.coder for s in spans}) or ["hill-dash"]
    users = ET.SubElement(root, tag("Users"))
    for coder in coders:
        ET.SubElement(users, tag("User"), {"guid": guid("user", coder), "name": coder})
    colors = dict(colors or {})
    codes_el = ET.SubElement(ET.SubElement(root, tag("CodeBook")), tag("Codes"))
    elements = {None: codes_el}
    for index, (code, parent) in enumerate(codebook.walk()):
        element = ET.SubElement(elements[parent], tag("Code"), {
            "guid": guid("code", code.id), "name": code.name, "isCodable": "true",
            "color": colors.get(code.id) or code_color(index)})
        if code.description:
            ET.SubElement(element, tag("Description")).text = code.description
        elements[code.id] = element
    files: dict[str, str] = {}
    sources = ET.SubElement(root, tag("Sources"))
    for key, transcript in transcripts.items():
        text = source_text(transcript)
        source_guid = guid("source", key)
        files[f"{source_guid}.txt"] = text.text
        label = " ".join(str(transcript.meta[k]) for k in ("participant", "scenario", "kind") if transcript.meta.get(k))
        source = ET.SubElement(sources, tag("TextSource"), {
            "guid": source_guid, "name": label or f"transcript {key}", "plainTextPath": f"internal://{source_guid}.txt",
            "creatingUser": guid("user", coders[0]), "creationDateTime": when})
        ET.SubElement(source, tag("Description")).text = (
            f"Transcript {key} ({transcript.backend} {transcript.model}), one line per segment with its start time")
        mine = [s for s in spans if s.transcript_id == key]
        for number, span in enumerate(mine):
            start, end = selection(span, transcript, text)
            user = guid("user", span.coder)
            chosen = ET.SubElement(source, tag("PlainTextSelection"), {
                "guid": guid("selection", key, number, span.coder, span.code), "name": text.text[start:end][:60],
                "startPosition": str(start), "endPosition": str(end), "creatingUser": user,
                "creationDateTime": when})
            if span.memo:
                ET.SubElement(chosen, tag("Description")).text = span.memo
            coding = ET.SubElement(chosen, tag("Coding"), {"guid": guid("coding", key, number, span.coder, span.code),
                                                           "creatingUser": user, "creationDateTime": when})
            ET.SubElement(coding, tag("CodeRef"), {"targetGUID": guid("code", span.code)})
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True), files


def write_qdpx(path: str | os.PathLike, name: str, codebook: Codebook, transcripts: Mapping[str, Transcript],
               spans: Iterable[CodedSpan], colors: Mapping[str, str] | None = None,
               created: datetime | None = None) -> Path:
    """Write a `.qdpx` project: project.qde plus sources/<guid>.txt for each transcript."""
    path = Path(path)
    if path.suffix.lower() != ".qdpx":
        raise CodingError(f"a REFI-QDA project file ends in .qdpx, not '{path.suffix or path.name}'")
    xml, files = project_xml(name, codebook, transcripts, spans, colors, created)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", xml)
        for file_name, text in files.items():
            archive.writestr(f"sources/{file_name}", text.encode("utf-8"))
    os.replace(partial, path)
    return path
