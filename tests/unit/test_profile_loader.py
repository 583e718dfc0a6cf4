"""The profile-page loader: the real seed page, small fixtures of our own, and an inline page per failure."""

from __future__ import annotations

import os
import time
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from graph.errors import InputError
from graph.model import Paper, TopicRef, name_key
from loaders import LoadResult, detect_format, profile, read_file

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MALFORMED = FIXTURES / "profile_malformed.txt"
LEAP_DAY = FIXTURES / "profile_leap_day.txt"
AS_OF = date(2026, 11, 27)
OWNER = "Zishi Zhang"

# Seven header lines, so the first inline block starts on line 8.
INLINE_HEADER = "Ada Lovelace\n\nLG\nh-index1\n\n1 Papers\n\n"
GOOD_BLOCK = "LGMar 3, 2024\nA Good Paper\n\nAda Lovelace, Charles Babbage\n\nAn abstract."


@pytest.fixture(scope="module")
def seed(seed_page: Path) -> LoadResult:
    return read_file(seed_page, as_of=AS_OF)


def paper_titled(result: LoadResult, prefix: str) -> Paper:
    (paper,) = [paper for paper in result.papers if paper.title.startswith(prefix)]
    return paper


def parse_inline(*blocks: str, as_of: date = AS_OF) -> LoadResult:
    return profile.parse(INLINE_HEADER + "\n\n".join(blocks), "inline.txt", as_of=as_of)


# --- the seed page ------------------------------------------------------------------------------------------


def test_seed_loads_seven_papers_without_problems(seed: LoadResult, seed_page: Path):
    assert (seed.format, seed.path, seed.records_read) == ("profile", str(seed_page), 7)
    assert len(seed.papers) == 7
    assert seed.problems == []


def test_seed_profile_carries_owner_metrics_and_primary_topic(seed: LoadResult):
    (owner,) = seed.profiles
    assert owner.name == OWNER
    assert owner.metrics == {"h_index": 3, "papers": 7, "citations": 16, "novelty": 0.63, "ai_score": 54}
    assert (owner.source, owner.source_ref) == ("profile", "000_ee1a281679e517e5.txt:1")
    assert owner.primary_topic is not None and owner.primary_topic.id == "arxiv:cs.LG"


def test_seed_papers_point_at_their_block_line_in_the_file(seed: LoadResult):
    refs = [paper.source_ref for paper in seed.papers]
    assert refs == [f"000_ee1a281679e517e5.txt:{line}" for line in (12, 19, 26, 33, 40, 47, 54)]
    assert {paper.source for paper in seed.papers} == {"profile"}


def test_seed_has_thirteen_distinct_author_name_keys(seed: LoadResult):
    keys = {name_key(author.name) for paper in seed.papers for author in paper.authors}
    assert len(keys) == 13
    assert name_key(OWNER) in keys


def test_owner_is_author_of_every_paper_and_inferred_on_two(seed: LoadResult):
    owner_key = name_key(OWNER)
    for paper in seed.papers:
        assert [a for a in paper.authors if name_key(a.name) == owner_key], paper.title
    inferred = {paper.title.split(":")[0]: a for paper in seed.papers for a in paper.authors if a.inferred}
    assert set(inferred) == {"SACRED", "RiskPO"}
    assert {(a.name, a.position) for a in inferred.values()} == {(OWNER, 4)}


def test_nobody_but_the_owner_is_inferred(seed: LoadResult):
    inferred_names = {a.name for paper in seed.papers for a in paper.authors if a.inferred}
    assert inferred_names == {OWNER}


def test_seed_topics_are_four_arxiv_categories_with_archive_parents(seed: LoadResult):
    topics = {topic for paper in seed.papers for topic in paper.topics}
    assert {(t.id, t.name) for t in topics} == {
        ("arxiv:cs.CL", "Computation and Language"),
        ("arxiv:cs.LG", "Machine Learning"),
        ("arxiv:stat.ME", "Methodology"),
        ("arxiv:cs.CV", "Computer Vision and Pattern Recognition"),
    }
    assert {t.kind for t in topics} == {"arxiv_category"}
    assert {t.parent for t in topics} == {
        TopicRef("arxiv:cs", "Computer Science", "arxiv_archive"),
        TopicRef("arxiv:stat", "Statistics", "arxiv_archive"),
    }


