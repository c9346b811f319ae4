"""A concurrency limit whose waiters can jump the queue: requests that finish a URL already
begun (GET after HEAD, a redirect hop, a retry) go before URLs not yet started, so a URL
once begun is not left waiting behind the whole queue."""

from __future__ import annotations

import asyncio
from collections import deque


class Gate:
    """At most `size` holders at once; urgent waiters are let in before the others."""

    def __init__(self, size: int) -> None:
        self.free = size
        self.urgent: deque[asyncio.Future[None]] = deque()
        self.normal: deque[asyncio.Future[None]] = deque()

    async def acquire(self, urgent: bool = False) -> None:
        """Wait for a place (before non-urgent waiters when `urgent`)."""
        if self.free > 0 and not self.urgent and not self.normal:
            self.free -= 1
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        (self.urgent if urgent else self.normal).append(waiter)
        try:
            await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self.release()
            raise

    def release(self) -> None:
        """Give the place to the next waiter, urgent ones first, or free it."""
        for queue in (self.urgent, self.normal):
            while queue:
                waiter = queue.popleft()
                if not waiter.done():
                    waiter.set_result(None)
                    return
        self.free += 1
