"""Debian's headless Chromium through Playwright, with every request, dialog and console error recorded."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Dialog, Page, Request

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
READY_TIMEOUT_MS = 30_000


def unavailable(reason: str) -> None:
    """Skip on a developer's machine; fail in CI, where everything must run (as tests/conftest.py does)."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: this is a failure, not a skip)")
    pytest.skip(reason)


@dataclass
class OpenedView:
    """A page showing one rendered view, and everything it did that it should not have."""

    page: Page
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the session: Debian's, never a downloaded one."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright is not installed")
    if not CHROMIUM.is_file():
        unavailable(f"{CHROMIUM} is missing: apt-get install chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def open_view(browser: Browser, tmp_path: Path) -> Iterator[Callable[[str], OpenedView]]:
    """Write HTML to a file and open it with every non-file request aborted; waits for the first drawing."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.route(re.compile(r"^(?!file:)"), lambda route: route.abort())

    def open_html(html: str, name: str = "view.html") -> OpenedView:
        path = tmp_path / name
        path.write_text(html, encoding="utf-8")
        view = OpenedView(context.new_page())
        _record(view)
        view.page.goto(path.as_uri())
        wait_until_drawn(view)
        return view

    yield open_html
    context.close()


# Polled by the page's own timers from a function Playwright hands over the DevTools protocol. Playwright's
# wait_for_function compiles its predicate with eval inside the page when the first check fails, which the views'
# Content Security Policy refuses (so it failed only when the page drew late, on a busy machine).
DRAWN = """timeout => new Promise((resolve, reject) => {
  const started = Date.now();
  const check = () => {
    if (window.coauthorReady === true) resolve(true);
    else if (Date.now() - started > timeout) reject(new Error("the view did not draw within " + timeout + " ms"));
    else setTimeout(check, 20);
  };
  check();
})"""


def wait_until_drawn(view: OpenedView) -> None:
    """Wait for the view's first drawing (``window.coauthorReady``), at most :data:`READY_TIMEOUT_MS`."""
    view.page.evaluate(DRAWN, READY_TIMEOUT_MS)


def _record(view: OpenedView) -> None:
    """Record requests beyond file: and data: URLs, dialogs (then dismiss them) and console errors."""
    page = view.page

    def on_request(request: Request) -> None:
        if not request.url.startswith(("file:", "data:")):
            view.requests.append(request.url)

    def on_dialog(dialog: Dialog) -> None:
        view.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            view.console_errors.append(message.text)

    page.on("request", on_request)
    page.on("dialog", on_dialog)
    page.on("console", on_console)
    page.on("pageerror", lambda error: view.console_errors.append(str(error)))


INKED_PIXELS = """() => {
    const canvas = document.querySelector("#network canvas");
    const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
    let inked = 0;
    for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] > 0 && (data[i] < 235 || data[i + 1] < 235 || data[i + 2] < 235)) { inked += 1; }
    }
    return inked;
}"""


def screenshot(view: OpenedView, path: Path) -> int:
    """Save a PNG of the page at ``path`` and return how many pixels of the network's canvas are drawn on."""
    view.page.screenshot(path=str(path))
    assert path.stat().st_size > 0
    return view.page.evaluate(INKED_PIXELS)
