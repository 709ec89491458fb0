"""Reading one mapping of an instrument file, with errors that name the file and the exact field."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from ._errors import InstrumentError

_MISSING = object()


class Fields:
    """A mapping from an instrument file plus where it sits (`origin` = file, `where` = dotted field path)."""

    def __init__(self, data: Any, origin: str, where: str = "") -> None:
        self.origin = origin
        self.where = where
        if not isinstance(data, Mapping):
            self.fail(None, f"must be a mapping of fields, got {_describe(data)}")
        self.data: Mapping[str, Any] = data

    def path(self, key: str | int | None) -> str:
        """The dotted path of `key` below this mapping, e.g. `items[2].scale.points`."""
        if key is None:
            return self.where or "(top level)"
        if isinstance(key, int):
            return f"{self.where}[{key}]"
        return f"{self.where}.{key}" if self.where else key

    def fail(self, key: str | int | None, message: str) -> None:
        """Raise an InstrumentError naming the file and the field."""
        raise InstrumentError(f"{self.origin}: field '{self.path(key)}': {message}")

    def only(self, known: set[str]) -> None:
        """Reject keys this mapping does not understand, so a typo never passes silently."""
        unknown = sorted(str(k) for k in self.data if k not in known)
        if unknown:
            self.fail(unknown[0], f"unknown field (known fields here: {', '.join(sorted(known))})")

    def child(self, key: str, data: Any = _MISSING) -> Fields:
        """The nested mapping under `key` (or `data`, read as if it sat there)."""
        return Fields(self.data.get(key) if data is _MISSING else data, self.origin, self.path(key))

    def child_at(self, key: str, index: int, data: Any) -> Fields:
        """The mapping at `key[index]`."""
        return Fields(data, self.origin, f"{self.path(key)}[{index}]")

    def text(self, key: str, default: Any = _MISSING) -> str:
        """A non-empty string (or `default` when absent)."""
        value = self._get(key, default)
        if value is default:
            return value
        if not isinstance(value, str) or not value.strip():
            self.fail(key, f"must be a non-empty text, got {_describe(value)}")
        return value

    def flag(self, key: str, default: bool) -> bool:
        """A true/false value."""
        value = self._get(key, default)
        if not isinstance(value, bool):
            self.fail(key, f"must be true or false, got {_describe(value)}")
        return value

    def number(self, key: str, default: Any = _MISSING) -> Any:
        """A finite number (int or float, not a boolean), or `default` when absent."""
        value = self._get(key, default)
        if value is default:
            return value
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            self.fail(key, f"must be a number, got {_describe(value)}")
        return value

    def integer(self, key: str, default: Any = _MISSING, minimum: int | None = None) -> Any:
        """A whole number, optionally at least `minimum`."""
        value = self._get(key, default)
        if value is default:
            return value
        if isinstance(value, bool) or not isinstance(value, int) or (minimum is not None and value < minimum):
            floor = f" >= {minimum}" if minimum is not None else ""
            self.fail(key, f"must be a whole number{floor}, got {_describe(value)}")
        return value

    def texts(self, key: str, default: Any = _MISSING) -> list[str]:
        """A list of non-empty strings."""
        value = self._get(key, default)
        if value is default:
            return value
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.fail(key, f"must be a list of texts, got {_describe(value)}")
        return list(value)

    def listing(self, key: str, default: Any = _MISSING) -> list[Any]:
        """A list of anything (its members are checked by the caller)."""
        value = self._get(key, default)
        if value is default:
            return value
        if not isinstance(value, list):
            self.fail(key, f"must be a list, got {_describe(value)}")
        return value

    def _get(self, key: str, default: Any) -> Any:
        # YAML writes an empty field (`anchors:`) as null: treat it as absent.
        if self.data.get(key) is not None:
            return self.data[key]
        if default is _MISSING:
            self.fail(key, "is required but missing")
        return default


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    return f"{type(value).__name__} {value!r}"
