"""Read JSON exports that are either one document or JSON Lines, keeping each value's line for error reports.

Both the arXiv snapshot (``.json`` that is really JSON Lines) and OpenAlex (a single work, a list page, or a
snapshot-style ``.jsonl``) come in these two layouts, and the layout is not told by the file name. JSON Lines can
also be read from a byte stream, line by line (:func:`iter_json_lines`, :func:`is_json_lines`).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Iterator
from itertools import count, islice
from typing import Any, BinaryIO

from graph.errors import InputError
from loaders.result import Problem

__all__ = ["first_json_value", "is_json_lines", "iter_json", "iter_json_lines", "not_utf8", "read_json"]

_SNIFF_LINES = 3
_EXCERPT_CHARS = 120
_INT64 = 1 << 63
_INT64_DIGITS = 20  # a sign and 19 digits
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


class _Refused(ValueError):
    """Text that Python's json module would read (or crash on) but that is no JSON value we accept."""


def _refuse_constant(name: str) -> Any:
    raise _Refused(f"{name} is not a JSON number")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Refused(f"number {text[:40]} is out of range")
    return value


def _int_or_float(text: str) -> int | float:
    """An integer as an int where a 64-bit integer (so Neo4j) holds it, else as a float (as JavaScript reads it)."""
    value = int(text) if len(text) <= _INT64_DIGITS else None
    return value if value is not None and -_INT64 <= value < _INT64 else _finite_float(text)


_DECODER = json.JSONDecoder(parse_constant=_refuse_constant, parse_float=_finite_float, parse_int=_int_or_float)
_SHORT_INT_DECODER = json.JSONDecoder(parse_constant=_refuse_constant, parse_float=_finite_float)
_DIGITS_AS_ZERO = bytes.maketrans(b"123456789", b"000000000")
_LONG_DIGIT_RUN = b"0" * (_INT64_DIGITS - 1)  # 19 digits may exceed 64 bits, 18 never do
_SCAN_CHARS = 1 << 20


def _decoder(text: str) -> json.JSONDecoder:
    """:data:`_DECODER`, or where ``text`` (up to a MiB) has no run of 19 digits, so every integer in it fits 64
    bits, one that leaves integers to the C scanner's ``int``: a decode takes a third less time (abstract
    indexes are mostly integers)."""
    if len(text) > _SCAN_CHARS:
        return _DECODER
    digits = text.encode("utf-8", "surrogatepass").translate(_DIGITS_AS_ZERO)
    return _DECODER if _LONG_DIGIT_RUN in digits else _SHORT_INT_DECODER


def _loads(text: str, *, prefix: bool = False) -> Any:
    """``json.loads`` (``prefix``: of the first value only) without Python's extensions, and with every number one
    Neo4j can store: ``NaN``, ``Infinity`` and numbers beyond a double's range are a :class:`_Refused`, integers
    beyond 64 bits become floats, and nesting deeper than the recursion limit is a :class:`_Refused`, not a crash."""
    try:
        value = _DECODER.raw_decode(text)[0] if prefix else _decoder(text).decode(text)
    except RecursionError as err:
        raise _Refused("nested too deeply (more levels than Python's recursion limit)") from err
    return _without_lone_surrogates(value) if _SURROGATE_ESCAPE.search(text) else value


def _without_lone_surrogates(value: Any) -> Any:
    """``value`` with each lone surrogate (``"\\ud800"`` decodes to one; UTF-8, so Bolt, cannot carry it) in its
    strings and keys replaced by U+FFFD, as a UTF-8 decoder replaces a broken sequence. Iterative: any depth."""
    root = [value]
    stack: list[list[Any] | dict[str, Any]] = [root]
    while stack:
        container = stack.pop()
        if isinstance(container, dict):
            items = [(_replace_surrogates(key), item) for key, item in container.items()]
            container.clear()
            container.update(items)
            keys: Iterable[Any] = container
        else:
            keys = range(len(container))
        for key in keys:
            item = container[key]
            if isinstance(item, str):
                container[key] = _replace_surrogates(item)
            elif isinstance(item, dict | list):
                stack.append(item)
    return root[0]


def _replace_surrogates(text: str) -> str:
    return _SURROGATE.sub("\ufffd", text)


