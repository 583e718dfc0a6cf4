"""Keyphrases of a paper's title and abstract as Topics of kind ``keyword``, normalized so one idea is one topic.

Phrases come from YAKE (Campos et al., Information Sciences 509, 2020): it ranks the 1-3 word candidates of ONE
text by statistics of that text alone (position, casing, frequency, spread, context diversity), so it needs no
corpus pass, no model download and no randomness: records are processed one by one as a file streams, and the same
record always gives the same phrases. A phrase is then normalized, so that ``LLMs``, ``LLM`` and ``large language
models`` in one abstract become the one topic ``keyword:large language model``:

1. an acronym the text defines, as in ``large language models (LLMs)``, is replaced by its expansion; the
   definition is checked in the style of Schwartz and Hearst (PSB 2003): the acronym's letters must be the
   initials of the words just before the parenthesis, where stop-words and the parts after a hyphen may be
   skipped. An acronym the text does not define stays itself (``keyword:llm``). A phrase of two words or more
   that begins a defined long form becomes the whole long form (YAKE's three-word limit cuts it);
2. the head (last) word is made singular by plain English rules with small tables of irregular and invariant
   words (``strategies`` -> ``strategy``, ``matrices`` -> ``matrix``, ``LLMs`` -> ``LLM``, ``physics`` stays);
3. the readable name keeps acronyms and mixed-case words (``GPT-4o``) and lowercases the rest; the id folds case,
   accents and punctuation with :func:`graph.model.name_key`.

Phrases with a stop-word, without a letter, or that are one generic word (``study``, ``method``) are dropped, and
so is a phrase most of whose words an earlier (better-ranked) phrase already has. Abstracts are read up to
:data:`MAX_CHARS` characters: a real abstract is shorter (median 1.4k characters in the OpenAlex sample), and the
longer "abstracts" some sources carry are full texts or reference lists that are slow to rank and give phrases
such as ``Google Scholar``.

Examples
--------
>>> [t.id for t in extract_keyphrases("Large language models (LLMs) for code", "LLMs write code.")][:1]
['keyword:large language model']
"""

from __future__ import annotations

import dataclasses
import functools
import re
from typing import TYPE_CHECKING

from graph.model import KEYWORD, Paper, TopicRef, name_key
from graph.words import ACRONYM_PLURAL, singular

if TYPE_CHECKING:
    import yake

__all__ = ["KIND", "MAX_CHARS", "TOP", "extract_keyphrases", "find_acronyms", "with_keyphrases"]

KIND = KEYWORD
TOP = 5
"""Keyphrases kept per paper."""
MAX_WORDS = 3
CANDIDATES = 20
"""Phrases YAKE ranks per paper, before filtering leaves at most :data:`TOP`."""
MAX_CHARS = 4000
"""Characters of the abstract read; YAKE's time grows with the text (0.7 s for a 15k-character "abstract")."""

# One-word phrases that tell nothing about the subject of a paper.
_GENERIC = frozenset({
    "analysis", "application", "approach", "article", "assessment", "case", "challenge", "characterization",
    "comment", "control", "correction", "data", "design", "development", "effect", "evaluation", "finding",
    "framework", "impact", "influence", "interaction", "method", "model", "overview", "paper", "performance",
    "problem", "property", "research", "result", "review", "role", "study", "system", "task", "technique", "time",
    "treatment", "use", "work", "year",
})  # fmt: skip
_WORD = re.compile(r"[^\W_]+")
_DEFINITION = re.compile(r"\(\s*([A-Za-z][A-Za-z0-9&-]{1,9})\s*\)")
_HAS_INNER_CAP_OR_DIGIT = re.compile(r".[A-Z]|[0-9]")
_CLAUSE_END = re.compile(r"[.;:,!?()\[\]]")


def extract_keyphrases(title: str | None, abstract: str | None, *, top: int = TOP) -> list[TopicRef]:
    """The ``top`` keyphrases of a title and abstract, best first, as ``keyword:<normalized phrase>`` topics.

    Parameters
    ----------
    title, abstract
        Plain text (an abstract with markup should be given as its text); either may be empty.
    top
        The most phrases returned; fewer when the text has fewer distinct, specific ones.

    Returns
    -------
    list[TopicRef]
        Topics of kind ``keyword`` without a parent, each id once; the same text always gives the same list.
    """
    parts = (_uncapped(title or ""), _uncapped(_clip(abstract or "")))
    text = ". ".join(part.strip() for part in parts if part.strip())
    if not text:
        return []
    acronyms = find_acronyms(text)
    ranked = sorted(_extractor().extract_keywords(text), key=lambda pair: (pair[1], pair[0]))
    topics: list[TopicRef] = []
    kept: list[set[str]] = []
    for phrase, _score in ranked:
        name = _normalize(phrase, acronyms)
        words = {singular(word) for word in name_key(name).split()} if name else set()
        if not words or any(len(words & other) * 2 > len(words) for other in kept):
            continue
        kept.append(words)
        topics.append(TopicRef(id=f"{KIND}:{name_key(name)}", name=name, kind=KIND))
        if len(topics) == top:
            break
    return topics


