"""Find an author by id or name, with suggestions when the name is unknown and candidates when it is ambiguous.

Name resolution, shared by every command that takes an author: the author whose id, or one of whose strong ids
(``orcid:...``, ``openalex:...``, see ``authors show``), is the text, or whose DBLP homonym id is the text in DBLP's
display form (``Bing Li 0010`` for ``dblp:Bing Li 0010``); else the one author whose name, or one of whose name
variants (gathered by merges and loads), is exactly the text; else the one author whose folded name
(:func:`graph.model.name_key`), or one of whose variants folded, equals the text's, or the text's in first-last
order for ``Last, First`` (:func:`name_keys`). Several matches at the first level that has any raise
:class:`AmbiguousName`, listing each candidate with the facts that tell them apart (papers, years, top topic): one
author's display name that another was also written with is ambiguous. No match raises :class:`NotFound` with
fuzzy suggestions, and so does a text without a letter or digit.

Every level is an index seek: ids on the Author and AuthorId constraints, folded names on ``author_name_key``, and
variants among the authors of the text's name blocks (``author_block_key``: surname and first initial) whose
spelling matches :func:`spelling_pattern`, then checked with :func:`~graph.model.name_key`. A variant outside the
author's block (a manual merge of two different surnames, say) is found by the author's id or main name only.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, process

from graph.connection import Graph
from graph.errors import AmbiguousName, NotFound
from graph.model import name_key
from graph.names import parse_person

__all__ = [
    "CANDIDATE_COLUMNS",
    "CANDIDATE_ORDER",
    "MATCH_AUTHOR",
    "AuthorMatch",
    "author_ids",
    "author_names",
    "author_params",
    "find_author",
    "name_keys",
    "resolve_author",
    "spelling_pattern",
    "suggest_names",
]

# The candidates for a name or id, as the start of a query: callers add what they want of each, and
# resolve_author() picks one from the rows (one round trip instead of two). The last branch finds name variants by
# spelling_pattern(); resolve_author() checks each with name_key().
MATCH_AUTHOR = """
CALL () {
  MATCH (a:Author) USING INDEX a:Author(id) WHERE a.id IN $ids RETURN a
  UNION
  MATCH (k:AuthorId)-[:IDENTIFIES]->(a:Author) USING INDEX k:AuthorId(id) WHERE k.id IN $ids RETURN a
  UNION
  MATCH (a:Author) USING INDEX a:Author(name_key) WHERE a.name_key IN $keys RETURN a
  UNION
  MATCH (a:Author) USING INDEX a:Author(block_key)
  WHERE a.block_key IN $blocks AND size(a.names) > 1
    AND any(n IN a.names WHERE any(spelling IN $spellings WHERE normalize(n, NFKD) =~ spelling))
  RETURN a
}
"""
CANDIDATE_COLUMNS = """a.id AS id, a.name AS name, COUNT { (a)-[:AUTHORED]->(:Paper) } AS papers,
       a.id IN $ids OR EXISTS { MATCH (k:AuthorId)-[:IDENTIFIES]->(a) WHERE k.id IN $ids } AS exact_id,
       $text IN coalesce(a.names, [a.name]) AS exact_name, a.name_key AS name_key,
       coalesce(a.names, [a.name]) AS names"""
CANDIDATE_ORDER = "ORDER BY exact_id DESC, papers DESC, id"

# DBLP's display form of a homonym: a name that does not start with an id prefix, then a space and 4 digits.
_DBLP_DISPLAY = re.compile(r"(?![a-z0-9]+:)(.*?\S)\s+(\d{4})")

FIND_AUTHOR = f"{MATCH_AUTHOR}RETURN {CANDIDATE_COLUMNS}\n{CANDIDATE_ORDER}\n"

CANDIDATE_FACTS = """
UNWIND $ids AS id
MATCH (a:Author {id: id})
USING INDEX a:Author(id)
CALL (a) {
  OPTIONAL MATCH (a)-[:AUTHORED]->(p:Paper)
  RETURN min(p.year) AS first_year, max(p.year) AS last_year
}
CALL (a) {
  OPTIONAL MATCH (a)-[:AUTHORED]->(:Paper)-[:HAS_TOPIC]->(t:Topic)
  WITH t.name AS topic, count(t) AS uses ORDER BY uses DESC, topic
  RETURN collect(topic)[0] AS top_topic
}
RETURN a.id AS id, first_year, last_year, top_topic
"""

FUZZY_NAMES = """
CALL db.index.fulltext.queryNodes('author_names', $terms, {limit: $limit}) YIELD node
RETURN DISTINCT node.name AS name
"""

AUTHOR_NAMES = """
UNWIND $ids AS id
MATCH (a:Author {id: id})
USING INDEX a:Author(id)
RETURN a.id AS id, a.name AS name
"""


@dataclass(frozen=True)
class AuthorMatch:
    """An author node found by name or id; the years and top topic are filled in for ambiguous candidates."""

    id: str
    name: str
    papers: int
    first_year: int | None = None
    last_year: int | None = None
    top_topic: str | None = None

    def describe(self) -> str:
        """One line naming the author with their id, paper count, active years and top topic."""
        facts = [self.id, f"{self.papers} papers"]
        if self.first_year is not None:
            facts.append(f"{self.first_year}-{self.last_year}")
        if self.top_topic:
            facts.append(f"top topic {self.top_topic}")
        return f"{self.name} ({', '.join(facts)})"


def find_author(graph: Graph, text: str) -> AuthorMatch:
    """The author whose id or strong id is ``text``, else the one whose name or name variant is exactly ``text``,
    else the one whose folded name or name variant equals it (or its first-last order, for ``Last, First``).

    Raises NotFound (with the closest known names) or AmbiguousName (every candidate, with distinguishing facts).
    """
    return _match(resolve_author(graph, text, graph.read(FIND_AUTHOR, **author_params(text))))


def author_params(text: str) -> dict[str, Any]:
    """The parameters of :data:`MATCH_AUTHOR` for ``text``: the ids it may be (:func:`author_ids`), the folded names
    (:func:`name_keys`) with their spellings, and the name blocks of the text as written and as folded (``Wu, G.``
    and ``Haitao-Li`` read differently); a text without a letter or digit matches no name."""
    keys = name_keys(text)
    blocks = sorted({parse_person(text).block, *(parse_person(key).block for key in keys)}) if keys else []
    spellings = [spelling_pattern(key) for key in keys]
    return {"text": text, "ids": author_ids(text), "keys": keys, "blocks": blocks, "spellings": spellings}


def name_keys(text: str) -> list[str]:
    """The folded names ``text`` may be: as written, and for ``Last, First`` (as BibTeX, Scopus and Web of Science
    write names) in first-last order, with the surname's particles kept and as :func:`graph.names.parse_person`
    reads it (which also spaces run-together initials); none for a text without a letter or digit.

    >>> name_keys("Novák, Lukáš"), name_keys("Zhang, ZS")
    (['novak lukas', 'lukas novak'], ['zhang zs', 'zs zhang', 'z s zhang'])
    >>> name_keys("van der Aalst, Wil")
    ['van der aalst wil', 'wil van der aalst', 'wil aalst']
    """
    surname, comma, given = text.partition(",")
    written = [text, f"{given} {surname}"] if comma else [text]
    keys = [name_key(name) for name in written] + ([parse_person(text).key] if comma else [])
    return [key for key in dict.fromkeys(keys) if key]


def author_ids(text: str) -> list[str]:
    """The ids ``text`` may be: itself, and for DBLP's display form of a homonym (a name and a 4-digit number,
    ``Bing Li 0010``) its dblp id, ``dblp:Bing Li 0010``, which the Author or its AuthorId node carries.

    >>> author_ids("Bing Li 0010"), author_ids("dblp:Bing Li 0010"), author_ids("Bing Li")
    (['Bing Li 0010', 'dblp:Bing Li 0010'], ['dblp:Bing Li 0010'], ['Bing Li'])
    """
    homonym = _DBLP_DISPLAY.fullmatch(text.strip())
    return [text, f"dblp:{homonym[1]} {homonym[2]}"] if homonym else [text]


def spelling_pattern(key: str) -> str:
    r"""A Java regular expression that matches (in NFKD form) the spellings that :func:`~graph.model.name_key` folds
    to ``key``: its letters in any case, each followed by any accents, or a letter that folds to them (``ł``,
    ``æ``, ``ß``); its words separated, and surrounded, by anything that is not a letter or digit.

    >>> print(spelling_pattern("wu ls"))
    (?iu)[^\p{L}\p{N}]*[w]\p{M}*[u]\p{M}*[^\p{L}\p{N}]+[lŁł]\p{M}*[s]\p{M}*[^\p{L}\p{N}]*
    """
    other = r"[^\p{L}\p{N}]"
    return f"(?iu){other}*{f'{other}+'.join(map(_word_pattern, key.split()))}{other}*"


def _word_pattern(word: str) -> str:
    """The spellings of one folded word, letter by letter: the letter or one that folds to it or to it and the next
    (``ß`` for ``ss``), with any accents; a letter that such a fold may have covered is optional (a superset, which
    resolve_author() narrows, in a pattern as long as the word)."""
    folds = _letter_folds()
    units = []
    for i, letter in enumerate(word):
        pair = word[i : i + 2]
        unit = f"[{re.escape(letter)}{folds.get(letter, '')}{folds.get(pair, '') if len(pair) == 2 else ''}]"
        units.append(f"(?:{unit}\\p{{M}}*)?" if i and word[i - 1 : i + 1] in folds else f"{unit}\\p{{M}}*")
    return "".join(units)


@functools.cache
def _letter_folds() -> dict[str, str]:
    """Folded text of one or two letters -> the Latin letters that name_key folds to it and that neither case nor
    NFKD decomposition (which the pattern's matching already covers) relates to it: ``l`` -> ``ł``, ``ss`` -> ``ß``."""
    folds: dict[str, str] = {}
    for letter in map(chr, (*range(0xA0, 0x250), *range(0x1E00, 0x1F00))):
        key = name_key(letter)
        if key and unicodedata.normalize("NFKD", letter)[0].lower() != key:
            folds[key] = folds.get(key, "") + letter
    return folds


def resolve_author(graph: Graph, text: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The row of the author ``text`` names, among the candidate rows of :data:`MATCH_AUTHOR` (with
    :data:`CANDIDATE_COLUMNS`, in :data:`CANDIDATE_ORDER`); raises as :func:`find_author` does."""
    if rows and rows[0]["exact_id"]:
        return rows[0]
    keys = set(name_keys(text))
    if not keys:
        raise NotFound(f"{text!r} names no author: a name needs a letter or digit")
    folded = [row for row in rows if row["name_key"] in keys or keys & set(map(name_key, row["names"]))]
    for level in ([row for row in folded if row["exact_name"]], folded):
        if len(level) == 1:
            return level[0]
        if level:
            raise AmbiguousName(f"{text!r} matches {len(level)} authors; name one by id", _describe(graph, level))
    raise NotFound(f"no author named {text!r}", suggest_names(graph, text))


def author_names(graph: Graph, ids: Iterable[str]) -> dict[str, str]:
    """Author id -> display name, for the ids that exist."""
    return {row["id"]: row["name"] for row in graph.read(AUTHOR_NAMES, ids=sorted(set(ids)))}


def suggest_names(graph: Graph, text: str, limit: int = 5) -> list[str]:
    """Known author names closest to ``text``: fuzzy full-text candidates, re-ranked by similarity."""
    words = name_key(text).split()
    if not words:
        return []
    terms = " OR ".join(f"{term}~" for term in words)
    names = [row["name"] for row in graph.read(FUZZY_NAMES, terms=terms, limit=50)]
    ranked = process.extract(text, names, scorer=fuzz.WRatio, limit=limit, score_cutoff=70)
    return [name for name, _score, _index in ranked]


def _match(row: dict[str, Any], facts: dict[str, Any] | None = None) -> AuthorMatch:
    return AuthorMatch(row["id"], row["name"], row["papers"], **(facts or {}))


def _describe(graph: Graph, rows: list[dict[str, Any]]) -> list[str]:
    """Each candidate on one line, with the facts that tell namesakes apart."""
    facts = {fact.pop("id"): fact for fact in graph.read(CANDIDATE_FACTS, ids=[row["id"] for row in rows])}
    return [_match(row, facts.get(row["id"])).describe() for row in rows]
