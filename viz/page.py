"""One network as one offline HTML page: vis-network's data model, our own template, nothing fetched from anywhere.

Everything the page needs is inlined (vis-network's JS and CSS from the pyvis package, our CSS and JS), every
piece of text is escaped, and a Content-Security-Policy allows only the page's own two scripts, by hash.
Positions are computed here with a seeded layout (or given by the view) and physics is off: the same input gives
byte-identical HTML, and the page is usable as soon as it is drawn, whatever its size.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, Template, select_autoescape
from markupsafe import Markup

from viz.layout import node_positions

__all__ = [
    "SHAPES",
    "LegendEntry",
    "Link",
    "ViewEdge",
    "ViewNode",
    "arxiv_link",
    "doi_link",
    "edge_width",
    "paper_links",
    "render_network",
    "sibling_page",
]

_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Noto Sans CJK SC', sans-serif"
VIS_LIB = files("pyvis") / "templates" / "lib" / "vis-9.1.2"
SHAPES = ("dot", "square", "diamond", "triangle")
#: Above this many edges the page hides edges while the user drags or zooms, so panning stays fluid.
BUSY_EDGES = 3_000
_HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
# The characters of a sibling page's name: ASCII only, as the page's JavaScript SAFE_URL (the same rule) reads them.
_PAGE_NAME_CHARS = "A-Za-z0-9_.-"
# What a link may point to: the web over HTTPS, or a sibling page the same command wrote ("x-community-3.html").
_SAFE_URL = re.compile(rf"""https://[^\s"'<>\\]+|[{_PAGE_NAME_CHARS}]+\.html""")
# Inside <script>, "</script>" or "<!--" in a name would end or corrupt the script; U+2028/9 end JS lines.
# (Five str.replace calls: on a 14 MB page they take a tenth of the time of one str.translate.)
_JSON_ESCAPES = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)
_VIS_OPTIONS = {
    "physics": {"enabled": False},
    "layout": {"improvedLayout": False},
    "interaction": {"hover": True, "tooltipDelay": 80, "keyboard": False},
    "nodes": {
        "shape": "dot",
        "borderWidth": 2,
        "borderWidthSelected": 3,
        "scaling": {"label": {"drawThreshold": 9}},
        "font": {"face": _FONT, "size": 15, "color": "#1e293b", "strokeWidth": 4, "strokeColor": "#ffffff"},
    },
    "edges": {
        "smooth": False,
        "color": {"color": "#cbd5e1", "highlight": "#334155", "hover": "#64748b"},
        "hoverWidth": 0.5,
        "selectionWidth": 1,
        "font": {"face": _FONT, "size": 12, "color": "#334155", "strokeWidth": 4, "strokeColor": "#ffffff"},
    },
}


@dataclass(frozen=True)
class Link:
    """A link a tooltip names and the selection panel opens: ``url`` is https:// or a sibling ``.html`` page."""

    text: str
    url: str


@dataclass(frozen=True)
class ViewNode:
    """A node as drawn: ``size`` is the radius in pixels, ``tooltip`` plain-text lines (the first in bold)."""

    id: str
    label: str
    size: float
    color: str
    tooltip: tuple[str, ...] = ()
    emphasis: bool = False
    shape: str = "dot"
    links: tuple[Link, ...] = ()


@dataclass(frozen=True)
class ViewEdge:
    """A tie as drawn: ``weight`` sets the line width (see `edge_width`); ``label`` is written along the line."""

    source: str
    target: str
    weight: float = 1.0
    tooltip: tuple[str, ...] = ()
    label: str = ""
    links: tuple[Link, ...] = ()


@dataclass(frozen=True)
class LegendEntry:
    """One legend row: a swatch of ``colour`` and ``shape``, and what it means."""

    colour: str
    meaning: str
    shape: str = "dot"


