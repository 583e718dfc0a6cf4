"""`coauthor load`: read publication records and write them into the graph."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from pathlib import Path

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from coauthor.base import cli, open_graph, stderr, writing_turn
from graph.connection import Graph
from graph.errors import InputError, LoadInterrupted
from graph.turns import WriteTurn
from graph.writer import BATCH_SIZE, write_records
from loaders import FORMATS, UNREADABLE, LoadResult, Note, Problem, read_inputs, shorten
from loaders.result import count_reasons
from queries.planner import refresh_statistics


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "source_format", type=click.Choice(sorted(FORMATS)), help="Skip format detection.")
@click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Resolve year-less dates against this day (default: the day each file was last modified; today for -).",
)
@click.option("--strict", is_flag=True, help="Refuse the whole input on any malformed record, before writing.")
@click.option(
    "--batch-size", type=click.IntRange(1), default=BATCH_SIZE, show_default=True, help="Papers per transaction."
)
@click.option(
    "--keyphrases",
    is_flag=True,
    help="Also add each paper's top 5 keyphrases (YAKE over title and abstract; plurals and acronyms defined in the "
    "text folded) as topics of kind 'keyword'. Slower: about 60 works with abstracts per second.",
)
@click.pass_context
def load(
    ctx: click.Context,
    paths: tuple[str, ...],
    source_format: str | None,
    as_of: datetime.datetime | None,
    strict: bool,
    batch_size: int,
    keyphrases: bool,
) -> None:
    """Read publication records from PATHS and write them into the graph.

    PATHS are files (gzip is unpacked; UTF-8, or UTF-16 or UTF-32 with a byte-order mark), directories (walked),
    glob patterns, - for standard input, or pipes such as <(zcat f.gz); the format of each is detected from its
    content unless --format is given.
    Everything is read before anything is written, except dblp and OpenAlex JSON Lines files over 64 MiB, which
    stream (--strict reads them through once first). Loading the same data twice changes nothing; a paper seen in
    several sources becomes one node.
    Loads running at the same time take turns writing (each waits for the one before to finish), so they end
    with the graph of the same loads run one after another.
    Malformed records, and files that cannot be read at all (missing, empty, an empty directory, or with no
    record in the --format given), are reported with file and line and skipped; the rest is written, and the exit
    code is then 6. A file in which every record fails (a wrong --format, say) is reported once: how many, and
    the first failure. --strict refuses the whole input on the first of them instead, before writing anything.
    What is left out by design is reported as noted, by reason, with file and line, and is no error: records
    without authors in any format (editors-only volumes, BibTeX crossref containers, a Crossref figure's DOI),
    network nodes without ties and self-loops, authors whose name has no letter or digit, and BibTeX fields that
    use an undefined @string macro (outside title and author).
    """
    day = as_of.date() if as_of else None
    try:
        results = read_inputs(
            paths, source_format, as_of=day, strict=strict, keep_going=not strict, keyphrases=keyphrases
        )
    except KeyboardInterrupt:
        raise LoadInterrupted("interrupted while reading the inputs", hint="nothing was written") from None
    graph = open_graph(ctx)
    with writing_turn(graph) as turn:
        for result in results:
            _write_result(graph, result, batch_size, turn)
    refresh_statistics(graph, only_if_stale=True)  # samples of what a bulk load changed: plans use index seeks
    if trouble := _input_trouble(results):
        raise InputError(trouble)


def _input_trouble(results: list[LoadResult]) -> str | None:
    """One line on the inputs that could not be read and the records skipped, or None if there were none."""
    unreadable = sum(result.format == UNREADABLE for result in results)
    skipping = [result for result in results if result.problems and result.format != UNREADABLE]
    parts = [_unreadable(unreadable, len(results))] if unreadable else []
    if skipping:
        skipped = sum(len(result.problems) for result in skipping)
        parts.append(f"{_count(skipped, 'record')} skipped in {_count(len(skipping), 'input')} (see above)")
    return "; ".join(parts) or None


def _unreadable(count: int, total: int) -> str:
    """How many of the ``total`` inputs could not be read, without "the others" when there are none."""
    if count < total:
        return f"{count} of {total} inputs could not be read (the others were loaded)"
    return "the input could not be read" if total == 1 else f"none of the {total} inputs could be read"


def _count(number: int, noun: str) -> str:
    """``number`` and ``noun``, plural unless one: "1 record", "2 records"."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _write_result(graph: Graph, result: LoadResult, batch_size: int, turn: WriteTurn) -> None:
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=stderr, transient=True, disable=not stderr.is_terminal) as progress:
        total = len(result.papers) if isinstance(result.papers, list) else None  # a streamed file: unknown
        task = progress.add_task(Path(result.path).name, total=total)

        written = write_records(
            graph,
            result.papers,
            result.profiles,
            result.ties,
            batch_size=batch_size,
            on_batch=lambda papers: progress.advance(task, papers),
            turn=turn,
        )
    ties = f", {written.ties} ties" if written.ties else ""
    noted = f", {len(result.notes)} noted" if result.notes else ""
    click.echo(
        f"{result.path}: {result.records_read} records read ({result.format}), {written.papers} papers written"
        f"{ties}, {written.merged} merged into existing papers, {len(result.problems)} skipped{noted}; "
        f"{written.nodes_new} nodes and {written.relationships_new} relationships new"
    )
    _report("skipped", result.problems)
    _report("noted", result.notes)


def _report(kind: str, reports: Sequence[Problem | Note]) -> None:
    """Each reason with its count on standard output ("  skipped 2: …", "  noted 1: …"), then each report with
    its file and line on standard error (a note's message says what was left out)."""
    for reason, count in count_reasons(reports).most_common():
        click.echo(f"  {kind} {count}: {reason}")
    for report in reports:
        stderr.print(
            f"  {report.path}{f':{report.line}' if report.line else ''}: {shorten(report.message)}",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
