"""Stopping background tasks (bot/core/tasks.py): each task is cancelled once and waited for, and a stop that is
itself cancelled stops (the shutdown of `hocbot run` and of every test's event loop relies on both)."""

from __future__ import annotations

import asyncio

import pytest

from bot.core.tasks import cancel_and_wait, running


async def test_a_stop_cancelled_while_waiting_stops_and_lets_the_task_finish_its_cleanup() -> None:
    cleaned: list[str] = []
    cleanup_started = asyncio.Event()
    finish_cleanup = asyncio.Event()

    async def worker() -> None:
        try:
            await asyncio.Event().wait()
        finally:
            cleanup_started.set()
            await finish_cleanup.wait()  # a clean-up that takes a while (a database connection closing)
            cleaned.append("done")

    task = asyncio.create_task(worker())
    await asyncio.sleep(0)
    stop = asyncio.create_task(cancel_and_wait(task))
    await cleanup_started.wait()
    stop.cancel()  # the closing event loop cancels the stop itself
    with pytest.raises(asyncio.CancelledError):
        await stop  # the stop does not carry on as if nothing happened
    assert not task.done() and task.cancelling() == 1  # the task was cancelled once: its clean-up goes on
    finish_cleanup.set()
    await asyncio.wait({task})
    assert cleaned == ["done"] and task.cancelled()


async def test_an_error_raised_while_stopping_is_raised_and_every_task_is_stopped() -> None:
    async def failing() -> None:
        try:
            await asyncio.Event().wait()
        finally:
            raise RuntimeError("clean-up failed")

    async def quiet() -> None:
        await asyncio.Event().wait()

    tasks = [asyncio.create_task(failing()), asyncio.create_task(quiet())]
    await asyncio.sleep(0)
    with pytest.raises(RuntimeError, match="clean-up failed"):
        await cancel_and_wait(*tasks)
    assert all(t.done() for t in tasks) and tasks[1].cancelled()


async def test_running_stops_its_task_when_the_block_ends() -> None:
    ticks: list[int] = []

    async def ticking() -> None:
        while True:
            ticks.append(1)
            await asyncio.sleep(0)

    async with running(ticking()):
        for _ in range(5):
            await asyncio.sleep(0)
    seen = len(ticks)
    assert seen >= 3
    for _ in range(5):
        await asyncio.sleep(0)
    assert len(ticks) == seen  # nothing runs after the block
