"""Read publication files into records: the format registry and :func:`read_file`.

Each input format is one module of this package with two functions, registered in :data:`FORMATS`:

- ``sniff(text) -> bool``: does this text look like the format? (by content, never by file extension)
- ``parse(text, path, *, as_of) -> LoadResult``: the records, and a :class:`Problem` for each malformed one.

Parsers are pure (no database, no I/O): a bad record is reported with its file, line and reason and skipped,
the rest still load; a file that cannot be read or understood at all is an :class:`~graph.errors.InputError`.

Examples
--------
>>> result = read_file("profile.txt", as_of=datetime.date(2026, 11, 27))  # doctest: +SKIP
>>> result.format, len(result.papers), result.problems  # doctest: +SKIP
('profile', 7, [])
"""

from __future__ import annotations

import datetime
import glob
import gzip
import sys
import zlib
from collections.abc import Sequence
from pathlib import Path

from graph.errors import InputError
from loaders import arxiv_atom, arxiv_snapshot, openalex, profile
from loaders.result import Format, LoadResult, Problem

__all__ = ["FORMATS", "Format", "LoadResult", "Problem", "detect_format", "expand_paths", "read_file", "read_inputs"]

GZIP_MAGIC = b"\x1f\x8b"

FORMATS: dict[str, Format] = {
    "profile": profile,
    "arxiv_atom": arxiv_atom,
    "arxiv_snapshot": arxiv_snapshot,
    "openalex": openalex,
}
"""Format name -> module with ``sniff`` and ``parse``; a new format is one module and one line here."""


def detect_format(path: str | Path, text: str) -> str:
    """The name of the first format in :data:`FORMATS` whose ``sniff`` accepts ``text``.

    Raises
    ------
    InputError
        No format recognises the text; the message names the file.
    """
    for name, module in FORMATS.items():
        if module.sniff(text):
            return name
    raise InputError(f"not a recognised input format (tried: {', '.join(FORMATS)})", path=str(path))


def read_file(
    path: str | Path,
    format: str | None = None,
    *,
    as_of: datetime.date | None = None,
    strict: bool = False,
) -> LoadResult:
    """Read ``path`` as UTF-8, detect its format (unless given) and parse it.

    Parameters
    ----------
    path
        The file to read.
    format
        A key of :data:`FORMATS`; ``None`` sniffs the content.
    as_of
        The day the file was captured, for dates printed without a year; defaults to today.
    strict
        Refuse the whole file on its first malformed record instead of reporting and skipping it.

    Raises
    ------
    InputError
        The file is missing, unreadable or not UTF-8 (with the byte offset), its format is unknown or
        unrecognised, its header is garbled, or (``strict=True``) one record is malformed (file and line).
    """
    name = str(path)
    text = _read_text(name)
    chosen = format or detect_format(name, text)
    module = FORMATS.get(chosen)
    if module is None:
        raise InputError(f"unknown format {chosen!r} (known: {', '.join(FORMATS)})", path=name)
    result = module.parse(text, name, as_of=as_of or datetime.date.today())
    if strict and result.problems:
        first = result.problems[0]
        hint = f"{len(result.problems)} malformed record(s) in this file; strict mode refuses the whole file"
        raise InputError(first.message, path=first.path, line=first.line, hint=hint)
    return result


def expand_paths(args: Sequence[str | Path]) -> list[str]:
    """Files named by ``args``: files as given, directories walked (sorted, hidden files skipped), glob
    patterns expanded (sorted), and ``-`` for standard input. A name matching nothing is an InputError."""
    found: list[str] = []
    for arg in map(str, args):
        if arg == "-" or Path(arg).is_file():
            found.append(arg)
        elif Path(arg).is_dir():
            found += sorted(
                str(path)
                for path in Path(arg).rglob("*")
                if path.is_file() and not any(part.startswith(".") for part in path.relative_to(arg).parts)
            )
        elif matches := sorted(glob.glob(arg, recursive=True)):
            found += expand_paths(matches)
        else:
            raise InputError("no such file, directory or matching pattern", path=arg)
    return found


def read_inputs(
    args: Sequence[str | Path],
    format: str | None = None,
    *,
    as_of: datetime.date | None = None,
    strict: bool = False,
) -> list[LoadResult]:
    """:func:`read_file` on every file :func:`expand_paths` finds, all read before anything is written, so that
    ``strict=True`` refuses the whole input on its first malformed record."""
    return [read_file(path, format, as_of=as_of, strict=strict) for path in expand_paths(args)]


def _read_text(path: str) -> str:
    """The file's text, gunzipped when it is gzip data and decoded as UTF-8 (a byte-order mark is dropped)."""
    if path == "-":
        return decode(sys.stdin.buffer.read(), "<stdin>")
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError as err:
        raise InputError("no such file", path=path) from err
    except OSError as err:
        raise InputError(f"cannot read the file: {err.strerror or err}", path=path) from err
    return decode(data, path)


def decode(data: bytes, path: str) -> str:
    """Bytes to text: gzip is unpacked (a truncated or corrupt one is an InputError), then strict UTF-8."""
    if data[:2] == GZIP_MAGIC:
        try:
            data = gzip.decompress(data)
        except (EOFError, OSError, zlib.error) as err:
            raise InputError(f"damaged gzip data: {err}", path=path) from err
    if b"\0" in data[:4096]:
        raise InputError("binary data, not a text export (NUL bytes near the start)", path=path)
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as err:
        bad = data[err.start]
        raise InputError(f"not valid UTF-8: byte 0x{bad:02x} at byte offset {err.start}", path=path) from err
