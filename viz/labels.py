"""What every view writes the same way: counts and spans, node radii, group colours, an author's tooltip."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence

from queries.papers import AuthorCard, PaperRef
from viz.page import Link, paper_links

__all__ = [
    "DASH",
    "OTHER_COLOUR",
    "PALETTE",
    "PAPERLESS",
    "amount",
    "author_lines",
    "count",
    "group_colour",
    "paper_list_links",
    "radius",
    "shorten",
    "span",
    "tie_line",
    "width_note",
    "years",
]

DASH = "\N{EN DASH}"
#: Ten colours told apart by most readers (Tableau 10 order, darkened for white labels); groups past ten are grey.
PALETTE = (
    "#2563eb",
    "#ea580c",
    "#16a34a",
    "#dc2626",
    "#9333ea",
    "#0891b2",
    "#ca8a04",
    "#db2777",
    "#65a30d",
    "#92400e",
)
OTHER_COLOUR = "#94a3b8"
#: How every view names a COAUTHOR tie known without its papers (SNAP, GML): its weight is the source's.
PAPERLESS = "A tie known without its papers"
MIN_RADIUS, MAX_RADIUS = 9.0, 34.0


def count(number: float, noun: str, plural: str | None = None) -> str:
    """``1 paper``, ``1,204 papers`` (``plural`` when adding an s will not do)."""
    return f"{number:,} {noun}" if number == 1 else f"{number:,} {plural or noun + 's'}"


def span(numbers: Iterable[float], show: Callable[[float], str] = "{:,}".format) -> str:
    """``3`` or ``1-40`` (an en dash in the text): the smallest and largest of the numbers, written by ``show``."""
    numbers = list(numbers)
    low, high = min(numbers), max(numbers)
    return show(low) if low == high else f"{show(low)}{DASH}{show(high)}"


def amount(value: float) -> str:
    """``3``, ``2.5``, ``0.333``, ``1,204.5``: a weight without a needless ``.0``; fractions to three decimals
    (three significant digits below 0.001), never cut to a whole number."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.3f}".rstrip("0").rstrip(".") if abs(value) >= 0.001 else f"{value:.3g}"


def tie_line(weight: float, *, paperless: bool) -> str:
    """What a tie stands for: ``3 joint papers``, or ``A tie known without its papers (weight 0.5)``."""
    if paperless:
        return f"{PAPERLESS} (weight {amount(weight)})"
    return f"{amount(weight)} joint paper{'' if weight == 1 else 's'}"


def width_note(weights: Sequence[float], paperless: int) -> str:
    """The note on line width, ``paperless`` of the ``weights`` being ties known without their papers."""
    if not paperless:
        measure = "joint papers"
    elif paperless == len(weights):
        measure = "tie weight (ties known without their papers)"
    else:
        measure = "joint papers, or the weight of ties known without their papers"
    return f"Line width: {measure} ({span(weights, amount)})"


def radius(value: float, largest: float) -> float:
    """Node radius in pixels, growing with the square root of ``value``: area is proportional to the measure."""
    share = math.sqrt(max(value, 0.0) / largest) if largest > 0 else 0.0
    return round(MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * share, 1)


def group_colour(number: int) -> str:
    """The colour of group (community, theme) ``number``, counted from 1; grey past the palette."""
    return PALETTE[number - 1] if 1 <= number <= len(PALETTE) else OTHER_COLOUR


def shorten(text: str, limit: int = 60) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] or text[: limit - 1]
    return cut.rstrip(" ,;:") + "\N{HORIZONTAL ELLIPSIS}"


def years(first: int | None, last: int | None) -> str | None:
    """``Active 2011-2024`` (an en dash) (or one year); None when no year is known."""
    known = sorted({year for year in (first, last) if year is not None})
    return "Active " + DASH.join(str(year) for year in known) if known else None


def author_lines(card: AuthorCard, *extra: str) -> tuple[str, ...]:
    """Name, ``extra`` lines, papers, active years and top topics, as plain-text tooltip lines."""
    lines = [card.name, *extra, count(card.papers, "paper")]
    if active := years(card.first_year, card.last_year):
        lines.append(active)
    if card.top_topics:
        lines.append("Topics: " + ", ".join(card.top_topics))
    return tuple(lines)


def paper_list_links(papers: Sequence[PaperRef]) -> tuple[Link, ...]:
    """A DOI or arXiv link for each paper that has one, named by its short title and year."""
    links = []
    for paper in papers:
        when = f" ({paper.year})" if paper.year else ""
        for link in paper_links(paper.id, doi=paper.doi, arxiv_id=paper.arxiv_id)[:1]:
            links.append(Link(f"{shorten(paper.title or paper.id, 50)}{when}, {link.text}", link.url))
    return tuple(links)
