"""The arXiv loaders: every real API feed and snapshot slice, counted independently, and the tricky bits inline."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest

from graph.errors import InputError
from graph.model import Paper, TopicRef
from loaders import LoadResult, arxiv_atom, arxiv_snapshot, detect_format, read_file
from loaders.arxiv_atom import category_topics, split_arxiv_url

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MALFORMED_SNAPSHOT = FIXTURES / "arxiv_snapshot_malformed.jsonl"
AS_OF = date(2026, 11, 27)
ATOM = "{http://www.w3.org/2005/Atom}"
ERROR_FEED = "arxiv_api_error_400_malformed_id.xml"
FEEDS = [
    "arxiv_api_2016_id_list_1111.2011v2.xml",
    "arxiv_api_2016_search_au_del_maestro.xml",
    "arxiv_api_empty_result.xml",
    "arxiv_api_id_1707.08567.xml",
    "arxiv_api_id_astro-ph_0601001.xml",
    "arxiv_api_idlist_one_missing.xml",
    "arxiv_api_query_testing_100.xml",
]
SNAPSHOTS = {  # file -> (records, authors_parsed entries) from PROVENANCE.md
    "arxiv-metadata-oai-snapshot.head20.jsonl": (20, 45),
    "arxiv-metadata-oai-snapshot.head200.json": (200, 537),
}


@pytest.fixture(scope="module")
def atom_dir(shared_dir: Path) -> Path:
    return shared_dir / "data" / "arxiv_atom"


@pytest.fixture(scope="module")
def snapshot_dir(shared_dir: Path) -> Path:
    return shared_dir / "data" / "arxiv_snapshot"


def read_feed(atom_dir: Path, name: str) -> LoadResult:
    return read_file(atom_dir / name, as_of=AS_OF)


def feed(*entries: str, title: str = "arXiv Query: search_query=all:x&amp;id_list=&amp;start=0") -> str:
    """A minimal feed in today's serialisation; line 1 is the declaration, line 2 the <feed> tag."""
    return (
        "<?xml version='1.0' encoding='UTF-8'?>\n"
        '<feed xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">\n'
        f"<id>https://arxiv.org/api/x</id>\n<title>{title}</title>\n" + "\n".join(entries) + "\n</feed>\n"
    )


def entry(body: str, entry_id: str = "http://arxiv.org/abs/2401.00001v1") -> str:
    return f"<entry>\n<id>{entry_id}</id>\n{body}\n</entry>"


GOOD_BODY = "<title>A Title</title>\n<author><name>Ada Lovelace</name></author>"


# --- Atom: every real feed, counted with ElementTree ----------------------------------------------------------


@pytest.mark.parametrize("name", FEEDS)
def test_feed_paper_and_author_counts_match_elementtree(atom_dir: Path, name: str):
    root = ET.parse(atom_dir / name).getroot()
    entries = root.findall(f"{ATOM}entry")
    result = read_feed(atom_dir, name)
    assert result.format == "arxiv_atom"
    assert result.records_read == len(entries)
    assert len(result.papers) == len(entries)
    assert sum(len(paper.authors) for paper in result.papers) == len(root.findall(f"{ATOM}entry/{ATOM}author"))


@pytest.mark.parametrize("name", FEEDS)
def test_feed_arxiv_ids_match_the_raw_entry_ids(atom_dir: Path, name: str):
    raw = (atom_dir / name).read_text(encoding="utf-8")
    expected = re.findall(r"<id>https?://arxiv\.org/abs/(\S+?)(v\d+)?</id>", raw)
    result = read_feed(atom_dir, name)
    assert [(paper.arxiv_id, paper.external_ids["arxiv"]) for paper in result.papers] == [
        (base, base + version) for base, version in expected
    ]


def test_testing_feed_matches_provenance_figures(atom_dir: Path):
    result = read_feed(atom_dir, "arxiv_api_query_testing_100.xml")
    assert (len(result.papers), sum(len(p.authors) for p in result.papers)) == (100, 366)
    assert sum(paper.doi is not None for paper in result.papers) == 32
    assert sum(paper.venue is not None for paper in result.papers) == 18
    assert sum(author.affiliation is not None for paper in result.papers for author in paper.authors) == 2
    assert result.problems == []


