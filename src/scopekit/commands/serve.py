"""`scopekit serve`: the live preview (preview/), its address and each rebuild on the terminal."""

from __future__ import annotations

import sys
import webbrowser

import typer

from scopekit.commands.output import folder_name
from scopekit.preview import Preview


def run(folder: str, port: int, open_browser: bool) -> int:
    """Serve the review (or folder of reviews) until Ctrl-C; 0 when stopped."""
    preview = Preview(folder, port=port, echo=typer.echo)
    try:
        url = preview.bind()
        typer.echo(f"Serving {folder_name(folder)} at {url}  (Ctrl-C to stop)")
        if open_browser:
            webbrowser.open(url)
        preview.serve_forever()
    except KeyboardInterrupt:
        typer.echo("Stopped.", err=True)
    finally:
        preview.close()
    sys.stdout.flush()
    return 0
