"""Gather a review's URLs: each distinct one once, with the sources that use it and its place."""

from __future__ import annotations

from scopekit.links.model import Target
from scopekit.review.model import SOURCES_FILE, Review
from scopekit.urls import bare_urls, is_web_url, without_fragment


def collect(review: Review) -> list[Target]:
    """Source URLs in sources.yaml order (skipped sources among them), then URLs in prose.

    A URL used several times is one target: sources add their ids to it, prose adds nothing.
    Two spellings that differ only in `#fragment` are the same page, so the same target.
    """
    targets: list[Target] = []
    by_url: dict[str, Target] = {}

    def add(url: str, source_id: str | None, file: str, line: int | None) -> None:
        key = without_fragment(url)
        target = by_url.get(key)
        if target is None:
            target = by_url[key] = Target(url, [], file, line)
            targets.append(target)
        if source_id is not None and source_id not in target.sources:
            target.sources.append(source_id)

    for source in review.sources:
        if source.url is None:
            targets.append(Target("", [source.id], SOURCES_FILE, source.line, "no URL"))
        elif not is_web_url(source.url):
            reason = "not an absolute http(s) URL (see scopekit check)"
            targets.append(
                Target(source.url, [source.id], SOURCES_FILE, source.line_of("URL"), reason)
            )
        else:
            add(source.url, source.id, SOURCES_FILE, source.line_of("URL"))
    for section in review.texts:
        for link in section.markdown.links:
            if link.source_key is None and is_web_url(link.href):
                add(link.href, None, section.file, link.line)
        for text in section.markdown.texts:
            for url in bare_urls(text.text):
                add(url, None, section.file, text.line)
    return targets
