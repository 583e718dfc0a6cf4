"""LaTeX in titles and abstracts turned into readable Unicode text, by pylatexenc."""

from __future__ import annotations

import re

from pylatexenc.latex2text import LatexNodes2Text

__all__ = ["MAX_LATEX_CHARS", "clean_latex", "collapse_spaces"]

# keep_comments: a bare "%" in an abstract is text, not the start of a comment that would swallow the line.
_CONVERTER = LatexNodes2Text(math_mode="text", keep_comments=True)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_SPACES = re.compile(r"\s+")
# Outside tables "&" and "#" are plain text in abstracts ("R&S"), not alignment or macro parameters.
_BARE_SPECIAL = re.compile(r"(?<!\\)([&#])")
# Text without any of these needs no LaTeX parsing (pylatexenc costs ~10 ms per abstract; most have no markup).
_LATEX_MARKERS = re.compile(r"[\\$^_{}~`]|--|''")
# pylatexenc reads ~50 us per character: longer text is only collapsed, so that a 50 MB abstract costs a second,
# not hours. Twice the longest abstract in the real files (9,893 characters, BibTeX; arXiv caps them at 1,920).
MAX_LATEX_CHARS = 20_000


def clean_latex(text: str) -> str:
    r"""Readable text for display: ``\textbf{SACRED}`` → ``SACRED``, ``$\mathcal{O}(p)$`` → ``O(p)`` in script letters.

    Accents become letters (``G\"odel`` → ``Gödel``), ``--`` an en dash, unknown commands keep their argument;
    paragraphs are kept and the spacing inside them collapsed. Never raises on malformed LaTeX. Text longer than
    :data:`MAX_LATEX_CHARS` keeps its LaTeX as written.
    """
    if len(text) <= MAX_LATEX_CHARS and _LATEX_MARKERS.search(text):
        text = _CONVERTER.latex_to_text(_BARE_SPECIAL.sub(r"\\\1", text))
    paragraphs = _PARAGRAPH_BREAK.split(text)
    return "\n\n".join(collapse_spaces(paragraph) for paragraph in paragraphs if not paragraph.isspace())


def collapse_spaces(text: str) -> str:
    r"""Runs of whitespace as one space, the ends stripped: ``" ".join(text.split())`` without a list of every word
    (which costs ~10 times the text's size in memory).

    >>> collapse_spaces("  a\n  b\tc ")
    'a b c'
    """
    return _SPACES.sub(" ", text).strip()
