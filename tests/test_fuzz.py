"""Random review files must never crash `scopekit check`.

Whatever is in the files, check exits 0, 1 or 2, never with a traceback, and
`--json` always prints one JSON object. Set SCOPEKIT_FUZZ_EXAMPLES to run more
(or fewer) examples per test; the default is 200.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from pathlib import Path

import yaml
from conftest import CLEAN_REVIEW, copy_review, invoke, parse_json_output
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

EXAMPLES = int(os.environ.get("SCOPEKIT_FUZZ_EXAMPLES", "200"))
fuzz = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

YAML_FILES = ["review.yaml", "sources.yaml", "searches.yaml"]
MARKDOWN_FILES = ["background.md", "methods.md", "findings.md"]
SOURCE_IDS = """ohid-physical-activity dft-cwis2 aldred-mini-hollands-2019
    sustrans-school-streets""".split()

# Keys the format knows, so random documents reach past the first check.
REVIEW_KEYS = """format title short_title type questions authors name affiliation organisation
    commissioned_by published updated key_messages funding house_style citation_style language
    sections""".split()
SEARCH_KEYS = "id where query from to run results approximate notes".split()
SOURCE_KEYS = """id type title publisher URL accessed issued archived remark author
    container-title DOI note family given""".split()
ALL_KEYS = sorted(set(REVIEW_KEYS + SEARCH_KEYS + SOURCE_KEYS))


def check_folder_with(files: dict[str, str | bytes]) -> None:
    """Write `files` over a copy of the clean review, run check (text and
    --json) and assert that it neither crashed nor printed broken JSON."""
    root = Path(tempfile.mkdtemp(prefix="scopekit-fuzz-"))
    try:
        review = copy_review(CLEAN_REVIEW, root / "review")
        for name, content in files.items():
            path = review / name
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        assert invoke("check", str(review)).exit_code in (0, 1, 2)
        result = invoke("check", str(review), "--json")
        assert result.exit_code in (0, 1, 2)
        data = parse_json_output(result)
        assert isinstance(data.get("problems"), list)
    finally:
        shutil.rmtree(root, ignore_errors=True)


# ------------------------------------------------------------------- YAML text

# fmt: off
yaml_fragments = st.sampled_from([
    "\n", "  ", "- ", ": ", "id: ", "URL: ", "accessed: ", "published: ", "sections: ",
    "title: ", "{", "}", "[", "]", "'", '"', "&a ", "*a", "!!python/object:os.system ",
    "!!binary ", "? ", "|", ">", "#", "---", "...", "%YAML 1.1", "\t", "2024-02-30",
    "2024-06", "2024", "99999999999999999999999", "-1", ".nan", "~", "null", "yes", "<<: *a",
    "@", "TODO", "\ufeff", "\x00", "\u2028", "é", "🚲",
])
# fmt: on
yaml_text = st.lists(st.one_of(yaml_fragments, st.text(max_size=20)), max_size=60).map("".join)


@fuzz
@given(name=st.sampled_from(YAML_FILES), text=st.one_of(st.text(), yaml_text))
def test_random_yaml_text(name: str, text: str) -> None:
    check_folder_with({name: text})


@fuzz
@given(name=st.sampled_from(YAML_FILES + MARKDOWN_FILES), data=st.binary(max_size=300))
def test_random_bytes(name: str, data: bytes) -> None:
    check_folder_with({name: data})


# ------------------------------------------------------------- structured YAML

# fmt: off
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=10**20, max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.dates(),
    st.datetimes(),
    st.sampled_from(["2024-06", "2024-06-31", "2024-13", "0000-01-01", "9999-12-31", "2024",
                     "https://example.org/", "javascript:alert(1)", "../outside.md",
                     "/etc/passwd", "figures", "", " ", "TODO", "@dft-cwis2",
                     "background.md", "webpage", "video", "report", "a" * 300 + ".md",
                     "bad\x00name.md", 10**300]),
)
# fmt: on
keys = st.one_of(st.sampled_from(ALL_KEYS), st.text(max_size=12))
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(keys, children, max_size=5),
    ),
    max_leaves=25,
)


def mapping_of(known: list[str]) -> st.SearchStrategy[dict]:
    """A mapping with some of the format's keys (random values) and some noise."""
    return st.builds(
        lambda chosen, extra: {**extra, **chosen},
        st.dictionaries(st.sampled_from(known), values, max_size=len(known)),
        st.dictionaries(keys, values, max_size=2),
    )


def dump(value: object) -> str:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False)


documents = {
    "review.yaml": st.one_of(mapping_of(REVIEW_KEYS), values),
    "sources.yaml": st.one_of(st.lists(mapping_of(SOURCE_KEYS), max_size=5), values),
    "searches.yaml": st.one_of(st.lists(mapping_of(SEARCH_KEYS), max_size=4), values),
}


@fuzz
@given(st.fixed_dictionaries({}, optional={k: v.map(dump) for k, v in documents.items()}))
def test_random_structured_yaml(files: dict[str, str]) -> None:
    check_folder_with(files)


