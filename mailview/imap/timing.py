"""Where the IMAP layer reports the time it spends: a hook the app installs.

The IMAP door imports no app code, so it cannot reach the request's Server-Timing record
itself: `mailview.wiring` installs `webmail.timing.timed` here at start-up. Until then (a
script, a unit test) timing is a no-op.
"""
from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext

Timer = Callable[[str], AbstractContextManager[object]]


def _untimed(name: str) -> AbstractContextManager[object]:
    return nullcontext()


_timer: Timer = _untimed


def install_timer(timer: Timer) -> None:
    """Count IMAP time with `timer(name)` (a context manager) from now on."""
    global _timer
    _timer = timer


def timed(name: str) -> AbstractContextManager[object]:
    """The block's time, counted under `name` by the installed timer."""
    return _timer(name)
