"""`scopekit check-links`: gather a review's URLs, check them politely over aiohttp, cache the
results, and keep the record (access dates, archived copies).

Import the modules themselves (`scopekit.links.run`…): this package imports nothing, so that
aiohttp loads only when links are checked.
"""
