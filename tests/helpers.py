"""Small helpers shared by tests across the apps."""

import asyncio
import re
import shutil
from concurrent.futures import ThreadPoolExecutor

import pytest

# For tests that draw charts with Debian's Chromium (reports/images.py).
needs_chromium = pytest.mark.skipif(
    shutil.which("chromium") is None, reason="Debian's chromium is not installed"
)


def body(response) -> bytes:
    """A response's whole body, whether written at once, streamed or sent from a file (a
    streamed body can be read once)."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def run_in_a_loop(coroutine_function):
    """Run `coroutine_function()` in an event loop of a thread of its own and return its
    result: the code it calls then sees a running loop, whatever this test process's main
    thread has (Playwright's sync API leaves one running there after a browser test, where
    asyncio.run would refuse)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(coroutine_function())).result()


def without_tokens(response) -> str:
    """A page's HTML without what differs on every response (the CSP nonce, the CSRF token),
    to compare a cached page with the page it was cached from."""
    return re.sub(r'(nonce|value)="[A-Za-z0-9+/=_-]{20,}"', "", response.content.decode())


def constructed(monkeypatch, cls) -> list:
    """A list that each instance of `cls` made from now on (for the test) is added to: to
    show that a warm page builds no filter set, for instance."""
    made = []
    original = cls.__init__

    def counting(self, *args, **kwargs):
        made.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(cls, "__init__", counting)
    return made
