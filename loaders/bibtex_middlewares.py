"""bibtexparser middlewares for what bibtexparser 2 leaves to its users: ``@string`` macros with ``#``
concatenation and BibTeX's month macros, commands that ``@preamble`` defines, and ``crossref`` inheritance.

Each is a small step over a :class:`bibtexparser.Library` of raw (still braced) values, in the library's style: a
problem becomes parser metadata on the block (:data:`UNDEFINED`, :data:`LEFT_OUT`, :data:`MISSING_CROSSREF`),
never an exception.
"""

from __future__ import annotations

import re
from collections import ChainMap
from collections.abc import Iterable, Mapping

from bibtexparser import Library
from bibtexparser.middlewares import LibraryMiddleware, MonthIntMiddleware
from bibtexparser.model import Block, DuplicateBlockKeyBlock, Entry, Field, Preamble, String

__all__ = [
    "CROSSREF_TARGET",
    "ESSENTIAL",
    "INHERITED",
    "LEFT_OUT",
    "MISSING_CROSSREF",
    "MONTH_MACROS",
    "UNDEFINED",
    "ApplyPreambleCommands",
    "ExpandMacros",
    "InheritCrossref",
    "MonthNumber",
    "expand_value",
    "redefined_string",
]

UNDEFINED = "coauthor_undefined_macros"
"""Parser metadata key: the undefined macros a block uses (in an entry: in one of its :data:`ESSENTIAL` fields)."""
LEFT_OUT = "coauthor_left_out_fields"
"""Parser metadata key: ``{field: undefined macros}`` of the entry fields that were removed for using them."""
ESSENTIAL = ("title", "author")
"""An entry with an undefined macro in one of these fields cannot be read; in another field, that field goes."""
CROSSREF_TARGET = "coauthor_crossref_target"
"""Parser metadata key: on an entry that other entries' ``crossref`` names, how many entries name it."""
MISSING_CROSSREF = "coauthor_missing_crossref"
"""Parser metadata key: the ``crossref`` value of an entry whose target is not in the input."""

MONTH_MACROS = {
    name[:3].lower(): name
    for name in (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    )
}
"""BibTeX's predefined month macros (``month = mar``)."""

INHERITED = ("journal", "year", "month")
_PIECE_MARKS = re.compile(r'[{}"#]')
_MONTH_DIGITS = re.compile(r"[0-9]{1,2}")
_COMMAND_DEFINITION = re.compile(r"\\(?:provide|new|renew)command\*?\s*\{?\s*\\(?P<name>[A-Za-z]+)\s*\}?\s*(?=\{)")


def expand_value(raw: str, macros: Mapping[str, str]) -> tuple[str, list[str]]:
    """A raw BibTeX value as text: ``{...}`` and ``"..."`` pieces unwrapped, numbers kept, macros replaced; and
    the names of undefined macros (each read as empty text, as BibTeX does).

    >>> expand_value('Abramson_D #and# {Amoorthy, M.}', {"abramson_d": "David Abramson", "and": " and "})
    ('David Abramson and Amoorthy, M.', [])
    >>> expand_value("{A} # nope", {})
    ('A', ['nope'])
    """
    text, undefined = [], []
    for piece in _top_level_pieces(raw):
        if (piece[:1], piece[-1:]) in (("{", "}"), ('"', '"')):
            text.append(piece[1:-1])
        elif piece.isdigit():
            text.append(piece)
        elif piece.lower() in macros:
            text.append(macros[piece.lower()])
        else:
            undefined.append(piece)
    return "".join(text), undefined


def _top_level_pieces(raw: str) -> list[str]:
    """``a # {b # c} # "d"`` -> ``["a", "{b # c}", '"d"']``: split at ``#`` outside braces and quotes."""
    pieces, start, depth, quoted = [], 0, 0, False
    for mark in _PIECE_MARKS.finditer(raw):  # only these four characters matter: a 50 MB value costs 0.1 s
        index, char = mark.start(), mark[0]
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == '"' and depth == 0:
            quoted = not quoted
        elif char == "#" and depth == 0 and not quoted:
            pieces.append(raw[start:index].strip())
            start = index + 1
    pieces.append(raw[start:].strip())
    return [piece for piece in pieces if piece]


class ExpandMacros(LibraryMiddleware):
    """Resolve macros in file order (a block sees the ``@string`` definitions before it, and BibTeX's month
    macros), and ``#`` concatenation, in ``@string``, ``@preamble`` and entry values.

    A later ``@string`` of the same name redefines the macro from there on, as in BibTeX (iridia's
    ``abbrevshort.bib`` redefines names of ``abbrev.bib``). A macro used before any definition reads the stream's
    first definition of it: the files came in another order than a ``\\bibliography`` line's (a directory is
    walked alphabetically: iridia's ``articles.bib`` before the ``authors.bib`` and ``journals.bib`` it uses).
    Macros defined nowhere read as empty text; their names go to the block's :data:`UNDEFINED` parser metadata,
    except in an entry field other than the :data:`ESSENTIAL` ones: that field is removed (its value would be wrong)
    and named with the macros in :data:`LEFT_OUT`.
    """

    def transform(self, library: Library) -> Library:
        macros = dict(MONTH_MACROS)
        known = ChainMap(macros, _first_definitions(library.blocks))
        for block in library.blocks:
            block = redefined_string(block) or block
            undefined: list[str] = []
            if isinstance(block, String | Preamble):
                block.value, undefined = expand_value(block.value, known)
            elif isinstance(block, Entry):
                undefined = _expand_fields(block, known)
            if undefined:
                block.parser_metadata[UNDEFINED] = undefined
            if isinstance(block, String):
                macros[block.key.lower()] = block.value
        return library


