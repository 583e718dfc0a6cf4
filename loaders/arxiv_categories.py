"""The arXiv category taxonomy as Topics: official names, archives, aliases, and profile-page short codes.

Every loader that meets an arXiv category (``cs.LG``, ``astro-ph.GA``, ``quant-ph``) turns it into a
:class:`~graph.model.TopicRef` here, so the same category always becomes the same Topic::

    TopicRef("arxiv:cs.LG", "Machine Learning", "arxiv_category",
             parent=TopicRef("arxiv:cs", "Computer Science", "arxiv_archive"))

Notes
-----
- Names are arXiv's official ones (arxiv.org/category_taxonomy).
- arXiv keeps six alias pairs (e.g. ``cs.NA`` = ``math.NA``); both ids resolve to the canonical category, so a
  paper listed under both gets one Topic.
- Categories that are an archive of their own (``gr-qc``, ``hep-th``, ``math-ph``, ``quant-ph``...) have no
  parent: their archive is the category itself.
- Legacy categories that arXiv retired (``cmp-lg``, bare ``cond-mat``...) are not in the table.
"""

from __future__ import annotations

from graph.model import TopicRef

__all__ = [
    "ALIASES",
    "ARCHIVES",
    "CATEGORIES",
    "SHORT_CODES",
    "SHORT_CODE_PRECEDENCE",
    "lookup_category",
    "resolve_short_code",
]

ARCHIVES: dict[str, str] = {
    "astro-ph": "Astrophysics",
    "cond-mat": "Condensed Matter",
    "cs": "Computer Science",
    "econ": "Economics",
    "eess": "Electrical Engineering and Systems Science",
    "math": "Mathematics",
    "nlin": "Nonlinear Sciences",
    "physics": "Physics",
    "q-bio": "Quantitative Biology",
    "q-fin": "Quantitative Finance",
    "stat": "Statistics",
}
"""Archives that hold several categories: archive id -> official name."""

