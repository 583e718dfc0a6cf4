"""Read BibTeX (``.bib``) files, alone or as one stream of several files, into papers.

bibtexparser v2 splits the text into blocks; a list of small middlewares then cleans them up, in the library's
own style: ours from :mod:`loaders.bibtex_middlewares` (``@string`` macros with ``#`` concatenation and month
macros, ``@preamble`` commands, ``crossref`` inheritance, which bibtexparser 2 does not do), then
bibtexparser's ``SeparateCoAuthors``, ``SplitNameParts`` and ``MonthIntMiddleware`` (after its
``NormalizeFieldKeys``: ``archivePrefix`` is ``archiveprefix``). LaTeX (accents, commands,
braces) becomes Unicode text by :func:`loaders.latex.clean_latex`.

Notes
-----
- Authors keep their order (positions from 1; a name without a letter or digit is left out with a
  :class:`~loaders.Note`, :func:`~loaders.result.without_nameless`, the others keep their positions) and are
  written first-name-first (``Hindmarsh, Alan C`` ->
  ``Alan C Hindmarsh``), as the other loaders write names, so the same person gets the same name key. A braced
  name (``{World Health Organization}``) is one author; a trailing ``and others`` sets ``authors_truncated``.
- Editors are not authors. An entry with no authors is not a paper, and is left out with a :class:`~loaders.Note`
  (as dblp does): a proceedings volume or book that other entries' ``crossref`` points to ("crossref container,
  referenced by 12": its fields are inherited), an editors-only volume that nothing points to ("editors only"), or
  any other entry without authors.
- ``crossref`` inheritance copies only the fields the paper uses and does not have: ``booktitle`` (the parent's
  ``booktitle``, else its ``title``), ``journal``, ``year`` and ``month``; never ``doi``, ``eprint`` or
  ``title``, which would make every paper of a volume the same node.
- Skipped with a Problem (file, line, key): an entry that cannot be split, a duplicate key (the first entry
  wins, as in BibTeX), a macro defined nowhere in the stream used in its title or authors, a missing ``crossref``
  target, no title. A macro defined nowhere used in another field leaves that field out (the entry
  loads without it, and a crossref child does not inherit it), with a Note. A repeated ``@string`` is no
  problem: it redefines the macro for what follows, as in BibTeX; a macro used before its definition reads the
  first one after (files in another order, e.g. a directory walked).
- ``source_ref`` is ``<file name>:<line of the @>``; ``external_ids`` holds ``bibtex_key``; ``arxiv_id`` comes
  from Mendeley's ``arxivId``, or ``eprint`` when ``archivePrefix``/``eprinttype`` is arXiv.
"""

from __future__ import annotations

import functools
import io
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import bibtexparser
from bibtexparser import Library
from bibtexparser.middlewares import (
    LibraryMiddleware,
    NameParts,
    NormalizeFieldKeys,
    SeparateCoAuthors,
    SplitNameParts,
)
from bibtexparser.model import Block, DuplicateBlockKeyBlock, Entry, Field, ParsingFailedBlock, Preamble, String

from graph.model import AuthorRef, Paper
from loaders.bibtex_middlewares import (
    CROSSREF_TARGET,
    LEFT_OUT,
    MISSING_CROSSREF,
    UNDEFINED,
    ApplyPreambleCommands,
    ExpandMacros,
    InheritCrossref,
    MonthNumber,
    redefined_string,
)
from loaders.latex import clean_latex, collapse_spaces
from loaders.result import LoadResult, Note, Problem, has_name, without_nameless
from loaders.tabular import clean_arxiv_id, clean_doi, year_from

__all__ = ["parse", "parse_many", "sniff"]

SOURCE = "bibtex"
ORIGIN = "coauthor_origin"
"""Parser metadata key: the path of the file a block came from."""

_LATEX_SYNTAX = re.compile(r"[\\$~^_%&#]|--|``|''")
_SPLITTER_LOG = logging.getLogger("bibtexparser.splitter")
_FIRST_LINE = re.compile(r"[ \t]*@[ \t]*[A-Za-z]+[ \t]*[{(]")


def sniff(text: str) -> bool:
    """Whether the first line that is neither blank nor a ``%`` comment opens a ``@type{`` block."""
    for line in io.StringIO(text.removeprefix("\ufeff")):
        stripped = line.strip()
        if stripped and not stripped.startswith("%"):
            return bool(_FIRST_LINE.match(line))
    return False


def parse(text: str, path: str, *, as_of: date) -> LoadResult:
    """Parse one ``.bib`` file (``as_of`` is unused: BibTeX dates always carry their year)."""
    return parse_many([(path, text)], as_of=as_of)


