"""The user's guide in docs/ keeps up with the code and the design contract.

- every problem code (cli.md's table, and every code the source can emit) has a `## code`
  section in docs/checks.md that states its severity;
- every command and option of the CLI has help text, and every command's help an example;
- docs/ci/scopekit.yml is a GitHub Actions workflow that runs on push and weekly, runs
  check, build and check-links, and is the file shown in docs/ci.md;
- every field of format v1 (the field table, src/scopekit/review/model.py) is named in
  docs/review-format.md, and a field's default is the one its row there states;
- every relative link in docs/*.md points at a file that exists (and at a heading that
  exists, when it names one).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer
import yaml

from scopekit.cli import app
from scopekit.review.model import (
    Author,
    Charting,
    Counts,
    Eligibility,
    Metadata,
    Screening,
    Search,
    Source,
)

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"
SOURCE = REPO / "src" / "scopekit"
# The design contract, when the shared design folder is checked out beside the repository.
CLI_CONTRACT = Path(__file__).resolve().parents[2] / "shared/design/cli.md"
CHECKS_DOC = DOCS / "checks.md"
FORMAT_DOC = DOCS / "review-format.md"
CI_DOC = DOCS / "ci.md"
WORKFLOW = DOCS / "ci" / "scopekit.yml"

CODE = r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*"
_TABLE_ROW = re.compile(rf"^\|\s*({CODE})\s*\|\s*(error|warning)\b", re.M)
_EMITTED = re.compile(rf"(?<![.\w])(error|warning)\(\s*\"({CODE})\"")
_CODE_HEADING = re.compile(rf"^## ({CODE})[ \t]*$", re.M)
_SEVERITY = re.compile(r"\*\*Severity:\*\*\s*(error|warning)\b")
_FENCE = re.compile(r"^(`{3,}|~{3,})[^\n]*\n.*?^\1[ \t]*$", re.M | re.S)
_INLINE_CODE = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)", re.S)
_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$", re.M)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


# --- helpers ---------------------------------------------------------------------------------


def contract_codes() -> dict[str, str]:
    """code -> severity from the table of problem codes in the design's cli.md."""
    text = CLI_CONTRACT.read_text(encoding="utf-8")
    table = text.split("## Problem codes", 1)[1]
    return {code: severity for code, severity in _TABLE_ROW.findall(table)}


def emitted_codes() -> dict[str, str]:
    """code -> severity of every `error("code", …)` / `warning("code", …)` call in the source."""
    codes: dict[str, str] = {}
    for path in sorted(SOURCE.rglob("*.py")):
        for severity, code in _EMITTED.findall(path.read_text(encoding="utf-8")):
            codes.setdefault(code, severity)
    return codes


def expected_codes() -> dict[str, str]:
    """The codes the guide must document: cli.md's table when present, else the source's."""
    return contract_codes() if CLI_CONTRACT.is_file() else emitted_codes()


def checks_sections() -> dict[str, str]:
    """`## code` heading -> the text of its section in docs/checks.md."""
    text = strip_code(CHECKS_DOC.read_text(encoding="utf-8"), inline=False)
    parts = re.split(r"^(## .*)$", text, flags=re.M)
    sections = {}
    for heading, body in zip(parts[1::2], parts[2::2]):
        match = _CODE_HEADING.match(heading)
        if match:
            sections[match[1]] = body
    return sections


def strip_code(text: str, inline: bool = True) -> str:
    """Markdown without fenced code blocks (and without inline code spans)."""
    text = _FENCE.sub("", text)
    return _INLINE_CODE.sub("", text) if inline else text


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = _INLINE_CODE.sub(lambda m: m[0].strip("`"), heading.strip()).lower()
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """Every heading anchor of a Markdown file (repeats get -1, -2 … as on GitHub)."""
    seen: dict[str, int] = {}
    result = set()
    for heading in _HEADING.findall(strip_code(path.read_text(encoding="utf-8"), inline=False)):
        base = slug(heading)
        count = seen.get(base, 0)
        seen[base] = count + 1
        result.add(base if count == 0 else f"{base}-{count}")
    return result


def doc_pages() -> list[Path]:
    return sorted(DOCS.glob("*.md"))


def load_workflow() -> dict:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(data, dict), "the workflow file must be a mapping"
    return data


