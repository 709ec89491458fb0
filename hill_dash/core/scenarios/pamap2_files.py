"""The PAMAP2 Protocol file format: reading and checking one `subjectNNN.dat`.

Each line holds 54 space-separated numbers sampled at 100 Hz: timestamp (s), activity id, heart rate (bpm), then
three IMUs (hand, chest, ankle) of 17 columns each: temperature, 3D acceleration (+-16 g), 3D acceleration (+-6 g),
3D gyroscope, 3D magnetometer, 4D orientation (marked invalid by the data set's authors). Missing values are `NaN`.
The scenario uses each IMU's 16 g accelerometer, gyroscope and magnetometer: 27 channels.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from hill_dash.core.scenarios.base import ScenarioError

COLUMNS = 54
ACTIVITY_COLUMN = 1

ACTIVITIES: dict[int, str] = {
    0: "other (transient)", 1: "lying", 2: "sitting", 3: "standing", 4: "walking", 5: "running", 6: "cycling",
    7: "Nordic walking", 9: "watching TV", 10: "computer work", 11: "car driving", 12: "ascending stairs",
    13: "descending stairs", 16: "vacuum cleaning", 17: "ironing", 18: "folding laundry", 19: "house cleaning",
    20: "playing soccer", 24: "rope jumping",
}
"""The official activity ids of the PAMAP2 readme (0 marks transient periods between activities)."""

IMU_FIRST_COLUMN = {"hand": 3, "chest": 20, "ankle": 37}
SENSOR_OFFSETS = {"acc16": 1, "gyro": 7, "mag": 10}  # first of three axes, counted from the IMU's temperature

CHANNEL_NAMES: tuple[str, ...] = tuple(
    f"{imu}_{sensor}_{axis}" for imu in IMU_FIRST_COLUMN for sensor in SENSOR_OFFSETS for axis in "xyz"
)
CHANNEL_COLUMNS: tuple[int, ...] = tuple(
    IMU_FIRST_COLUMN[imu] + offset + k for imu in IMU_FIRST_COLUMN for offset in SENSOR_OFFSETS.values()
    for k in range(3)
)

_LAYOUT = ("each line must hold 54 space-separated numbers: timestamp, activity id, heart rate, then 17 columns "
           "for each of the hand, chest and ankle IMUs (NaN for a missing value)")


def _read_fast(path: Path) -> np.ndarray | None:
    """Parse a well-formed file with pyarrow (about 3x numpy's speed); None if anything looks off."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    names = [f"c{i}" for i in range(COLUMNS)]
    try:
        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(column_names=names),
            parse_options=pacsv.ParseOptions(delimiter=" "),
            convert_options=pacsv.ConvertOptions(column_types={n: pa.float64() for n in names}),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError, OSError):
        return None
    return np.column_stack([column.to_numpy(zero_copy_only=False) for column in table.columns]).astype(np.float64)


def _read_checked(path: Path) -> np.ndarray:
    """Parse line by line, tolerating any whitespace, and stop at the first bad line with its number."""
    rows: list[list[float]] = []
    with path.open("r", encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, start=1):
            fields = line.split()
            if not fields:
                continue
            if len(fields) != COLUMNS:
                raise ScenarioError(f"{path}, line {number}: found {len(fields)} values, expected {COLUMNS}; "
                                    f"{_LAYOUT}")
            try:
                rows.append([float(value) for value in fields])
            except ValueError:
                bad = next(v for v in fields if not _is_number(v))
                raise ScenarioError(f"{path}, line {number}: {bad!r} is not a number; {_LAYOUT}") from None
    if not rows:
        raise ScenarioError(f"{path} is empty; {_LAYOUT}")
    return np.asarray(rows, dtype=np.float64)


def _show(value: float) -> str:
    return str(int(value)) if np.isfinite(value) and float(value).is_integer() else str(float(value))


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _line_of_row(path: Path, row: int) -> int:
    """The 1-based line number of data row `row` (blank lines are not rows)."""
    seen = -1
    with path.open("r", encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                seen += 1
                if seen == row:
                    return number
    return row + 1


def read_protocol_file(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """Read one subject file: activity ids `[T]` (int64) and the 27 sensor channels `[T, 27]` (float64, NaNs kept).

    Raises ScenarioError naming the file and line for a wrong column count, a non-number, an empty file, an
    activity id outside the official list, or a sensor channel with no value at all.
    """
    if path.stat().st_size == 0:
        raise ScenarioError(f"{path} is empty; {_LAYOUT}")
    table = _read_fast(path)
    if table is None or table.shape[0] == 0:
        table = _read_checked(path)
    ids = table[:, ACTIVITY_COLUMN]
    known = np.isin(ids, list(ACTIVITIES))  # NaN and fractional ids are never members
    if not known.all():
        row = int(np.flatnonzero(~known)[0])
        count = int((~known).sum())
        raise ScenarioError(
            f"{path}, line {_line_of_row(path, row)}: activity id {_show(ids[row])} is not a PAMAP2 activity id "
            f"({count} such line(s) in the file); the second column must be one of {sorted(ACTIVITIES)}; "
            f"correct or delete those lines")
    signals = table[:, list(CHANNEL_COLUMNS)]
    empty = np.flatnonzero(np.isnan(signals).all(axis=0))
    if empty.size:
        names = ", ".join(f"{CHANNEL_NAMES[i]} (column {CHANNEL_COLUMNS[i] + 1})" for i in empty)
        raise ScenarioError(f"{path}: no value at all in {names}; the scenario needs every IMU's 16 g accelerometer, "
                            f"gyroscope and magnetometer. Leave this subject's file out or repair it")
    return ids.astype(np.int64), signals
