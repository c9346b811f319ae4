"""`scopekit serve`: a live preview of a briefing (or a folder of reviews), built in memory.

`watch` polls every input's modification time, `briefing` rebuilds one review in the running
process (the same code as `build --format html`, writing nothing), `inject` adds the
problems panel and the live-reload script to the page, and `server` serves it all on
127.0.0.1 with server-sent events telling the open pages to refresh.
"""

from scopekit.preview.server import Preview

__all__ = ["Preview"]
