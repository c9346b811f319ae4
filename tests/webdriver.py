"""A tiny W3C WebDriver client: headless Chromium through Debian's chromedriver, for tests.

Only what the tests need: open a page, run a script, quit. Chromium is kept on this machine
(a closed loopback proxy, every host name but 127.0.0.1 unresolvable) with a fresh profile.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--proxy-server=http://127.0.0.1:9",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]


def available() -> bool:
    """Whether chromium and chromedriver are installed."""
    return (CHROMIUM.is_file() and CHROMEDRIVER.is_file()) or bool(
        shutil.which("chromium") and shutil.which("chromedriver")
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Browser:
    """One headless Chromium session; use as a context manager."""

    def __init__(self, profile: Path, width: int = 1280, height: int = 900) -> None:
        self.profile = profile
        self.size = (width, height)
        self.driver: subprocess.Popen | None = None
        self.base = ""
        self.session = ""

    def __enter__(self) -> Browser:
        port = _free_port()
        driver = str(CHROMEDRIVER) if CHROMEDRIVER.is_file() else shutil.which("chromedriver")
        self.driver = subprocess.Popen(
            [str(driver), f"--port={port}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while True:
            try:
                if self._call("GET", "/status")["ready"]:
                    break
            except (OSError, urllib.error.URLError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("chromedriver did not start")
            time.sleep(0.05)
        binary = str(CHROMIUM) if CHROMIUM.is_file() else shutil.which("chromium")
        args = [*CHROMIUM_ARGS, f"--user-data-dir={self.profile}"]
        args.append(f"--window-size={self.size[0]},{self.size[1]}")
        capabilities = {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": binary, "args": args},
        }
        answer = self._call("POST", "/session", {"capabilities": {"alwaysMatch": capabilities}})
        self.session = answer["sessionId"]
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if self.session:
                self._call("DELETE", f"/session/{self.session}")
        finally:
            if self.driver is not None:
                self.driver.terminate()
                try:
                    self.driver.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.driver.kill()

    def open(self, url: str) -> None:
        """Navigate to `url` and wait for it to load."""
        self._call("POST", f"/session/{self.session}/url", {"url": url})

    def run(self, script: str, *args: object) -> object:
        """The value of `script` (a function body: `return …`) run in the page."""
        body = {"script": script, "args": list(args)}
        return self._call("POST", f"/session/{self.session}/execute/sync", body)

    def wait_until(self, script: str, timeout: float = 5.0, every: float = 0.02) -> float:
        """Run `script` until it returns something true; the seconds it took. Raises
        TimeoutError after `timeout`."""
        start = time.monotonic()
        while not self.run(script):
            if time.monotonic() - start > timeout:
                raise TimeoutError(f"still false after {timeout} s: {script}")
            time.sleep(every)
        return time.monotonic() - start

    def _call(self, method: str, path: str, body: dict | None = None) -> object:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            self.base + path, data=data, method=method, headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as answer:
                return json.loads(answer.read())["value"]
        except urllib.error.HTTPError as failed:
            detail = json.loads(failed.read() or b"{}").get("value", {})
            raise RuntimeError(
                f"webdriver {method} {path}: {detail.get('message', failed)}"
            ) from None
