"""The dblp XML loader: the three real subsets, entities, homonyms, markup, refusals and a flat-memory stream."""

from __future__ import annotations

import dataclasses
import gzip
import html
import re
import time
from collections import Counter
from pathlib import Path
from urllib.parse import unquote

import pytest

from graph.errors import InputError
from graph.model import Paper
from loaders import LoadResult, dblp, detect_format, read_file

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
ENTITIES = FIXTURES / "dblp_entities_markup.xml"
MALFORMED = FIXTURES / "dblp_malformed.xml"

# PROVENANCE.md: records, <author> elements, homonym-suffixed authors, authors with non-ASCII names, orcid attributes
REAL = {
    "dblp_alltags_sample.xml": (26, 56, 6, 0, 0),
    "dblp_small_acta.xml": (170, 322, 5, 26, 0),
    "dblp_soc_papers.xml.gz": (4218, 14810, 1317, 514, 1305),
}
RECORD = re.compile(
    r"<(article|inproceedings|proceedings|book|incollection|phdthesis|mastersthesis|www)\b.*?</\1>", re.S
)
AUTHOR_TEXT = re.compile(r"<author[^>]*>(.*?)</author>")
KEY = re.compile(r'\bkey="([^"]*)"')
YEAR = re.compile(r"<year>\s*(\d{4})\s*</year>")
VENUE = re.compile(r"<(journal|booktitle)>(.*?)</\1>", re.S)
DOI_LINK = re.compile(r"<ee\b[^>]*>\s*https?://(?:dx\.)?doi\.org/(10\.[^<]+?)\s*</ee>", re.I)


def raw_text(path: Path) -> str:
    """The file as written, entities unexpanded (the files are ASCII)."""
    data = path.read_bytes()
    return (gzip.decompress(data) if path.suffix == ".gz" else data).decode("ascii")


@pytest.fixture(scope="module", params=sorted(REAL))
def real(request: pytest.FixtureRequest, shared_dir: Path) -> tuple[str, str, LoadResult]:
    path = shared_dir / "data" / "dblp" / request.param
    return request.param, raw_text(path), read_file(path)


def authors_of(result: LoadResult) -> list:
    return [author for paper in result.papers for author in paper.authors]


# --- the real files -----------------------------------------------------------------------------------------


def test_real_files_are_detected_and_read_without_problems(real):
    name, raw, result = real
    assert detect_format(name, raw) == "dblp"
    assert (result.format, result.problems) == ("dblp", [])


def test_real_record_and_author_counts_match_provenance_and_a_regex_count(real):
    name, raw, result = real
    records, author_elements, *_ = REAL[name]
    blocks = [match[0] for match in RECORD.finditer(raw)]
    assert result.records_read == records == len(blocks)
    kinds = Counter(match[1] for match in RECORD.finditer(raw) if "<author" in match[0])
    assert Counter(paper.kind for paper in result.papers) == kinds
    assert len(authors_of(result)) == author_elements == len(AUTHOR_TEXT.findall(raw))


def test_real_records_without_authors_are_each_noted_with_their_key_and_line(real):
    name, raw, result = real
    authorless = [
        (raw.count("\n", 0, match.start()) + 1, match[1], KEY.search(match[0])[1])
        for match in RECORD.finditer(raw)
        if match[1] != "www" and "<author" not in match[0]
    ]
    assert len(authorless) == {"dblp_alltags_sample.xml": 2, "dblp_small_acta.xml": 0}.get(name, 79)
    assert [(note.line, note.message) for note in result.notes] == [
        (line, f"{tag} {key!r} has no <author>: not a paper") for line, tag, key in authorless
    ]


def test_real_author_names_are_decoded_like_html_unescape_in_document_order(real):
    name, raw, result = real
    expected = [" ".join(html.unescape(text).split()) for text in AUTHOR_TEXT.findall(raw)]
    assert [author.ids["dblp"] for author in authors_of(result)] == expected
    non_ascii = sum(not author.name.isascii() for author in authors_of(result))
    assert non_ascii == REAL[name][3]


