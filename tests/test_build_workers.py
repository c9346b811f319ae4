"""The build's speed-ups keep its output: the PDF rendered ahead in a forked worker
(render/ahead.py), the house-styled Word template kept in the cache (render/docx/template.py)
and the reviews of a library built in parallel."""

from __future__ import annotations

import json
import os
import threading
import zipfile
from pathlib import Path

import pytest
from conftest import CLEAN_REVIEW, copy_review

from scopekit import console, early
from scopekit.build import build_library, build_review
from scopekit.render import ahead, pdf
from scopekit.render.docx import template

pytestmark = pytest.mark.skipif(not ahead.can_fork(), reason="forks only where that is safe")


def _pid_pdf(doc, page=None) -> tuple[bytes, list[str]]:
    """A stand-in PDF renderer: the id of the process that rendered it."""
    return str(os.getpid()).encode(), []


def test_the_pdf_is_rendered_in_a_worker_and_written_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf, "render_pdf", _pid_pdf)
    review = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    result = build_review(review, ["html", "pdf", "docx"])
    assert [w.format for w in result.written] == ["html", "pdf", "docx"]
    pid = int((review / "build" / "clean.pdf").read_bytes())
    assert pid != os.getpid()
    assert not early.children()  # the worker is gone


def test_a_failing_worker_renders_in_this_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parent = os.getpid()

    def only_here(doc, page=None) -> tuple[bytes, list[str]]:
        if os.getpid() != parent:
            raise RuntimeError("no PDF in the worker")
        return b"here", []

    monkeypatch.setattr(pdf, "render_pdf", only_here)
    review = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    build_review(review, ["pdf"])
    assert (review / "build" / "clean.pdf").read_bytes() == b"here"


def test_an_up_to_date_pdf_stops_the_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf, "render_pdf", _pid_pdf)
    review = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    build_review(review, ["pdf"])
    again = build_review(review, ["html", "pdf"])
    assert [w.reused for w in again.written] == [False, True]
    assert not early.children()


def test_no_fork_while_another_thread_runs() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not ahead.can_fork()
    finally:
        stop.set()
        thread.join()
    assert ahead.can_fork()


def test_the_styled_template_is_cached_and_gives_the_same_docx(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    review = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    first = build_review(review, ["docx"], tmp_path / "one")
    kept = list((tmp_path / "cache" / "scopekit" / "docx").glob("template-*.docx"))
    assert len(kept) == 1
    made = kept[0].stat().st_mtime_ns
    build_review(review, ["docx"], tmp_path / "two")
    assert kept[0].stat().st_mtime_ns == made  # opened, not made again
    kept[0].write_bytes(b"not a zip")  # a damaged cache is made again
    build_review(review, ["docx"], tmp_path / "three")
    one = first.written[0].path.read_bytes()
    assert one == (tmp_path / "two" / "clean.docx").read_bytes()
    assert one == (tmp_path / "three" / "clean.docx").read_bytes()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "unwritable" / "file"))
    (tmp_path / "unwritable").write_text("a file, not a folder")
    build_review(review, ["docx"], tmp_path / "four")  # no cache at all: styled in memory
    assert one == (tmp_path / "four" / "clean.docx").read_bytes()


def test_the_template_key_follows_the_house_style(tmp_path: Path) -> None:
    from dataclasses import replace

    from scopekit.render import build_document
    from scopekit.review import load_review

    doc = build_document(load_review(copy_review(CLEAN_REVIEW, tmp_path / "clean")))
    navy = template.template_key(doc)
    doc.theme = replace(doc.theme, colours=replace(doc.theme.colours, primary="#aa0000"))
    assert template.template_key(doc) != navy


