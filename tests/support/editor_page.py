"""Reading and driving the latent editor's graph in a real browser (shared by the browser tests)."""

from __future__ import annotations

import numpy as np
from selenium.webdriver.common.action_chains import ActionChains

GRAPH = "#editor-latent-graph .js-plotly-plot"

# Client pixel position of a data point, and data position of a client pixel, from the live axes.
TO_CLIENT = """
const gd = document.querySelector(arguments[0]);
const r = gd.getBoundingClientRect(), s = gd._fullLayout._size;
return [r.left + s.l + gd._fullLayout.xaxis.d2p(arguments[1]), r.top + s.t + gd._fullLayout.yaxis.d2p(arguments[2])];
"""
TO_DATA = """
const gd = document.querySelector(arguments[0]);
const r = gd.getBoundingClientRect(), s = gd._fullLayout._size;
return [gd._fullLayout.xaxis.p2d(arguments[1] - r.left - s.l), gd._fullLayout.yaxis.p2d(arguments[2] - r.top - s.t)];
"""
# What the figure shows now: for every points/centre trace, its role, class and decoded coordinates.
SHOWN = """
const gd = document.querySelector(arguments[0]);
return gd._fullData.filter(t => t.meta && (t.meta.role === 'points' || t.meta.role === 'centre')).map(t => ({
    role: t.meta.role, class_id: t.meta.class_id, x: Array.from(t.x), y: Array.from(t.y),
    index: t.customdata ? Array.from(t.customdata, Number) : null}));
"""


def to_client(driver, x: float, y: float) -> tuple[int, int]:
    px, py = driver.execute_script(TO_CLIENT, GRAPH, x, y)
    return round(px), round(py)


def to_data(driver, px: int, py: int) -> np.ndarray:
    return np.array(driver.execute_script(TO_DATA, GRAPH, px, py))


def shown(driver) -> dict[tuple[str, int], dict]:
    return {(t["role"], t["class_id"]): t for t in driver.execute_script(SHOWN, GRAPH)}


def drag(driver, start: tuple[int, int], end: tuple[int, int]) -> None:
    chain = ActionChains(driver)
    chain.move_to_location(*start).click_and_hold()
    chain.move_to_location((start[0] + end[0]) // 2, (start[1] + end[1]) // 2).move_to_location(*end).release()
    chain.perform()


def lonely_point(coords: np.ndarray, centres: np.ndarray) -> int:
    """The point farthest from every other point and centre, so a press on it hits nothing else."""
    others = np.concatenate([coords, centres])
    distance = np.linalg.norm(coords[:, None, :] - others[None, :, :], axis=2)
    distance[np.arange(len(coords)), np.arange(len(coords))] = np.inf
    return int(distance.min(axis=1).argmax())