def parse_many(inputs: list[tuple[str, str]], *, as_of: date) -> LoadResult:
    """Parse ``(path, text)`` pairs as one stream, in order: macros and crossref targets of one file serve all.

    Each record keeps its own file and line in ``source_ref`` and in its problems. The result's ``path`` is the
    paths joined with `` + ``.

    Examples
    --------
    >>> names = ["abbrev.bib", "journals.bib", "authors.bib", "articles.bib", "biblio.bib", "crossref.bib"]
    >>> result = parse_many([(n, Path(n).read_text()) for n in names], as_of=date.today())  # doctest: +SKIP
    """
    library = _split(inputs)
    for middleware in _parse_stack():
        library = middleware.transform(library)
    problems = _block_problems(library)
    papers: list[Paper] = []
    notes: list[Note] = []
    for entry in library.entries:
        try:
            paper, dropped = without_nameless(_paper(entry), entry.parser_metadata[ORIGIN], _line(entry))
        except _NotAPaper as reason:
            dropped = [Note(entry.parser_metadata[ORIGIN], _line(entry), str(reason))]
        except _Skip as skip:
            problems.append(_problem(entry, str(skip)))
            continue
        else:
            papers.append(paper)
        notes += dropped + _left_out_notes(entry)
    order = {path: index for index, (path, _) in enumerate(inputs)}
    records = len(library.entries) + sum(1 for block in library.failed_blocks if _is_record(block))
    return LoadResult(
        path=" + ".join(path for path, _ in inputs),
        format=SOURCE,
        papers=papers,
        profiles=[],
        problems=sorted(problems, key=lambda problem: (order[problem.path], problem.line)),
        records_read=records,
        notes=sorted(notes, key=lambda note: (order[note.path], note.line)),
    )


def _block_problems(library: Library) -> list[Problem]:
    """Blocks that could not be read (a redefined ``@string`` is fine), and macros that use undefined ones."""
    problems = [_failed_problem(block) for block in library.failed_blocks if not redefined_string(block)]
    definitions = [redefined_string(block) or block for block in library.blocks]
    return problems + [
        _problem(block, _undefined_message(block))
        for block in definitions
        if isinstance(block, String | Preamble) and block.parser_metadata.get(UNDEFINED)
    ]


def _split(inputs: list[tuple[str, str]]) -> Library:
    """Every file's raw blocks in one library, each tagged with its file; duplicate keys become failed blocks."""
    blocks: list[Block] = []
    for path, text in inputs:
        with _silenced(_SPLITTER_LOG):  # every failure it logs becomes a Problem
            split = bibtexparser.parse_string(text.removeprefix("\ufeff"), parse_stack=[])
        for block in split.blocks:
            for tagged in (block, getattr(block, "ignore_error_block", None)):
                if tagged is not None:
                    tagged.parser_metadata[ORIGIN] = path
            blocks.append(block)
    return Library(blocks, fail_on_duplicate_key=False)


@contextmanager
def _silenced(logger: logging.Logger) -> Iterator[None]:
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        logger.setLevel(level)


def _parse_stack() -> list[LibraryMiddleware]:
    return [
        NormalizeFieldKeys(),
        ExpandMacros(),
        ApplyPreambleCommands(),
        InheritCrossref(),
        SeparateCoAuthors(name_fields=("author",)),
        SplitNameParts(name_fields=("author",)),
        MonthNumber(),
    ]


# --- entries to papers --------------------------------------------------------------------------------------


class _Skip(Exception):
    """A malformed entry, skipped, and why."""


class _NotAPaper(Exception):
    """An entry without authors, left out by design, and what it is."""


def _paper(entry: Entry) -> Paper:
    """The paper of one cleaned entry; raises :class:`_Skip` when it is malformed, :class:`_NotAPaper` when it has
    no author."""
    _check(entry)
    authors, truncated = _authors(entry.fields_dict.get("author"))
    if not any(has_name(author.name) for author in authors):
        raise _NotAPaper(_not_a_paper(entry))
    title = entry.fields_dict.get("title")
    if title is None or not _text(str(title.value)):
        raise _Skip("no title")
    fields = {key: value for key, value in entry.items() if isinstance(value, str)}
    year, month = year_from(fields.get("year", "")), entry.get("month")
    month_number = month.value if month is not None and isinstance(month.value, int) else None
    abstract = fields.get("abstract")
    return Paper(
        title=_text(fields["title"]),
        authors=authors,
        source=SOURCE,
        source_ref=_where(entry),
        abstract=abstract or None,
        abstract_text=_text(abstract) if abstract else None,
        year=year,
        date=f"{year:04d}-{month_number:02d}" if year and month_number else None,
        date_precision="month" if year and month_number else None,
        doi=clean_doi(fields.get("doi", "")),
        arxiv_id=_arxiv_id(fields),
        external_ids={"bibtex_key": entry.key},
        venue=_venue(fields),
        kind=entry.entry_type.lower(),
        authors_truncated=truncated,
    )


