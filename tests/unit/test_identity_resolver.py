"""The identity resolver without a database: name parsing, name matching, strong ids, evidence and its rules."""

from __future__ import annotations

import doctest
import importlib.util
import sys
from collections import Counter
from pathlib import Path

import pytest

import graph.evidence
import graph.names
from graph.evidence import (
    Evidence,
    Identity,
    Mention,
    affiliation_keys,
    mentions_of,
    score_evidence,
    strong_ids,
    venue_key,
)
from graph.identity import (
    EXACT_THRESHOLD,
    OPEN_VARIANT_THRESHOLD,
    VARIANT_THRESHOLD,
    Resolver,
    decides,
    pair_evidence,
)
from graph.model import KEYWORD, AuthorRef, Paper, TopicRef
from graph.names import name_match, parse_person
from graph.paper_rows import HYPERAUTHORED


@pytest.mark.parametrize(
    ("written", "given", "surname"),
    [
        ("Zishi Zhang", ("zishi",), "zhang"),
        ("Zhang, Zishi", ("zishi",), "zhang"),
        ("Zhang, ZS", ("z", "s"), "zhang"),
        ("Z. S. Zhang", ("z", "s"), "zhang"),
        ("J.-P. Martín", ("j", "p"), "martin"),
        ("Jean-Pierre Martin", ("jean", "pierre"), "martin"),
        ("Liang-Jie Zhang", ("liang", "jie"), "zhang"),
        ("Zhang, L.-J.", ("l", "j"), "zhang"),
        ("Wil M. P. van der Aalst", ("wil", "m", "p"), "aalst"),
        ("van der Aalst, Wil M.P.", ("wil", "m", "p"), "aalst"),
        ("Ludwig van Beethoven", ("ludwig",), "beethoven"),
        ("Smith, John, Jr.", ("john",), "smith"),
        ("Łukasz Żółw", ("lukasz",), "zolw"),
        ("Beethoven, Ludwig van", ("ludwig",), "beethoven"),
        ("Bin Li", ("bin",), "li"),  # a first given name is never a particle
        ("Gong, Bin", ("bin",), "gong"),
        ("Le Song", ("le",), "song"),
        ("Mansoor Bin Abdul Jalil", ("mansoor", "bin", "abdul"), "jalil"),  # nor one inside the given names
    ],
)
def test_parse_person_reads_every_name_order(written: str, given: tuple[str, ...], surname: str):
    person = parse_person(written)
    assert (person.given, person.surname) == (given, surname)


def test_last_first_and_first_last_share_key_and_block():
    assert parse_person("Zhang, Zishi").key == parse_person("Zishi Zhang").key == "zishi zhang"
    assert parse_person("Z. Zhang").block == parse_person("Zishi Zhang").block == "zhang z"


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("Zishi Zhang", "Zhang, Zishi", "exact"),
        ("José García", "Jose GARCIA", "exact"),
        ("Z. Zhang", "Zishi Zhang", "variant"),
        ("J.-P. Martin", "Jean-Pierre Martin", "variant"),
        ("John Smith", "John A. Smith", "variant"),
        ("Patrick C. K. Hung", "Hung, Patrick C.K.", "exact"),
        ("M. Brian Blake", "M. Brian Blake", "exact"),
        ("Ana", "Ana", "exact"),  # a mononym is a full name
        ("W. K. Chan", "W. K. Chan", "variant"),
        ("Li-zhen Cui", "Lizhen Cui", "exact"),
        ("Jean Pierre Martin", "Jean-Pierre Martin", "exact"),
        ("Liang Zhang", "Liang-Jie Zhang", None),
        ("Jean Martin", "Jean-Pierre Martin", None),
        ("X. Wang", "Xiao-Ping Wang", "variant"),
        ("X. P. Wang", "Xiao-Ping Wang", "variant"),
        ("X. R. Wang", "Xiao-Ping Wang", None),
        ("Jean P. Martin", "Jean-Pierre Martin", "variant"),
        ("Jingyang Jiang", "Jinyang Jiang", None),
        ("Jean Martin", "Pierre Martin", None),
        ("Zishi Zhang", "Zishi Zhao", None),
        ("Bin Li", "Le Li", None),
        ("Mansoor B. A. Jalil", "Mansoor Bin Abdul Jalil", "variant"),
    ],
)
def test_name_match(a: str, b: str, expected: str | None):
    assert name_match(parse_person(a), parse_person(b)) == expected
    assert name_match(parse_person(b), parse_person(a)) == expected


