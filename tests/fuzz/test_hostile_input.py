"""Hostile input, made at test time: XML bombs and external entities, deep nesting, a 50 MB abstract, 5,000
authors, invalid UTF-8, NUL bytes, CRLF / CR line endings, byte-order marks and UTF-16 / UTF-32 text. Each is refused
with our own error naming the file, or loads correctly; nothing is expanded, fetched, or allowed to take unbounded
memory."""

from __future__ import annotations

import codecs
import json
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from graph.errors import InputError
from loaders import read_file
from tests.fuzz.oracle import AS_OF, record_faults, run_loader

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
SECRET = "TOPSECRET-8c1f"
LAUGHS = "".join(
    f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10 if level else "lol"}">\n' for level in range(10)
)  # lol9 expands to 10^9 "lol"s
ATOM_ENTRY = """<entry>
  <id>http://arxiv.org/abs/1707.08567v1</id>
  <published>2017-07-26T18:00:00Z</published>
  <title>{title}</title>
  <summary>{summary}</summary>
  {authors}
</entry>"""


def atom_feed(title: str = "T", summary: str = "S", authors: list[str] = ("A B",), doctype: str = "") -> str:
    names = "".join(f"<author><name>{name}</name></author>" for name in authors)
    entry = ATOM_ENTRY.format(title=title, summary=summary, authors=names)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{doctype}'
        '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">\n'
        "<title>arXiv Query: search_query=all:x</title>\n<id>http://arxiv.org/api/x</id>\n"
        f"{entry}\n</feed>\n"
    )


def dblp_xml(title: str = "T.", authors: list[str] = ("A B",), doctype: str = "") -> str:
    names = "".join(f"<author>{name}</author>\n" for name in authors)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{doctype}<dblp>\n<article mdate="2024-01-02" key="journals/x/H24">\n'
        f"{names}<title>{title}</title>\n<year>2024</year>\n</article>\n</dblp>\n"
    )


XML_DOCUMENTS: dict[str, Callable[..., str]] = {
    "arxiv_atom": lambda entity, root: atom_feed(title=f"T {entity}", authors=[f"A {entity}"], doctype=root),
    "dblp": lambda entity, root: dblp_xml(title=f"T {entity}.", authors=[f"A {entity}"], doctype=root),
}


def _write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8", errors="surrogatepass"))
    return path


# -- XML bombs and external entities -------------------------------------------------------------------------------


