"""Fuzz inputs for every loader: seeds cut from the real files, byte-level mutations, and valid-ish records.

Everything here is a pure function of a :class:`random.Random`, so the CI run (hypothesis, which draws the
``Random``'s seed) and the long run (``bench/fuzz_loaders.py``) draw the same kinds of input from the same code:

- :func:`load_seeds`: small real inputs per format, cut from ``../shared/data`` (and the sample profiles):
  whole small files, the head of big line-based ones, big JSON documents with their lists cut to a few items.
- :func:`mutate`: 1 to 4 stacked byte-level edits: bit flips, truncation, insertion of tokens that mean
  something to some parser, deletion and duplication of spans, invalid UTF-8, NUL bytes, CRLF / CR / BOM
  variants, gzip wrapping.
- :func:`vary`: the seed's structure kept, its values replaced: JSON leaves by hostile text or values of the
  wrong type, XML text and attributes by hostile text, tokens of text formats by hostile text.
- :func:`hostile_text`: names and titles with accents, CJK, right-to-left and bidi marks, combining marks,
  emoji, control characters, line separators, quotes, braces, LaTeX and Cypher-looking text.
"""

from __future__ import annotations

import copy
import gzip
import json
import random
import re
from collections.abc import Callable
from pathlib import Path

from hypothesis import strategies as st
from lxml import etree

from loaders import decode

__all__ = [
    "FORMAT_NAMES",
    "SEED_FILES",
    "fuzz_input",
    "fuzz_inputs",
    "hostile_text",
    "load_seeds",
    "mutate",
    "vary",
]

REPO = Path(__file__).resolve().parents[2]
SEED_FILES: dict[str, tuple[str, ...]] = {
    "profile": ("examples/profiles/wei_chen.txt", "tests/fixtures/profile_hostile.txt", "seeds/*.txt"),
    "arxiv_atom": ("data/arxiv_atom/arxiv_api_id_1707.08567.xml", "data/arxiv_atom/arxiv_api_idlist_one_missing.xml"),
    "arxiv_snapshot": ("data/arxiv_snapshot/arxiv-metadata-oai-snapshot.head20.jsonl",),
    "openalex": ("data/openalex/work_W2741809807.json", "data/openalex/author_A5023888391.json"),
    "semantic_scholar": (
        "data/s2/paper_batch_allfields_with_null.json",
        "data/s2/author_search_turing.json",
        "data/s2/author_2262347_with_papers.json",
    ),
    "crossref": ("data/crossref/work_10.1371_journal.pone.0033693.json", "data/crossref/works_sample_10.json"),
    "orcid": (
        "data/orcid/orcid_v3.0_work_0000-0002-0734-2199_putcode_77226586.json",
        "data/orcid/orcid_v3.0_works_0000-0001-8607-8025.json",
        "data/orcid/orcid_v3.0_person_0000-0003-1444-9135.json",
    ),
    "dblp": ("data/dblp/dblp_alltags_sample.xml",),
    "scopus": ("data/csv_exports/scopus_litstudy_88.csv",),
    "ieee": ("data/csv_exports/ieee_xplore_litstudy_10.csv",),
    "springer": ("data/csv_exports/springer_litstudy_18.csv",),
    "wos": ("data/csv_exports/wos_tabdelimited_scienceScape_50.txt",),
    "wos_plaintext": ("data/csv_exports/wos_plaintext_metaknowledge_32.txt",),
    "bibtex": ("data/bibtex/amrex_joss_paper.bib",),
    "gml": ("data/newman_gml/netscience.gml",),
    "snap": ("data/snap/ca-GrQc.txt.gz",),
}
"""Format -> seed files: ``data/...`` and ``seeds/...`` under the shared folder, other paths in this repo."""
FORMAT_NAMES = tuple(SEED_FILES)

_SEED_BYTES = 24_000
"""Seeds are cut to about this size, so that an input parses in milliseconds."""
_JSON_ITEMS = 3
_GML_NODES = 150
_GML_NODE = re.compile(rb"  node\s*\[.*?\n  \]\n", re.DOTALL)
_GML_EDGE = re.compile(rb"  edge\s*\[.*?\n  \]\n", re.DOTALL)
_GML_ID = re.compile(rb"\bid\s+(\d+)")
_GML_ENDS = re.compile(rb"\b(?:source|target)\s+(\d+)")
_JSON_FORMATS = {"arxiv_snapshot", "openalex", "semantic_scholar", "crossref", "orcid"}
_XML_FORMATS = {"arxiv_atom", "dblp"}
_TOKEN = re.compile(r"[^\s,;:\t{}()\[\]\"'=|]+")
_GML_LABEL = re.compile(r'(?<=label ")[^"]*')

