"""Calling a Dash app's callbacks as plain functions: inside one of its Flask requests, with a chosen trigger."""

from __future__ import annotations

import contextvars
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import flask
from dash._callback_context import context_value
from dash._utils import AttributeDict

from hill_dash.app import auth


def call(callback: Callable[..., Any], *args: Any, trigger: Any = None, value: Any = 1) -> Any:
    """Run a decorated callback's function as Dash would, with `trigger` (an id) as the input that fired."""
    prop = json.dumps(trigger, sort_keys=True, separators=(",", ":")) if isinstance(trigger, dict) else trigger
    context = AttributeDict(triggered_inputs=[{"prop_id": f"{prop}.n_clicks", "value": value}] if trigger else [])

    def run() -> Any:
        context_value.set(context)
        return callback(*args)

    return contextvars.copy_context().run(run)


@contextmanager
def request(app: Any, researcher: Any = None, base_url: str | None = None) -> Iterator[None]:
    """A Dash callback request to `app` (at `base_url` when given), logged in as `researcher` when given."""
    options = {} if base_url is None else {"base_url": base_url}
    with app.server.test_request_context("/_dash-update-component", **options):
        if researcher is not None:
            auth.start_session(researcher)
        yield