def test_real_homonym_suffix_is_kept_in_ids_and_dropped_from_the_name(real):
    name, _, result = real
    suffixed = [author for author in authors_of(result) if re.search(r" \d{4}$", author.ids["dblp"])]
    assert len(suffixed) == REAL[name][2]
    assert all(author.ids["dblp"][:-5] == author.name for author in suffixed)


def test_real_orcid_attributes_become_ids(real):
    name, raw, result = real
    with_orcid = [author for author in authors_of(result) if "orcid" in author.ids]
    assert len(with_orcid) == REAL[name][4] == raw.count("<author orcid=")


def test_real_titles_are_flattened_text_without_the_closing_period(real):
    _, raw, result = real
    blocks = [match[0] for match in RECORD.finditer(raw) if "<author" in match[0]]
    titles = [re.search(r"<title>(.*?)</title>", block, re.S)[1] for block in blocks]
    expected = [" ".join(html.unescape(re.sub(r"<[^>]+>", "", title)).split()).removesuffix(".") for title in titles]
    assert [paper.title for paper in result.papers] == expected


def test_real_keys_years_venues_and_dois_match_a_regex_reading(real):
    _, raw, result = real
    expected = []
    for match in RECORD.finditer(raw):
        block = match[0]
        if "<author" not in block:
            continue
        year, venue, doi = YEAR.search(block), VENUE.search(block), DOI_LINK.search(block)
        expected.append(
            (
                KEY.search(block)[1],
                int(year[1]) if year else None,
                " ".join(html.unescape(venue[2]).split()) if venue else None,
                unquote(html.unescape(doi[1])) if doi else None,
            )
        )
    assert [(p.external_ids["dblp"], p.year, p.venue, p.doi) for p in result.papers] == expected
    assert all(map(any, zip(*expected, strict=True)))  # each file has years, venues and DOIs to compare


def test_real_records_have_exactly_their_fields_and_equal_copies_made_by_init(real):
    _, _, result = real  # dblp builds Paper and AuthorRef without calling __init__, for speed
    records = [record for paper in result.papers for record in (paper, *paper.authors)]
    for record in records:
        assert list(vars(record)) == [field.name for field in dataclasses.fields(record)]
        assert dataclasses.replace(record) == record
        assert repr(dataclasses.replace(record)) == repr(record)


def test_soc_file_with_a_windows_doctype_path_reads_dois_venues_and_keys(shared_dir: Path):
    result = read_file(shared_dir / "data" / "dblp" / "dblp_soc_papers.xml.gz")
    first = result.papers[0]
    assert (first.doi, first.venue, first.kind, first.year) == ("10.1109/ICWS.2005.91", "ICWS", "inproceedings", 2005)
    assert first.external_ids == {"dblp": "conf/icws/MaB05"}
    assert first.source_ref == "dblp_soc_papers.xml.gz:4"
    assert first.authors[1].ids == {"dblp": "Radim Bartos", "orcid": "0000-0002-9174-0850"}


def test_alltags_skips_the_volumes_that_only_have_editors(shared_dir: Path):
    result = read_file(shared_dir / "data" / "dblp" / "dblp_alltags_sample.xml")
    kinds = Counter(paper.kind for paper in result.papers)
    assert kinds == Counter(article=13, incollection=3, phdthesis=3, mastersthesis=3, inproceedings=2)


# --- entities, markup, ids (our fixture) --------------------------------------------------------------------


@pytest.fixture(scope="module")
def entities() -> LoadResult:
    return read_file(ENTITIES)


def test_entities_and_inline_markup_in_titles(entities: LoadResult):
    assert entities.papers[0].title == "H2O and Naïve Graphs: Café & Co™"
    assert entities.papers[1].title == "Why ask?"


