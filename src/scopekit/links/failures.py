"""Requests that got no HTTP answer: DNS, connection, TLS and time-outs, as link results.

DNS and connection failures are marked `offline`: when every URL of a run fails that way and
none got an answer, the run reports "no network" instead of calling every link broken.
"""

from __future__ import annotations

import asyncio
import os
import socket

import aiohttp

from scopekit.links.model import Result, Status
from scopekit.links.session import Settings
from scopekit.urls import host_of


def failure(exc: BaseException, url: str, settings: Settings) -> Result:
    """The result for a request that got no HTTP answer."""
    host = host_of(url) or url
    if isinstance(exc, aiohttp.ClientSSLError):
        return Result(Status.BROKEN, message=f"TLS failure with {host}: {_reason(exc)}")
    if isinstance(exc, aiohttp.ClientConnectorError):
        if isinstance(exc.os_error, socket.gaierror) or _is_dns(exc):
            return Result(
                Status.BROKEN, message=f"unknown host {host} (DNS lookup failed)", offline=True
            )
        return Result(
            Status.BROKEN, message=f"cannot connect to {host}: {_reason(exc)}", offline=True
        )
    if _is_connect_timeout(exc):
        return Result(
            Status.TIMEOUT,
            message=f"no connection to {host} within {settings.connect_limit:g} s",
            offline=True,
        )
    if isinstance(exc, (asyncio.TimeoutError, aiohttp.ServerTimeoutError)):
        return Result(Status.TIMEOUT, message=f"no answer within {settings.timeout:g} s")
    if isinstance(exc, (aiohttp.InvalidURL, ValueError)):
        return Result(Status.BROKEN, message=f"not a valid URL: {url[:80]}")
    return Result(Status.BROKEN, message=f"no valid HTTP answer from {host}: {_reason(exc)}")


def _is_dns(exc: aiohttp.ClientConnectorError) -> bool:
    dns_error = getattr(aiohttp, "ClientConnectorDNSError", None)
    return dns_error is not None and isinstance(exc, dns_error)


def _is_connect_timeout(exc: BaseException) -> bool:
    connect_timeout = getattr(aiohttp, "ConnectionTimeoutError", None)
    if connect_timeout is not None:
        return isinstance(exc, connect_timeout)
    return isinstance(exc, aiohttp.ServerTimeoutError) and "connect" in str(exc).lower()


def _reason(exc: BaseException) -> str:
    os_error = getattr(exc, "os_error", None)
    if isinstance(os_error, OSError) and os_error.errno:
        return os.strerror(os_error.errno).lower()
    text = str(exc) or type(exc).__name__
    return text.splitlines()[0][:200]
