"""CSV the app hands out, made safe to open in a spreadsheet.

A participant's free-text answer such as `=HYPERLINK("http://...", "click")` becomes a live formula when a
researcher opens the export in Excel or LibreOffice. Text cells that start with a formula character get a leading
apostrophe (the OWASP advice): spreadsheets show the text as typed, and analysis code can strip it again.
Numbers stay numbers, so a negative value is never touched.
"""

from __future__ import annotations

import io
from typing import Any

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value: Any) -> Any:
    """`value`, with an apostrophe in front when it is text a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def formula_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` whose text cells (and column names) cannot start a formula."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column].dtype):
            safe[column] = safe[column].map(safe_cell)
    safe.columns = [safe_cell(c) for c in safe.columns]
    return safe


def csv_text(frame: pd.DataFrame) -> str:
    """`frame` as formula-safe CSV text (no index column), lines ended as RFC 4180 says, so that a cell holding a
    carriage return is quoted and cannot split its row."""
    buffer = io.StringIO()
    formula_safe(frame).to_csv(buffer, index=False, lineterminator="\r\n")
    return buffer.getvalue()
