"""citeproc-py 0.11, made to follow the CSL specification where it does not.

CSL 1.0.2, `cs:substitute`: "Substituted variables are considered empty for the remainder
of the output". citeproc-py represses only a variable named directly on the substituting
element, so a style that substitutes through a macro or a `cs:choose` (citeproc-py's own
harvard-cite-them-right: no author → the title macro) prints the title twice: "Damp and
mould (no date) Damp and mould". `install()` records the variables that a substitution
really rendered and represses each of them. Installed once, before the first formatting.
"""

from __future__ import annotations

_recording: list[list[tuple[str, str]]] = []


def install() -> None:
    """Patch citeproc-py's Text and Substitute elements (idempotent)."""
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

    model.Text._variable = _variable
    model.Substitute.render = render
    model.Substitute._scopekit_represses_rendered = True
