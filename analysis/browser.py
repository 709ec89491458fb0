"""One headless Chromium (kaleido >= 1) for every figure a process writes, driven from a background thread.

Kaleido reloads its page (plotly.js, several MB of script) after every render to start each one clean. Each
render already draws into a fresh element that plotly purges, and every PDF sets its own page size and image,
so the page is reused here and reloaded only every `RELOAD_EVERY` renders (to bound the page's memory) and after
a failed render: that reload took about two thirds of each render's time.

A PDF is printed from the figure drawn as SVG into the page's one image; when the same figure is also wanted as
PNG right after, that image is still on the page, so the PNG is a screenshot of it at the PNG's scale (the SVG is
rasterised at that resolution, not enlarged) instead of a second plotly render. Anything else -- a PNG alone, a
PNG of another size, a page reloaded in between -- is rendered by plotly as before.
"""

from __future__ import annotations

import asyncio
import base64
import threading
from collections.abc import Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import kaleido

RELOAD_EVERY = 40


class _ReusingKaleido(kaleido.Kaleido):
    """Kaleido that hands a tab back without reloading it, except every `RELOAD_EVERY` renders or after an error."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._since_reload = 0
        self._failed = False
        self.reloaded = False  # whether the last render's page was reloaded afterwards (its image then is gone)

    async def _return_kaleido_tab(self, tab) -> None:  # noqa: ANN001 - kaleido's private tab type
        self._since_reload += 1
        self.reloaded = self._failed or self._since_reload >= RELOAD_EVERY
        if self.reloaded:
            self._since_reload, self._failed = 0, False
            await tab.reload()
        await self.tabs_ready.put(tab)

    async def screenshot_png(self, spec: dict) -> bool:
        """Write `spec` (a PNG of the figure the last render printed as PDF, at the same size) as a screenshot of
        the image that PDF was printed from; False, having written nothing, when the image is not there."""
        opts = spec.get("opts") or {}
        width, height, scale = opts.get("width"), opts.get("height"), opts.get("scale", 1)
        if self.reloaded or not (width and height and scale):
            return False
        tab = await self.tabs_ready.get()
        try:
            shown = await tab.tab.send_command("Runtime.evaluate", params={
                "expression": "(() => { const i = document.getElementById('kaleido-image');"
                              " return i && i.complete ? [i.naturalWidth, i.naturalHeight] : null; })()",
                "returnByValue": True})
            if (shown.get("result", {}).get("result", {}).get("value") or None) != [width, height]:
                return False
            shot = await tab.tab.send_command("Page.captureScreenshot", params={
                "format": "png", "captureBeyondViewport": True, "optimizeForSpeed": True,
                "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": scale}})
            data = shot.get("result", {}).get("data")
            if "error" in shot or not data:
                return False
            await asyncio.to_thread(Path(spec["path"]).write_bytes, base64.b64decode(data))
            return True
        finally:
            await self.tabs_ready.put(tab)


class Browser:
    """The shared browser: `start()` / `open()` start it (idempotent), `write(specs)` renders a batch, `close()` ends it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido: _ReusingKaleido | None = None
        self._ready: Future | None = None

    def start(self) -> None:
        """Start the browser in the background and return at once (no-op when it is starting or open)."""
        with self._lock:
            if self._thread is not None:
                return
            self._loop = asyncio.new_event_loop()
            self._ready = Future()
            self._thread = threading.Thread(target=self._run, name="figure-browser", daemon=True)
            self._thread.start()

    def open(self) -> None:
        """Start the browser if needed and wait until it can render; raises why it could not start."""
        self.start()
        self._ready.result()

    def _run(self) -> None:
        loop = self._loop  # close() forgets it; this thread keeps it until the loop stops
        asyncio.set_event_loop(loop)
        loop.create_task(self._start())  # `open()` returns once the loop runs and the browser is up
        loop.run_forever()
        loop.close()

    async def _start(self) -> None:
        try:
            self._kaleido = _ReusingKaleido(n=1, mathjax=False)
            await self._kaleido.open()
        except BaseException as exc:  # noqa: BLE001 - handed to the caller of open()
            self._ready.set_exception(exc)
        else:
            self._ready.set_result(None)

    def write(self, specs: Sequence[dict]) -> None:
        """Render kaleido figure specs ({"fig", "path", "opts"}) in order; raises the render errors."""
        self.submit(specs).result()

    def submit(self, specs: Sequence[dict]) -> Future:
        """Start rendering `specs` and return at once; the future's `result()` waits and raises the errors, so
        the caller can compute something else while Chromium draws."""
        self.open()
        rendering = asyncio.run_coroutine_threadsafe(self._write(list(specs)), self._loop)
        done: Future = Future()

        def finish(f: Future) -> None:
            try:
                errors = f.result()
            except BaseException as exc:  # noqa: BLE001 - handed to whoever waits
                done.set_exception(exc)
                return
            if errors:
                done.set_exception(RuntimeError("; ".join(str(e) for e in errors)))
            else:
                done.set_result(None)

        rendering.add_done_callback(finish)
        return done

    async def _write(self, specs: list[dict]) -> list[BaseException]:
        errors = []
        printed = None  # the PDF spec the page's image was last printed from
        for spec in specs:  # one at a time, so that a failure is known before the next render takes the tab
            if printed is not None and _same_drawing(printed, spec) and await self._kaleido.screenshot_png(spec):
                printed = None
                continue
            found = await self._kaleido.write_fig_from_object(spec, cancel_on_error=False)
            if found:
                self._kaleido._failed = True  # noqa: SLF001
                errors.extend(found)
            printed = spec if not found and _format(spec) == "pdf" else None
        return errors

    def close(self) -> None:
        with self._lock:
            thread, loop, k = self._thread, self._loop, self._kaleido
            self._thread = self._loop = self._kaleido = None
        if thread is None:
            return
        if k is not None:
            try:
                asyncio.run_coroutine_threadsafe(k.close(), loop).result(timeout=30)
            except Exception:  # noqa: BLE001 - the browser is going away either way
                pass
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=30)


def _format(spec: dict) -> str | None:
    return (spec.get("opts") or {}).get("format")


def _same_drawing(pdf: dict, png: dict) -> bool:
    """True when `png` asks for the very figure `pdf` printed, at the same layout size, as PNG."""
    a, b = pdf.get("opts") or {}, png.get("opts") or {}
    return (_format(png) == "png" and png.get("fig") is pdf.get("fig") and a.get("width") == b.get("width")
            and a.get("height") == b.get("height"))


BROWSER = Browser()
