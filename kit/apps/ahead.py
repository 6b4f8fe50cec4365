"""Work done ahead while a kernel waits for the coach: small steps run one at a time when the
kernel's event loop has nothing else to do, so what the coach is likely to ask for next is ready
when they ask.

A served app (Voila) and a notebook run their widgets' callbacks on the kernel's asyncio loop, in
the main thread. `WorkAhead` puts its steps on that same loop, one per turn: a message from the
browser (a filter changed) waits for at most the one step running, never for the whole queue, and
no step ever runs beside the app's own code (no thread, no lock). Where no loop runs (a test, a
script, a benchmark) nothing is done ahead and everything is worked out when asked for, as before.

>>> import asyncio
>>> done = []
>>> async def visit():
...     ahead = WorkAhead()
...     ahead.replace([lambda: done.append(1), lambda: done.append(2)])
...     await ahead.finished()
>>> asyncio.run(visit())
>>> done
[1, 2]
>>> WorkAhead().replace([lambda: done.append(3)])   # no loop running: nothing is done ahead
>>> done
[1, 2]
"""

from __future__ import annotations

import asyncio
from collections import deque
from typing import Callable, Iterable

#: Seconds between two steps: the loop polls the browser's messages in between.
PAUSE = 0.01
#: Seconds before the first step of a new queue: the page (or the change) is shown first.
SETTLE = 0.3


class WorkAhead:
    """A queue of steps run on the kernel's loop while it is idle; `replace` drops what was queued."""

    def __init__(self):
        self._steps: deque[Callable[[], object]] = deque()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._handle: asyncio.Handle | None = None

    def replace(self, steps: Iterable[Callable[[], object]]) -> None:
        """Queue `steps` in place of what is still queued (the coach's choices moved on)."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        self._steps = deque(steps)
        if self._handle is None or self._loop is not loop:
            self._loop = loop
            self._handle = loop.call_later(SETTLE, self._run_one)

    @property
    def waiting(self) -> int:
        """How many steps are queued."""
        return len(self._steps)

    async def finished(self) -> None:
        """Wait until every queued step has run (for tests and benchmarks: a coach reading the page)."""
        while self._steps or self._handle is not None:
            await asyncio.sleep(PAUSE)

    def _run_one(self) -> None:
        self._handle = None
        if not self._steps:
            return
        step = self._steps.popleft()
        try:
            step()
        except Exception:  # noqa: BLE001 - work ahead is only a head start: what fails here is redone when asked for
            pass
        if self._steps and self._loop is not None and not self._loop.is_closed():
            self._handle = self._loop.call_later(PAUSE, self._run_one)