@fuzz
@given(
    title=scalars,
    published=scalars,
    updated=scalars,
    sections=values,
    accessed=scalars,
    url=scalars,
)
def test_random_values_in_known_fields(
    title: object,
    published: object,
    updated: object,
    sections: object,
    accessed: object,
    url: object,
) -> None:
    review = {
        "title": title,
        "published": published,
        "updated": updated,
        "authors": [{"name": "Dr Priya Shah"}],
        "sections": sections,
    }
    sources = [
        {"id": sid, "type": "webpage", "title": sid, "URL": url, "accessed": accessed}
        for sid in SOURCE_IDS
    ]
    check_folder_with({"review.yaml": dump(review), "sources.yaml": dump(sources)})


def test_deeply_nested_yaml() -> None:
    for name in YAML_FILES:
        check_folder_with({name: "[" * 5000 + "]" * 5000})
        check_folder_with({name: "a:\n" + "".join(" " * i + "- a:\n" for i in range(1, 3000))})


def test_dates_at_the_edges_of_the_calendar() -> None:
    for date in [dt.date.min, dt.date.max, "0000-00-00", "10000-01-01", "2024-W23-1"]:
        text = (CLEAN_REVIEW / "sources.yaml").read_text(encoding="utf-8")
        check_folder_with({"sources.yaml": text.replace("2024-05-14", str(date))})


# -------------------------------------------------------------------- Markdown

# fmt: off
markdown_fragments = st.sampled_from([
    "\n", "\n\n", " ", "# ", "## ", "[", "]", "(", ")", "@", "[@", "; @", "](@", "![", "](",
    "<", ">", "<!--", "-->", "<br>", "<span>", "</span>", "<div>", "<script>", "|", " | ",
    "| --- |", "---", "`", "```", "*", "_", "\\", "&amp;", "&#0;", "https://", "http://x.y/",
    "javascript:alert(1)", "data:image/png;base64,AA==", "file:///etc/passwd", "../", "/etc/",
    "figures/mode-share.png", "TODO", "01/01/20220", "31/02/2024", "1.9.23", " – ", " - ",
    "01/01/2019 – 20/05/2024", "here", "click here", "read more", ">>>>>>", "[[[[", "]]]]",
    "((((", "    ", "\t", "1. ", "- ", "> ", "\x00", "\u2028", "\ufeff", "é", "🚲",
    "![a](" + "a" * 300 + ".png)", "[a](" + "a" * 300 + ")",
    *(f"@{sid}" for sid in SOURCE_IDS), *(f"[@{sid}]" for sid in SOURCE_IDS),
    # pandoc's citation and note syntax
    "[see @dft-cwis2, p. 4]", "[@dft-cwis2, pp. 4–5, emphasis added; @sustrans-school-streets]",
    "[-@dft-cwis2]", "@dft-cwis2 [chap. 2]", "[@dft-cwis2, {iv, <script>}]", "[@{", "}]",
    "[see <script>alert(1)</script> @dft-cwis2, & p. 4 & <b>]", "@{odd key}", ", p. ", "; ",
    "[^1]", "[^1]: ", "[^note]: a *note* [@dft-cwis2]", "^[", "^[an inline note]", "[^",
    "[@dft-cwis2]:", "[@dft-cwis2](", "[@dft-cwis2][", "\\:", "me@example.org", "-@",
    # pandoc and Quarto habits
    "---\ntitle: x\n---\n", " {#sec-a}", " {-}", " {.unnumbered}", "{#fig-a}", "{#",
    "::: {.callout-note}\n", "::: {.callout-tip title=\"<script>\"}\n", ":::\n", "::::",
    "::: x\n", "@fig-a", "@tbl-a", "@sec-a", "@eq-a", "Table: c {#tbl-a}\n", "~", "~~", "^",
    "CO~2~", "m^2^", "--", "...", "\"", "'", "\\newpage", "{{< pagebreak >}}", "\n: ",
    "- [ ] ", "- [x] ", '![a](b c.png "t")', '![a](figures/mode-share.png "t"){#fig-a}',
])
# fmt: on
markdown = st.lists(st.one_of(markdown_fragments, st.text(max_size=20)), max_size=80).map("".join)
deep_markdown = st.builds(
    lambda token, n, tail: token * n + tail,
    st.sampled_from(
        [
            ">",
            "[",
            "[@",
            "![",
            "(",
            "*",
            "- ",
            "<div>",
            "<!--",
            "`",
            "^[",
            "[^a]: ",
            "@",
            ":::\n",
            "::: {.callout-note}\n",
            "~",
            "^",
            "{",
        ]
    ),
    st.integers(min_value=1, max_value=3000),
    markdown,
)


@fuzz
@given(name=st.sampled_from(MARKDOWN_FILES), text=st.one_of(markdown, deep_markdown, st.text()))
def test_random_markdown(name: str, text: str) -> None:
    check_folder_with({name: text})


@fuzz
@given(text=markdown)
def test_random_markdown_under_a_methods_heading(text: str) -> None:
    check_folder_with({"methods.md": "# Methods\n\n" + text})
