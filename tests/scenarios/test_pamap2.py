"""The PAMAP2 loader on small Protocol files in the real 54-column format: preprocessing by hand-checkable cases,
the subject-wise split, train-only scaling, and clear errors for malformed files."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from scenario_files import pamap2_rows, write_dat, write_protocol

from hill_dash.core.scenarios import ScenarioError, ScenarioSpec, build_scenario
from hill_dash.core.scenarios.pamap2 import downsample, fill_gaps, make_windows, subject_windows
from hill_dash.core.scenarios.pamap2_files import CHANNEL_COLUMNS, CHANNEL_NAMES, read_protocol_file


def test_channels_are_the_three_imus_acc16_gyro_mag():
    assert len(CHANNEL_COLUMNS) == 27
    assert CHANNEL_COLUMNS[:9] == (4, 5, 6, 10, 11, 12, 13, 14, 15)  # hand: acc16 xyz, gyro xyz, magnetometer xyz
    assert CHANNEL_COLUMNS[9] == 21 and CHANNEL_COLUMNS[18] == 38  # chest and ankle acc16 x
    assert CHANNEL_NAMES[0] == "hand_acc16_x" and CHANNEL_NAMES[-1] == "ankle_mag_z"


def test_gaps_are_interpolated_linearly_and_edges_take_the_nearest_value():
    signals = np.array([[np.nan, 1.0], [2.0, np.nan], [np.nan, 3.0], [np.nan, 4.0], [8.0, np.nan]])
    filled = fill_gaps(signals)
    assert filled[:, 0].tolist() == [2.0, 2.0, 4.0, 6.0, 8.0]
    assert filled[:, 1].tolist() == [1.0, 2.0, 3.0, 4.0, 4.0]


def test_resampling_averages_pairs_and_keeps_the_first_label():
    labels = np.array([1, 1, 1, 2, 2, 2, 3])
    signals = np.arange(14, dtype=float).reshape(7, 2)
    down_labels, down = downsample(labels, signals)
    assert down_labels.tolist() == [1, 1, 2]
    assert down.tolist() == [[1.0, 2.0], [5.0, 6.0], [9.0, 10.0]]


def test_windows_take_the_majority_label_and_a_tie_goes_to_the_smaller_id():
    labels = np.array([1] * 150 + [2] * 150)
    signals = np.stack([np.arange(300.0), -np.arange(300.0)], axis=1)
    windows, window_labels = make_windows(labels, signals, length=200, step=50)
    assert windows.shape == (3, 2, 200) and windows.dtype == np.float32
    assert window_labels.tolist() == [1, 1, 2]  # 150:50, 100:100 (tie), 50:150
    assert windows[2, 0, 0] == 100.0 and windows[2, 1, -1] == -299.0
    too_short, none = make_windows(labels[:199], signals[:199], length=200, step=50)
    assert too_short.shape == (0, 2, 200) and none.shape == (0,)


def test_a_subject_file_becomes_50hz_windows(tmp_path):
    table = pamap2_rows([1] * 300 + [2] * 300)
    table[:, 4] = np.arange(600.0)  # hand acc16 x: a ramp, so the 50 Hz values are checkable by hand
    table[10:12, 4] = np.nan  # an inner gap: interpolation restores the ramp
    path = write_dat(tmp_path / "subject101.dat", table)
    windows, labels = subject_windows(path)
    assert windows.shape == (3, 27, 200) and labels.tolist() == [1, 1, 2]
    assert np.allclose(windows[0, 0, :8], [0.5, 2.5, 4.5, 6.5, 8.5, 10.5, 12.5, 14.5])
    assert np.allclose(windows[2, 0, 0], 200.5)  # third window starts 2 s (100 samples at 50 Hz) in
    assert not np.isnan(windows).any()


def test_subject_wise_split_with_train_only_scaling(tmp_path):
    folder = write_protocol(tmp_path, val_level=5.0)
    scenario = build_scenario(ScenarioSpec("pamap2", data_dir=str(tmp_path), display_size=6, seed=0))
    assert scenario.class_names == ("lying", "walking", "running")  # ids 1, 4, 5; transient 0 dropped
    assert scenario.input_shape == (27, 200)
    # every subject: 3 x (2 s transient + 12 s activity) = 42 s = 2100 samples at 50 Hz -> 39 windows every 1 s
    per_subject = 39 - _majority_windows([(0, 100), (1, 600), (0, 100), (4, 600), (0, 100), (5, 600)], 0)
    assert (len(scenario.train), len(scenario.val), len(scenario.test)) == (5 * per_subject, per_subject,
                                                                            2 * per_subject)
    mean, std = scenario.train.x.mean(dim=(0, 2)), scenario.train.x.std(dim=(0, 2))
    assert torch.allclose(mean, torch.zeros(27), atol=1e-4) and torch.allclose(std, torch.ones(27), atol=1e-3)

    # validation = subject 106 (shifted by +5) scaled with the statistics of the five TRAINING subjects
    train_raw = np.concatenate([_kept_windows(folder / f"subject{s}.dat") for s in (101, 102, 104, 105, 108)])
    raw_mean, raw_std = train_raw.mean(axis=(0, 2)), train_raw.std(axis=(0, 2), ddof=1)
    expected_val = (_kept_windows(folder / "subject106.dat") - raw_mean[:, None]) / raw_std[:, None]
    assert np.allclose(scenario.val.x.numpy(), expected_val, atol=1e-3)
    assert float(scenario.val.x.mean()) > 2.0  # 5 / (training std of about 1.8)

    assert torch.bincount(scenario.display.y).tolist() == [2, 2, 2]
    assert "transient 0 dropped" in scenario.source
    logits, latent = scenario.model_factory().eval()(scenario.val.x[:2])
    assert logits.shape == (2, 3) and latent.shape == (2, 1024)


def _kept_windows(path) -> np.ndarray:
    windows, labels = subject_windows(path)
    return windows[labels != 0].astype(np.float64)


def _majority_windows(runs: list[tuple[int, int]], activity: int) -> int:
    """How many 4 s windows of a 50 Hz label sequence, given as (id, samples) runs, carry `activity`."""
    labels = np.concatenate([[a] * n for a, n in runs])
    _, window_labels = make_windows(labels, np.zeros((len(labels), 1)), length=200, step=50)
    return int((window_labels == activity).sum())


def test_keep_transient_adds_class_zero_and_absent_activities_are_dropped(tmp_path):
    plans = {101: [1, 4], 102: [1, 4], 104: [1, 4], 105: [1, 4], 108: [1, 4], 106: [1, 4, 24], 103: [4], 107: [1]}
    write_protocol(tmp_path, activities=plans)
    scenario = build_scenario(ScenarioSpec("pamap2", data_dir=str(tmp_path), options={"keep_transient": True}))
    assert scenario.class_names == ("other (transient)", "lying", "walking")
    rope_jumping = _majority_windows([(0, 100), (1, 600), (0, 100), (4, 600), (0, 100), (24, 600)], 24)
    assert rope_jumping > 0
    assert f"absent from training: {rope_jumping} validation, 0 test" in scenario.source
    assert int(scenario.val.y.max()) == 2 and int(scenario.val.y.min()) == 0
    with pytest.raises(ScenarioError, match="keep_transient must be true or false"):
        build_scenario(ScenarioSpec("pamap2", data_dir=str(tmp_path), options={"keep_transient": "1"}))


def test_whitespace_variants_are_tolerated(tmp_path):
    table = pamap2_rows([3] * 450)
    path = tmp_path / "subject101.dat"
    path.write_text("\n".join("  ".join("NaN" if np.isnan(v) else f"{v:.6g}" for v in row) + " \r" for row in table))
    ids, signals = read_protocol_file(path)
    assert ids.shape == (450,) and signals.shape == (450, 27) and set(ids.tolist()) == {3}


def _rows_with(text_for_line_3: str | None = None) -> str:
    lines = [" ".join("NaN" if np.isnan(v) else f"{v:.6g}" for v in row) for row in pamap2_rows([1] * 6)]
    if text_for_line_3 is not None:
        lines[2] = text_for_line_3
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (_rows_with(" ".join(["1"] * 53)), r"subject101.dat, line 3: found 53 values, expected 54"),
        (_rows_with(" ".join(["1"] * 55)), r"subject101.dat, line 3: found 55 values, expected 54"),
        (_rows_with("0.3 1 " + " ".join(["abc"] * 52)), r"subject101.dat, line 3: 'abc' is not a number"),
        (_rows_with("0.3 8 " + " ".join(["1"] * 52)), r"subject101.dat, line 3: activity id 8 is not a PAMAP2 "),
        (_rows_with("0.3 4.5 " + " ".join(["1"] * 52)), r"line 3: activity id 4.5 is not a PAMAP2 activity"),
        ("", r"subject101.dat is empty"),
        ("\n \n", r"subject101.dat is empty"),
    ],
)
def test_malformed_files_name_the_file_line_and_fix(tmp_path, content, message):
    path = tmp_path / "subject101.dat"
    path.write_text(content)
    with pytest.raises(ScenarioError, match=message):
        read_protocol_file(path)


def test_unknown_id_line_counts_blank_lines(tmp_path):
    path = tmp_path / "subject101.dat"
    path.write_text("\n" + _rows_with("0.3 99 " + " ".join(["1"] * 52)))
    with pytest.raises(ScenarioError, match=r"line 4: activity id 99 is.*one of \[0, 1, 2"):
        read_protocol_file(path)


def test_a_sensor_without_any_value_is_named(tmp_path):
    table = pamap2_rows([1] * 10)
    table[:, 21] = np.nan  # chest acc16 x
    with pytest.raises(ScenarioError, match=r"no value at all in chest_acc16_x \(column 22\)"):
        read_protocol_file(write_dat(tmp_path / "subject102.dat", table))


def test_missing_subjects_and_folders_are_named(tmp_path):
    with pytest.raises(ScenarioError, match="pamap2 needs a data directory"):
        build_scenario(ScenarioSpec("pamap2"))
    with pytest.raises(ScenarioError, match="no subjectNNN.dat files under"):
        build_scenario(ScenarioSpec("pamap2", data_dir=str(tmp_path)))
    folder = write_protocol(tmp_path, seconds_each=5)
    (folder / "subject106.dat").unlink()
    (folder / "subject103.dat").unlink()
    with pytest.raises(ScenarioError, match="lacks subject103.dat, subject106.dat"):
        build_scenario(ScenarioSpec("pamap2", data_dir=str(tmp_path)))


def test_a_malformed_subject_stops_the_build_with_its_name(tmp_path):
    folder = write_protocol(tmp_path, seconds_each=5)
    (folder / "subject105.dat").write_text("")
    with pytest.raises(ScenarioError, match="subject105.dat is empty"):
        build_scenario(ScenarioSpec("pamap2", data_dir=str(tmp_path)))


def test_fast_and_line_by_line_parsers_agree_on_a_well_formed_file(tmp_path):
    from hill_dash.core.scenarios import pamap2_files

    path = write_dat(tmp_path / "subject101.dat", pamap2_rows([2] * 40 + [3] * 40))
    fast = pamap2_files._read_fast(path)
    assert fast is not None and fast.shape == (80, 54)
    assert np.array_equal(fast, pamap2_files._read_checked(path), equal_nan=True)