def triggers(workflow: dict) -> dict:
    """The `on:` mapping (YAML 1.1 reads the bare key `on` as the boolean True)."""
    on = workflow.get("on", workflow.get(True))
    assert isinstance(on, dict), "`on:` must be a mapping of events"
    return on


def run_steps(workflow: dict) -> list[str]:
    return [
        str(step["run"])
        for job in workflow["jobs"].values()
        for step in job.get("steps", [])
        if "run" in step
    ]


# --- (a) every problem code is documented ------------------------------------------------------


def test_the_code_lists_are_found():
    assert len(emitted_codes()) >= 20, "the source scan found too few problem codes"
    if CLI_CONTRACT.is_file():
        assert len(contract_codes()) >= 20, "the table of problem codes in cli.md was not found"


def test_every_contract_code_has_a_section_in_checks_md():
    sections = checks_sections()
    missing = sorted(set(expected_codes()) - set(sections))
    assert not missing, f"docs/checks.md lacks a '## code' section for: {missing}"


def test_every_code_the_source_emits_is_documented():
    sections = checks_sections()
    missing = sorted(set(emitted_codes()) - set(sections))
    assert not missing, f"codes emitted by src/scopekit but missing from docs/checks.md: {missing}"


def test_checks_md_states_each_codes_severity():
    sections = checks_sections()
    wrong = {}
    for code, severity in {**emitted_codes(), **expected_codes()}.items():
        if code not in sections:
            continue
        stated = _SEVERITY.search(sections[code])
        if stated is None or stated[1] != severity:
            wrong[code] = (severity, stated[1] if stated else None)
    assert not wrong, f"severity in docs/checks.md differs (expected, stated): {wrong}"


def test_checks_md_documents_no_unknown_code():
    known = set(emitted_codes()) | set(expected_codes())
    stray = sorted(set(checks_sections()) - known)
    assert not stray, f"docs/checks.md documents codes nothing emits: {stray}"


# --- (b) every command and option has help, every command an example -------------------------

# typer >= 0.24 builds on its own copy of click, so commands are not click.Command instances:
# they are read by their attributes (help, params, opts), as click defines them.
ROOT = typer.main.get_command(app)
COMMANDS = sorted(getattr(ROOT, "commands", {}).items())


def _param_name(param) -> str:
    return "/".join(param.opts) if param.opts else str(param.name)


def test_the_app_and_its_options_have_help():
    assert (ROOT.help or "").strip(), "the scopekit command itself has no help text"
    bare = [_param_name(p) for p in ROOT.params if not getattr(p, "help", None)]
    assert not bare, f"global options without help: {bare}"


def test_there_are_commands():
    assert {"check", "build"} <= dict(COMMANDS).keys()


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[name for name, _ in COMMANDS])
def test_command_has_help_with_an_example(name: str, command):
    text = (command.help or "").strip()
    assert text, f"`scopekit {name}` has no help text"
    assert "Example" in text, f"`scopekit {name} --help` shows no example"


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[name for name, _ in COMMANDS])
def test_every_option_and_argument_has_help(name: str, command):
    bare = [
        _param_name(param)
        for param in command.params
        if not getattr(param, "hidden", False) and not (getattr(param, "help", None) or "").strip()
    ]
    assert not bare, f"`scopekit {name}`: options or arguments without help: {bare}"


# --- (c) the CI workflow -----------------------------------------------------------------------


def test_workflow_runs_on_push_and_pull_request():
    on = triggers(load_workflow())
    assert "push" in on
    assert "pull_request" in on


def test_workflow_has_a_weekly_schedule_and_a_manual_run():
    on = triggers(load_workflow())
    schedules = on.get("schedule")
    assert isinstance(schedules, list) and schedules, "no `schedule:` list"
    weekly = []
    for entry in schedules:
        fields = str(entry.get("cron", "")).split()
        assert len(fields) == 5, f"not a five-field cron expression: {entry}"
        minute, hour, day, month, weekday = fields
        weekly.append(
            minute.isdigit()
            and hour.isdigit()
            and day == "*"
            and month == "*"
            and re.fullmatch(r"[0-7]|sun|mon|tue|wed|thu|fri|sat", weekday, re.I) is not None
        )
    assert any(weekly), f"no schedule runs once a week: {schedules}"
    assert "workflow_dispatch" in on


