"""Press a Dash page's buttons over HTTP the way its renderer does, for benchmarks that measure what a user waits
for: the same `_dash-update-component` requests, background callbacks polled at their own interval, the page
load's signed token echoed back. No browser, so the measurement adds no rendering load to the machine.
"""

from __future__ import annotations

import html
import http.cookiejar
import json
import re
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

_CONFIG = re.compile(r'<script id="_dash-config" type="application/json">(.*?)</script>', re.S)


@dataclass(frozen=True)
class Callback:
    """One callback as `/_dash-dependencies` describes it."""

    output: str
    inputs: list[dict[str, Any]]
    state: list[dict[str, Any]]
    background: dict[str, Any] | None

    @property
    def outputs(self) -> list[dict[str, str]] | dict[str, str]:
        parts = self.output.strip(".").split("...") if self.output.startswith("..") else [self.output]
        found = []
        for part in parts:
            ident, prop = part.rsplit(".", 1)
            found.append({"id": ident, "property": prop.split("@")[0]})
        return found if self.output.startswith("..") else found[0]


class DashPage:
    """One page load of a Dash app (its own cookies and signed page token)."""

    def __init__(self, base_url: str, path: str, timeout: float = 60.0, job_timeout: float = 180.0) -> None:
        self.base = base_url.rstrip("/")
        self.http = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.timeout, self.job_timeout = timeout, job_timeout
        found = _CONFIG.search(self._request(self.base + path)[1].decode())
        if found is None:
            raise RuntimeError(f"{path} did not answer with a Dash page")
        self.config = json.loads(html.unescape(found.group(1)))
        dependencies = json.loads(self._request(self.base + "/_dash-dependencies")[1])
        self.callbacks = [Callback(c["output"], c["inputs"], c["state"], c.get("background")) for c in dependencies]

    def _request(self, url: str, body: dict[str, Any] | None = None) -> tuple[int, bytes]:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"} if data else {})
        try:
            with self.http.open(request, timeout=self.timeout) as answer:
                return answer.status, answer.read()
        except urllib.error.HTTPError as exc:
            raise RuntimeError(f"{url} answered {exc.code}: {exc.read()[:500]!r}") from None

    def callback(self, trigger: str, output_starts: str | None = None) -> Callback:
        """The callback fired by `trigger` ("id.property"), optionally the one whose output starts as given."""
        for cb in self.callbacks:
            if any(f"{i['id']}.{i['property']}" == trigger for i in cb.inputs):
                if output_starts is None or cb.output.lstrip(".").startswith(output_starts):
                    return cb
        raise LookupError(f"no callback is fired by {trigger}")

    def _url(self, **args: str) -> str:
        query = "&".join(f"{k}={v}" for k, v in {"endId": self.config.get("end_id"), **args}.items() if v)
        return f"{self.base}/_dash-update-component" + (f"?{query}" if query else "")

    def _body(self, cb: Callback, trigger: str, values: dict[str, Any]) -> dict[str, Any]:
        def filled(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
            return [{"id": i["id"], "property": i["property"], "value": values.get(f"{i['id']}.{i['property']}")}
                    for i in items]

        return {"output": cb.output, "outputs": cb.outputs, "inputs": filled(cb.inputs), "state": filled(cb.state),
                "changedPropIds": [trigger]}

    def fire(self, cb: Callback, trigger: str, values: dict[str, Any]) -> tuple[dict[str, Any] | None, float]:
        """Run a callback as the renderer would; returns (its JSON answer, seconds until the answer arrived).

        A background callback is started, then polled every `interval` ms until its result is there."""
        body = self._body(cb, trigger, values)
        start = time.perf_counter()
        status, raw = self._request(self._url(), body)
        if status == 204:
            return None, time.perf_counter() - start
        data = json.loads(raw)
        if cb.background is None or "cacheKey" not in data:
            return data, time.perf_counter() - start
        interval = float(cb.background.get("interval", 1000)) / 1000.0
        blank = {**body, "inputs": [{**i, "value": None} for i in body["inputs"]],
                 "state": [{**s, "value": None} for s in body["state"]]}
        deadline = start + self.job_timeout
        while time.perf_counter() < deadline:
            time.sleep(interval)
            status, raw = self._request(self._url(cacheKey=data["cacheKey"], job=data["job"]), blank)
            if status == 204:
                return None, time.perf_counter() - start
            result = json.loads(raw)
            if "response" in result:
                return result, time.perf_counter() - start
        raise TimeoutError(f"{cb.output} did not finish within {self.job_timeout:.0f} s")