def test_old_serialisation_with_inline_namespaces_reads_doi_and_journal_ref(atom_dir: Path):
    result = read_feed(atom_dir, "arxiv_api_2016_search_au_del_maestro.xml")
    assert len(result.papers) == 10
    assert all(paper.doi and paper.venue for paper in result.papers)


def test_versioned_id_2016_feed(atom_dir: Path):
    (paper,) = read_feed(atom_dir, "arxiv_api_2016_id_list_1111.2011v2.xml").papers
    assert (paper.arxiv_id, paper.external_ids) == ("1111.2011", {"arxiv": "1111.2011v2"})
    assert paper.title == "Quantum Criticality for Extended Nodes on a Bethe Lattice in the Large Connectivity Limit"
    assert (paper.date, paper.year, paper.date_precision) == ("2011-11-08", 2011, "day")
    assert (paper.doi, paper.venue) == ("10.1103/PhysRevB.85.115117", "Phys. Rev. B 85, 115117 (2012)")
    assert [author.name for author in paper.authors] == ["James M. Murray", "Adrian Del Maestro", "Zlatko Tesanovic"]
    assert [topic.id for topic in paper.topics] == ["arxiv:cond-mat.str-el", "arxiv:cond-mat.stat-mech"]
    assert {topic.parent.id for topic in paper.topics} == {"arxiv:cond-mat"}
    assert paper.source_ref == "arxiv_api_2016_id_list_1111.2011v2.xml:10"


def test_old_style_id_with_affiliations(atom_dir: Path):
    (paper,) = read_feed(atom_dir, "arxiv_api_id_astro-ph_0601001.xml").papers
    assert (paper.arxiv_id, paper.external_ids["arxiv"]) == ("astro-ph/0601001", "astro-ph/0601001v1")
    assert paper.key == "arxiv:astro-ph/0601001"
    assert [(a.position, a.affiliation) for a in paper.authors] == [
        (1, "Ohio State"),
        (2, "Ohio State"),
        (3, "CfA"),
        (4, "Warsaw University Observatory"),
    ]
    assert paper.venue == "ActaAstron.56:1-50,2006"
    assert paper.topics == (TopicRef("arxiv:astro-ph", "Astrophysics", "arxiv_archive"),)


def test_error_feed_is_refused_with_arxivs_message(atom_dir: Path):
    with pytest.raises(InputError) as caught:
        read_feed(atom_dir, ERROR_FEED)
    assert "arXiv API error" in str(caught.value)
    assert "incorrect id format for abc" in str(caught.value)
    assert caught.value.line == 9


def test_empty_feed_reports_the_requested_id(atom_dir: Path):
    result = read_feed(atom_dir, "arxiv_api_empty_result.xml")
    assert (result.papers, result.records_read) == ([], 0)
    assert [(p.line, p.excerpt) for p in result.problems] == [(4, "0000.0000")]
    assert "not in the feed" in result.problems[0].message


def test_feed_missing_one_requested_id_reports_it_and_keeps_the_other(atom_dir: Path):
    result = read_feed(atom_dir, "arxiv_api_idlist_one_missing.xml")
    assert [paper.arxiv_id for paper in result.papers] == ["1707.08567"]
    assert [p.excerpt for p in result.problems] == ["0808.05394"]
    with pytest.raises(InputError, match="not in the feed"):
        read_file(atom_dir / "arxiv_api_idlist_one_missing.xml", strict=True)


def test_empty_search_feed_is_an_empty_result_without_problems():
    result = arxiv_atom.parse(feed(), "empty.xml", as_of=AS_OF)
    assert (result.papers, result.problems, result.records_read) == ([], [], 0)


def test_versioned_request_is_satisfied_by_the_unversioned_id(atom_dir: Path):
    assert read_feed(atom_dir, "arxiv_api_2016_id_list_1111.2011v2.xml").problems == []