def with_keyphrases(paper: Paper) -> Paper:
    """``paper`` with its keyphrases added after the source's own topics; unchanged without a title and abstract."""
    abstract = paper.abstract_text or paper.abstract
    if not (paper.title or abstract):
        return paper
    known = {topic.id for topic in paper.topics}
    extra = tuple(topic for topic in extract_keyphrases(paper.title, abstract) if topic.id not in known)
    return dataclasses.replace(paper, topics=paper.topics + extra) if extra else paper


def find_acronyms(text: str) -> dict[str, str]:
    """Acronyms defined in ``text`` as ``long form (SF)``: folded acronym (plural ``s`` dropped) -> readable long
    form with a singular head. The first definition of an acronym wins.

    >>> find_acronyms("Large language models (LLMs) and a stock keeping unit (SKU) with stock (NO)")
    {'llm': 'large language model', 'sku': 'stock keeping unit'}
    """
    found: dict[str, str] = {}
    for match in _DEFINITION.finditer(text):
        short = _acronym_base(match.group(1))
        if not _is_acronym(short) or name_key(short) in found:
            continue
        clause = _CLAUSE_END.split(text[: match.start()])[-1]
        start = _long_form_start(clause, [ch.lower() for ch in short if ch.isalnum()])
        if start is not None:
            found[name_key(short)] = _readable(clause[start:].split())
    return found


def _normalize(phrase: str, acronyms: dict[str, str]) -> str | None:
    """The readable, normalized form of one YAKE phrase, or ``None`` for a phrase that is no good as a topic."""
    words = phrase.split()
    stopwords = _extractor().stopword_set
    if any(word.lower() in stopwords or not any(ch.isalpha() for ch in word) for word in words):
        return None
    bases = [_acronym_base(word) if _is_acronym(word) else word for word in words]
    expanded = [acronyms.get(name_key(word), word) if _is_acronym(word) else word for word in bases]
    name = _readable(" ".join(expanded).split())
    key = f"{name_key(name)} "
    if key.count(" ") > 1:  # YAKE's 3-word limit cuts longer defined terms: "group relative policy" -> the whole term
        name = next((long for long in acronyms.values() if f"{name_key(long)} ".startswith(key)), name)
    if len(words) == 1 and name_key(name) in _GENERIC:
        return None
    return name


def _readable(words: list[str]) -> str:
    """Words joined, the last one singular; each part of a hyphenated word is lowercased unless it has a capital
    after its first letter or a digit (``LLM-Inspired`` -> ``LLM-inspired``, ``DeepSeek-V3`` stays)."""
    shown = ["-".join(part if _HAS_INNER_CAP_OR_DIGIT.search(part) else part.lower() for part in word.split("-"))
             for word in words]  # fmt: skip
    return " ".join([*shown[:-1], singular(shown[-1])])


def _is_acronym(word: str) -> bool:
    return sum(ch.isupper() for ch in word) >= 2


def _acronym_base(word: str) -> str:
    """The acronym without its plural ``s`` (``LLMs`` -> ``LLM``); other words as they are."""
    return word[:-1] if ACRONYM_PLURAL.fullmatch(word) else word


def _long_form_start(clause: str, letters: list[str]) -> int | None:
    """Where the long form of an acronym with these ``letters`` starts at the end of ``clause``, if it is there.

    Read from the right, each letter must be the initial of a word; a stop-word or the part of a word after a
    hyphen may be passed over, any other word ends the search unmatched.
    """
    tokens = list(_WORD.finditer(clause))
    stopwords = _extractor().stopword_set
    index = len(letters) - 1
    for position in range(len(tokens) - 1, -1, -1):
        token = tokens[position]
        if token.group()[0].lower() == letters[index]:
            index -= 1
            if index < 0:
                return token.start()
            continue
        after_hyphen = clause[token.start() - 1 : token.start()] == "-"
        if position == len(tokens) - 1 or not (after_hyphen or token.group().lower() in stopwords):
            return None
    return None


def _uncapped(text: str) -> str:
    """A text set in capitals, lowercased: its words are not acronyms (``MOLECULAR PROPERTIES`` is a plural)."""
    letters = [ch for ch in text if ch.isalpha()]
    return text.lower() if letters and sum(ch.isupper() for ch in letters) > 0.8 * len(letters) else text


def _clip(abstract: str) -> str:
    """The abstract up to :data:`MAX_CHARS` characters, cut at a space."""
    return abstract if len(abstract) <= MAX_CHARS else abstract[:MAX_CHARS].rsplit(" ", 1)[0]


@functools.cache
def _extractor() -> yake.KeywordExtractor:
    """One YAKE extractor for English (imported on first use: the CLI starts faster without it)."""
    import yake

    return yake.KeywordExtractor(lan="en", n=MAX_WORDS, top=CANDIDATES)
