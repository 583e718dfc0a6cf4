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
import gzip
import zlib
from pathlib import Path

from graph.errors import InputError
from loaders import profile
from loaders.result import Format, LoadResult, Problem

__all__ = ["FORMATS", "Format", "LoadResult", "Problem", "detect_format", "read_file"]

GZIP_MAGIC = b"\x1f\x8b"

FORMATS: dict[str, Format] = {"profile": profile}
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


def _read_text(path: str) -> str:
    """The file's text, gunzipped when it is gzip data and decoded as UTF-8 (a byte-order mark is dropped)."""
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