def test_strong_ids_take_dblp_names_only_with_a_homonym_suffix():
    assert strong_ids({"dblp": "Bing Li 0010", "s2": "42", "scopus": "7"}) == {"dblp:Bing Li 0010", "s2:42"}
    assert strong_ids({"dblp": "Bing Li"}) == frozenset()


def mention(name: str, paper: str, position: int = 1, **context) -> Mention:
    fields = {key: frozenset(value) for key, value in context.items() if key != "venue"}
    return Mention(name, paper, position, venue=context.get("venue"), **fields)


def test_same_strong_id_joins_whatever_the_spelling():
    resolver = Resolver()
    first = resolver.resolve(mention("Zishi Zhang", "p1", ids={"orcid:1"}))
    second = resolver.resolve(mention("Z. Zhang", "p2", ids={"orcid:1"}))
    assert second.identity is first.identity
    assert (second.evidence.rule, second.evidence.ids) == ("orcid", ("orcid:1",))
    assert first.identity.names == {"Zishi Zhang", "Z. Zhang"}


def test_ids_meeting_in_one_mention_merge_their_identities():
    resolver = Resolver()
    by_orcid = resolver.resolve(mention("Ada Lovelace", "p1", ids={"orcid:1"})).identity
    by_s2 = resolver.resolve(mention("A. Lovelace", "p2", ids={"s2:9"})).identity
    both = resolver.resolve(mention("Ada Lovelace", "p3", ids={"orcid:1", "s2:9"}))
    assert [other.id for other, _ in both.merged] == [by_s2.id]
    assert both.identity is by_orcid and by_orcid.ids == {"orcid:1", "s2:9"}
    assert list(resolver.identities) == [by_orcid.id]
    assert both.ids == frozenset()  # each id was already held, by it or by the identity it merged


def test_a_resolution_adds_only_the_strong_ids_its_identity_lacked():
    resolver = Resolver()
    first = resolver.resolve(mention("Ada Lovelace", "p1", ids={"orcid:1"}))
    again = resolver.resolve(mention("Ada Lovelace", "p2", ids={"orcid:1"}))
    more = resolver.resolve(mention("A. Lovelace", "p3", ids={"orcid:1", "openalex:A7"}))
    assert (first.ids, again.ids, more.ids) == ({"orcid:1"}, frozenset(), {"openalex:A7"})
    assert more.identity is first.identity and first.identity.ids == {"orcid:1", "openalex:A7"}


@pytest.mark.parametrize("name", ["Wei Zhang", "Xiaoming Wang"])  # short; long but with one of the commonest surnames
def test_a_common_name_alone_never_merges(name: str):
    resolver = Resolver()
    first = resolver.resolve(mention(name, "p1", coauthors={"smith j"}))
    second = resolver.resolve(mention(name, "p2", coauthors={"doe j"}))
    key = name.lower()
    assert second.created and second.identity is not first.identity
    assert (first.identity.id, second.identity.id) == (f"name:{key}", f"name:{key}~2")


def test_same_name_with_a_shared_coauthor_merges_and_says_why():
    resolver = Resolver()
    first = resolver.resolve(mention("Wei Zhang", "p1", coauthors={"ren t", "doe j"}))
    second = resolver.resolve(mention("Zhang, Wei", "p2", coauthors={"ren t"}))
    assert second.identity is first.identity
    assert (second.evidence.rule, second.evidence.name, second.evidence.coauthors) == ("evidence", "exact", ("ren t",))
    assert second.evidence.score == pytest.approx(0.7)
    assert second.evidence.describe() == "evidence 0.70 (exact name): coauthors ren t"


