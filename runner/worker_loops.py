"""The event loops of the SDK's worker threads, which answer registrations and invokes: pulumi's _sync_await
runs on the calling thread's loop, and those threads have none.

Each worker thread gets one loop and keeps it for every later run, as the stock mock monitor does: a loop
closed at the end of a run can still be needed by a call that outlives it (a failed program goes on
registering), and closing loops per run made programs lose outputs at random. They are closed once, when
the interpreter exits: a loop left to the garbage collector closes after its own sockets and prints
"Exception ignored in BaseEventLoop.__del__ ... Invalid file descriptor".
"""

from __future__ import annotations

import asyncio
import atexit
import threading

_LOOPS: list[asyncio.AbstractEventLoop] = []
_LOCK = threading.Lock()


def ensure_worker_loop() -> None:
    """Give the calling thread an event loop unless it runs one or has one already."""
    try:
        asyncio.get_running_loop()
        return  # the program's own thread: its running loop serves
    except RuntimeError:
        pass
    policy = asyncio.get_event_loop_policy()
    try:
        loop = policy.get_event_loop()
    except RuntimeError:  # a thread other than the main one, without a loop yet
        loop = None
    if loop is None or loop.is_closed():
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        with _LOCK:
            _LOOPS.append(loop)


@atexit.register
def close_worker_loops() -> None:
    """Close every loop handed out that is not running (at exit; tests call it to check)."""
    with _LOCK:
        loops, _LOOPS[:] = list(_LOOPS), []
    for loop in loops:
        if not loop.is_running() and not loop.is_closed():
            loop.close()
