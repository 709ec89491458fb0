"""The study store: every row and file a HILL study produces, behind one `Store` object.

    from hill_dash.store import open_store
    store = open_store()                    # SQLite in ./hill-data (or $HILL_DATA_DIR), schema upgraded
    new = store.create_study("pilot", ["digits", "motions"], n_participants=8)
    store.participant_by_token(new.invites[0].token)
"""

from hill_dash.store.accounts import Researcher
from hill_dash.store.answers import Answer
from hill_dash.store.artifacts import Checkpoint, Snapshot
from hill_dash.store.audio import RECORDING_KINDS, RECORDING_STATUSES, AudioChunk, Recording
from hill_dash.store.coding import Code, Coding, Memo
from hill_dash.store.edits import CHANGE_KINDS, EDIT_KINDS, Edit
from hill_dash.store.errors import NotFound, StoreError
from hill_dash.store.frames import ANSWER_COLUMNS, CODING_COLUMNS, EPOCH_COLUMNS
from hill_dash.store.jobs import JOB_STATUSES, Job
from hill_dash.store.latin_square import balanced_latin_square
from hill_dash.store.participants import PARTICIPANT_STATUSES, Invite, Participant, hash_token
from hill_dash.store.runs import CONDITIONS, RUN_STATUSES, Epoch, Run
from hill_dash.store.store import Store, open_store
from hill_dash.store.studies import NewStudy, ScenarioSpec, Study, StudyScenario
from hill_dash.store.transcripts import Transcript, TranscriptEdit

__all__ = [
    "ANSWER_COLUMNS", "CHANGE_KINDS", "CODING_COLUMNS", "CONDITIONS", "EDIT_KINDS", "EPOCH_COLUMNS", "JOB_STATUSES",
    "PARTICIPANT_STATUSES", "RECORDING_KINDS", "RECORDING_STATUSES", "RUN_STATUSES", "Answer", "AudioChunk",
    "Checkpoint", "Code", "Coding", "Edit", "Epoch", "Invite", "Job", "Memo", "NewStudy", "NotFound", "Participant",
    "Recording", "Researcher", "Run", "ScenarioSpec", "Snapshot", "Store", "StoreError", "Study", "StudyScenario",
    "Transcript", "TranscriptEdit", "balanced_latin_square", "hash_token", "open_store",
]
