"""`scopekit merge`: a paragraph typed in Word keeps its comments and its links.

The edits are hand-written OOXML in the shapes Word writes: the new paragraph a tracked
insertion, comment ranges with their reference runs (a reply threaded in
commentsExtended.xml), hyperlinks to a bookmark (`w:anchor`) and to URLs (`r:id`).
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from conftest import SOCIAL_VALUE_REVIEW, TESTS_DIR, copy_review, invoke
from test_merge import ANN, SCHEMA, add_parts, after_paragraph, built, lo_edit, with_comments

from scopekit.build import build_review

INS = f'<w:ins w:id="{{}}" {ANN}>'
ANN_SAYS = "{>>Ann Lee, 2026-11-20: Which act? Give its year.<<}"
RAJ_SAYS = "{>>Raj Patel, 2026-11-21: 2012, it says so above.<<}"
HEADING = "## Examples from the West Midlands: Sandwell and Solihull"


@pytest.fixture
def review(tmp_path: Path) -> Path:
    """The social-value review, its West Midlands heading given an id, built to DOCX."""
    folder = copy_review(SOCIAL_VALUE_REVIEW, tmp_path / "social-value")
    findings = folder / "findings.md"
    text = findings.read_text(encoding="utf-8")
    findings.write_text(text.replace(HEADING, HEADING + " {#sec-west-midlands}", 1), "utf-8")
    build_review(folder, ["docx"])
    return folder


def run(text: str, props: str = "") -> str:
    return f'<w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>'


def inserted(*parts: str) -> str:
    """A paragraph inserted with track changes on, its runs each a tracked insertion."""
    mark = INS.format(960)[:-1] + "/>"
    body = "".join(
        part if part.startswith("<w:comment") else f"{INS.format(961 + n)}{part}</w:ins>"
        for n, part in enumerate(parts)
    )
    return f"<w:p><w:pPr><w:rPr>{mark}</w:rPr></w:pPr>{body}</w:p>"


def after_coventry(paragraph: str):
    """A change putting `paragraph` after the Coventry policy paragraph of background.md."""
    return after_paragraph("Coventry City Council has its own", paragraph)


def reference(comment: int) -> str:
    return (
        '<w:commentReference_run><w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr>'
        f'<w:commentReference w:id="{comment}"/></w:r>'
    ).replace("<w:commentReference_run>", "")


COMMENTED = inserted(
    run("Councils should "),
    '<w:commentRangeStart w:id="0"/><w:commentRangeStart w:id="1"/>',
    run("publish", "<w:b/>") + run(" their results"),
    '<w:commentRangeEnd w:id="0"/><w:commentRangeEnd w:id="1"/>' + reference(0) + reference(1),
    run("."),
)
COMMENTED_MD = (
    f"Councils should {{==**publish** their results==}}{ANN_SAYS}{RAJ_SAYS}.\n\nFollowing disc"
)


@pytest.fixture
def commented(review: Path, tmp_path: Path) -> Path:
    """The DOCX with a new paragraph holding a comment and its reply."""
    edited = tmp_path / "commented.docx"
    with_comments(built(review), edited, after_coventry(COMMENTED), replies=True)
    return edited


def test_a_comment_and_its_reply_in_a_new_paragraph_are_kept(review, commented) -> None:
    diff = invoke("merge", str(commented), str(review))
    assert diff.exit_code == 0, diff.output
    assert "1 comment(s)" in diff.output
    assert f"+Councils should {{==**publish** their results==}}{ANN_SAYS}" in diff.output
    assert re.search(r"^@@ .*Ann Lee, 2026-11-20.*Raj Patel, 2026-11-21", diff.output, re.M)
    applied = invoke("merge", str(commented), str(review), "--apply")
    assert applied.exit_code == 0, applied.output
    text = (review / "background.md").read_text(encoding="utf-8")
    assert "sustainability.\n\n" + COMMENTED_MD in text
    checked = invoke("check", str(review))
    assert checked.output.count("warning[open-comment]") == 2


def test_a_comment_in_a_new_paragraph_when_suggesting(review, commented) -> None:
    result = invoke("merge", str(commented), str(review), "--suggest")
    assert result.exit_code == 0, result.output
    text = (review / "background.md").read_text(encoding="utf-8")
    assert (
        "sustainability.\n\n{++Councils should ++}{=={++**publish** their results++}==}"
        f"{ANN_SAYS}{RAJ_SAYS}{{++.++}}\n\nFollowing disc" in text
    )
    checked = invoke("check", str(review))
    assert checked.output.count("warning[open-comment]") == 2
    assert "[pending-change]" in checked.output


def test_a_comment_in_a_new_paragraph_in_the_json(review, commented) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    result = invoke("merge", str(commented), str(review), "--json")
    data = json.loads(result.stdout)
    jsonschema.validate(data, json.loads(SCHEMA.read_text(encoding="utf-8")))
    assert data["comments"] == 1
    assert ANN_SAYS in data["files"][0]["diff"] and RAJ_SAYS in data["files"][0]["diff"]
    changes = data["files"][0]["hunks"][0]["changes"]
    assert {"author": "Raj Patel", "date": "2026-11-21T09:30:00Z"} in changes
    assert {"author": "Ann Lee", "date": "2026-11-20T10:00:00Z"} in changes


def test_a_comment_on_no_text_of_a_new_paragraph_comes_at_its_end(review, tmp_path) -> None:
    """Word's comment on an insertion point: the range starts and ends at one place."""
    paragraph = inserted(
        run("A point to check"),
        '<w:commentRangeStart w:id="0"/><w:commentRangeEnd w:id="0"/>' + reference(0),
        run(" later."),
    )
    edited = tmp_path / "commented.docx"
    with_comments(built(review), edited, after_coventry(paragraph))
    result = invoke("merge", str(edited), str(review), "--apply")
    assert result.exit_code == 0, result.output
    text = (review / "background.md").read_text(encoding="utf-8")
    assert f"\n\nA point to check later.{ANN_SAYS}\n\nFollowing disc" in text
    assert "Raj Patel" not in text  # comment 1 has no range in the text


