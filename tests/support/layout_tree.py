"""Reading Dash layouts as data: walk a component tree, find components by id or by dict-id type."""

from __future__ import annotations

import numbers
from collections.abc import Iterator
from typing import Any


def walk(node: Any) -> Iterator[Any]:
    """Every component in a tree, depth first (plain strings and None are skipped)."""
    if node is None or isinstance(node, (str, int, float)):
        return
    if isinstance(node, (list, tuple)):
        for child in node:
            yield from walk(child)
        return
    yield node
    yield from walk(getattr(node, "children", None))


def find(node: Any, component_id: Any) -> Any:
    """The one component with this id; AssertionError when there is none or several."""
    found = [c for c in walk(node) if getattr(c, "id", None) == component_id]
    assert len(found) == 1, f"expected one component with id {component_id!r}, found {len(found)}"
    return found[0]


def of_type(node: Any, kind: str) -> list[Any]:
    """Components whose dict id has `type` == kind, in layout order."""
    return [c for c in walk(node) if isinstance(getattr(c, "id", None), dict) and c.id.get("type") == kind]


def text(node: Any) -> str:
    """All text in a tree, joined by spaces (labels of options included; numpy numbers in cells count too)."""
    parts: list[str] = []
    for component in walk(node):
        children = getattr(component, "children", None)
        for child in children if isinstance(children, (list, tuple)) else [children]:
            if isinstance(child, (str, numbers.Number)):
                parts.append(str(child))
        for option in getattr(component, "options", None) or []:
            if isinstance(option, dict):
                parts.append(str(option.get("label")))
    return " ".join(parts)
