"""Chart images are drawn by a coroutine run from synchronous code, also when an event loop
already runs in the thread (as it does while Playwright drives a browser in the same process)."""

import asyncio

from reports.images import run_coroutine


async def _answer():
    await asyncio.sleep(0)
    return 42


def test_runs_without_a_loop():
    assert run_coroutine(_answer()) == 42


def test_runs_inside_a_running_loop():
    async def caller():
        return run_coroutine(_answer())

    # The outer call runs the caller with a loop of its own; inside it a loop is running.
    assert run_coroutine(caller()) == 42