def test_owner_coauthor_pair_counts(seed: LoadResult):
    owner_key = name_key(OWNER)
    shared = Counter()
    for paper in seed.papers:
        shared.update({name_key(a.name) for a in paper.authors} - {owner_key})
    once = ["qinghao guan", "yuchen pan", "donghao li", "ruihan zhou", "zehao li", "ming hu", "yijie peng"]
    once += ["jingyang jiang", "jinyang jiang", "hui yang"]
    assert shared == Counter({"tao ren": 3, "jinhui han": 2, **dict.fromkeys(once, 1)})


def test_similar_names_stay_distinct_authors(seed: LoadResult):
    keys = {name_key(a.name) for paper in seed.papers for a in paper.authors}
    assert {"jingyang jiang", "jinyang jiang"} <= keys


def test_listed_authors_keep_order_and_one_based_positions(seed: LoadResult):
    paper = paper_titled(seed, "Half-order")
    assert [(a.name, a.position, a.inferred) for a in paper.authors] == [
        ("Tao Ren", 1, False),
        ("Zishi Zhang", 2, False),
        ("Jingyang Jiang", 3, False),
    ]


def test_et_al_marks_author_lists_truncated(seed: LoadResult):
    truncated = {paper.title.split()[0]: paper.authors_truncated for paper in seed.papers}
    assert truncated.pop("Sample-Efficient") is False
    assert set(truncated.values()) == {True}


def test_affiliation_goes_to_listed_authors_not_the_inferred_owner(seed: LoadResult):
    paper = paper_titled(seed, "RiskPO")
    assert [(a.name, a.affiliation) for a in paper.authors] == [
        ("Tao Ren", "pku"),
        ("Jinyang Jiang", "pku"),
        ("Hui Yang", "pku"),
        (OWNER, None),
    ]


def test_date_with_year_has_day_precision(seed: LoadResult):
    paper = paper_titled(seed, "Sample-Efficient")
    assert (paper.date, paper.year, paper.date_precision) == ("2024-02-03", 2024, "day")


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (date(2026, 11, 27), "2026-03-28"),
        (date(2026, 3, 27), "2025-03-28"),
        (date(2026, 3, 28), "2026-03-28"),
    ],
)
def test_date_without_year_is_latest_on_or_before_as_of(seed_page: Path, as_of: date, expected: str):
    paper = paper_titled(read_file(seed_page, as_of=as_of), "SACRED")
    assert (paper.date, paper.year, paper.date_precision) == (
        expected,
        int(expected[:4]),
        "day-year-inferred",
    )


def test_without_as_of_a_date_without_year_is_read_against_the_day_the_file_was_saved(seed_page: Path, tmp_path: Path):
    """A reload next year infers the same years as today's load: the page's own day, not the load's, is the anchor."""
    saved = tmp_path / seed_page.name
    saved.write_bytes(seed_page.read_bytes())
    for day, expected in ((date(2026, 3, 27), "2025-03-28"), (date(2026, 3, 28), "2026-03-28")):
        os.utime(saved, (time.mktime(day.timetuple()) + 43200,) * 2)  # noon that day
        assert paper_titled(read_file(saved), "SACRED").date == expected


def test_abstract_keeps_latex_and_abstract_text_is_clean(seed: LoadResult):
    paper = paper_titled(seed, "SACRED")
    assert r"\textbf{SACRED}" in paper.abstract and r"79.19\%" in paper.abstract
    assert "datasets, SACRED, in which" in paper.abstract_text
    assert "79.19% accuracy" in paper.abstract_text
    assert "\\" not in paper.abstract_text
    clustering = paper_titled(seed, "Sample-Efficient")
    assert "an \N{MATHEMATICAL SCRIPT CAPITAL O}(p) reduction" in clustering.abstract_text
    assert "(R&S) problems" in clustering.abstract_text


def test_detect_format_recognises_the_seed(seed_page: Path):
    assert detect_format(seed_page, seed_page.read_text(encoding="utf-8")) == "profile"


# --- fixtures of our own ------------------------------------------------------------------------------------


def test_malformed_block_is_reported_and_the_others_still_load():
    result = read_file(MALFORMED, as_of=AS_OF)
    (problem,) = result.problems
    assert (problem.path, problem.line, problem.excerpt) == (str(MALFORMED), 19, "LGMarch 3")
    assert "does not match" in problem.message
    assert [paper.title for paper in result.papers] == [
        "Notes on the Analytical Engine",
        "On Bernoulli Numbers",
    ]
    assert result.records_read == 3


