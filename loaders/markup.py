"""Plain text from the inline markup that sources put in titles and abstracts.

Crossref titles and abstracts are JATS XML (``<jats:p>``, ``<scp>``, MathML); OpenAlex, Semantic Scholar, Scopus
and ORCID titles carry HTML formatting (``<i>Anopheles</i>``, ``<sup>2</sup>``, Scopus' ``<inf>``) and entities
(``&amp;``). Left in, the tags show literally and enter the title key, so one paper read from a source that writes
its title plainly becomes a second Paper. Some records escape the tags once more (``&lt;scp&gt;GenCo&lt;/scp&gt;``);
those of inline formatting are undone too. arXiv and Web of Science titles are plain text (``0 <= x``) and stay so.
"""

from __future__ import annotations

import re

from lxml import html

__all__ = ["strip_markup"]

_BLOCK_TAGS = frozenset({"p", "title", "sec", "list-item", "li", "div", "br"})
_SPACES = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # lxml refuses them
_ESCAPED_PAIR = re.compile(
    r"&lt;((?:[a-z]+:)?(?:i|b|em|strong|u|sub|sup|inf|scp|sc|tt|italic|bold))\b([^&<>]*)&gt;(.*?)&lt;/\1&gt;",
    re.IGNORECASE | re.DOTALL,
)
"""An escaped pair of inline formatting tags (``&lt;i&gt;E. coli&lt;/i&gt;``): markup escaped twice. A lone
``&lt;b&gt;`` is text that means the characters."""
_LONE_LT = re.compile(r"<(?!/?[A-Za-z][\w:.-]*(?:\s[^<>]*)?/?>|[!?])")
"""A ``<`` that opens no tag, comment or declaration (``p<0.05``, ``if A<B then``): text, though an HTML parser
would take it for one."""


def strip_markup(text: str) -> str:
    """The text of a JATS, MathML or HTML fragment: tags dropped, paragraphs on their own lines, spaces collapsed.

    Parsed by lxml's HTML parser, which neither loads DTDs nor expands entities other than the standard ones.
    Escaped pairs of inline formatting tags (``&lt;i&gt;…&lt;/i&gt;``) are dropped as tags; a ``<`` that opens
    no tag stays text.

    >>> strip_markup("<jats:title>Abstract</jats:title><jats:p>TiO<sub>2</sub> &amp; <i>light</i></jats:p>")
    'Abstract\\nTiO2 & light'
    >>> strip_markup("Review of &lt;scp&gt;GenCo&lt;/scp&gt; bids, p<0.05 if A<B")
    'Review of GenCo bids, p<0.05 if A<B'
    """
    if "<" not in text and "&" not in text:
        return " ".join(text.split())
    fragment = _LONE_LT.sub("&lt;", _unescape_pairs(_CONTROL.sub(" ", text)))
    root = html.fragment_fromstring(fragment, create_parent="div")
    for element in root.iter():
        element.text = _SPACES.sub(" ", element.text) if element.text else element.text
        element.tail = _SPACES.sub(" ", element.tail) if element.tail else element.tail
        if isinstance(element.tag, str) and element.tag.rpartition(":")[2] in _BLOCK_TAGS:
            element.tail = "\n" + (element.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().split("\n"))
    return "\n".join(line for line in lines if line)


def _unescape_pairs(text: str) -> str:
    """``text`` with its escaped pairs of inline tags made tags, nested pairs too."""
    while "&lt;" in text:
        unescaped = _ESCAPED_PAIR.sub(r"<\1\2>\3</\1>", text)
        if unescaped == text:
            break
        text = unescaped
    return text
