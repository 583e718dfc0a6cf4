"""Full-text search over paper titles and abstracts (the ``paper_text`` index), returning papers with authors.

The text travels as a query parameter, but the index still reads it as Lucene query syntax, so every Lucene
special character is escaped and the operator words AND, OR, NOT are lowered to plain words: the user's text is
searched for as words, never run as a query.

Case never mattered (the index's analyzer lowercases), but accents did: the analyzer, ``standard-no-stop-words``,
keeps them, so ``Surdurulebilir`` missed ``Sürdürülebilir``. Each word that has accented forms is therefore also
searched for as a Lucene regular expression over the index's terms that accepts every spelling
:func:`~graph.model.name_key` folds to the same letters (:func:`folding_regex`): still one index lookup (the
expression runs on the term dictionary, not on the papers), and it works on indexes built before this change. A
paper matching the words as written scores as before, plus a constant per word matched in any spelling, so the
spelling typed ranks first. (An accent-folding analyzer, ``standard-folding``, would do the same inside the index,
but changing it means recreating the index of every existing database.)
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from graph.connection import Graph
from graph.errors import InputError
from graph.model import name_key

__all__ = ["PaperHit", "escape_lucene", "folding_regex", "search_papers", "search_query"]

SEARCH = """
CALL db.index.fulltext.queryNodes('paper_text', $query, {limit: $limit}) YIELD node, score
CALL (node) {
  OPTIONAL MATCH (a:Author)-[r:AUTHORED]->(node)
  WITH a, r ORDER BY r.position, a.name
  RETURN collect(a.name) AS authors
}
RETURN node.id AS id, node.title AS title, node.year AS year, node.venue AS venue, score, authors
ORDER BY score DESC, id
"""

_SPECIAL = re.compile(r'([+\-&|!(){}\[\]^"~*?:\\/])')
_OPERATOR = re.compile(r"\b(AND|OR|NOT|TO)\b")


@dataclass(frozen=True)
class PaperHit:
    """A paper that matches the search, with its relevance score and authors in order."""

    id: str
    title: str
    year: int | None
    venue: str | None
    score: float
    authors: tuple[str, ...]


def escape_lucene(text: str) -> str:
    r"""``text`` as plain words for a Lucene query: special characters escaped, operator words lowered.

    >>> print(escape_lucene('risk-based (RL) AND "LLM"'))
    risk\-based \(RL\) and \"LLM\"
    """
    return _OPERATOR.sub(lambda word: word.group().lower(), _SPECIAL.sub(r"\\\1", text))


def search_query(text: str) -> str:
    """The Lucene query for ``text``: its words as written (escaped), then a :func:`folding_regex` for each
    distinct folded word that has accented forms, all alternatives (the index's default operator is OR).

    >>> query = search_query("Ölçüm AND 3D")
    >>> query.split(" /")[0], query.count(" /")
    ('Ölçüm and 3D', 3)
    """
    text = unicodedata.normalize("NFC", text.strip())  # as the record model stores text
    regexes = (folding_regex(word) for word in dict.fromkeys(name_key(text).split()))
    return " ".join([escape_lucene(text), *(regex for regex in regexes if regex)])


def folding_regex(word: str) -> str | None:
    """A Lucene regular expression matching the lowercase spellings of a folded ``word`` that
    :func:`~graph.model.name_key` folds to it (``ü`` for ``u``, ``ß`` for ``ss``); None when it has no other.

    >>> pattern = folding_regex("strasse").strip("/")  # the subset of Lucene's syntax it uses reads as Python's
    >>> [bool(re.fullmatch(pattern, term)) for term in ("straße", "strasse", "śtrąsse", "strase")], folding_regex("42")
    ([True, True, True, False], None)
    """
    variants = _letter_variants()
    units, i = [], 0
    while i < len(word):
        pair = word[i : i + 2]
        if len(pair) == 2 and pair in variants:
            units.append(f"({_letter_unit(pair[0])}{_letter_unit(pair[1])}|[{variants[pair]}])")
            i += 2
        else:
            units.append(_letter_unit(word[i]))
            i += 1
    regex = "".join(units)
    return f"/{regex}/" if regex != word else None


def _letter_unit(letter: str) -> str:
    """One letter of a folded word in a regular expression: itself, or a class of it and its variants."""
    variants = _letter_variants().get(letter)
    return f"[{letter}{variants}]" if variants else letter


@functools.cache
def _letter_variants() -> dict[str, str]:
    """Folded text -> the lowercase letters of the Basic Multilingual Plane that name_key folds to it (accented,
    ligatures, full-width): ``u`` -> ``ùúûü…``, ``ss`` -> ``ß``, ``fi`` -> ``ﬁ``."""
    variants: dict[str, str] = {}
    for letter in map(chr, range(0xC0, 0x10000)):
        if unicodedata.category(letter) == "Ll" and (key := name_key(letter)) and key != letter:
            variants[key] = variants.get(key, "") + letter
    return variants


def search_papers(graph: Graph, text: str, *, limit: int = 20) -> list[PaperHit]:
    """Papers whose title or abstract matches the words of ``text`` in any case and with or without accents, most
    relevant first (the spelling as written ranks above other spellings)."""
    if not escape_lucene(text.strip()):
        raise InputError("nothing to search for: the search text is empty")
    rows = graph.read(SEARCH, query=search_query(text), limit=limit)
    return [PaperHit(**{**row, "authors": tuple(row["authors"])}) for row in rows]
