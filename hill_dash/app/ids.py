"""Every element id of the app in one place, prefixed by the page that owns it.

Ids are plain strings for single widgets. Repeated widgets (one per questionnaire item, one per class, ...) use
dict ids such as ``{"type": "editor-class-row", "index": 3}`` so that callbacks can match them with ``MATCH`` or
``ALL``; the ``type`` value then comes from a constant here.
"""

from __future__ import annotations

# Latent editor: the graph, its released-edit store and the clientside hook.
EDITOR_ROOT = "editor-root"
EDITOR_GRAPH = "editor-latent-graph"
EDITOR_EDIT_STORE = "editor-released-edit"

# Latent editor: training controls.
EDITOR_TRAIN = "editor-train-next"
EDITOR_PAUSE = "editor-pause"
EDITOR_RESUME = "editor-resume"
EDITOR_CANCEL = "editor-cancel"
EDITOR_EPOCHS = "editor-epochs-between"
EDITOR_ALPHA = "editor-alpha"
EDITOR_LAMBDA = "editor-lambda"
EDITOR_PROGRESS = "editor-progress"
EDITOR_METRICS = "editor-metrics"
EDITOR_ACCURACY_GRAPH = "editor-accuracy-graph"

# Latent editor: edit history and the before/after view.
EDITOR_UNDO = "editor-undo"
EDITOR_REDO = "editor-redo"
EDITOR_RESET = "editor-reset"
EDITOR_BEFORE_AFTER = "editor-before-after"
EDITOR_ACCURACY_TABLE = "editor-accuracy-change"

# Latent editor bound to a run: which run the page shows, when to rebuild it from the store, what it says.
EDITOR_RUN = "editor-run"
EDITOR_REFRESH = "editor-refresh"
EDITOR_HEADING = "editor-heading"
EDITOR_MESSAGE = "editor-message"
EDITOR_DONE = "editor-done"
# The participant's view of the editor: the task in words, rounds left, and where round feedback goes.
EDITOR_TASK = "editor-task"
EDITOR_ROUNDS_LEFT = "editor-rounds-left"
EDITOR_FEEDBACK = "editor-feedback"
EDITOR_HOVER = "editor-hover"  # the tooltip showing the sample under the pointer

# Free editor page: starting a run on the default scenario.
FREE_START = "free-start"
FREE_PROGRESS = "free-progress"
FREE_LOCATION = "free-location"
FREE_SCENARIO = "free-scenario"

# Study flow: researcher login (login page, and the logout bar on every researcher page).
LOGIN_NAME = "login-name"
LOGIN_PASSWORD = "login-password"
LOGIN_SUBMIT = "login-submit"
LOGIN_MESSAGE = "login-message"
LOGIN_LOCATION = "login-location"
LOGIN_LOGOUT = "login-logout"
LOGIN_NEXT = "login-next"

# Study flow: the researcher's list of studies and the form that creates one. The per-scenario fields are dict
# ids {"type": RESEARCHER_SCENARIO_*, "scenario": name}.
RESEARCHER_STUDIES = "researcher-studies"
RESEARCHER_NAME = "researcher-study-name"
RESEARCHER_DESCRIPTION = "researcher-study-description"
RESEARCHER_CONSENT = "researcher-study-consent"
RESEARCHER_ALPHA = "researcher-study-alpha"
RESEARCHER_LAMBDA = "researcher-study-lambda"
RESEARCHER_TEACHER = "researcher-study-teacher"
RESEARCHER_ADAPTIVE = "researcher-study-adaptive"
RESEARCHER_INSTRUMENTS = "researcher-study-instruments"
RESEARCHER_PARTICIPANTS = "researcher-study-participants"
RESEARCHER_CREATE = "researcher-study-create"
RESEARCHER_MESSAGE = "researcher-study-message"
RESEARCHER_INVITES = "researcher-study-invites"
RESEARCHER_SCENARIO_USE = "researcher-scenario-use"
RESEARCHER_SCENARIO_CHECKPOINT = "researcher-scenario-checkpoint"
RESEARCHER_SCENARIO_EPOCHS = "researcher-scenario-epochs"
RESEARCHER_SCENARIO_END = "researcher-scenario-end"

