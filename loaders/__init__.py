"""Read publication files into records: the format registry and :func:`read_file`.

Each input format is one module of this package with two functions, registered in :data:`FORMATS`:

- ``sniff(text) -> bool``: does this text look like the format? (by content, never by file extension)
- ``parse(text, path, *, as_of) -> LoadResult``: the records, a :class:`Problem` for each malformed one, and a
  :class:`Note` for each record or part of one left out by design (an author whose name has no letter or digit).

Parsers are pure (no database, no I/O): a bad record is reported with its file, line and reason and skipped,
the rest still load; a file that cannot be read or understood at all, or in which every record is malformed (a
wrong ``--format``: one error instead of thousands), is an :class:`~graph.errors.InputError`.

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
import os
import sys
from collections.abc import Sequence
from itertools import groupby
from operator import attrgetter
from pathlib import Path
from typing import NamedTuple

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
from loaders.result import MESSAGE_CHARS, Format, LoadResult, Note, Problem, shorten
from loaders.streaming import GZIP_ERRORS, GZIP_MAGIC, check_before_writing, wide_encoding

__all__ = [
    "FORMATS",
    "MESSAGE_CHARS",
    "UNREADABLE",
    "UNRECOGNISED",
    "Format",
    "LoadResult",
    "Note",
    "Problem",
    "detect_format",
    "expand_paths",
    "read_file",
    "read_inputs",
    "shorten",
]

UNRECOGNISED = "unrecognised, ignored"
"""The format of a file met while walking a directory that no format recognises (a README, say)."""
UNREADABLE = "unreadable"
"""The format of a file that could not be read or parsed at all (with ``keep_going``)."""
_NUL_SCAN = 4096
"""How far into a file's text a NUL character marks binary data."""

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
    """Read ``path`` (UTF-8, or UTF-16 or UTF-32 with a byte-order mark), detect its format (unless given) and parse it.

    Parameters
    ----------
    path
        The file to read.
    format
        A key of :data:`FORMATS`; ``None`` sniffs the content.
    as_of
        The day the file was captured, for dates printed without a year; defaults to the day it was last modified.
    strict
        Refuse the whole file on its first malformed record instead of reporting and skipping it.

    Raises
    ------
    InputError
        The file is missing, unreadable, empty, binary or not valid in its encoding (with the byte offset), its format
        is unknown or unrecognised, a ``format`` it does not look like finds nothing in it, its header is garbled,
        every record of it is malformed (how many, and the first), or (``strict=True``) one record is malformed
        (file and line).
    """
    return read_inputs([path], format, as_of=as_of, strict=strict)[0]


def expand_paths(args: Sequence[str | Path]) -> list[str]:
    """Files named by ``args``: directories walked (sorted, hidden files skipped), glob patterns expanded (sorted),
    anything else as given: a file, ``-`` for standard input, a pipe or a device (read as a stream), and a name
    that matches nothing, a broken symbolic link or a directory without files (reading it then reports it, naming
    it)."""
    return [path for path, _named in _expand(args)]


def _expand(args: Sequence[str | Path]) -> list[tuple[str, bool]]:
    """Like :func:`expand_paths`, with whether each file was named (True) or found in a directory (False); a
    directory without files is itself named, so that reading it reports it."""
    found: list[tuple[str, bool]] = []
    for arg in map(str, args):
        for path in _matches(arg):
            found += (_walk(path) or [(path, True)]) if Path(path).is_dir() else [(path, True)]
    return found


def _matches(arg: str) -> list[str]:
    """The sorted paths a glob pattern matches; ``arg`` itself if it names something, is no pattern, or matches
    nothing. Never a pattern again, so expansion cannot recurse on its own output."""
    if arg == "-" or os.path.lexists(arg) or not glob.has_magic(arg):
        return [arg]
    return sorted(glob.glob(arg, recursive=True)) or [arg]


def _walk(folder: str) -> list[tuple[str, bool]]:
    """The files under ``folder``, sorted, hidden ones skipped; broken symbolic links too, so they are reported."""
    return [
        (str(path), False)
        for path in sorted(Path(folder).rglob("*"))
        if (path.is_file() or (path.is_symlink() and not path.exists()))
        and not any(part.startswith(".") for part in path.relative_to(folder).parts)
    ]


