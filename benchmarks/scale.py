"""How do `scopekit check` and `scopekit build` scale from a small review to a large one?

Generates three review folders in a temporary directory, deterministically (seeded):

  small  about the size of the social-value example: 45 sources, 25 citations, ~3,000 words;
  half   500 sources, 1,500 citations, ~25,000 words, 5 searches;
  large  1,000 sources, 3,000 citations, ~50,000 words, 10 searches.

"half" is exactly half of "large" (same generator, every count halved), so large/half is
the cost of doubling a review. The prose of each has Background, Methods and Findings with
`##` subsections, lists, tables, `[@a; @b]` multi-citations, repeated citations (`As N`
notes), `[text](@key)` source links (some sources only linked: "Other sources") and a
search log. Every review must pass `scopekit check` with no errors before anything is timed.

Then, for each review, it runs as subprocesses of the scopekit of this Python environment
(start-up and imports included, peak memory measured per process with wait4's ru_maxrss):

  scopekit check DIR
  scopekit build DIR --format html --force --out OUT     (the same for docx and pdf)

DIR/.scopekit (build manifest and references cache) and OUT are deleted before every timed
run, so each run renders from scratch, citeproc-py included. Runs are interleaved (round
robin) after one untimed warm-up of each command on the small review. It prints the median
wall time and peak memory of each command, the growth large/half (target <= 2.2x for check,
HTML and DOCX; PDF reported only), the targets for the large review (check < 2 s, HTML < 5 s,
DOCX < 10 s, PDF < 60 s, peak memory < 1 GB) and the time of a rebuild with nothing changed
(no --force: every output reused) of the small and the social-value review (target < 0.5 s).

    python benchmarks/scale.py [--runs N] [--pdf-runs N] [--keep DIR] [--generate-only]

--keep DIR writes the reviews to DIR and leaves them there (e.g. for profiling);
--generate-only writes and checks them, and times nothing. With the defaults it takes about
5 minutes on 2 cores, most of it the PDFs of the half and large reviews. Every command is
killed after --timeout seconds (default 900). On a shared machine compare the cpu columns too:
wall time also counts waiting for a core.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOCIAL_VALUE = ROOT / "reviews" / "social-value"
TODAY = "2026-11-25"
PUBLISHED = "2024-06"
FORMATS = ("html", "docx", "pdf")
COMMANDS = ("check", *FORMATS)
GROWTH_LIMIT = 2.2
TARGETS = {"check": 2.0, "html": 5.0, "docx": 10.0, "pdf": 60.0}
MEMORY_LIMIT_MB = 1024.0
REBUILD_LIMIT = 0.5


# --- the generated reviews ---------------------------------------------------------------


@dataclass(frozen=True)
class Size:
    """What one generated review holds."""

    name: str
    sources: int
    citations: int  # cited keys in all, repeats included (one note each)
    cited: int  # distinct sources cited; the other sources are only linked
    extra_links: int  # source links to sources that are also cited
    words: int
    searches: int
    background_subsections: int
    findings_subsections: int
    table_rows: int


SIZES = (
    Size("small", 45, 25, 18, 5, 3_000, 6, 1, 3, 5),
    Size("half", 500, 1_500, 400, 100, 25_000, 5, 2, 12, 20),
    Size("large", 1_000, 3_000, 800, 200, 50_000, 10, 4, 24, 40),
)

PLACES = [
    a + b
    for a in (
        "Ash Brook Cal Dun Elm Fair Green Hol King Lang Mill North Oak Ponte Red Stan Thorn"
        " West Bar Carl"
    ).split()
    for b in "ford ley ton bury field ham wick dale mouth by".split()
]
KINDS = ["City", "Borough", "District", "County", "Metropolitan Borough"]
TOPICS = [
    "social value policy",
    "social value framework",
    "social value statement",
    "procurement strategy",
    "community wealth building plan",
    "local employment charter",
    "anchor institution partnership",
    "social value toolkit for bidders",
    "annual social value report",
    "themes, outcomes and measures",
    "inclusive economy strategy",
    "climate emergency action plan",
    "apprenticeship pledge",
    "supplier guide to social value",
    "contract management handbook",
    "case study of a regeneration scheme",
]
ORGANISATIONS = [
    "Local Government Association",
    "The King's Fund",
    "The Health Foundation",
    "Social Value Portal",
    "Institute of Health Equity",
    "Centre for Local Economic Strategies",
    "Cabinet Office",
    "Department for Levelling Up, Housing and Communities",
    "NHS England",
    "Public Health England",
]
JOURNALS = [
    "Local Government Studies",
    "Public Money & Management",
    "Journal of Public Procurement",
    "BMC Public Health",
    "Social Enterprise Journal",
    "Policy & Politics",
]
FAMILIES = (
    "Ahmed Baker Chen Davies Evans Fraser Gill Hughes Iqbal Jones Khan Lewis Morgan Nowak"
    " Owen Patel Quinn Roberts Singh Taylor Usman Vaughan Walsh Young"
).split()
GIVENS = (
    "Amira Ben Chloe Daniel Ella Farah George Hannah Imran Joanna Kieran Laura Mohammed"
    " Nadia Oliver Priya Rachel Sam Tom Zainab"
).split()

SUBJECTS = [
    "Local authorities",
    "Most councils",
    "Several district councils",
    "Combined authorities",
    "Procurement teams",
    "Commissioners",
    "Voluntary sector partners",
    "Housing associations",
    "NHS trusts",
    "Anchor institutions",
    "Smaller suppliers",
    "Published evaluations",
    "Council officers",
    "Community organisations",
    "Elected members",
    "Contract managers",
    "Large employers",
    "Public health teams",
    "Regeneration programmes",
    "Two of the metropolitan boroughs",
]
VERBS = [
    "reported",
    "described",
    "set out",
    "measured",
    "introduced",
    "expanded",
    "reviewed",
    "published",
    "piloted",
    "monitored",
    "questioned",
    "emphasised",
    "compared",
    "adopted",
    "revised",
    "funded",
    "evaluated",
    "recorded",
]
OBJECTS = [
    "social value clauses in their contracts",
    "local employment targets",
    "weightings of ten to twenty per cent in tender scoring",
    "apprenticeship commitments from contractors",
    "spend with local small and medium enterprises",
    "carbon reduction pledges",
    "volunteering hours given by suppliers",
    "community benefit funds",
    "frameworks of themes, outcomes and measures",
    "training sessions for prospective bidders",
    "case studies of completed building projects",
    "annual reports on the social value delivered",
    "outcome measures for health and wellbeing",
    "targets for young people not in education, employment or training",
    "guaranteed interviews for care leavers",
    "living wage requirements across the supply chain",
    "the proxy values used to put a price on outcomes",
    "place-based partnerships with colleges and universities",
]
ADJUNCTS = [
    "over the past three years",
    "in partnership with local employers",
    "across the whole council",
    "for contracts above a set value",
    "as part of their corporate plan",
    "after consultation with residents",
    "in the most deprived neighbourhoods",
    "during the pandemic",
    "with support from a national network",
    "within existing budgets",
    "through their procurement strategy",
    "alongside the national measures",
    "for construction and facilities management contracts",
    "at the point of contract award",
]
CLAUSES = [
    "although few reported outcomes beyond the first year",
    "which made comparison between councils difficult",
    "while smaller suppliers found the requirements hard to meet",
    "and several linked this to wider work on health inequalities",
    "but the measures differed from one contract to the next",
    "so that delivery could be checked at each contract review",
    "because national guidance left the details to each authority",
    "though the evidence on impact remained thin",
    "and residents were rarely asked what mattered to them",
    "with monitoring often left to the supplier",
]
OPENERS = [
    "In practice,",
    "By contrast,",
    "Similarly,",
    "In most cases,",
    "For larger contracts,",
    "Overall,",
    "At the same time,",
    "In the West Midlands,",
    "Among the districts,",
    "Where data were available,",
    "In one example,",
    "More broadly,",
]
LINK_VERBS = [
    "sets out",
    "describes",
    "explains",
    "summarises",
    "reports on",
    "gives examples of",
    "lists",
]
HEADINGS = [
    "Policies and frameworks",
    "Measuring social value",
    "Procurement practice",
    "Employment and skills",
    "Local supply chains",
    "Environmental commitments",
    "Health and wellbeing",
    "Working with anchor institutions",
    "Support for suppliers",
    "Monitoring and reporting",
    "Community engagement",
    "Barriers to delivery",
    "Examples from the West Midlands",
    "Examples from the North of England",
    "Examples from London",
    "Examples from rural districts",
    "Results from health-focused organisations",
    "Academic evidence",
    "Costs and resources",
    "Lessons for Coventry",
]
WHERE = [
    "Google advanced search, .gov.uk domains",
    "Local Government Association website",
    "NICE Evidence Search",
    "The King's Fund website",
    "The Health Foundation website",
    "Social Value Portal website",
    "Scopus",
    "GOV.UK publications",
    "Institute of Health Equity website",
    "Centre for Local Economic Strategies website",
]
QUERIES = [
    '"social value"',
    "social value",
    '"social value" council evaluation',
    '"anchor institution" procurement',
    '"community wealth building"',
    '"social value" health inequalities',
]

# Placeholders in generated prose, filled once every slot is known.
CITE = "\x02"
LINK = "\x01"
LIST_LINK = "\x03"
WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’,.-]*")


@dataclass
class SourceEntry:
    """One generated source: its id, its title (link text) and its YAML lines."""

    id: str
    title: str
    lines: list[str]


@dataclass
class Generated:
    """A generated review folder and what it holds."""

    size: Size
    folder: Path
    words: int = 0
    citations: int = 0
    groups: int = 0
    multi: int = 0
    links: int = 0
    repeats: int = 0


def scalar(value: object) -> str:
    """A YAML scalar: plain when that is safe, else a JSON (double-quoted YAML) string."""
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if re.fullmatch(r"[A-Za-z0-9][\w .,'’()/&–-]*", text) and not text.endswith(" "):
        return text
    return json.dumps(text, ensure_ascii=False)


def day(rng: random.Random, year: int, months: tuple[int, int]) -> str:
    """A random real day of `year` in the months range."""
    month = rng.randint(*months)
    return f"{year}-{month:02d}-{rng.randint(1, 28):02d}"


def make_sources(rng: random.Random, size: Size) -> list[SourceEntry]:
    """The sources: webpages, reports and journal articles with valid URLs and dates."""
    sources = []
    for n in range(1, size.sources + 1):
        place = PLACES[rng.randrange(len(PLACES))]
        council = f"{place} {rng.choice(KINDS)} Council"
        topic = rng.choice(TOPICS)
        council_no = PLACES.index(place) + 1
        # accessed up to six months before `published` (2024-06): never stale, never after
        accessed = day(rng, 2024, (1, 5))
        roll = rng.random()
        lines = []
        if roll < 0.55:
            kind, title = "webpage", f"{council} {topic}"
            source_id = f"{place.lower()}-{topic.split()[0].strip(',')}-{n:04d}"
            url = f"https://www.example-council-{council_no}.gov.uk/page/{n}"
            lines += [f"  type: {kind}", f"  title: {scalar(title)}"]
            lines.append(f"  publisher: {scalar(council)}")
        elif roll < 0.85:
            org = rng.choice(ORGANISATIONS)
            title = f"{topic.capitalize()}: lessons from {rng.randint(3, 60)} local authorities"
            source_id = f"report-{org.split()[-1].lower().strip(',')}-{n:04d}"
            url = f"https://www.example-council-{council_no}.gov.uk/page/{n}"
            lines += ["  type: report", f"  title: {scalar(title)}"]
            if rng.random() < 0.5:
                lines += ["  author:", f"    - literal: {scalar(org)}"]
            lines.append(f"  publisher: {scalar(org)}")
        else:
            title = (
                f"{rng.choice(OBJECTS).capitalize()} {rng.choice(ADJUNCTS)}: a study of {council}"
            )
            family = rng.choice(FAMILIES)
            source_id = f"{family.lower()}-{rng.randint(2015, 2024)}-{n:04d}"
            url = f"https://doi.org/10.5555/scopekit.bench.{n}"
            lines += ["  type: article-journal", f"  title: {scalar(title)}", "  author:"]
            for _ in range(rng.randint(1, 4)):
                lines += [
                    f"    - family: {rng.choice(FAMILIES)}",
                    f"      given: {rng.choice(GIVENS)}",
                ]
            lines += [
                f"  container-title: {scalar(rng.choice(JOURNALS))}",
                f"  volume: {rng.randint(10, 60)}",
                f"  issue: {rng.randint(1, 6)}",
                f"  page: {(first := rng.randint(1, 900))}-{first + rng.randint(8, 30)}",
                f"  DOI: 10.5555/scopekit.bench.{n}",
            ]
        if rng.random() < 0.7:
            lines.append(f"  issued: {rng.randint(2016, 2023)}-{rng.randint(1, 12):02d}")
        lines += [f"  URL: {url}", f"  accessed: {accessed}"]
        if rng.random() < 0.2:
            stamp = accessed.replace("-", "") + "000000"
            lines.append(f"  archived: https://web.archive.org/web/{stamp}/{url}")
        if rng.random() < 0.1:
            lines.append("  remark: Checked by a second reviewer.")
        sources.append(SourceEntry(source_id, title, [f"- id: {source_id}", *lines]))
    return sources


def sentence(rng: random.Random, link: bool = False) -> str:
    """One sentence of 10 to 35 words; with `link`, it names a source through a link slot."""
    if link:
        words = [f"The {LINK}", rng.choice(LINK_VERBS), rng.choice(OBJECTS)]
    else:
        subject = rng.choice(SUBJECTS)
        words = [subject, rng.choice(VERBS), rng.choice(OBJECTS)]
        if rng.random() < 0.3:
            if not subject.startswith("NHS"):
                words[0] = subject[0].lower() + subject[1:]
            words.insert(0, rng.choice(OPENERS))
    if rng.random() < 0.6:
        words.append(rng.choice(ADJUNCTS))
    text = " ".join(words)
    if rng.random() < 0.45:
        text += ", " + rng.choice(CLAUSES)
    if rng.random() < 0.15:
        text = text.replace(" and ", " and **", 1) + "**" if " and " in text else text
    if rng.random() < 0.08:
        text += f" (in {rng.randint(2, 40)} of {rng.randint(41, 120)} documents)"
    return text + "." + CITE


def paragraph(rng: random.Random, link_share: float) -> str:
    """A paragraph of 3 to 7 sentences."""
    return " ".join(sentence(rng, rng.random() < link_share) for _ in range(rng.randint(3, 7)))


def bullet_list(rng: random.Random) -> str:
    """A bullet or numbered list whose items start with a source link."""
    numbered = rng.random() < 0.3
    items = []
    for i in range(1, rng.randint(3, 6) + 1):
        mark = f"{i}." if numbered else "-"
        tail = f"{rng.choice(LINK_VERBS)} {rng.choice(OBJECTS)} {rng.choice(ADJUNCTS)}"
        items.append(f"{mark} {LIST_LINK} – {tail}.{CITE}")
    intro = rng.choice(
        [
            "Examples of this include:",
            f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} examples such as these:",
            "The following documents were of particular interest:",
        ]
    )
    return intro + "\n\n" + "\n".join(items)


def words_of(text: str) -> int:
    """Words of prose, without citation brackets, link targets or table rules."""
    text = re.sub(r"\[@[^\]]*\]|\]\(@[^)]*\)|\|\s*-+\s*", " ", text)
    for marker in (LINK, LIST_LINK):
        text = text.replace(marker, "the title of a source")
    return len(WORD.findall(text.replace(CITE, " ")))


def section_blocks(
    rng: random.Random, budget: float, subsections: int, link_share: float
) -> list[str]:
    """Blocks of one section (paragraphs, lists, subsection headings) up to `budget` words."""
    blocks: list[str] = []
    headings: list[str | None] = list(rng.sample(HEADINGS, k=min(subsections, len(HEADINGS))))
    headings += [
        f"{rng.choice(HEADINGS)}: further examples" for _ in range(subsections - len(headings))
    ]
    per = budget / max(subsections, 1)
    used = 0
    for index, heading in enumerate(headings or [None]):
        if heading:
            level = "###" if index and rng.random() < 0.2 else "##"
            blocks.append(f"{level} {heading}")
        while used < per * (index + 1):
            block = bullet_list(rng) if rng.random() < 0.12 else paragraph(rng, link_share)
            blocks.append(block)
            used += words_of(block)
    return blocks


def search_entries(rng: random.Random, size: Size) -> list[dict]:
    """The search log; the first runs 01/01/2020 – 22/05/2024 (Methods says so)."""
    searches = []
    for i in range(size.searches):
        to = "2024-05-22" if i == 0 else day(rng, 2024, (4, 5))
        searches.append(
            {
                "id": f"search-{i + 1:02d}",
                "where": WHERE[i % len(WHERE)],
                "query": QUERIES[i % len(QUERIES)],
                "from": "2020-01-01" if i == 0 else f"{rng.randint(2015, 2021)}-01-01",
                "to": to,
                "run": to,
                "results": rng.randint(40, 20_000),
                "approximate": rng.random() < 0.4,
                "notes": "First 100 results screened by title.",
            }
        )
    return searches


def findings_table(rng: random.Random, rows: int) -> str:
    """A pipe table: one row per council, a citation slot in the last column."""
    lines = [
        "Table 2 summarises the approaches of the councils with a published policy.",
        "",
        "| Council | Main theme | Weighting | Reported outcome | Source |",
        "| --- | --- | --- | --- | --- |",
    ]
    for _ in range(rows):
        council = f"{rng.choice(PLACES)} {rng.choice(KINDS)} Council"
        theme = rng.choice(OBJECTS).split(" in ")[0]
        outcome = rng.choice(["jobs created", "local spend", "none yet", "apprenticeships"])
        lines.append(
            f"| {council} | {theme} | {rng.choice((10, 15, 20, 30))}% | {outcome} | {CITE} |"
        )
    return "\n".join(lines)


def citation_groups(rng: random.Random, size: Size, cited: list[str]) -> list[list[str]]:
    """`size.citations` keys in groups of one to three distinct keys; every cited id once."""
    keys = list(cited)
    weights = [1.0 / (rank + 1) ** 0.7 for rank in range(len(cited))]
    keys += rng.choices(cited, weights=weights, k=size.citations - len(cited))
    rng.shuffle(keys)
    groups: list[list[str]] = []
    while keys:
        want = rng.choices((1, 2, 3), weights=(65, 25, 10))[0]
        group: list[str] = []
        while keys and len(group) < want and keys[-1] not in group:
            group.append(keys.pop())
        groups.append(group)
    return groups


def fill(text: str, marker: str, values: list[str], empty: list[str], rng: random.Random) -> str:
    """Put `values`, in order, into randomly chosen `marker` slots; the other slots get one
    of `empty`. There must be at least as many slots as values."""
    slots = text.count(marker)
    if slots < len(values):
        raise SystemExit(f"generator: {len(values)} items for {slots} slots")
    chosen = set(rng.sample(range(slots), len(values)))
    parts = text.split(marker)
    it = iter(values)
    out = [parts[0]]
    for index, part in enumerate(parts[1:]):
        out.append(next(it) if index in chosen else rng.choice(empty))
        out.append(part)
    return "".join(out)


def generate(size: Size, folder: Path, seed: int) -> Generated:
    """Write one review folder for `size`, its prose within 2% of `size.words` words."""
    review = write_review(size, folder, seed, size.words)
    if abs(review.words - size.words) > 0.02 * size.words:  # once more, scaled to fit
        review = write_review(size, folder, seed, size.words * size.words / review.words)
    return review


def write_review(size: Size, folder: Path, seed: int, budget: float) -> Generated:
    """Write one review folder for `size`, with about `budget` words of generated prose."""
    rng = random.Random(f"scopekit-scale-{seed}-{size.name}")
    folder.mkdir(parents=True, exist_ok=True)
    sources = make_sources(rng, size)
    order = list(range(len(sources)))
    rng.shuffle(order)
    cited = [sources[i].id for i in order[: size.cited]]
    link_only = [sources[i] for i in order[size.cited :]]
    linked = link_only + [sources[i] for i in rng.sample(order[: size.cited], size.extra_links)]
    rng.shuffle(linked)
    groups = citation_groups(rng, size, cited)
    searches = search_entries(rng, size)

    link_share = min(0.9, 1.2 * len(linked) / (budget / 16))
    background = section_blocks(rng, budget * 0.12, size.background_subsections, link_share)
    methods = [
        "Searches were run on the websites and databases in table 1, limited to documents "
        "published 01/01/2020 – 22/05/2024 for the main web search; the other date limits are "
        "in the search log.",
        "",
        "| Search | Where | Terms | Results |\n| --- | --- | --- | --- |\n"
        + "\n".join(
            f"| {i + 1} | {s['where']} | {s['query']} | "
            f"{'~' if s['approximate'] else ''}{s['results']:,} |"
            for i, s in enumerate(searches)
        ),
        "<!-- the screening spreadsheet is kept on the team drive -->",
        *section_blocks(rng, budget * 0.08 - 60, 1 if size.words > 10_000 else 0, 0.0),
    ]
    findings = section_blocks(rng, budget * 0.80, size.findings_subsections, link_share)
    at = len(findings) // 2
    findings.insert(at, findings_table(rng, size.table_rows))

    files = {"background.md": background, "methods.md": methods, "findings.md": findings}
    text = "\x00".join(
        f"# {name[:-3].capitalize()}\n\n" + "\n\n".join(b for b in blocks if b)
        for name, blocks in files.items()
    )
    # links (list items first): a source's title; a slot left over becomes plain words
    links = [f"[{s.title}](@{s.id})" for s in linked]
    in_lists = min(text.count(LIST_LINK), len(links))
    plain = ["A council's published policy", "A regional network's guidance", "Local guidance"]
    text = fill(text, LIST_LINK, links[:in_lists], plain, rng)
    plain = ["published guidance", "council's own policy", "national guidance"]
    text = fill(text, LINK, links[in_lists:], plain, rng)
    text = fill(text, CITE, [f"[@{'; @'.join(g)}]" for g in groups], [""], rng)
    for (name, _), body in zip(files.items(), text.split("\x00")):
        (folder / name).write_text(body.rstrip() + "\n", encoding="utf-8")

    review = [
        "format: 1",
        f"title: What are local authorities doing to secure social value? ({size.name} "
        "synthetic review)",
        f"short_title: Social value ({size.name})",
        "type: Rapid scoping review",
        "questions:",
        "  - What are local authorities doing around social value?",
        "  - How are social value initiatives being implemented and measured?",
        "authors:",
        "  - name: Dr Ada Benchmark",
        "    affiliation: Coventry Health Determinants Research Collaboration",
        "  - name: Sam Scale",
        "    affiliation: Economic Development, Coventry City Council",
        "organisation: Coventry Health Determinants Research Collaboration",
        "commissioned_by: Economic Development team, Coventry City Council",
        f"published: {PUBLISHED}",
        "key_messages:",
        "  - Most councils publish a social value policy; few report outcomes.",
        "  - Weightings of ten to twenty per cent in tender scoring were common.",
        "  - Smaller suppliers need support to compete on social value.",
        "house_style: coventry-hdrc",
        "citation_style: coventry-hdrc",
        "language: en-GB",
        "sections: [background.md, methods.md, findings.md]",
    ]
    (folder / "review.yaml").write_text("\n".join(review) + "\n", encoding="utf-8")
    search_lines = ["# The searches described in Methods, in the order they were run.", ""]
    for search in searches:
        search_lines.append(f"- id: {search['id']}")
        for key, value in list(search.items())[1:]:
            shown = str(value).lower() if isinstance(value, bool) else scalar(value)
            search_lines.append(f"  {key}: {shown}")
        search_lines.append("")
    (folder / "searches.yaml").write_text("\n".join(search_lines), encoding="utf-8")
    source_text = "# Generated sources (benchmarks/scale.py).\n\n" + "\n\n".join(
        "\n".join(s.lines) for s in sources
    )
    (folder / "sources.yaml").write_text(source_text + "\n", encoding="utf-8")

    prose = "".join((folder / name).read_text(encoding="utf-8") for name in files)
    brackets = re.findall(r"\[(@[^\]]*)\](?![(\[:])", prose)
    keys = [k.strip() for b in brackets for k in b.split(";")]
    return Generated(
        size,
        folder,
        words=words_of(prose),
        citations=len(keys),
        groups=len(brackets),
        multi=sum(";" in b for b in brackets),
        links=len(re.findall(r"\]\(@", prose)),
        repeats=len(keys) - len(set(keys)),
    )


# --- running commands --------------------------------------------------------------------


@dataclass
class Measure:
    """One run of one command: wall time, the child's CPU time (user + system) and peak
    resident memory, its output, and the 1-minute load average just before it started."""

    seconds: float
    cpu: float
    peak_mb: float
    code: int
    stdout: str
    stderr: str
    load: float = 0.0


def run(command: list[str], env: dict[str, str], timeout: float) -> Measure:
    """Run `command`; wall time, CPU time and ru_maxrss of that child (wait4), killed at
    `timeout`."""
    before = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        killed = threading.Event()
        start = time.perf_counter()
        process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env
        )

        def kill() -> None:
            killed.set()
            process.kill()

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    if killed.is_set():
        raise SystemExit(f"timed out after {timeout:.0f} s: {' '.join(command)}")
    cpu = usage.ru_utime + usage.ru_stime
    peak = usage.ru_maxrss / 1024  # kB on Linux
    return Measure(seconds, cpu, peak, process.returncode, stdout, stderr, before)


def scopekit_command() -> str:
    """The scopekit of the running Python environment."""
    beside = Path(sys.executable).parent / "scopekit"
    if beside.is_file():
        return str(beside)
    found = shutil.which("scopekit")
    if not found:
        raise SystemExit("scopekit command not found: pip install -e . in this environment")
    return found


def fresh(folder: Path, out: Path) -> None:
    """Forget every earlier build: the manifest, the references cache and the outputs."""
    shutil.rmtree(folder / ".scopekit", ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)


def command_for(scopekit: str, name: str, folder: Path, out: Path) -> list[str]:
    """The command line of `check` or of building one format (always --force)."""
    if name == "check":
        return [scopekit, "check", str(folder)]
    return [scopekit, "build", str(folder), "--format", name, "--force", "--out", str(out)]


def timed(scopekit: str, name: str, folder: Path, env: dict[str, str], timeout: float) -> Measure:
    """One timed run from scratch; stop the benchmark if it fails or reuses an output."""
    out = folder.parent / f"{folder.name}-out"
    fresh(folder, out)
    command = command_for(scopekit, name, folder, out)
    measure = run(command, env, timeout)
    if measure.code != 0:
        raise SystemExit(
            f"failed (exit {measure.code}): {' '.join(command)}\n{measure.stderr[-2000:]}"
        )
    if name != "check":
        output = out / f"{folder.name}.{name}"
        if not output.is_file() or "up to date" in measure.stdout:
            raise SystemExit(f"{' '.join(command)} did not render {output}:\n{measure.stdout}")
        if "footnotes reached the PDF" in measure.stdout + measure.stderr:
            raise SystemExit(f"{' '.join(command)} lost footnotes:\n{measure.stdout}")
    return measure


def verify(scopekit: str, review: Generated, env: dict[str, str], timeout: float) -> int:
    """`scopekit check --json`: abort on any error; return the number of warnings."""
    done = run([scopekit, "check", "--json", str(review.folder)], env, timeout)
    try:
        report = json.loads(done.stdout)
    except ValueError:
        raise SystemExit(
            f"scopekit check {review.folder} printed no JSON (exit {done.code}):\n"
            f"{done.stdout[-1000:]}{done.stderr[-2000:]}"
        ) from None
    if done.code != 0 or report.get("errors"):
        shown = "\n".join(
            f"  {p.get('file')}:{p.get('line')}: {p.get('code')} {p.get('message')}"
            for p in report.get("problems", [])
            if p.get("severity") == "error"
        )
        raise SystemExit(
            f"generated review {review.size.name} does not pass scopekit check "
            f"({report.get('errors')} errors):\n{shown[:4000]}"
        )
    return int(report.get("warnings", 0))


def rebuild(
    scopekit: str, source: Path, work: Path, env: dict[str, str], runs: int, timeout: float
) -> Measure:
    """Median of rebuilding all formats with nothing changed (no --force), after one build."""
    folder = work / f"rebuild-{source.name}"
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(source, folder, ignore=shutil.ignore_patterns("build", ".scopekit"))
    out = work / f"rebuild-{source.name}-out"
    command = [scopekit, "build", str(folder), "--out", str(out)]
    first = run(command, env, timeout)
    if first.code != 0:
        raise SystemExit(f"failed (exit {first.code}): {' '.join(command)}\n{first.stderr}")
    measures = []
    for _ in range(runs):
        measure = run(command, env, timeout)
        reused = measure.stdout.count("(up to date)")
        if measure.code != 0 or reused != len(FORMATS):
            raise SystemExit(
                f"rebuild of {source.name} did not reuse all {len(FORMATS)} outputs "
                f"(exit {measure.code}):\n{measure.stdout}{measure.stderr}"
            )
        measures.append(measure)
    return Measure(
        statistics.median(m.seconds for m in measures),
        statistics.median(m.cpu for m in measures),
        max(m.peak_mb for m in measures),
        0,
        "",
        "",
        max(m.load for m in measures),
    )


# --- report --------------------------------------------------------------------------------


def load() -> str:
    """The load averages, as `1.23 1.10 0.98`."""
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "unknown"


def describe(review: Generated, warnings: int) -> str:
    """One line saying what a generated review holds."""
    r = review
    sources_kb = (r.folder / "sources.yaml").stat().st_size / 1024
    return (
        f"  {r.size.name:<6} {r.size.sources:>5} sources ({sources_kb:,.0f} kB), "
        f"{r.citations:>5} citations in {r.groups} brackets ({r.multi} multi, "
        f"{r.repeats} 'As N'), {r.links} source links, {r.words:,} words, "
        f"{r.size.searches} searches; check: 0 errors, {warnings} warnings"
    )


def verdict(ok: bool) -> str:
    return "ok" if ok else "SLOW"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each (default 3)")
    parser.add_argument(
        "--pdf-runs", type=int, default=1, help="timed PDF runs of the large review (default 1)"
    )
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument(
        "--timeout", type=float, default=900, help="seconds before a command is killed"
    )
    parser.add_argument("--keep", metavar="DIR", help="write the reviews to DIR and keep them")
    parser.add_argument(
        "--generate-only", action="store_true", help="generate and check; time nothing"
    )
    args = parser.parse_args()
    if args.runs < 1 or args.pdf_runs < 1:
        parser.error("--runs and --pdf-runs must be at least 1")

    scopekit = scopekit_command()
    env = {**os.environ, "SCOPEKIT_TODAY": TODAY}
    env.pop("SOURCE_DATE_EPOCH", None)
    version = run([scopekit, "--version"], env, 60).stdout.strip()
    print(f"{version} ({scopekit}), Python {platform.python_version()}")
    print(f"{os.cpu_count()} CPUs, load average at start: {load()}")

    with tempfile.TemporaryDirectory(prefix="scopekit-scale-") as tmp:
        work = Path(args.keep).resolve() if args.keep else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        reviews = {size.name: generate(size, work / size.name, args.seed) for size in SIZES}
        took = time.perf_counter() - start
        print(f"generated in {took:.1f} s (seed {args.seed}) in {work}:")
        for review in reviews.values():
            print(describe(review, verify(scopekit, review, env, args.timeout)))
        if args.generate_only:
            return

        # warm-up: .pyc files, font instances, the jinja cache, the disk cache
        for name in COMMANDS:
            timed(scopekit, name, reviews["small"].folder, env, args.timeout)

        cases = [(name, size.name) for name in COMMANDS for size in SIZES]
        wanted = {case: args.pdf_runs if case == ("pdf", "large") else args.runs for case in cases}
        results: dict[tuple[str, str], list[Measure]] = {case: [] for case in cases}
        for round_no in range(max(wanted.values())):
            for case in cases:
                if round_no < wanted[case]:
                    name, size = case
                    measure = timed(scopekit, name, reviews[size].folder, env, args.timeout)
                    results[case].append(measure)
        rebuilds = {
            "small": rebuild(scopekit, reviews["small"].folder, work, env, args.runs, 120),
            "social-value": rebuild(scopekit, SOCIAL_VALUE, work, env, args.runs, 120),
        }

    seconds = {case: statistics.median(m.seconds for m in ms) for case, ms in results.items()}
    cpu = {case: statistics.median(m.cpu for m in ms) for case, ms in results.items()}
    peak = {case: max(m.peak_mb for m in ms) for case, ms in results.items()}
    busiest = max(m.load for ms in results.values() for m in ms)
    print()
    print(
        f"median of {args.runs} run(s) each (large PDF: {args.pdf_runs}), from scratch "
        "(no .scopekit, no outputs), start-up included"
    )
    print(
        "wall = elapsed time, cpu = user + system time of the process, peak = its max RSS; "
        f"1-min load average before a run: up to {busiest:.2f}"
    )
    header = "".join(f"{name:>29}" for name in ("small", "half", "large"))
    print(f"{'command':<11}{header}{'large/half':>12}")
    for name in COMMANDS:
        label = "check" if name == "check" else f"build {name}"
        cells = "".join(
            f"{seconds[(name, s.name)]:>8.2f} s{cpu[(name, s.name)]:>7.2f} cpu"
            f"{peak[(name, s.name)]:>5.0f} MB"
            for s in SIZES
        )
        growth = seconds[(name, "large")] / seconds[(name, "half")]
        print(f"{label:<11}{cells}{growth:>11.2f}x")

    print()
    print(
        f"growth when the review doubles (large/half; target <= {GROWTH_LIMIT}x wall time), "
        "and from small to large:"
    )
    for name in COMMANDS:
        large, half, small = ((name, size) for size in ("large", "half", "small"))
        growth = seconds[large] / seconds[half]
        mark = "reported only" if name == "pdf" else verdict(growth <= GROWTH_LIMIT)
        if mark == "SLOW" and cpu[large] / cpu[half] <= GROWTH_LIMIT:
            mark = "SLOW (wall)"  # the process itself grew less: a busy machine?
        print(
            f"  {name:<6} {growth:5.2f}x wall, {cpu[large] / cpu[half]:5.2f}x cpu, "
            f"{peak[large] / peak[half]:4.2f}x peak memory   {mark:<14}"
            f"(large/small: {seconds[large] / seconds[small]:5.1f}x wall)"
        )

    print()
    print("targets for the large review:")
    for name in COMMANDS:
        value = seconds[(name, "large")]
        limit = TARGETS[name]
        print(f"  {name:<6} {value:7.2f} s  < {limit:>4.0f} s   {verdict(value < limit)}")
    top = max(peak[(name, "large")] for name in COMMANDS)
    which = max(COMMANDS, key=lambda name: peak[(name, "large")])
    print(
        f"  memory {top:7.0f} MB < {MEMORY_LIMIT_MB:.0f} MB   {verdict(top < MEMORY_LIMIT_MB)}"
        f"   (largest: {which})"
    )

    print()
    print("rebuild (nothing changed, no --force; all three formats reused):")
    for name, measure in rebuilds.items():
        print(
            f"  {name:<13} {measure.seconds:6.3f} s ({measure.cpu:5.3f} cpu) "
            f"{measure.peak_mb:4.0f} MB  < {REBUILD_LIMIT} s   "
            f"{verdict(measure.seconds < REBUILD_LIMIT)}"
        )
    print()
    print(f"load average at end: {load()}")


if __name__ == "__main__":
    main()
