"""Stable keys: the same paper, author or topic always reaches the same node."""

from __future__ import annotations

import pytest

from graph.model import author_key, name_key, paper_key


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("  José-Luis  O'Neil ", "jose luis o neil"),
        ("Łukasz Żółw", "lukasz zolw"),
        ("Søren Kierkegaard", "soren kierkegaard"),
        ("STRAßE", "strasse"),
        ("Zoë O'Brien-Łukasz", "zoe o brien lukasz"),
        ("张三", "张三"),
        ("Jingyang Jiang", "jingyang jiang"),
        ("under_score", "under score"),
    ],
)
def test_name_key_folds_case_accents_and_punctuation(name: str, key: str):
    assert name_key(name) == key


def test_author_key_prefers_orcid():
    assert author_key("Ada Lovelace", {"orcid": "0000-0001-2345-6789"}) == "orcid:0000-0001-2345-6789"
    assert author_key("Ada  LOVELACE") == "name:ada lovelace"


def test_paper_key_prefers_doi_then_arxiv_then_title():
    assert paper_key("T", doi="10.1000/ABC", arxiv_id="2401.00001v2") == "doi:10.1000/abc"
    assert paper_key("T", arxiv_id="2401.00001v2") == "arxiv:2401.00001"
    assert paper_key("Deep  Learning!") == paper_key("deep learning")
    assert paper_key("Deep Learning") != paper_key("Shallow Learning")


def test_title_fallback_tells_same_titled_papers_apart():
    assert paper_key("Editorial", year=2020, first_author="A. Smith") != paper_key("Editorial", year=2021)
    assert paper_key("Editorial", year=2020, first_author="A. Smith") == paper_key(
        "EDITORIAL.", year=2020, first_author="a smith"
    )
