"""Offline HTML views of the coauthorship graph: pure ``render_*(data) -> html`` functions, no database."""

from viz.communities import render_community_members, render_community_overview
from viz.ego import render_ego
from viz.page import ViewEdge, ViewNode, render_network
from viz.papers import render_paper_graph
from viz.paths import render_paths
from viz.topics import render_topic_map

__all__ = [
    "ViewEdge",
    "ViewNode",
    "render_community_members",
    "render_community_overview",
    "render_ego",
    "render_network",
    "render_paper_graph",
    "render_paths",
    "render_topic_map",
]