_ALPHABETS = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,-'",
    "éèüöäñçøłŁŽžšßÆœÅ",  # Latin with accents, and letters Unicode does not decompose
    "陈伟李娜王芳김민준さくら",  # CJK, Hangul, kana
    "محمدעברית\u200f\u200e\u202e\u202c\u2066\u2069",  # right-to-left scripts and bidi controls
    "\u0301\u0308\u0327\u200b\u200c\u200d\u2060\ufeff",  # combining marks, zero-width characters, BOM
    "😀👩\u200d🔬\U0001d504\U0001d51f\U0001f9ea\ud800\udfff",  # astral plane; lone surrogates
    "".join(map(chr, range(1, 32))) + "\x7f\x85\u2028\u2029",  # control characters and line separators
    "\"'`{}[]()<>&;\\$%#@~^*/|=+!?",  # syntax of every format
)
_PHRASES = (
    "",
    " ",
    "et al.",
    "and others",
    "[Anonymous]",
    "\\textbf{x}",
    "\\'{e}",
    '{\\"o}',
    "$\\alpha$",
    "\\",
    "{",
    "}",
    "&amp;",
    "&eacute;",
    "&#0;",
    "&#x110000;",
    "<i>x</i>",
    "<script>alert(1)</script>",
    "') DETACH DELETE n //",
    "`}] MATCH (n) RETURN n",
    "null",
    "NaN",
    "-1",
    "0",
    "1e999",
    "99999999999999999999999",
    "9" * 5000,
    "Mar 28",
    "Feb 29, 2023",
    "0000-0002-1825-0097",
    "10.1000/xyz",
    "arXiv:2101.00001v2",
)
_SPECIAL_BYTES = (
    b"\x00",
    b"\xff",
    b"\xc3",
    b"\xed\xa0\x80",  # an encoded surrogate: invalid UTF-8
    b"\xef\xbb\xbf",
    b"\r",
    b"\r\n",
    b"\n\n",
    b"\t",
    b'"',
    b"'",
    b",",
    b";",
    b"{",
    b"}",
    b"[",
    b"]",
    b"<",
    b">",
    b"&",
    b"@",
    b"%",
    b"\\",
    b"&foo;",
    b"&amp;",
    b"&eacute;",
    b"<![CDATA[",
    b"]]>",
    b"<!--",
    b"<!DOCTYPE x [<!ENTITY a 'b'>]>",
    b"null",
    b"true",
    b"-0",
    b"1e999",
    b"9" * 40,
    b"9" * 5000,
    b"@string{a = b}",
    b"@article{",
    b"ER\n",
    b"EF\n",
    b"PT J\n",
    b"graph [",
    b"edge [",
    b"node [",
    b"et al.",
)


def load_seeds(shared: Path) -> dict[str, list[tuple[str, bytes]]]:
    """Format -> [(seed name, bytes)]: the files of :data:`SEED_FILES`, unpacked and cut to a small size.

    A format whose files are all absent gets no seeds (the caller decides whether that skips or fails).
    """
    seeds: dict[str, list[tuple[str, bytes]]] = {}
    for name, patterns in SEED_FILES.items():
        files = [path for pattern in patterns for path in sorted(_seed_paths(shared, pattern))]
        seeds[name] = [(path.name, _cut(name, decode(path.read_bytes(), str(path)).encode())) for path in files]
    return {name: items for name, items in seeds.items() if items}


def _seed_paths(shared: Path, pattern: str) -> list[Path]:
    base = shared if pattern.startswith(("data/", "seeds/")) else REPO
    return list(base.glob(pattern))


def _cut(name: str, data: bytes) -> bytes:
    """A seed of about :data:`_SEED_BYTES`: JSON with its lists cut, other text cut at a line end."""
    if len(data) <= _SEED_BYTES:
        return data
    if name in _JSON_FORMATS:
        lines = data.splitlines(keepends=True)
        try:
            return json.dumps(_shorten(json.loads(data)), ensure_ascii=False, indent=1).encode()
        except json.JSONDecodeError:  # JSON Lines
            return b"".join(lines[:_JSON_ITEMS])
    if name == "gml":
        return _cut_gml(data)
    return data[: data.rfind(b"\n", 0, _SEED_BYTES) + 1]