def test_a_library_built_in_parallel_equals_one_built_in_turn(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = tmp_path / "library"
    for name in ("alpha", "beta", "gamma"):
        copy_review(CLEAN_REVIEW, library / name)
    review_yaml = library / "beta" / "review.yaml"
    review_yaml.write_text(review_yaml.read_text().replace("title:", "title: [", 1))
    said: dict[str, list[str]] = {"parallel": [], "in-turn": []}

    def build(kind: str):
        def checked(folder: Path, report) -> None:
            said[kind].append(f"checked {folder.name}")

        return build_library(
            library,
            ["html", "docx"],
            tmp_path / kind,
            progress=lambda w: said[kind].append(f"{w.format} {w.path.name}"),
            on_checked=checked,
        )

    parallel = build("parallel")
    assert not early.children()
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    in_turn = build("in-turn")
    assert said["parallel"] == said["in-turn"]
    assert said["parallel"][:3] == ["checked alpha", "html alpha.html", "docx alpha.docx"]
    for one, other in zip(parallel.entries, in_turn.entries, strict=True):
        assert one.folder == other.folder
        assert one.outputs.keys() == other.outputs.keys()
        assert (one.error and (one.error.message, one.error.hint)) == (
            other.error and (other.error.message, other.error.hint)
        )
    assert parallel.entries[1].error is not None  # beta's broken review.yaml
    assert parallel.entries[1].error.hint
    for name in ("alpha.html", "alpha.docx", "gamma.docx", "index.html"):
        assert (tmp_path / "parallel" / name).read_bytes() == (
            tmp_path / "in-turn" / name
        ).read_bytes()


def test_the_pdf_beside_a_docx_with_changes_since_shows_no_tracked_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    review = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    earlier = build_review(review, ["docx"], tmp_path / "first").written[0].path

    def tell(doc, page=None) -> tuple[bytes, list[str]]:
        return f"{os.getpid()} {doc.earlier is None}".encode(), []

    monkeypatch.setattr(pdf, "render_pdf", tell)
    build_review(review, ["docx", "pdf"], tmp_path / "again", changes_since=earlier)
    pid, plain = (tmp_path / "again" / "clean.pdf").read_text().split()
    assert (int(pid) != os.getpid(), plain) == (True, "True")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["build", "{review}"], "pdf"),
        (["build", "{review}", "--format", "pdf"], "pdf"),
        (["build", "-f", "html", "{review}", "--format=pdf"], "pdf"),
        (["build", "{review}", "-fpdf", "-o", "out"], "pdf"),
        (["build", "{review}", "-f", "docx", "-f", "pdf"], "pdf"),
        (["build", "{review}", "-f", "docx"], "docx"),
        (["build", "{review}", "-f", "html", "--format=docx"], "docx"),
        (["build", "{review}", "--out", "pdf", "-f", "html"], None),
        (["build", "{review}", "-f", "html"], None),
        (["build", "-vo", "{library}", "{review}", "-f", "docx"], "docx"),  # -v, -o DIR
        (["build", "-vfdocx", "{review}"], "docx"),
        (["build", "{review}", "--help"], None),
        (["build", "{library}"], None),  # a library's workers render in-process
        (["build", "{library}", "-f", "docx"], None),
        (["check", "{review}"], None),
        ([], None),
    ],
)
def test_the_console_script_forks_a_worker_only_for_a_review_s_pdf_or_docx(
    args: list[str], expected: str | None, tmp_path: Path
) -> None:
    review = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    words = [a.format(review=review, library=tmp_path) for a in args]
    assert console.renders_ahead(words) == expected
    if expected:  # and the folder it tells the worker is the review's, as click reads it
        assert console._build_words(words)[0] == str(review)


def _pid_docx(doc) -> tuple[bytes, list[str], bytes]:
    """A stand-in DOCX renderer: the id of the process that rendered it, and whether the
    Document it was given shows changes since an earlier build."""
    return f"{os.getpid()} {doc.earlier is not None}".encode(), [], b"{}"


def test_without_a_pdf_the_docx_is_rendered_in_a_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import scopekit.render.docx as word

    monkeypatch.setattr(word, "render_docx", _pid_docx)
    review = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    result = build_review(review, ["docx", "html"])
    assert [w.format for w in result.written] == ["docx", "html"]
    pid, changes = (review / "build" / "clean.docx").read_text().split()
    assert (int(pid) != os.getpid(), changes) == (True, "False")
    assert not early.children()
    build_review(review, ["docx", "pdf"], tmp_path / "beside-a-pdf")  # the PDF's worker
    pid, _ = (tmp_path / "beside-a-pdf" / "clean.docx").read_text().split()
    assert int(pid) == os.getpid()


def test_the_docx_worker_shows_changes_since_an_earlier_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import scopekit.render.docx as word

    review = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    earlier = build_review(review, ["docx"], tmp_path / "first").written[0].path
    monkeypatch.setattr(word, "render_docx", _pid_docx)
    build_review(review, ["docx"], tmp_path / "again", changes_since=earlier)
    pid, changes = (tmp_path / "again" / "clean.docx").read_text().split()
    assert (int(pid) != os.getpid(), changes) == (True, "True")


