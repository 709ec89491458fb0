"""Qualitative coding: a study's codebook (codes nested under themes, with colours), codings of transcript spans
(whole segments or the characters a coder selected, each with its memo), memos, and independent passes.

Coding is independent until it is finished: a coder sees only their own codings of a transcript until they have
marked their pass over it done; from then on they see the codings of every other coder who has done the same.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from types import EllipsisType

from sqlalchemy import select
from sqlalchemy.orm import Session

from hill_dash.store._base import StoreBase, to_record
from hill_dash.store.errors import StoreError
from hill_dash.store.tables import Code as CodeRow
from hill_dash.store.tables import CoderPass as PassRow
from hill_dash.store.tables import Coding as CodingRow
from hill_dash.store.tables import Memo as MemoRow
from hill_dash.store.tables import Participant as ParticipantRow
from hill_dash.store.tables import Recording as RecordingRow
from hill_dash.store.tables import Transcript as TranscriptRow
from hill_dash.store.transcripts import load_segments


@dataclass(frozen=True)
class Code:
    id: int
    study_id: int
    parent_id: int | None
    name: str
    description: str
    theme: bool
    created_at: datetime
    color: str | None = None


@dataclass(frozen=True)
class Coding:
    id: int
    transcript_id: int
    start_index: int
    end_index: int
    code_id: int
    coder: str
    memo: str
    created_at: datetime
    start_char: int | None = None
    end_char: int | None = None
    quote: str | None = None


@dataclass(frozen=True)
class CoderPass:
    id: int
    transcript_id: int
    coder: str
    done_at: datetime


@dataclass(frozen=True)
class Memo:
    id: int
    transcript_id: int | None
    author: str
    text: str
    created_at: datetime


class CodingMixin(StoreBase):
    """Keep the codebook, the codings of each coder and the memos."""

    def add_code(self, study: int | str, name: str, description: str = "", *, parent_id: int | None = None,
                 theme: bool = False, color: str | None = None) -> Code:
        """A new code (or theme) in a study's codebook; names are unique within a study. `color`: "#rrggbb"."""
        name = name.strip()
        if not name:
            raise StoreError("a code needs a name")
        color = _color(color)
        with self._write() as session:
            study_id = self._study(session, study, lock=True).id
            if session.scalar(select(CodeRow.id).where(CodeRow.study_id == study_id, CodeRow.name == name)):
                raise StoreError(f"the codebook already has a code named {name!r}; choose another name")
            if parent_id is not None:
                self._parent(session, study_id, parent_id, None)
            row = CodeRow(study_id=study_id, name=name, description=description, parent_id=parent_id,
                          theme=bool(theme), color=color)
            session.add(row)
            session.flush()
            return to_record(Code, row)

    def update_code(self, code_id: int, *, name: str | None = None, description: str | None = None,
                    parent_id: int | EllipsisType | None = ..., theme: bool | None = None,
                    color: str | None = None) -> Code:
        """Rename, describe, move (parent_id, None for the top level), (un)flag as a theme or recolour a code."""
        with self._write() as session:
            row = self._get(session, CodeRow, code_id, "code", lock=True)
            if name is not None and name.strip() != row.name:
                if session.scalar(select(CodeRow.id).where(CodeRow.study_id == row.study_id,
                                                           CodeRow.name == name.strip())):
                    raise StoreError(f"the codebook already has a code named {name.strip()!r}")
                row.name = name.strip()
            if description is not None:
                row.description = description
            if parent_id is not ...:
                if parent_id is not None:
                    self._parent(session, row.study_id, parent_id, row.id)
                row.parent_id = parent_id
            if theme is not None:
                row.theme = bool(theme)
            if color is not None:
                row.color = _color(color)
            return to_record(Code, row)

    def list_codes(self, study: int | str) -> list[Code]:
        """A study's codebook in the order the codes were added."""
        with self._read() as session:
            study_id = self._study(session, study).id
            rows = session.scalars(select(CodeRow).where(CodeRow.study_id == study_id).order_by(CodeRow.id))
            return [to_record(Code, row) for row in rows]

    def add_coding(self, transcript_id: int, start_index: int, end_index: int, code_id: int, coder: str,
                   memo: str = "", *, start_char: int | None = None, end_char: int | None = None) -> Coding:
        """Code segments start_index..end_index (inclusive) of a transcript, or only the characters from
        `start_char` in the first segment's (corrected) text to `end_char` (exclusive) in the last one's."""
        if not coder:
            raise StoreError("a coding needs the coder's name")
        if (start_char is None) != (end_char is None):
            raise StoreError("give both start_char and end_char, or neither to code whole segments")
        quote = None
        if start_char is not None:  # the corrected text the coder selected in, read before the write begins
            texts = [s["text"] for s in self.transcript_segments(transcript_id)[start_index:end_index + 1]]
            quote = _selected(texts, int(start_char), int(end_char)) if start_index <= end_index else None
        with self._write() as session:
            transcript = self._get(session, TranscriptRow, transcript_id, "transcript")
            code = self._get(session, CodeRow, code_id, "code")
            count = len(load_segments(self.files, transcript.segments, transcript.path))
            if not 0 <= start_index <= end_index < count:
                raise StoreError(f"segments {start_index}..{end_index} do not fit transcript {transcript_id}, "
                                 f"which has segments 0..{count - 1}")
            study_id = _transcript_study(session, transcript)
            if study_id is not None and study_id != code.study_id:
                raise StoreError(f"code {code.name!r} belongs to another study's codebook than transcript "
                                 f"{transcript_id}")
            row = CodingRow(transcript_id=transcript_id, start_index=int(start_index), end_index=int(end_index),
                            code_id=code_id, coder=coder, memo=memo, start_char=start_char, end_char=end_char,
                            quote=quote)
            session.add(row)
            session.flush()
            return to_record(Coding, row)

    def update_coding_memo(self, coding_id: int, memo: str, coder: str) -> Coding:
        """Replace the memo of one of `coder`'s own codings."""
        with self._write() as session:
            row = self._get(session, CodingRow, coding_id, "coding", lock=True)
            if row.coder != coder:
                raise StoreError(f"coding {coding_id} is {row.coder}'s; only its coder can change its memo")
            row.memo = memo
            return to_record(Coding, row)

    def finish_pass(self, transcript_id: int, coder: str) -> CoderPass:
        """Mark `coder`'s pass over a transcript done (again: keeps the first time)."""
        if not coder:
            raise StoreError("a finished pass needs the coder's name")
        with self._write() as session:
            self._get(session, TranscriptRow, transcript_id, "transcript", lock=True)
            row = session.scalars(select(PassRow).where(PassRow.transcript_id == transcript_id,
                                                        PassRow.coder == coder)).first()
            if row is None:
                row = PassRow(transcript_id=transcript_id, coder=coder)
                session.add(row)
                session.flush()
            return to_record(CoderPass, row)

    def reopen_pass(self, transcript_id: int, coder: str) -> None:
        """Take back a finished pass; the coder again sees only their own codings of the transcript."""
        with self._write() as session:
            for row in session.scalars(select(PassRow).where(PassRow.transcript_id == transcript_id,
                                                             PassRow.coder == coder)):
                session.delete(row)

    def list_passes(self, *, transcript_id: int | None = None, study: int | str | None = None) -> list[CoderPass]:
        """Finished passes of one transcript or of a study's transcripts, oldest first."""
        query = select(PassRow).order_by(PassRow.id)
        with self._read() as session:
            if transcript_id is not None:
                query = query.where(PassRow.transcript_id == transcript_id)
            if study is not None:
                query = query.where(PassRow.transcript_id.in_(_study_transcripts(self._study(session, study).id)))
            return [to_record(CoderPass, row) for row in session.scalars(query)]

    def visible_codings(self, transcript_id: int, viewer: str) -> list[Coding]:
        """The codings of a transcript that `viewer` may see: their own, plus, once their own pass is done, those
        of every coder whose pass is done too."""
        done = {p.coder for p in self.list_passes(transcript_id=transcript_id)}
        shown = {viewer} | (done if viewer in done else set())
        return [c for c in self.list_codings(transcript_id=transcript_id) if c.coder in shown]

    def finished_codings(self, study: int | str) -> list[Coding]:
        """A study's codings from finished passes only: what agreement is computed on."""
        done = {(p.transcript_id, p.coder) for p in self.list_passes(study=study)}
        return [c for c in self.list_codings(study=study) if (c.transcript_id, c.coder) in done]

    def delete_coding(self, coding_id: int) -> None:
        """Remove a coding (a coder taking a code back)."""
        with self._write() as session:
            session.delete(self._get(session, CodingRow, coding_id, "coding", lock=True))

    def list_codings(self, *, transcript_id: int | None = None, study: int | str | None = None,
                     coder: str | None = None) -> list[Coding]:
        """Codings matching every filter given, oldest first."""
        query = select(CodingRow).order_by(CodingRow.id)
        with self._read() as session:
            if transcript_id is not None:
                query = query.where(CodingRow.transcript_id == transcript_id)
            if study is not None:
                codebook = select(CodeRow.id).where(CodeRow.study_id == self._study(session, study).id)
                query = query.where(CodingRow.code_id.in_(codebook))
            if coder is not None:
                query = query.where(CodingRow.coder == coder)
            return [to_record(Coding, row) for row in session.scalars(query)]

    def add_memo(self, author: str, text: str, transcript_id: int | None = None) -> Memo:
        """A memo, about one transcript or about the study as a whole (transcript_id None)."""
        if not author or not text.strip():
            raise StoreError("a memo needs an author and some text")
        with self._write() as session:
            if transcript_id is not None:
                self._get(session, TranscriptRow, transcript_id, "transcript")
            row = MemoRow(author=author, text=text, transcript_id=transcript_id)
            session.add(row)
            session.flush()
            return to_record(Memo, row)

    def list_memos(self, transcript_id: int | None = None, author: str | None = None) -> list[Memo]:
        """Memos (of one transcript, of one author, when given), oldest first."""
        query = select(MemoRow).order_by(MemoRow.id)
        if transcript_id is not None:
            query = query.where(MemoRow.transcript_id == transcript_id)
        if author is not None:
            query = query.where(MemoRow.author == author)
        with self._read() as session:
            return [to_record(Memo, row) for row in session.scalars(query)]

    def _parent(self, session: Session, study_id: int, parent_id: int, child_id: int | None) -> None:
        """Check that `parent_id` may hold `child_id`: same study, and no code ends up inside itself."""
        ancestor: int | None = parent_id
        while ancestor is not None:
            parent = self._get(session, CodeRow, ancestor, "parent code")
            if parent.study_id != study_id:
                raise StoreError(f"code {parent_id} belongs to another study's codebook")
            if ancestor == child_id:
                raise StoreError(f"code {child_id} cannot be placed under its own descendant {parent_id}")
            ancestor = parent.parent_id