def test_initials_need_more_evidence_than_a_full_name():
    resolver = Resolver()
    resolver.resolve(mention("Zhen Zhang", "p0"))  # a second Z. Zhang in the data: the block is contested
    full = resolver.resolve(mention("Zishi Zhang", "p1", venue="venue:nips", coauthors={"ren t", "han j"}))
    weak = resolver.resolve(mention("Z. Zhang", "p2", venue="venue:nips"))
    assert weak.created  # a shared venue (0.35) is not enough for initials
    strong = resolver.resolve(mention("Z. Zhang", "p3", coauthors={"ren t", "han j"}))
    assert strong.identity is full.identity and strong.evidence.name == "variant"


TOPIC = {"openalex:T10091"}


@pytest.mark.parametrize(
    ("context", "joins_full_name", "joins_initials"),
    [
        ({"venue": "venue:icws"}, True, False),  # initials: every W. Zhang of a services-computing corpus is at ICWS
        ({"topics": TOPIC}, True, True),
        ({"venue": "venue:icws", "topics": TOPIC}, True, True),
        ({"venue": "venue:icws", "institutions": {"institution:pku"}}, True, True),
    ],
)
def test_a_venue_alone_never_joins_initials(context: dict, joins_full_name: bool, joins_initials: bool):
    for written, joins in (("Wei Zhang", joins_full_name), ("W. Zhang", joins_initials)):  # initials: an open block
        resolver = Resolver()
        first = resolver.resolve(mention("Wei Zhang", "p1", coauthors={"smith a"}, **context)).identity
        second = resolver.resolve(mention(written, "p2", coauthors={"jones b"}, **context))
        assert (second.identity is first) is joins, written


@pytest.mark.parametrize(
    ("names", "topics", "joins"),
    [
        (("Wei Zhang", "Wei Zhang"), Counter(), True),
        (("Wei Zhang", "W. Zhang"), Counter(), False),
        (("Wei Zhang", "W. Zhang"), Counter(TOPIC), True),
    ],
)
def test_consolidation_joins_variants_on_more_than_a_shared_venue(names: tuple, topics: Counter, joins: bool):
    pair = [
        Identity(f"w{n}", names={name}, venues={"venue:icws"}, topics=Counter(topics)) for n, name in enumerate(names)
    ]
    assert (pair_evidence(*pair, variant_threshold=0.3) is not None) is joins


@pytest.mark.parametrize(
    ("shared", "threshold", "expected"),
    [
        ({"venues": ("venue:icws",)}, EXACT_THRESHOLD, True),  # the same full name in the same venue
        ({"venues": ("venue:icws",)}, OPEN_VARIANT_THRESHOLD, False),  # initials: every namesake shares the venue
        ({"topics": ("openalex:T1",)}, OPEN_VARIANT_THRESHOLD, True),
        ({"venues": ("venue:icws",), "topics": ("openalex:T1",)}, OPEN_VARIANT_THRESHOLD, True),
        ({"venues": ("venue:icws",), "coauthors": ("ren t",)}, OPEN_VARIANT_THRESHOLD, True),
        ({"venues": ("venue:icws",), "near": ("ren t",)}, OPEN_VARIANT_THRESHOLD, True),
        ({"venues": ("venue:icws",), "institutions": ("institution:pku",)}, OPEN_VARIANT_THRESHOLD, True),
        ({"near": ("ren t",)}, VARIANT_THRESHOLD, False),  # more than a venue, but below the threshold
        ({"venues": ("venue:icws",)}, 0.5, False),
    ],
)
def test_evidence_decides_above_its_threshold_and_variants_with_more_than_a_venue(
    shared: dict, threshold: float, expected: bool
):
    evidence = Evidence("evidence", 0.35, **shared)
    assert decides(evidence, threshold, exact=threshold == EXACT_THRESHOLD) is expected


