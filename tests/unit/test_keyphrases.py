"""Keyphrase topics: YAKE phrases with acronyms, plurals, case and accents folded into one topic per idea."""

from __future__ import annotations

import dataclasses
import doctest
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

import graph.words
from graph.model import AuthorRef, Paper, TopicRef, name_key
from graph.words import singular
from loaders import keyphrases, read_file, read_inputs
from loaders.keyphrases import KIND, TOP, extract_keyphrases, find_acronyms, with_keyphrases

ROOT = Path(__file__).resolve().parents[2]
LLM_TITLE = "Fine-tuning LLMs for protein structure prediction"
LLM_ABSTRACT = (
    "Large language models (LLMs) now write code and text. We fine-tune an LLM on protein sequences and show that "
    "LLMs predict protein structure better than large language models trained on text alone."
)


def ids(topics: list[TopicRef]) -> list[str]:
    return [topic.id for topic in topics]


def paper(title: str, abstract: str | None = None, topics: tuple[TopicRef, ...] = ()) -> Paper:
    return Paper(title, (AuthorRef("A. Author", 1),), "test", "test:1", abstract_text=abstract, topics=topics)


def text_words(*texts: str | None) -> set[str]:
    """The folded words of the texts, each also in its singular form."""
    words = set(name_key(" ".join(text or "" for text in texts)).split())
    return words | {singular(word) for word in words}


def test_llm_surface_forms_become_one_topic():
    found = ids(extract_keyphrases(LLM_TITLE, LLM_ABSTRACT))
    assert found.count("keyword:large language model") == 1
    assert not {"keyword:llm", "keyword:llms", "keyword:large language models"} & set(found)
    assert not any(" llm" in id_ or ":llm" in id_ for id_ in found)


def test_acronym_inside_a_phrase_is_expanded():
    abstract = "Reinforcement learning (RL) trains agents. RL agents explore; offline RL agents do not explore."
    names = [topic.name for topic in extract_keyphrases("Offline RL agents", abstract)]
    assert "offline reinforcement learning agent" in names
    assert not any("RL" in name for name in names)


def test_undefined_acronym_stays_itself():
    found = ids(extract_keyphrases("Scaling LLMs", "LLMs grow. An LLM needs memory; LLMs need more memory."))
    words = [id_.removeprefix("keyword:").split() for id_ in found]
    assert sum("llm" in phrase for phrase in words) >= 2
    assert not any("llms" in phrase or "language" in phrase for phrase in words)
    assert ids(extract_keyphrases("LLMs", None)) == ["keyword:llm"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("large language models (LLMs)", {"llm": "large language model"}),
        ("a Half-Order (HO) method", {"ho": "half-order"}),
        (
            "the Conditional Diffusion Life-cycle Forecaster (CDLF)",
            {"cdlf": "conditional diffusion life-cycle forecaster"},
        ),
        ("parallel ranking and selection (R&S) problems", {"r s": "ranking and selection"}),
        ("Value at Risk (VaR)", {"var": "value at risk"}),
        ("stochastic gradient noise (LLM)", {}),  # the letters are not the words' initials
        ("in this study (SOTA)", {}),
        ("a model (i.e. a network)", {}),
        ("LLMs (large language models)", {}),  # only the long form (SF) order is read
    ],
)
def test_find_acronyms(text: str, expected: dict[str, str]):
    assert find_acronyms(text) == expected


@pytest.mark.parametrize(
    ("plural", "expected"),
    [
        ("networks", "network"),
        ("LLMs", "LLM"),
        ("GNNs", "GNN"),
        ("strategies", "strategy"),
        ("processes", "process"),
        ("approaches", "approach"),
        ("boxes", "box"),
        ("diseases", "disease"),
        ("hypotheses", "hypothesis"),
        ("analyses", "analysis"),
        ("matrices", "matrix"),
        ("criteria", "criterion"),
        ("biases", "bias"),
        ("life-cycles", "life-cycle"),
        ("topics", "topic"),
        # already singular, or the same in both numbers
        ("analysis", "analysis"),
        ("bias", "bias"),
        ("lens", "lens"),
        ("physics", "physics"),
        ("genomics", "genomics"),
        ("thermodynamics", "thermodynamics"),
        ("species", "species"),
        ("process", "process"),
        ("virus", "virus"),
        ("data", "data"),
        ("RoBERTa", "RoBERTa"),
        ("COVID-19", "COVID-19"),
    ],
)
def test_singular(plural: str, expected: str):
    assert singular(plural) == expected


def test_plural_and_singular_phrases_are_one_topic():
    plural = extract_keyphrases("Graph neural networks for molecules", None)
    single = extract_keyphrases("A graph neural network for a molecule", None)
    assert "keyword:graph neural network" in ids(plural)
    assert "keyword:graph neural network" in ids(single)


