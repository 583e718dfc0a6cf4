"""Inline markup in titles and abstracts made plain text (:func:`loaders.markup.strip_markup`), on the shapes the
shared files hold, and the title of one paper read from OpenAlex and from BibTeX being the same."""

from __future__ import annotations

import gzip
import json
from datetime import date
from pathlib import Path

import pytest

from loaders import LoadResult, read_file
from loaders.markup import strip_markup


@pytest.mark.parametrize(
    ("markup", "text"),
    [
        ("<jats:p>One.</jats:p><jats:p>Two.</jats:p>", "One.\nTwo."),
        (
            "<jats:title>Abstract</jats:title>"
            "<jats:sec><jats:p>A  <jats:italic>B</jats:italic>\n C</jats:p></jats:sec>",
            "Abstract\nA B C",
        ),
        (
            "TiO<sub>2</sub> and <mml:math><mml:mi>x</mml:mi><mml:mo>=</mml:mo><mml:mn>1</mml:mn></mml:math>",
            "TiO2 and x=1",
        ),
        ("<jats:p>a &lt;b&gt; &amp; c</jats:p>", "a <b> & c"),
        ("plain  text\nno tags", "plain text no tags"),
        ("bell\x07 <i>x</i>", "bell x"),
        # the sources' title markup, as found in the shared files
        (
            "Molecular Confirmation of <i>Anopheles stephensi</i> Mosquitoes",
            "Molecular Confirmation of Anopheles stephensi Mosquitoes",
        ),
        ("distributions of <i>b</i><sup>2</sup> and √<i>b</i><sup>1</sup>", "distributions of b2 and √b1"),
        ("YBa<inf>2</inf>Cu<inf>3</inf>O<inf>7-z</inf> films", "YBa2Cu3O7-z films"),  # Scopus
        ("Policy &amp; Internet", "Policy & Internet"),  # a Semantic Scholar venue
        # markup escaped twice: an escaped pair of inline tags is markup, a lone escaped tag is text
        ("maximization of &lt;scp&gt;GenCo&lt;/scp&gt; 's revenue", "maximization of GenCo 's revenue"),
        (
            "doxycycline in rainbow trout (&lt;i&gt;Oncorhynchus mykiss&lt;/i&gt;)",
            "doxycycline in rainbow trout (Oncorhynchus mykiss)",
        ),
        ("&lt;i&gt;a &lt;sub&gt;2&lt;/sub&gt;&lt;/i&gt; b", "a 2 b"),
        ("the &lt;b&gt; element", "the <b> element"),
        # a "<" that opens no tag is text
        ("Mn3-xGa (0 <= x <= 1)", "Mn3-xGa (0 <= x <= 1)"),
        ("p<0.05 if A<B then <i>C</i>", "p<0.05 if A<B then C"),
        ("D0 --> K- e+ nue", "D0 --> K- e+ nue"),
    ],
)
def test_strip_markup(markup: str, text: str):
    assert strip_markup(markup) == text


def test_strip_markup_expands_no_declared_entity():
    bomb = '<!DOCTYPE x [<!ENTITY a "AAAAAAAAAA"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]><jats:p>x &b; y</jats:p>'
    assert "AAAA" not in strip_markup(bomb)
    assert "x &b; y" in strip_markup(bomb)


def test_a_tagged_openalex_title_and_its_plain_bibtex_twin_are_one_paper(tmp_path: Path, shared_dir: Path):
    """QA's repro: the real work W4399932279 without its DOI, and a BibTeX entry with the same title written
    plainly, the same year and first author, share the title + year + first author key."""
    (line,) = [
        line
        for line in read_lines(shared_dir / "data" / "openalex" / "works_union_602.jsonl.gz")
        if '"id": "https://openalex.org/W4399932279"' in line or '"id":"https://openalex.org/W4399932279"' in line
    ]
    work = json.loads(line)
    assert "<i>Anopheles stephensi</i>" in work["title"]
    work["doi"] = None
    (tagged,) = write(tmp_path / "oa.json", json.dumps(work)).papers
    first = work["authorships"][0]["author"]["display_name"]
    plain = work["title"].replace("<i>", "").replace("</i>", "")
    entry = f"@article{{k, title={{{plain}}}, author={{{first}}}, year={{{work['publication_year']}}}}}\n"
    (bibtex,) = write(tmp_path / "same.bib", entry).papers
    assert tagged.title == bibtex.title == plain
    assert tagged.match_key == bibtex.match_key


def read_lines(path: Path) -> list[str]:
    return gzip.decompress(path.read_bytes()).decode("utf-8").split("\n")


def write(path: Path, text: str) -> LoadResult:
    path.write_text(text, encoding="utf-8")
    return read_file(path, as_of=date(2026, 11, 27))
