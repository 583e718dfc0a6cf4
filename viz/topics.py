"""The topic map: topics sized by papers, linked by the papers they share, coloured by theme."""

from __future__ import annotations

from queries.themes import Theme, TopicMap
from viz.labels import DASH, OTHER_COLOUR, PALETTE, count, group_colour, radius, span
from viz.page import LegendEntry, ViewEdge, ViewNode, render_network

__all__ = ["render_topic_map", "theme_name"]


def render_topic_map(found: TopicMap, *, max_nodes: int = 300, seed: int = 42) -> str:
    """The ``max_nodes`` topics with most papers, tied by shared papers; the legend names themes by top topics."""
    ranked = sorted(found.papers, key=lambda topic: (-found.papers[topic], topic))
    drawn = ranked[:max_nodes]
    kept = set(drawn)
    ties = [(a, b, n) for a, b, n in found.ties if a in kept and b in kept]
    theme_of = found.themes.theme_of
    themes = {theme.id: theme for theme in found.themes.themes}
    largest = max((found.papers[topic] for topic in drawn), default=0)
    nodes = [
        ViewNode(
            topic,
            found.names[topic],
            radius(found.papers[topic], largest),
            group_colour(theme_of[topic]),
            (
                found.names[topic],
                topic,
                count(found.papers[topic], "paper"),
                f"Theme {theme_name(themes[theme_of[topic]])}",
            ),
        )
        for topic in drawn
    ]
    edges = [
        ViewEdge(
            a,
            b,
            weight=n,
            tooltip=(f"{found.names[a]} {DASH} {found.names[b]}", f"{count(n, 'paper')} with both topics"),
        )
        for a, b, n in ties
    ]
    shown_themes = sorted({theme_of[topic] for topic in drawn})
    legend = [
        LegendEntry(group_colour(number), f"{theme_name(themes[number])} ({count(themes[number].papers, 'paper')})")
        for number in shown_themes
        if number <= len(PALETTE)
    ]
    if rest := sum(number > len(PALETTE) for number in shown_themes):
        legend.append(LegendEntry(OTHER_COLOUR, count(rest, "more theme")))
    caption = (
        f"Top {len(drawn):,} of {len(ranked):,} topics by papers"
        if len(drawn) < len(ranked)
        else (f"All {count(len(drawn), 'topic')}")
    )
    caption += f", in {count(len(shown_themes), 'theme')}; {count(len(ties), 'co-occurrence tie')}"
    notes = [f"Themes: Leiden communities of the co-occurrence graph (modularity {found.themes.modularity:.3f})"]
    if drawn:
        notes.append(f"Size: papers with the topic ({span(found.papers[topic] for topic in drawn)})")
    if ties:
        notes.append(f"Line width: papers with both topics ({span(n for _a, _b, n in ties)})")
    return render_network(nodes, edges, title="Topic map", caption=caption, legend=legend, notes=notes, seed=seed)


def theme_name(theme: Theme) -> str:
    """``2: Machine Learning, Computer Vision`` (its number and its two topics with most papers)."""
    return f"{theme.id}: {', '.join(theme.topics[:2])}"
