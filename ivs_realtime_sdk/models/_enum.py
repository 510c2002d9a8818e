"""The base of every enum in the models: tolerant of values a newer service adds."""

from __future__ import annotations

import enum
from typing import ClassVar, Self, cast

__all__ = ["ServiceEnum"]


class ServiceEnum(enum.StrEnum):
    """A StrEnum whose unknown values, read from the service, parse instead of failing.

    ``Capability.from_wire("PUBLISH")`` is the member ``Capability.PUBLISH``;
    ``Capability.from_wire("RECORD")``, a value this SDK does not know yet,
    is an unregistered pseudo-member that compares equal to ``"RECORD"`` and
    whose :attr:`is_known` is False. Users building requests get only the
    declared members, so a typo still fails at construction.
    """

    _unknown_members_: ClassVar[dict[str, ServiceEnum]]

    @classmethod
    def from_wire(cls, value: str) -> Self:
        """Return the member for ``value``, or a pseudo-member if it is unknown."""
        member = cls._value2member_map_.get(value)
        if member is not None:
            return cast(Self, member)
        return cls._unknown(value)

    @classmethod
    def _unknown(cls, value: str) -> Self:
        cache: dict[str, ServiceEnum] = cls.__dict__.get("_unknown_members_") or {}
        if not cache:
            type.__setattr__(cls, "_unknown_members_", cache)
        member = cache.get(value)
        if member is None:
            member = str.__new__(cls, value)
            member._name_ = value
            member._value_ = value
            cache[value] = member
        return cast(Self, member)

    @property
    def is_known(self) -> bool:
        """Whether this SDK knows the value (False for values of a newer service)."""
        return self._name_ in type(self).__members__
