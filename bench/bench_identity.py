"""How well authors are resolved by names and evidence alone, against the ids the sources assigned.

    python bench/bench_identity.py                  # the default real files
    python bench/bench_identity.py FILE:KIND ...    # KIND, the true id: openalex, s2, dblp, scopus, orcid,
                                                    # or openalex_printed
    python bench/bench_identity.py --errors 10      # and each file's 10 costliest false and missed merges

Each file is read with its loader; every author mention's ground truth is its source id (an OpenAlex author id, a
Semantic Scholar authorId, a DBLP person name with its homonym suffix, a Scopus author id, an ORCID: Crossref's
``ORCID`` or Web of Science's ``OI`` field, which names the author it belongs to). With
``openalex_printed`` the truth is the OpenAlex author id and the name is the one the paper printed
(``raw_author_name``: ``K. M. Chomitz``, ``ROBIN CHAZDON``), not OpenAlex's canonical ``display_name``, as a source
without author ids would give it. The ids are then hidden and the mentions resolved three ways: exact folded name,
surname + first initial, and :class:`graph.identity.Resolver` (names propose; shared coauthors, coauthors of
coauthors, institutions, venues and topics decide; then identities are consolidated). Pairwise precision, recall and
F1 count mention pairs put together, against pairs that share a true id. Mentions without a true id are left out. No
Neo4j is needed.

The truth is the source's own disambiguation, with its own errors: a person split over two ids (Semantic
Scholar's "N. Kanwisher" and "Nancy Kanwisher", DBLP's "Chi-Hung Chi" and "Chihung Chi") counts against any
method that joins them. Sources that print one canonical name per id (OpenAlex, Semantic Scholar, DBLP) give the
exact-name baseline a recall of 1 by construction; exports that print names as each paper wrote them (Scopus,
OpenAlex's printed names) do not.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from graph.evidence import Mention, mentions_of
from graph.identity import Resolver
from graph.model import Paper, name_key
from graph.names import parse_person
from loaders import decode, read_file
from loaders.jsonio import iter_json

__all__ = [
    "Scores",
    "baseline_clusters",
    "costliest_errors",
    "load_mentions",
    "main",
    "pairwise_scores",
    "resolver_clusters",
]

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
PRINTED = "openalex_printed"
DEFAULT_FILES = (
    f"{DATA}/openalex/works_union_602.jsonl.gz:openalex",
    f"{DATA}/openalex/works_list_200_biodiversity_finance.json.gz:openalex",
    f"{DATA}/openalex/works_union_602.jsonl.gz:openalex_printed",
    f"{DATA}/openalex/works_list_200_biodiversity_finance.json.gz:openalex_printed",
    f"{DATA}/s2/paper_2d5673ca_with_1000_citations.json.gz:s2",
    f"{DATA}/dblp/dblp_soc_papers.xml.gz:dblp",
    f"{DATA}/csv_exports/scopus_bibx_581.csv.gz:scopus",
    f"{DATA}/crossref/works_union_1501.jsonl.gz:orcid",
    f"{DATA}/csv_exports/wos_plaintext_bibx_500.txt.gz:orcid",
)


@dataclass(frozen=True)
class Scores:
    """Pairwise precision, recall and F1 of a clustering against the truth."""

    precision: float
    recall: float
    f1: float


def load_mentions(path: str | Path, truth_kind: str) -> tuple[list[Mention], list[str]]:
    """The mentions of every paper in ``path`` with their ids hidden, and each mention's true id."""
    papers = read_file(path).papers
    if truth_kind == PRINTED:
        papers, truth_kind = printed_names(papers, path), "openalex"
    mentions: list[Mention] = []
    truth: list[str] = []
    for paper in papers:
        for mention, author in zip(mentions_of(paper), paper.authors, strict=True):
            if author.ids.get(truth_kind):
                mentions.append(replace(mention, ids=frozenset()))
                truth.append(author.ids[truth_kind])
    return mentions, truth


def printed_names(papers: list[Paper], path: str | Path) -> list[Paper]:
    """OpenAlex works with each author named as the paper printed it (``raw_author_name``) where OpenAlex kept it."""
    printed: dict[str, list[str | None]] = {}
    for _line, value in iter_json(decode(Path(path).read_bytes(), str(path)), str(path)):
        for work in value.get("results", [value]) if isinstance(value, dict) else ():
            names = [authorship.get("raw_author_name") for authorship in work.get("authorships") or ()]
            printed[str(work.get("id", "")).rpartition("/")[2]] = names
    renamed = []
    for paper in papers:
        names = printed.get(paper.external_ids.get("openalex", ""), [])
        authors = tuple(
            replace(author, name=names[author.position - 1] or author.name) if author.position <= len(names) else author
            for author in paper.authors
        )
        renamed.append(replace(paper, authors=authors))
    return renamed


