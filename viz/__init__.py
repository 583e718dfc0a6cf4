"""Offline HTML views of the coauthorship graph: pure ``render_*(data) -> html`` functions, no database."""

from viz.ego import render_ego
from viz.page import ViewEdge, ViewNode, render_network

__all__ = ["ViewEdge", "ViewNode", "render_ego", "render_network"]