def render_network(
    nodes: Sequence[ViewNode],
    edges: Sequence[ViewEdge],
    *,
    title: str,
    caption: str,
    legend: Sequence[LegendEntry | tuple[str, str]] = (),
    notes: Sequence[str] = (),
    seed: int = 42,
    positions: Mapping[str, tuple[float, float]] | None = None,
) -> str:
    """Render a self-contained HTML page of the network.

    Parameters
    ----------
    nodes, edges
        What to draw; edges must join known nodes, at most one edge per pair.
    title, caption
        The page heading and one line saying what was drawn (and what was left out).
    legend
        Swatches, as :class:`LegendEntry` or ``(colour, meaning)`` pairs; colours as ``#rrggbb``.
    notes
        Lines under the legend, e.g. what node size and line width measure.
    seed
        Seeds the layout; the same input and seed give byte-identical HTML.
    positions
        Pixel positions of every node, when the view lays itself out (e.g. a chain drawn left to right).

    Raises
    ------
    ValueError
        On a duplicate node id, an edge to an unknown node, a repeated pair, a colour not like ``#rrggbb``, an
        unknown shape, a link that is neither https:// nor a sibling page, or a node without a given position.
    """
    entries = [entry if isinstance(entry, LegendEntry) else LegendEntry(*entry) for entry in legend]
    _check_view(nodes, edges, entries)
    if positions is None:
        positions = node_positions([node.id for node in nodes], [(e.source, e.target) for e in edges], seed=seed)
    elif missing := [node.id for node in nodes if node.id not in positions]:
        raise ValueError(f"no position for node {missing[0]!r}")
    data = _script_json(
        {
            "nodes": [_node_data(node, positions[node.id]) for node in nodes],
            "edges": [_edge_data(number, edge) for number, edge in enumerate(edges)],
            "options": _options(len(edges)),
        }
    )
    return _template().render(
        title=title,
        caption=caption,
        legend=entries,
        notes=notes,
        data=data,
        vis_css=_inline("vis-network.css", "</style"),
        vis_js=_inline("vis-network.min.js", "</script"),
    )


def edge_width(weight: float) -> float:
    """Line width in pixels: 1 for weight 1, +2 per doubling, at most 9."""
    return round(min(1.0 + 2.0 * math.log2(max(weight, 1.0)), 9.0), 2)


def doi_link(doi: str) -> Link:
    """The doi.org link of a DOI; the DOI is percent-encoded, so it cannot leave the doi.org address."""
    return Link(f"doi:{doi}", "https://doi.org/" + quote(doi, safe="/:;()._-"))


def arxiv_link(arxiv_id: str) -> Link:
    """The arXiv abstract page of an identifier (new or old style)."""
    return Link(f"arXiv:{arxiv_id}", "https://arxiv.org/abs/" + quote(arxiv_id, safe="/.-"))


def paper_links(paper_id: str = "", *, doi: str | None = None, arxiv_id: str | None = None) -> tuple[Link, ...]:
    """DOI and arXiv links of a paper, from its properties or else from its node id (``doi:…``, ``arxiv:…``)."""
    kind, _, value = paper_id.partition(":")
    doi = doi or (value if kind == "doi" else None)
    arxiv_id = arxiv_id or (value if kind == "arxiv" else None)
    return tuple(link for link in (doi and doi_link(doi), arxiv_id and arxiv_link(arxiv_id)) if link)


def sibling_page(name: str) -> str:
    """The file name of a page written beside another and linked from it: ``name`` + ``.html`` with every character
    a link may not hold (anything but ASCII letters, digits and ``_.-``) made ``_`` (``réseau-community-1`` gives
    ``r_seau-community-1.html``)."""
    return re.sub(f"[^{_PAGE_NAME_CHARS}]", "_", name) + ".html"


