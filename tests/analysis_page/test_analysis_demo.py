"""The analysis page on a small simulated study: the builders' output as data, and the callbacks as a logged-in
researcher's browser and the background process call them."""

from __future__ import annotations

import base64
import io
import zipfile
from dataclasses import replace

import pandas as pd
import pytest
from dash_calls import call, request
from layout_tree import find, of_type, text

from hill_dash.app import ids
from hill_dash.app.views.analysis import analyse_scenario, analysis_content, main_tables, tidy_zip
from hill_dash.studydata import load_study

TABLES = ("runs", "answers", "scores", "codings")


@pytest.fixture(scope="module")
def tables(demo, store):
    return load_study(store, demo)


@pytest.fixture(scope="module")
def result(tables):
    return analyse_scenario(tables, "digits")


def test_the_scenario_figures_and_report_are_made_and_the_timeline_says_why_not(result):
    assert list(result.figures) == ["fig5_accuracy", "fig6_nasa_tlx", "fig7_custom_questions"]
    assert "no coded transcripts" in result.skipped["strategy_timeline_digits"]
    content = analysis_content(result)
    graphs = of_type(content, "analysis-graph")
    assert [g.id["name"] for g in graphs] == list(result.figures)
    assert all(g.figure.data for g in graphs)
    shown = " ".join(text(content).split())
    assert "Strategy timeline: no coded transcripts for scenario digits" in shown
    assert "SIMULATED data" in shown and "Primary analysis (fixed before the data)" in shown


def test_the_main_tables_hold_the_chosen_scenario_only(result):
    chosen = main_tables(result.outcome, "digits")
    assert {"primary", "selection_fair"} <= set(chosen)  # one seed: no curve model, and the report says why
    assert "gains" not in chosen and "baseline_band" not in chosen
    assert set(chosen["primary"]["scenario"]) == {"digits"}
    tables = of_type(analysis_content(result), "analysis-table")
    assert [t.id["name"] for t in tables] == list(chosen)
    assert len(tables[0].data) == len(chosen[tables[0].id["name"]])


def test_report_tables_have_readable_names_and_rounded_numbers(result):
    (primary,) = [t for t in of_type(analysis_content(result), "analysis-table") if t.id["name"] == "primary"]
    names = [c["name"] for c in primary.columns]
    assert "Permutation p" in names and "Hedges' g" in names and "permutation_p" not in names
    row = primary.data[0]
    # the small demo has one baseline seed: no test, and the table says why instead of printing a number
    assert row["Permutation p"] is None and "at least 2" in row["Note"]
    assert all(len(repr(v).split(".")[-1]) <= 3 for v in row.values() if isinstance(v, float))


def test_without_baseline_runs_the_page_says_so_instead_of_drawing(tables):
    hill_only = replace(tables, runs=tables.runs[tables.runs["condition"] != "baseline"].reset_index(drop=True))
    result = analyse_scenario(hill_only, "digits")
    assert "fig5_accuracy" not in result.figures
    assert "baseline" in result.skipped["fig5_accuracy"]
    assert result.outcome.report is None and "baseline" in result.outcome.error
    shown = " ".join(text(analysis_content(result)).split())
    assert f"Figure 5: accuracy against the baseline: {result.skipped['fig5_accuracy']}" in shown
    assert f"Report: {result.outcome.error}" in shown
    assert "fig6_nasa_tlx" in result.figures  # questionnaires do not need baselines


def test_an_unknown_scenario_is_named_with_the_study_s_scenarios(tables):
    result = analyse_scenario(tables, "basicmotions")
    assert result.figures == {} and "has no scenario 'basicmotions'" in result.skipped["scenario"]
    assert "['digits']" in result.skipped["scenario"]


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_the_tidy_zip_holds_every_table_in_one_format(tables, fmt):
    archive = zipfile.ZipFile(io.BytesIO(tidy_zip(tables, fmt)))
    assert sorted(archive.namelist()) == sorted(f"{name}.{fmt}" for name in TABLES)
    with archive.open(f"runs.{fmt}") as handle:
        runs = pd.read_csv(handle) if fmt == "csv" else pd.read_parquet(io.BytesIO(handle.read()))
    assert len(runs) == len(tables.runs) and set(runs["run_id"].astype(str)) == set(tables.runs["run_id"].astype(str))


def test_a_researcher_picks_builds_and_downloads(app, page, demo, researcher):
    with request(app, researcher):
        layout = page.layout()
        assert find(layout, ids.ANALYSIS_STUDY).value == demo
        options, scenario = call(page.scenarios, demo, None)
        assert options == [{"label": "digits", "value": "digits"}] and scenario == "digits"
        token, waiting = call(page.request_build, scenario, demo)
    assert "Building" in text(waiting)
    content, shown = page.build(token)  # in its background process: no request, no login cookie
    assert [g.id["name"] for g in of_type(content, "analysis-graph")] == list(shown["figures"])
    assert shown["study"] == "small demo" and "fig5_accuracy" in shown["figures"]
    with request(app, researcher):
        parquet, message = call(page.download_tidy, None, 1, demo, trigger=ids.ANALYSIS_PARQUET)
        figures, _ = call(page.download_figures, 1, shown)
    assert message is None and parquet["filename"] == "small-demo-tidy-parquet.zip"
    names = zipfile.ZipFile(io.BytesIO(base64.b64decode(parquet["content"]))).namelist()
    assert sorted(names) == sorted(f"{name}.parquet" for name in TABLES)
    page_html = figures["content"]
    assert figures["filename"] == "small-demo-digits-figures.html" and page_html.startswith("<!DOCTYPE html>")
    assert "Figure 6: NASA-TLX" in page_html and "<script src=" not in page_html  # nothing fetched: offline
    assert page_html.count("<script") > len(shown["figures"])  # plotly.js itself embedded, then one per figure