def resolver_clusters(mentions: list[Mention]) -> list[str]:
    """The identity each mention is resolved to by :class:`Resolver`, after consolidation."""
    resolver = Resolver()
    ids = [resolver.resolve(mention).identity.id for mention in mentions]
    merges = resolver.consolidate()
    final = {absorbed.id: kept.id for kept, absorbed, _ in merges}
    return [_follow(final, identity) for identity in ids]


def _follow(final: dict[str, str], identity: str) -> str:
    while identity in final:
        identity = final[identity]
    return identity


def baseline_clusters(mentions: list[Mention], key: Callable[[str], str]) -> list[str]:
    """Clusters by a key of the name alone."""
    return [key(mention.name) for mention in mentions]


def surname_initial(name: str) -> str:
    """The surname + first initial baseline key."""
    return parse_person(name).block


def pairwise_scores(predicted: list[str], truth: list[str]) -> Scores:
    """Precision, recall and F1 over mention pairs (pairs in one predicted cluster vs pairs sharing a true id)."""

    together = _pairs(Counter(zip(predicted, truth, strict=True)).values())
    predicted_pairs, true_pairs = _pairs(Counter(predicted).values()), _pairs(Counter(truth).values())
    precision = together / predicted_pairs if predicted_pairs else 1.0
    recall = together / true_pairs if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(round(precision, 4), round(recall, 4), round(f1, 4))


def _pairs(counts: Iterable[int]) -> int:
    return sum(n * (n - 1) // 2 for n in counts)


def costliest_errors(
    mentions: list[Mention], predicted: list[str], truth: list[str], limit: int = 10
) -> dict[str, list[tuple[int, dict[str, list[str]]]]]:
    """The merges that cost the most pairs: ``false`` clusters holding several true people (each true id with the
    names it was seen under) and ``missed`` people spread over several clusters (each cluster with its names), as
    (pairs, parts) with the costliest first. A wrong merge of two prolific people costs many pairs."""

    def costly(groups: list[str], parts: list[str]) -> list[tuple[int, dict[str, list[str]]]]:
        members: dict[str, list[int]] = {}
        for index, group in enumerate(groups):
            members.setdefault(group, []).append(index)
        found = []
        for indexes in members.values():
            split: dict[str, list[int]] = {}
            for index in indexes:
                split.setdefault(parts[index], []).append(index)
            cost = _pairs([len(indexes)]) - _pairs(len(part) for part in split.values())
            if cost:
                names = {part: sorted({mentions[i].name for i in found_in}) for part, found_in in split.items()}
                found.append((cost, names))
        return sorted(found, key=lambda item: -item[0])[:limit]

    return {"false": costly(predicted, truth), "missed": costly(truth, predicted)}


def evaluate(path: str, truth_kind: str) -> dict[str, Scores | int]:
    """Scores of ours and both baselines on one file, with the counts that size them."""
    mentions, truth = load_mentions(path, truth_kind)
    return {
        "mentions": len(mentions),
        "people": len(set(truth)),
        "true_pairs": _pairs(Counter(truth).values()),
        "ours": pairwise_scores(resolver_clusters(mentions), truth),
        "exact_name": pairwise_scores(baseline_clusters(mentions, name_key), truth),
        "surname_initial": pairwise_scores(baseline_clusters(mentions, surname_initial), truth),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "files",
        nargs="*",
        default=DEFAULT_FILES,
        help="FILE:KIND pairs (KIND: openalex, openalex_printed, s2, dblp, scopus, orcid)",
    )
    parser.add_argument("--errors", type=int, default=0, metavar="N", help="also print each file's N costliest errors")
    args = parser.parse_args(argv)
    header = f"{'file':44} {'mentions':>8} {'people':>6} {'pairs':>7}  {'method':16} {'P':>6} {'R':>6} {'F1':>6}"
    print(header)
    print("-" * len(header))
    for spec in args.files:
        path, _, kind = spec.rpartition(":")
        result = evaluate(path, kind)
        for method in ("ours", "exact_name", "surname_initial"):
            s = result[method]
            head = f"{Path(path).name[:44]:44} {result['mentions']:>8} {result['people']:>6} {result['true_pairs']:>7}"
            print(
                f"{head if method == 'ours' else ' ' * 68}  {method:16} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f}"
            )
        if args.errors:
            print_errors(path, kind, args.errors)
    return 0


def print_errors(path: str, kind: str, limit: int) -> None:
    """Our costliest false and missed merges on one file, one line each: pairs, then each part's names."""
    mentions, truth = load_mentions(path, kind)
    errors = costliest_errors(mentions, resolver_clusters(mentions), truth, limit)
    for label, what in (("false", "true ids merged"), ("missed", "clusters one person is split over")):
        print(f"    {label} merges ({what}):")
        for cost, parts in errors[label]:
            print(f"    {cost:>6}  " + " | ".join(f"{part}: {', '.join(names)}" for part, names in parts.items()))


if __name__ == "__main__":
    sys.exit(main())
