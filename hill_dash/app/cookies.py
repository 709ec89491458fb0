"""The signed session cookie, read the same way in a request and in a background job.

A background callback (a training round, a run being started) runs in another process, or on a Celery worker,
without Flask's request; Dash hands it the cookies of the request that started it. Reading the signed cookie with
the deployment's secret key gives the job the same caller the request had, and a forged cookie gives nobody.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from collections.abc import Mapping
from typing import Any

import flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature

from hill_dash.app.context import get_settings

COOKIE_NAME = "session"
BROWSER_KEY = "browser"
MAX_AGE_S = 7 * 24 * 3600


@functools.lru_cache(maxsize=4)
def _serializer(secret_key: str) -> Any:
    signer = flask.Flask("hill_dash.cookies")
    signer.secret_key = secret_key
    return SecureCookieSessionInterface().get_signing_serializer(signer)


def _job_cookie() -> str | None:
    try:
        from dash import callback_context

        return (callback_context.cookies or {}).get(COOKIE_NAME)
    except Exception:  # not inside a Dash callback at all
        return None


def session_values() -> Mapping[str, Any]:
    """The session of this request, or of the request that started this background job; {} when there is none."""
    if flask.has_request_context():
        return flask.session
    raw = _job_cookie()
    if not raw:
        return {}
    try:
        values = _serializer(get_settings().secret_key).loads(raw, max_age=MAX_AGE_S)
    except (BadSignature, ValueError, TypeError):
        return {}
    return values if isinstance(values, dict) else {}


def browser_key(create: bool = False) -> str | None:
    """A stable, unguessable key of this browser's session (the SHA-256 of a random id kept in its signed cookie).

    With `create`, inside a request, a browser without one gets one. None when there is none (yet)."""
    browser = session_values().get(BROWSER_KEY)
    if not isinstance(browser, str) and create and flask.has_request_context():
        browser = secrets.token_urlsafe(24)
        flask.session[BROWSER_KEY] = browser
    if not isinstance(browser, str) or not browser:
        return None
    return hashlib.sha256(browser.encode("utf-8")).hexdigest()
