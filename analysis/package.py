"""Tidy tables written as a Frictionless Data package: one CSV per table plus `datapackage.json` describing every
field (type, unit, meaning), readable as typed data by pandas, R and the `frictionless` validator.

CSV conventions (stated in the package's description too):
- booleans are TRUE / FALSE (R's read.csv, readr and pandas all read them as logical), missing values are empty;
- times are ISO 8601 in UTC ("2025-01-01T10:00:00Z"), JSON values (coordinates, settings) are JSON text;
- a text cell that starts with =, +, - or @ (or a tab or carriage return) gets a leading apostrophe, so that a
  spreadsheet shows it as text instead of running it as a formula; drop one leading apostrophe to recover it.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SAFE_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
CONVENTIONS = ("Booleans are TRUE/FALSE; missing values are empty cells; times are ISO 8601 UTC; JSON values are "
               "JSON text; a text cell starting with =, +, -, @, a tab or a carriage return is prefixed with an "
               "apostrophe (') so spreadsheets do not run it as a formula: drop one leading apostrophe to recover it.")


@dataclass(frozen=True)
class Field:
    """What one column means: its Frictionless type (None: from the column's dtype), unit and description."""

    description: str
    unit: str | None = None
    type: str | None = None


@dataclass(frozen=True)
class Table:
    """One table of the package: its meaning, its primary key and its fields."""

    description: str
    fields: Mapping[str, Field]
    primary_key: tuple[str, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)


class PackageError(ValueError):
    """A table cannot be written as documented; the message names the table and column."""


def escape_formula(value: Any) -> Any:
    """A text value a spreadsheet would run as a formula, with a leading apostrophe; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _json_text(value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


def _kind(series: pd.Series, declared: str | None) -> str:
    if declared:
        return declared
    if pd.api.types.is_bool_dtype(series) or series.dtype == "boolean":
        return "boolean"
    if pd.api.types.is_integer_dtype(series):
        return "integer"
    if pd.api.types.is_float_dtype(series):
        return "number"
    if pd.api.types.is_datetime64_any_dtype(series):
        return "datetime"
    return "string"


def _cells(series: pd.Series, kind: str) -> pd.Series:
    """The column as the values the CSV holds (missing for an empty cell), column-wise for speed."""
    if kind in ("array", "object"):
        return series.map(_json_text).astype(object)
    present = series.notna()
    if kind == "boolean":
        return pd.Series(np.where(series.fillna(False).astype(bool), "TRUE", "FALSE"), index=series.index,
                         dtype=object).where(present, None)
    if kind == "integer":
        return pd.to_numeric(series).astype("Int64")
    if kind == "number":
        values = pd.to_numeric(series).astype(float)
        return values.where(np.isfinite(values))  # Python's float text round-trips exactly
    if kind == "datetime":
        stamps = pd.to_datetime(series, utc=True, errors="coerce")
        return stamps.dt.strftime("%Y-%m-%dT%H:%M:%S.%fZ").astype(object).where(stamps.notna(), None)
    text = series.astype(object).where(present, None).map(lambda v: v if v is None or isinstance(v, str) else str(v))
    risky = text.map(lambda v: isinstance(v, str) and v.startswith(FORMULA_START)).astype(bool)
    return text.where(~risky, "'" + text[risky].astype(str)).astype(object) if risky.any() else text


def _schema_field(name: str, kind: str, doc: Field) -> dict[str, Any]:
    out: dict[str, Any] = {"name": name, "type": kind, "description": doc.description}
    if doc.unit:
        out["unit"] = doc.unit
    if kind == "boolean":
        out["trueValues"], out["falseValues"] = ["TRUE"], ["FALSE"]
    return out


def write_package(tables: Mapping[str, pd.DataFrame], docs: Mapping[str, Table], out_dir: str | Path,
                  name: str, title: str, extra: Mapping[str, Any] | None = None) -> list[Path]:
    """Write every table as `<name>.csv` and `datapackage.json` describing them; returns the paths written.

    Every column must be documented in `docs` (`PackageError` names any that is not), so nothing leaves without
    its meaning. Columns keep the order of their documentation.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    resources, paths = [], []
    for table_name, frame in tables.items():
        if table_name not in docs:
            raise PackageError(f"table {table_name!r} has no description; add it to the package's documentation")
        if not _SAFE_NAME.match(table_name):
            raise PackageError(f"table name {table_name!r} must be lower-case letters, digits, '_', '.' or '-'")
        doc = docs[table_name]
        missing = [c for c in frame.columns if c not in doc.fields]
        if missing:
            raise PackageError(f"table {table_name!r}: column(s) {missing} are not documented")
        columns = [c for c in doc.fields if c in frame.columns]
        kinds = {c: _kind(frame[c], doc.fields[c].type) for c in columns}
        text = pd.DataFrame({c: _cells(frame[c], kinds[c]) for c in columns}, columns=columns)
        path = out / f"{table_name}.csv"
        text.to_csv(path, index=False, na_rep="", lineterminator="\n")
        paths.append(path)
        schema: dict[str, Any] = {"fields": [_schema_field(c, kinds[c], doc.fields[c]) for c in columns],
                                  "missingValues": [""]}
        if doc.primary_key and all(k in columns for k in doc.primary_key):
            schema["primaryKey"] = list(doc.primary_key)
        resources.append({"name": table_name, "path": path.name, "profile": "tabular-data-resource",
                          "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
                          "description": doc.description, "schema": schema, **dict(doc.extra)})
    descriptor = {"name": name, "title": title, "profile": "tabular-data-package", "description": CONVENTIONS,
                  **dict(extra or {}), "resources": resources}
    paths.append(out / "datapackage.json")
    paths[-1].write_text(json.dumps(descriptor, indent=2, default=str) + "\n")
    return paths