def homonyms(resolver: Resolver, *extra: str) -> list[Identity]:
    """Two DBLP homonyms of Bing Li who both wrote with Ann Oak in J. X (0010 also with ``extra`` coauthors)."""
    return [
        resolver.resolve(
            mention("Bing Li", paper, ids={f"dblp:Bing Li {n}"}, coauthors={"oak a", *more}, venue="venue:j x")
        ).identity
        for paper, n, more in (("p1", "0010", set(extra)), ("p2", "0001", set()))
    ]


def test_a_mention_two_identities_fit_equally_well_is_ambiguous_and_says_so():
    resolver = Resolver()
    homonyms(resolver)
    plain = resolver.resolve(mention("Bing Li", "p3", coauthors={"oak a"}, venue="venue:j x"))
    assert plain.created and plain.identity.id == "name:bing li"
    assert (plain.evidence.rule, plain.evidence.tied) == ("ambiguous", ("dblp:Bing Li 0001", "dblp:Bing Li 0010"))
    assert plain.evidence.describe() == "ambiguous 0.81 (exact name): tied between dblp:Bing Li 0001, dblp:Bing Li 0010"


def test_a_tie_between_identities_that_may_be_one_person_joins_the_first():
    # Two Ann Lees kept apart only for want of evidence: a mention fitting both is no reason for a third (a rule that
    # made every tie ambiguous split "Patrick C. K. Hung" of dblp_soc_papers four ways, one per such mention).
    resolver = Resolver()
    first = resolver.resolve(mention("Ann Lee", "p1", coauthors={"kim s"})).identity
    resolver.resolve(mention("Ann Lee", "p2", coauthors={"park j"}))
    both = resolver.resolve(mention("Ann Lee", "p3", coauthors={"kim s", "park j"}))
    assert both.identity is first and both.evidence.coauthors == ("kim s",)


def test_the_stronger_of_two_identities_still_wins():
    resolver = Resolver()
    li_0010, _ = homonyms(resolver, "pine c")
    plain = resolver.resolve(mention("Bing Li", "p3", coauthors={"oak a", "pine c"}, venue="venue:j x"))
    assert plain.identity is li_0010 and plain.evidence.coauthors == ("oak a", "pine c")


def paper_of(resolver: Resolver, paper: str, *authors: str | tuple[str, str]) -> list:
    """Resolve one paper's authors in order, each with the others' blocks as coauthors; an author given as
    (name, strong id) carries that id."""
    named = [author if isinstance(author, tuple) else (author, None) for author in authors]
    blocks = [parse_person(name).block for name, _ in named]
    return [
        resolver.resolve(
            mention(name, paper, position, coauthors=set(blocks) - {blocks[position - 1]}, ids={strong} - {None})
        )
        for position, (name, strong) in enumerate(named, start=1)
    ]


def test_coauthors_of_coauthors_come_from_earlier_papers_not_from_the_mention_itself():
    # Almgren and Doe meet on the physics paper itself: that link proves nothing about its W. Zhang (AMReX's W. Zhang
    # was once merged into an economist's ORCID by its own paper's links: "coauthors of coauthors almgren a, ...").
    resolver = Resolver()
    [economist, _doe] = paper_of(resolver, "p0", ("Wei Zhang", "orcid:1"), ("John Doe", "orcid:9"))
    *_others, physicist = paper_of(resolver, "p1", "Ann Almgren", ("John Doe", "orcid:9"), "W. Zhang")
    assert physicist.identity is economist.identity  # by the shared coauthor Doe
    assert (physicist.evidence.coauthors, physicist.evidence.near) == (("doe j",), ())
    # From an earlier paper they count: Almgren wrote with the economist's coauthor Doe.
    resolver = Resolver()
    [economist, _doe] = paper_of(resolver, "p0", ("Wei Zhang", "orcid:1"), ("John Doe", "orcid:9"))
    paper_of(resolver, "p1", "Ann Almgren", ("John Doe", "orcid:9"))
    *_others, joined = paper_of(resolver, "p2", "Ann Almgren", "Vince Beckner", "W. Zhang")
    assert joined.identity is economist.identity and joined.evidence.near == ("almgren a",)