# --- links ----------------------------------------------------------------------------------


def test_a_link_to_a_place_in_the_document_in_a_new_paragraph(review, tmp_path) -> None:
    """Word's "Place in this document" (a hidden `_Toc` bookmark put on the heading) with the
    heading's title as its text: the cross-reference `@sec-x`, which shows that title. A link
    with other text (here to scopekit's own anchor of the heading), or to a place with no id,
    keeps its text, and says what was not kept."""
    docx = built(review)
    document = zipfile.ZipFile(docx).read("word/document.xml").decode("utf-8")
    anchor = re.search(
        r'<w:bookmarkStart w:id="\d+" w:name="(_sk\d+)"/>(?:(?!</w:p>).)*Examples from the West',
        document,
    )[1]
    title = "Examples from the West Midlands: Sandwell and Solihull"
    linked = run(title, '<w:rStyle w:val="Hyperlink"/>')
    paragraph = inserted(
        run("See "),
        f'<w:hyperlink w:anchor="_Toc150000001" w:history="1">{linked}</w:hyperlink>',
        run(" and "),
        f'<w:hyperlink w:anchor="{anchor}">{run("those", "<w:i/>")}</w:hyperlink>',
        run(", not "),
        f'<w:hyperlink w:anchor="_Ref150000002">{run("the policy")}</w:hyperlink>',
        run("."),
    )

    def change(text: str) -> str:
        text = after_coventry(paragraph)(text)
        text = re.sub(  # Word's bookmark around the heading's text
            rf'(w:name="{anchor}"/><w:bookmarkEnd w:id="\d+"/>)(<w:r>.*?</w:r>)',
            lambda m: (
                f'{m[1]}<w:bookmarkStart w:id="880" w:name="_Toc150000001"/>{m[2]}'
                '<w:bookmarkEnd w:id="880"/>'
            ),
            text,
            count=1,
        )
        return re.sub(  # and one at the start of the Coventry paragraph (no id)
            r"(<w:r>(?:(?!<w:r>).)*?<w:t[^>]*>Coventry City Council has its own)",
            lambda m: (
                '<w:bookmarkStart w:id="881" w:name="_Ref150000002"/>'
                '<w:bookmarkEnd w:id="881"/>' + m[1]
            ),
            text,
            count=1,
        )

    edited = tmp_path / "edited.docx"
    add_parts(docx, edited, {"word/document.xml": change})
    result = invoke("merge", str(edited), str(review), "--apply")
    assert result.exit_code == 0, result.output
    text = (review / "background.md").read_text(encoding="utf-8")
    assert "\n\nSee @sec-west-midlands and *those*, not the policy.\n\n" in text
    assert (
        "link “those” to a place in the document kept as text: @sec-west-midlands shows "
        "“Examples from the West Midlands: Sandwell and Solihull” there" in result.output
    )
    assert "link “the policy” to a place in the document kept as text: a cross-ref" in result.output
    checked = invoke("check", str(review))
    assert checked.exit_code == 0 and "background.md:7" not in checked.output, checked.output


