"""Qualitative coding: a study's codebook (codes nested under themes), codings of transcript segments, memos."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from types import EllipsisType

from sqlalchemy import select
from sqlalchemy.orm import Session

from hill_dash.store._base import StoreBase, to_record
from hill_dash.store.errors import StoreError
from hill_dash.store.tables import Code as CodeRow
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
                 theme: bool = False) -> Code:
        """A new code (or theme) in a study's codebook; names are unique within a study."""
        name = name.strip()
        if not name:
            raise StoreError("a code needs a name")
        with self._write() as session:
            study_id = self._study(session, study, lock=True).id
            if session.scalar(select(CodeRow.id).where(CodeRow.study_id == study_id, CodeRow.name == name)):
                raise StoreError(f"the codebook already has a code named {name!r}; choose another name")
            if parent_id is not None:
                self._parent(session, study_id, parent_id, None)
            row = CodeRow(study_id=study_id, name=name, description=description, parent_id=parent_id,
                          theme=bool(theme))
            session.add(row)
            session.flush()
            return to_record(Code, row)

    def update_code(self, code_id: int, *, name: str | None = None, description: str | None = None,
                    parent_id: int | EllipsisType | None = ..., theme: bool | None = None) -> Code:
        """Rename, describe, move (parent_id, None for the top level) or (un)flag a code as a theme."""
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
            return to_record(Code, row)

    def list_codes(self, study: int | str) -> list[Code]:
        """A study's codebook in the order the codes were added."""
        with self._read() as session:
            study_id = self._study(session, study).id
            rows = session.scalars(select(CodeRow).where(CodeRow.study_id == study_id).order_by(CodeRow.id))
            return [to_record(Code, row) for row in rows]

    def add_coding(self, transcript_id: int, start_index: int, end_index: int, code_id: int, coder: str,
                   memo: str = "") -> Coding:
        """Code segments start_index..end_index (inclusive) of a transcript."""
        if not coder:
            raise StoreError("a coding needs the coder's name")
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
                            code_id=code_id, coder=coder, memo=memo)
            session.add(row)
            session.flush()
            return to_record(Coding, row)

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