@pytest.mark.parametrize(("bell", "joins"), [("orcid:b1", True), ("orcid:b2", False)])
def test_coauthors_of_coauthors_are_people_not_name_blocks(bell: str, joins: bool):
    # Marcus Day wrote with John Bell (b1); Almgren with a J. Bell. M. Day writing with Almgren is two hops from Marcus
    # Day only when that J. Bell is the same John Bell: in the graph two Bells are two Authors (a batch once joined
    # "M. S. Day" to "Marcus Day" through block "bell j", and a batch of one paper did not).
    resolver = Resolver()
    [day, _bell] = paper_of(resolver, "p0", "Marcus Day", ("John Bell", "orcid:b1"))
    paper_of(resolver, "p1", "Ann Almgren", ("J. Bell", bell))
    [initials, _almgren] = paper_of(resolver, "p2", "M. Day", "Ann Almgren")
    assert (initials.identity is day.identity) is joins
    assert initials.evidence.near == (("almgren a",) if joins else ())


@pytest.mark.parametrize(("authors", "ties"), [(HYPERAUTHORED, True), (HYPERAUTHORED + 1, False)])
def test_a_hyperauthored_paper_makes_no_coauthors_as_in_the_graph(authors: int, ties: bool):
    # The graph ties no authors of a paper of more than HYPERAUTHORED authors; in a batch they are not partners
    # or coauthors either, so a later mention finds the same evidence whatever the batch size.
    names = [f"Author{index:03d} Physicist" for index in range(authors)]
    paper = Paper(
        title="T", authors=tuple(AuthorRef(name, i + 1) for i, name in enumerate(names)), source="t", source_ref="t:1"
    )
    resolver = Resolver()
    first, second = (resolver.resolve(m).identity for m in mentions_of(paper, "p1")[:2])
    resolver.resolve(mention("Ann Almgren", "p2"))  # the next paper: the first one's links are made
    assert (bool(first.coauthors), first.partners == {second.id}) == (ties, ties)


@pytest.mark.parametrize(
    ("written", "distinctive"),
    [
        ("Carl Boettiger", True),
        ("Kuntal Roy", True),  # 9 letters
        ("Wei Zhang", False),  # 8
        ("Yu Cao", False),
        ("C. Boettiger", False),  # one initial
        ("D. J. Barrett", True),  # two initials and 9 letters, initials counting one each
        ("R. E. Camley", False),
        ("Xiaoming Wang", False),  # long, but one of the commonest surnames
        ("Michael Smith", False),
        ("Wang, Xiaoming", False),
    ],
)
def test_distinctive_names_are_long_and_not_one_initial(written: str, distinctive: bool):
    assert parse_person(written).distinctive is distinctive


def test_a_distinctive_full_name_is_itself_evidence_and_says_so():
    resolver = Resolver()
    first = resolver.resolve(mention("Carl Boettiger", "p1", coauthors={"ross n"}))
    second = resolver.resolve(mention("Boettiger, Carl", "p2", coauthors={"hastings a"}))
    assert second.identity is first.identity
    assert (second.evidence.name, second.evidence.names, second.evidence.score) == ("exact", ("carl boettiger",), 0.3)
    assert second.evidence.describe() == "evidence 0.30 (exact name): distinctive name carl boettiger"


def test_initials_never_join_a_full_name_by_the_name_alone():
    resolver = Resolver()
    full = resolver.resolve(mention("David J. Barrett", "p1", coauthors={"ross n"})).identity
    initials = resolver.resolve(mention("D. J. Barrett", "p2", coauthors={"hill m"}))
    assert initials.created and initials.identity is not full
    assert pair_evidence(full, initials.identity) is None


def test_the_same_distinctive_initials_join_only_in_an_open_block():
    resolver = Resolver()
    first = resolver.resolve(mention("D.J. Barrett", "p1", coauthors={"hill m"})).identity
    assert resolver.resolve(mention("D. J. Barrett", "p2", coauthors={"mann s"})).identity is first
    contested = Resolver()
    contested.resolve(mention("Dan Barrett", "p0"))
    contested.resolve(mention("Diane Barrett", "p0", 2))  # two people who could be written D. Barrett
    first = contested.resolve(mention("D.J. Barrett", "p1", coauthors={"hill m"})).identity
    assert contested.resolve(mention("D. J. Barrett", "p2", coauthors={"mann s"})).identity is not first
    assert (
        contested.resolve(mention("R. E. Camley", "p3")).identity
        is not contested.resolve(mention("R. E. Camley", "p4")).identity
    )  # too short to be distinctive, open block or not


