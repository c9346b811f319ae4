"""Edit a DOCX in LibreOffice itself, with recording of changes on (run by the system
Python, which has Debian's python3-uno): `python3 tests/lo_edit.py IN OUT EDITS.json`.

A headless soffice is started on a loopback socket with a throwaway profile; the document
is opened, changes are recorded under the author named in EDITS.json, each edit is made
(`replace`: old → new, the first match; `delete`: the first match), and the document is
saved as "MS Word 2007 XML". Used by tests/test_merge.py.
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
from com.sun.star.beans import PropertyValue


def _prop(name: str, value: object) -> PropertyValue:
    prop = PropertyValue()
    prop.Name, prop.Value = name, value
    return prop


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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
        doc = desktop.loadComponentFromURL(
            Path(source).resolve().as_uri(), "_blank", 0, (_prop("Hidden", True),)
        )
        doc.RecordChanges = True
        for edit in edits["edits"]:
            search = doc.createSearchDescriptor()
            search.SearchString = edit["old"]
            search.SearchCaseSensitive = True
            found = doc.findFirst(search)
            if found is None:
                raise SystemExit(f"not found: {edit['old']}")
            found.setString(edit.get("new", ""))
        doc.storeToURL(Path(target).resolve().as_uri(), (_prop("FilterName", "MS Word 2007 XML"),))
        doc.close(True)
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main(*sys.argv[1:4])
