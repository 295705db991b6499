"""The app's write lock: first come, first served, with a count of who waits.

``threading.Lock`` wakes an arbitrary waiter, so under many concurrent POSTs one of them
could wait for ever while later ones go first. ``FairLock`` hands the lock over in the order
it was asked for, so a POST waits at most for the writes queued before it; ``waiting`` lets
the route refuse new writes (503) once ``max_queued_writes`` are queued, which bounds that
wait: at most (max_queued_writes + 1) writes of at most 1,000 articles each.
"""

from __future__ import annotations

import collections
import threading
import time
from collections.abc import Callable
from typing import Any


class FairLock:
    """A FIFO mutex with the interface of ``threading.Lock`` (``acquire``, ``release``,
    ``with``); ``waiting`` is the number of threads queued for it."""

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._queue: collections.deque[threading.Event] = collections.deque()
        self._held = False

    @property
    def waiting(self) -> int:
        with self._mutex:
            return len(self._queue)

    def locked(self) -> bool:
        return self._held

    def acquire(self, blocking: bool = True, timeout: float = -1,
                cancelled: Callable[[], bool] | None = None, poll: float = 0.25) -> bool:
        """As ``threading.Lock.acquire``; ``cancelled`` (asked every ``poll`` seconds while
        waiting) gives up the place in the queue when it answers True."""
        with self._mutex:
            if not self._held and not self._queue:
                self._held = True
                return True
            if not blocking:
                return False
            turn = threading.Event()
            self._queue.append(turn)
        deadline = None if timeout is None or timeout < 0 else time.monotonic() + timeout
        while True:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            if cancelled is not None:
                left = poll if left is None else min(left, poll)
            if turn.wait(left):
                return True  # handed over by release(): we hold it
            with self._mutex:
                if turn.is_set():  # handed over just now
                    return True
                if (deadline is not None and time.monotonic() >= deadline) or \
                        (cancelled is not None and cancelled()):
                    self._queue.remove(turn)
                    return False

    def release(self) -> None:
        with self._mutex:
            if not self._held:
                raise RuntimeError("release of an unlocked FairLock")
            if self._queue:
                self._queue.popleft().set()  # the next in line holds it now
            else:
                self._held = False

    def __enter__(self) -> FairLock:
        self.acquire()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.release()