@pytest.mark.parametrize(("namesake", "joins"), [(None, True), ("Lara Emerton", False)])
def test_initials_in_an_open_block_need_less_evidence(namesake: str | None, joins: bool):
    # L. Emerton writes with Almgren, who wrote with Lucy Emerton's coauthor Doe: two hops, 0.3, the open threshold.
    resolver = Resolver()
    if namesake:
        resolver.resolve(mention(namesake, "p0"))  # a second L. Emerton in the data: the block is contested
    [full, _doe] = paper_of(resolver, "p1", "Lucy Emerton", ("John Doe", "orcid:9"))
    paper_of(resolver, "p2", "Ann Almgren", ("John Doe", "orcid:9"))
    [initials, _almgren] = paper_of(resolver, "p3", "L. Emerton", "Ann Almgren")
    assert (initials.identity is full.identity) is joins
    if joins:
        assert (initials.evidence.name, initials.evidence.score) == ("variant", OPEN_VARIANT_THRESHOLD)


def test_consolidate_joins_a_distinctive_name_but_not_a_common_one():
    carl = [Identity(f"c{n}", names={"Carl Boettiger"}, coauthors={f"x{n} a": 1}) for n in (1, 2)]
    wei = [Identity(f"w{n}", names={"Wei Zhang"}, coauthors={f"x{n} a": 1}) for n in (1, 2)]
    evidence = pair_evidence(*carl)
    assert evidence is not None and evidence.names == ("carl boettiger",)
    assert pair_evidence(*wei) is None


def test_different_orcids_stay_apart_despite_evidence():
    resolver = Resolver()
    first = resolver.resolve(mention("Li Wei", "p1", ids={"orcid:1"}, coauthors={"ren t"}))
    second = resolver.resolve(mention("Li Wei", "p2", ids={"orcid:2"}, coauthors={"ren t"}))
    assert second.identity is not first.identity


def test_two_namesakes_on_one_paper_are_two_people():
    resolver = Resolver()
    first = resolver.resolve(mention("Wei Wang", "p1", 1, coauthors={"wang w"}))
    second = resolver.resolve(mention("Wei Wang", "p1", 2, coauthors={"wang w"}))
    assert second.identity is not first.identity


def test_the_same_authorship_seen_again_joins_its_author():
    resolver = Resolver()
    first = resolver.resolve(mention("Zishi Zhang", "p1", 2))
    again = resolver.resolve(mention("Z. Zhang", "p1", 2))
    assert again.identity is first.identity and again.evidence.rule == "same_authorship"


def test_consolidate_joins_identities_whose_pooled_contexts_meet_but_not_split_ones():
    resolver = Resolver()
    a = resolver.resolve(mention("Ann Lee", "p1", coauthors={"kim s"})).identity
    b = resolver.resolve(mention("Ann Lee", "p2", coauthors={"park j"})).identity
    resolver.resolve(mention("Ann Lee", "p3", coauthors={"kim s", "park j"}))
    assert len(resolver.identities) == 2  # p3 joined one of them; the other is still apart
    [(kept, absorbed, evidence)] = resolver.consolidate()
    assert {kept.id, absorbed.id} == {a.id, b.id} and evidence.coauthors
    apart = Identity("x", names={"Ann Lee"}, coauthors={"kim s": 1}, distinct_from={"y"})
    assert pair_evidence(apart, Identity("y", names={"Ann Lee"}, coauthors={"kim s": 1})) is None


