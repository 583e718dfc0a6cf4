"""Refuse XML whose prolog declares entities: where an XML bomb or an external entity would be declared.

Publication XML (dblp.xml, arXiv's Atom feeds) never declares entities in an internal DTD subset, so a file
that does is refused before any parser sees it: nothing is expanded, nothing is fetched, and the message says
why instead of libxml2's "Maximum entity amplification factor exceeded".
"""

from __future__ import annotations

import re

from graph.errors import InputError

__all__ = ["refuse_entity_declarations"]

_DECLARATION = re.compile(rb"<!DOCTYPE[^>\[]*\[|<!ENTITY")


def refuse_entity_declarations(data: bytes, root: re.Pattern[bytes], path: str, source: str) -> None:
    """Raise unless the bytes before the first match of ``root`` (the prolog) declare no entities.

    Raises
    ------
    InputError
        The prolog holds a DOCTYPE internal subset or an ``<!ENTITY``; names the file and the line.
    """
    start = root.search(data)
    declared = _DECLARATION.search(data, 0, start.start() if start else len(data))
    if declared is not None:
        raise InputError(
            f"refused: the DOCTYPE declares entities (an XML bomb or external-entity risk; {source} declares none)",
            path=path,
            line=data.count(b"\n", 0, declared.start()) + 1,
        )
