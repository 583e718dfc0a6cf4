"""One test per loader bug the fuzzing found, each on the smallest input that showed it (before the fix: an
uncaught exception, a hang, or a record the writer cannot send to Neo4j)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from graph.errors import InputError
from loaders import crossref, jsonio, orcid, read_file, tabular
from loaders.bibtex_middlewares import expand_value
from loaders.latex import MAX_LATEX_CHARS, clean_latex
from tests.fuzz.oracle import AS_OF

SNAPSHOT = {
    "id": "0704.0001",
    "title": "T",
    "authors_parsed": [["Chen", "Wei", ""]],
    "categories": "cs.DL",
    "versions": [{"version": "v1", "created": "Mon, 2 Apr 2007 19:18:42 GMT"}],
}


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# -- JSON: Python's json module reads more than JSON, and crashes on some of it ------------------------------------


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("[NaN]", "NaN is not a JSON number"),  # was: a float('nan') in a record
        ('{"a": -Infinity}', "-Infinity is not a JSON number"),
        ("[1e999]", "number 1e999 is out of range"),  # was: float('inf')
        ("9" * 5000, "out of range"),  # was: ValueError from int()'s 4,300-digit limit
        ("[" * 100_000, "nested too deeply"),  # was: RecursionError
    ],
)
def test_json_that_python_reads_but_is_not_json_is_an_input_error(text: str, reason: str):
    with pytest.raises(InputError, match=reason) as refused:
        jsonio.read_json(text, "x.json")
    assert (refused.value.path, refused.value.line) == ("x.json", 1)


def test_json_integers_beyond_64_bits_become_floats():
    ((_, value),), _ = jsonio.read_json(f"[{2**63 - 1}, {2**63}, {-(2**63)}]", "x.json")
    assert value == [2**63 - 1, float(2**63), -(2**63)] and type(value[1]) is float


def test_json_lone_surrogate_escapes_become_replacement_characters():
    text = r'{"title": "a\ud800b", "k\udfff": ["\ud83d\ude00", "\\ud800"]}'
    ((_, value),), _ = jsonio.read_json(text, "x.json")
    assert value == {"title": "a\ufffdb", "k\ufffd": ["\U0001f600", "\\ud800"]}


def test_a_bad_number_on_a_json_line_is_a_problem_on_that_line(tmp_path: Path):
    lines = [json.dumps(SNAPSHOT), json.dumps(SNAPSHOT).replace('"0704.0001"', "NaN")]
    result = read_file(_write(tmp_path, "s.jsonl", "\n".join(lines)), "arxiv_snapshot", as_of=AS_OF)
    assert (len(result.papers), [(p.line, p.message) for p in result.problems]) == (
        1,
        [(2, "not valid JSON: NaN is not a JSON number")],
    )


def test_huge_integers_in_a_json_work_do_not_reach_the_records(tmp_path: Path):
    work = {"DOI": "10.1/x", "title": ["T"], "author": [{"given": "A", "family": "B"}]}
    work |= {"is-referenced-by-count": 2**70, "issued": {"date-parts": [[2**70, 1]]}}
    path = _write(tmp_path, "w.json", json.dumps({"status": "ok", "message-type": "work", "message": work}))
    (paper,) = read_file(path, as_of=AS_OF).papers
    assert (paper.citations, paper.year) == (None, None)


# -- fields of the wrong type or size ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["\u200d", "}", " . "])
def test_arxiv_snapshot_author_without_a_letter_or_digit_is_left_out_with_a_note(name: str, tmp_path: Path):
    record = SNAPSHOT | {"authors_parsed": [["Balázs", "C.", ""], [name, "", ""]]}  # was: one `name:` author node
    result = read_file(_write(tmp_path, "s.jsonl", json.dumps(record)), "arxiv_snapshot", as_of=AS_OF)
    ((paper,), ()) = (result.papers, result.problems)
    assert [author.name for author in paper.authors] == ["C. Balázs"]
    assert [note.message for note in result.notes] == [
        f"author 2 {name.strip()!r} left out: its name has no letter or digit"
    ]


@pytest.mark.parametrize(
    "created", [5, True, ["Mon, 2 Apr 2007"], {"a": 1}, "Mon, 2 Apr 99999999999999999999 19:18:42 GMT"]
)
def test_arxiv_snapshot_version_date_of_the_wrong_type_is_a_problem(created, tmp_path: Path):
    record = SNAPSHOT | {"versions": [{"version": "v1", "created": created}]}  # was: AttributeError, OverflowError
    result = read_file(_write(tmp_path, "s.jsonl", json.dumps(record)), "arxiv_snapshot", as_of=AS_OF)
    assert [problem.message for problem in result.problems] == [
        f"first version date is not an RFC 2822 date: {created!r}"
    ]


@pytest.mark.parametrize("parts", [["²"], [2**70], ["99999"], ["2020", "٣"]])
def test_partial_date_stops_at_a_part_that_is_not_a_short_ascii_number(parts):
    assert crossref.partial_date(parts)[0] in (None, 2020)  # was: ValueError ("²"), OverflowError (2**70)


@pytest.mark.parametrize("value", [{}, [], 1.5, True, "12"])
def test_semantic_scholar_counts_of_the_wrong_type_are_dropped(value, tmp_path: Path):
    record = {"paperId": "a" * 40, "title": "T", "authors": [{"name": "C D"}], "citationCount": value}
    author = {"authorId": "1", "name": "A B", "hIndex": value, "paperCount": 3}
    path = _write(tmp_path, "s2.json", json.dumps([record, author]))
    result = read_file(path, "semantic_scholar", as_of=AS_OF)
    assert result.papers[0].citations is None  # was: the value as given
    assert result.profiles[0].metrics == {"papers": 3}  # was: h_index True


@pytest.mark.parametrize("name", ["scopus", "ieee", "springer"])
def test_a_csv_export_without_a_required_column_is_refused_at_line_1(name: str, tmp_path: Path):
    path = _write(tmp_path, "export.csv", "Title,Year\nT,2020\n")  # was: KeyError on the first row
    with pytest.raises(InputError, match=r"export\.csv:1: the header lacks the column\(s\) ") as refused:
        read_file(path, name, as_of=AS_OF)
    assert "Authors" in str(refused.value)


@pytest.mark.parametrize(("cell", "count"), [("51", 51), ("²", None), ("9" * 5000, None), ("9" * 19, None)])
def test_count_cells_that_are_not_short_ascii_numbers_are_none(cell: str, count):
    assert tabular.count_from(cell) == count  # was: ValueError for "²" and 5,000 digits


@pytest.mark.parametrize(
    "gml",
    [
        'graph [\n node [ id 0 label "a\n\n" ]\n]\n',  # networkx: IndexError on a blank line inside a string
        f"graph [\n node [ id {'9' * 5000} ]\n]\n",  # networkx: ValueError from int()
        "graph [\n node [ id 1 id 2 ]\n]\n",  # networkx: TypeError, a node id of two values is a list
    ],
)
def test_gml_that_crashes_networkx_is_malformed_gml(gml: str, tmp_path: Path):
    with pytest.raises(InputError, match="malformed GML"):
        read_file(_write(tmp_path, "n.gml", gml), "gml", as_of=AS_OF)


def test_a_gml_weight_beyond_a_double_is_a_problem(tmp_path: Path):
    gml = f"graph [\n node [ id 0 ]\n node [ id 1 ]\n edge [ source 0 target 1 value {'9' * 400} ]\n]\n"
    result = read_file(_write(tmp_path, "n.gml", gml), "gml", as_of=AS_OF)  # was: OverflowError in math.isfinite
    assert (result.ties, [problem.line for problem in result.problems]) == ([], [4])


def test_an_edge_list_node_id_beyond_64_bits_is_a_problem(tmp_path: Path):
    path = _write(tmp_path, "e.txt", f"1 2\n3 {'9' * 5000}\n4 {2**64}\n")  # was: ValueError from int()
    result = read_file(path, "snap", as_of=AS_OF)
    assert (len(result.ties), [problem.line for problem in result.problems]) == (1, [2, 3])


def test_a_profile_metric_beyond_64_bits_is_a_header_error(tmp_path: Path):
    page = f"Wei Chen\n\nSI\nh-index{'9' * 5000}\n\n0 Papers\n"  # was: ValueError from int()
    with pytest.raises(InputError, match=r"p\.txt:4: unrecognised profile header line"):
        read_file(_write(tmp_path, "p.txt", page), "profile", as_of=AS_OF)


# -- time ----------------------------------------------------------------------------------------------------------


def test_clean_latex_leaves_text_beyond_its_limit_unparsed():
    huge = r"$x^2$ \textbf{y} " * (MAX_LATEX_CHARS // 8)  # was: pylatexenc for 14 s on 250 KB, hours on 50 MB
    start = time.perf_counter()
    assert clean_latex(huge) == huge.strip()
    assert time.perf_counter() - start < 1
    assert clean_latex(r"\textbf{y}") == "y"


def test_a_bibtex_value_of_50_mb_is_split_in_well_under_a_second():
    value = "{" + "x" * 50_000_000 + "} # {y}"  # was: a Python loop over every character, 7 s per 5 MB
    start = time.perf_counter()
    text, undefined = expand_value(value, {})
    assert (len(text), undefined) == (50_000_001, [])
    assert time.perf_counter() - start < 5


def test_a_profile_author_line_with_a_long_blank_run_is_read_in_well_under_a_second(tmp_path: Path):
    blank = " " * 200_000  # was: the "et al" pattern backtracked over the run from each of its spaces, for minutes
    page = f"Wei Chen\n\nSI\n\n1 Papers\n\nCLMar 28\nA Title\n\nAna Sousa,{blank}Wei Chen et al.\n\nAn abstract.\n"
    start = time.perf_counter()
    [paper] = read_file(_write(tmp_path, "p.txt", page), "profile", as_of=AS_OF).papers
    assert time.perf_counter() - start < 1
    assert ([author.name for author in paper.authors], paper.authors_truncated) == (["Ana Sousa", "Wei Chen"], True)


@pytest.mark.parametrize("month", ["{²}", "{" + "9" * 5000 + "}"])
def test_a_bibtex_month_that_int_cannot_read_stays_text(month: str, tmp_path: Path):
    entry = f"@article{{k, title={{T}}, author={{A B}}, year={{2020}}, month={month}}}"  # was: ValueError in int()
    (paper,) = read_file(_write(tmp_path, "m.bib", entry), "bibtex", as_of=AS_OF).papers
    assert (paper.year, paper.date) == (2020, None)


# -- names without a letter or digit: every such author folded into the one node "name:" ----------------------------

NAMELESS = "}\u200d"


def _atom(name: str) -> str:
    return (
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>arxiv.org/ query</title><entry>'
        "<id>http://arxiv.org/abs/1707.08567v1</id><title>T</title>"
        f"<author><name>{name}</name></author></entry></feed>"
    )


NAMELESS_AUTHORS = {
    "arxiv_atom": _atom(NAMELESS),
    "dblp": f'<dblp><article key="k"><author>{NAMELESS}</author><title>T.</title></article></dblp>',
    "semantic_scholar": json.dumps({"paperId": "a" * 40, "title": "T", "authors": [{"name": NAMELESS}]}),
    "crossref": json.dumps(
        {
            "status": "ok",
            "message-type": "work",
            "message": {"DOI": "10.1/x", "title": ["T"], "author": [{"given": "}", "family": "\u200d"}]},
        }
    ),
    "ieee": "Document Title,Authors,Author Affiliations,Publication Title\nT,} ; \u200d,NA,V\n",
    "profile": "Wei Chen\n\nSI\nh-index6\n\n1 Papers\n\nMLJan 14, 2025\nT\n\nAna Sousa, }\n\nAbstract.\n",
}


NOTED_WITHOUT_AUTHORS = {"arxiv_atom", "crossref", "dblp", "ieee", "semantic_scholar"}


@pytest.mark.parametrize("name", sorted(NAMELESS_AUTHORS))
def test_an_author_name_without_a_letter_or_digit_is_no_author(name: str, tmp_path: Path):
    result = read_file(_write(tmp_path, "n.txt", NAMELESS_AUTHORS[name]), name, as_of=AS_OF)
    keys = [author.key for paper in result.papers for author in paper.authors]
    assert "name:" not in keys, keys
    if name in NOTED_WITHOUT_AUTHORS:  # no author is left: the record is noted (loaders.result.screened)
        assert (result.papers, result.problems) == ([], [])
        *authors, record = [note.message for note in result.notes]
        assert authors and all(message.endswith("left out: its name has no letter or digit") for message in authors)
        assert record.endswith("has no authors: not a paper to load")
    else:  # the record loads, without that author, which is noted
        assert (len(result.papers), result.problems) == (1, [])
        assert [note.message.endswith("left out: its name has no letter or digit") for note in result.notes] == [True]


def test_orcid_contributor_without_a_letter_is_no_author():
    contributors = [{"credit-name": {"value": NAMELESS}}, {"credit-name": {"value": "Ada Lovelace"}}]
    work = {"put-code": 1, "path": "/0000-0002-1825-0097/work/1", "title": {"title": {"value": "T"}}}
    document = work | {"contributors": {"contributor": contributors}}
    result = orcid.parse(json.dumps(document), "w.json", as_of=AS_OF)
    (paper,) = result.papers
    assert [(author.name, author.position) for author in paper.authors] == [
        ("Ada Lovelace", 2),
        ("0000-0002-1825-0097", 3),  # the owner, not listed: appended, inferred
    ]
    assert [note.message for note in result.notes] == [
        f"author 1 {NAMELESS!r} left out: its name has no letter or digit"
    ]


def test_a_blank_gml_label_names_the_node_by_its_id(tmp_path: Path):
    gml = 'graph [\n node [ id 0 label " " ]\n node [ id 1 label "B" ]\n edge [ source 0 target 1 ]\n]\n'
    (tie,) = read_file(_write(tmp_path, "n.gml", gml), "gml", as_of=AS_OF).ties  # was: an author named " "
    assert sorted((tie.a.name, tie.b.name)) == ["0", "B"]


def test_a_blank_semantic_scholar_dblp_id_is_dropped(tmp_path: Path):
    author = {"authorId": " ", "name": "A B", "externalIds": {"DBLP": [" "]}}
    (profile,) = read_file(_write(tmp_path, "a.json", json.dumps([author])), "semantic_scholar", as_of=AS_OF).profiles
    assert profile.ids == {}


def test_a_profile_owner_without_a_letter_or_digit_is_a_header_error(tmp_path: Path):
    page = "\\ \\\n\nSI\nh-index6\n\n0 Papers\n"  # was: the inferred owner "\ \" on every paper, keyed "name:"
    with pytest.raises(InputError, match=r"p\.txt:1: the profile owner's name .* has no letter or digit"):
        read_file(_write(tmp_path, "p.txt", page), "profile", as_of=AS_OF)