def test_a_docx_rendered_in_the_worker_is_the_one_rendered_here(tmp_path: Path) -> None:
    review = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    build_review(review, ["docx"], tmp_path / "worker")
    from scopekit.render import build_document
    from scopekit.render.writers import WRITERS
    from scopekit.review import load_review

    here = WRITERS["docx"].render(build_document(load_review(review)))
    made = (tmp_path / "worker" / "clean.docx").read_bytes()
    assert made == here.data


def test_a_worker_started_early_is_the_one_the_build_uses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf, "render_pdf", _pid_pdf)
    review = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    early.start(ahead.WORK, "pdf")
    [worker] = early.children()
    build_review(review, ["pdf"])
    assert int((review / "build" / "clean.pdf").read_bytes()) == worker.pid
    assert early.adopt("pdf") is None
    assert not early.children()


def test_the_worker_collects_garbage_again_once_the_document_is_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker's imports run without the garbage collector; the layout runs with it,
    the imported objects frozen."""
    import gc

    def gc_state(doc, page=None) -> tuple[bytes, list[str]]:
        return f"{gc.isenabled()} {gc.get_freeze_count() > 0}".encode(), []

    monkeypatch.setattr(pdf, "render_pdf", gc_state)
    review = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    build_review(review, ["pdf"])
    assert (review / "build" / "clean.pdf").read_bytes() == b"True True"
    assert gc.isenabled()  # this process's collector is untouched


def test_the_docx_worker_cites_the_review_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a PDF, this process never makes the Document: the worker is sent the loaded
    review, and cites it while this process checks."""
    import scopekit.build as building

    made: list[int] = []
    real = building.build_document

    def counted(review, *args, **kwargs):
        made.append(os.getpid())
        return real(review, *args, **kwargs)

    monkeypatch.setattr(building, "build_document", counted)
    review = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    build_review(review, ["docx"])
    assert made == []
    assert (review / "build" / "clean.docx").stat().st_size > 0
    build_review(review, ["docx", "html"], tmp_path / "both")
    assert made == [os.getpid()]  # once, for the HTML


def test_a_review_the_check_stops_leaves_no_docx_and_no_worker(
    tmp_path: Path, fixture_review
) -> None:
    from scopekit.errors import BuildBlocked

    review = copy_review(fixture_review("invalid-date/review"), tmp_path / "broken")
    with pytest.raises(BuildBlocked):
        build_review(review, ["docx"])
    assert not (review / "build" / "broken.docx").exists()
    assert not early.children()


