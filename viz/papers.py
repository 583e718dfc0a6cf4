"""The papers view: an author's (or a topic's) papers with their authors and topics, one shape and colour per label."""

from __future__ import annotations

from collections import Counter

from queries.papers import PaperDetail, PaperGraph
from viz.labels import DASH, author_lines, count, radius, shorten
from viz.page import LegendEntry, ViewEdge, ViewNode, paper_links, render_network

__all__ = ["papers_within", "render_paper_graph"]

AUTHOR_COLOUR = "#2563eb"
FOCUS_COLOUR = "#ea580c"
PAPER_COLOUR = "#ca8a04"
TOPIC_COLOUR = "#16a34a"


def render_paper_graph(found: PaperGraph, *, max_nodes: int = 300, seed: int = 42) -> str:
    """Draw papers (squares, sized by citations), authors (circles, sized by papers in the view) and topics
    (diamonds, sized by papers in the view), keeping whole papers in order until ``max_nodes`` nodes are drawn."""
    papers, authors, topics = papers_within(found, max_nodes)
    focus = ("a:" if found.focus_kind == "author" else "t:") + found.focus
    wrote = Counter(author for paper in papers for author in paper.authors)
    about = Counter(topic for paper in papers for topic in paper.topics)
    cited = max((paper.citations or 0 for paper in papers), default=0)
    nodes = [_paper_node(paper, cited) for paper in papers]
    nodes += [
        ViewNode(
            f"a:{author}",
            found.authors[author].name,
            radius(wrote[author], max(wrote.values())),
            FOCUS_COLOUR if f"a:{author}" == focus else AUTHOR_COLOUR,
            author_lines(found.authors[author], "Author", f"{count(wrote[author], 'paper')} in this view"),
            emphasis=f"a:{author}" == focus,
        )
        for author in authors
    ]
    nodes += [
        ViewNode(
            f"t:{topic}",
            found.topics[topic],
            radius(about[topic], max(about.values())),
            FOCUS_COLOUR if f"t:{topic}" == focus else TOPIC_COLOUR,
            (found.topics[topic], "Topic", topic, f"{count(about[topic], 'paper')} in this view"),
            emphasis=f"t:{topic}" == focus,
            shape="diamond",
        )
        for topic in topics
    ]
    names = {node.id: node.label for node in nodes}
    pairs = [(f"a:{a}", f"p:{paper.ref.id}") for paper in papers for a in paper.authors if a in authors]
    pairs += [(f"p:{paper.ref.id}", f"t:{t}") for paper in papers for t in paper.topics if t in topics]
    edges = [ViewEdge(a, b, tooltip=(f"{names[a]} {DASH} {names[b]}",)) for a, b in pairs]
    legend = [
        LegendEntry(FOCUS_COLOUR, f"{found.focus_name} ({found.focus_kind})", "diamond" if focus[0] == "t" else "dot"),
        LegendEntry(PAPER_COLOUR, "Papers", "square"),
        LegendEntry(AUTHOR_COLOUR, "Authors", "dot"),
        LegendEntry(TOPIC_COLOUR, "Topics", "diamond"),
    ]
    notes = [
        "Square size: citations (unknown counts as 0)",
        "Circle size: the author's papers in this view",
        "Diamond size: the topic's papers in this view",
    ]
    return render_network(
        nodes,
        edges,
        title=f"Papers, authors and topics: {found.focus_name}",
        caption=_caption(found, papers, authors, topics),
        legend=legend,
        notes=notes,
        seed=seed,
    )


def papers_within(found: PaperGraph, max_nodes: int) -> tuple[list[PaperDetail], list[str], list[str]]:
    """The papers drawn, in order, with the authors and topics drawn: whole papers while all their nodes fit in
    ``max_nodes``; the first paper always, and when it alone does not fit, the author or topic in focus first,
    then its topics, then as many of its authors as fit."""
    papers: list[PaperDetail] = []
    focus = ("a:" if found.focus_kind == "author" else "t:") + found.focus
    drawn: dict[str, None] = {focus: None} if found.focus_kind == "author" and found.focus in found.authors else {}
    for paper in found.papers:
        new = [f"a:{a}" for a in paper.authors if a in found.authors] + [f"t:{t}" for t in paper.topics]
        new = [node for node in dict.fromkeys(new) if node not in drawn]
        if papers and len(papers) + len(drawn) + 1 + len(new) > max_nodes:
            break
        papers.append(paper)
        drawn.update(dict.fromkeys(new))
    ranked = sorted(drawn, key=lambda node: (node != focus, node[0] != "t"))  # stable: byline and topic order kept
    kept = set(ranked[: max_nodes - len(papers)])
    authors = [node[2:] for node in drawn if node in kept and node[0] == "a"]
    return papers, authors, [node[2:] for node in drawn if node in kept and node[0] == "t"]


def _paper_node(paper: PaperDetail, most_cited: int) -> ViewNode:
    ref = paper.ref
    lines = [ref.title or ref.id, "Paper"]
    facts = [
        str(ref.year) if ref.year else None,
        paper.venue,
        None if paper.citations is None else f"{paper.citations:,} citations",
    ]
    if known := [fact for fact in facts if fact]:
        lines.append(", ".join(known))
    lines.append(count(len(paper.authors), "author"))
    return ViewNode(
        f"p:{ref.id}",
        shorten(ref.title or ref.id, 40),
        radius(paper.citations or 0, most_cited),
        PAPER_COLOUR,
        tuple(lines),
        shape="square",
        links=paper_links(ref.id, doi=ref.doi, arxiv_id=ref.arxiv_id),
    )


def _caption(found: PaperGraph, papers: list[PaperDetail], authors: list[str], topics: list[str]) -> str:
    order = "latest first" if found.focus_kind == "author" else "most cited first"
    which = (
        f"all {count(found.total, 'paper')}"
        if len(papers) == found.total
        else f"{len(papers):,} of {found.total:,} papers"
    )
    caption = f"{which[0].upper()}{which[1:]} of {found.focus_name} ({order}), {count(len(authors), 'author')}"
    caption += f", {count(len(topics), 'topic')}"
    every_author = {author for paper in papers for author in paper.authors}
    every_topic = {topic for paper in papers for topic in paper.topics}
    for noun, cut in (("author", len(every_author) - len(authors)), ("topic", len(every_topic) - len(topics))):
        if cut:
            caption += f"; {count(cut, f'more {noun}')} of these papers left out"
    if len(papers) < found.total:
        caption += f"; {found.total - len(papers):,} more papers left out (--max-nodes)"
    return caption
