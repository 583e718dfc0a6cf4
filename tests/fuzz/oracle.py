"""The fuzz property for one input: the loader returns well-formed records or raises our own error naming the file.

:func:`run_loader` writes the bytes to a file, reads it through :func:`loaders.read_file` (the format given, or
detected from the content) under a time limit, and sorts the outcome:

- ``result``: a :class:`~loaders.LoadResult` whose records the writer can take (:func:`record_faults` is empty);
- ``own_error``: a :class:`~graph.errors.InputError` that names the file;
- ``uncaught``: any other exception, a result with malformed records, an own error that does not name the
  file, or an input that ran past the time limit.
"""

from __future__ import annotations

import datetime
import math
import signal
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from graph.errors import CoauthorError, InputError
from graph.model import AuthorProfile, AuthorRef, Paper, Tie, TopicRef
from loaders import LoadResult, read_file

__all__ = ["AS_OF", "Outcome", "record_faults", "run_loader", "time_limit"]

AS_OF = datetime.date(2026, 11, 27)
_IDENTITY = frozenset({"orcid", "dblp", "node"})


class TimeLimitExceeded(BaseException):
    """An input ran past its time limit (a BaseException, so that no loader's ``except Exception`` hides it)."""


@dataclass(frozen=True)
class Outcome:
    """What one input did: ``kind`` is ``result``, ``own_error`` or ``uncaught``; ``detail`` says why."""

    kind: str
    seconds: float
    detail: str = ""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`TimeLimitExceeded` in the block after ``seconds`` of wall time (main thread, POSIX only)."""

    def expire(_signum: int, _frame: object) -> None:
        raise TimeLimitExceeded(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run_loader(data: bytes, path: Path, format: str | None, seconds: float) -> Outcome:
    """Write ``data`` to ``path``, read it as ``format`` (``None``: detect) within ``seconds``, sort the outcome."""
    path.write_bytes(data)
    start = time.perf_counter()
    try:
        with time_limit(seconds):
            result = read_file(path, format, as_of=AS_OF)
    except TimeLimitExceeded as err:
        return Outcome("uncaught", time.perf_counter() - start, f"hang: {err}")
    except CoauthorError as err:
        elapsed = time.perf_counter() - start
        if not isinstance(err, InputError) or err.path != str(path):
            return Outcome("uncaught", elapsed, f"own error without the file: {type(err).__name__}: {err}")
        return Outcome("own_error", elapsed, str(err))
    except Exception:
        return Outcome("uncaught", time.perf_counter() - start, traceback.format_exc(limit=-4))
    elapsed = time.perf_counter() - start
    faults = record_faults(result, str(path))
    return Outcome("uncaught", elapsed, "; ".join(faults[:5])) if faults else Outcome("result", elapsed)


def record_faults(result: LoadResult, path: str) -> list[str]:
    """Why ``result`` is not something the writer can take: wrong types, empty names, text UTF-8 cannot encode."""
    faults = [] if result.path == path else [f"result.path {result.path!r} is not {path!r}"]
    for kind, report in [*(("problem", problem) for problem in result.problems), *(("note", n) for n in result.notes)]:
        if report.path != path or not isinstance(report.line, int) or report.line < 0:
            faults.append(f"{kind} without the file and a line: {report!r:.200}")
        faults += _text_faults(report.message, f"{kind} message", allow_empty=False)
    for paper in result.papers:
        faults += _paper_faults(paper)
    for profile in result.profiles:
        faults += _profile_faults(profile)
    for tie in result.ties:
        faults += _tie_faults(tie)
    return faults


def _paper_faults(paper: Paper) -> list[str]:
    if not isinstance(paper, Paper):
        return [f"not a Paper: {paper!r:.200}"]
    faults = _text_faults(paper.title, "title", allow_empty=True)
    if not isinstance(paper.authors, tuple):
        faults.append(f"paper {paper.source_ref} has no authors tuple")
    for author in paper.authors:
        faults += _author_faults(author)
    for name in ("abstract", "abstract_text", "date", "date_precision", "doi", "arxiv_id", "venue", "kind"):
        value = getattr(paper, name)
        if value is not None:
            faults += _text_faults(value, name, allow_empty=True)
    for name in ("year", "citations"):
        value = getattr(paper, name)
        if value is not None and not _is_int64(value):
            faults.append(f"{name} is not a 64-bit int: {value!r:.80}")
    faults += _ids_faults(paper.external_ids, "external_ids", identity=False)
    faults += [fault for topic in paper.topics for fault in _topic_faults(topic)]
    faults += _key_faults(paper)
    return faults


def _author_faults(author: AuthorRef) -> list[str]:
    if not isinstance(author, AuthorRef):
        return [f"not an AuthorRef: {author!r:.200}"]
    faults = _text_faults(author.name, "author name", allow_empty=False)
    if not _is_int64(author.position) or author.position < 0:
        faults.append(f"author position is not a non-negative int: {author.position!r:.80}")
    if author.affiliation is not None:
        faults += _text_faults(author.affiliation, "affiliation", allow_empty=True)
    faults += _ids_faults(author.ids, "author ids")
    faults += _key_faults(author)
    if not faults and author.key == "name:":
        faults.append(f"author name {author.name!r:.80} has no letter or digit: every such author is one node")
    return faults


def _profile_faults(profile: AuthorProfile) -> list[str]:
    faults = _text_faults(profile.name, "profile name", allow_empty=False) + _ids_faults(profile.ids, "profile ids")
    for metric, value in profile.metrics.items():
        if not (_is_int64(value) or (type(value) is float and math.isfinite(value))):
            faults.append(f"metric {metric!r} is not a 64-bit int or a finite float: {value!r:.80}")
    if profile.primary_topic is not None:
        faults += _topic_faults(profile.primary_topic)
    return faults + _key_faults(profile)


def _tie_faults(tie: Tie) -> list[str]:
    faults = _author_faults(tie.a) + _author_faults(tie.b)
    weight = tie.weight
    if isinstance(weight, bool) or not isinstance(weight, int | float) or not math.isfinite(weight) or weight <= 0:
        faults.append(f"tie weight is not a positive finite number: {weight!r}")
    return faults


def _topic_faults(topic: TopicRef) -> list[str]:
    faults = [
        f for value in (topic.id, topic.name, topic.kind) for f in _text_faults(value, "topic", allow_empty=False)
    ]
    return faults + (_topic_faults(topic.parent) if topic.parent is not None else [])


def _ids_faults(ids: dict[str, str], what: str, identity: bool = True) -> list[str]:
    """Ids are text; with ``identity``, those that make an author's node (``orcid``, ``dblp``, ``node``) not blank."""
    if not isinstance(ids, dict):
        return [f"{what} is not a dict: {ids!r:.80}"]
    return [
        fault
        for key, value in ids.items()
        for fault in _text_faults(key, what, False)
        + _text_faults(value, f"{what}[{key!r}]", not identity or key not in _IDENTITY)
    ]


def _is_int64(value: object) -> bool:
    return type(value) is int and -(1 << 63) <= value < (1 << 63)


def _text_faults(value: object, what: str, allow_empty: bool) -> list[str]:
    """A str that UTF-8 (so Bolt) can encode, non-blank unless ``allow_empty``."""
    if not isinstance(value, str):
        return [f"{what} is not text: {type(value).__name__} {value!r:.80}"]
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return [f"{what} holds a lone surrogate, which Bolt cannot send: {value!r:.80}"]
    if not allow_empty and not value.strip():
        return [f"{what} is blank: {value!r:.80}"]
    return []


def _key_faults(record: Paper | AuthorRef | AuthorProfile) -> list[str]:
    try:
        record.key  # noqa: B018 - computing the stable key is the check
    except Exception as err:
        return [f"{type(record).__name__}.key fails: {type(err).__name__}: {err}"]
    return []