CATEGORIES: dict[str, str] = {
    # Computer Science
    "cs.AI": "Artificial Intelligence",
    "cs.AR": "Hardware Architecture",
    "cs.CC": "Computational Complexity",
    "cs.CE": "Computational Engineering, Finance, and Science",
    "cs.CG": "Computational Geometry",
    "cs.CL": "Computation and Language",
    "cs.CR": "Cryptography and Security",
    "cs.CV": "Computer Vision and Pattern Recognition",
    "cs.CY": "Computers and Society",
    "cs.DB": "Databases",
    "cs.DC": "Distributed, Parallel, and Cluster Computing",
    "cs.DL": "Digital Libraries",
    "cs.DM": "Discrete Mathematics",
    "cs.DS": "Data Structures and Algorithms",
    "cs.ET": "Emerging Technologies",
    "cs.FL": "Formal Languages and Automata Theory",
    "cs.GL": "General Literature",
    "cs.GR": "Graphics",
    "cs.GT": "Computer Science and Game Theory",
    "cs.HC": "Human-Computer Interaction",
    "cs.IR": "Information Retrieval",
    "cs.IT": "Information Theory",
    "cs.LG": "Machine Learning",
    "cs.LO": "Logic in Computer Science",
    "cs.MA": "Multiagent Systems",
    "cs.MM": "Multimedia",
    "cs.MS": "Mathematical Software",
    "cs.NA": "Numerical Analysis",
    "cs.NE": "Neural and Evolutionary Computing",
    "cs.NI": "Networking and Internet Architecture",
    "cs.OH": "Other Computer Science",
    "cs.OS": "Operating Systems",
    "cs.PF": "Performance",
    "cs.PL": "Programming Languages",
    "cs.RO": "Robotics",
    "cs.SC": "Symbolic Computation",
    "cs.SD": "Sound",
    "cs.SE": "Software Engineering",
    "cs.SI": "Social and Information Networks",
    "cs.SY": "Systems and Control",
    # Economics
    "econ.EM": "Econometrics",
    "econ.GN": "General Economics",
    "econ.TH": "Theoretical Economics",
    # Electrical Engineering and Systems Science
    "eess.AS": "Audio and Speech Processing",
    "eess.IV": "Image and Video Processing",
    "eess.SP": "Signal Processing",
    "eess.SY": "Systems and Control",
    # Mathematics
    "math.AC": "Commutative Algebra",
    "math.AG": "Algebraic Geometry",
    "math.AP": "Analysis of PDEs",
    "math.AT": "Algebraic Topology",
    "math.CA": "Classical Analysis and ODEs",
    "math.CO": "Combinatorics",
    "math.CT": "Category Theory",
    "math.CV": "Complex Variables",
    "math.DG": "Differential Geometry",
    "math.DS": "Dynamical Systems",
    "math.FA": "Functional Analysis",
    "math.GM": "General Mathematics",
    "math.GN": "General Topology",
    "math.GR": "Group Theory",
    "math.GT": "Geometric Topology",
    "math.HO": "History and Overview",
    "math.IT": "Information Theory",
    "math.KT": "K-Theory and Homology",
    "math.LO": "Logic",
    "math.MG": "Metric Geometry",
    "math.MP": "Mathematical Physics",
    "math.NA": "Numerical Analysis",
    "math.NT": "Number Theory",
    "math.OA": "Operator Algebras",
    "math.OC": "Optimization and Control",
    "math.PR": "Probability",
    "math.QA": "Quantum Algebra",
    "math.RA": "Rings and Algebras",
    "math.RT": "Representation Theory",
    "math.SG": "Symplectic Geometry",
    "math.SP": "Spectral Theory",
    "math.ST": "Statistics Theory",
    # Quantitative Biology
    "q-bio.BM": "Biomolecules",
    "q-bio.CB": "Cell Behavior",
    "q-bio.GN": "Genomics",
    "q-bio.MN": "Molecular Networks",
    "q-bio.NC": "Neurons and Cognition",
    "q-bio.OT": "Other Quantitative Biology",
    "q-bio.PE": "Populations and Evolution",
    "q-bio.QM": "Quantitative Methods",
    "q-bio.SC": "Subcellular Processes",
    "q-bio.TO": "Tissues and Organs",
    # Quantitative Finance
    "q-fin.CP": "Computational Finance",
    "q-fin.EC": "Economics",
    "q-fin.GN": "General Finance",
    "q-fin.MF": "Mathematical Finance",
    "q-fin.PM": "Portfolio Management",
    "q-fin.PR": "Pricing of Securities",
    "q-fin.RM": "Risk Management",
    "q-fin.ST": "Statistical Finance",
    "q-fin.TR": "Trading and Market Microstructure",
    # Statistics
    "stat.AP": "Applications",
    "stat.CO": "Computation",
    "stat.ME": "Methodology",
    "stat.ML": "Machine Learning",
    "stat.OT": "Other Statistics",
    "stat.TH": "Statistics Theory",
    # Astrophysics
    "astro-ph.CO": "Cosmology and Nongalactic Astrophysics",
    "astro-ph.EP": "Earth and Planetary Astrophysics",
    "astro-ph.GA": "Astrophysics of Galaxies",
    "astro-ph.HE": "High Energy Astrophysical Phenomena",
    "astro-ph.IM": "Instrumentation and Methods for Astrophysics",
    "astro-ph.SR": "Solar and Stellar Astrophysics",
    # Condensed Matter
    "cond-mat.dis-nn": "Disordered Systems and Neural Networks",
    "cond-mat.mes-hall": "Mesoscale and Nanoscale Physics",
    "cond-mat.mtrl-sci": "Materials Science",
    "cond-mat.other": "Other Condensed Matter",
    "cond-mat.quant-gas": "Quantum Gases",
    "cond-mat.soft": "Soft Condensed Matter",
    "cond-mat.stat-mech": "Statistical Mechanics",
    "cond-mat.str-el": "Strongly Correlated Electrons",
    "cond-mat.supr-con": "Superconductivity",
    # Nonlinear Sciences
    "nlin.AO": "Adaptation and Self-Organizing Systems",
    "nlin.CD": "Chaotic Dynamics",
    "nlin.CG": "Cellular Automata and Lattice Gases",
    "nlin.PS": "Pattern Formation and Solitons",
    "nlin.SI": "Exactly Solvable and Integrable Systems",
    # Physics
    "physics.acc-ph": "Accelerator Physics",
    "physics.ao-ph": "Atmospheric and Oceanic Physics",
    "physics.app-ph": "Applied Physics",
    "physics.atm-clus": "Atomic and Molecular Clusters",
    "physics.atom-ph": "Atomic Physics",
    "physics.bio-ph": "Biological Physics",
    "physics.chem-ph": "Chemical Physics",
    "physics.class-ph": "Classical Physics",
    "physics.comp-ph": "Computational Physics",
    "physics.data-an": "Data Analysis, Statistics and Probability",
    "physics.ed-ph": "Physics Education",
    "physics.flu-dyn": "Fluid Dynamics",
    "physics.gen-ph": "General Physics",
    "physics.geo-ph": "Geophysics",
    "physics.hist-ph": "History and Philosophy of Physics",
    "physics.ins-det": "Instrumentation and Detectors",
    "physics.med-ph": "Medical Physics",
    "physics.optics": "Optics",
    "physics.plasm-ph": "Plasma Physics",
    "physics.pop-ph": "Popular Physics",
    "physics.soc-ph": "Physics and Society",
    "physics.space-ph": "Space Physics",
    # Archives that are a single category
    "gr-qc": "General Relativity and Quantum Cosmology",
    "hep-ex": "High Energy Physics - Experiment",
    "hep-lat": "High Energy Physics - Lattice",
    "hep-ph": "High Energy Physics - Phenomenology",
    "hep-th": "High Energy Physics - Theory",
    "math-ph": "Mathematical Physics",
    "nucl-ex": "Nuclear Experiment",
    "nucl-th": "Nuclear Theory",
    "quant-ph": "Quantum Physics",
}
"""Every current arXiv category: category id -> official name (aliases included)."""

