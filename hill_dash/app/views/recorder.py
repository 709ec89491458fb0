"""The think-aloud recorder a participant's scenario step includes: a button that asks for the microphone, says
plainly that it records, and hands everything else to `assets/recorder.js`.

The widget has no server callbacks: recorder.js finds it by its id, reads the participant's token and the study
scenario from its data attributes, and uploads each chunk of audio to the routes in `audio_routes` as it is
recorded. Leaving the task (another page, a closed tab) ends the recording.
"""

from __future__ import annotations

from dash import html

from hill_dash.app import ids

EXPLANATION = ("Please think aloud while you work: say what you are trying and why. When you press the button, "
               "your browser asks to use the microphone, and your voice is recorded and sent to the researchers "
               "until you press “Stop recording” or leave this task.")


def recorder_widget(token: str, study_scenario_id: int) -> html.Div:
    """The recorder of one participant (by link token) in one study scenario."""
    return html.Div([
        html.P(EXPLANATION, className="small mb-1"),
        html.Button("Start think-aloud recording", id=ids.REC_START, type="button",
                    className="btn btn-outline-danger btn-sm me-2"),
        html.Button("Stop recording", id=ids.REC_STOP, type="button", className="btn btn-danger btn-sm me-2",
                    style={"display": "none"}),
        html.Span("Not recording.", id=ids.REC_STATUS, className="small", role="status",
                  **{"aria-live": "polite"}),
    ], id=ids.REC_ROOT, className="hill-recorder border rounded p-2 mb-2",
        **{"data-token": token, "data-study-scenario": str(int(study_scenario_id)), "data-base": "/audio"})