def _sent_after_all(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The formats whose worker this process sent the loaded review (or Document)."""
    sent: list[str] = []
    real = ahead._prepare

    def counted(name, *args):
        sent.append(name)
        return real(name, *args)

    monkeypatch.setattr(ahead, "_prepare", counted)
    return sent


def _rendered_here(review: Path) -> bytes:
    from scopekit.render import build_document
    from scopekit.render.writers import WRITERS
    from scopekit.review import load_review

    return WRITERS["docx"].render(build_document(load_review(review))).data


def _preloaded(name: str, folder: Path) -> None:
    """What the console script does for a build of `folder`: fork `name`'s worker, load the
    review and send it."""
    early.start(ahead.WORK, name)
    ahead.preload(name, str(folder))


def _loads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The folders `load_review` loads in this process from now on."""
    import scopekit.build
    import scopekit.review

    loaded: list[Path] = []
    real = scopekit.review.load_review

    def counted(root, *args, **kwargs):
        loaded.append(Path(root))
        return real(root, *args, **kwargs)

    monkeypatch.setattr(scopekit.review, "load_review", counted)
    monkeypatch.setattr(scopekit.build, "load_review", counted)
    return loaded


def test_a_docx_worker_preloaded_with_the_review_renders_it_before_the_build_begins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Started by the console script, the DOCX's worker is sent the review the console
    script loaded, before the command line is imported; the build checks that very review
    (it loads nothing again) and sends the worker only `TAKE`; the DOCX is the one rendered
    here."""
    review = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    loads = _loads(monkeypatch)
    _preloaded("docx", review)
    sent = _sent_after_all(monkeypatch)
    build_review(review, ["docx"])
    assert (sent, loads) == ([], [review])
    assert (review / "build" / "clean.docx").read_bytes() == _rendered_here(review)
    assert not early.children()


def test_a_preloaded_build_cites_the_review_once_for_docx_and_html(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The console script cites the review for the DOCX's worker; the HTML beside it is
    rendered from that same Document, not cited again."""
    import scopekit.build
    import scopekit.render

    review = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    made: list[int] = []
    real = scopekit.render.build_document

    def counted(*args, **kwargs):
        made.append(os.getpid())
        return real(*args, **kwargs)

    monkeypatch.setattr(scopekit.render, "build_document", counted)
    monkeypatch.setattr(scopekit.build, "build_document", counted)
    _preloaded("docx", review)
    build_review(review, ["html", "docx"])
    assert made == [os.getpid()]
    assert (review / "build" / "clean.docx").read_bytes() == _rendered_here(review)
    assert (review / "build" / "clean.html").is_file()


def test_a_docx_worker_preloaded_in_the_console_renders_in_the_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import scopekit.render.docx as word

    review = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    monkeypatch.setattr(word, "render_docx", _pid_docx)
    _preloaded("docx", review)
    build_review(review, ["docx"])
    pid, changes = (review / "build" / "clean.docx").read_text().split()
    assert (int(pid) != os.getpid(), changes) == (True, "False")


def test_a_docx_worker_preloaded_with_another_folder_renders_the_review_it_is_sent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The console script read another folder from the command line than the build's (here
    a different one; in life, `-vo DIR` read wrong): the worker's DOCX is dropped, the build
    loads its own folder, and the worker renders the review it is sent."""
    review = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    other = copy_review(CLEAN_REVIEW, tmp_path / "other")
    findings = other / "findings.md"
    findings.write_text(findings.read_text(encoding="utf-8") + "\nA line only here.\n", "utf-8")
    _preloaded("docx", other)
    sent = _sent_after_all(monkeypatch)
    build_review(review, ["docx"])
    assert sent == ["docx"]
    made = review / "build" / "clean.docx"
    assert made.read_bytes() == _rendered_here(review)
    assert b"A line only here" not in zipfile.ZipFile(made).read("word/document.xml")


def test_a_docx_worker_preloaded_with_a_copy_of_the_folder_is_not_taken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same files in another folder are not the same DOCX (its build record names the
    folder), so the worker is sent the review the build loaded."""
    review = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    copy = copy_review(CLEAN_REVIEW, tmp_path / "copy")
    _preloaded("docx", copy)
    sent = _sent_after_all(monkeypatch)
    build_review(review, ["docx"])
    assert sent == ["docx"]
    assert (review / "build" / "clean.docx").read_bytes() == _rendered_here(review)


