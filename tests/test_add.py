"""`scopekit add`: pages, PDFs and DOIs from a loopback site become sources, in place."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
from conftest import CLEAN_REVIEW, REPO_ROOT, invoke
from linkserver import LinkServer, closed_port_url
from sourcesite import SourceSite

from scopekit.adding import add_sources
from scopekit.links.settings import Settings
from scopekit.metadata import parse_html, read_html
from scopekit.reading import make_id, parse_inputs
from scopekit.review.yaml_reader import load_yaml

TODAY = "2026-12-03"
SCHEMA = json.loads((REPO_ROOT / "docs" / "schemas" / "add.schema.json").read_text())


@pytest.fixture(scope="module")
def site():
    with SourceSite() as running:
        yield running


@pytest.fixture
def review(tmp_path: Path, site: SourceSite, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "review"
    shutil.copytree(CLEAN_REVIEW, folder)
    monkeypatch.setenv("SCOPEKIT_DOI_URL", site.url("/doi"))
    return folder


def add(review: Path, *args: str):
    return invoke("add", *args, "--dir", str(review), today=TODAY)


def added_items(review: Path, before: int = 4) -> list[dict]:
    return load_yaml((review / "sources.yaml").read_text(encoding="utf-8"))[before:]


def add_json(review: Path, *args: str) -> tuple[int, dict]:
    result = add(review, *args, "--json")
    data = json.loads(result.stdout)
    jsonschema.validate(data, SCHEMA)
    return result.exit_code, data


# What each kind of page gives: a subset of the item written.
PAGES = {
    "govuk-publication": (
        "/government/publications/social-value-model",
        {
            "type": "report",
            "title": "The Social Value Model",
            "author": [{"literal": "Cabinet Office"}],
            "publisher": "Cabinet Office",
            "issued": "2020-09-24",
        },
    ),
    "govuk-guidance": (
        "/guidance/physical-activity-applying-all-our-health",
        {
            "type": "webpage",
            "title": "Physical activity: applying All Our Health",
            "publisher": "Office for Health Improvement and Disparities",
            "issued": "2022-03-24",
        },
    ),
    "council-dublin-core": (
        "/socialvalue",
        {
            "type": "webpage",
            "title": "Social value and sustainability",
            "publisher": "Coventry City Council",
            "issued": "2023-10-11",
        },
    ),
    "council-open-graph": (
        "/council/news/active-travel",
        {
            "title": "Active travel plan",
            "publisher": "Warwickshire County Council",
            "issued": "2024-04-12",
        },
    ),
    "kings-fund-json-ld": (
        "/insight-and-analysis/long-reads/social-value-act",
        {
            "type": "webpage",
            "title": "The Social Value Act explained",
            "author": [{"family": "Charles", "given": "Anna"}],
            "publisher": "The King's Fund",
            "issued": "2023-03-16",
        },
    ),
    "health-foundation": (
        "/publications/reports/inequalities",
        {
            "title": "Health inequalities report",
            "publisher": "The Health Foundation",
            "issued": "2024-02-01",
        },
    ),
    "lga-report": (
        "/publications/social-value-guide",
        {
            "type": "report",
            "title": "Social value: a guide for councils",
            "publisher": "Local Government Association",
            "issued": "2022-06",
        },
    ),
    "nhs-trust-title-only": (
        "/about-us/anchor-institution",
        {
            "title": "Our role as an anchor institution",
            "publisher": "University Hospitals Coventry and Warwickshire NHS Trust",
        },
    ),
    "highwire-journal": (
        "/content/article/impacts",
        {
            "type": "article-journal",
            "title": "Impacts of an active travel intervention",
            "author": [
                {"family": "Aldred", "given": "Rachel"},
                {"family": "Croft", "given": "Joseph"},
            ],
            "container-title": "Transportation Research Part A",
            "page": "147-169",
            "issued": "2019-04-01",
            "DOI": "10.1016/j.tra.2019.02.007",
        },
    ),
    "only-a-title": ("/only-title", {"title": "Annual public health report 2023"}),
    "markup-and-control-characters": ("/markup-title", {"title": "Social value in practice"}),
}


@pytest.mark.parametrize("name", PAGES)
def test_each_kind_of_page_gives_its_metadata(review: Path, site: SourceSite, name: str):
    path, expected = PAGES[name]
    code, data = add_json(review, site.url(path))
    assert code == 0, data
    (item,) = added_items(review)
    assert {key: item.get(key) for key in expected} == expected
    assert item["URL"] == site.url(path)
    assert item["accessed"] == TODAY
    assert data["added"][0]["item"] == item


def test_what_was_found_is_printed_with_where_it_came_from(review: Path, site: SourceSite):
    result = add(review, site.url("/council/news/active-travel"))
    assert result.exit_code == 0
    assert "title: Active travel plan   (from og:title)" in result.output
    assert "publisher: Warwickshire County Council   (from og:site_name)" in result.output
    assert "issued: 2024-04-12   (from dcterms.issued)" in result.output
    assert result.stdout.splitlines()[-1] == "sources.yaml: 1 added"


def test_highwire_wins_over_open_graph_and_title(review: Path, site: SourceSite):
    _, data = add_json(review, site.url("/content/article/impacts"))
    assert data["added"][0]["from"]["title"] == "citation_title"
    assert data["added"][0]["id"] == "aldred-impacts-active-travel-2019"


def test_a_home_title_is_no_title_and_the_guess_is_marked(review: Path, site: SourceSite):
    result = add(review, site.url("/plan/home-page"))
    assert result.exit_code == 0
    assert "guessed: title made from the URL" in result.output
    text = (review / "sources.yaml").read_text()
    assert "  title: Home page   # made from the URL\n" in text


def test_a_pdf_is_read_by_its_xmp_not_its_word_processor_title(review: Path, site: SourceSite):
    code, data = add_json(review, site.url("/files/hi-report.pdf"))
    assert code == 0
    (item,) = added_items(review)
    assert item["type"] == "report"
    assert item["title"] == "Health inequalities in Coventry"
    assert item["author"] == [{"literal": "Coventry City Council"}]
    assert item["publisher"] == "Coventry City Council"
    assert item["issued"] == "2023-01-15"
    assert data["added"][0]["from"]["title"] == "XMP dc:title"
    assert data["added"][0]["guessed"] == []


def test_a_pdf_without_metadata_is_titled_from_page_one_as_a_guess(review: Path, site: SourceSite):
    _, data = add_json(review, site.url("/files/untagged.pdf"))
    (item,) = added_items(review)
    assert item["title"] == "Annual report on active travel"
    assert data["added"][0]["guessed"] == ["title from the PDF's first page"]
    assert "# from the PDF's first page" in (review / "sources.yaml").read_text()


@pytest.mark.parametrize("given", ["10.1234/abc", "doi:10.1234/abc", "https://doi.org/10.1234/abc"])
def test_a_doi_is_read_as_csl_json_from_the_resolver(review: Path, site: SourceSite, given: str):
    code, _ = add_json(review, given)
    assert code == 0
    (item,) = added_items(review)
    assert item == {
        "id": "birch-social-value-local-2023",
        "type": "article-journal",
        "title": "Social value in local government: a scoping review",
        "author": [{"family": "Birch", "given": "Jack"}, {"family": "Patel", "given": "Asha"}],
        "container-title": "Journal of Public Health",
        "volume": "45",
        "issue": "2",
        "page": "101-110",
        "publisher": "Oxford University Press",
        "issued": "2023-05-04",
        "DOI": "10.1234/abc",
        "URL": "https://doi.org/10.1234/abc",
        "accessed": TODAY,
    }
    assert site.accepts["/doi/10.1234/abc"] == "application/vnd.citationstyles.csl+json"


def test_a_doi_without_csl_json_is_read_from_its_landing_page(review: Path, site: SourceSite):
    code, data = add_json(review, "10.5555/landing")
    assert code == 0
    (item,) = added_items(review)
    assert item["title"] == "Impacts of an active travel intervention"
    assert item["DOI"] == "10.1016/j.tra.2019.02.007"  # as the page states it
    assert data["added"][0]["from"]["title"] == "citation_title"


def test_a_doi_already_there_is_refused(review: Path):
    result = add(review, "10.1016/J.TRA.2018.05.018")
    assert result.exit_code == 1
    assert "is source 'aldred-mini-hollands-2019'" in result.output


def test_a_permanent_redirect_keeps_the_final_url_a_temporary_one_the_first(
    review: Path, site: SourceSite
):
    code, _ = add_json(review, site.url("/moved"), site.url("/temporary"))
    assert code == 0
    moved, temporary = added_items(review)
    assert moved["URL"] == site.url("/insight-and-analysis/long-reads/social-value-act")
    assert temporary["URL"] == site.url("/temporary")


def test_the_canonical_url_is_kept(review: Path, site: SourceSite):
    _, data = add_json(review, site.url("/government/publications/social-value-model?utm=x"))
    assert data["added"][0]["item"]["URL"] == site.url(
        "/government/publications/social-value-model"
    )
    assert data["added"][0]["from"]["URL"] == "rel=canonical"


def test_a_page_that_cannot_be_read_is_listed_and_the_rest_added(review: Path, site: SourceSite):
    result = add(
        review, site.url("/nothing-here"), site.url("/only-title"), site.url("/removed-page")
    )
    assert result.exit_code == 1
    assert f"not read: {site.url('/nothing-here')}: the page could not be read: 404 Not Found" in (
        result.output
    )
    assert "soft 404" in result.output
    assert [item["URL"] for item in added_items(review)] == [site.url("/only-title")]
    assert result.stdout.splitlines()[-1] == "sources.yaml: 1 added, 2 could not be read"


def test_a_url_already_there_is_refused_naming_its_source(review: Path, site: SourceSite):
    before = (review / "sources.yaml").read_bytes()
    # http and a trailing slash: the same page as duplicate-url sees it
    url = "http://www.sustrans.org.uk/our-blog/get-active/2019/everyday-walking-and-cycling/what-is-a-school-street/"
    code, data = add_json(review, url)
    assert code == 1
    assert data["refused"] == [{"input": url, "id": "sustrans-school-streets", "url": url}]
    assert (review / "sources.yaml").read_bytes() == before
    assert site.hits.get("/our-blog", 0) == 0


def test_a_page_given_twice_is_added_once(review: Path, site: SourceSite):
    result = add(review, site.url("/only-title"), site.url("/only-title/"))
    assert result.exit_code == 1
    assert len(added_items(review)) == 1
    assert "is source 'annual-public-health'" in result.output


def test_every_existing_byte_and_comment_is_kept(review: Path, site: SourceSite):
    path = review / "sources.yaml"
    original = path.read_bytes() + b"# a last comment, no newline"
    path.write_bytes(original)
    result = add(review, site.url("/socialvalue"))
    assert result.exit_code == 0
    text = path.read_bytes()
    assert text.startswith(original + b"\n\n- id: social-value-sustainability\n")
    assert "set 'updated: 2026-12-03' in review.yaml" in result.output
    checked = json.loads(invoke("check", str(review), "--json", today=TODAY).stdout)
    errors = {p["code"] for p in checked["problems"] if p["severity"] == "error"}
    assert errors == {"accessed-after-published"}  # until `updated` is set, as add says


def test_crlf_and_an_indented_list_are_followed(review: Path, site: SourceSite):
    path = review / "sources.yaml"
    path.write_bytes(b"# sources\r\n  - id: one\r\n    type: webpage\r\n    title: One\r\n")
    assert add(review, site.url("/only-title")).exit_code == 0
    text = path.read_bytes()
    assert text.startswith(
        b"# sources\r\n  - id: one\r\n    type: webpage\r\n    title: One\r\n\r\n"
    )
    assert b"\r\n  - id: annual-public-health\r\n    type: webpage\r\n" in text
    assert b"\n" not in text.replace(b"\r\n", b"")


def test_a_flow_list_is_left_alone(review: Path, site: SourceSite):
    path = review / "sources.yaml"
    path.write_text("[]   # none yet\n")
    result = add(review, site.url("/only-title"))
    assert result.exit_code == 2
    assert "sources.yaml was not changed" in result.output
    assert path.read_text() == "[]   # none yet\n"


def test_a_missing_sources_file_is_made(review: Path, site: SourceSite):
    (review / "sources.yaml").unlink()
    assert add(review, site.url("/only-title")).exit_code == 0
    items = load_yaml((review / "sources.yaml").read_text())
    assert [item["id"] for item in items] == ["annual-public-health"]


def test_dry_run_writes_nothing(review: Path, site: SourceSite):
    before = (review / "sources.yaml").read_bytes()
    result = add(review, site.url("/socialvalue"), "--dry-run")
    assert result.exit_code == 0
    assert "would add 'social-value-sustainability'" in result.output
    assert "(dry run: nothing written)" in result.output
    assert (review / "sources.yaml").read_bytes() == before


def test_id_option_names_the_source(review: Path, site: SourceSite):
    assert add(review, site.url("/socialvalue"), "--id", "coventry-sv").exit_code == 0
    assert added_items(review)[0]["id"] == "coventry-sv"


@pytest.mark.parametrize(
    "args",
    [
        ["file:///etc/passwd"],
        ["not a url"],
        ["https://a.example/x", "https://b.example/y", "--id", "two"],
        ["https://a.example/x", "--id", "ohid-physical-activity"],
    ],
    ids=["file-url", "words", "id-with-two", "id-taken"],
)
def test_usage_errors_exit_2_and_fetch_nothing(review: Path, args: list[str]):
    before = (review / "sources.yaml").read_bytes()
    result = add(review, *args)
    assert result.exit_code == 2
    assert result.output.startswith("scopekit: error: ")
    assert (review / "sources.yaml").read_bytes() == before


def test_not_a_review_folder_is_a_usage_error(tmp_path: Path):
    result = invoke("add", "https://a.example/", "--dir", str(tmp_path))
    assert result.exit_code == 2
    assert "has no review.yaml" in result.output


def test_no_network_exits_3_and_writes_nothing(review: Path):
    before = (review / "sources.yaml").read_bytes()
    result = add(review, closed_port_url("a"), closed_port_url("b"))
    assert result.exit_code == 3
    assert "no network" in result.output
    assert (review / "sources.yaml").read_bytes() == before


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/huge", "larger than 10 MB: not read"),
        ("/to-file", "redirects to file:///etc/passwd, not a web address"),
        ("/logo.png", "not a web page or a PDF (image/png)"),
        ("/files/damaged.pdf", "the PDF cannot be read: "),
    ],
)
def test_hostile_answers_are_one_clear_line(review: Path, site: SourceSite, path, message):
    before = (review / "sources.yaml").read_bytes()
    result = add(review, site.url(path))
    assert result.exit_code == 1
    assert message in result.stdout
    assert result.stdout.count("\n") == 2  # one line for the page, one summary
    assert not result.stderr
    assert (review / "sources.yaml").read_bytes() == before


def test_a_body_that_never_ends_times_out(review: Path, site: SourceSite):
    report = add_sources(str(review), [site.url("/never-ending")], settings=Settings(timeout=0.5))
    assert [f.message for f in report.failed] == [
        "the page could not be read: no answer within 0.5 s"
    ]
    assert not report.added and not report.written


def test_json_ld_that_is_not_json_is_skipped_with_a_note(review: Path, site: SourceSite):
    code, data = add_json(review, site.url("/bad-jsonld"))
    assert code == 0
    assert data["added"][0]["item"]["title"] == "Broken data page"
    assert "1 JSON-LD block(s) are not JSON: skipped" in data["added"][0]["notes"]


def test_og_site_name_yields_to_an_organisation_named_elsewhere():
    doc = parse_html(
        '<meta property="og:site_name" content="GOV.UK">'
        '<meta name="govuk:primary-publishing-organisation" content="Department for Transport">'
        "<title>Cycling - GOV.UK</title>",
        "https://www.gov.uk/x",
    )
    fields, _ = read_html(doc)
    assert fields["publisher"].value == "Department for Transport"
    assert fields["title"].value == "Cycling"


def test_ids_are_short_and_readable():
    assert make_id(
        {"title": "What is a school street?", "URL": "https://www.sustrans.org.uk/x"}
    ) == ("sustrans-school-street")
    assert make_id(
        {"title": "T", "URL": "https://x.org", "type": "report", "issued": "2021-02"}
    ) == ("x-t-2021")


def test_pages_are_fetched_with_check_links_politeness(review: Path):
    with LinkServer() as server:
        urls = [server.url(f"ok?sleep=0.05&n={n}") for n in range(12)]
        result = add(review, *urls)
        state = server.state
    assert result.exit_code == 0
    assert state.peak["127.0.0.1"] <= 4  # the per-host limit of check-links
    assert state.methods("/ok?sleep=0.05&n=0") == ["GET"]  # one GET each, its body read
    assert len(added_items(review)) == 12


def test_arguments_are_read_as_pages_or_dois(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SCOPEKIT_DOI_URL", "http://127.0.0.1:9/doi/")
    wanted = parse_inputs(
        ["10.1000/xy", "DOI:10.1000/ab(c)", "dx.doi.org/10.1000/z", "www.gov.uk/x", "http://a.b/"]
    )
    assert [(w.url, w.doi) for w in wanted] == [
        ("http://127.0.0.1:9/doi/10.1000/xy", "10.1000/xy"),
        ("http://127.0.0.1:9/doi/10.1000/ab%28c%29", "10.1000/ab(c)"),
        ("http://127.0.0.1:9/doi/10.1000/z", "10.1000/z"),
        ("https://www.gov.uk/x", None),
        ("http://a.b/", None),
    ]


def test_a_byte_order_mark_is_kept(review: Path, site: SourceSite):
    path = review / "sources.yaml"
    original = "\ufeff# sources\n- id: one\n  type: webpage\n  title: One\n".encode()
    path.write_bytes(original)
    assert add(review, site.url("/only-title")).exit_code == 0
    assert path.read_bytes().startswith(original + b"\n- id: annual-public-health\n")


@pytest.mark.parametrize(
    ("title", "cut", "publisher"),
    [
        ("School streets | Coventry City Council", "School streets", "Coventry City Council"),
        (
            "Social value | Local Government Association",
            "Social value",
            "Local Government Association",
        ),
        ("Cycling - GOV.UK", "Cycling", None),  # the site, not who published it
    ],
)
def test_a_known_site_name_at_the_end_of_the_title_is_its_publisher(title, cut, publisher):
    """A council page whose only metadata is its <title> is published by the council its
    title ends with, as a title ending with an unknown organisation's name is."""
    fields, _ = read_html(parse_html(f"<title>{title}</title>", "https://example.org/x"))
    assert fields["title"].value == cut
    assert (fields["publisher"].value if "publisher" in fields else None) == publisher