def test_workflow_runs_check_build_and_check_links():
    runs = "\n".join(run_steps(load_workflow()))
    assert re.search(r"\bscopekit check(?!-)\b", runs), "no step runs `scopekit check`"
    assert re.search(r"\bscopekit build\b", runs), "no step runs `scopekit build`"
    assert re.search(r"\bscopekit check-links\b", runs), "no step runs `scopekit check-links`"


def test_check_links_runs_on_the_schedule_and_the_build_is_uploaded():
    jobs = load_workflow()["jobs"]
    link_jobs = [
        job
        for job in jobs.values()
        if any("scopekit check-links" in str(step.get("run", "")) for step in job["steps"])
    ]
    assert link_jobs
    for job in link_jobs:
        assert "schedule" in str(job.get("if", "schedule")), "check-links is not run on schedule"
    uses = [str(step.get("uses", "")) for job in jobs.values() for step in job["steps"]]
    assert any(u.startswith("actions/upload-artifact@") for u in uses), "no artifact upload"


def test_ci_md_shows_the_workflow_file_exactly():
    blocks = re.findall(r"^```ya?ml\n(.*?)^```", CI_DOC.read_text(encoding="utf-8"), re.M | re.S)
    assert WORKFLOW.read_text(encoding="utf-8") in blocks, (
        "the YAML block in docs/ci.md differs from docs/ci/scopekit.yml"
    )


# --- (d) every field of format v1 is named in review-format.md ---------------------------------


RECORDS = [Metadata, Author, Search, Source, Eligibility, Screening, Counts, Charting]


@pytest.mark.parametrize("record", RECORDS, ids=lambda record: record.__name__)
def test_review_format_names_every_field(record):
    text = FORMAT_DOC.read_text(encoding="utf-8")
    missing = [name for name in record.names() if f"`{name}`" not in text]
    assert not missing, f"docs/review-format.md does not name these {record.__name__}: {missing}"


@pytest.mark.parametrize("record", RECORDS, ids=lambda record: record.__name__)
def test_every_field_has_help(record):
    bare = [spec.name for spec in record.fields() if not spec.help.strip().endswith((".", "…"))]
    assert not bare, f"{record.__name__}: fields without a help sentence: {bare}"


@pytest.mark.parametrize(
    "spec",
    [
        spec
        for record in RECORDS
        for spec in record.fields()
        if isinstance(spec.default, str) and spec.default
    ],
    ids=lambda spec: spec.name,
)
def test_review_format_states_each_default(spec):
    """A field's row in a table of review-format.md says `Default: `VALUE``."""
    rows = re.findall(rf"^\| `{spec.name}` \|.*$", FORMAT_DOC.read_text(encoding="utf-8"), re.M)
    assert rows, f"docs/review-format.md has no table row for `{spec.name}`"
    assert any(f"Default: `{spec.default}`" in row for row in rows), (
        f"the row of `{spec.name}` in docs/review-format.md does not say Default: `{spec.default}`"
    )


# --- (e) relative links in docs/*.md -----------------------------------------------------------


def relative_links(page: Path) -> list[str]:
    """Link targets of a page that are paths (no web addresses, no `@key` sources)."""
    targets = _LINK.findall(strip_code(page.read_text(encoding="utf-8")))
    return [t for t in targets if not _SCHEME.match(t) and not t.startswith("@")]


def test_the_guide_pages_exist():
    names = {page.name for page in doc_pages()}
    assert {"review-format.md", "house-style.md", "checks.md", "install.md", "ci.md"} <= names


@pytest.mark.parametrize("page", doc_pages(), ids=lambda p: p.name)
def test_relative_links_point_at_files_that_exist(page: Path):
    broken = []
    for target in relative_links(page):
        path = target.split("#", 1)[0]
        if path and not (page.parent / path).exists():
            broken.append(target)
    assert not broken, f"{page.name}: links to missing files: {broken}"


@pytest.mark.parametrize("page", doc_pages(), ids=lambda p: p.name)
def test_links_to_headings_find_them(page: Path):
    broken = []
    for target in relative_links(page):
        path, _, fragment = target.partition("#")
        file = (page.parent / path) if path else page
        if fragment and file.suffix == ".md" and file.is_file() and fragment not in anchors(file):
            broken.append(target)
    assert not broken, f"{page.name}: links to headings that do not exist: {broken}"


