"""List numbering: whether a numbered paragraph is a bullet or a numbered item, and its start."""

from __future__ import annotations

from lxml import etree

from scopekit.importer.ooxml import wval
from scopekit.ooxml import w


class Numbering:
    """numId → (level → (ordered, start)), from word/numbering.xml."""

    def __init__(self, root: etree._Element | None) -> None:
        self.levels: dict[str, dict[int, tuple[bool, int]]] = {}
        if root is None:
            return
        abstract: dict[str, dict[int, tuple[bool, int]]] = {}
        for definition in root.iterfind(w("abstractNum")):
            abstract[wval(definition, "abstractNumId") or ""] = {
                int(wval(lvl, "ilvl") or 0): _level(lvl) for lvl in definition.iterfind(w("lvl"))
            }
        for num in root.iterfind(w("num")):
            levels = dict(abstract.get(wval(num.find(w("abstractNumId"))) or "", {}))
            for override in num.iterfind(w("lvlOverride")):
                ilvl = int(wval(override, "ilvl") or 0)
                ordered, start = levels.get(ilvl, (False, 1))
                if (lvl := override.find(w("lvl"))) is not None:
                    ordered, start = _level(lvl)
                if (start_over := wval(override.find(w("startOverride")))) is not None:
                    start = _int(start_over, start)
                levels[ilvl] = (ordered, start)
            self.levels[wval(num, "numId") or ""] = levels

    def kind(self, num_id: str, level: int) -> tuple[bool, int] | None:
        """(ordered, start) of a list level, or None when numId names no list (numId 0)."""
        levels = self.levels.get(num_id)
        if num_id == "0" or levels is None:
            return None
        return levels.get(level, (False, 1))


def _level(lvl: etree._Element) -> tuple[bool, int]:
    fmt = wval(lvl.find(w("numFmt"))) or "decimal"
    return fmt not in ("bullet", "none"), _int(wval(lvl.find(w("start"))), 1)


def _int(text: str | None, default: int) -> int:
    try:
        return int(text or "")
    except ValueError:
        return default