def _cut_gml(data: bytes) -> bytes:
    """The first nodes of a GML network and the edges between them, in the original layout."""
    nodes = _GML_NODE.findall(data)[:_GML_NODES]
    kept = {int(_GML_ID.search(node)[1]) for node in nodes}
    edges = [edge for edge in _GML_EDGE.findall(data) if {int(n) for n in _GML_ENDS.findall(edge)} <= kept]
    return data[: data.find(b"\n  node") + 1] + b"".join(nodes + edges) + b"]\n"


def _shorten(value: object) -> object:
    if isinstance(value, list):
        return [_shorten(item) for item in value[:_JSON_ITEMS]]
    if isinstance(value, dict):
        return {key: _shorten(item) for key, item in value.items()}
    return value


# -- byte-level mutations ------------------------------------------------------------------------------------------


def mutate(data: bytes, rng: random.Random) -> bytes:
    """1 to 4 stacked byte-level edits of ``data`` (see the module docstring)."""
    for _ in range(rng.randint(1, 4)):
        data = rng.choice(_MUTATIONS)(data, rng)
    return data


def _flip(data: bytes, rng: random.Random) -> bytes:
    if not data:
        return data
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):  # mostly the low 7 bits: a flipped high bit is invalid UTF-8 in ASCII text
        out[rng.randrange(len(out))] ^= 1 << rng.randrange(8 if rng.random() < 0.2 else 7)
    return bytes(out)


def _truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randint(0, len(data))]


def _insert(data: bytes, rng: random.Random) -> bytes:
    at = rng.randint(0, len(data))
    token = rng.choice(_SPECIAL_BYTES) * rng.choice((1, 1, 1, 2, 50))
    return data[:at] + token + data[at:]


def _span(data: bytes, rng: random.Random) -> tuple[int, int]:
    start = rng.randint(0, len(data))
    return start, min(len(data), start + rng.choice((1, 8, 64, 1024, 8192)))


def _delete(data: bytes, rng: random.Random) -> bytes:
    start, end = _span(data, rng)
    return data[:start] + data[end:]


def _duplicate(data: bytes, rng: random.Random) -> bytes:
    start, end = _span(data, rng)
    at = rng.randint(0, len(data))
    return data[:at] + data[start:end] * rng.choice((1, 2, 10)) + data[at:]


def _line_endings(data: bytes, rng: random.Random) -> bytes:
    lf = data.replace(b"\r\n", b"\n")
    return rng.choice((lf.replace(b"\n", b"\r\n"), lf.replace(b"\n", b"\r"), lf, b"\xef\xbb\xbf" + data))


def _encoding(data: bytes, rng: random.Random) -> bytes:
    """Another encoding of the text: UTF-16 with its BOM, Latin-1 (invalid UTF-8 where not ASCII), or UTF-8 BOMs."""
    text = data.decode("utf-8", errors="replace")
    return rng.choice(
        (
            text.encode("utf-16"),
            text.encode("latin-1", errors="replace"),
            b"\xef\xbb\xbf\xef\xbb\xbf" + data,
        )
    )


def _gzip(data: bytes, rng: random.Random) -> bytes:
    packed = gzip.compress(data, mtime=0)
    return packed if rng.random() < 0.7 else packed[: rng.randint(2, len(packed))]


_MUTATIONS: tuple[Callable[[bytes, random.Random], bytes], ...] = (
    _flip,
    _flip,
    _truncate,
    _insert,
    _insert,
    _insert,
    _delete,
    _duplicate,
    _line_endings,
    _encoding,
    _gzip,
)


# -- structure-keeping variations ----------------------------------------------------------------------------------


def hostile_text(rng: random.Random) -> str:
    """A name or title: a mix of scripts, controls and syntax, a known troublesome phrase, or a very long run."""
    roll = rng.random()
    if roll < 0.25:
        return rng.choice(_PHRASES)
    if roll < 0.3:
        return rng.choice(_ALPHABETS[0]) * rng.choice((1000, 20_000))
    return "".join(rng.choice(rng.choice(_ALPHABETS)) for _ in range(rng.randint(1, 40)))


