"""Read JSON exports that are either one document or JSON Lines, keeping each value's line for error reports.

Both the arXiv snapshot (``.json`` that is really JSON Lines) and OpenAlex (a single work, a list page, or a
snapshot-style ``.jsonl``) come in these two layouts, and the layout is not told by the file name.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from itertools import islice
from typing import Any

from graph.errors import InputError
from loaders.result import Problem

__all__ = ["first_json_value", "read_json"]

_SNIFF_LINES = 3
_EXCERPT_CHARS = 120


def first_json_value(text: str) -> Any | None:
    """The first JSON value in ``text`` (the document, or the first well-formed line of JSON Lines), else None.

    Cheap on JSON Lines: only the first line is decoded.

    >>> first_json_value('{"a": 1}\\n{"a": 2}\\n')
    {'a': 1}
    """
    decoder = json.JSONDecoder()
    try:
        return decoder.raw_decode(text.lstrip())[0]
    except json.JSONDecodeError:
        pass
    return _first_parsable_line(text)


def read_json(text: str, path: str) -> tuple[list[tuple[int, Any]], list[Problem]]:
    """The values of a JSON document or of JSON Lines, each with its (first) line, and a Problem per bad line.

    A text that parses as one document gives one value. Otherwise, when the first of its first few non-blank
    lines that is JSON on its own is an object, it is read as JSON Lines: every non-blank line is one value, and
    a line that is not JSON becomes a :class:`~loaders.Problem` with its line number.

    Raises
    ------
    InputError
        The text is neither valid JSON nor JSON Lines (names the line of the syntax error).
    """
    try:
        return [(_first_line(text), json.loads(text))], []
    except json.JSONDecodeError as err:
        if not isinstance(_first_parsable_line(text), dict):
            raise InputError(f"not valid JSON: {err.msg} (column {err.colno})", path=path, line=err.lineno) from err
    values: list[tuple[int, Any]] = []
    problems: list[Problem] = []
    for number, line in _non_blank_lines(text):
        try:
            values.append((number, json.loads(line)))
        except json.JSONDecodeError as err:
            message = f"not valid JSON: {err.msg} (column {err.colno})"
            problems.append(Problem(path=path, line=number, message=message, excerpt=line[:_EXCERPT_CHARS]))
    return values, problems


def _first_parsable_line(text: str) -> Any | None:
    """The value of the first of the first few non-blank lines that is JSON by itself, else None."""
    for _, line in islice(_non_blank_lines(text), _SNIFF_LINES):
        try:
            return json.loads(line)
        except json.JSONDecodeError:
            continue
    return None


def _non_blank_lines(text: str) -> Iterator[tuple[int, str]]:
    """(1-based line number, line) for each line that is not blank, lazily; JSON Lines ends lines with ``\\n``."""
    for number, line in enumerate(io.StringIO(text, newline="\n"), start=1):
        if line.strip():
            yield number, line.rstrip("\n")


def _first_line(text: str) -> int:
    """The line on which the document's first non-blank character stands."""
    stripped = text.lstrip()
    return text[: len(text) - len(stripped)].count("\n") + 1