def test_links_to_urls_and_sources_in_a_new_paragraph(review, tmp_path) -> None:
    """A URL the review cites becomes `@key`; any other URL stays itself, a fragment Word
    keeps in `w:anchor` included."""
    docx = built(review)
    document = zipfile.ZipFile(docx).read("word/document.xml").decode("utf-8")
    source = re.search(
        r'<w:hyperlink r:id="(\w+)"[^>]*>(?:(?!</w:hyperlink>).)*West Sussex', document
    )
    paragraph = inserted(
        run("Compare "),
        f'<w:hyperlink r:id="{source[1]}" w:history="1">{run("the framework")}</w:hyperlink>',
        run(" with "),
        f'<w:hyperlink r:id="rIdNew1" w:history="1">{run("a report")}</w:hyperlink>',
        run(" ("),
        f'<w:hyperlink r:id="rIdNew1" w:anchor="part-2">{run("part two")}</w:hyperlink>',
        run(")."),
    )

    def rels(text: str) -> str:
        return text.replace(
            "</Relationships>",
            '<Relationship Id="rIdNew1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/hyperlink" Target="https://example.org/report" '
            'TargetMode="External"/></Relationships>',
        )

    edited = tmp_path / "edited.docx"
    add_parts(
        docx,
        edited,
        {"word/document.xml": after_coventry(paragraph), "word/_rels/document.xml.rels": rels},
    )
    result = invoke("merge", str(edited), str(review), "--apply")
    assert result.exit_code == 0, result.output
    text = (review / "background.md").read_text(encoding="utf-8")
    assert (
        "\n\nCompare [the framework](@west-sussex-social-value-framework) with "
        "[a report](https://example.org/report) "
        "([part two](https://example.org/report#part-2)).\n\n" in text
    )
    assert "not merged" not in result.output.lower()


def test_the_comments_of_a_new_paragraph_merge_cannot_place_are_listed(review, tmp_path) -> None:
    """Text typed above the title has no section: it is listed, and its comments with it."""
    edited = tmp_path / "commented.docx"
    with_comments(
        built(review), edited, lambda t: t.replace("<w:body>", "<w:body>" + COMMENTED, 1), True
    )
    result = invoke("merge", str(edited), str(review), "--json")
    data = json.loads(result.stdout)
    assert data["unmatched"] == [
        f"new text with no place in a section: “Councils should publish their results.”, "
        f"its comments: {ANN_SAYS}{RAJ_SAYS}"
    ]


def test_a_link_to_a_figure_named_by_its_label_is_its_cross_reference(tmp_path) -> None:
    """A link to the figure (its caption's anchor) reading "Figure 1" is `@fig-x`."""
    folder = copy_review(TESTS_DIR / "reviews" / "habits", tmp_path / "habits")
    build_review(folder, ["docx"], force=True)
    docx = next((folder / "build").glob("*.docx"))
    document = zipfile.ZipFile(docx).read("word/document.xml").decode("utf-8")
    caption = re.search(
        r'<w:pStyle w:val="Caption"/></w:pPr><w:bookmarkStart w:id="\d+" w:name="(_sk\d+)"/>'
        r"(?:(?!</w:p>).)*Trips under 2 km",
        document,
    )[1]
    paragraph = inserted(
        run("As "),
        f'<w:hyperlink w:anchor="{caption}">{run("figure 1")}</w:hyperlink>',
        run(" shows, short trips are walked."),
    )

    change = after_paragraph("Protected cycle routes and low-traffic", paragraph)

    edited = tmp_path / "edited.docx"
    add_parts(docx, edited, {"word/document.xml": change})
    result = invoke("merge", str(edited), str(folder), "--apply")
    assert result.exit_code == 0, result.output
    text = (folder / "findings.md").read_text(encoding="utf-8")
    assert "\n\nAs @fig-modes shows, short trips are walked.\n\n" in text


def test_a_paragraph_typed_in_libreoffice_with_links(review, tmp_path) -> None:
    """LibreOffice's own shapes: a paragraph typed after another, a link to the heading's
    anchor reading its title, and a link to a web page. (No comment: this soffice crashes
    inserting one through UNO.)"""
    title = "Examples from the West Midlands: Sandwell and Solihull"
    document = zipfile.ZipFile(built(review)).read("word/document.xml").decode("utf-8")
    anchor = re.search(
        rf'w:name="(_sk\d+)"/><w:bookmarkEnd w:id="\d+"/><w:r><w:t[^>]*>{title}', document
    )
    edits = [
        {
            "after": "Coventry City Council has its own",
            "paragraph": f"Councils should publish their results, as {title} and a report show.",
        },
        {"link": title, "to": f"#{anchor[1]}"},
        {"link": "a report", "to": "https://example.org/report"},
    ]
    edited = tmp_path / "lo edited.docx"
    lo_edit(built(review), edited, edits, tmp_path)
    result = invoke("merge", str(edited), str(review), "--apply")
    assert result.exit_code == 0, result.output
    text = (review / "background.md").read_text(encoding="utf-8")
    assert (
        "sustainability.\n\nCouncils should publish their results, as @sec-west-midlands and "
        "[a report](https://example.org/report) show.\n\nFollowing disc" in text
    ), result.output
