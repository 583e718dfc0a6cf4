"""What the query commands answer at their edges, against a real Neo4j (QA qa20b #1-#7, qa20a L3): a parameter
too large for Neo4j, empty CSV answers, ties known without papers under --since/--fractional, community labels
under a filter, "Last, First" names, --method topic without topics, and the exit codes of refused requests and
unwritable outputs."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from graph.connection import Graph
from graph.errors import InvalidRequest
from graph.model import AuthorRef, Paper, TopicRef
from graph.writer import write_records
from queries.authors import find_author
from tests.cli.cli_support import run, tie

pytestmark = pytest.mark.usefixtures("neo4j_env")

LG = TopicRef("arxiv:cs.LG", "Machine Learning", "arxiv_category")
CV = TopicRef("arxiv:cs.CV", "Computer Vision", "arxiv_category")
RECOMMEND_HEADER = "name,score,aa,ra,cn,topic,recency,via,topics,id,why"


def paper(title: str, year: int, topics: tuple[TopicRef, ...], *names: str) -> Paper:
    authors = tuple(AuthorRef(name, position) for position, name in enumerate(names, start=1))
    return Paper(title, authors, source="test", source_ref=title, year=year, topics=topics, doi=f"10.1/{title}")


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def world(graph: Graph) -> Graph:
    """Ann and Bob: computer vision in 2009-2010, machine learning in 2020-2021; Rae (no topics) writes with Sal,
    who writes with Tom on machine learning; Eve, Fay and Gus have ties known without papers only."""
    papers = [
        paper("p2009", 2009, (CV,), "Ann Alder", "Bob Birch"),
        paper("p2010", 2010, (CV,), "Ann Alder", "Bob Birch"),
        paper("p2020", 2020, (LG,), "Ann Alder", "Bob Birch"),
        paper("p2021", 2021, (LG,), "Ann Alder", "Bob Birch"),
        paper("r1", 2018, (), "Rae Rowan", "Sal Spruce"),
        paper("r2", 2019, (LG,), "Sal Spruce", "Tom Teak"),
        paper("n1", 2015, (), "Lukáš Novák", "Wil van der Aalst", "Z. S. Zhang"),
    ]
    write_records(graph, papers, ties=[tie("Eve", "Fay"), tie("Fay", "Gus")])
    return graph


def test_a_parameter_beyond_64_bits_is_a_usage_error_and_the_connection_stays_usable(world: Graph):
    with pytest.raises(InvalidRequest, match="a number is too large for Neo4j") as raised:
        world.read("RETURN $n AS n", n=2**63)
    assert raised.value.exit_code == 2
    assert world.read("RETURN $n AS n", n=2**63 - 1) == [{"n": 2**63 - 1}]


def test_recommend_prints_its_header_when_no_one_is_suggested(world: Graph):
    assert run("recommend", "Rae Rowan", "--since", "2050", "--format", "csv").output == RECOMMEND_HEADER + "\n"
    assert rows(run("recommend", "Rae Rowan", "--format", "csv").output)[0]["name"] == "Tom Teak"


def test_recommend_by_topic_suggests_no_one_to_an_author_without_topics_and_says_why(world: Graph):
    assert [row["name"] for row in rows(run("recommend", "Rae Rowan", "--method", "aa", "--format", "csv").output)] == [
        "Tom Teak"
    ]
    by_topic = run("recommend", "Rae Rowan", "--method", "topic")
    assert by_topic.stdout == "New collaborators for Rae Rowan (by topic): none found\n"
    assert by_topic.stderr == "note: Rae Rowan has no topics to compare, so --method topic ranks no one\n"
    csv_only = run("recommend", "Rae Rowan", "--method", "topic", "--format", "csv")
    assert csv_only.stdout == RECOMMEND_HEADER + "\n"
    unshared = run("recommend", "Tom Teak", "--method", "topic")  # Tom has topics; his candidate Rae shares none
    assert unshared.stdout == "New collaborators for Tom Teak (by topic): none found\n" and unshared.stderr == ""


def test_coauthors_by_papers_say_how_many_ties_without_papers_they_leave_out(world: Graph):
    assert "Fay" in run("coauthors", "Eve").stdout  # the plain list has the tie
    fractional = run("coauthors", "Eve", "--fractional")
    assert fractional.stdout == "Coauthors of Eve among ties with papers: none found\n"
    assert fractional.stderr == ("note: 1 tie known without papers is left out: --fractional counts joint papers\n")
    windowed = run("coauthors", "Fay", "--since", "2000", "--format", "csv")
    assert windowed.stdout == "name,weight,first_year,last_year,id\n"
    assert windowed.stderr.startswith("note: 2 ties known without papers are left out")
    papers_only = run("coauthors", "Ann Alder", "--since", "2020")
    assert "Bob Birch" in papers_only.stdout and papers_only.stderr == ""
    assert "among ties with papers" not in papers_only.stdout


def test_community_labels_take_the_years_and_topics_of_the_filtered_papers(world: Graph):
    def label(*filters: str) -> dict[str, str]:
        found = rows(run("communities", *filters, "--format", "csv").output)
        return next(row for row in found if "Ann Alder" in row["top_authors"])

    everything = label()
    assert (everything["first_year"], everything["last_year"]) == ("2009", "2021")
    assert set(everything["top_topics"].split("; ")) == {"Computer Vision", "Machine Learning"}
    recent = label("--since", "2015")
    assert (recent["first_year"], recent["last_year"], recent["top_topics"]) == ("2020", "2021", "Machine Learning")
    early = label("--until", "2012")
    assert (early["first_year"], early["last_year"], early["top_topics"]) == ("2009", "2010", "Computer Vision")
    vision = label("--topic", "Computer Vision")
    assert (vision["first_year"], vision["last_year"], vision["top_topics"]) == ("2009", "2010", "Computer Vision")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Novák, Lukáš", "Lukáš Novák"),
        ("novak,lukas", "Lukáš Novák"),
        ("van der Aalst, Wil", "Wil van der Aalst"),
        ("Aalst, Wil van der", "Wil van der Aalst"),
        ("Zhang, ZS", "Z. S. Zhang"),
        ("Zhang, Z. S.", "Z. S. Zhang"),
    ],
)
def test_a_name_written_last_comma_first_finds_its_author(world: Graph, text: str, name: str):
    assert find_author(world, text).name == name


def test_a_last_comma_first_name_works_on_the_command_line(world: Graph):
    assert "Wil van der Aalst" in run("coauthors", "Novák, Lukáš").stdout
    unknown = run("coauthors", "Novák, Jan", code=7)
    assert "no author named 'Novák, Jan'" in unknown.stderr


def test_splitting_off_every_paper_is_a_usage_error(world: Graph):
    refused = run("authors", "split", "Rae Rowan", "doi:10.1/r1", code=2)
    assert "that would move every paper of" in refused.stderr


def test_an_output_folder_that_does_not_exist_is_a_usage_error(world: Graph, tmp_path: Path):
    view = tmp_path / "missing" / "a.html"
    refused = run("viz", "ego", "Ann Alder", "-o", str(view), code=2)
    assert f"{view}: cannot write the view: No such file or directory" in refused.stderr
    export = tmp_path / "missing" / "x.graphml"
    refused = run("export", "--format", "graphml", "-o", str(export), code=2)
    assert f"{export}: cannot write the export: its folder does not exist" in refused.stderr
    assert not (tmp_path / "missing").exists()
