"""Finding an author by any of their ids and name variants, and manual merges and splits that keep names findable,
against a real Neo4j (QA report: strong ids, merged spellings, split names, letterless names, merging coauthors)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from coauthor import cli
from graph.connection import Graph
from graph.errors import AmbiguousName, CoauthorError, NotFound
from graph.model import AuthorRef, Paper
from graph.writer import write_records
from queries.authors import find_author
from queries.collaborators import find_coauthors
from queries.identity import merge_authors, split_author

NAMES = """
MATCH (a:Author {id: $id})
RETURN a.name AS name, a.name_key AS name_key, a.block_key AS block_key, a.names AS names
"""
AUTHORSHIPS = """
MATCH (a:Author)-[r:AUTHORED]->(p:Paper)
RETURN p.id AS paper, a.id AS author, r.position AS position ORDER BY paper, position
"""


def paper(title: str, *authors: AuthorRef, year: int = 2017) -> Paper:
    return Paper(title=title, authors=authors, source="test", source_ref=f"t:{title}", year=year, doi=f"10.1/{title}")


def run(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result.output


@pytest.fixture
def li(graph: Graph) -> Graph:
    """H. Li (OpenAlex A1, ORCID-less), also written Haitao Li; a coauthor; and another Haitao Li (an ORCID)."""
    write_records(graph, [paper("one", AuthorRef("H. Li", 1, {"openalex": "A1"}), AuthorRef("Ann Lee", 2))])
    write_records(graph, [paper("two", AuthorRef("Haitao Li", 1, {"openalex": "A1"}), AuthorRef("Ann Lee", 2))])
    write_records(graph, [paper("three", AuthorRef("Haitao Li", 1, {"orcid": "0000-0009"}), year=2024)])
    return graph


@pytest.fixture
def wu(graph: Graph) -> Graph:
    """Guoquan Wu, also misspelled Guoqquan Wu on a paper with Chushu Gao (positions 1-3 of each paper)."""
    gao, xu = AuthorRef("Chushu Gao", 2), AuthorRef("Wei Xu", 3)
    write_records(
        graph,
        [
            paper("icws", AuthorRef("Guoqquan Wu", 1), gao, xu),
            paper("scc", AuthorRef("Guoquan Wu", 1), AuthorRef("Jun Wei", 2), xu),
            paper("tsc", AuthorRef("Guoquan Wu", 1), AuthorRef("Jun Wei", 2), AuthorRef("Hua Zhong", 3)),
        ],
    )
    return graph


def test_an_author_is_found_by_each_of_their_strong_ids(li: Graph, neo4j_env: dict[str, str]):
    assert find_author(li, "openalex:A1").name == "H. Li"
    assert find_author(li, "orcid:0000-0009").id == "orcid:0000-0009"  # the node's own id still wins first
    assert [c.name for c in find_coauthors(li, "openalex:A1")] == ["Ann Lee"]
    assert "Ann Lee" in run("coauthors", "openalex:A1")
    assert "H. Li" in run("authors", "show", "openalex:A1")
    assert "H. Li" in run("author", "openalex:A1")
    run("coauthors", "openalex:A404", code=7)


def test_a_name_variant_finds_its_author_and_a_spelling_two_were_written_with_is_ambiguous(
    li: Graph, neo4j_env: dict[str, str]
):
    assert li.read(NAMES, id="name:h li")[0]["names"] == ["H. Li", "Haitao Li"]
    for text in ("Haitao Li", "haitao li"):  # the name of one, a variant of the other: as written and folded
        with pytest.raises(AmbiguousName) as ambiguous:
            find_author(li, text)
        assert sorted(c.split(" (")[1].split(",")[0] for c in ambiguous.value.candidates) == [
            "name:h li",
            "orcid:0000-0009",
        ], text
    assert "candidates: " in run("author", "Haitao Li", code=8)
    assert find_author(li, "H. Li").id == "name:h li"  # a spelling only one was written with
    li.write("MATCH (a:Author {id: 'orcid:0000-0009'}) DETACH DELETE a")
    assert find_author(li, "Haitao Li").id == "name:h li"
    assert find_author(li, "HAITAO-LI").id == "name:h li"
    assert "Ann Lee" in run("coauthors", "Haitao Li")


def test_a_variant_is_matched_accent_case_and_punctuation_insensitively(graph: Graph):
    write_records(graph, [paper("one", AuthorRef("L. Strauss", 1, {"openalex": "A2"}))])
    write_records(graph, [paper("two", AuthorRef("Łukàsz  Strauß", 1, {"openalex": "A2"}))])
    for text in ("Lukasz Strauss", "ŁUKASZ STRAUSS", "lukasz-strauss", "Łukasz Strauß"):
        assert find_author(graph, text).id == "name:l strauss", text
    with pytest.raises(NotFound):
        find_author(graph, "Lukasz Straus")  # one letter short


def test_the_absorbed_spelling_finds_the_author_after_a_manual_merge(wu: Graph):
    merge_authors(wu, "Guoquan Wu", "Guoqquan Wu")
    assert find_author(wu, "Guoqquan Wu").id == "name:guoquan wu"
    assert find_author(wu, "guoqquan-wu").papers == 3


def test_a_split_names_the_new_author_after_its_papers_and_the_old_drops_their_spelling(wu: Graph):
    merge_authors(wu, "Guoquan Wu", "Guoqquan Wu")
    change = split_author(wu, "Guoquan Wu", ["doi:10.1/icws"])
    assert change.other == "name:guoqquan wu"
    assert wu.read(NAMES, id=change.other) == [
        {"name": "Guoqquan Wu", "name_key": "guoqquan wu", "block_key": "wu g", "names": ["Guoqquan Wu"]}
    ]
    assert wu.read(NAMES, id="name:guoquan wu")[0]["names"] == ["Guoquan Wu"]
    assert find_author(wu, "Guoqquan Wu").id == change.other
    assert find_author(wu, "guoquan wu").id == "name:guoquan wu"  # not ambiguous


def test_a_split_that_takes_the_old_name_renames_the_old_author(wu: Graph):
    merge_authors(wu, "Guoquan Wu", "Guoqquan Wu")
    change = split_author(wu, "Guoquan Wu", ["doi:10.1/scc", "doi:10.1/tsc"])
    assert wu.read(NAMES, id=change.other)[0]["names"] == ["Guoquan Wu"]
    assert wu.read(NAMES, id="name:guoquan wu") == [
        {"name": "Guoqquan Wu", "name_key": "guoqquan wu", "block_key": "wu g", "names": ["Guoqquan Wu"]}
    ]


def test_merging_two_authors_of_one_paper_is_refused_before_any_change(wu: Graph, neo4j_env: dict[str, str]):
    before = wu.read(AUTHORSHIPS)
    with pytest.raises(CoauthorError, match=r"two authors of doi:10\.1/icws"):
        merge_authors(wu, "Guoqquan Wu", "Chushu Gao")
    output = run("authors", "merge", "name:guoqquan wu", "Chushu Gao", code=1)
    assert "name:guoqquan wu and name:chushu gao are two authors of doi:10.1/icws" in output
    assert wu.read(AUTHORSHIPS) == before
    assert wu.read("MATCH (m:IdentityMerge) RETURN count(m) AS n") == [{"n": 0}]


def test_a_name_without_a_letter_or_digit_finds_nobody(wu: Graph, neo4j_env: dict[str, str]):
    wu.write(  # a letterless author an older load made
        "MATCH (g:Author {id: 'name:chushu gao'}) "
        "CREATE (x:Author {id: 'name:', name: '_ _', name_key: '', names: ['_ _']})-[:COAUTHOR {weight: 1}]->(g)"
    )
    for text in ("", "*", "~~", "😀", "_ _"):
        with pytest.raises(NotFound, match="a name needs a letter or digit"):
            find_author(wu, text)
        with pytest.raises(NotFound, match="a name needs a letter or digit"):
            find_coauthors(wu, text)
    assert "a name needs a letter or digit" in run("coauthors", "~~", code=7)
    assert find_author(wu, "name:").name == "_ _"  # still reachable by its id, to delete it


def test_dblp_display_form_of_a_homonym_finds_it_by_its_dblp_id(graph: Graph, neo4j_env: dict[str, str]):
    ten = AuthorRef("Bing Li", 1, {"dblp": "Bing Li 0010", "orcid": "0000-0010"})  # the node id is the ORCID
    one = AuthorRef("Bing Li", 1, {"dblp": "Bing Li 0001"})
    write_records(graph, [paper("ten", ten, AuthorRef("Wei Xiong", 2)), paper("one", one)])
    assert find_author(graph, "Bing Li 0010").id == "orcid:0000-0010"  # through its AuthorId dblp:Bing Li 0010
    assert find_author(graph, " Bing Li 0001 ").id == "dblp:Bing Li 0001"  # the node's own id
    assert find_author(graph, "dblp:Bing Li 0010").id == "orcid:0000-0010"
    assert [c.name for c in find_coauthors(graph, "Bing Li 0010")] == ["Wei Xiong"]
    assert "orcid:0000-0010" in run("author", "Bing Li 0010")
    with pytest.raises(AmbiguousName):
        find_author(graph, "Bing Li")  # the two homonyms
    with pytest.raises(NotFound, match="no author named 'Bing Li 0002'"):
        find_author(graph, "Bing Li 0002")
