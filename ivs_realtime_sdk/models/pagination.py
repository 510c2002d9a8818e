"""One page of a list operation."""

from __future__ import annotations

from typing import Generic, TypeVar

import attrs

__all__ = ["Page"]

T = TypeVar("T")


@attrs.frozen(kw_only=True)
class Page(Generic[T]):
    """One page of results, and the token that fetches the next one."""

    items: tuple[T, ...]
    """The results on this page."""
    next_token: str | None = None
    """Pass to the same ``list_*`` call for the next page; None on the last page."""