def test_named_entities_in_names_and_whitespace_in_venues(entities: LoadResult):
    names = [author.name for author in entities.papers[0].authors]
    assert names == ["Jörg Müller", "Bing Li", "Bing Li", "Åsa Große"]
    assert entities.papers[0].venue == "Journal of Entities"
    assert entities.papers[1].venue == "Conference X"


def test_homonyms_share_a_display_name_but_keep_distinct_dblp_ids(entities: LoadResult):
    first, second = entities.papers[0].authors[1:3]
    assert first.name == second.name == "Bing Li"
    assert (first.ids, second.ids) == ({"dblp": "Bing Li 0010"}, {"dblp": "Bing Li 0011"})
    assert entities.papers[0].authors[0].ids == {"dblp": "Jörg Müller", "orcid": "0000-0002-1825-0097"}


def test_doi_and_arxiv_id_come_from_ee_links(entities: LoadResult):
    first, second = entities.papers
    assert (first.doi, first.arxiv_id) == ("10.1000/x.y(2024)<1", "2401.00001")
    assert (second.doi, second.arxiv_id) == (None, "cs/0501001")


def test_proceedings_and_home_pages_are_counted_but_not_papers(entities: LoadResult):
    assert entities.records_read == 4
    assert [paper.external_ids["dblp"] for paper in entities.papers] == ["journals/x/MullerLi24", "conf/x/Li24"]
    assert [author.position for author in entities.papers[0].authors] == [1, 2, 3, 4]


def test_stream_in_tiny_chunks_splits_entities_yet_reads_the_same(monkeypatch: pytest.MonkeyPatch):
    whole = read_file(ENTITIES)
    expected = [*whole.papers[:2], *whole.notes]  # the <proceedings> without authors comes last
    monkeypatch.setattr(dblp, "HEAD_BYTES", ENTITIES.read_bytes().index(b"<dblp>") + len(b"<dblp>"))
    monkeypatch.setattr(dblp, "CHUNK_BYTES", 3)
    seen: Counter[str] = Counter()
    with ENTITIES.open("rb") as stream:
        streamed = list(dblp.iter_records(stream, str(ENTITIES), seen=seen))
    assert streamed == expected
    assert seen == Counter(article=1, inproceedings=1, proceedings=1, www=1)


def test_the_doctype_dtd_is_never_loaded(tmp_path: Path):
    (tmp_path / "evil.dtd").write_text('<!ENTITY eacute "LEAKED">')
    xml = tmp_path / "x.xml"
    xml.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE dblp SYSTEM "{tmp_path / "evil.dtd"}">\n<dblp>'
        "<article key='k'><author>Ren&eacute; &zzz;</author><title>T</title></article></dblp>"
    )
    (paper,) = read_file(xml).papers
    assert paper.authors[0].name == "René &zzz;"


# --- problems and refusals ----------------------------------------------------------------------------------


def test_malformed_records_become_problems_with_their_lines():
    result = read_file(MALFORMED)
    assert [paper.title for paper in result.papers] == ["A Good Record", "A Record With An Empty Author"]
    assert [(problem.line, problem.excerpt) for problem in result.problems] == [
        (9, "journals/x/NoTitle24"),
        (13, "journals/x/BadYear24"),
    ]
    assert "year '20x4'" in result.problems[1].message
    # the empty <author> is left out, noted; Ada Lovelace keeps position 1
    assert [(a.name, a.position) for a in result.papers[1].authors] == [("Ada Lovelace", 1)]
    assert [(note.line, note.message) for note in result.notes] == [
        (18, "author 2 '' left out: its name has no letter or digit")
    ]


