"""Both facades expose the same methods, with the same parameters and docs."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import pytest

from ivs_realtime_sdk import AsyncIVSRealTime, IVSRealTime


def _public_methods(cls: type[Any]) -> dict[str, Callable[..., Any]]:
    return {
        name: member
        for name, member in inspect.getmembers(cls, inspect.isfunction)
        if not name.startswith("_")
    }


SYNC = _public_methods(IVSRealTime)
ASYNC = _public_methods(AsyncIVSRealTime)


def test_both_facades_have_the_same_method_names() -> None:
    assert sorted(SYNC) == sorted(ASYNC)
    assert len(SYNC) >= 8


@pytest.mark.parametrize("name", sorted(SYNC))
def test_same_parameters_and_returns(name: str) -> None:
    sync, async_ = inspect.signature(SYNC[name]), inspect.signature(ASYNC[name])
    assert list(sync.parameters.values()) == list(async_.parameters.values())
    expected = str(sync.return_annotation).replace("Iterator[", "AsyncIterator[")
    assert async_.return_annotation == expected


@pytest.mark.parametrize("name", sorted(SYNC))
def test_same_docs(name: str) -> None:
    assert inspect.getdoc(SYNC[name])
    assert inspect.getdoc(SYNC[name]) == inspect.getdoc(ASYNC[name])


@pytest.mark.parametrize("name", sorted(SYNC))
def test_async_methods_are_awaitable_and_iterators_are_async_iterators(name: str) -> None:
    if name.startswith("iter_"):
        assert not inspect.iscoroutinefunction(ASYNC[name])
        assert str(inspect.signature(ASYNC[name]).return_annotation).startswith("AsyncIterator[")
    else:
        assert inspect.iscoroutinefunction(ASYNC[name])
    assert not inspect.iscoroutinefunction(SYNC[name])
