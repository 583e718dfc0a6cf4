"""LaTeX clean-up for display: an (input, expected) table."""

from __future__ import annotations

import pytest

from loaders.latex import clean_latex


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (r"a dataset, \textbf{SACRED}, in which", "a dataset, SACRED, in which"),
        (r"\emph{faithful} and \textit{novel}", "faithful and novel"),
        (r"79.19\% accuracy", "79.19% accuracy"),
        (r"an $\mathcal{O}(p)$ reduction", "an \N{MATHEMATICAL SCRIPT CAPITAL O}(p) reduction"),
        (r"Haar--Stiefel projections", "Haar\N{EN DASH}Stiefel projections"),
        (r"fast---and exact", "fast\N{EM DASH}and exact"),
        (r"\unknowncommand{kept}", "kept"),
        (r"\textbf{\emph{nested}}", "nested"),
        (r"{\bf bold} text", "bold text"),
        (r"$\frac{1}{2}$ and $\sqrt{n}$", "1/2 and \N{SQUARE ROOT}(n)"),
        (r"$O(n \log n)$", "O(n log n)"),
        (r"costs \$5, R\&D, file\_name, \#1, \{x\}", "costs $5, R&D, file_name, #1, {x}"),
        (r"Erd\H{o}s, G\"odel, Poincar\'e, \v{C}ech, na\"{\i}ve", "Erdős, Gödel, Poincaré, Čech, naïve"),
        ("a bare 5 % stays, and so does the rest", "a bare 5 % stays, and so does the rest"),
        ("two  spaces\nand a wrapped line", "two spaces and a wrapped line"),
        ("first paragraph\n\nsecond paragraph", "first paragraph\n\nsecond paragraph"),
        ("unbalanced {brace and \\textbf{x", "unbalanced brace and x"),
        ("plain text stays plain.", "plain text stays plain."),
    ],
)
def test_clean_latex(raw: str, expected: str):
    assert clean_latex(raw) == expected
