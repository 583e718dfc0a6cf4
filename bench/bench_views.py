"""How big a view can be: HTML size, write time and time to a usable page in headless Chromium.

For each size, a generated coauthorship-like graph (a seeded planted-partition graph of communities, about three
ties per author, with the tooltips, links and community colours the communities view gives) is rendered by
:func:`viz.page.render_network` (layout included: that is the write time) and opened in Debian's Chromium with
every non-file request aborted. *Usable* is the page's first drawing (``window.coauthorReady``: positions were
computed in Python, physics is off, so the first drawing is the final one). Each page is opened twice in a fresh
tab; the better time counts. Usage:

    python bench/bench_views.py [--sizes 100,1000,5000,20000] [--physics 100,300,1000]

``--physics`` also measures, for comparison, the same pages with vis-network's physics switched on (its
default Barnes-Hut solver, stabilization of up to 1,000 iterations before the first drawing): the threshold
above which a layout computed in the browser makes the page wait.
"""

from __future__ import annotations

import argparse
import random
import re
import tempfile
import time
from pathlib import Path

import igraph

from viz.labels import group_colour, radius
from viz.page import Link, ViewEdge, ViewNode, render_network

CHROMIUM = "/usr/bin/chromium"
PHYSICS_OFF = '"physics":{"enabled":false}'
PHYSICS_ON = '"physics":{"enabled":true,"stabilization":{"enabled":true,"iterations":1000}}'


def generated_view(size: int, seed: int = 7) -> tuple[list[ViewNode], list[ViewEdge]]:
    """A planted-partition graph of ``size`` authors in communities of about 40, dressed as the views dress it."""
    rng = random.Random(seed)
    groups = max(1, size // 40)
    sizes = [size // groups + (1 if n < size % groups else 0) for n in range(groups)]
    inside, across = min(1.0, 5.0 / 40), 1.0 / max(size, 1)
    preference = [[inside if a == b else across for b in range(groups)] for a in range(groups)]
    igraph.set_random_number_generator(rng)
    network = igraph.Graph.SBM(preference, sizes)
    igraph.set_random_number_generator(random)
    group = [number for number, count in enumerate(sizes, start=1) for _ in range(count)]
    degrees = network.degree()
    largest = max(degrees, default=1)
    nodes = [
        ViewNode(
            f"a{v}",
            f"Author {v} Ñame",
            radius(degrees[v], largest),
            group_colour(group[v]),
            (f"Author {v} Ñame", f"Community {group[v]}", f"{degrees[v] + 1} papers", "Active 2011-2024"),
            links=(Link(f"A paper ({2000 + v % 25}), doi:10.1/{v}", f"https://doi.org/10.1/{v}"),),
        )
        for v in range(size)
    ]
    edges = [
        ViewEdge(f"a{a}", f"a{b}", weight=1 + (a + b) % 3, tooltip=(f"a{a} - a{b}",)) for a, b in network.get_edgelist()
    ]
    return nodes, edges


def time_to_usable(context, path: Path, timeout: float) -> float | None:
    """Seconds from navigation to the page's first drawing (best of two); None when it did not draw in time.

    The flag is polled from Python every 20 ms: ``wait_for_function`` polls by evaluating a string in the page,
    which the page's Content-Security-Policy refuses.
    """
    best = None
    for _ in range(2):
        page = context.new_page()
        started = time.perf_counter()
        page.goto(path.as_uri())
        while not page.evaluate("window.coauthorReady === true"):
            if time.perf_counter() - started > timeout:
                print(f"{path.name} did not draw in {timeout:.0f} s", flush=True)
                page.close()
                return None
            time.sleep(0.02)
        elapsed = time.perf_counter() - started
        best = elapsed if best is None else min(best, elapsed)
        page.close()
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,5000,20000", help="Node counts, comma-separated.")
    parser.add_argument("--physics", default="100,300,1000", help="Sizes to measure with physics on too ('' for none).")
    parser.add_argument("--timeout", type=float, default=60.0, help="Seconds a page may take to draw.")
    args = parser.parse_args()
    sizes = [int(n) for n in args.sizes.split(",") if n]
    physics = [int(n) for n in args.physics.split(",") if n]

    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="coauthor-bench-views-"))
    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        context.route(re.compile(r"^(?!file:)"), lambda route: route.abort())
        for size in sorted(set(sizes) | set(physics)):
            nodes, edges = generated_view(size)
            started = time.perf_counter()
            html = render_network(nodes, edges, title="bench", caption=f"{size} authors")
            path = folder / f"view-{size}.html"
            path.write_text(html, encoding="utf-8")
            written = time.perf_counter() - started
            usable = time_to_usable(context, path, args.timeout) if size in sizes else None
            stabilized = None
            if size in physics:
                path.write_text(html.replace(PHYSICS_OFF, PHYSICS_ON, 1), encoding="utf-8")
                stabilized = time_to_usable(context, path, args.timeout)
            rows.append(
                (size, len(edges), len(html.encode()), written, usable, stabilized, size in sizes, size in physics)
            )
            print(_row(rows[-1]), flush=True)
        browser.close()
    print("\n| nodes | edges | HTML | write (layout included) | usable, positions from Python | with physics on |")
    print("|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        print(_row(row))


def _row(row: tuple) -> str:
    size, edges, length, written, usable, stabilized, plain, physics = row
    usable = _seconds(usable) if plain else "-"
    stabilized = _seconds(stabilized) if physics else "-"
    return f"| {size:,} | {edges:,} | {length / 1e6:.2f} MB | {written:.2f} s | {usable} | {stabilized} |"


def _seconds(value: float | None) -> str:
    return "not drawn" if value is None else f"{value:.2f} s"


if __name__ == "__main__":
    main()