@pytest.fixture
def listener():
    """A TCP port that records whether anything connected (an external entity fetched over the network)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.setblocking(False)
    yield server
    server.close()


def _connected(server: socket.socket) -> bool:
    try:
        server.accept()[0].close()
    except BlockingIOError:
        return False
    return True


@pytest.mark.parametrize("name", sorted(XML_DOCUMENTS))
@pytest.mark.parametrize("kind", ["billion_laughs", "external_file", "external_url"])
def test_xml_bombs_and_external_entities_are_refused_unexpanded(name, kind, tmp_path: Path, listener):
    secret = _write(tmp_path, "secret.txt", SECRET)
    port = listener.getsockname()[1]
    root = "feed" if name == "arxiv_atom" else "dblp"
    declarations = {
        "billion_laughs": (LAUGHS, "&lol9;"),
        "external_file": (f'<!ENTITY x SYSTEM "{secret.as_uri()}">\n', "&x;"),
        "external_url": (f'<!ENTITY x SYSTEM "http://127.0.0.1:{port}/x">\n', "&x;"),
    }
    declaration, reference = declarations[kind]
    path = _write(tmp_path, f"{name}.xml", XML_DOCUMENTS[name](reference, f"<!DOCTYPE {root} [\n{declaration}]>\n"))
    start = time.perf_counter()
    with pytest.raises(InputError, match=r"\.xml:2: refused: the DOCTYPE declares entities") as refused:
        read_file(path, name, as_of=AS_OF)
    assert time.perf_counter() - start < 2
    assert SECRET not in str(refused.value) and "lollol" not in str(refused.value)
    assert not _connected(listener)


def test_crossref_jats_abstract_expands_no_entity(tmp_path: Path):
    secret = _write(tmp_path, "secret.txt", SECRET)
    abstract = f'<!DOCTYPE p [<!ENTITY x SYSTEM "{secret.as_uri()}">{LAUGHS}]><jats:p>Before &x; &lol9; after</jats:p>'
    work = {"DOI": "10.1/x", "title": ["T"], "author": [{"given": "A", "family": "B"}], "abstract": abstract}
    path = _write(tmp_path, "work.json", json.dumps({"status": "ok", "message-type": "work", "message": work}))
    (paper,) = read_file(path, as_of=AS_OF).papers
    assert "Before" in paper.abstract_text and "after" in paper.abstract_text
    assert SECRET not in paper.abstract_text and "lollol" not in paper.abstract_text


# -- deep nesting --------------------------------------------------------------------------------------------------

DEPTH = 100_000


@pytest.mark.parametrize("name", ["openalex", "semantic_scholar", "crossref", "orcid", "arxiv_snapshot", None])
def test_json_nested_100000_levels_is_a_clear_error(name, tmp_path: Path):
    path = _write(tmp_path, "deep.json", "[" * DEPTH + "]" * DEPTH)
    with pytest.raises(InputError) as refused:
        read_file(path, name, as_of=AS_OF)
    assert refused.value.path == str(path)
    assert ("nested too deeply" if name else "not a recognised input format") in str(refused.value)


def test_a_json_line_nested_100000_levels_is_a_problem_on_its_line(tmp_path: Path):
    good = (FIXTURES / "arxiv_snapshot_malformed.jsonl").read_text().splitlines()[0]
    path = _write(tmp_path, "deep.jsonl", f"{good}\n{'[' * DEPTH}{']' * DEPTH}\n")
    result = read_file(path, "arxiv_snapshot", as_of=AS_OF)
    assert [(problem.line, "nested too deeply" in problem.message) for problem in result.problems] == [(2, True)]


@pytest.mark.parametrize("name", ["dblp", "arxiv_atom"])
def test_xml_nested_100000_levels_is_a_clear_error(name, tmp_path: Path):
    deep = "<i>" * DEPTH + "x" + "</i>" * DEPTH
    text = dblp_xml(title=deep) if name == "dblp" else atom_feed(title=deep)
    with pytest.raises(InputError, match=r"malformed XML|not well-formed XML") as refused:
        read_file(_write(tmp_path, "deep.xml", text), name, as_of=AS_OF)
    assert refused.value.line is not None


def test_gml_nested_100000_levels_is_a_clear_error(tmp_path: Path):
    path = _write(tmp_path, "deep.gml", "graph [\n" + "a [ " * DEPTH + "] " * DEPTH + "\n]\n")
    with pytest.raises(InputError, match="malformed GML"):
        read_file(path, "gml", as_of=AS_OF)


# -- a 50 MB abstract ----------------------------------------------------------------------------------------------

ABSTRACT_BYTES = 50_000_000
MEMORY_FACTOR = 20
"""Peak memory may grow by at most this many times the file's size (measured: ~15 for profile and arXiv JSON,
~3 for Crossref); the copies a parser makes are linear, and no LaTeX parse of the whole text is allowed."""
_MEASURE = """
import datetime, json, sys, time
from loaders import read_file
def peak():
    return next(int(line.split()[1]) * 1024 for line in open("/proc/self/status") if line.startswith("VmHWM"))
before, start = peak(), time.perf_counter()
result = read_file(sys.argv[1], sys.argv[2], as_of=datetime.date(2026, 11, 27))
seconds = time.perf_counter() - start
print(json.dumps({"growth": peak() - before, "seconds": seconds, "abstracts": [len(p.abstract or "") for p in
      result.papers], "problems": len(result.problems)}))