# Study flow: one study's overview. Row buttons are dict ids {"type": STUDY_RESET | STUDY_DROP, "participant": id}.
STUDY_ID = "study-id"
STUDY_TABLE = "study-participants"
STUDY_COUNTS = "study-status-counts"
STUDY_ADD = "study-add-participant"
STUDY_RESET = "study-reset-link"
STUDY_DROP = "study-mark-dropped"
STUDY_LINKS = "study-new-links"
STUDY_TICK = "study-refresh-tick"

# Study flow: the participant's pages (/p/<token>). The consent box is {"type": PARTICIPANT_AGREE, "step": ...}.
PARTICIPANT_TOKEN = "participant-token"
PARTICIPANT_STEP = "participant-step"
PARTICIPANT_CONTENT = "participant-content"
PARTICIPANT_MESSAGE = "participant-message"
PARTICIPANT_NEXT = "participant-next"
PARTICIPANT_AGREE = "participant-agree"
PARTICIPANT_PREPARE = "participant-prepare"
PARTICIPANT_PROGRESS = "participant-prepare-progress"
PARTICIPANT_PREPARE_ERROR = "participant-prepare-error"
PARTICIPANT_LOCATION = "participant-location"

# Questionnaire forms: dict ids {"type": Q_*, "instrument": id, "item": id}; NASA-TLX pairs use the item
# "pair:<a>:<b>" under Q_ITEM, and a choice's self-description box is Q_OTHER.
Q_ITEM = "questionnaire-item"
Q_OTHER = "questionnaire-other"
Q_STATUS = "questionnaire-item-status"
Q_OTHER_STATUS = "questionnaire-other-status"
Q_SLIDER = "questionnaire-slider"  # a slider's wrapper: shows no handle until the slider is answered

# Latent editor: arrow mode (the switch, and the wrapper whose class tells latent_editor.js the mode).
EDITOR_ARROW_MODE = "editor-arrow-mode"
EDITOR_MODE = "editor-mode"

# Boundary lab (/boundary): starting a lab.
BOUNDARY_DATASET = "boundary-dataset"
BOUNDARY_SAMPLES = "boundary-samples"
BOUNDARY_NOISE = "boundary-noise"
BOUNDARY_SEED = "boundary-seed"
BOUNDARY_START = "boundary-start"
BOUNDARY_START_MESSAGE = "boundary-start-message"
BOUNDARY_LOCATION = "boundary-location"

# Boundary lab bound to a run: the figure, arrows and training controls. A remove button is the dict id
# {"type": BOUNDARY_ARROW_REMOVE, "edit": edit id}.
BOUNDARY_RUN = "boundary-run"
BOUNDARY_REFRESH = "boundary-refresh"
BOUNDARY_HEADING = "boundary-heading"
BOUNDARY_GRAPH = "boundary-graph"
BOUNDARY_ACCURACY_GRAPH = "boundary-accuracy-graph"
BOUNDARY_ANNOTATOR = "boundary-annotator"
BOUNDARY_WEIGHT = "boundary-weight"
BOUNDARY_EPOCHS = "boundary-epochs"
BOUNDARY_TRAIN = "boundary-train"
BOUNDARY_PROGRESS = "boundary-progress"
BOUNDARY_MESSAGE = "boundary-message"
BOUNDARY_ARROWS = "boundary-arrows"
BOUNDARY_ARROW_REMOVE = "boundary-arrow-remove"

# Think-aloud recorder widget on a participant's scenario step (recorder.js drives it by these ids).
REC_ROOT = "rec-recorder"
REC_START = "rec-start"
REC_STOP = "rec-stop"
REC_STATUS = "rec-status"