def test_block_after_a_broken_one_keeps_its_own_fields():
    bernoulli = paper_titled(read_file(MALFORMED, as_of=AS_OF), "On Bernoulli")
    assert bernoulli.source_ref == "profile_malformed.txt:26"
    assert bernoulli.topics[0].id == "arxiv:stat.ME"
    assert [(a.name, a.affiliation, a.inferred) for a in bernoulli.authors] == [
        ("Charles Babbage", "cambridge", False),
        ("Ada Lovelace", None, True),
    ]
    assert bernoulli.abstract_text == "We compute Bernoulli numbers in \N{MATHEMATICAL SCRIPT CAPITAL O}(n^2) steps."


def test_strict_refuses_the_file_at_the_first_problem():
    with pytest.raises(InputError) as caught:
        read_file(MALFORMED, as_of=AS_OF, strict=True)
    assert (caught.value.path, caught.value.line) == (str(MALFORMED), 19)
    assert str(caught.value).startswith(f"{MALFORMED}:19: paper block header does not match")


def test_header_short_code_co_resolves_to_stat_before_math():
    (owner,) = read_file(MALFORMED, as_of=AS_OF).profiles
    assert owner.primary_topic is not None and owner.primary_topic.id == "arxiv:stat.CO"
    assert owner.metrics == {"h_index": 2, "papers": 3, "citations": 10, "novelty": 0.5, "ai_score": 40}


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (date(2026, 11, 27), "2024-02-29"),
        (date(2024, 2, 28), "2020-02-29"),
        (date(2024, 2, 29), "2024-02-29"),
    ],
)
def test_feb_29_without_year_resolves_to_the_latest_leap_year(as_of: date, expected: str):
    (paper,) = read_file(LEAP_DAY, as_of=as_of).papers
    assert (paper.date, paper.date_precision) == (expected, "day-year-inferred")


def test_owner_listed_under_another_spelling_is_not_inferred_again():
    (paper,) = read_file(LEAP_DAY, as_of=AS_OF).papers
    assert [(a.name, a.inferred) for a in paper.authors] == [("GRACE HOPPER", False), ("Howard Aiken", False)]
    assert paper.authors_truncated is False


def test_reload_from_another_directory_gives_identical_papers(monkeypatch: pytest.MonkeyPatch):
    absolute = read_file(MALFORMED, as_of=AS_OF)
    monkeypatch.chdir(FIXTURES)
    relative = read_file(MALFORMED.name, as_of=AS_OF)
    assert relative.papers == absolute.papers
    assert relative.profiles == absolute.profiles


def test_detect_format_rejects_an_unrelated_text_file(tmp_path: Path):
    notes = tmp_path / "notes.txt"
    notes.write_text("Shopping list\n\nmilk\neggs\n", encoding="utf-8")
    with pytest.raises(InputError, match="not a recognised input format") as caught:
        detect_format(notes, notes.read_text(encoding="utf-8"))
    assert caught.value.path == str(notes)
    with pytest.raises(InputError, match=r"notes\.txt"):
        read_file(notes)


def test_missing_file_is_an_input_error_naming_it(tmp_path: Path):
    missing = tmp_path / "absent.txt"
    with pytest.raises(InputError, match="no such file") as caught:
        read_file(missing)
    assert caught.value.path == str(missing)


def test_undecodable_bytes_are_an_input_error_with_the_byte_offset(tmp_path: Path):
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Jos\u00e9 Garc\u00eda\n".encode("latin-1"))
    with pytest.raises(InputError, match=r"byte 0xe9 at byte offset 3") as caught:
        read_file(latin1)
    assert caught.value.path == str(latin1)


def test_unknown_format_name_is_an_input_error():
    with pytest.raises(InputError, match="unknown format 'nosuchformat'"):
        read_file(MALFORMED, format="nosuchformat")


