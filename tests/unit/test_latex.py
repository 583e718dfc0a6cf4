"""The LaTeX clean-up for abstracts: an (input, expected) table per step and for the whole pipeline."""

from __future__ import annotations

import pytest

from loaders.latex import (
    STEPS,
    clean_latex,
    combine_accents,
    protect_escapes,
    restore_escapes,
    unwrap_commands,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (r"a dataset, \textbf{SACRED}, in which", "a dataset, SACRED, in which"),
        (r"\emph{faithful} and \textit{novel}", "faithful and novel"),
        (r"79.19\% accuracy", "79.19% accuracy"),
        (r"an $\mathcal{O}(p)$ reduction", "an O(p) reduction"),
        (r"$\mathrm{KL}(p \| q)$", "KL(p \N{DOUBLE VERTICAL LINE} q)"),
        (r"$a\,b\;c\!d$", "a b cd"),
        (r"Haar--Stiefel projections", "Haar\N{EN DASH}Stiefel projections"),
        (r"fast---and exact", "fast\N{EM DASH}and exact"),
        (r"\unknowncommand{kept}", "kept"),
        (r"\textbf{\emph{nested}}", "nested"),
        (r"{\bf bold} text", "bold text"),
        (r"$\frac{1}{2}$ and $\frac{\mathcal{O}(1)}{n}$", "1/2 and O(1)/n"),
        (r"$\sqrt{n}$", "\N{SQUARE ROOT}(n)"),
        (
            r"$\alpha \le 0.5$, $n \to \infty$",
            "\N{GREEK SMALL LETTER ALPHA} \N{LESS-THAN OR EQUAL TO} 0.5, n \N{RIGHTWARDS ARROW} \N{INFINITY}",
        ),
        (r"$O(n \log n)$", "O(n log n)"),
        (r"$x^{2}$ and $\mathbb{R}^d$", "x^2 and R^d"),
        (r"\(a+b\) and \[c\]", "a+b and c"),
        (r"costs \$5, R\&D, file\_name, \#1, \{x\}", "costs $5, R&D, file_name, #1, {x}"),
        (r"Erd\H{o}s, G\"odel, Poincar\'e, \v{C}ech, na\"{\i}ve", "Erdős, Gödel, Poincaré, Čech, naïve"),
        ("two  spaces\nand a second line", "two spaces\nand a second line"),
        ("plain text stays plain.", "plain text stays plain."),
    ],
)
def test_clean_latex(raw: str, expected: str):
    assert clean_latex(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (r"\textbf{x}", "x"),
        (r"\frac{a}{b}", "a/b"),
        (r"\textbf{\mathcal{O}}", "O"),
        (r"\alpha", r"\alpha"),
    ],
)
def test_unwrap_commands(raw: str, expected: str):
    assert unwrap_commands(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [(r"\'e", "é"), (r"\"{o}", "ö"), (r"\c{c}", "ç"), (r"\'{\i}", "í")])
def test_combine_accents(raw: str, expected: str):
    assert combine_accents(raw) == expected


def test_escapes_survive_the_steps_between_protect_and_restore():
    protected = protect_escapes(r"100\% of \$ and \{ \}")
    assert "\\" not in protected and "{" not in protected
    assert restore_escapes(protected) == "100% of $ and { }"


def test_every_step_is_idempotent_on_clean_text():
    text = "SACRED reaches 79.19% accuracy in O(p) time."
    assert [step(text) for step in STEPS] == [text] * len(STEPS)
