"""``once``: a cache for what is built on first use, safe in threads without the GIL.

``functools.cache`` keeps its dict coherent under threads, but two threads that
miss at the same moment both call the function, and each may keep its own
result: two loader classes, two service models. ``once`` calls the function at
most once per argument, under a lock, and publishes only the finished result,
so a reader that finds it takes no lock. Nothing here relies on the GIL: the
lock orders the writes, and a dict read is atomic in free-threaded Python too.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Hashable
from typing import Generic, ParamSpec, TypeVar

__all__ = ["Once", "once"]

P = ParamSpec("P")
R = TypeVar("R")


class Once(Generic[P, R]):
    """A function's results by argument, each computed once (see the module docstring)."""

    def __init__(self, function: Callable[P, R]) -> None:
        self._function = function
        self._results: dict[Hashable, R] = {}
        # Reentrant, so that a function that recurses (through others) does not deadlock.
        self._lock = threading.RLock()
        functools.update_wrapper(self, function)

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        key: Hashable = (args, tuple(kwargs.items())) if kwargs else args
        try:
            return self._results[key]
        except KeyError:
            pass
        with self._lock:
            try:
                return self._results[key]
            except KeyError:
                result = self._results[key] = self._function(*args, **kwargs)
                return result

    def cache_clear(self) -> None:
        """Forget every result (for tests that change what the function reads)."""
        with self._lock:
            self._results = {}


def once(function: Callable[P, R]) -> Once[P, R]:
    """Decorate ``function`` so that each distinct argument list is computed once."""
    return Once(function)
