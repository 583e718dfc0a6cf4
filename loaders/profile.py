"""Read a researcher's profile page: the owner with their metrics, and the papers listed under them.

The page, as saved from the profile site::

    Zishi Zhang

    LG
    h-index3
    7papers
    16citations
    Novelty63%
    AI Score54

    7 Papers

    CLMar 28
    SACRED: A Faithful Annotated Multimedia ... Dataset ...

    Qinghao Guan, Yuchen Pan, Donghao Li et al.

    In religion and theology studies, ... \\textbf{SACRED} ...

The header holds the owner's name, their primary category's short code (see
:func:`loaders.arxiv_categories.resolve_short_code`) and metric lines, and ends at ``<N> Papers``. Each paper
is a block of three paragraphs: ``<CODE><Mon> <day>[, <year>]`` with the title on the next line; the author
line; the abstract. A paragraph whose first line looks like a block header always starts a new block; so does
the paragraph after a complete block. A block that cannot be read becomes a :class:`~loaders.Problem` and is
skipped.

Notes
-----
- Authors keep the listed order (positions from 1). A list ending in ``et al.`` sets ``authors_truncated``; a
  trailing `` · <affiliation>`` is kept raw as every listed author's ``affiliation``. A listed name without a
  letter or digit (``}``) is left out with a :class:`~loaders.Note` (:func:`~loaders.result.without_nameless`);
  an author line with no name at all is a Problem.
- The owner is an author of every paper on their page. Where the listed names do not include them (compared by
  :func:`graph.model.name_key`), they are appended after the listed authors with ``inferred=True``.
- ``Feb 3, 2024`` has ``date_precision="day"``. A date without a year (``Mar 28``) is the latest such day on
  or before ``as_of`` (Feb 29: the latest leap year's) and has ``date_precision="day-year-inferred"``; the
  paper's id leaves that year out (:data:`graph.model.YEAR_INFERRED`), so a load a year later finds the same paper.
- ``source_ref`` is ``<file name>:<line>`` (no directory): a reload from elsewhere yields identical records.
"""

from __future__ import annotations

import re
from contextlib import suppress
from datetime import date
from pathlib import Path

from graph.errors import InputError
from graph.model import YEAR_INFERRED, AuthorProfile, AuthorRef, Paper, TopicRef, name_key
from loaders.arxiv_categories import resolve_short_code
from loaders.latex import clean_latex
from loaders.result import LoadResult, Note, Problem, has_name, without_nameless

__all__ = ["latest_date_on_or_before", "parse", "sniff"]

SOURCE = "profile"

_Line = tuple[int, str]
_Paragraph = list[_Line]

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_BLOCK_HEADER = re.compile(
    rf"(?P<code>[A-Za-z][A-Za-z-]*?)(?P<month>{'|'.join(_MONTHS)}) (?P<day>\d{{1,2}})(?:, (?P<year>\d{{4}}))?"
)
_PAPERS_LINE = re.compile(r"(\d+) Papers?")
_H_INDEX = re.compile(r"h-index(\d{1,18})")  # at most 18 digits: a 64-bit integer, as Neo4j stores them
_METRICS = (  # (metric key, line pattern, is a percentage)
    ("h_index", _H_INDEX, False),
    ("papers", re.compile(r"(\d{1,18})papers?"), False),
    ("citations", re.compile(r"(\d{1,18})citations?"), False),
    ("novelty", re.compile(r"Novelty(\d{1,18})%"), True),
    ("ai_score", re.compile(r"AI Score(\d{1,18})"), False),
)
_ET_AL = re.compile(r",?\s+et al\.?$")
_AFFILIATION_MARK = " · "
_MAX_NAME_WORDS = 6
_MAX_NAME_CHARS = 60
_SNIFF_LINES = 20


class _BadBlock(Exception):
    """A paper block that cannot be read: becomes a Problem at ``line``."""

    def __init__(self, line: int, message: str, excerpt: str):
        super().__init__(message)
        self.line = line
        self.excerpt = excerpt[:120]


def sniff(text: str) -> bool:
    """Whether ``text`` starts like a profile page: ``h-index<N>`` and ``<N> Papers`` lines near the top."""
    head = [line.strip() for line in _split_lines(text)[:_SNIFF_LINES]]
    return any(_H_INDEX.fullmatch(line) for line in head) and any(_PAPERS_LINE.fullmatch(line) for line in head)