# --- inline pages: one failure each -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("block", "line", "reason"),
    [
        ("LGMarch 3\nA Title\n\nAda Lovelace\n\nText.", 8, "does not match"),
        ("ZZMar 3, 2024\nA Title\n\nAda Lovelace\n\nText.", 8, "unknown category code 'ZZ'"),
        ("LGFeb 30\nA Title\n\nAda Lovelace\n\nText.", 8, "invalid date"),
        ("LGFeb 29, 2023\nA Title\n\nAda Lovelace\n\nText.", 8, "invalid date"),
        ("LGMar 3, 2024\n\nAda Lovelace\n\nText.", 8, "no title line"),
        (
            "LGMar 3, 2024\nA Title\n\nThis abstract, standing where the author line should be, is prose.",
            11,
            "author",
        ),
        ("LGMar 3, 2024\nA Title\n\n}, ,\n\nText.", 11, "author"),  # no name at all: not an author line
    ],
)
def test_malformed_block_becomes_a_problem_with_line_and_reason(block: str, line: int, reason: str):
    result = parse_inline(block, GOOD_BLOCK)
    (problem,) = result.problems
    assert (problem.path, problem.line) == ("inline.txt", line)
    assert reason in problem.message
    assert [paper.title for paper in result.papers] == ["A Good Paper"]
    assert result.records_read == 2


@pytest.mark.parametrize("nameless", ["", "}", "\u200d"])
def test_a_listed_name_without_a_letter_or_digit_is_left_out_with_a_note(nameless: str):
    result = parse_inline(f"LGMar 3, 2024\nA Title\n\nAda Lovelace, {nameless}, Charles Babbage\n\nText.")
    ((paper,), ()) = (result.papers, result.problems)
    listed = [(author.name, author.position) for author in paper.authors if not author.inferred]
    assert listed == [("Ada Lovelace", 1), ("Charles Babbage", 3)]  # the source's positions, a gap at 2
    assert [(note.line, note.message) for note in result.notes] == [
        (11, f"author 2 {nameless!r} left out: its name has no letter or digit")
    ]


def test_block_without_abstract_still_loads():
    result = parse_inline("LGMar 3, 2024\nNo Abstract Here\n\nAda Lovelace")
    (paper,) = result.papers
    assert (paper.abstract, paper.abstract_text) == (None, None)


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("Ada Lovelace\n\nLG\nh-index1\n\nLGMar 3, 2024\nA Title\n", None, "no '<N> Papers' line"),
        ("Ada Lovelace\n\nXQ\nh-index1\n\n1 Papers\n", 3, "unknown category code 'XQ'"),
        ("Ada Lovelace\n\nLG\nh-index1\nfollowers12\n\n1 Papers\n", 5, "unrecognised profile header line"),
        ("\n\n1 Papers\n", 1, "needs the owner's name"),
    ],
)
def test_garbled_header_is_an_input_error(text: str, line: int | None, reason: str):
    with pytest.raises(InputError, match=reason) as caught:
        profile.parse(text, "page.txt", as_of=AS_OF)
    assert (caught.value.path, caught.value.line) == ("page.txt", line)


def test_windows_line_endings_keep_line_numbers():
    text = (INLINE_HEADER + "LGMarch 3\nA Title\n\nAda Lovelace\n\nText.\n\n" + GOOD_BLOCK).replace("\n", "\r\n")
    result = profile.parse(text, "crlf.txt", as_of=AS_OF)
    assert [problem.line for problem in result.problems] == [8]
    assert [paper.source_ref for paper in result.papers] == ["crlf.txt:15"]


@pytest.mark.parametrize(
    ("month", "day", "as_of", "expected"),
    [
        (3, 28, date(2026, 3, 28), date(2026, 3, 28)),
        (12, 31, date(2026, 1, 1), date(2025, 12, 31)),
        (2, 29, date(2104, 3, 1), date(2104, 2, 29)),
        (2, 29, date(2104, 2, 28), date(2096, 2, 29)),  # 2100 is not a leap year
    ],
)
def test_latest_date_on_or_before(month: int, day: int, as_of: date, expected: date):
    assert profile.latest_date_on_or_before(month, day, as_of) == expected


def test_latest_date_on_or_before_rejects_a_day_no_year_has():
    with pytest.raises(ValueError):
        profile.latest_date_on_or_before(4, 31, AS_OF)


def test_gzip_input_is_read_and_damaged_gzip_is_refused(tmp_path: Path, seed_page: Path):
    import gzip

    packed = tmp_path / "seed.txt.gz"
    packed.write_bytes(gzip.compress(seed_page.read_bytes()))
    assert len(read_file(packed, as_of=date(2026, 11, 27)).papers) == 7
    packed.write_bytes(gzip.compress(seed_page.read_bytes())[:200])
    with pytest.raises(InputError, match="damaged gzip data"):
        read_file(packed)


def test_binary_garbage_is_refused(tmp_path: Path):
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"\x00\x01\x02PK\x03\x04" * 20)
    with pytest.raises(InputError, match="binary data"):
        read_file(junk)
