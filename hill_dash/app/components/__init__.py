"""Reusable pieces of the Dash interface; the latent editor's builders are re-exported here."""

from hill_dash.app.components.control_panel import (
    accuracy_figure,
    control_panel,
    control_states,
    metrics_text,
    progress_props,
    settings_error,
)
from hill_dash.app.components.edit_stack import EditState, control_event, replay, validate_edit
from hill_dash.app.components.editor_panel import (
    accuracy_change_table,
    edit_toolbar,
    editor_layout,
    history_button_states,
    latent_editor,
)
from hill_dash.app.components.latent_figure import (
    accuracy_change_rows,
    axis_ranges,
    build_latent_figure,
    class_colours,
    per_class_accuracy,
)

__all__ = [
    "EditState", "accuracy_change_rows", "accuracy_change_table", "accuracy_figure", "axis_ranges",
    "build_latent_figure", "class_colours", "control_event", "control_panel", "control_states", "edit_toolbar",
    "editor_layout", "history_button_states", "latent_editor", "metrics_text", "per_class_accuracy",
    "progress_props", "replay", "settings_error", "validate_edit",
]