def parse(text: str, path: str, *, as_of: date) -> LoadResult:
    """Parse a profile page into the owner's :class:`AuthorProfile` and one :class:`Paper` per block.

    Raises
    ------
    InputError
        The header (owner, category code, metrics, ``<N> Papers``) is missing or garbled.
    """
    lines = list(enumerate(_split_lines(text), start=1))
    header, body = _split_header(lines, path)
    owner = _parse_header(header, path)
    blocks = _group_blocks(_paragraphs(body))
    papers: list[Paper] = []
    problems: list[Problem] = []
    notes: list[Note] = []
    for block in blocks:
        try:
            paper = _parse_block(block, owner.name, Path(path).name, as_of)
        except _BadBlock as bad:
            problems.append(Problem(path=path, line=bad.line, message=str(bad), excerpt=bad.excerpt))
            continue
        author_line = block[1][0][0]
        paper, dropped = without_nameless(paper, path, author_line)
        papers.append(paper)
        notes += dropped
    return LoadResult(
        path=path,
        format=SOURCE,
        papers=papers,
        profiles=[owner],
        problems=problems,
        records_read=len(blocks),
        notes=notes,
    )


def _split_lines(text: str) -> list[str]:
    """Lines as editors number them (``\\n``, ``\\r\\n`` or ``\\r`` endings)."""
    return re.split(r"\r\n|\r|\n", text)


def _split_header(lines: list[_Line], path: str) -> tuple[list[_Line], list[_Line]]:
    """The header lines and the body lines, either side of the ``<N> Papers`` line."""
    for index, (_, text) in enumerate(lines):
        if _PAPERS_LINE.fullmatch(text.strip()):
            return lines[:index], lines[index + 1 :]
    raise InputError("not a profile page: no '<N> Papers' line ends the header", path=path)


def _parse_header(header: list[_Line], path: str) -> AuthorProfile:
    """The owner's profile from the header: name, primary category code, then metric lines."""
    filled = [(number, text.strip()) for number, text in header if text.strip()]
    if len(filled) < 2:
        raise InputError("profile header needs the owner's name and a category code", path=path, line=1)
    (name_line, name), (code_line, code) = filled[:2]
    if not has_name(name):  # "\\ \\" would make the owner one node with every other letterless name
        raise InputError(f"the profile owner's name {name!r} has no letter or digit", path=path, line=name_line)
    topic = resolve_short_code(code)
    if topic is None:
        raise InputError(f"unknown category code {code!r} in the profile header", path=path, line=code_line)
    return AuthorProfile(
        name=name,
        source=SOURCE,
        source_ref=f"{Path(path).name}:{name_line}",
        metrics=_parse_metrics(filled[2:], path),
        primary_topic=topic,
    )


def _parse_metrics(lines: list[_Line], path: str) -> dict[str, float | int]:
    """``h-index3``, ``Novelty63%``... -> ``{"h_index": 3, "novelty": 0.63, ...}``; other lines: error."""
    metrics: dict[str, float | int] = {}
    for number, text in lines:
        metric = _read_metric(text)
        if metric is None:
            raise InputError(f"unrecognised profile header line {text!r}", path=path, line=number)
        metrics[metric[0]] = metric[1]
    return metrics


def _read_metric(text: str) -> tuple[str, float | int] | None:
    """``Novelty63%`` -> ("novelty", 0.63); ``None`` when no metric pattern matches."""
    for key, pattern, percent in _METRICS:
        match = pattern.fullmatch(text)
        if match:
            return key, int(match[1]) / 100 if percent else int(match[1])
    return None


def _paragraphs(lines: list[_Line]) -> list[_Paragraph]:
    """Runs of non-blank lines."""
    paragraphs: list[_Paragraph] = []
    previous_blank = True
    for number, text in lines:
        if not text.strip():
            previous_blank = True
            continue
        if previous_blank:
            paragraphs.append([])
        paragraphs[-1].append((number, text.strip()))
        previous_blank = False
    return paragraphs


def _group_blocks(paragraphs: list[_Paragraph]) -> list[list[_Paragraph]]:
    """Paper blocks: a block header, or the paragraph after a complete block (3 paragraphs), starts one."""
    blocks: list[list[_Paragraph]] = []
    for paragraph in paragraphs:
        if not blocks or len(blocks[-1]) == 3 or _BLOCK_HEADER.fullmatch(paragraph[0][1]):
            blocks.append([paragraph])
        else:
            blocks[-1].append(paragraph)
    return blocks