def test_a_record_whose_only_author_has_no_name_is_noted_not_loaded(tmp_path: Path):
    xml = tmp_path / "nameless.xml"
    xml.write_text("<dblp><article key='k'><author>_ _</author><title>T.</title><year>2020</year></article></dblp>")
    result = read_file(xml)
    assert (result.papers, result.problems) == ([], [])
    assert [note.message for note in result.notes] == [
        "author 1 '_ _' left out: its name has no letter or digit",
        "'k' has no authors: not a paper to load",
    ]


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        ("2024", 2024),
        (" 2024\n", 2024),
        ("\uff12\uff10\uff12\uff14", 2024),
        ("", None),
        ("19", "19"),
        ("20245", "20245"),
    ],
)
def test_a_year_is_any_four_decimal_digits(year: str, expected: int | str | None):
    text = f'<dblp><article key="k"><author>A B</author><title>T</title><year>{year}</year></article></dblp>'
    result = dblp.parse(text, "years.xml", as_of=None)
    if isinstance(expected, str):
        assert result.papers == [] and f"year {expected!r} is not a 4-digit number" in result.problems[0].message
    else:
        assert (result.problems, [paper.year for paper in result.papers]) == ([], [expected])


def test_strict_refuses_the_file_at_the_first_malformed_record():
    with pytest.raises(InputError, match=r"dblp_malformed\.xml:9: .*no title"):
        read_file(MALFORMED, strict=True)


def test_broken_xml_is_an_input_error_naming_the_line():
    text = '<?xml version="1.0"?>\n<dblp>\n<article key="k">\n<title>T</article>\n</dblp>'
    with pytest.raises(InputError, match=r"broken\.xml:4: malformed XML"):
        dblp.parse(text, "broken.xml", as_of=None)


@pytest.mark.parametrize("fixture", ["dblp_billion_laughs.xml", "dblp_external_entity.xml"])
def test_entity_declarations_are_refused_before_parsing(fixture: str):
    start = time.perf_counter()
    with pytest.raises(InputError, match=r":2: refused: the DOCTYPE declares entities") as refused:
        read_file(FIXTURES / fixture)
    assert time.perf_counter() - start < 1
    assert "lol" not in str(refused.value) and "root:" not in str(refused.value)


def test_a_file_without_a_dblp_root_is_refused():
    with pytest.raises(InputError, match="no <dblp> root element"):
        dblp.parse('<?xml version="1.0"?>\n<feed></feed>', "feed.xml", as_of=None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('<?xml version="1.0"?>\n<!DOCTYPE dblp SYSTEM "dblp.dtd">\n<dblp>', True),
        ("<dblp>\n<article key='k'/>", True),
        ('<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom">', False),
        ("@article{dblp, title={<dblp>}}", False),
        ("3466\t937\n", False),
    ],
)
def test_sniff(text: str, expected: bool):
    assert dblp.sniff(text) is expected


# --- memory -------------------------------------------------------------------------------------------------


class LazyCorpus:
    """A dblp XML byte stream of ``records`` small records, generated as it is read (never held whole)."""

    RECORD = b'<article key="k/%d"><author>A B</author><author>C D 0001</author><title>T %d.</title></article>\n'

    def __init__(self, records: int):
        self.records, self.next, self.buffer = records, 0, b'<?xml version="1.0"?>\n<dblp>\n'

    def read(self, size: int) -> bytes:
        while len(self.buffer) < size and self.next <= self.records:
            self.buffer += self.RECORD % (self.next, self.next) if self.next < self.records else b"</dblp>\n"
            self.next += 1
        chunk, self.buffer = self.buffer[:size], self.buffer[size:]
        return chunk


def resident_mib() -> float:
    status = Path("/proc/self/status")
    if not status.exists():
        pytest.skip("needs /proc to read the resident set size")
    return int(re.search(r"VmRSS:\s+(\d+)", status.read_text())[1]) / 1024


def test_memory_stays_flat_while_streaming_many_records():
    rss: dict[int, float] = {}
    count = 0
    for count, item in enumerate(dblp.iter_records(LazyCorpus(70_000)), start=1):
        assert isinstance(item, Paper)
        if count in (20_000, 70_000):
            rss[count] = resident_mib()
    assert count == 70_000
    assert rss[70_000] - rss[20_000] < 15  # a kept tree grows by about 60 MiB here