def test_percent_encoded_id_list_is_compared_by_id_without_version():
    title = "arXiv Query: search_query=&amp;id_list=astro-ph%2F0601001,2401.00001v2&amp;start=0"
    result = arxiv_atom.parse(feed(entry(GOOD_BODY), title=title), "ids.xml", as_of=AS_OF)
    assert [paper.arxiv_id for paper in result.papers] == ["2401.00001"]
    assert [(p.line, p.excerpt) for p in result.problems] == [(4, "astro-ph/0601001")]


def test_a_paper_titled_error_is_a_paper():
    result = arxiv_atom.parse(
        feed(entry("<title>Error</title>\n<author><name>A</name></author>")), "e.xml", as_of=AS_OF
    )
    assert [paper.title for paper in result.papers] == ["Error"]


# --- Atom: ids, categories and hostile or broken feeds --------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://arxiv.org/abs/2202.12139v1", ("2202.12139", "v1")),
        ("https://arxiv.org/abs/0704.0001", ("0704.0001", None)),
        ("http://export.arxiv.org/abs/1501.00001v12", ("1501.00001", "v12")),
        ("http://arxiv.org/abs/astro-ph/0601001v1", ("astro-ph/0601001", "v1")),
        ("http://arxiv.org/abs/math.GT/0309136v2", ("math.GT/0309136", "v2")),
        ("https://arxiv.org/api/errors#incorrect_id_format_for_abc", None),
        ("https://example.org/abs/2202.12139v1", None),
        ("2202.12139v1", None),
    ],
)
def test_split_arxiv_url(url: str, expected):
    assert split_arxiv_url(url) == expected


@pytest.mark.parametrize(
    ("terms", "ids"),
    [
        (["cs.SE", "cs.LG", "cs.SE"], ["arxiv:cs.SE", "arxiv:cs.LG"]),  # primary first, each once
        (["cs.NA", "math.NA"], ["arxiv:math.NA"]),  # an alias joins its canonical category
        (["astro-ph"], ["arxiv:astro-ph"]),  # retired bare archive -> the archive
        (["cmp-lg"], ["arxiv:cmp-lg"]),  # other retired category kept by id
        (["cs.AI", "I.2.6; F.2.2", "68T05"], ["arxiv:cs.AI"]),  # ACM and MSC classes are not topics
        ([" quant-ph "], ["arxiv:quant-ph"]),
    ],
)
def test_category_topics(terms: list[str], ids: list[str]):
    assert [topic.id for topic in category_topics(terms)] == ids


def test_category_topics_use_official_names_and_archive_parents():
    (learning,) = category_topics(["stat.ML"])
    assert (learning.name, learning.kind) == ("Machine Learning", "arxiv_category")
    assert learning.parent == TopicRef("arxiv:stat", "Statistics", "arxiv_archive")


def test_primary_category_comes_first_even_when_listed_later():
    body = GOOD_BODY + '\n<category term="cs.LG"/><category term="stat.ML"/><arxiv:primary_category term="stat.ML"/>'
    (paper,) = arxiv_atom.parse(feed(entry(body)), "f.xml", as_of=AS_OF).papers
    assert [topic.id for topic in paper.topics] == ["arxiv:stat.ML", "arxiv:cs.LG"]


def test_bad_entries_become_problems_at_their_line():
    text = feed(
        entry(GOOD_BODY),
        entry(GOOD_BODY, entry_id=""),
        entry("<author><name>No Title</name></author>", "http://arxiv.org/abs/2401.00003v1"),
        entry("<title>T</title>\n<author><name> </name></author>", "http://arxiv.org/abs/2401.00004v1"),
        entry(GOOD_BODY + "\n<published>yesterday</published>", "http://arxiv.org/abs/2401.00005v1"),
    )
    result = arxiv_atom.parse(text, "bad.xml", as_of=AS_OF)
    # The untitled entry loads, keyed by its arXiv id; the one whose only author is nameless is noted.
    assert [(paper.key, paper.title, len(paper.authors)) for paper in result.papers] == [
        ("arxiv:2401.00001", "A Title", 1),
        ("arxiv:2401.00003", "", 1),
    ]
    lines = [line for line, value in enumerate(text.split("\n"), start=1) if value == "<entry>"]
    assert [(p.line, p.message.split(" ")[0]) for p in result.problems] == list(
        zip([lines[1], lines[4]], ["entry", "<published>"], strict=True)
    )
    assert [(note.line, note.message) for note in result.notes] == [
        (lines[3], "author 1 '' left out: its name has no letter or digit"),
        (lines[3], "'2401.00004' has no authors: not a paper to load"),
    ]
    assert result.records_read == 5


