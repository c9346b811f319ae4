"""The field table (review/model.py), the review.yaml writer of `new` and `import`, language
tags, and source fields written in another case (`url:` for `URL:`)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml
from conftest import edit, line_of, problems_with_code, run_check
from hypothesis import given
from hypothesis import strategies as st

from scopekit.cite import csl_item
from scopekit.review import load_review
from scopekit.review.fields import Record, Text
from scopekit.review.langtag import problem
from scopekit.review.model import Author, Metadata, Search, Source, source_field
from scopekit.review.yaml_reader import load_yaml
from scopekit.review.yamltext import Entry, Todo, review_yaml, scalar
from scopekit.schema import CSL_VARIABLES
from scopekit.starter import Carried
from scopekit.starter import review_yaml as new_review_yaml

# ------------------------------------------------------------------------- the table


@pytest.mark.parametrize("record", [Metadata, Author, Search, Source], ids=lambda r: r.__name__)
def test_each_record_names_its_fields_once(record: type[Record]) -> None:
    assert len(set(record.names())) == len(record.names())
    assert all(spec.attribute for spec in record.fields())


def test_a_yaml_name_that_is_not_a_python_name_has_its_own_attribute() -> None:
    search = Search(load_yaml("from: 2020-01-01\nto: 2024-05\nresults: 12\n"))
    assert (str(search.date_from), str(search.date_to), search.results) == (
        "2020-01-01",
        "2024-05",
        12,
    )
    assert Search.field("from").attribute == "date_from"


def test_missing_and_unreadable_values_are_the_defaults() -> None:
    meta = Metadata(load_yaml("title: [not, text]\nlanguage: klingon\nquestions: 12\n"))
    assert meta.title is None
    assert (meta.type, meta.house_style, meta.citation_style) == (
        "Rapid scoping review",
        "coventry-hdrc",
        "coventry-hdrc",
    )
    assert meta.language == "en-GB"  # not a language tag: reported by check, built as en-GB
    assert meta.questions == ["12"]
    assert Metadata(load_yaml("title: x\n")).key_messages is not Metadata().key_messages


def test_a_field_added_to_a_record_is_read_and_known_without_more() -> None:
    class Review(Metadata):
        registry = Text("Where the review was registered.")

    meta = Review(load_yaml("registry: OSF\ntitle: T\n"))
    assert (meta.registry, meta.title) == ("OSF", "T")
    assert Review.names()[-1] == "registry" and "registry" not in Metadata.names()


def test_new_uses_the_tables_defaults() -> None:
    carried = Carried()
    assert (carried.house_style, carried.citation_style, carried.language) == (
        Metadata.house_style.default,
        Metadata.citation_style.default,
        Metadata.language.default,
    )
    text = new_review_yaml(None, None, date(2026, 11, 25), carried)
    written = [line.split(":")[0] for line in text.splitlines() if line[:1].isalpha()]
    assert written == [name for name in Metadata.names() if name in written]
    assert yaml.safe_load(text)["type"] == Metadata.type.default


# ------------------------------------------------------------------------ the writer


@given(st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\n\t")))
def test_every_text_reads_back_as_written(text: str) -> None:
    assert load_yaml(f"title: {scalar(text)}\n") == {"title": text}


def test_plain_text_stays_plain_and_the_rest_is_quoted() -> None:
    assert scalar("Rapid scoping review") == "Rapid scoping review"
    assert scalar("en-GB") == "en-GB"
    assert scalar(Todo("your name")) == "TODO your name"
    for text in ("Social value: what works?", "2024", "yes", "null", "Dr A #1", "@key", " x"):
        assert scalar(text).startswith('"'), text


def test_the_writer_keeps_the_tables_order_and_refuses_other_names() -> None:
    text = review_yaml(
        {
            "sections": ["a.md"],
            "title": Entry("T", above="The question."),
            "updated": Entry("YYYY-MM-DD", note="a later revision", commented=True),
            "authors": [{"name": "A: B", "affiliation": Todo("your organisation")}],
            "key_messages": [],
        }
    )
    assert text == (
        "format: 1\n"
        "# The question.\n"
        "title: T\n"
        'authors:\n  - name: "A: B"\n    affiliation: TODO your organisation\n'
        "# updated: YYYY-MM-DD          # a later revision\n"
        "key_messages: []\n"
        "sections:\n  - a.md\n"
    )
    with pytest.raises(ValueError, match="short-title"):
        review_yaml({"short-title": "x"})


# --------------------------------------------------------------------- language tags

VALID_TAGS = [
    "en-GB", "en", "cy", "gd", "fr-FR", "EN-gb", "sr-Latn-RS", "zh-Hant-TW", "es-419",
    "de-CH-1901", "en-US-u-ca-gregory", "sco", "yue-HK", "tlh", "x-private", "i-klingon",
    "en-GB-oed", "art-lojban", "zh-min-nan", "qaa",
]  # fmt: skip
INVALID_TAGS = {
    "klingon": "write a BCP 47 language tag such as en-GB",
    "english": "write its code: 'en', or 'en-GB'",
    "Welsh": "write its code: 'cy'",
    "en_GB": "write 'en-GB'",
    "en-UK": "write 'en-GB'",
    "eng": "write 'en'",
    "fre-FR": "write 'fr-FR'",
    "zz": "write a BCP 47 language tag",
    "en-ZY": "write a region code such as GB",
    "en--GB": "write a BCP 47 language tag",
    "de-1901-1901": "write a BCP 47 language tag",
    "British English": "write a BCP 47 language tag",
}


@pytest.mark.parametrize("tag", VALID_TAGS)
def test_valid_language_tags(tag: str) -> None:
    assert problem(tag) is None


@pytest.mark.parametrize(("tag", "hint"), INVALID_TAGS.items())
def test_invalid_language_tags_get_a_hint(tag: str, hint: str) -> None:
    found = problem(tag)
    assert found is not None and found.hint.startswith(hint), found


@pytest.mark.parametrize("tag", ["klingon", "en-UK", "en_GB"])
def test_check_reports_a_language_that_is_no_tag(clean_copy: Path, tag: str) -> None:
    edit(clean_copy / "review.yaml", "language: en-GB", f"language: {tag}")
    exit_code, data = run_check(clean_copy, "--json")
    [found] = data["problems"]
    assert (found["code"], found["severity"], found["file"], found["line"]) == (
        "missing-field",
        "error",
        "review.yaml",
        line_of(clean_copy / "review.yaml", "language:"),
    )
    assert f"'{tag}'" in found["message"] and found["hint"] == problem(tag).hint
    assert exit_code == 1


@pytest.mark.parametrize("tag", ["cy", "en", "en-gb"])
def test_check_accepts_a_language_tag(clean_copy: Path, tag: str) -> None:
    edit(clean_copy / "review.yaml", "language: en-GB", f"language: {tag}")
    assert run_check(clean_copy, "--json") == (0, {"problems": [], "errors": 0, "warnings": 0})


# ------------------------------------------------------ source fields in another case


def test_known_source_fields_differ_in_more_than_case() -> None:
    names = {*CSL_VARIABLES, *Source.names()}
    assert len({name.lower() for name in names}) == len(names)
    assert (source_field("url"), source_field("Doi"), source_field("Remark")) == (
        "URL",
        "DOI",
        "remark",
    )
    assert source_field("remarks") == "remarks"


def test_a_url_written_in_lower_case_reaches_the_note(clean_copy: Path) -> None:
    url = "https://www.gov.uk/government/publications/the-second-cycling-and-walking-investment-strategy"
    edit(clean_copy / "sources.yaml", f"  URL: {url}\n", f"  url: {url}\n")
    edit(clean_copy / "sources.yaml", "  DOI: 10.1016", "  Doi: 10.1016")
    review = load_review(clean_copy)
    sources = review.source_index()
    assert sources["dft-cwis2"].url == url
    assert sources["dft-cwis2"].line_of("URL") == line_of(clean_copy / "sources.yaml", "url:")
    assert csl_item(sources["dft-cwis2"])["URL"] == url
    assert csl_item(sources["aldred-mini-hollands-2019"])["DOI"] == "10.1016/j.tra.2018.05.018"
    assert run_check(clean_copy, "--json")[1]["problems"] == []


def test_a_case_variant_beside_the_field_is_an_unknown_field(clean_copy: Path) -> None:
    edit(clean_copy / "sources.yaml", "  DOI: 10.1016", "  doi: 10.9999/x\n  DOI: 10.1016")
    _, data = run_check(clean_copy, "--json")
    [found] = problems_with_code(data, "unknown-field")
    assert found["line"] == line_of(clean_copy / "sources.yaml", "doi:")
    assert found["hint"] == "'DOI' is given too: keep one of them"
    assert load_review(clean_copy).source_index()["aldred-mini-hollands-2019"].raw["DOI"] == (
        "10.1016/j.tra.2018.05.018"
    )


@pytest.mark.parametrize(
    ("kind", "hint"),
    [
        ("web page", "did you mean 'webpage'?"),
        ("Webpage", "did you mean 'webpage'?"),
        ("Report", "did you mean 'report'?"),
        ("blog post", "did you mean 'post-weblog'?"),
        ("pdf", "use a CSL item type: webpage, report, article-journal"),
    ],
)
def test_a_type_that_is_no_csl_type_is_warned_with_the_closest(
    clean_copy: Path, kind: str, hint: str
) -> None:
    edit(clean_copy / "sources.yaml", "  type: webpage\n", f"  type: {kind}\n")
    _, data = run_check(clean_copy, "--json")
    [found] = data["problems"]
    assert (found["code"], found["severity"]) == ("unknown-field", "warning")
    assert found["line"] == line_of(clean_copy / "sources.yaml", f"type: {kind}")
    assert found["message"] == (
        f"source 'sustrans-school-streets': type '{kind}' is not a CSL item type"
    )
    assert found["hint"].startswith(hint)