def _expand_fields(entry: Entry, macros: Mapping[str, str]) -> list[str]:
    """Expand every field of ``entry``; remove the non-essential ones that use undefined macros (recording them in
    :data:`LEFT_OUT`), and return the undefined macros of the essential ones (``"name (in title)"``)."""
    undefined, left_out = [], {}
    for field in entry.fields:
        field.value, missing = expand_value(field.value, macros)
        if missing and field.key in ESSENTIAL:
            undefined += [f"{name} (in {field.key})" for name in missing]
        elif missing:
            left_out[field.key] = missing
    for key in left_out:
        entry.pop(key)
    if left_out:
        entry.parser_metadata[LEFT_OUT] = left_out
    return undefined


def _first_definitions(blocks: Iterable[Block]) -> dict[str, str]:
    """Each macro's first ``@string`` value in the stream, expanded with the definitions before it."""
    macros, first = dict(MONTH_MACROS), {}
    for block in blocks:
        block = redefined_string(block) or block
        if isinstance(block, String):
            macros[block.key.lower()] = value = expand_value(block.value, macros)[0]
            first.setdefault(block.key.lower(), value)
    return first


def redefined_string(block: Block) -> String | None:
    """The ``@string`` behind a block that bibtexparser marked as a duplicate key, else ``None``."""
    if isinstance(block, DuplicateBlockKeyBlock) and isinstance(block.ignore_error_block, String):
        return block.ignore_error_block
    return None


class ApplyPreambleCommands(LibraryMiddleware):
    r"""Replace commands that ``@preamble`` defines without arguments by their bodies in every entry field.

    iridia's ``\providecommand{\MaxMinAntSystem}{{$\cal MAX$--$\cal MIN$} {Ant} {System}}`` makes the title
    ``{\MaxMinAntSystem}`` read "MAX-MIN Ant System" instead of nothing.
    """

    def transform(self, library: Library) -> Library:
        commands = {}
        for preamble in library.preambles:
            for match in _COMMAND_DEFINITION.finditer(preamble.value):
                body = _braced(preamble.value, match.end())
                if body is not None:
                    commands.setdefault(match["name"], body)
        if commands:
            use = re.compile(rf"\\({'|'.join(map(re.escape, commands))})(?![A-Za-z])")
            for entry in library.entries:
                for field in entry.fields:
                    field.value = use.sub(lambda match: commands[match[1]], field.value)
        return library


def _braced(text: str, start: int) -> str | None:
    """The text inside the balanced braces that open at ``text[start]``, or ``None`` when they never close."""
    depth = 0
    for index in range(start, len(text)):
        if text[index] == "{":
            depth += 1
        elif text[index] == "}":
            depth -= 1
            if depth == 0:
                return text[start + 1 : index]
    return None


class InheritCrossref(LibraryMiddleware):
    """Copy ``booktitle``, ``journal``, ``year`` and ``month`` an entry lacks from its ``crossref`` target.

    A missing target is recorded in the entry's :data:`MISSING_CROSSREF` parser metadata; a found one counts the
    entries that name it in its :data:`CROSSREF_TARGET`.
    """

    def transform(self, library: Library) -> Library:
        by_key = {entry.key.lower(): entry for entry in library.entries}
        for entry in library.entries:
            reference = entry.fields_dict.get("crossref")
            if reference is None:
                continue
            parent = by_key.get(reference.value.strip().lower())
            if parent is None:
                entry.parser_metadata[MISSING_CROSSREF] = reference.value
                continue
            parent.parser_metadata[CROSSREF_TARGET] = parent.parser_metadata.get(CROSSREF_TARGET, 0) + 1
            inherited = {key: parent[key] for key in INHERITED if key in parent.fields_dict}
            booktitle = parent.fields_dict.get("booktitle") or parent.fields_dict.get("title")
            if booktitle is not None:
                inherited["booktitle"] = booktitle.value
            for key, value in inherited.items():
                if key not in entry.fields_dict:
                    entry[key] = value
        return library


class MonthNumber(MonthIntMiddleware):
    """bibtexparser's month to number, minus its crash: it calls ``int()`` on any ``str.isdigit()`` value, and
    ``"²"`` or 5,000 digits make that a ValueError. Such a month stays as written, as other non-months do."""

    def resolve_month_field_val(self, month_field: Field) -> tuple[object, str]:
        value = month_field.value
        if isinstance(value, str) and value.isdigit() and not _MONTH_DIGITS.fullmatch(value):
            return value, "month field unchanged"
        return super().resolve_month_field_val(month_field)