def _check(entry: Entry) -> None:
    """Raise :class:`_Skip` for an undefined macro in the title or authors, or a missing crossref target."""
    if entry.parser_metadata.get(UNDEFINED):
        raise _Skip(_undefined_message(entry))
    missing = entry.parser_metadata.get(MISSING_CROSSREF)
    if missing:
        raise _Skip(f"crossref target {missing!r} is not in the input")


def _not_a_paper(entry: Entry) -> str:
    """The note on an entry without authors: a crossref container (with how many entries point to it), an
    editors-only volume, or neither."""
    referenced = entry.parser_metadata.get(CROSSREF_TARGET, 0)
    if referenced:
        what = f" (crossref container, referenced by {referenced})"
    else:
        what = " (editors only)" if "editor" in entry.fields_dict else ""
    return f"entry {entry.key!r} has no authors: not a paper to load{what}"


def _authors(field: Field | None) -> tuple[tuple[AuthorRef, ...], bool]:
    """Authors in order, first-name-first and LaTeX-free, and whether the list ended in ``and others``."""
    parts: list[NameParts] = list(field.value) if field is not None else []
    truncated = bool(parts) and parts[-1] == NameParts(last=["others"])
    names = [_text(part.merge_first_name_first) for part in (parts[:-1] if truncated else parts)]
    return tuple(AuthorRef(name=name, position=index) for index, name in enumerate(names, start=1)), truncated


def _venue(fields: dict[str, str]) -> str | None:
    """The journal, else the booktitle (own or inherited)."""
    return _text(fields.get("journal") or fields.get("booktitle") or "") or None


def _arxiv_id(fields: dict[str, str]) -> str | None:
    """Mendeley's ``arxivid``, else ``eprint`` when its archive is arXiv, with ``primaryclass`` in front of an
    old-style number (Mendeley writes ``eprint = {0412083}``, ``primaryClass = {quant-ph}``)."""
    candidates = [fields.get("arxivid", "")]
    if (fields.get("archiveprefix") or fields.get("eprinttype") or "").strip().lower() == "arxiv":
        eprint = fields.get("eprint", "")
        candidates += [eprint, f"{fields.get('primaryclass', '')}/{eprint}"]
    return next(filter(None, map(clean_arxiv_id, candidates)), None)


@functools.lru_cache(maxsize=8192)
def _text(value: str) -> str:
    """:func:`~loaders.latex.clean_latex`; text with no LaTeX but braces (most of it) only loses its braces."""
    if _LATEX_SYNTAX.search(value):
        return clean_latex(value)
    return collapse_spaces(value.replace("{", "").replace("}", ""))


# --- where things are ---------------------------------------------------------------------------------------


def _where(block: Block) -> str:
    return f"{Path(block.parser_metadata[ORIGIN]).name}:{_line(block)}"


def _line(block: Block) -> int:
    return (block.start_line or 0) + 1


def _excerpt(block: Block) -> str:
    return (block.raw or "").strip().split("\n", 1)[0][:120]


def _problem(block: Block, message: str) -> Problem:
    prefix = f"entry {block.key!r}: " if isinstance(block, Entry) else ""
    prefix = f"@string {block.key!r}: " if isinstance(block, String) else prefix
    return Problem(
        path=block.parser_metadata[ORIGIN], line=_line(block), message=prefix + message, excerpt=_excerpt(block)
    )


def _left_out_notes(entry: Entry) -> list[Note]:
    """A Note per field of ``entry`` left out for using a macro defined nowhere."""
    return [
        Note(
            entry.parser_metadata[ORIGIN],
            _line(entry),
            f"entry {entry.key!r}: {field} left out: undefined macro {', '.join(map(repr, macros))}",
        )
        for field, macros in entry.parser_metadata.get(LEFT_OUT, {}).items()
    ]


def _failed_problem(block: ParsingFailedBlock) -> Problem:
    """The Problem of a block bibtexparser or a middleware could not handle."""
    if isinstance(block, DuplicateBlockKeyBlock):
        message = f"duplicate key (the first, at {_where(block.previous_block)}, is used)"
        return _problem(block.ignore_error_block or block, message)
    reason = getattr(block.error, "abort_reason", None) or str(block.error).split(" Note:")[0]
    return _problem(block.ignore_error_block or block, f"cannot be read: {' '.join(reason.split())}")


def _undefined_message(block: Block) -> str:
    return f"undefined macro {', '.join(block.parser_metadata[UNDEFINED])}"


def _is_record(block: ParsingFailedBlock) -> bool:
    """Whether a failed block was an entry (not an ``@string``, ``@preamble`` or ``@comment``)."""
    original = block.ignore_error_block
    if original is not None:
        return isinstance(original, Entry)
    return not re.match(r"\s*@\s*(string|preamble|comment)\b", block.raw or "", re.IGNORECASE)