def test_mentions_of_a_paper_carry_coauthors_topic_ancestors_and_the_profile_owner():
    field = TopicRef("arxiv:cs", "Computer Science", "arxiv_archive")
    paper = Paper(
        title="T",
        authors=(AuthorRef("Tao Ren", 1, affiliation="PKU; MIT"), AuthorRef("Zishi Zhang", 2, inferred=True)),
        source="profile",
        source_ref="page.txt:3",
        venue="NeurIPS",
        topics=(TopicRef("arxiv:cs.LG", "Machine Learning", "arxiv_category", field),),
    )
    ren, owner = mentions_of(paper, "p1", {"zishi zhang": "profile:page.txt:1"})
    assert (ren.paper, ren.coauthors, ren.topics) == ("p1", {"zhang z"}, {"arxiv:cs.LG", "arxiv:cs"})
    assert ren.institutions == {"institution:pku", "institution:mit"} and ren.venue == "venue:neurips"
    assert owner.ids == {"profile:page.txt:1"} and owner.inferred and not ren.ids


def test_a_split_authorship_stays_split_even_when_its_id_points_elsewhere():
    holder = Identity("orcid:1", names={"Ada Lovelace"}, ids={"orcid:1"}, papers={"p1": 1})
    split_off = Identity("name:ada lovelace~2", names={"Ada Lovelace"}, papers={"p2": 1}, distinct_from={"orcid:1"})
    resolver = Resolver([holder, split_off])
    again = resolver.resolve(mention("Ada Lovelace", "p2", 1, ids={"orcid:1"}))
    assert again.identity is split_off and again.ids == frozenset() and not again.merged
    assert set(resolver.identities) == {"orcid:1", "name:ada lovelace~2"}


def load_bench():
    path = Path(__file__).resolve().parents[2] / "bench" / "bench_identity.py"
    spec = importlib.util.spec_from_file_location("bench_identity", path)
    module = sys.modules.setdefault(spec.name, importlib.util.module_from_spec(spec))
    spec.loader.exec_module(module)
    return module


def test_pairwise_scores_count_pairs():
    bench = load_bench()
    # predicted {a,b,c} {d}; truth {a,b} {c,d}: 3 predicted pairs, 2 true pairs, 1 shared
    scores = bench.pairwise_scores(["x", "x", "x", "y"], ["1", "1", "2", "2"])
    assert (scores.precision, scores.recall, scores.f1) == (0.3333, 0.5, 0.4)


def test_resolver_beats_both_baselines_on_a_real_scopus_export(shared_dir: Path):
    result = load_bench().evaluate(str(shared_dir / "data" / "csv_exports" / "scopus_bibx_581.csv.gz"), "scopus")
    assert result["mentions"] > 2000 and result["true_pairs"] > 1000  # the comparison is not vacuous
    assert result["ours"].f1 > result["surname_initial"].f1 > result["exact_name"].f1
    assert result["ours"].precision > result["surname_initial"].precision
    assert result["ours"].f1 >= 0.95


def test_resolver_beats_both_baselines_on_openalex_list_names_as_printed(shared_dir: Path):
    path = shared_dir / "data" / "openalex" / "works_list_200_biodiversity_finance.json.gz"
    result = load_bench().evaluate(str(path), "openalex_printed")
    assert result["mentions"] > 500 and result["true_pairs"] > 50
    assert result["ours"].f1 >= 0.95 and result["ours"].f1 > result["surname_initial"].f1 > result["exact_name"].f1


def test_resolver_beats_both_baselines_on_crossref_orcids(shared_dir: Path):
    result = load_bench().evaluate(str(shared_dir / "data" / "crossref" / "works_union_1501.jsonl.gz"), "orcid")
    assert result["mentions"] > 800 and result["true_pairs"] > 70
    assert result["ours"].f1 >= 0.95 and result["ours"].f1 > result["exact_name"].f1 > result["surname_initial"].f1
    # Exact names merge two Rong Chens and two Yi Yangs the ORCIDs keep apart; these short names need evidence.
    assert result["ours"].precision > result["exact_name"].precision


