"""The store's tables; importing this package registers every one of them on `Base.metadata`."""

from hill_dash.store.tables.base import Base, UTCDateTime, utcnow
from hill_dash.store.tables.coding import Code, CoderPass, Coding, Memo
from hill_dash.store.tables.jobs import Job
from hill_dash.store.tables.security import LoginThrottle, ResearcherSession
from hill_dash.store.tables.speech import AudioChunk, Recording, Transcript, TranscriptEdit
from hill_dash.store.tables.study import Answer, Participant, Researcher, Study, StudyScenario
from hill_dash.store.tables.teacher import AlphaChange, FollowThrough
from hill_dash.store.tables.training import Checkpoint, Edit, Epoch, Run, Snapshot

__all__ = ["AlphaChange", "Answer", "AudioChunk", "Base", "Checkpoint", "Code", "CoderPass", "Coding", "Edit",
           "Epoch", "FollowThrough", "Job", "LoginThrottle", "Memo", "Participant", "Recording", "Researcher",
           "ResearcherSession", "Run", "Snapshot", "Study", "StudyScenario", "Transcript", "TranscriptEdit",
           "UTCDateTime", "utcnow"]
