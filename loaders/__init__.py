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
from collections.abc import Sequence
from itertools import groupby
from operator import itemgetter
from pathlib import Path

from graph.errors import InputError
from loaders import (
    arxiv_atom,
    arxiv_snapshot,
    bibtex,
    crossref,
    dblp,
    edge_list,
    gml,
    ieee,
    openalex,
    orcid,
    profile,
    scopus,
    semantic_scholar,
    springer,
    streaming,
    wos,
    wos_plaintext,
)
from loaders.jsonio import not_utf8
from loaders.keyphrases import with_keyphrases
from loaders.result import Format, LoadResult, Problem
from loaders.streaming import GZIP_ERRORS, GZIP_MAGIC, check_before_writing

__all__ = [
    "FORMATS",
    "UNREADABLE",
    "UNRECOGNISED",
    "Format",
    "LoadResult",
    "Problem",
    "detect_format",
    "expand_paths",
    "read_file",
    "read_inputs",
]

UNRECOGNISED = "unrecognised, ignored"
"""The format of a file met while walking a directory that no format recognises (a README, say)."""
UNREADABLE = "unreadable"
"""The format of a file that could not be read or parsed at all (with ``keep_going``)."""

FORMATS: dict[str, Format] = {
    "profile": profile,
    "arxiv_atom": arxiv_atom,
    "arxiv_snapshot": arxiv_snapshot,
    "openalex": openalex,
    "semantic_scholar": semantic_scholar,
    "crossref": crossref,
    "orcid": orcid,
    "dblp": dblp,
    "scopus": scopus,
    "ieee": ieee,
    "springer": springer,
    "wos": wos,
    "wos_plaintext": wos_plaintext,
    "bibtex": bibtex,
    "gml": gml,
    "snap": edge_list,
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
    return read_inputs([path], format, as_of=as_of, strict=strict)[0]


def expand_paths(args: Sequence[str | Path]) -> list[str]:
    """Files named by ``args``: files as given, directories walked (sorted, hidden files skipped), glob
    patterns expanded (sorted), and ``-`` for standard input. A name matching nothing is an InputError."""
    return [path for path, _named in _expand(args)]


def _expand(args: Sequence[str | Path]) -> list[tuple[str, bool]]:
    """Like :func:`expand_paths`, with whether each file was named (True) or found in a directory (False)."""
    found: list[tuple[str, bool]] = []
    for arg in map(str, args):
        if arg == "-" or Path(arg).is_file():
            found.append((arg, True))
        elif Path(arg).is_dir():
            found += [
                (str(path), False)
                for path in sorted(Path(arg).rglob("*"))
                if path.is_file() and not any(part.startswith(".") for part in path.relative_to(arg).parts)
            ]
        elif matches := sorted(glob.glob(arg, recursive=True)):
            found += _expand(matches)
        else:
            raise InputError("no such file, directory or matching pattern", path=arg)
    return found


def read_inputs(
    args: Sequence[str | Path],
    format: str | None = None,
    *,
    as_of: datetime.date | None = None,
    strict: bool = False,
    keep_going: bool = False,
    keyphrases: bool = False,
) -> list[LoadResult]:
    """Read every file :func:`expand_paths` finds, all before anything is written, so that ``strict=True``
    refuses the whole input on its first malformed record.

    Consecutive inputs of a format that reads several files as one stream (BibTeX: ``@string`` macros and
    crossrefs defined in an earlier file, as ``\\bibliography{a,b}`` does) are parsed together, in the order given.
    A file found in a directory that no format recognises is returned as an empty result of format
    :data:`UNRECOGNISED`; a file named directly must be recognised. With ``keep_going``, a file that cannot be
    read at all becomes a result of format :data:`UNREADABLE` with one Problem, and the other files still load.
    With ``keyphrases``, every paper also gets the keyphrases of its title and abstract as ``keyword`` topics
    (:func:`loaders.keyphrases.with_keyphrases`).
    """
    day = as_of or datetime.date.today()
    results: list[LoadResult] = []
    inputs: list[tuple[str, str | None, str]] = []
    for path, named in _expand(args):
        try:
            if streamed_as := _stream_format(path, format):
                inputs.append((path, None, streamed_as))
                continue
            text = _read_text(path)
            inputs.append((path, text, format or _detect(path, text, named)))
        except InputError as err:
            results.append(_failed(path, err, keep_going))
    for name, group in groupby(inputs, key=itemgetter(2)):
        run = [(path, text) for path, text, _name in group]
        if name == UNRECOGNISED:
            results += [LoadResult(path, name, [], [], [], 0) for path, _text in run]
        else:
            results += _parse_run(name, run, day, keep_going)
    if strict:
        for result in results:
            if not isinstance(result.papers, list):
                check_before_writing(result)
        _refuse_problems(results)
    if keyphrases:
        for result in results:
            papers = (with_keyphrases(paper) for paper in result.papers)
            result.papers = list(papers) if isinstance(result.papers, list) else papers
    return results


def _stream_format(path: str, format: str | None) -> str | None:
    """The format of ``path`` if it is a file too big to hold in memory that its format reads as a stream (see
    :mod:`loaders.streaming`), else None. Detection reads only the file's head."""
    if path == "-" or format not in (None, *streaming.STREAMABLE) or not Path(path).is_file():
        return None
    if Path(path).stat().st_size <= streaming.STREAM_BYTES:
        return None
    head = streaming.head_text(path)
    name = format or _detect(path, head, named=False)
    how = streaming.STREAMABLE.get(name)
    return name if how is not None and how.streams(head) else None


def _parse_run(name: str, run: list[tuple[str, str | None]], day: datetime.date, keep_going: bool) -> list[LoadResult]:
    """Parse files of one format: as one stream where the format reads several so, else one by one (a file
    without text, a big file of a streamable format, streams)."""
    module = _format(name, run[0][0])
    streamed = len(run) > 1 and hasattr(module, "parse_many")
    results = []
    for batch in [run] if streamed else [[item] for item in run]:
        try:
            if streamed:
                results.append(module.parse_many(batch, as_of=day))
            elif batch[0][1] is None:
                results.append(streaming.streamed(batch[0][0], name))
            else:
                results.append(module.parse(batch[0][1], batch[0][0], as_of=day))
        except InputError as err:
            results.append(_failed(" + ".join(path for path, _text in batch), err, keep_going))
    return results


def _failed(path: str, err: InputError, keep_going: bool) -> LoadResult:
    if not keep_going:
        raise err
    problem = Problem(err.path or path, err.line or 0, err.reason, "")
    return LoadResult(path, UNREADABLE, [], [], [problem], 0)


def _detect(path: str, text: str, named: bool) -> str:
    """The format of a named file (an InputError if none fits); a file found in a directory may be unrecognised."""
    try:
        return detect_format(path, text)
    except InputError:
        if named:
            raise
        return UNRECOGNISED


def _format(name: str, path: str) -> Format:
    if name not in FORMATS:
        raise InputError(f"unknown format {name!r} (known: {', '.join(FORMATS)})", path=path)
    return FORMATS[name]


def _refuse_problems(results: list[LoadResult]) -> None:
    problems = [problem for result in results for problem in result.problems]
    if problems:
        first = problems[0]
        hint = f"{len(problems)} malformed record(s) in the input; strict mode refuses all of it"
        raise InputError(first.message, path=first.path, line=first.line, hint=hint)


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
        except GZIP_ERRORS as err:
            raise InputError(f"damaged gzip data: {err}", path=path) from err
    if b"\0" in data[:4096]:
        raise InputError("binary data, not a text export (NUL bytes near the start)", path=path)
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as err:
        raise not_utf8(data, err, path) from err
