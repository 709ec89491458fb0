"""What the analysis page gives visitors (nothing), forged build requests (nothing), a study without runs
(reasons, not empty figures), and downloads asked for without what they need (a message)."""

from __future__ import annotations

import pytest
from dash import no_update
from dash.exceptions import PreventUpdate
from dash_calls import call, request
from layout_tree import of_type, text

from hill_dash.app import auth, ids
from hill_dash.app.views.analysis import figures_html, tidy_zip
from hill_dash.studydata import load_study


@pytest.fixture(scope="module")
def empty_study(store) -> int:
    return store.create_study("no runs yet", ["digits"], n_participants=1).study.id


def test_visitors_get_neither_the_page_nor_its_callbacks(app, page, empty_study):
    with request(app):
        refused = page.layout()
        assert auth.REFUSED in text(refused) and "no runs yet" not in text(refused)
        for callback, args, trigger in ((page.scenarios, (empty_study, None), None),
                                        (page.request_build, ("digits", empty_study), None),
                                        (page.download_tidy, (1, None, empty_study), ids.ANALYSIS_CSV),
                                        (page.download_figures, (1, {"figures": {"x": {}}}), None)):
            with pytest.raises(PreventUpdate):
                call(callback, *args, trigger=trigger)


def test_only_a_signed_request_starts_a_build(page, empty_study, store):
    for forged in (None, '{"study": %d, "scenario": "digits"}' % empty_study, page.sign_request(1, "x") + "0"):
        with pytest.raises(PreventUpdate):
            page.build(forged)
    assert page.read_request(page.sign_request(empty_study, "digits")) == {"study": empty_study,
                                                                           "scenario": "digits"}


def test_a_study_without_runs_lists_what_cannot_be_made(app, page, empty_study, researcher):
    with request(app, researcher):
        token, _ = call(page.request_build, "digits", empty_study)
    content, shown = page.build(token)
    assert of_type(content, "analysis-graph") == [] and shown["figures"] == {}
    missing = " ".join(text(content).split())
    assert "Figure 5: accuracy against the baseline: no HILL runs for scenario digits" in missing
    assert "Report: no training runs in this study" in missing
    with request(app, researcher):
        download, message = call(page.download_figures, 1, shown)
    assert download is no_update and "No figures to download" in text(message)


def test_an_unknown_study_or_none_chosen_gets_a_message(app, page, researcher):
    with request(app, researcher):
        assert call(page.scenarios, 999, None) == ([], None)
        token, prompt = call(page.request_build, None, None)
        assert token is None and "Choose a study" in text(prompt)
        download, message = call(page.download_tidy, 1, None, 999, trigger=ids.ANALYSIS_CSV)
    assert download is no_update and "Choose a study" in text(message)  # another's study is not confirmed to exist
    content, shown = page.build(page.sign_request(999, "digits"))
    assert shown is None and "999" in text(content)


def test_bad_download_requests_say_what_was_wrong(store, empty_study):
    with pytest.raises(ValueError, match="csv or parquet"):
        tidy_zip(load_study(store, empty_study), "xlsx")
    with pytest.raises(ValueError, match="no figures"):
        figures_html({}, "empty")