def _transcript_study(session: Session, transcript: TranscriptRow) -> int | None:
    """The study a transcript's recording belongs to (None for audio that belongs to no participant)."""
    return session.scalar(select(ParticipantRow.study_id).join(RecordingRow,
                                                               RecordingRow.participant_id == ParticipantRow.id)
                          .where(RecordingRow.id == transcript.recording_id))


def anchored(coding: Coding, texts: Sequence[str]) -> dict[int, tuple[int, int]] | None:
    """{segment index: (start, end)} a coding covers in the current texts, or None when its words are gone."""
    first, last = coding.start_index, coding.end_index
    if last >= len(texts):
        return None
    if coding.start_char is None or coding.end_char is None:
        return {i: (0, len(texts[i])) for i in range(first, last + 1)}
    start, end = coding.start_char, coding.end_char
    if first == last:
        text = texts[first]
        if coding.quote is not None and text[start:end] != coding.quote:
            found = text.find(coding.quote)
            if found < 0 or not coding.quote:
                return None
            start, end = found, found + len(coding.quote)
        return {first: (min(start, len(text)), min(end, len(text)))}
    ranges = {first: (min(start, len(texts[first])), len(texts[first])), last: (0, min(end, len(texts[last])))}
    ranges.update({i: (0, len(texts[i])) for i in range(first + 1, last)})
    return ranges


def _study_transcripts(study_id: int):
    return (select(TranscriptRow.id).join(RecordingRow, TranscriptRow.recording_id == RecordingRow.id)
            .join(ParticipantRow, RecordingRow.participant_id == ParticipantRow.id)
            .where(ParticipantRow.study_id == study_id))


def _selected(texts: list[str], start: int, end: int) -> str:
    """The text from `start` in the first of `texts` to `end` in the last; StoreError when that is no text."""
    if not texts:
        raise StoreError("no segment to select text from")
    first, last = texts[0], texts[-1]
    if not (0 <= start <= len(first) and 0 <= end <= len(last)) or (len(texts) == 1 and end <= start):
        raise StoreError(f"characters {start}..{end} do not select text in the segment(s); select the words again")
    if len(texts) == 1:
        return first[start:end]
    return " ".join([first[start:], *texts[1:-1], last[:end]])


def _color(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", str(value)):
        raise StoreError(f"a code colour is written #rrggbb (for example #e6194b), not {value!r}")
    return str(value).lower()
