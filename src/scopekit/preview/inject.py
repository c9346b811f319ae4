"""What `serve` adds to a page: one block, just before `</body>`, and nothing else.

The block runs from `BEGIN` to `END`: the problems panel (an `<aside>` landmark listing
check's problems as `file:line`, code, message and hint) and the live-reload script. Take
the block out (`strip`) and the page is the built file, byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import escape

from scopekit.problems import Problem, Severity

BEGIN = "<!-- scopekit serve: live preview -->"
END = "<!-- /scopekit serve -->"

# Refresh on every server-sent event: fetch the page again, swap head and body, and scroll
# back to where the reader was; a panel the reader folded (or opened) stays so. A script in
# the new body is not run, so the page keeps one EventSource; when the server stops, the
# browser retries by itself.
SCRIPT = """<script>
(function () {
  "use strict";
  var root = document.documentElement;
  function details() {
    return document.querySelector("#scopekit-problems details");
  }
  function refresh() {
    var x = window.scrollX, y = window.scrollY, before = details(), chosen = null;
    if (before && before.open !== (before.dataset.opened === "yes")) {
      chosen = before.open;  // the reader opened or folded the panel: keep it so
    }
    fetch(window.location.pathname, {cache: "no-store"}).then(function (answer) {
      return answer.text();
    }).then(function (text) {
      var page = new DOMParser().parseFromString(text, "text/html");
      document.title = page.title;
      root.lang = page.documentElement.lang;
      document.head.innerHTML = page.head.innerHTML;
      document.body.className = page.body.className;
      document.body.innerHTML = page.body.innerHTML;
      if (chosen !== null && details()) { details().open = chosen; }
      window.scrollTo(x, y);
      var panel = document.getElementById("scopekit-problems");
      root.setAttribute("data-scopekit-version", panel ? panel.dataset.version : "");
    });
  }
  var panel = document.getElementById("scopekit-problems");
  root.setAttribute("data-scopekit-version", panel ? panel.dataset.version : "");
  new EventSource("/events").onmessage = function (event) {
    if (event.data !== root.getAttribute("data-scopekit-version")) { refresh(); }
  };
})();
</script>"""

_PANEL = (
    "position:fixed;right:0.75rem;bottom:0.75rem;z-index:1000;max-width:min(40rem,90vw);"
    "background:#ffffff;color:#0b0c0c;border:2px solid #0b0c0c;border-radius:4px;"
    "padding:0.5rem 0.75rem;font:0.9rem/1.4 sans-serif;box-shadow:0 2px 6px #0005"
)
_LIST = "max-height:40vh;overflow:auto;margin:0.5rem 0 0;padding:0 0 0 1.2rem"
_COLOURS = {Severity.ERROR: "#b10e1e", Severity.WARNING: "#6b4500"}


@dataclass(frozen=True)
class Notice:
    """A line of the panel: one of check's problems, or why the page could not be rebuilt
    (then with no code)."""

    severity: Severity
    place: str  # `sources.yaml:12`, or the review's folder name
    message: str
    hint: str | None = None
    code: str = ""

    @classmethod
    def of(cls, problem: Problem, place: str) -> Notice:
        """A check problem as a line of the panel."""
        return cls(problem.severity, place, problem.message, problem.hint, problem.code)


def panel(notices: list[Notice], version: int, stale: bool) -> str:
    """The problems panel: open when there is something to say, a one-line box otherwise.

    `stale` says the page shown is the last good one, not the files as they are now."""
    errors = sum(n.severity is Severity.ERROR for n in notices)
    warnings = len(notices) - errors
    summary = (
        "No problems"
        if not notices
        else f"{_count(errors, 'error')}, " + _count(warnings, "warning")
    )
    if stale:
        summary += ": showing the last page that could be built"
    items = "".join(_item(n) for n in notices)
    listing = f'<ul tabindex="0" style="{_LIST}">{items}</ul>' if notices else ""
    return (
        f'<aside id="scopekit-problems" aria-labelledby="scopekit-problems-heading" '
        f'data-version="{version}" data-problems="{len(notices)}" style="{_PANEL}">'
        f'<details data-opened="{"yes" if notices else "no"}"{" open" if notices else ""}>'
        f'<summary><h2 id="scopekit-problems-heading" style="display:inline;font-size:1rem;'
        f'margin:0">Preview: {escape(summary)}</h2></summary>{listing}</details></aside>'
    )


def _item(notice: Notice) -> str:
    colour = _COLOURS.get(notice.severity, "#0b0c0c")
    label = notice.severity.value + (f"[{notice.code}]" if notice.code else "")
    hint = f'<br><span style="color:#383f43">{escape(notice.hint)}</span>' if notice.hint else ""
    return (
        f'<li class="scopekit-problem" data-code="{escape(notice.code)}">'
        f"<code>{escape(notice.place)}</code> "
        f'<strong style="color:{colour}">{escape(label)}</strong> {escape(notice.message)}'
        f"{hint}</li>"
    )


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def inject(page: str, block: str) -> str:
    """`page` with the serve block (`BEGIN`, `block`, the script, `END`) before `</body>`."""
    injection = f"{BEGIN}{block}{SCRIPT}{END}"
    at = page.rfind("</body>")
    if at < 0:
        return page + injection
    return page[:at] + injection + page[at:]


def strip(page: str) -> str:
    """The page without what `inject` added: the built file."""
    start = page.find(BEGIN)
    if start < 0:
        return page
    end = page.index(END, start) + len(END)
    return page[:start] + page[end:]


def bare_page(title: str, block: str) -> str:
    """A page for a review that has never been built in this run: only the panel."""
    return (
        '<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}: not built</title>\n</head>\n<body>\n"
        f"<main><h1>{escape(title)}</h1><p>The briefing could not be built yet: see the "
        "problems below. The page refreshes when the files are fixed.</p></main>\n"
        + inject("</body>\n</html>\n", block)
    )
