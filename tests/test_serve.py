"""`scopekit serve`: the page served from memory is the built file plus one block; every input
is watched; problems show in the panel; nothing is written into the review folder."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import citeproc
import pytest
from conftest import CLEAN_REVIEW, SOCIAL_VALUE_REVIEW, TODAY, copy_review, invoke

from scopekit.build import build_review
from scopekit.preview import Preview
from scopekit.preview.inject import BEGIN, END, SCRIPT, strip

ROOT = Path(__file__).resolve().parents[1]
EVERY_FORM = ROOT / "tests" / "reviews" / "every-form"


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCOPEKIT_TODAY", TODAY)


@contextmanager
def serving(folder: Path) -> Iterator[Preview]:
    preview = Preview(folder, port=0, interval=0.05)
    preview.start()
    try:
        yield preview
    finally:
        preview.close()


def get(preview: Preview, path: str = "/") -> bytes:
    with urllib.request.urlopen(preview.url.rstrip("/") + path, timeout=30) as answer:
        return answer.read()


def page(preview: Preview, path: str = "/") -> str:
    return get(preview, path).decode("utf-8")


def after(preview: Preview, change: Callable[[], object]) -> str:
    """Make a change to the files, wait for the rebuild it causes, and give the new page."""
    version = preview.version
    change()
    assert preview.wait_for(version, 5), "no rebuild within 5 s"
    while preview.wait_for(preview.version, 0.25):
        pass  # until the files settle (a file seen half written is rebuilt again)
    return page(preview)


def built_html(folder: Path, tmp_path: Path) -> bytes:
    """`build --format html --force` of a copy of the folder (the copy takes build's caches)."""
    copy = copy_review(folder, tmp_path / "built" / folder.name)
    result = build_review(copy, ["html"], out_dir=tmp_path / "out", force=True)
    return result.written[0].path.read_bytes()


def tree(folder: Path) -> dict[str, tuple[int, bytes]]:
    return {
        str(p.relative_to(folder)): (p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize("review", [SOCIAL_VALUE_REVIEW, EVERY_FORM, CLEAN_REVIEW])
def test_served_page_is_the_built_file_plus_one_block(review: Path, tmp_path: Path) -> None:
    folder = copy_review(review, tmp_path / review.name)
    with serving(folder) as preview:
        served = page(preview)
    assert served.count(BEGIN) == 1 and served.count(END) == 1
    block = served[served.index(BEGIN) : served.index(END) + len(END)]
    assert block.endswith(SCRIPT + END)
    assert served.index(END) + len(END) == served.rindex("</body>")
    assert strip(served).encode("utf-8") == built_html(review, tmp_path)


def test_serve_writes_nothing_into_the_review_folder(tmp_path: Path) -> None:
    folder = copy_review(SOCIAL_VALUE_REVIEW, tmp_path / SOCIAL_VALUE_REVIEW.name)
    before = tree(folder)
    with serving(folder) as preview:
        page(preview)
        assert get(preview, "/pdf").startswith(b"%PDF")
        assert get(preview, "/docx").startswith(b"PK")
    assert tree(folder) == before
    assert not (folder / ".scopekit").exists() and not (folder / "build").exists()


def test_edits_to_every_input_rebuild_the_page(tmp_path: Path) -> None:
    folder = copy_review(CLEAN_REVIEW, tmp_path / CLEAN_REVIEW.name)
    style = folder / "mystyle"
    (style).mkdir()
    theme = (ROOT / "templates" / "coventry-hdrc" / "theme.yaml").read_text()
    (style / "theme.yaml").write_text(theme)
    (folder / "my.csl").write_bytes((ROOT / "templates" / "csl" / "coventry-hdrc.csl").read_bytes())
    review = folder / "review.yaml"
    text = review.read_text()
    text = re.sub(r"house_style: .*", "house_style: mystyle", text)
    text = re.sub(r"citation_style: .*", "citation_style: my.csl", text)
    review.write_text(text)
    with serving(folder) as preview:
        first = page(preview)
        assert 'id="scopekit-problems"' in first
        section = folder / "findings.md"
        new = after(preview, lambda: section.write_text(section.read_text() + "\nZebrafish.\n"))
        assert "Zebrafish." in new
        primary = re.search(r"primary: *['\"]?(#[0-9a-fA-F]{6})", theme)
        assert primary, theme
        themed = after(
            preview,
            lambda: (style / "theme.yaml").write_text(theme.replace(primary[1], "#123456")),
        )
        assert "--primary: #123456" in themed
        css = "body { letter-spacing: 0.01em; }\n"
        assert "letter-spacing: 0.01em" in after(
            preview, lambda: (style / "style.css").write_text(css)
        )
        before_csl = strip(page(preview))
        harvard = Path(citeproc.__file__).parent / "data" / "styles" / "harvard-cite-them-right.csl"
        restyled = after(preview, lambda: (folder / "my.csl").write_bytes(harvard.read_bytes()))
        assert strip(restyled) != before_csl
        assert strip(restyled).encode() == built_html(folder, tmp_path)


def test_files_added_later_are_watched(tmp_path: Path) -> None:
    folder = copy_review(CLEAN_REVIEW, tmp_path / CLEAN_REVIEW.name)
    review = folder / "review.yaml"
    review.write_text(review.read_text().replace("sections:\n", "sections:\n  - later.md\n", 1))
    with serving(folder) as preview:
        assert 'data-code="missing-section"' in page(preview)
        new = after(preview, lambda: (folder / "later.md").write_text("# Later\n\nAdded later.\n"))
        assert "Added later." in new and 'data-code="missing-section"' not in new
        image = folder / "figure.png"
        new = after(
            preview,
            lambda: (folder / "later.md").write_text("# Later\n\n![A figure](figure.png)\n"),
        )
        assert 'alt="A figure"' not in new  # no such image yet
        png = (ROOT / "templates" / "coventry-hdrc" / "logo.png").read_bytes()
        assert 'alt="A figure"' in after(preview, lambda: image.write_bytes(png))


def test_broken_yaml_shows_its_problem_and_keeps_the_last_good_page(tmp_path: Path) -> None:
    folder = copy_review(CLEAN_REVIEW, tmp_path / CLEAN_REVIEW.name)
    with serving(folder) as preview:
        good = strip(page(preview))
        sources = folder / "sources.yaml"
        text = sources.read_text()
        broken = after(preview, lambda: sources.write_text(text + "  - id: [unclosed\n"))
        assert strip(broken) == good
        panel = broken[broken.index(BEGIN) :]
        assert 'data-code="unreadable"' in panel
        assert re.search(r"<code>sources\.yaml:\d+</code>", panel)
        assert "showing the last page that could be built" in panel
        fixed = after(preview, lambda: sources.write_text(text))
        assert 'data-code="unreadable"' not in fixed


def test_a_review_unreadable_from_the_start_shows_only_the_panel(tmp_path: Path) -> None:
    folder = copy_review(CLEAN_REVIEW, tmp_path / CLEAN_REVIEW.name)
    (folder / "review.yaml").write_text("title: [broken\n")
    with serving(folder) as preview:
        first = page(preview)
        assert 'data-code="unreadable"' in first and "could not be built yet" in first
        with pytest.raises(urllib.error.HTTPError) as failed:
            get(preview, "/pdf")
        assert failed.value.code == 409


def test_library_serves_its_page_and_each_briefing(tmp_path: Path) -> None:
    library = tmp_path / "reviews"
    copy_review(SOCIAL_VALUE_REVIEW, library / SOCIAL_VALUE_REVIEW.name)
    copy_review(CLEAN_REVIEW, library / CLEAN_REVIEW.name)
    with serving(library) as preview:
        index = page(preview)
        assert 'href="social-value"' in index and 'href="clean/pdf"' in index
        assert strip(page(preview, "/clean")).encode() == built_html(CLEAN_REVIEW, tmp_path)
        assert get(preview, "/clean/pdf").startswith(b"%PDF")
        with pytest.raises(urllib.error.HTTPError) as missing:
            get(preview, "/nothing-here")
        assert missing.value.code == 404
        index = after(preview, lambda: copy_review(CLEAN_REVIEW, library / "added-later"))
        assert 'href="added-later"' in index


def test_a_port_in_use_is_one_line_and_exit_2(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = invoke("serve", str(CLEAN_REVIEW), "--port", str(port), "--no-browser")
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert lines[0] == f"scopekit: error: port {port} on 127.0.0.1 is in use", lines
    assert "--port" in lines[1]


def test_ctrl_c_ends_serve_cleanly(tmp_path: Path) -> None:
    folder = copy_review(CLEAN_REVIEW, tmp_path / CLEAN_REVIEW.name)
    process = subprocess.Popen(
        [sys.executable, "-m", "scopekit", "serve", str(folder), "--port", "0", "--no-browser"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "SCOPEKIT_TODAY": TODAY},
    )
    try:
        assert process.stdout is not None
        lines = []
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            lines.append(line)
            if "Serving" in line:
                break
        url = re.search(r"http://127\.0\.0\.1:\d+/", "".join(lines))
        assert url, lines
        with urllib.request.urlopen(url[0], timeout=10) as answer:
            assert b'id="scopekit-problems"' in answer.read()
        events = urllib.request.urlopen(url[0] + "events", timeout=10)  # an open stream
        assert events.readline().startswith(b"retry:")
        process.send_signal(signal.SIGINT)
        _out, err = process.communicate(timeout=10)
        events.close()
    finally:
        process.kill()
    assert process.returncode == 0, err
    assert "Traceback" not in err and "Stopped." in err


def test_a_folder_with_no_review_is_refused_before_serving(tmp_path: Path) -> None:
    result = invoke("serve", str(tmp_path), "--port", "0", "--no-browser")
    assert result.exit_code == 2
    assert "review.yaml" in result.output and "Serving" not in result.output


def test_a_request_for_another_host_name_is_refused(tmp_path: Path) -> None:
    """A page elsewhere that reaches 127.0.0.1 under its own name (DNS rebinding) reads
    nothing."""
    with serving(copy_review(CLEAN_REVIEW, tmp_path / CLEAN_REVIEW.name)) as preview:
        request = urllib.request.Request(preview.url, headers={"Host": "attacker.example:80"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
        assert refused.value.code == 421
        local = preview.url.replace("127.0.0.1", "localhost")
        request = urllib.request.Request(preview.url, headers={"Host": local.split("/")[2]})
        assert b"scopekit-problems" in urllib.request.urlopen(request, timeout=10).read()


def test_pdf_and_docx_on_request_are_the_built_files(tmp_path: Path) -> None:
    folder = copy_review(CLEAN_REVIEW, tmp_path / CLEAN_REVIEW.name)
    copy = copy_review(CLEAN_REVIEW, tmp_path / "built" / "clean")
    written = build_review(copy, ["pdf", "docx"], out_dir=tmp_path / "out").written
    built = {w.format: w.path.read_bytes() for w in written}
    with serving(folder) as preview:
        assert get(preview, "/pdf") == built["pdf"]
        assert get(preview, "/docx") == built["docx"]
        assert get(preview, "/pdf") == built["pdf"]  # kept until the next rebuild


def test_serve_opens_the_browser_unless_told_not_to(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", opened.append)

    def interrupted(self: Preview) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(Preview, "serve_forever", interrupted)
    folder = copy_review(CLEAN_REVIEW, tmp_path / CLEAN_REVIEW.name)
    result = invoke("serve", str(folder), "--port", "0")
    assert result.exit_code == 0
    assert len(opened) == 1 and re.fullmatch(r"http://127\.0\.0\.1:\d+/", opened[0])
    assert f"at {opened[0]}" in result.output and "Stopped." in result.output
    result = invoke("serve", str(folder), "--port", "0", "--no-browser")
    assert result.exit_code == 0 and len(opened) == 1