"""


def _huge_abstract(length: int) -> str:
    """Text with LaTeX markers all along (a ``clean_latex`` that parsed it would take hours)."""
    sentence = r"We bound $x^2$ for \textbf{all} graphs -- and more. "
    return (sentence * (length // len(sentence) + 1))[:length]


HUGE_DOCUMENTS: dict[str, Callable[[str], str]] = {
    "profile": lambda abstract: (
        "Wei Chen\n\nSI\nh-index6\n4papers\n88citations\n\n1 Papers\n\nMLJan 14, 2025\nHuge\n\nWei Chen, Ana Sousa\n\n"
        f"{abstract}\n"
    ),
    "arxiv_snapshot": lambda abstract: (
        json.dumps(
            {
                "id": "0704.0001",
                "title": "Huge",
                "abstract": abstract,
                "authors_parsed": [["Chen", "Wei", ""]],
                "versions": [{"version": "v1", "created": "Mon, 2 Apr 2007 19:18:42 GMT"}],
            }
        )
        + "\n"
    ),
    "crossref": lambda abstract: json.dumps(
        {
            "status": "ok",
            "message-type": "work",
            "message": {
                "DOI": "10.1/x",
                "title": ["Huge"],
                "author": [{"given": "W", "family": "Chen"}],
                "abstract": f"<jats:p>{abstract}</jats:p>",
            },
        }
    ),
}


@pytest.mark.parametrize("name", sorted(HUGE_DOCUMENTS))
def test_a_50_mb_abstract_loads_whole_in_bounded_memory(name, tmp_path: Path):
    path = _write(tmp_path, f"huge_{name}.txt", HUGE_DOCUMENTS[name](_huge_abstract(ABSTRACT_BYTES)))
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(path), name], capture_output=True, text=True, check=True, cwd=ROOT
    )
    measured = json.loads(done.stdout)
    assert measured["problems"] == 0
    assert max(measured["abstracts"]) >= ABSTRACT_BYTES  # kept whole
    assert measured["growth"] < MEMORY_FACTOR * path.stat().st_size, measured


def test_a_text_node_over_libxml2s_limit_is_a_clear_error_naming_the_line(tmp_path: Path):
    path = _write(tmp_path, "huge.xml", atom_feed(summary="x" * 11_000_000))
    with pytest.raises(InputError, match=r"huge\.xml:\d+: not well-formed XML: .*Text node too long"):
        read_file(path, "arxiv_atom", as_of=AS_OF)


# -- 5,000 authors -------------------------------------------------------------------------------------------------

AUTHORS = [(f"Given{number:04d}", f"Family{number:04d}") for number in range(1, 5001)]
FULL_NAMES = [f"{given} {family}" for given, family in AUTHORS]

HYPERAUTHORED: dict[str, Callable[[], str]] = {
    "bibtex": lambda: "@article{h,\n title={Hyper},\n year={2020},\n author={" + " and ".join(FULL_NAMES) + "}\n}\n",
    "dblp": lambda: dblp_xml(title="Hyper.", authors=FULL_NAMES),
    "arxiv_atom": lambda: atom_feed(title="Hyper", authors=FULL_NAMES),
    "arxiv_snapshot": lambda: json.dumps(
        {
            "id": "0704.0001",
            "title": "Hyper",
            "authors_parsed": [[family, given, ""] for given, family in AUTHORS],
            "versions": [{"version": "v1", "created": "Mon, 2 Apr 2007 19:18:42 GMT"}],
            "categories": "cs.DL",
        }
    ),
    "openalex": lambda: json.dumps(
        {
            "id": "https://openalex.org/W1",
            "title": "Hyper",
            "authorships": [{"author": {"display_name": name}} for name in FULL_NAMES],
        }
    ),
    "crossref": lambda: json.dumps(
        {
            "status": "ok",
            "message-type": "work",
            "message": {
                "DOI": "10.1/h",
                "title": ["Hyper"],
                "author": [{"given": given, "family": family, "sequence": "additional"} for given, family in AUTHORS],
            },
        }
    ),
    "semantic_scholar": lambda: json.dumps(
        {"paperId": "0" * 40, "title": "Hyper", "authors": [{"authorId": None, "name": name} for name in FULL_NAMES]}
    ),
    "wos_plaintext": lambda: (
        "FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nAF "
        + "\n   ".join(f"{family}, {given}" for given, family in AUTHORS)
        + "\nTI Hyper\nPY 2020\nER\n\nEF\n"
    ),
    "profile": lambda: (
        "Wei Chen\n\nSI\nh-index6\n4papers\n88citations\n\n1 Papers\n\nMLJan 14, 2025\nHyper\n\n"
        + ", ".join(FULL_NAMES)
        + "\n\nAn abstract.\n"
    ),
}


@pytest.mark.parametrize("name", sorted(HYPERAUTHORED))
def test_a_paper_with_5000_authors_keeps_them_all_in_order(name, tmp_path: Path):
    path = _write(tmp_path, f"hyper_{name}.txt", HYPERAUTHORED[name]())
    result = read_file(path, as_of=AS_OF)
    assert (result.format, result.problems) == (name, [])
    (paper,) = result.papers
    listed = [author for author in paper.authors if not author.inferred]
    assert [author.name for author in listed] == FULL_NAMES
    assert [author.position for author in listed] == list(range(1, 5001))
    assert len({author.key for author in listed}) == 5000


# -- encodings, NUL bytes, line endings ----------------------------------------------------------------------------


def _titles(path: Path) -> list[str]:
    return [paper.title for paper in read_file(path, as_of=AS_OF).papers]


@pytest.fixture(scope="module")
def seed_files(seeds, tmp_path_factory) -> dict[str, Path]:
    """One LF-ended, BOM-less seed file per format, written out."""
    folder = tmp_path_factory.mktemp("seeds")
    chosen = {}
    for name, items in seeds.items():
        seed_name, data = items[0]
        path = folder / f"{name}_{seed_name}"
        path.write_bytes(data.removeprefix(b"\xef\xbb\xbf").replace(b"\r\n", b"\n"))
        chosen[name] = path
    return chosen


@pytest.mark.parametrize(
    "variant",
    [
        pytest.param(lambda data: data.replace(b"\n", b"\r\n"), id="crlf"),
        pytest.param(lambda data: b"\xef\xbb\xbf" + data, id="bom"),
        pytest.param(lambda data: b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n"), id="bom-crlf"),
        pytest.param(lambda data: data.decode().encode("utf-16"), id="utf-16"),  # the byte-order mark says which
        pytest.param(
            lambda data: codecs.BOM_UTF32_BE + data.replace(b"\n", b"\r\n").decode().encode("utf-32-be"),
            id="utf-32-be-crlf",
        ),
    ],
)
def test_crlf_and_bom_variants_load_the_same_records(variant, seed_files, tmp_path: Path):
    for name, path in seed_files.items():
        if name == "snap":  # edge lists have no titles: compare the ties instead
            assert len(read_file(path).ties) == len(
                read_file(_write(tmp_path, "e.txt", variant(path.read_bytes()))).ties
            )
            continue
        changed = _write(tmp_path, path.name, variant(path.read_bytes()))
        assert _titles(changed) == _titles(path), name


def test_old_mac_cr_line_endings_load_or_fail_clearly(seed_files, tmp_path: Path):
    for name, path in seed_files.items():
        outcome = run_loader(path.read_bytes().replace(b"\n", b"\r"), tmp_path / path.name, None, 10)
        assert outcome.kind != "uncaught", f"{name}: {outcome.detail}"


@pytest.mark.parametrize(
    ("variant", "message"),
    [
        (lambda data: data[:50] + b"\xff" + data[50:], r"not valid UTF-8: byte 0xff at byte offset 50"),
        (lambda data: data[:50] + b"\xed\xa0\x80" + data[50:], r"not valid UTF-8: byte 0xed at byte offset 50"),
        (lambda data: data.decode().encode("utf-16-le"), r"binary data"),  # UTF-16 without a byte-order mark
        (lambda data: data[:50] + b"\x00" + data[50:], r"binary data, not a text export \(NUL bytes near the start\)"),
    ],
    ids=["invalid-byte", "encoded-surrogate", "utf-16-without-mark", "nul"],
)
def test_invalid_utf8_and_nul_bytes_are_refused_naming_the_file(variant, message, seed_files, tmp_path: Path):
    for name, path in seed_files.items():
        changed = _write(tmp_path, path.name, variant(path.read_bytes()))
        with pytest.raises(InputError, match=message) as refused:
            read_file(changed, as_of=AS_OF)
        assert refused.value.path == str(changed), name


def test_a_nul_byte_deep_in_a_file_loads_or_fails_clearly(seed_files, tmp_path: Path):
    for name, path in seed_files.items():
        data = path.read_bytes()
        middle = max(len(data) // 2, 4097)
        changed = _write(tmp_path, path.name, data[:middle] + b"\x00" + data[middle:])
        outcome = run_loader(changed.read_bytes(), changed, None, 10)
        assert outcome.kind != "uncaught", f"{name}: {outcome.detail}"
        if outcome.kind == "result":
            assert record_faults(read_file(changed, as_of=AS_OF), str(changed)) == []