def _parse_block(block: list[_Paragraph], owner: str, file_name: str, as_of: date) -> Paper:
    """One paper from its paragraphs; raises :class:`_BadBlock` when something is missing or malformed."""
    heading = block[0]
    number, header = heading[0]
    topic, day, precision = _parse_block_header(number, header, as_of)
    if len(heading) < 2:
        raise _BadBlock(number, "paper block has no title line under its header", header)
    if len(block) < 2:
        raise _BadBlock(number, "paper block has no author line", header)
    authors, truncated = _parse_authors(block[1], owner)
    abstract = "\n".join(text for _, text in block[2]) if len(block) > 2 else None
    return Paper(
        title=" ".join(text for _, text in heading[1:]),
        authors=authors,
        source=SOURCE,
        source_ref=f"{file_name}:{number}",
        abstract=abstract,
        abstract_text=clean_latex(abstract) if abstract else None,
        year=day.year,
        date=day.isoformat(),
        date_precision=precision,
        authors_truncated=truncated,
        topics=(topic,),
    )


def _parse_block_header(number: int, text: str, as_of: date) -> tuple[TopicRef, date, str]:
    """``LGFeb 3, 2024`` -> (cs.LG topic, 2024-02-03, "day"); ``CLMar 28`` -> (..., "day-year-inferred")."""
    match = _BLOCK_HEADER.fullmatch(text)
    if match is None:
        raise _BadBlock(number, "paper block header does not match '<CODE><Mon> <day>[, <year>]'", text)
    topic = resolve_short_code(match["code"])
    if topic is None:
        raise _BadBlock(number, f"unknown category code {match['code']!r}", text)
    month, day = _MONTHS.index(match["month"]) + 1, int(match["day"])
    try:
        if match["year"]:
            return topic, date(int(match["year"]), month, day), "day"
        return topic, latest_date_on_or_before(month, day, as_of), YEAR_INFERRED
    except ValueError as err:
        raise _BadBlock(number, f"invalid date: {err}", text) from err


def latest_date_on_or_before(month: int, day: int, as_of: date) -> date:
    """The latest ``month``/``day`` on or before ``as_of``; Feb 29 looks back to the latest leap year.

    >>> latest_date_on_or_before(3, 28, date(2026, 3, 27))
    datetime.date(2025, 3, 28)

    Raises
    ------
    ValueError
        No year has that day (e.g. Feb 30).
    """
    date(2000, month, day)  # 2000 is a leap year: raises only for a day no year has
    for year in range(as_of.year, as_of.year - 9, -1):  # leap years are at most 8 years apart
        with suppress(ValueError):
            candidate = date(year, month, day)
            if candidate <= as_of:
                return candidate
    raise ValueError(f"no {month:02d}-{day:02d} within 8 years before {as_of}")


def _parse_authors(paragraph: _Paragraph, owner: str) -> tuple[tuple[AuthorRef, ...], bool]:
    """The listed authors (affiliation, truncation) plus the owner as an inferred author where not listed."""
    number = paragraph[0][0]
    text = " ".join(line for _, line in paragraph)
    names_text, _, affiliation = text.partition(_AFFILIATION_MARK)
    names_text = " ".join(names_text.split())  # and _ET_AL's \s+ meets no long run to backtrack over
    names_text, truncated = _ET_AL.sub("", names_text), bool(_ET_AL.search(names_text))
    names = [name.strip() for name in names_text.split(",")]
    odd = next((name for name in names if has_name(name) and not _looks_like_name(name)), None)
    if odd is not None or not any(map(has_name, names)):
        raise _BadBlock(number, f"author line does not look like a list of names (at {(odd or text)[:40]!r})", text)
    authors = [
        AuthorRef(name=name, position=position, affiliation=affiliation.strip() or None)
        for position, name in enumerate(names, start=1)
    ]
    if name_key(owner) not in {name_key(name) for name in names}:
        authors.append(AuthorRef(name=owner, position=len(names) + 1, inferred=True))
    return tuple(authors), truncated


def _looks_like_name(text: str) -> bool:
    """A short run of words: tells an author line from a sentence of the abstract."""
    return len(text) <= _MAX_NAME_CHARS and len(text.split()) <= _MAX_NAME_WORDS
