"""Edit a DOCX in LibreOffice itself, with recording of changes on (run by the system
Python, which has Debian's python3-uno): `python3 tests/lo_edit.py IN OUT EDITS.json`.

A headless soffice is started on a loopback socket with a throwaway profile; the document
is opened, changes are recorded under the author named in EDITS.json (not recorded when its
"record" is false: track changes off), and each edit of its "edits" list is made, in order:

- `{"old": "text", "new": "text"}`: the first match of "old" replaced by "new" (a "new"
  that is empty or left out deletes it);
- `{"bold": "text"}`, `{"italic": "text"}`, `{"plain": "text"}`: the first match made bold,
  italic, or neither (a tracked formatting change);
- `{"move": "start", "before": "start"}`: the paragraph starting with "move" cut (with its
  paragraph mark) and pasted before the paragraph starting with "before", as the Cut and
  Paste commands do (through the document's transferable, not the system clipboard);
- `{"delete": "start"}`: the paragraph starting with "start" deleted with its mark;
- `{"after": "start", "paragraph": "text"}`: a new paragraph typed after the paragraph
  starting with "start";
- `{"link": "text", "to": "URL"}`: the first match made a hyperlink (`#name`: to a bookmark).

The document is saved as "MS Word 2007 XML". Used by tests/test_merge.py and
tests/test_merge_newpara.py.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import uno
from com.sun.star.awt.FontSlant import ITALIC, NONE
from com.sun.star.awt.FontWeight import BOLD, NORMAL
from com.sun.star.beans import PropertyValue
from com.sun.star.text.ControlCharacter import PARAGRAPH_BREAK


def _prop(name: str, value: object) -> PropertyValue:
    prop = PropertyValue()
    prop.Name, prop.Value = name, value
    return prop


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _load(desktop: object, source: str) -> object:
    """The document opened hidden; soffice can answer on its socket a moment before it can
    load (loadComponentFromURL then gives None), so a few tries."""
    path = Path(source).resolve()
    if not path.is_file():
        raise SystemExit(f"no such file: {path}")
    url = uno.systemPathToFileUrl(str(path))
    for _ in range(20):
        doc = desktop.loadComponentFromURL(url, "_blank", 0, (_prop("Hidden", True),))
        if doc is not None:
            return doc
        time.sleep(0.5)
    raise SystemExit(f"LibreOffice could not open {path}")


def _found(doc: object, text: str) -> object:
    search = doc.createSearchDescriptor()
    search.SearchString = text
    search.SearchCaseSensitive = True
    found = doc.findFirst(search)
    if found is None:
        raise SystemExit(f"not found: {text}")
    return found


def _paragraph(doc: object, start: str) -> object:
    """The first body paragraph whose text starts with `start`."""
    paragraphs = doc.Text.createEnumeration()
    while paragraphs.hasMoreElements():
        paragraph = paragraphs.nextElement()
        if paragraph.supportsService("com.sun.star.text.Paragraph") and (
            paragraph.getString().startswith(start)
        ):
            return paragraph
    raise SystemExit(f"no paragraph starts with: {start}")


def _edit(doc: object, edit: dict) -> None:
    """One edit of EDITS.json (see the module's docstring)."""
    if "after" in edit:
        cursor = doc.Text.createTextCursorByRange(_paragraph(doc, edit["after"]).getEnd())
        doc.Text.insertControlCharacter(cursor, PARAGRAPH_BREAK, False)
        doc.Text.insertString(cursor, edit["paragraph"], False)
    elif "link" in edit:
        _found(doc, edit["link"]).HyperLinkURL = edit["to"]
    elif "old" in edit:
        _found(doc, edit["old"]).setString(edit.get("new", ""))
    elif "bold" in edit:
        _found(doc, edit["bold"]).CharWeight = BOLD
    elif "italic" in edit:
        _found(doc, edit["italic"]).CharPosture = ITALIC
    elif "plain" in edit:
        found = _found(doc, edit["plain"])
        found.CharWeight, found.CharPosture = NORMAL, NONE
    elif "delete" in edit:
        cursor = doc.Text.createTextCursorByRange(_paragraph(doc, edit["delete"]).getStart())
        cursor.gotoEndOfParagraph(True)
        cursor.goRight(1, True)  # the paragraph mark too
        cursor.setString("")
    elif "move" in edit:
        controller = doc.getCurrentController()
        moved = _paragraph(doc, edit["move"])
        cursor = doc.Text.createTextCursorByRange(moved.getStart())
        cursor.gotoEndOfParagraph(True)
        cursor.goRight(1, True)  # the paragraph mark too
        controller.select(cursor)
        cut = controller.getTransferable()
        cursor.setString("")
        controller.select(_paragraph(doc, edit["before"]).getStart())
        controller.insertTransferable(cut)
    else:
        raise SystemExit(f"unknown edit: {edit}")


def main(source: str, target: str, edits_file: str) -> None:
    edits = json.loads(Path(edits_file).read_text(encoding="utf-8"))
    profile = Path(tempfile.mkdtemp(prefix="lo-profile-"))
    port = _free_port()
    soffice = shutil.which("soffice") or "soffice"
    process = subprocess.Popen(
        [
            soffice,
            "--headless",
            "--invisible",
            "--norestore",
            f"-env:UserInstallation={profile.as_uri()}",
            f"--accept=socket,host=127.0.0.1,port={port};urp;",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local
        )
        for _ in range(120):
            try:
                context = resolver.resolve(
                    f"uno:socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext"
                )
                break
            except Exception:
                time.sleep(0.5)
        else:
            raise SystemExit("LibreOffice did not start")
        manager = context.ServiceManager
        config = manager.createInstanceWithContext(
            "com.sun.star.configuration.ConfigurationProvider", context
        )
        access = config.createInstanceWithArguments(
            "com.sun.star.configuration.ConfigurationUpdateAccess",
            (_prop("nodepath", "/org.openoffice.UserProfile/Data"),),
        )
        author = edits.get("author", "Lee Office")
        first, _, last = author.partition(" ")
        access.setPropertyValue("givenname", first)
        access.setPropertyValue("sn", last)
        access.commitChanges()
        desktop = manager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        doc = _load(desktop, source)
        doc.RecordChanges = bool(edits.get("record", True))
        for edit in edits["edits"]:
            _edit(doc, edit)
        doc.storeToURL(
            uno.systemPathToFileUrl(str(Path(target).resolve())),
            (_prop("FilterName", "MS Word 2007 XML"),),
        )
        doc.close(True)
        desktop.terminate()
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main(*sys.argv[1:4])
