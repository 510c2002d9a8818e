"""The base of every enum in the models: tolerant of values a newer service adds."""

from __future__ import annotations

import enum
from typing import Self, cast

__all__ = ["ServiceEnum"]


class ServiceEnum(enum.StrEnum):
    """A StrEnum whose unknown values, read from the service, parse instead of failing.

    ``Capability.from_wire("PUBLISH")`` is the member ``Capability.PUBLISH``;
    ``Capability.from_wire("RECORD")``, a value this SDK does not know yet,
    is an unregistered pseudo-member that compares equal to ``"RECORD"`` and
    whose :attr:`is_known` is False. Pseudo-members are not cached, so memory
    stays flat however many distinct values arrive: two of the same value are
    equal, not identical. Users building requests get only the declared
    members, so a typo still fails at construction.
    """

    @classmethod
    def from_wire(cls, value: str) -> Self:
        """Return the member for ``value``, or a pseudo-member if it is unknown."""
        member = cls._value2member_map_.get(value)
        if member is not None:
            return cast(Self, member)
        return cls._unknown(value)

    @classmethod
    def _unknown(cls, value: str) -> Self:
        # Built afresh each time, never cached: a cache of every value a service
        # (or a forged event) ever sent would grow without bound in a process that
        # parses for days. Pseudo-members compare and hash as their value, so two
        # built from the same value are equal, though not the same object.
        member = str.__new__(cls, value)
        member._name_ = value
        member._value_ = value
        return member

    @property
    def is_known(self) -> bool:
        """Whether this SDK knows the value (False for values of a newer service)."""
        return self._name_ in type(self).__members__
