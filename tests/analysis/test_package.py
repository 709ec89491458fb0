"""The data-package writer: typed cells, escaped formulas, every field documented, valid for frictionless."""

from __future__ import annotations

import json

import frictionless
import pandas as pd
import pytest

from analysis.package import Field, PackageError, Table, escape_formula, write_package

DOCS = {"things": Table("Things.", {
    "id": Field("id", type="integer"), "name": Field("a name"), "flag": Field("a flag"),
    "score": Field("a score", unit="points"), "when": Field("a time", unit="ISO 8601 UTC"),
    "where": Field("coordinates", type="array"), "count": Field("a count"),
}, ("id",))}


def things() -> pd.DataFrame:
    return pd.DataFrame({
        "id": [1, 2, 3], "name": ["=HYPERLINK(\"x\")", "-5", "plain"], "flag": [True, False, True],
        "score": [0.5, float("nan"), -1.25], "when": pd.to_datetime(["2025-01-01T10:00:00Z", None, None], utc=True),
        "where": [[[0.1, 0.2]], None, []], "count": pd.array([3, None, 1], dtype="Int64"),
    })


def test_formula_cells_are_escaped_and_numbers_are_not(tmp_path):
    assert escape_formula("=1+1") == "'=1+1" and escape_formula("@SUM") == "'@SUM" and escape_formula("ok") == "ok"
    write_package({"things": things()}, DOCS, tmp_path, "t", "T")
    text = (tmp_path / "things.csv").read_text()
    assert "'=HYPERLINK" in text and "'-5" in text and ",-1.25," in text


def test_types_survive_a_round_trip_through_pandas(tmp_path):
    write_package({"things": things()}, DOCS, tmp_path, "t", "T")
    back = pd.read_csv(tmp_path / "things.csv")
    assert back["flag"].dtype == bool and list(back["flag"]) == [True, False, True]
    assert pd.api.types.is_float_dtype(back["score"]) and back["score"].isna().sum() == 1
    assert back["id"].dtype.kind == "i"
    assert json.loads(back.loc[0, "where"]) == [[0.1, 0.2]]
    assert back.loc[0, "when"] == "2025-01-01T10:00:00.000000Z"


def test_the_package_validates_and_describes_every_field(tmp_path):
    paths = write_package({"things": things()}, DOCS, tmp_path, "t", "T")
    report = frictionless.validate(str(paths[-1]))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    resource = json.loads(paths[-1].read_text())["resources"][0]
    fields = {f["name"]: f for f in resource["schema"]["fields"]}
    assert fields["flag"]["type"] == "boolean" and fields["count"]["type"] == "integer"
    assert fields["score"]["unit"] == "points" and all(f["description"] for f in fields.values())


def test_an_undocumented_column_is_refused(tmp_path):
    with pytest.raises(PackageError, match=r"column\(s\) \['extra'\] are not documented"):
        write_package({"things": things().assign(extra=1)}, DOCS, tmp_path, "t", "T")
    with pytest.raises(PackageError, match="has no description"):
        write_package({"other": things()}, DOCS, tmp_path, "t", "T")
