"""The store's tables; importing this package registers every one of them on `Base.metadata`."""

from hill_dash.store.tables.base import Base, UTCDateTime, utcnow
from hill_dash.store.tables.coding import Code, Coding, Memo
from hill_dash.store.tables.jobs import Job
from hill_dash.store.tables.speech import AudioChunk, Recording, Transcript, TranscriptEdit
from hill_dash.store.tables.study import Answer, Participant, Researcher, Study, StudyScenario
from hill_dash.store.tables.training import Checkpoint, Edit, Epoch, Run, Snapshot

__all__ = ["Answer", "AudioChunk", "Base", "Checkpoint", "Code", "Coding", "Edit", "Epoch", "Job", "Memo",
           "Participant", "Recording", "Researcher", "Run", "Snapshot", "Study", "StudyScenario", "Transcript",
           "TranscriptEdit", "UTCDateTime", "utcnow"]