def test_costliest_errors_name_the_people_merged_and_split():
    bench = load_bench()
    mentions = [mention(name, f"p{n}") for n, name in enumerate(["Wei Zhang", "Wei Zhang", "W. Zhang", "Ann Lee"])]
    errors = bench.costliest_errors(mentions, ["x", "x", "y", "z"], ["1", "2", "2", "3"])
    assert errors["false"] == [(1, {"1": ["Wei Zhang"], "2": ["Wei Zhang"]})]
    assert errors["missed"] == [(1, {"x": ["Wei Zhang"], "y": ["W. Zhang"]})]


def test_resolver_beats_both_baselines_on_openalex_names_as_printed(shared_dir: Path):
    bench = load_bench()
    path = str(shared_dir / "data" / "openalex" / "works_union_602.jsonl.gz")
    canonical, _ = bench.load_mentions(path, "openalex")
    printed, truth = bench.load_mentions(path, "openalex_printed")
    renamed = sum(a.name != b.name for a, b in zip(canonical, printed, strict=True))
    assert len(printed) == len(truth) > 2000 and renamed > 100  # names as the papers printed them, same mentions
    result = bench.evaluate(path, "openalex_printed")
    assert result["ours"].f1 > result["surname_initial"].f1 > result["exact_name"].f1


def test_an_authorship_stays_with_an_author_a_user_merged_under_another_name():
    merged = Identity("a", names={"Jingyang Jiang", "Jinyang Jiang"}, papers={"p1": 2, "p2": 3})
    resolver = Resolver([merged])
    assert resolver.resolve(mention("Jinyang Jiang", "p2", 3)).identity is merged


BERKELEY = (
    "Department of Environmental Science, Policy, and Management University of California Berkeley California USA"
)


@pytest.mark.parametrize(
    ("other", "shared"),
    [
        ("Dept. of Environmental Science, Policy and Management, University of California, Berkeley, CA 94720", True),
        ("Department of Physics, University of Oxford", False),
        ("Department of Computer Science", False),  # too few distinctive words to say anything
        ("Environmental Science and Policy, University of California, Davis", False),
    ],
)
def test_an_affiliation_written_otherwise_is_still_shared(other: str, shared: bool):
    identity = Identity("name:carl boettiger", names={"Carl Boettiger"})
    identity.institutions |= affiliation_keys(BERKELEY)
    probe = mention("Carl Boettiger", "p9", institutions=affiliation_keys(other))
    assert affiliation_keys(other).isdisjoint(identity.institutions)  # no key in common: the words decide
    evidence = score_evidence(probe, identity)
    assert bool(evidence.institutions) is shared
    assert evidence.score == (pytest.approx(0.6) if shared else 0.0)


def test_venue_keys_drop_publishers_part_numbers_and_years():
    assert venue_key("IEEE SCC (1)") == venue_key("SCC") == venue_key("venue:ieee scc 2") == "venue:scc"
    assert venue_key("ICWS 2008") == "venue:icws" and venue_key("2008") == "venue:2008"
    assert venue_key("IEEE Trans. Services Computing") == "venue:trans services computing"
    assert venue_key("...") is None


def test_two_departments_of_one_university_share_the_organisation():
    physics = affiliation_keys("School of Physics, Wuhan University, Wuhan, 430072, China")
    chemistry = affiliation_keys("College of Chemistry, Wuhan University, Wuhan, China")
    assert physics & chemistry == {"org:wuhan university"}
    assert affiliation_keys(None) == set() and affiliation_keys("Wuhan, China") == {"institution:wuhan china"}


@pytest.mark.parametrize("module", [graph.evidence, graph.names])
def test_docstring_examples_hold(module):
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0


def test_keyword_topics_are_not_identity_evidence():
    field = TopicRef("openalex:T1", "Bandits", "topic", parent=TopicRef("openalex:F1", "Statistics", "field"))
    phrase = TopicRef("keyword:regret bound", "regret bound", KEYWORD)
    paper = Paper(
        title="On Regret", authors=(AuthorRef("Ada Lovelace", 1),), topics=(field, phrase), source="t", source_ref="t:1"
    )
    [mention] = mentions_of(paper)
    assert mention.topics == {"openalex:T1", "openalex:F1"}
