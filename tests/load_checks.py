"""What the concurrency tests and the stress bench (bench/stress_loads.py) share: overlapping input slices, loads run
as separate `coauthor load` processes, and the invariants a graph must keep whatever happened during its loads."""

from __future__ import annotations

import gzip
import os
import re
import subprocess
import sys
from pathlib import Path

from graph.connection import Graph


def slices(source: Path, folder: Path, *bounds: tuple[int, int]) -> list[Path]:
    """Overlapping slices of a JSON Lines file, written as separate files."""
    with gzip.open(source, "rt", encoding="utf-8") as text:
        kept = [f"{line}\n" for line in text.read().split("\n") if line]  # not splitlines(): U+2028 is in strings
    paths = []
    for start, stop in bounds:
        path = folder / f"{source.name.split('.')[0]}_{start}_{stop}.jsonl"
        path.write_text("".join(kept[start:stop]), encoding="utf-8")
        paths.append(path)
    return paths


def load(env: dict[str, str], *paths: Path, batch_size: int = 50) -> subprocess.Popen:
    """A `coauthor load` process of ``paths`` against the server ``env`` names."""
    command = [sys.executable, "-m", "coauthor", "load", "--batch-size", str(batch_size), *map(str, paths)]
    return subprocess.Popen(
        command, env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


# A load's last line when it wrote everything it read, but skipped malformed records (exit code 6).
_ONLY_SKIPPED = re.compile(r"^Error: \d+ records? skipped in \d+ inputs? \(see above\)$", re.MULTILINE)


def wrote_everything(returncode: int, err: str) -> bool:
    """Whether a `coauthor load` process wrote all it read: exit 0, or 6 if the only trouble was skipped records."""
    return returncode == 0 or (returncode == 6 and _ONLY_SKIPPED.search(err) is not None)


def authorships_per_paper(graph: Graph) -> dict[str, int]:
    """Each paper's number of authors in the graph."""
    rows = graph.read("MATCH (p:Paper) RETURN p.id AS id, COUNT { (p)<-[:AUTHORED]-() } AS n")
    return {row["id"]: row["n"] for row in rows}


def tie_weights_match_joint_papers(graph: Graph) -> list[dict]:
    """COAUTHOR ties whose weight or years differ from what the AUTHORED relationships say (should be none)."""
    return graph.read(
        """
        MATCH (a:Author)-[c:COAUTHOR]->(b:Author)
        WHERE NOT c.without_papers
        CALL (a, b) {
          MATCH (a)-[:AUTHORED]->(p:Paper)<-[:AUTHORED]-(b) WHERE NOT coalesce(p.hyperauthored, false)
          RETURN count(p) AS joint, min(p.year) AS first, max(p.year) AS last
        }
        WITH a, b, c, joint, first, last
        WHERE c.weight <> joint OR c.first_year <> first OR c.last_year <> last
        RETURN a.id AS a, b.id AS b, c.weight AS weight, joint
        UNION ALL
        MATCH (a:Author)-[:AUTHORED]->(p:Paper)<-[:AUTHORED]-(b:Author)
        WHERE a.id < b.id AND NOT coalesce(p.hyperauthored, false) AND NOT EXISTS { (a)-[:COAUTHOR]->(b) }
        RETURN DISTINCT a.id AS a, b.id AS b, 0 AS weight, 1 AS joint
        """
    )


def duplicates(graph: Graph) -> list[dict]:
    """Papers sharing a DOI, and strong ids identifying more than one Author."""
    return graph.read(
        """
        MATCH (p:Paper) WHERE p.doi IS NOT NULL
        WITH p.doi AS key, count(*) AS n WHERE n > 1 RETURN key, n
        UNION ALL
        MATCH (k:AuthorId)-[:IDENTIFIES]->(a:Author)
        WITH k.id AS key, count(a) AS n WHERE n > 1 RETURN key, n
        """
    )