ALIASES: dict[str, str] = {
    "cs.NA": "math.NA",
    "cs.SY": "eess.SY",
    "math.IT": "cs.IT",
    "math.MP": "math-ph",
    "q-fin.EC": "econ.GN",
    "stat.TH": "math.ST",
}
"""arXiv's equivalent categories: alias -> canonical category."""

SHORT_CODE_PRECEDENCE: tuple[str, ...] = (
    "cs",
    "stat",
    "math",
    "eess",
    "econ",
    "q-bio",
    "q-fin",
    "astro-ph",
    "cond-mat",
    "nlin",
    "physics",
)
"""Which archive a short code (``LG``, ``ME``, ``CO``) belongs to when several have it: the first here."""


def _build_short_codes() -> dict[str, str]:
    """Map each category suffix to the category of the earliest archive in SHORT_CODE_PRECEDENCE.

    A category that is an archive of its own (``quant-ph``) is its own short code.
    """
    codes = {category: category for category in CATEGORIES if "." not in category}
    for archive in SHORT_CODE_PRECEDENCE:
        for category in CATEGORIES:
            prefix, _, suffix = category.partition(".")
            if prefix == archive:
                codes.setdefault(suffix, ALIASES.get(category, category))
    return codes


SHORT_CODES: dict[str, str] = _build_short_codes()
"""Profile-page short code -> canonical category, e.g. ``LG`` -> ``cs.LG``, ``ME`` -> ``stat.ME``, ``CO`` ->
``stat.CO`` (not ``math.CO``: stat comes before math), ``NA`` -> ``math.NA`` (``cs.NA`` is its alias)."""


def lookup_category(category_id: str) -> TopicRef | None:
    """The Topic for a full arXiv category id (``cs.LG``, ``quant-ph``); an alias gives its canonical one.

    Returns ``None`` for an id that is not a current arXiv category.

    >>> lookup_category("stat.ME").parent.name
    'Statistics'
    >>> lookup_category("cs.NA").id
    'arxiv:math.NA'
    """
    canonical = ALIASES.get(category_id, category_id)
    name = CATEGORIES.get(canonical)
    if name is None:
        return None
    archive, dot, _ = canonical.partition(".")
    parent = TopicRef(id=f"arxiv:{archive}", name=ARCHIVES[archive], kind="arxiv_archive") if dot else None
    return TopicRef(id=f"arxiv:{canonical}", name=name, kind="arxiv_category", parent=parent)


def resolve_short_code(code: str) -> TopicRef | None:
    """The Topic for a profile page's short code (``LG`` -> ``cs.LG``), or ``None`` when no category has it.

    See :data:`SHORT_CODE_PRECEDENCE` for how a code several archives share is resolved.
    """
    category_id = SHORT_CODES.get(code)
    return lookup_category(category_id) if category_id else None
