"""LaTeX in titles and abstracts turned into readable Unicode text, by pylatexenc."""

from __future__ import annotations

import re

from pylatexenc.latex2text import LatexNodes2Text

__all__ = ["clean_latex"]

# keep_comments: a bare "%" in an abstract is text, not the start of a comment that would swallow the line.
_CONVERTER = LatexNodes2Text(math_mode="text", keep_comments=True)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
# Outside tables "&" and "#" are plain text in abstracts ("R&S"), not alignment or macro parameters.
_BARE_SPECIAL = re.compile(r"(?<!\\)([&#])")
# Text without any of these needs no LaTeX parsing (pylatexenc costs ~10 ms per abstract; most have no markup).
_LATEX_MARKERS = re.compile(r"[\\$^_{}~`]|--|''")


def clean_latex(text: str) -> str:
    r"""Readable text for display: ``\textbf{SACRED}`` → ``SACRED``, ``$\mathcal{O}(p)$`` → ``O(p)`` in script letters.

    Accents become letters (``G\"odel`` → ``Gödel``), ``--`` an en dash, unknown commands keep their argument;
    paragraphs are kept and the spacing inside them collapsed. Never raises on malformed LaTeX.
    """
    if _LATEX_MARKERS.search(text):
        text = _CONVERTER.latex_to_text(_BARE_SPECIAL.sub(r"\\\1", text))
    paragraphs = _PARAGRAPH_BREAK.split(text)
    return "\n\n".join(" ".join(paragraph.split()) for paragraph in paragraphs if paragraph.strip())