# Recordings page (/researcher/recordings): study picker, the table, interview upload, transcription jobs.
# A row's transcribe button is the dict id {"type": REC_TRANSCRIBE, "recording": id}.
REC_STUDY = "rec-study"
REC_TABLE = "rec-table"
REC_REFRESH = "rec-refresh"
REC_PARTICIPANT = "rec-upload-participant"
REC_UPLOAD = "rec-upload"
REC_UPLOAD_MESSAGE = "rec-upload-message"
REC_TRANSCRIBE = "rec-transcribe"
REC_JOB = "rec-job"
REC_JOB_MESSAGE = "rec-job-message"
REC_PROGRESS = "rec-progress"

# Transcript page (/researcher/transcript/<id>): segments, corrections, coding, agreement, quotes. Per-segment
# widgets are dict ids {"type": TRANSCRIPT_SEEK | TRANSCRIPT_TEXT | TRANSCRIPT_SAVED | TRANSCRIPT_SEGTEXT, "index": i};
# a coding's remove button is {"type": TRANSCRIPT_UNCODE, "coding": id}. TRANSCRIPT_SELECTION is the dcc.Store that
# assets/transcript_select.js fills with the words selected for coding (its id is written there too).
TRANSCRIPT_ID = "transcript-id"
TRANSCRIPT_AUDIO = "transcript-audio"
TRANSCRIPT_STARTS = "transcript-starts"
TRANSCRIPT_SEEK = "transcript-seek"
TRANSCRIPT_SOUGHT = "transcript-sought"
TRANSCRIPT_TEXT = "transcript-text"
TRANSCRIPT_SAVED = "transcript-saved"
TRANSCRIPT_CODE = "transcript-code"
TRANSCRIPT_SEGTEXT = "transcript-segtext"
TRANSCRIPT_SELECTION = "transcript-selection"
TRANSCRIPT_SELECTED = "transcript-selected"
TRANSCRIPT_LANE = "transcript-lane"
TRANSCRIPT_PASS = "transcript-pass"
TRANSCRIPT_CODEBOOK = "transcript-codebook"
TRANSCRIPT_NEW_NAME = "transcript-new-code-name"
TRANSCRIPT_NEW_PARENT = "transcript-new-code-parent"
TRANSCRIPT_NEW_DESCRIPTION = "transcript-new-code-description"
TRANSCRIPT_NEW_COLOR = "transcript-new-code-color"
TRANSCRIPT_NEW_ADD = "transcript-new-code-add"
TRANSCRIPT_NEW_MESSAGE = "transcript-new-code-message"
TRANSCRIPT_MEMO = "transcript-memo"
TRANSCRIPT_APPLY = "transcript-apply"
TRANSCRIPT_CODE_MESSAGE = "transcript-code-message"
TRANSCRIPT_CODINGS = "transcript-codings"
TRANSCRIPT_UNCODE = "transcript-uncode"
TRANSCRIPT_AGREEMENT = "transcript-agreement"
TRANSCRIPT_QUOTE_CODE = "transcript-quote-code"
TRANSCRIPT_QUOTES = "transcript-quotes"
TRANSCRIPT_DOWNLOAD = "transcript-download"

# Analysis page (/researcher/analysis): study and scenario pickers, the signed build request, the figures and
# report built in the background, and the downloads (tidy CSV/Parquet zips, figures as offline HTML).
ANALYSIS_STUDY = "analysis-study"
ANALYSIS_SCENARIO = "analysis-scenario"
ANALYSIS_REQUEST = "analysis-request"
ANALYSIS_FIGURES = "analysis-figures"
ANALYSIS_CONTENT = "analysis-content"
ANALYSIS_SPINNER = "analysis-spinner"
ANALYSIS_CSV = "analysis-csv"
ANALYSIS_PARQUET = "analysis-parquet"
ANALYSIS_HTML = "analysis-html"
ANALYSIS_DOWNLOAD_TIDY = "analysis-download-tidy"
ANALYSIS_DOWNLOAD_HTML = "analysis-download-html"
ANALYSIS_DOWNLOAD_MESSAGE = "analysis-download-message"