class _Input(NamedTuple):
    """A file to parse: its text (None for a file that streams), its format, and whether it was named."""

    path: str
    text: str | None
    format: str
    named: bool


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
    A file found in a directory that is empty, that no format recognises, or in which a ``format`` it does not look
    like finds nothing, is returned as an empty result of format :data:`UNRECOGNISED`; such a file named directly
    is an InputError, as is a directory without files. With ``keep_going``, a file that cannot be read at all (or a
    name that matches nothing, or a directory without files) becomes a result of format :data:`UNREADABLE` with one
    Problem, and the other files still load.
    With ``keyphrases``, every paper also gets the keyphrases of its title and abstract as ``keyword`` topics
    (:func:`loaders.keyphrases.with_keyphrases`).
    """
    results: list[LoadResult] = []
    inputs: list[_Input] = []
    for path, named in _expand(args):
        try:
            inputs.append(_prepare(path, format, named))
        except InputError as err:
            results.append(_failed(path, err, keep_going))
    for name, group in groupby(inputs, key=attrgetter("format")):
        run = list(group)
        if name == UNRECOGNISED:
            results += [_unrecognised(item.path) for item in run]
        else:
            results += _parse_run(name, run, as_of, keep_going, forced=format is not None)
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
    if head is None:
        return None
    name = format or _detect(path, head, named=False)
    how = streaming.STREAMABLE.get(name)
    return name if how is not None and how.streams(head) else None


def _prepare(path: str, format: str | None, named: bool) -> _Input:
    """Read ``path`` (unless it streams) and name its format; an empty named file or directory is an InputError."""
    if Path(path).is_dir():
        raise InputError("the directory has no files to load (hidden ones are not read)", path=path)
    if streamed_as := _stream_format(path, format):
        return _Input(path, None, streamed_as, named)
    text = _read_text(path)
    if text.strip():
        return _Input(path, text, format or _detect(path, text, named), named)
    if named:
        raise InputError("standard input is empty" if path == "-" else "the file is empty", path=path)
    return _Input(path, text, UNRECOGNISED, named)


def _parse_run(
    name: str, run: list[_Input], as_of: datetime.date | None, keep_going: bool, *, forced: bool
) -> list[LoadResult]:
    """Parse files of one format (``forced``: given by the user, not detected): as one stream where the format
    reads several so, else one by one."""
    module = _format(name, run[0].path)
    together = len(run) > 1 and hasattr(module, "parse_many")
    results = []
    for batch in [run] if together else [[item] for item in run]:
        try:
            day = as_of or _saved_on(batch[0].path)
            results.append(_parse_batch(name, module, batch, day, forced=forced))
        except InputError as err:
            results.append(_failed(" + ".join(item.path for item in batch), err, keep_going))
    return results


def _saved_on(path: str) -> datetime.date:
    """The day ``path`` was last written (today for standard input): year-less dates in it (a profile page's
    ``Mar 28``) are the latest such day on or before it, so loading the same file again infers the same years."""
    if path == "-":
        return datetime.date.today()
    return datetime.date.fromtimestamp(os.stat(path).st_mtime)


def _parse_batch(name: str, module: Format, batch: list[_Input], day: datetime.date, *, forced: bool) -> LoadResult:
    """One result for ``batch`` (one file, or several a format reads as one stream; a file without text streams).

    Raises
    ------
    InputError
        Every record failed (one error for the file instead of one problem per record: a wrong ``--format`` gives
        thousands), or nothing at all was found in a named text that does not look like the format either.
    """
    first = batch[0]
    if first.text is None:
        return streaming.streamed(first.path, name)
    if len(batch) > 1:
        result = module.parse_many([(item.path, item.text) for item in batch], as_of=day)
    else:
        result = module.parse(first.text, first.path, as_of=day)
    if _every_record_failed(result):
        raise InputError(_all_failed(name, result, forced), path=result.path)
    if _found_something(result) or any(module.sniff(item.text) for item in batch):
        return result
    if not any(item.named for item in batch):
        return _unrecognised(result.path)
    raise InputError(f"no {name} records found; is --format right?", path=result.path)


def _found_something(result: LoadResult) -> bool:
    """Whether a parsed (not streamed) file gave anything: a record, even a malformed one, a profile or a tie."""
    return bool(
        result.records_read or result.problems or result.notes or result.papers or result.profiles or result.ties
    )


def _every_record_failed(result: LoadResult) -> bool:
    """Whether each of a parsed file's records (two or more) is a problem, and nothing was loaded or noted. A file
    with one problem for all its records (ORCID's search results) or a single record keeps its own message."""
    loaded = result.papers or result.profiles or result.ties or result.notes
    return not loaded and len(result.problems) >= result.records_read >= 2


def _all_failed(name: str, result: LoadResult, forced: bool) -> str:
    """Why no record of ``result`` could be read as ``name``: how many failed, the advice on the format, and the
    first failure (its file too, where several files were read as one stream)."""
    first = result.problems[0]
    where = [Path(first.path).name] if first.path != result.path else []
    where += [f"line {first.line}"] if first.line else []
    place = f" ({', '.join(where)})" if where else ""
    advice = (
        "is --format right? Leave it out to detect the format"
        if forced
        else "detected from the content; if wrong, give --format"
    )
    return (
        f"no record could be read as {name}: all {result.records_read} failed ({advice}); "
        f"the first{place}: {first.message}"
    )


def _unrecognised(path: str) -> LoadResult:
    return LoadResult(path, UNRECOGNISED, [], [], [], 0)


def _failed(path: str, err: InputError, keep_going: bool) -> LoadResult:
    """A result of format :data:`UNREADABLE` for ``err`` with ``keep_going``; else ``err`` raised, its reason
    shortened to :data:`MESSAGE_CHARS`."""
    if not keep_going and len(err.reason) > MESSAGE_CHARS:
        raise InputError(shorten(err.reason), path=err.path, line=err.line, hint=err.hint) from err
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
        raise InputError(shorten(first.message), path=first.path, line=first.line, hint=hint)


def _read_text(path: str) -> str:
    """The file's text, gunzipped when it is gzip data and decoded (see :func:`decode`)."""
    if path == "-":
        return decode(sys.stdin.buffer.read(), "<stdin>")
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError as err:
        raise InputError(_not_found(path), path=path) from err
    except OSError as err:
        raise InputError(f"cannot read the file: {err.strerror or err}", path=path) from err
    return decode(data, path)


def _not_found(path: str) -> str:
    """Why reading ``path`` found no file: a broken symbolic link, or a name that matches nothing."""
    if Path(path).is_symlink():
        return f"no such file: a broken symbolic link to {os.readlink(path)}"
    return "no such file, directory or matching pattern"


def decode(data: bytes, path: str) -> str:
    """Bytes to text: gzip is unpacked (a truncated or corrupt one is an InputError), then UTF-16 or UTF-32 where a
    byte-order mark says so (Web of Science's "Tab-delimited (Win/Mac)" export, Excel's "Unicode Text"), else strict
    UTF-8. A byte-order mark is dropped; a NUL character near the start is binary data, an InputError."""
    if data[:2] == GZIP_MAGIC:
        try:
            data = gzip.decompress(data)
        except GZIP_ERRORS as err:
            raise InputError(f"damaged gzip data: {err}", path=path) from err
    codec = wide_encoding(data) or "utf-8"
    if codec == "utf-8" and b"\0" in data[:_NUL_SCAN]:  # before decoding, which fails on most binary data
        raise _binary(path)
    text = _decode_text(data, codec, path)
    if "\0" in text[:_NUL_SCAN]:
        raise _binary(path)
    return text.removeprefix("\ufeff")


def _decode_text(data: bytes, codec: str, path: str) -> str:
    """``data`` decoded by ``codec``: ``utf-8``, or ``utf-16`` or ``utf-32``, which read the byte-order mark."""
    try:
        return data.decode(codec)
    except UnicodeDecodeError as err:
        if codec == "utf-8":
            raise not_utf8(data, err, path) from err
        name = codec.upper()
        raise InputError(f"not valid {name}: {err.reason} at byte offset {err.start}", path=path) from err


def _binary(path: str) -> InputError:
    return InputError("binary data, not a text export (NUL bytes near the start)", path=path)
