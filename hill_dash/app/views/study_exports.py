"""A study's CSV exports (answers, overview), served by a Flask route to logged-in researchers only."""

from __future__ import annotations

import re
from typing import Any

import flask
import pandas as pd

from hill_dash.app import access, auth
from hill_dash.app.csv_cells import csv_text
from hill_dash.app.context import get_store
from hill_dash.app.views.flow import step_label
from hill_dash.store import Store

EXPORTS = ("answers", "overview")


def export_href(study_id: int, kind: str) -> str:
    """Where a study's CSV export of `kind` (answers, overview) is served."""
    return f"/researcher/study/{study_id}/{kind}.csv"


def overview_rows(store: Store, study_id: int) -> list[dict[str, Any]]:
    """The overview's participant rows with the step in words (also the overview CSV)."""
    return [{"participant": row["code"], "status": row["status"], "step": step_label(row["step"]),
             "order": " > ".join(row["order"]), "answers": row["answers"], "runs": row["runs"],
             "runs_finished": row["runs_finished"], "updated_at": row["updated_at"], "id": row["id"]}
            for row in store.study_overview(study_id)["participants"]]


def export_csv(study_id: int, kind: str) -> flask.Response:
    """A study's current answers, or its overview, as CSV."""
    store = get_store()
    if kind not in EXPORTS:
        return flask.Response(f"unknown export {kind[:40]!r}; use one of {', '.join(EXPORTS)}\n", 404,
                              mimetype="text/plain")
    try:
        study = access.researcher_study(study_id, store)
    except access.Refused as exc:
        return flask.Response(f"{exc}\n", 404, mimetype="text/plain")
    frame = store.answers_frame(study.id) if kind == "answers" else pd.DataFrame(overview_rows(store, study.id))
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", f"{study.name}-{kind}.csv")
    return flask.Response(csv_text(frame), mimetype="text/csv",
                          headers={"Content-Disposition": f'attachment; filename="{name}"'})


def register_exports(server: flask.Flask) -> None:
    """Serve `export_csv` at /researcher/study/<id>/<kind>.csv, to logged-in researchers only."""
    if "hill_study_export" not in server.view_functions:
        server.add_url_rule("/researcher/study/<int:study_id>/<kind>.csv", "hill_study_export",
                            auth.login_required(export_csv))
