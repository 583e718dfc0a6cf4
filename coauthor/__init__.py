"""The `coauthor` command line: each command parses its options, makes one library call and renders the answer.

Nothing else in the project imports this package; it is the only place that sees loaders, queries and views.
"""

from coauthor import ask, authors, communities, db, export, load, views  # noqa: F401  (each module registers its commands)
from coauthor.base import cli, emit, main

__all__ = ["cli", "emit", "main"]
