"""Headless Chromium whose microphone is granted without asking and plays a wav file (for recorder tests)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


def chromium_with_microphone(chromium: str, flags: Sequence[str], microphone: Path, size: str = "1200,800"):
    """A selenium driver of Debian's Chromium with `flags`, window `size` ("w,h") and `microphone` as its input."""
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options

    options = Options()
    options.binary_location = chromium
    for flag in [*flags, f"--window-size={size}", "--use-fake-ui-for-media-stream",
                 "--use-fake-device-for-media-stream", f"--use-file-for-fake-audio-capture={microphone}"]:
        options.add_argument(flag)
    browser = webdriver.Chrome(options=options)
    browser.set_page_load_timeout(60)
    return browser