def _check_view(nodes: Sequence[ViewNode], edges: Sequence[ViewEdge], legend: Sequence[LegendEntry]) -> None:
    """Refuse input the page would draw wrongly, naming the culprit."""
    ids: set[str] = set()
    for node in nodes:
        if node.id in ids:
            raise ValueError(f"duplicate node id {node.id!r}")
        ids.add(node.id)
    pairs: set[frozenset[str]] = set()
    for edge in edges:
        missing = {edge.source, edge.target} - ids
        if missing:
            raise ValueError(f"edge {edge.source!r}-{edge.target!r} names unknown node {sorted(missing)[0]!r}")
        pair = frozenset((edge.source, edge.target))
        if pair in pairs:
            raise ValueError(f"edge {edge.source!r}-{edge.target!r} appears twice")
        pairs.add(pair)
    for colour in {node.color for node in nodes} | {entry.colour for entry in legend}:
        if not _HEX_COLOUR.fullmatch(colour):
            raise ValueError(f"colour {colour!r} is not of the form #rrggbb")
    for shape in {node.shape for node in nodes} | {entry.shape for entry in legend}:
        if shape not in SHAPES:
            raise ValueError(f"shape {shape!r} is not one of {', '.join(SHAPES)}")
    for item in [*nodes, *edges]:
        for link in item.links:
            if not _SAFE_URL.fullmatch(link.url):
                raise ValueError(f"link {link.url!r} is neither https:// nor a sibling .html page")


def _node_data(node: ViewNode, position: tuple[float, float]) -> dict[str, object]:
    """vis-network's node: filled with the node's colour, a white ring normally and a dark one when active."""
    ring = "#0f172a" if node.emphasis else "#ffffff"
    active = {"background": node.color, "border": "#0f172a"}
    data: dict[str, object] = {
        "id": node.id,
        "label": node.label,
        "x": round(position[0]),
        "y": round(position[1]),
        "size": node.size,
        "shape": node.shape,
        "color": {"background": node.color, "border": ring, "highlight": active, "hover": active},
        "tooltip": list(node.tooltip),
        "links": [[link.text, link.url] for link in node.links],
    }
    if node.emphasis:
        data |= {"borderWidth": 3, "font": {"size": 18, "color": "#0f172a"}}
    return data


def _edge_data(number: int, edge: ViewEdge) -> dict[str, object]:
    data: dict[str, object] = {
        "id": f"e{number}",
        "from": edge.source,
        "to": edge.target,
        "width": edge_width(edge.weight),
        "tooltip": list(edge.tooltip),
        "links": [[link.text, link.url] for link in edge.links],
    }
    if edge.label:
        data["label"] = edge.label
    return data


def _options(edge_count: int) -> dict[str, object]:
    """The vis-network options; a busy page hides its edges while it moves."""
    if edge_count <= BUSY_EDGES:
        return _VIS_OPTIONS
    return {
        **_VIS_OPTIONS,
        "interaction": {**_VIS_OPTIONS["interaction"], "hideEdgesOnDrag": True, "hideEdgesOnZoom": True},
    }


def _script_json(value: object) -> Markup:
    """JSON safe inside <script>: no ``</script>``, no HTML comment, no JS line separators."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for character, escape in _JSON_ESCAPES:
        text = text.replace(character, escape)
    return Markup(text)


@cache
def _inline(name: str, closing_tag: str) -> Markup:
    """A vis-network file from the pyvis package, checked safe to inline."""
    text = (VIS_LIB / name).read_text(encoding="utf-8")
    if closing_tag in text.lower() or "<!--" in text:
        raise RuntimeError(f"{VIS_LIB / name} contains {closing_tag!r} or '<!--': it cannot be inlined")
    return Markup(text)


def _csp_hash(script: str) -> str:
    """The base64 SHA-256 a Content-Security-Policy uses to allow exactly this inline script."""
    return base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")


@cache
def _template() -> Template:
    environment = Environment(loader=PackageLoader("viz", "templates"), autoescape=select_autoescape(["html"]))
    environment.filters["csp_hash"] = _csp_hash
    return environment.get_template("network.html")
