"""The one exception the store raises for bad input, so callers can show its message as it is."""

from __future__ import annotations


class StoreError(Exception):
    """Bad input to the store: an unknown id, a duplicate name, a value out of range, an unknown token.

    The message says what was wrong and how to fix it; nothing stored before the call has changed.
    """


class NotFound(StoreError, LookupError):
    """The id, name or token names nothing in the store."""