def test_case_and_accents_fold_into_the_id():
    topic = next(t for t in extract_keyphrases("Méthodes de Monte Carlo for Ising Models", None) if "ising" in t.id)
    assert topic.id == "keyword:ising model"
    assert topic.id == f"keyword:{name_key(topic.name)}"


def test_phrases_never_start_end_or_hold_stop_words():
    title = "The Analysis of the Effects of Climate Change on the Biodiversity of Andean Maize"
    abstract = "We study how the climate change of the last decades affects the biodiversity of maize in the Andes."
    stopwords = keyphrases._extractor().stopword_set
    names = [topic.name for topic in extract_keyphrases(title, abstract)]
    assert names
    assert all(word not in stopwords for name in names for word in name.split())


def test_generic_single_words_are_not_topics():
    found = ids(extract_keyphrases("A study", "In this paper, our study presents a method and its results."))
    assert not {"keyword:study", "keyword:paper", "keyword:method", "keyword:result"} & set(found)


def test_capitalized_title_is_read_as_words_not_acronyms():
    names = [t.name for t in extract_keyphrases("EFFECTS OF DEPOLYMERISATION ON MOLECULAR PROPERTIES", None)]
    assert "molecular property" in names


def test_same_input_gives_same_topics_in_the_same_order():
    first = extract_keyphrases(LLM_TITLE, LLM_ABSTRACT)
    assert all(extract_keyphrases(LLM_TITLE, LLM_ABSTRACT) == first for _ in range(3))


def test_topics_do_not_depend_on_string_hashing(shared_dir: Path):
    """Python salts str hashes per process: sets iterated in YAKE must not reorder the phrases between runs."""
    works = str(shared_dir / "data" / "openalex" / "works_list_11_results.json")
    script = (
        "from loaders import read_inputs\n"
        f"result = read_inputs([{works!r}], keyphrases=True)\n"
        "print([[t.id for t in p.topics] for p in result[0].papers])\n"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": seed},
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    }
    assert len(outputs) == 1
    assert "keyword:" in outputs.pop()


def test_real_abstracts_give_few_distinct_keyword_topics_from_their_text(shared_dir: Path):
    result = read_file(shared_dir / "data" / "openalex" / "works_list_11_results.json")  # 11 works
    with_abstract = [p for p in result.papers if p.abstract_text]
    assert len(with_abstract) >= 5
    for source in with_abstract:
        topics = extract_keyphrases(source.title, source.abstract_text)
        assert 1 <= len(topics) <= TOP
        assert len(set(ids(topics))) == len(topics)
        assert all(t.kind == KIND and t.parent is None and t.id == f"{KIND}:{name_key(t.name)}" for t in topics)
        words = text_words(source.title, source.abstract_text)
        for topic in topics:
            assert set(name_key(topic.name).split()) <= words, (source.title, topic.name)


def test_with_keyphrases_keeps_source_topics_first():
    own = TopicRef("arxiv:cs.LG", "Machine Learning", "arxiv_category")
    tagged = with_keyphrases(paper(LLM_TITLE, LLM_ABSTRACT, topics=(own,)))
    assert tagged.topics[0] == own
    assert [t.kind for t in tagged.topics[1:]] == [KIND] * (len(tagged.topics) - 1)
    assert "keyword:large language model" in ids(list(tagged.topics))
    assert dataclasses.replace(tagged, topics=(own,)) == paper(LLM_TITLE, LLM_ABSTRACT, topics=(own,))


def test_paper_without_title_and_abstract_is_unchanged():
    bare = paper("", None)
    assert with_keyphrases(bare) is bare


def test_read_inputs_adds_keyphrases_only_when_asked(seed_page: Path):
    day = date(2026, 11, 27)
    plain = read_inputs([seed_page], as_of=day)[0].papers
    tagged = read_inputs([seed_page], as_of=day, keyphrases=True)[0].papers
    assert not any(t.kind == KIND for p in plain for t in p.topics)
    for before, after in zip(plain, tagged, strict=True):
        assert after.topics[: len(before.topics)] == before.topics
        assert any(t.kind == KIND for t in after.topics)


def test_seed_profile_titles_alone_get_keyword_topics(seed_page: Path):
    """The seed profile's titles, read without their abstracts, still give keywords made of their own words."""
    papers = read_file(seed_page, as_of=date(2026, 11, 27)).papers
    assert len(papers) == 7
    for source in papers:
        topics = with_keyphrases(dataclasses.replace(source, abstract=None, abstract_text=None)).topics
        keywords = [t for t in topics if t.kind == KIND]
        assert keywords, source.title
        defined = set(find_acronyms(source.title).values())
        for topic in keywords:
            assert topic.name in defined or set(name_key(topic.name).split()) <= text_words(source.title)


@pytest.mark.parametrize("module", [keyphrases, graph.words])
def test_module_examples(module):
    result = doctest.testmod(module)
    assert (result.failed, result.attempted > 0) == (0, True)