def test_entity_declarations_are_refused_not_expanded():
    hostile = feed(entry("<title>Safe &xxe; &big;</title>\n<author><name>A</name></author>")).replace(
        "<feed",
        '<!DOCTYPE feed [<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY big "BOOM">]>\n<feed',
        1,
    )
    with pytest.raises(InputError, match=r"x\.xml:\d+: refused: the DOCTYPE declares entities") as refused:
        arxiv_atom.parse(hostile, "x.xml", as_of=AS_OF)
    assert "root:" not in str(refused.value) and "BOOM" not in str(refused.value)


def test_malformed_xml_names_the_line():
    broken = feed(entry(GOOD_BODY)).replace("</entry>", "</entri>")
    with pytest.raises(InputError, match="not well-formed XML") as caught:
        arxiv_atom.parse(broken, "broken.xml", as_of=AS_OF)
    assert caught.value.line == broken.split("\n").index("</entri>") + 1


def test_rss_root_is_not_an_atom_feed():
    with pytest.raises(InputError, match="not an Atom feed"):
        arxiv_atom.parse("<rss><channel/></rss>", "rss.xml", as_of=AS_OF)


# --- sniffing ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [*FEEDS, ERROR_FEED])
def test_every_real_feed_is_detected_as_atom(atom_dir: Path, name: str):
    assert detect_format(name, (atom_dir / name).read_text(encoding="utf-8")) == "arxiv_atom"


@pytest.mark.parametrize("name", SNAPSHOTS)
def test_every_snapshot_slice_is_detected_as_snapshot(snapshot_dir: Path, name: str):
    assert detect_format(name, (snapshot_dir / name).read_text(encoding="utf-8")) == "arxiv_snapshot"


@pytest.mark.parametrize(
    "text",
    [
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><id>urn:blog</id></feed>',
        "<dblp><article/></dblp>",
        '{"id": "https://openalex.org/W1", "authorships": []}',
        "Ada Lovelace\n\nLG\nh-index1\n\n1 Papers\n",
    ],
)
def test_atom_sniff_refuses_other_inputs(text: str):
    assert not arxiv_atom.sniff(text)


@pytest.mark.parametrize(
    "text",
    [
        '{"id": "https://openalex.org/W1", "authorships": [], "versions": [], "categories": []}',
        '{"id": "0704.0001", "authors": "A. B", "categories": "hep-ph"}',  # no authors_parsed, no versions
        '[{"id": "0704.0001", "authors_parsed": [], "categories": "", "versions": []}]',  # an array, not lines
        "@article{key, title={T}}",
    ],
)
def test_snapshot_sniff_refuses_other_inputs(text: str):
    assert not arxiv_snapshot.sniff(text)


# --- snapshot: every real slice, counted line by line ---------------------------------------------------------


@pytest.mark.parametrize("name", SNAPSHOTS)
def test_snapshot_counts_match_the_raw_lines_and_provenance(snapshot_dir: Path, name: str):
    lines = [line for line in (snapshot_dir / name).read_text(encoding="utf-8").split("\n") if line.strip()]
    raw = [json.loads(line) for line in lines]
    result = read_file(snapshot_dir / name, as_of=AS_OF)
    assert (result.format, result.records_read, result.problems) == ("arxiv_snapshot", len(lines), [])
    assert len(result.papers) == len(raw) == SNAPSHOTS[name][0]
    authors = sum(len(paper.authors) for paper in result.papers)
    assert authors == sum(len(record["authors_parsed"]) for record in raw) == SNAPSHOTS[name][1]
    assert [paper.arxiv_id for paper in result.papers] == [record["id"] for record in raw]
    assert [paper.source_ref for paper in result.papers] == [f"{name}:{n}" for n in range(1, len(lines) + 1)]


