"""Turn the LaTeX in abstracts and titles into readable plain text, as a list of small pure steps.

The raw text is always kept beside the cleaned one; this is for display and search only, not a TeX renderer.

Examples
--------
>>> clean_latex(r"an $\\mathcal{O}(p)$ reduction, 79.19\\% accuracy with \\textbf{SACRED}")
'an O(p) reduction, 79.19% accuracy with SACRED'

Notes
-----
- ``\\cmd{X}`` becomes ``X`` for every command (``\\textbf``, ``\\emph``, ``\\mathcal``, unknown ones...);
  ``\\frac{a}{b}`` becomes ``a/b`` and ``\\sqrt{x}`` becomes ``√(x)``.
- Escaped specials (``\\% \\& \\_ \\# \\$ \\{ \\}``) become the character; ``$``, ``\\(``, ``\\)``,
  ``\\[``, ``\\]`` and grouping braces are dropped.
- Accents (``\\'e``, ``\\"{o}``, ``\\v{c}``) become the accented letter; common symbols (``\\alpha``,
  ``\\le``, ``\\ldots``) their Unicode character; font switches (``\\bf``, ``\\em``) are dropped; any
  other bare command keeps its name (``\\log`` -> ``log``).
- ``--`` and ``---`` become an en and an em dash.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

__all__ = [
    "STEPS",
    "clean_latex",
    "collapse_spaces",
    "combine_accents",
    "drop_braces",
    "drop_math_delimiters",
    "protect_escapes",
    "replace_bare_commands",
    "replace_dashes",
    "restore_escapes",
    "unwrap_commands",
]

_ESCAPABLE = "%&_#${}"
_PLACEHOLDER_BASE = 0xE000  # Unicode private use area: never in real text, survives every step untouched
_ESCAPE = re.compile(r"\\([%&_#${}\\ ])")

_ACCENTS = {
    "'": "\N{COMBINING ACUTE ACCENT}",
    '"': "\N{COMBINING DIAERESIS}",
    "`": "\N{COMBINING GRAVE ACCENT}",
    "^": "\N{COMBINING CIRCUMFLEX ACCENT}",
    "~": "\N{COMBINING TILDE}",
    "=": "\N{COMBINING MACRON}",
    ".": "\N{COMBINING DOT ABOVE}",
}
_LETTER_ACCENTS = {
    "c": "\N{COMBINING CEDILLA}",
    "H": "\N{COMBINING DOUBLE ACUTE ACCENT}",
    "v": "\N{COMBINING CARON}",
    "u": "\N{COMBINING BREVE}",
    "k": "\N{COMBINING OGONEK}",
    "r": "\N{COMBINING RING ABOVE}",
}
_SYMBOL_ACCENT = re.compile(r"""\\(['"`^~=.])\s*(?:\{(\\i|[A-Za-z])\}|(\\i|[A-Za-z]))""")
_LETTER_ACCENT = re.compile(r"\\([cHvukr])(?:\{(\\i|[A-Za-z])\}|\s+([A-Za-z]))")

_FRACTION = re.compile(r"\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}")
_ROOT = re.compile(r"\\sqrt\s*\{([^{}]*)\}")
_COMMAND_WITH_ARGUMENT = re.compile(r"\\[A-Za-z]+\*?\s*\{([^{}]*)\}")
_BARE_COMMAND = re.compile(r"\\([A-Za-z]+|[|,;:!])")
_MATH_DELIMITER = re.compile(r"\$+|\\[()\[\]]")

_SYMBOLS = {
    "alpha": "\N{GREEK SMALL LETTER ALPHA}",
    "beta": "\N{GREEK SMALL LETTER BETA}",
    "gamma": "\N{GREEK SMALL LETTER GAMMA}",
    "delta": "\N{GREEK SMALL LETTER DELTA}",
    "epsilon": "\N{GREEK SMALL LETTER EPSILON}",
    "varepsilon": "\N{GREEK SMALL LETTER EPSILON}",
    "theta": "\N{GREEK SMALL LETTER THETA}",
    "lambda": "\N{GREEK SMALL LETTER LAMDA}",
    "mu": "\N{GREEK SMALL LETTER MU}",
    "pi": "\N{GREEK SMALL LETTER PI}",
    "rho": "\N{GREEK SMALL LETTER RHO}",
    "sigma": "\N{GREEK SMALL LETTER SIGMA}",
    "tau": "\N{GREEK SMALL LETTER TAU}",
    "phi": "\N{GREEK SMALL LETTER PHI}",
    "omega": "\N{GREEK SMALL LETTER OMEGA}",
    "Delta": "\N{GREEK CAPITAL LETTER DELTA}",
    "Sigma": "\N{GREEK CAPITAL LETTER SIGMA}",
    "Omega": "\N{GREEK CAPITAL LETTER OMEGA}",
    "infty": "\N{INFINITY}",
    "times": "\N{MULTIPLICATION SIGN}",
    "cdot": "\N{MIDDLE DOT}",
    "pm": "\N{PLUS-MINUS SIGN}",
    "le": "\N{LESS-THAN OR EQUAL TO}",
    "leq": "\N{LESS-THAN OR EQUAL TO}",
    "ge": "\N{GREATER-THAN OR EQUAL TO}",
    "geq": "\N{GREATER-THAN OR EQUAL TO}",
    "neq": "\N{NOT EQUAL TO}",
    "approx": "\N{ALMOST EQUAL TO}",
    "in": "\N{ELEMENT OF}",
    "to": "\N{RIGHTWARDS ARROW}",
    "rightarrow": "\N{RIGHTWARDS ARROW}",
    "ldots": "\N{HORIZONTAL ELLIPSIS}",
    "dots": "\N{HORIZONTAL ELLIPSIS}",
    "cdots": "\N{MIDLINE HORIZONTAL ELLIPSIS}",
    "sqrt": "\N{SQUARE ROOT}",
    "partial": "\N{PARTIAL DIFFERENTIAL}",
    "sim": "~",
    "i": "i",
    "quad": " ",
    "qquad": " ",
    "|": "\N{DOUBLE VERTICAL LINE}",
    ",": " ",
    ";": " ",
    ":": " ",
    "!": "",
}
_DROPPED = {
    *("bf", "it", "em", "rm", "sc", "sf", "sl", "tt", "small", "large", "Large"),
    *("noindent", "newline", "par", "displaystyle", "left", "right", "big", "Big", "bigl", "bigr"),
}


def protect_escapes(text: str) -> str:
    r"""Hide escaped specials (``\%``) behind placeholders; ``\\`` and ``\ `` become spaces."""

    def replace(match: re.Match[str]) -> str:
        char = match[1]
        return " " if char in "\\ " else chr(_PLACEHOLDER_BASE + _ESCAPABLE.index(char))

    return _ESCAPE.sub(replace, text)


def combine_accents(text: str) -> str:
    r"""``\'e``, ``\"{o}``, ``\v{c}`` -> é, ö, č."""

    def combine(marks: dict[str, str]) -> Callable[[re.Match[str]], str]:
        def replace(match: re.Match[str]) -> str:
            letter = (match[2] or match[3]).replace("\\i", "i")
            return unicodedata.normalize("NFC", letter + marks[match[1]])

        return replace

    text = _SYMBOL_ACCENT.sub(combine(_ACCENTS), text)
    return _LETTER_ACCENT.sub(combine(_LETTER_ACCENTS), text)


def unwrap_commands(text: str) -> str:
    r"""``\frac{a}{b}`` -> a/b, ``\sqrt{x}`` -> √(x), any other ``\cmd{X}`` -> X.

    Innermost commands go first, until none is left.
    """
    while True:
        special = _ROOT.sub("\N{SQUARE ROOT}(\\1)", _FRACTION.sub(r"\1/\2", text))
        unwrapped = _COMMAND_WITH_ARGUMENT.sub(r"\1", special)
        if unwrapped == text:
            return text
        text = unwrapped


def replace_bare_commands(text: str) -> str:
    r"""``\alpha`` -> its symbol, ``\,`` -> space, font switches (``\bf``) dropped, others keep their name."""

    def replace(match: re.Match[str]) -> str:
        name = match[1]
        return "" if name in _DROPPED else _SYMBOLS.get(name, name)

    return _BARE_COMMAND.sub(replace, text)


def drop_math_delimiters(text: str) -> str:
    r"""Drop ``$``, ``$$``, ``\(``, ``\)``, ``\[`` and ``\]``."""
    return _MATH_DELIMITER.sub("", text)


def drop_braces(text: str) -> str:
    """Drop the grouping braces left after unwrapping (escaped braces are placeholders by now)."""
    return text.replace("{", "").replace("}", "")


def replace_dashes(text: str) -> str:
    """``---`` -> em dash, ``--`` -> en dash."""
    return text.replace("---", "\N{EM DASH}").replace("--", "\N{EN DASH}")


def restore_escapes(text: str) -> str:
    """Turn the placeholders of :func:`protect_escapes` back into the characters."""
    return text.translate({_PLACEHOLDER_BASE + i: char for i, char in enumerate(_ESCAPABLE)})


def collapse_spaces(text: str) -> str:
    """Collapse runs of spaces and tabs, strip each line's ends."""
    return "\n".join(re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n"))


STEPS: tuple[Callable[[str], str], ...] = (
    protect_escapes,
    combine_accents,
    unwrap_commands,
    replace_bare_commands,
    drop_math_delimiters,
    drop_braces,
    replace_dashes,
    restore_escapes,
    collapse_spaces,
)
"""The clean-up pipeline, in order; each step is a pure ``str -> str`` function."""


def clean_latex(text: str) -> str:
    """Apply :data:`STEPS` to ``text``: LaTeX markup out, readable plain text in."""
    for step in STEPS:
        text = step(text)
    return text