def vary(name: str, data: bytes, rng: random.Random) -> bytes:
    """The seed with its structure kept and some values made hostile (JSON, XML or text tokens by format)."""
    text = data.decode("utf-8")
    if name in _JSON_FORMATS:
        return _vary_json(text, rng)
    if name in _XML_FORMATS:
        return _vary_xml(data, rng)
    if name == "gml":  # any other token breaks GML's grammar: vary the labels (and sometimes everything)
        return _vary_tokens(text, rng, _GML_LABEL if rng.random() < 0.8 else _TOKEN)
    return _vary_tokens(text, rng, _TOKEN)


def _vary_json(text: str, rng: random.Random) -> bytes:
    ascii_only = rng.random() < 0.5  # \\u escapes can spell lone surrogates; raw text cannot
    try:
        values = [json.loads(text)]
    except json.JSONDecodeError:  # JSON Lines
        values = [json.loads(line) for line in text.splitlines() if line.strip()]
    values = [_vary_value(value, rng) for value in values]
    text = "\n".join(json.dumps(value, ensure_ascii=ascii_only) for value in values)
    return text.encode(errors="ignore")  # a lone surrogate survives only as a \\ud800 escape


def _vary_value(value: object, rng: random.Random) -> object:
    if rng.random() < 0.08:
        return _wrong_value(rng)
    if isinstance(value, dict):
        items = {key: _vary_value(item, rng) for key, item in value.items() if rng.random() > 0.05}
        return items
    if isinstance(value, list):
        items = [_vary_value(item, rng) for item in value]
        if items and rng.random() < 0.1:
            items += items * rng.choice((1, 5))
        return items
    if isinstance(value, str) and rng.random() < 0.3:
        return hostile_text(rng)
    return value


def _wrong_value(rng: random.Random) -> object:
    return rng.choice(
        (
            None,
            True,
            0,
            -1,
            2**70,
            1.5,
            float("inf"),
            "",
            hostile_text(rng),
            [],
            {},
            [None],
            [hostile_text(rng)],
            {"": None},
            _nested(rng.choice((5, 50, 900))),
        )
    )


def _nested(depth: int) -> object:
    value: object = []
    for _ in range(depth):
        value = [value]
    return value


def _vary_xml(data: bytes, rng: random.Random) -> bytes:
    parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True)
    root = etree.fromstring(data, parser)
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        if rng.random() < 0.15:
            element.text = _xml_safe(hostile_text(rng))
        if element.attrib and rng.random() < 0.1:
            element.set(rng.choice(list(element.attrib)), _xml_safe(hostile_text(rng)))
        parent = element.getparent()
        if parent is not None and rng.random() < 0.03:
            parent.remove(element)
        elif parent is not None and rng.random() < 0.03:
            parent.append(copy.deepcopy(element))
    return etree.tostring(root.getroottree(), encoding="utf-8", xml_declaration=rng.random() < 0.5)


def _xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids (lxml refuses to store them)."""
    return "".join(ch for ch in text if ch in "\t\n\r" or ("\x20" <= ch <= "\ud7ff") or ("\ue000" <= ch <= "\ufffd"))


def _vary_tokens(text: str, rng: random.Random, token: re.Pattern[str]) -> bytes:
    share = rng.choice((0.01, 0.05, 0.2))
    varied = token.sub(lambda match: hostile_text(rng) if rng.random() < share else match[0], text)
    return varied.encode(errors="ignore")  # lone surrogates dropped: invalid UTF-8 is the mutations' job


# -- the mix the tests and the bench draw from ---------------------------------------------------------------------


def fuzz_input(name: str, seeds: list[tuple[str, bytes]], rng: random.Random) -> tuple[str, bytes]:
    """(how it was made, bytes): a varied seed, a mutated seed, or a mutated variation."""
    seed_name, data = rng.choice(seeds)
    roll = rng.random()
    if roll < 0.35:
        return f"vary({seed_name})", vary(name, data, rng)
    if roll < 0.85:
        return f"mutate({seed_name})", mutate(data, rng)
    return f"mutate(vary({seed_name}))", mutate(vary(name, data, rng), rng)


def fuzz_inputs(name: str, seeds: list[tuple[str, bytes]]) -> st.SearchStrategy[tuple[str, bytes]]:
    """Hypothesis strategy of :func:`fuzz_input` for format ``name``.

    Hypothesis draws the seed of a :class:`random.Random` rather than every random choice: an input takes
    thousands of choices (one per token of a 20 KB seed), which would overrun hypothesis's buffer and cost ~10 ms
    of bookkeeping each. A failure is reported with its seed, and replays exactly.
    """
    return st.integers(0, 2**32 - 1).map(lambda number: fuzz_input(name, seeds, random.Random(number)))
