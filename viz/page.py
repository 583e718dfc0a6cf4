"""One network as one offline HTML page: pyvis's data model, our own template, nothing fetched from anywhere.

Everything the page needs is inlined (vis-network's JS and CSS from the pyvis package, our CSS and JS), every
piece of text is escaped, and a Content-Security-Policy allows only the page's own two scripts, by hash.
Positions are computed here with a seeded layout and physics is off: the same input gives byte-identical HTML.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from jinja2 import Environment, PackageLoader, Template, select_autoescape
from markupsafe import Markup
from pyvis.edge import Edge
from pyvis.network import Network

from viz.layout import node_positions

__all__ = ["ViewEdge", "ViewNode", "edge_width", "render_network"]

_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Noto Sans CJK SC', sans-serif"
VIS_LIB = files("pyvis") / "templates" / "lib" / "vis-9.1.2"
_HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
# Inside <script>, "</script>" or "<!--" in a name would end or corrupt the script; U+2028/9 end JS lines.
_JSON_ESCAPES = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
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
    },
}


@dataclass(frozen=True)
class ViewNode:
    """A node as drawn: ``size`` is the radius in pixels, ``tooltip`` plain-text lines (the first in bold)."""

    id: str
    label: str
    size: float
    color: str
    tooltip: tuple[str, ...] = ()
    emphasis: bool = False


@dataclass(frozen=True)
class ViewEdge:
    """A tie as drawn: ``weight`` sets the line width (see `edge_width`)."""

    source: str
    target: str
    weight: float = 1.0
    tooltip: tuple[str, ...] = ()


def render_network(
    nodes: Sequence[ViewNode],
    edges: Sequence[ViewEdge],
    *,
    title: str,
    caption: str,
    legend: Sequence[tuple[str, str]] = (),
    notes: Sequence[str] = (),
    seed: int = 42,
) -> str:
    """Render a self-contained HTML page of the network.

    Parameters
    ----------
    nodes, edges
        What to draw; edges must join known nodes, at most one edge per pair.
    title, caption
        The page heading and one line saying what was drawn (and what was left out).
    legend
        ``(colour, meaning)`` pairs, colours as ``#rrggbb``.
    notes
        Lines under the legend, e.g. what node size and line width measure.
    seed
        Seeds the layout; the same input and seed give byte-identical HTML.

    Raises
    ------
    ValueError
        On a duplicate node id, an edge to an unknown node, a repeated pair or a colour not like ``#rrggbb``.
    """
    _check_view(nodes, edges, legend)
    net = _build_network(nodes, edges, seed=seed)
    data = _script_json({"nodes": net.nodes, "edges": net.edges, "options": _VIS_OPTIONS})
    return _template().render(
        title=title,
        caption=caption,
        legend=legend,
        notes=notes,
        data=data,
        vis_css=_inline("vis-network.css", "</style"),
        vis_js=_inline("vis-network.min.js", "</script"),
    )


def edge_width(weight: float) -> float:
    """Line width in pixels: 1 for weight 1, +2 per doubling, at most 9."""
    return round(min(1.0 + 2.0 * math.log2(max(weight, 1.0)), 9.0), 2)


def _check_view(
    nodes: Sequence[ViewNode],
    edges: Sequence[ViewEdge],
    legend: Sequence[tuple[str, str]],
) -> None:
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
    for colour in [node.color for node in nodes] + [colour for colour, _ in legend]:
        if not _HEX_COLOUR.fullmatch(colour):
            raise ValueError(f"colour {colour!r} is not of the form #rrggbb")


def _build_network(nodes: Sequence[ViewNode], edges: Sequence[ViewEdge], *, seed: int) -> Network:
    """The pyvis network with positions set; physics stays off in the page."""
    ties = [(edge.source, edge.target) for edge in edges]
    positions = node_positions([node.id for node in nodes], ties, seed=seed)
    net = Network()
    for node in nodes:
        x, y = positions[node.id]
        net.add_node(
            node.id,
            label=node.label,
            x=x,
            y=y,
            size=node.size,
            color=_node_colour(node),
            tooltip=list(node.tooltip),
            **_emphasis(node),
        )
    # Network.add_edge scans every existing edge (quadratic); _check_view has already refused repeats.
    for edge in edges:
        options = {"width": edge_width(edge.weight), "tooltip": list(edge.tooltip)}
        net.edges.append(Edge(edge.source, edge.target, **options).options)
    return net


def _node_colour(node: ViewNode) -> dict[str, object]:
    """Fill with the node's colour; a white ring normally, a dark one on hover and selection."""
    ring = "#0f172a" if node.emphasis else "#ffffff"
    active = {"background": node.color, "border": "#0f172a"}
    return {"background": node.color, "border": ring, "highlight": active, "hover": active}


def _emphasis(node: ViewNode) -> dict[str, object]:
    """Extra vis-network options for an emphasised node: thicker ring, larger label."""
    if not node.emphasis:
        return {}
    return {"borderWidth": 3, "font": {"size": 18, "color": "#0f172a"}}


def _script_json(value: object) -> Markup:
    """JSON safe inside <script>: no ``</script>``, no HTML comment, no JS line separators."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Markup(text.translate(_JSON_ESCAPES))


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
