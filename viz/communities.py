"""The community views: authors coloured by community, or one node per community joined by the ties between them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set

from queries.communities import CommunitySummary
from queries.community_graph import CommunityLink, CommunityMembers, CommunityOverview
from viz.labels import (
    DASH,
    OTHER_COLOUR,
    PALETTE,
    amount,
    author_lines,
    count,
    group_colour,
    paper_list_links,
    radius,
    span,
    tie_line,
    width_note,
    years,
)
from viz.page import LegendEntry, Link, ViewEdge, ViewNode, render_network

__all__ = ["community_name", "render_community_members", "render_community_overview"]


def render_community_members(
    members: CommunityMembers, *, paperless: Set[frozenset[str]] = frozenset(), seed: int = 42
) -> str:
    """Authors coloured by community, sized by PageRank; the legend names each community by its top topics.

    ``paperless`` holds the pairs whose tie is known without its papers: their lines say so and show its weight.
    """
    summaries = {summary.id: summary for summary in members.communities}
    largest = max(members.scores.values(), default=0.0)
    nodes = []
    for author, score in members.scores.items():
        card, number = members.cards[author], members.membership[author]
        lines = author_lines(card, f"Community {community_name(summaries[number])}", f"PageRank {score:.4f}")
        nodes.append(
            ViewNode(
                author,
                card.name,
                radius(score, largest),
                group_colour(number),
                lines,
                links=paper_list_links(card.latest),
            )
        )
    names = {author: card.name for author, card in members.cards.items()}
    edges = [
        ViewEdge(
            a,
            b,
            weight=w,
            tooltip=(f"{names[a]} {DASH} {names[b]}", tie_line(w, paperless=frozenset((a, b)) in paperless)),
        )
        for a, b, w in members.ties
    ]
    notes = [f"Communities: {members.source}"]
    if members.scores:
        notes.append(f"Circle size: PageRank ({span(round(s, 4) for s in members.scores.values())})")
    if members.ties:
        without = sum(frozenset((a, b)) in paperless for a, b, _w in members.ties)
        notes.append(width_note([w for _a, _b, w in members.ties], without))
    title = "Communities of coauthors"
    if members.community is not None:
        title = f"Community {community_name(summaries[members.community])}"
    return render_network(
        nodes,
        edges,
        title=title,
        caption=_members_caption(members),
        legend=_legend(members.communities),
        notes=notes,
        seed=seed,
    )


def render_community_overview(
    overview: CommunityOverview, *, pages: Mapping[int, str] | None = None, seed: int = 42
) -> str:
    """One node per community sized by its authors, lines by the ties between communities; a line's tooltip
    counts its ties and joint papers, and the ties known without papers with their summed weight.

    ``pages`` maps a community number to the file name of its own view, which the community's panel links to.
    """
    pages = pages or {}
    largest = max((summary.size for summary in overview.communities), default=0)
    nodes = [
        ViewNode(
            f"c{summary.id}",
            community_name(summary),
            radius(summary.size, largest),
            group_colour(summary.id),
            _community_lines(summary),
            links=(Link(f"Open community {summary.id}", pages[summary.id]),) if summary.id in pages else (),
        )
        for summary in overview.communities
    ]
    edges = [
        ViewEdge(f"c{link.low}", f"c{link.high}", weight=link.ties, tooltip=_link_lines(link))
        for link in overview.links
    ]
    shown = len(overview.communities)
    caption = f"{count(shown, 'community', 'communities')} of {overview.total:,}, largest first"
    caption += f" ({overview.authors:,} authors)"
    if shown < overview.total:
        caption += f"; {overview.total - shown:,} smaller left out"
    notes = [f"Communities: {overview.source}"]
    if overview.communities:
        notes.append(f"Circle size: authors ({span(summary.size for summary in overview.communities)})")
    if overview.links:
        notes.append(f"Line width: coauthor ties between communities ({span(link.ties for link in overview.links)})")
    return render_network(
        nodes,
        edges,
        title="Communities of coauthors: overview",
        caption=caption + f"; {count(len(edges), 'link')} between them",
        legend=_legend(overview.communities),
        notes=notes,
        seed=seed,
    )


def community_name(summary: CommunitySummary) -> str:
    """``3: graph neural networks, knowledge graphs`` (its number and two most distinctive topics)."""
    topics = ", ".join(summary.top_topics[:2]) or (summary.top_authors[0] if summary.top_authors else "no topics")
    return f"{summary.id}: {topics}"


def _link_lines(link: CommunityLink) -> tuple[str, ...]:
    """A link's tooltip: its communities, ``15 ties``, ``5 joint papers`` (distinct papers), and what the ties known
    without papers weigh: ``3 ties known without their papers, summed weight 2.5`` (``Known ...`` when all are)."""
    lines = [f"Communities {link.low} {DASH} {link.high}", count(link.ties, "tie")]
    if link.paperless < link.ties:
        lines.append(count(link.papers, "joint paper"))
    if link.paperless:
        which = "Known" if link.paperless == link.ties else f"{count(link.paperless, 'tie')} known"
        their, summed = ("its", "") if link.paperless == 1 else ("their", "summed ")
        lines.append(f"{which} without {their} papers, {summed}weight {amount(link.paperless_weight)}")
    return tuple(lines)


def _members_caption(members: CommunityMembers) -> str:
    drawn = len(members.scores)
    whose = "authors" if members.community is None else f"members of community {members.community}"
    which = (
        f"all {drawn:,} {whose}" if drawn == members.candidates else f"top {drawn:,} of {members.candidates:,} {whose}"
    )
    groups = count(len(members.communities), "community", "communities")
    return f"{which[0].upper()}{which[1:]} by PageRank, in {groups}; {count(len(members.ties), 'tie')}"


def _community_lines(summary: CommunitySummary) -> tuple[str, ...]:
    lines = [f"Community {summary.id}", count(summary.size, "author")]
    if active := years(summary.first_year, summary.last_year):
        lines.append(active)
    if summary.top_topics:
        lines.append("Topics: " + ", ".join(summary.top_topics))
    if summary.top_authors:
        lines.append("Top authors: " + ", ".join(summary.top_authors))
    lines.append(f"Open it with --community {summary.id}")
    return tuple(lines)


def _legend(communities: Sequence[CommunitySummary]) -> list[LegendEntry]:
    """A swatch per coloured community, naming it by topics and size; one grey swatch for the rest."""
    entries = [
        LegendEntry(group_colour(summary.id), f"{community_name(summary)} ({count(summary.size, 'author')})")
        for summary in communities
        if summary.id <= len(PALETTE)
    ]
    rest = sum(summary.id > len(PALETTE) for summary in communities)
    if rest:
        entries.append(LegendEntry(OTHER_COLOUR, count(rest, "more community", "more communities")))
    return entries
