"""How a person's name is read for matching: given names and surname, in either order, with initials, hyphens,
particles and accents folded, and when two written names may be the same person's.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from graph.model import name_key

__all__ = ["COMMON_SURNAMES", "DISTINCTIVE_LETTERS", "PARTICLES", "PersonName", "name_match", "parse_person"]

PARTICLES = frozenset(
    {"van", "von", "der", "den", "de", "del", "della", "dei", "degli", "di", "da", "das", "dos", "du", "la", "le"}
    | {"lo", "ten", "ter", "zu", "bin", "ibn", "al", "el"}
)
SUFFIXES = frozenset(("jr", "sr", "ii", "iii", "iv"))
_TOKEN = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*", re.UNICODE)
_INITIALS = re.compile(r"^[A-Z]{2,3}$")
_HYPHEN = re.compile(r"[-\u2010\u2011]")

DISTINCTIVE_LETTERS = 9
"""Letters a name needs (given names and surname; an initial counts one) to be distinctive. Short names are shared
by many people (``Wei Zhang``, ``Yu Cao``, ``Jie Xu``: 5 to 8 letters); on dblp's homonym-resolved file, two
unmerged mentions of one full name were one person in 848 of 852 pairs from 9 letters up, and in 59 of 101 below.
Unmerged initials written alike with two initials and 9 letters (``G. R. Gangadharan``) were one person in all 10
such pairs of the dblp, Scopus and OpenAlex files; other initials (``J. Kacprzyk``, ``T. Walsh``) were in 19 of 27
pairs of the Semantic Scholar file."""

_COMMON_SURNAMES = """
wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he lin gao luo zheng liang xie song tang han feng
deng cao peng zeng xiao tian dong pan yuan cai jiang yu du ye cheng wei su lu ding ren shen yao cui zhong tan fan jin
fu wen kim lee park choi jung kang cho yoon jang lim nguyen tran pham hoang phan vu sato suzuki takahashi tanaka
watanabe ito yamamoto nakamura kobayashi kato singh kumar sharma gupta patel shah das khan ali ahmed ahmad hassan
hussain mohamed mohammed ibrahim smith johnson williams brown jones miller davis wilson taylor anderson thomas moore
martin garcia rodriguez martinez hernandez lopez gonzalez perez sanchez silva santos muller schmidt schneider fischer
weber meyer wagner rossi russo ferrari ivanov
"""
COMMON_SURNAMES = frozenset(_COMMON_SURNAMES.split())
"""Surnames shared by so many researchers (the most frequent Chinese, Korean, Vietnamese, Japanese, South Asian,
Arabic, European and American ones) that even a long full name with one of them (``Xiaoming Wang``, ``Michael
Smith``) is never :attr:`PersonName.distinctive`."""


@dataclass(frozen=True)
class PersonName:
    """A person's name split into folded given-name tokens and a folded surname (particles dropped).

    >>> parse_person("van der Aalst, W. M. P.") == parse_person("Wil M.P. van der Aalst").initials_only()
    True
    """

    given: tuple[str, ...]
    surname: str
    joined: frozenset[int] = field(default=frozenset(), repr=False)
    """Positions in ``given`` that continue a hyphenated given name (``Liang-Jie``: ``jie``, position 1)."""

    @property
    def key(self) -> str:
        """Given names then surname, folded: ``Zhang, Zishi`` and ``Zishi Zhang`` both give ``zishi zhang``."""
        return " ".join((*self.given, self.surname)).strip()

    @functools.cached_property  # parse_person's cache hands out one object per name: these are read very often
    def block(self) -> str:
        """The candidate block: surname and first initial (``zhang z``)."""
        return f"{self.surname} {self.given[0][0]}" if self.given else self.surname

    @functools.cached_property
    def abbreviated(self) -> bool:
        """Whether no given name is written in full (``Z. Zhang``, ``Zhang, Z.S.``); middle initials next to a full
        name (``Patrick C. K. Hung``) do not abbreviate it, and a mononym such as ``Ana`` is not abbreviated."""
        return bool(self.given) and all(len(token) == 1 for token in self.given)

    @functools.cached_property
    def distinctive(self) -> bool:
        """Whether the name is long enough (:data:`DISTINCTIVE_LETTERS`) that two people rarely share it, with at
        least two initials if abbreviated, and no :data:`COMMON_SURNAMES`: ``Carl Boettiger`` and ``D. J. Barrett`` are,
        ``Wei Zhang``, ``Xiaoming Wang``, ``C. Boettiger`` and ``R. E. Camley`` are not."""
        if (self.abbreviated and len(self.given) < 2) or self.surname in COMMON_SURNAMES:
            return False
        return len("".join(self.given)) + len(self.surname) >= DISTINCTIVE_LETTERS

    def initials_only(self) -> PersonName:
        return PersonName(tuple(token[0] for token in self.given), self.surname)


@functools.lru_cache(maxsize=1 << 17)  # the resolver reads each written name many times
def parse_person(name: str) -> PersonName:
    """Split a name as written (``First Last``, ``Last, First``, initials, hyphens, particles, accents).

    >>> parse_person("Zhang, Zishi"), parse_person("J.-P. Martín").given, parse_person("Zhang, ZS").given
    (PersonName(given=('zishi',), surname='zhang'), ('j', 'p'), ('z', 's'))
    """
    parts = [part for part in name.split(",") if part.strip()]
    parts = [part for part in parts if name_key(part) not in SUFFIXES] or parts
    if len(parts) >= 2:
        surname_text, given_text = parts[0], " ".join(parts[1:])
        given = _given_tokens(given_text, comma_form=True)
        surname_words = _words(surname_text)
    else:
        words = _split_words(name)
        words = [word for word in words if name_key(word) not in SUFFIXES] or words
        if not words:
            return PersonName((), "")
        surname_words, given = _words(words[-1]), []
        for word in words[:-1]:
            given.extend(_given_tokens(word, comma_form=False))
    # Particles ending the given names belong to the surname (``Ludwig van Beethoven``, ``Aalst, Wil van der``); a
    # first given name never is one (``Bin Li``, ``Gong, Bin``, ``Le Song``), nor one inside the given names
    # (``Mansoor Bin Abdul Jalil``, whose initials are ``M. B. A.``).
    while len(given) > 1 and given[-1][0] in PARTICLES:
        given.pop()
    surname = "".join(word for word in surname_words if word not in PARTICLES) or "".join(surname_words)
    joined = frozenset(position for position, (_token, continues) in enumerate(given) if continues and position)
    return PersonName(tuple(token for token, _continues in given), surname, joined)


def _split_words(text: str) -> list[str]:
    return [word for word in re.split(r"\s+", text.replace(".", ". ").strip()) if name_key(word)]


def _words(text: str) -> list[str]:
    return name_key(text).split()


def _given_tokens(text: str, *, comma_form: bool) -> list[tuple[str, bool]]:
    """Folded given-name tokens, each with whether it continues a hyphenated name of full parts (``Liang-Jie``)."""
    tokens: list[tuple[str, bool]] = []
    for word in _split_words(text):
        raw = word.strip(".")
        if comma_form and _INITIALS.match(raw):  # WoS and Scopus run initials together: "Zhang, ZS"
            tokens.extend((letter.lower(), False) for letter in raw)
            continue
        parts = [token for part in _TOKEN.findall(word) for token in name_key(part).split()]
        compound = len(parts) > 1 and all(len(part) > 1 for part in parts) and _HYPHEN.search(word) is not None
        tokens.extend((part, compound and index > 0) for index, part in enumerate(parts))
    return tokens


def name_match(a: PersonName, b: PersonName) -> str | None:
    """``"exact"`` for the same full name, ``"variant"`` when one may abbreviate the other, else ``None``.

    >>> [name_match(parse_person(x), parse_person(y)) for x, y in
    ...  [("Zishi Zhang", "Zhang, Zishi"), ("Z. Zhang", "Zishi Zhang"), ("Jingyang Jiang", "Jinyang Jiang")]]
    ['exact', 'variant', None]
    """
    if not a.surname or a.surname != b.surname:
        return None
    if "".join(a.given) == "".join(b.given):
        return "variant" if a.abbreviated else "exact"
    for x, y in zip(a.given, b.given, strict=False):
        if x[0] != y[0] or (len(x) > 1 and len(y) > 1 and x != y):
            return None
    # A full name matched to the start of a hyphenated one is another name: "Liang" is not "Liang-Jie".
    shorter, longer = sorted((a, b), key=lambda person: len(person.given))
    cut = len(shorter.given)
    if cut and cut in longer.joined and len(shorter.given[-1]) > 1:
        return None
    return "variant"
