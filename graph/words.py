"""English nouns made singular by plain rules, so that keyword topics and what users type about them meet:
"graph neural networks" and "graph neural network" name one topic, "LLMs" and "LLM" another."""

from __future__ import annotations

import re

from graph.model import name_key

__all__ = ["ACRONYM_PLURAL", "singular", "singular_key"]

_IRREGULAR = {
    "analyses": "analysis", "appendices": "appendix", "axes": "axis", "bacteria": "bacterium", "biases": "bias",
    "caches": "cache", "calories": "calorie", "children": "child", "cookies": "cookie", "crises": "crisis",
    "criteria": "criterion", "curricula": "curriculum", "echoes": "echo", "feet": "foot", "fungi": "fungus",
    "gases": "gas", "geese": "goose", "halves": "half", "heroes": "hero", "indices": "index", "knives": "knife",
    "leaves": "leaf", "lives": "life", "loci": "locus", "matrices": "matrix", "maxima": "maximum", "men": "man",
    "mice": "mouse", "minima": "minimum", "movies": "movie", "niches": "niche", "nuclei": "nucleus",
    "optima": "optimum", "phenomena": "phenomenon", "potatoes": "potato", "radii": "radius", "selves": "self",
    "shelves": "shelf", "spectra": "spectrum", "stimuli": "stimulus", "strata": "stratum", "teeth": "tooth",
    "tomatoes": "tomato", "vertices": "vertex", "viruses": "virus", "wives": "wife", "wolves": "wolf",
    "women": "woman",
}  # fmt: skip
_INVARIANT = frozenset({
    "alias", "atlas", "bias", "canvas", "chaos", "cosmos", "diabetes", "ethos", "gas", "herpes", "kudos", "lens",
    "means", "measles", "news", "pancreas", "rabies", "series", "species", "acoustics", "analytics", "athletics",
    "ballistics", "diagnostics", "forensics", "geriatrics", "hydraulics", "logistics", "obstetrics", "orthopedics",
    "paediatrics", "pediatrics", "politics", "pragmatics", "semantics", "therapeutics",
})  # fmt: skip
# Fields of study named by a word in -ics are singular (physics, genomics); other -ics words are plurals (topics).
_FIELD_ENDINGS = (
    "physics", "omics", "dynamics", "mechanics", "matics", "etics", "onics", "optics", "tistics", "guistics",
    "ethics", "graphics", "nautics",
)  # fmt: skip
ACRONYM_PLURAL = re.compile(r"(?=(?:.*[A-Z]){2})[A-Za-z0-9&-]*[A-Z0-9]s")


def singular(word: str) -> str:
    """The singular of an English noun by plain rules: ``LLMs`` -> ``LLM``, ``strategies`` -> ``strategy``,
    ``processes`` -> ``process``, ``matrices`` -> ``matrix``; mixed-case words and invariants stay as they are.

    >>> [singular(w) for w in ["LLMs", "networks", "hypotheses", "approaches", "bias", "physics", "RoBERTa"]]
    ['LLM', 'network', 'hypothesis', 'approach', 'bias', 'physics', 'RoBERTa']
    """
    if ACRONYM_PLURAL.fullmatch(word):
        return word[:-1]
    if word != word.lower() or len(word) <= 3 or not word[-1].isalpha():
        return word
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word in _INVARIANT or word.endswith(_FIELD_ENDINGS) or not word.endswith("s"):
        return word
    if word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("yses", "theses")):
        return word[:-2] + "is"
    if word.endswith(("sses", "xes", "ches", "shes", "zzes")):
        return word[:-2]
    return word[:-1]


def singular_key(phrase: str) -> str:
    """The folded phrase with its last word singular.

    >>> singular_key("Graph Neural Networks"), singular_key("LLMs"), singular_key("Physics")
    ('graph neural network', 'llm', 'physics')
    """
    words = phrase.split()
    if not words:
        return name_key(phrase)
    last = singular(words[-1])
    if last == words[-1]:
        last = singular(words[-1].lower())
    return name_key(" ".join([*words[:-1], last]))