def first_json_value(text: str) -> Any | None:
    """The first JSON value in ``text`` (the document, or the first well-formed line of JSON Lines), else None.

    Cheap on JSON Lines: only the first line is decoded.

    >>> first_json_value('{"a": 1}\\n{"a": 2}\\n')
    {'a': 1}
    """
    try:
        return _loads(text.lstrip(), prefix=True)
    except (json.JSONDecodeError, _Refused):
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
    values: list[tuple[int, Any]] = []
    problems: list[Problem] = []
    for number, value in iter_json(text, path):
        if isinstance(value, Problem):
            problems.append(value)
        else:
            values.append((number, value))
    return values, problems


def iter_json(text: str, path: str) -> Iterator[tuple[int, Any]]:
    """:func:`read_json` one value at a time, in file order: ``(line, value)``, or ``(line, Problem)`` for a bad
    line. A caller that keeps only what it makes of each value holds one decoded line at a time, not all of them
    (which, for JSON Lines, also spares the garbage collector from walking every value again and again)."""
    try:
        document = _loads(text)
    except json.JSONDecodeError as err:
        if not isinstance(_first_parsable_line(text), dict):
            raise InputError(f"not valid JSON: {err.msg} (column {err.colno})", path=path, line=err.lineno) from err
    except _Refused as err:
        if not isinstance(_first_parsable_line(text), dict):
            raise InputError(f"not valid JSON: {err}", path=path, line=_first_line(text)) from err
    else:
        yield _first_line(text), document
        return
    for number, line in _non_blank_lines(text):
        yield number, _line_value(number, line, path)


def is_json_lines(head: str) -> bool:
    """Whether a text starting with ``head`` is JSON Lines as :func:`iter_json` tells it: the first of its first few
    non-blank lines that is JSON by itself is an object (a line cut at the end of ``head`` is not JSON). A document
    over several lines, such as an indented list page, is not."""
    return isinstance(_first_parsable_line(head), dict)


def iter_json_lines(stream: BinaryIO, path: str) -> Iterator[tuple[int, Any]]:
    """The JSON Lines of a UTF-8 byte stream as :func:`iter_json` reads them from the whole text, holding one line
    at a time: ``(line, value)``, or ``(line, Problem)`` for a line that is not JSON.

    Raises
    ------
    InputError
        A byte that is not UTF-8 (with its byte offset, as :func:`loaders.decode` names it).
    """
    offset = 0
    for number, data in enumerate(stream, start=1):
        try:
            line = data.decode("utf-8")
        except UnicodeDecodeError as err:
            raise not_utf8(data, err, path, offset) from err
        if number == 1:
            line = line.removeprefix("\ufeff")
        offset += len(data)
        if line.strip():
            yield number, _line_value(number, line.rstrip("\n"), path)


def not_utf8(data: bytes, err: UnicodeDecodeError, path: str, offset: int = 0) -> InputError:
    """The error for ``data`` (that starts ``offset`` bytes into the file) failing to decode as UTF-8."""
    return InputError(f"not valid UTF-8: byte 0x{data[err.start]:02x} at byte offset {offset + err.start}", path=path)


def _line_value(number: int, line: str, path: str) -> Any:
    """The value of one line of JSON Lines, or a Problem at ``number`` if it is not JSON."""
    try:
        return _loads(line)
    except (json.JSONDecodeError, _Refused) as err:
        reason = f"{err.msg} (column {err.colno})" if isinstance(err, json.JSONDecodeError) else str(err)
        return Problem(path, number, f"not valid JSON: {reason}", line[:_EXCERPT_CHARS])


def _first_parsable_line(text: str) -> Any | None:
    """The value of the first of the first few non-blank lines that is JSON by itself, else None."""
    for _, line in islice(_non_blank_lines(text), _SNIFF_LINES):
        try:
            return _loads(line)
        except (json.JSONDecodeError, _Refused):
            continue
    return None


def _non_blank_lines(text: str) -> Iterator[tuple[int, str]]:
    """(1-based line number, line) for each line that is not blank, lazily; JSON Lines ends lines with ``\\n``.

    ``str.find`` rather than iterating an ``io.StringIO``: the same lines, at a tenth of the cost per line."""
    start, size = 0, len(text)
    for number in count(1):
        if start >= size:
            return
        end = text.find("\n", start) + 1 or size
        line = text[start:end]
        if line.strip():
            yield number, line.rstrip("\n")
        start = end


def _first_line(text: str) -> int:
    """The line on which the document's first non-blank character stands."""
    stripped = text.lstrip()
    return text[: len(text) - len(stripped)].count("\n") + 1