def test_a_docx_worker_preloaded_still_shows_changes_since(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With an earlier DOCX to compare, the preloaded render is dropped and the worker
    renders the review with the changes."""
    import scopekit.render.docx as word

    review = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    earlier = build_review(review, ["docx"], tmp_path / "first").written[0].path
    monkeypatch.setattr(word, "render_docx", _pid_docx)
    _preloaded("docx", review)
    build_review(review, ["docx"], tmp_path / "again", changes_since=earlier)
    pid, changes = (tmp_path / "again" / "clean.docx").read_text().split()
    assert (int(pid) != os.getpid(), changes) == (True, "True")


def test_an_unreadable_review_is_not_preloaded_and_the_build_says_why(tmp_path: Path) -> None:
    from scopekit.errors import ReviewUnreadable

    (tmp_path / "review.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    _preloaded("docx", tmp_path)
    with pytest.raises(ReviewUnreadable):
        build_review(tmp_path, ["docx"])
    assert not early.children()


_ORPHAN = """
import sys, time
from scopekit import early
conn, process = early.fork("scopekit.render.ahead:work", "html")
print(process.pid, flush=True)
time.sleep(60)
"""


def test_a_worker_ignores_ctrl_c_from_birth_and_ends_with_its_parent(tmp_path: Path) -> None:
    """Ctrl-C is the build's to handle, so the worker never prints an interrupt of its
    own; and a build killed outright (SIGKILL) leaves no worker behind waiting for work."""
    import signal
    import subprocess
    import sys
    import time

    parent = subprocess.Popen([sys.executable, "-c", _ORPHAN], stdout=subprocess.PIPE, text=True)
    pid = int(parent.stdout.readline())
    status = Path(f"/proc/{pid}/status")
    if status.exists():
        ignored = int(
            next(ln for ln in status.read_text().splitlines() if ln.startswith("SigIgn:")).split()[
                1
            ],
            16,
        )
        assert ignored & (1 << (signal.SIGINT - 1))
    parent.send_signal(signal.SIGKILL)
    parent.wait(timeout=10)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        os.kill(pid, signal.SIGKILL)
        pytest.fail("the worker outlived its killed parent")


def test_a_file_saved_while_a_preloaded_build_runs_is_built_next_time(tmp_path: Path) -> None:
    """The build writes the DOCX of the review as the console script loaded it; a section
    saved in between is fingerprinted as it was loaded, so the next build renders it
    instead of calling the old DOCX up to date."""
    review = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    _preloaded("docx", review)
    methods = review / "methods.md"
    methods.write_text(methods.read_text(encoding="utf-8") + "\nSaved meanwhile.\n", "utf-8")
    first = build_review(review, ["docx"]).written[0]
    assert b"Saved meanwhile" not in zipfile.ZipFile(first.path).read("word/document.xml")
    again = build_review(review, ["docx"]).written[0]
    assert not again.reused
    assert b"Saved meanwhile" in zipfile.ZipFile(again.path).read("word/document.xml")


def test_stop_ends_a_worker_nothing_adopted() -> None:
    early.start(ahead.WORK, "docx")
    worker = early.started("docx")
    assert worker is not None
    early.stop()
    worker[1].join(5)
    assert not worker[1].is_alive()
    assert early.adopt("docx") is None


def test_a_file_saved_while_the_preload_cites_is_built_next_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Saved after the preload read it, before it fingerprinted it: the fingerprint is one
    never seen again, so the old DOCX is not taken as up to date by the next build."""
    import scopekit.render

    review = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    methods = review / "methods.md"
    real = scopekit.render.build_document

    def cite_while_saved(loaded):
        methods.write_text(methods.read_text(encoding="utf-8") + "\nSaved meanwhile.\n", "utf-8")
        return real(loaded)

    monkeypatch.setattr(scopekit.render, "build_document", cite_while_saved)
    _preloaded("docx", review)
    monkeypatch.setattr(scopekit.render, "build_document", real)
    first = build_review(review, ["docx"]).written[0]
    assert b"Saved meanwhile" not in zipfile.ZipFile(first.path).read("word/document.xml")
    again = build_review(review, ["docx"]).written[0]
    assert not again.reused
    assert b"Saved meanwhile" in zipfile.ZipFile(again.path).read("word/document.xml")


def test_the_preloads_reference_cache_waits_until_the_build_goes_ahead(tmp_path: Path) -> None:
    """The console script cites the review before the command line is read; the reference
    cache it would write is written by the build that takes the review (off the chain
    that holds up the worker), and by nothing when no build does (a usage error)."""
    review = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    cache = review / ".scopekit" / "references.json"
    _preloaded("docx", review)
    assert not cache.exists()
    early.stop()
    assert not cache.exists()
    _preloaded("docx", review)
    build_review(review, ["docx"])
    assert cache.is_file()
    assert json.loads(cache.read_text(encoding="utf-8"))["references"]


def test_the_docx_worker_opens_the_styled_template_while_the_review_is_cited(
    tmp_path: Path,
) -> None:
    """The console script sends the house style first: the worker opens its cached template
    while the review is cited, and the render takes that very document, with the bytes a
    render that opened it itself makes."""
    from scopekit.render import build_document
    from scopekit.render.docx import template
    from scopekit.render.writers import WRITERS
    from scopekit.review import load_review

    review = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    doc = build_document(load_review(review))
    itself = WRITERS["docx"].render(doc).data  # the template is cached from here on

    ahead._open_ahead("docx", ahead.Template(doc.theme, doc.language))
    opened = template._opened[template.template_key(doc)]
    assert template.styled_template(doc) is opened
    assert template.template_key(doc) not in template._opened  # taken once
    ahead._open_ahead("docx", ahead.Template(doc.theme, doc.language))
    assert WRITERS["docx"].render(doc).data == itself
    assert not template._opened
