"""Write one PNG per view into docs/, drawn from the demo data in examples/ by the `coauthor` CLI in Chromium.

    python docs/screenshots.py [--out docs]

Starts a private Neo4j (free loopback ports, temporary home, removed afterwards), loads examples/profiles, writes
each view with `coauthor viz ...`, opens it in Debian's headless Chromium (/usr/bin/chromium, every non-file
request aborted) and saves a screenshot with a tooltip or the selection panel open.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from graph.server import LocalServer, free_port

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
PASSWORD = "screenshots"
AS_OF = "2026-11-27"
# file name -> the `coauthor viz` arguments, and what to show before the picture is taken.
VIEWS: dict[str, tuple[list[str], Callable]] = {}


def view(name: str, *args: str) -> Callable:
    def register(show: Callable) -> Callable:
        VIEWS[name] = (list(args), show)
        return show

    return register


@view("ego-view", "ego", "Wei Chen", "--depth", "2")
def hover_centre(page) -> None:
    hover(page, "Wei Chen")


@view("communities-view", "communities")
def select_author(page) -> None:
    select(page, "n => n.label === 'Lukáš Novák'")


@view("path-view", "path", "Ana Sousa", "Mei Lin", "--all")
def select_first_hop(page) -> None:
    page.evaluate(
        "() => { const id = network.body.data.edges.getIds()[0]; network.selectEdges([id]);"
        " network.emit('select', {nodes: [], edges: [id]}); }"
    )


@view("papers-view", "papers", "Wei Chen")
def select_paper(page) -> None:
    select(page, "n => n.shape === 'square'")


@view("topics-view", "topics")
def hover_topic(page) -> None:
    hover(page, page.evaluate("network.body.data.nodes.getIds()[0]"), by_id=True)


def select(page, predicate: str) -> None:
    """Select the first node ``predicate`` (a JS function of a node) accepts, as a click does: the selection
    panel opens and the drawing stays whole (the search box would also zoom in on the node)."""
    page.evaluate(
        f"""() => {{ const id = network.body.data.nodes.get({{filter: {predicate}}})[0].id;
                    network.selectNodes([id]); network.emit("select", {{nodes: [id], edges: []}}); }}"""
    )


def hover(page, name: str, *, by_id: bool = False) -> None:
    """Move the mouse onto a node (by label, or by id) and wait for its tooltip."""
    node = (
        name if by_id else page.evaluate("n => network.body.data.nodes.get({filter: x => x.label === n})[0].id", name)
    )
    x, y = page.evaluate(
        """id => { const p = network.canvasToDOM(network.getPosition(id));
                   const box = document.getElementById("network").getBoundingClientRect();
                   return [box.left + p.x, box.top + p.y]; }""",
        node,
    )
    page.mouse.move(x - 60, y - 60)
    page.mouse.move(x, y, steps=5)
    page.locator("div.vis-tooltip").wait_for(state="visible")


def write_views(env: dict[str, str], folder: Path) -> dict[str, Path]:
    """Load the demo profiles and write every view's HTML into ``folder``."""
    profiles = sorted(str(path) for path in (ROOT / "examples" / "profiles").glob("*.txt"))
    subprocess.run(["coauthor", "load", *profiles, "--as-of", AS_OF], env=env, check=True, capture_output=True)
    pages = {}
    for name, (args, _show) in VIEWS.items():
        pages[name] = folder / f"{name}.html"
        subprocess.run(["coauthor", "viz", *args, "-o", str(pages[name])], env=env, check=True, capture_output=True)
    return pages


def take_screenshots(pages: dict[str, Path], out: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        context = browser.new_context(viewport={"width": 1280, "height": 760})
        context.route(re.compile(r"^(?!file:)"), lambda route: route.abort())
        for name, html in pages.items():
            page = context.new_page()
            page.goto(html.as_uri())
            page.wait_for_function("window.coauthorReady === true")
            VIEWS[name][1](page)
            page.screenshot(path=str(out / f"{name}.png"))
            print(f"wrote {out / f'{name}.png'}", flush=True)
            page.close()
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="Folder for the PNGs.")
    out = parser.parse_args().out
    home = Path(tempfile.mkdtemp(prefix="coauthor-screenshots-"))
    server = LocalServer(home / "neo4j", free_port(), free_port(), password=PASSWORD)
    try:
        server.start(timeout=300)
        env = {**os.environ, "NEO4J_URI": server.uri, "NEO4J_USERNAME": "neo4j", "NEO4J_PASSWORD": PASSWORD}
        env.pop("NEO4J_DATABASE", None)
        out.mkdir(parents=True, exist_ok=True)
        take_screenshots(write_views(env, home), out)
    finally:
        server.stop()
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
