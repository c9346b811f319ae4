"""citeproc-py and the CSL specification: a substituted variable is printed once.

CSL 1.0.2, cs:substitute: "Substituted variables are considered empty for the remainder of
the output." citeproc-py's bundled harvard-cite-them-right substitutes the title (through
a macro inside a cs:choose) for a missing author, and citeproc-py alone prints it twice.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CLEAN_REVIEW, copy_review, edit

from scopekit.notes import build_notes
from scopekit.review import load_review

DAMP = {
    "id": "damp",
    "type": "webpage",
    "title": "Damp and mould: understanding and addressing the health risks",
    "publisher": "GOV.UK",
    "URL": "https://www.gov.uk/damp",
    "accessed": {"date-parts": [[2024, 6, 3]]},
}
UNPATCHED = """
import importlib.util, json, sys
from pathlib import Path
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle
from citeproc import formatter
from citeproc.source.json import CiteProcJSON
style = Path(importlib.util.find_spec("citeproc").origin).parent / "data" / "styles"
style = CitationStylesStyle(str(style / "harvard-cite-them-right.csl"), validate=False)
bib = CitationStylesBibliography(style, CiteProcJSON([json.loads(sys.argv[1])]), formatter.plain)
bib.register(Citation([CitationItem("damp")]))
print(bib.bibliography()[0])
"""


def harvard(items: list[dict]) -> dict[str, str]:
    import importlib.util

    from scopekit.cite import _citeproc

    style = Path(importlib.util.find_spec("citeproc").origin).parent / "data" / "styles"
    return _citeproc(items, [], style / "harvard-cite-them-right.csl", "en-GB").references


def test_a_title_substituted_for_the_author_is_printed_once() -> None:
    text = harvard([DAMP])["damp"]
    assert text.count("Damp and mould") == 1
    assert text.startswith(
        "Damp and mould: understanding and addressing the health risks (no date)."
    )
    assert "Available at: https://www.gov.uk/damp (Accessed: 3 June 2024)" in text


def test_a_container_title_substituted_for_the_author_is_printed_once() -> None:
    item = {
        "id": "bmj",
        "type": "article-journal",
        "title": "An editorial",
        "container-title": "BMJ",
        "issued": {"date-parts": [[2019]]},
    }
    text = harvard([item])["bmj"]
    assert text.startswith("BMJ (2019)") and text.count("BMJ") == 1


def test_an_author_is_not_a_substitute_and_the_title_stays() -> None:
    item = dict(DAMP, author=[{"family": "Smith", "given": "Ann"}])
    text = harvard([item])["damp"]
    assert text.startswith("Smith, A. (no date) Damp and mould")


def test_citeproc_alone_still_prints_it_twice() -> None:
    """The canary: when citeproc-py fixes this upstream, citeproc_patches can go."""
    import json

    out = subprocess.run(
        [sys.executable, "-c", UNPATCHED, json.dumps(DAMP)], capture_output=True, text=True
    )
    if out.returncode:
        pytest.fail(out.stderr)
    assert out.stdout.count("Damp and mould") == 2, "fixed upstream? remove the patch"


def test_the_briefing_reference_names_the_title_once(tmp_path: Path) -> None:
    review = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    edit(
        review / "review.yaml",
        "citation_style: coventry-hdrc",
        "citation_style: harvard-cite-them-right",
    )
    references = build_notes(load_review(review)).references
    school = "".join(run.text for run in references["sustrans-school-streets"])
    assert school.count("What is a school street?") == 1