@pytest.mark.parametrize("name", SNAPSHOTS)
def test_snapshot_topics_follow_the_category_string(snapshot_dir: Path, name: str):
    raw = [json.loads(line) for line in (snapshot_dir / name).read_text(encoding="utf-8").split("\n") if line]
    result = read_file(snapshot_dir / name, as_of=AS_OF)
    for record, paper in zip(raw, result.papers, strict=True):
        first = record["categories"].split()[0]
        assert paper.topics[0].id in {f"arxiv:{first}", f"arxiv:{first.split('.')[0]}"}, record["id"]
        assert len(paper.topics) <= len(set(record["categories"].split()))


@pytest.fixture(scope="module")
def head200(snapshot_dir: Path) -> dict[str, Paper]:
    result = read_file(snapshot_dir / "arxiv-metadata-oai-snapshot.head200.json", as_of=AS_OF)
    return {paper.arxiv_id: paper for paper in result.papers}


def test_snapshot_first_record(head200):
    paper = head200["0704.0001"]
    assert [a.name for a in paper.authors] == ["C. Balázs", "E. L. Berger", "P. M. Nadolsky", "C. -P. Yuan"]
    assert (paper.date, paper.year, paper.date_precision) == ("2007-04-02", 2007, "day")
    assert paper.external_ids == {"arxiv": "0704.0001v2"}
    assert (paper.doi, paper.venue) == ("10.1103/PhysRevD.76.013009", "Phys.Rev.D76:013009,2007")
    assert paper.title == "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies"
    assert paper.abstract.startswith("A fully differential calculation")


def test_snapshot_fourth_element_is_an_affiliation_unless_it_is_markers(head200):
    assert [a.affiliation for a in head200["0704.0025"].authors if a.name.endswith(("Mishchenko", "Nagaosa"))] == [
        None,
        None,
    ]
    assert head200["0704.0044"].authors[0].affiliation == "Oxford"
    iliev = head200["0704.0066"].authors[0]
    assert iliev.affiliation.endswith("Bulgarian Academy of Sciences, Sofia, Bulgaria")
    assert "\n" not in iliev.affiliation


def test_snapshot_cross_listed_categories(head200):
    assert [topic.id for topic in head200["0704.0002"].topics] == ["arxiv:math.CO", "arxiv:cs.CG"]


def test_malformed_snapshot_lines_become_problems_with_line_numbers():
    result = read_file(MALFORMED_SNAPSHOT, as_of=AS_OF)
    assert result.format == "arxiv_snapshot"
    assert [paper.arxiv_id for paper in result.papers] == ["2401.00001", "2401.00005"]
    assert [(p.line, p.message.split(":")[0]) for p in result.problems] == [
        (2, "not valid JSON"),
        (4, "authors_parsed is not a list"),
        (5, "first version date is not an RFC 2822 date"),
    ]
    assert result.records_read == 5
    with pytest.raises(InputError) as caught:
        read_file(MALFORMED_SNAPSHOT, strict=True)
    assert caught.value.line == 2


def test_snapshot_names_decode_latex_and_keep_suffixes():
    paper = read_file(MALFORMED_SNAPSHOT, as_of=AS_OF).papers[0]
    assert [(a.name, a.position, a.affiliation) for a in paper.authors] == [
        ("Kurt Gödel", 1, None),
        ("R. Tomàs", 2, None),
        ("Emmy Noether", 3, "Erlangen University"),
        ("John Smith Jr", 4, None),
    ]
    assert [topic.id for topic in paper.topics] == ["arxiv:math.LO", "arxiv:cs.LO"]
    assert (paper.doi, paper.venue, paper.title) == (
        "10.1000/first",
        "Monatsh. Math. 38 (1931)",
        "On Undecidable Propositions",
    )
    assert (paper.date, paper.external_ids) == ("2024-01-01", {"arxiv": "2401.00001v3"})
    assert paper.abstract_text == "We show \u03b1 is undecidable."


def test_snapshot_record_without_versions_has_no_date():
    paper = read_file(MALFORMED_SNAPSHOT, as_of=AS_OF).papers[1]
    assert (paper.year, paper.date, paper.external_ids) == (None, None, {})
    assert [topic.id for topic in paper.topics] == ["arxiv:astro-ph"]
