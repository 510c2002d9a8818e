"""An immutable, hashable mapping that boto and json accept as a plain dict."""

from __future__ import annotations

from typing import Any, NoReturn, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class FrozenDict(dict[K, V]):
    """A dict that refuses mutation, so that frozen models stay frozen all the way down.

    It subclasses dict (rather than wrapping one) so that boto serialises it
    and comparisons with plain dicts cost nothing.
    """

    # No __init__ of its own: dict's C constructor keeps building one cheap on the parse path.
    __slots__ = ()

    def _readonly(self, *args: object, **kwargs: object) -> NoReturn:
        raise TypeError("FrozenDict is immutable")

    # Assigned rather than defined, so that each keeps dict's signature for type checkers.
    __setitem__ = _readonly
    __delitem__ = _readonly
    __ior__ = _readonly
    clear = _readonly
    pop = _readonly
    popitem = _readonly
    setdefault = _readonly  # pyright: ignore[reportAssignmentType]
    update = _readonly  # pyright: ignore[reportAssignmentType]

    def __hash__(self) -> int:  # type: ignore[override]  # pyright: ignore[reportIncompatibleVariableOverride]
        return hash(frozenset(self.items()))

    def __repr__(self) -> str:
        return f"FrozenDict({dict.__repr__(self)})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrozenDict, (dict(self),))


EMPTY: FrozenDict[Any, Any] = FrozenDict()
