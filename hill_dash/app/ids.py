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

# Free editor page: starting a run on the default scenario.
FREE_START = "free-start"
FREE_PROGRESS = "free-progress"
FREE_LOCATION = "free-location"
FREE_SCENARIO = "free-scenario"