@pytest.mark.parametrize(
    ("copy", "original"),
    [
        ("docs/schemas/check.schema.json", "design/schemas/check.schema.json"),
        ("docs/schemas/check-links.schema.json", "design/schemas/check-links.schema.json"),
        ("tests/data/social-value-briefing.md", "seed/social-value-briefing.md"),
    ],
)
def test_the_repos_copies_of_shared_files_are_the_same(copy: str, original: str) -> None:
    """The tests fall back to these copies in a clone without shared/ beside it."""
    shared = Path(__file__).resolve().parents[2] / "shared" / original
    if not shared.is_file():
        pytest.skip(f"{shared} not found (shared/ is not beside the repo)")
    repo = Path(__file__).resolve().parents[1] / copy
    assert repo.read_bytes() == shared.read_bytes()


# --- (f) the messages quoted in the guide are the ones printed -------------------------------

_BUILD_QUOTE = re.compile(
    r"^```text\n\$ scopekit build (reviews/[\w-]+)\n(.*?)^```", flags=re.M | re.S
)
_STYLE_NAMED = re.compile(r"(house|citation) style '([^']+)'")


def quoted_style_errors() -> list[tuple[str, list[str]]]:
    """Each `$ scopekit build reviews/NAME` block of house-style.md: folder, printed lines."""
    text = (DOCS / "house-style.md").read_text(encoding="utf-8")
    return [(m[1], m[2].splitlines()) for m in _BUILD_QUOTE.finditer(text)]


def test_house_style_md_quotes_the_style_errors() -> None:
    assert len(quoted_style_errors()) == 2


@pytest.mark.parametrize(("folder", "lines"), quoted_style_errors(), ids=["house", "citation"])
def test_house_style_md_quotes_the_style_errors_as_printed(
    tmp_path: Path, folder: str, lines: list[str]
) -> None:
    """The clean review with the style the quote names: build prints exactly those lines."""
    from conftest import CLEAN_REVIEW, copy_review, invoke

    kind, name = _STYLE_NAMED.search(lines[0]).groups()
    review = copy_review(CLEAN_REVIEW, tmp_path / folder)
    yaml_file = review / "review.yaml"
    field = f"{kind}_style"
    yaml_file.write_text(
        re.sub(rf"^{field}: .*$", f"{field}: {name}", yaml_file.read_text(), flags=re.M),
        encoding="utf-8",
    )
    result = invoke("build", str(review))
    assert result.exit_code == 1
    printed = result.output.replace(str(review), folder).splitlines()
    assert printed == lines


# --- (g) the adding-sources guide agrees with --help --------------------------------------------

ADDING_DOC = DOCS / "adding-sources.md"
ADDING_COMMANDS = [(name, command) for name, command in COMMANDS if name == "add"] + [
    (f"sources {sub}", command)
    for name, group in COMMANDS
    if name == "sources"
    for sub, command in sorted(getattr(group, "commands", {}).items())
]


def test_the_adding_guide_covers_the_commands():
    names = {name for name, _ in ADDING_COMMANDS}
    assert "add" in names
    text = ADDING_DOC.read_text(encoding="utf-8")
    for name in names:
        assert f"scopekit {name}" in text, f"docs/adding-sources.md does not show scopekit {name}"


@pytest.mark.parametrize(
    ("name", "command"), ADDING_COMMANDS, ids=[name for name, _ in ADDING_COMMANDS]
)
def test_the_adding_guide_names_every_option(name: str, command):
    text = ADDING_DOC.read_text(encoding="utf-8")
    missing = [
        opt
        for param in command.params
        for opt in param.opts
        if opt.startswith("--") and f"`{opt}" not in text
    ]
    assert not missing, f"docs/adding-sources.md does not name these options of {name}: {missing}"


@pytest.mark.parametrize(
    ("name", "command"), ADDING_COMMANDS, ids=[name for name, _ in ADDING_COMMANDS]
)
def test_the_adding_guide_states_the_exit_statuses_of_help(name: str, command):
    statuses = re.findall(r"(\d) (?:[a-z]+)", (command.help or "").split("Exit status:", 1)[-1])
    text = ADDING_DOC.read_text(encoding="utf-8")
    section = text.split(f"scopekit {name}", 1)[1]
    for status in set(statuses):
        assert re.search(rf"\b{status} ", section), f"{name}: exit status {status} not explained"
