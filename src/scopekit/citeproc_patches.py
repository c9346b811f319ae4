"""citeproc-py 0.11, made to follow the CSL specification where it does not.

CSL 1.0.2, `cs:substitute`: "Substituted variables are considered empty for the remainder
of the output". citeproc-py represses only a variable named directly on the substituting
element, so a style that substitutes through a macro or a `cs:choose` (citeproc-py's own
harvard-cite-them-right: no author → the title macro) prints the title twice: "Damp and
mould (no date) Damp and mould". `install()` records the variables that a substitution
really rendered and represses each of them.

CSL's label of a locator is plural when the locator holds several numbers; citeproc-py
counts only Arabic digits (`\\d+[^\\d.]+\\d+`), so "iv, vi–xi" got "p.". A `Locator` with a
`plural` attribute (set by scopekit from the value, as pandoc's citeproc decides) is taken
at its word. Installed once, before the first formatting.
"""

from __future__ import annotations

_recording: list[list[tuple[str, str]]] = []


def install() -> None:
    """Patch citeproc-py's Text, Substitute and Label elements (idempotent)."""
    from citeproc import model

    if getattr(model.Substitute, "_scopekit_represses_rendered", False):
        return
    original_variable = model.Text._variable
    original_render = model.Substitute.render

    def _variable(self, item, context):
        text = original_variable(self, item, context)
        if text and _recording:
            _recording[-1].append((self.tag, self.get("variable")))
        return text

    def render(self, item, context=None, **kwargs):
        _recording.append([])
        try:
            text = original_render(self, item, context=context, **kwargs)
        finally:
            rendered = _recording.pop()
        if text and context is not None:
            repressed = context.get_layout().repressed
            for tag, variable in rendered:
                repressed.setdefault(tag, []).append(variable)
        return text

    original_is_plural = model.Label._is_plural

    def _is_plural(self, item):
        plural = getattr(getattr(item, "locator", None), "plural", None)
        if self.get("variable") == "locator" and plural is not None:
            return plural
        return original_is_plural(self, item)

    model.Text._variable = _variable
    model.Substitute.render = render
    model.Label._is_plural = _is_plural
    model.Substitute._scopekit_represses_rendered = True
