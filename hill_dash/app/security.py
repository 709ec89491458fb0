"""What every response and every state-changing request of the app goes through: security headers, request size
limits, and cross-site request refusal.

- Headers: a Content-Security-Policy that Dash runs under (scripts and styles from this server only, no framing),
  `X-Content-Type-Options: nosniff`, `X-Frame-Options: DENY`, and `Referrer-Policy: no-referrer` (a participant's
  link holds their token, so it must never travel in a Referer header).
- Size: Dash callbacks may carry at most CALLBACK_MAX_BYTES (an interview upload through the recordings page is the
  one large callback, for logged-in researchers only); audio chunks and uploads have their own limits.
- Cross-site requests: a POST whose Origin (or, without one, Referer) names another site is refused, and a form
  post that rides on the login cookie must carry the session's CSRF token (`csrf_token()`), so another site, even
  one on the same host under another port, cannot act with a researcher's login.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Any
from urllib.parse import urlsplit

import flask

from hill_dash.app import auth

CSRF_KEY = "csrf"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
CALLBACK_MAX_BYTES = 2 * 1024 * 1024
UPLOAD_CALLBACK_MAX_BYTES = 700 * 1024 * 1024  # a 500 MB interview as base64 in a callback
REQUEST_MAX_BYTES = 700 * 1024 * 1024
FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded", "text/plain")

CSP = "; ".join([
    "default-src 'self'",
    # Dash's renderer is started by one inline script; its hash is added per app (see `content_security_policy`).
    "script-src 'self' {script_hashes}",
    # React and Plotly set inline styles; styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "media-src 'self' blob:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


def csrf_token() -> str:
    """This browser session's CSRF token (made on first use); put it in a form as `csrf_token` or send it in the
    X-CSRF-Token header."""
    token = flask.session.get(CSRF_KEY)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(24)
        flask.session[CSRF_KEY] = token
    return token


def _same_origin(url: str | None) -> bool:
    # Host and port only: behind a TLS proxy the app itself sees http while the browser says https.
    if not url or url == "null":
        return False
    return urlsplit(url).netloc.lower() == flask.request.host.lower()


def refuse_cross_site() -> Any:
    """A before-request hook: 403 for a POST another origin sent, or a cookie-borne form post without the token."""
    request = flask.request
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return None
    origin = request.headers.get("Origin") or request.headers.get("Referer")
    if origin is not None and not _same_origin(origin):
        return flask.Response("cross-site request refused: post from pages of this site only\n", 403,
                              mimetype="text/plain")
    # Participant audio routes prove the caller with the link token, never with the cookie.
    cookie_borne = flask.session.get(auth.SESSION_KEY) is not None and not request.path.startswith("/audio/")
    if request.mimetype in FORM_TYPES and cookie_borne:
        sent = request.headers.get(CSRF_HEADER) or request.form.get(CSRF_FIELD) or ""
        expected = flask.session.get(CSRF_KEY)
        if not isinstance(expected, str) or not hmac.compare_digest(sent.encode(), expected.encode()):
            return flask.Response("form post refused: the CSRF token is missing or wrong; reload the page and "
                                  "send the form again\n", 403, mimetype="text/plain")
    return None


def limit_request_size() -> None:
    """A before-request hook: the most a request body may hold, by route (Flask answers 413 above it)."""
    request = flask.request
    if request.path.endswith("/_dash-update-component"):
        large = request.content_length is not None and request.content_length > CALLBACK_MAX_BYTES
        # Only a logged-in researcher's callback (an interview upload) may be large.
        allowed = UPLOAD_CALLBACK_MAX_BYTES if large and auth.current_researcher() else CALLBACK_MAX_BYTES
        request.max_content_length = allowed


def content_security_policy(app: Any) -> str:
    """The CSP for this Dash app: its own inline scripts allowed by hash, nothing else inline."""
    return CSP.format(script_hashes=" ".join(app.csp_hashes()))


def add_headers(app: Any) -> Any:
    """An after-request hook adding the security headers (a route's own stricter CSP is kept). The policy is built
    on use: pages register their inline clientside callbacks after the app is made."""

    def hook(response: flask.Response) -> flask.Response:
        response.headers.setdefault("Content-Security-Policy", content_security_policy(app))
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response

    return hook


def protect(app: Any) -> None:
    """Install the hooks on a Dash app's Flask server."""
    server = app.server
    server.config["MAX_CONTENT_LENGTH"] = REQUEST_MAX_BYTES
    server.config["SESSION_COOKIE_HTTPONLY"] = True
    server.before_request(limit_request_size)
    server.before_request(refuse_cross_site)
    server.after_request(add_headers(app))
