"""Participant tokens: what a participant needs to join a stage."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any, cast

import attrs

from .._frozen import EMPTY
from .._service_model import DOCUMENTED_MAX_BYTES
from ..errors import InvalidParameterTypeError
from ._constraints import Duration, Enum, Items, StrMap, Text, moment, str_map
from ._enum import ServiceEnum
from ._response import typed_fields

__all__ = [
    "Capability",
    "ExchangedParticipantToken",
    "ParticipantToken",
    "ParticipantTokenConfig",
]

#: The service's default token lifetime, 720 minutes.
DEFAULT_DURATION = timedelta(hours=12)
#: The longest token lifetime the service allows, 20,160 minutes.
MAX_DURATION = timedelta(days=14)


class Capability(ServiceEnum):
    """What a token allows its participant to do in the stage."""

    PUBLISH = "PUBLISH"
    """Send audio and video to the stage."""
    SUBSCRIBE = "SUBSCRIBE"
    """Receive the other participants' audio and video."""


ALL_CAPABILITIES = frozenset({Capability.PUBLISH, Capability.SUBSCRIBE})

USER_ID = Text(max=128, optional=True)
PARTICIPANT_TOKEN_ID = Text(max=64, pattern=r"[a-zA-Z0-9-_]*")
# The service counts keys and values together, in UTF-8, against "1 KB total".
TOKEN_ATTRIBUTES = StrMap(
    key=Text(), value=Text(), max_bytes=DOCUMENTED_MAX_BYTES["ParticipantTokenAttributes"]
)
TOKEN_DURATION = Duration(min=1, max=20160)
CAPABILITIES = Items(Enum(Capability), max=2, container=frozenset)


def _minutes(value: Any) -> Any:
    # An int is read as minutes, the unit of the service's own field. One out of
    # range stays an int (a huge one would overflow timedelta with a foreign
    # error), and the validator names the class and the limit.
    if isinstance(value, int) and not isinstance(value, bool) and TOKEN_DURATION.in_range(value):
        return timedelta(minutes=value)
    return value


def _capabilities(value: Any) -> Any:
    # A frozenset of members is kept as it is: rebuilding it could change its
    # iteration order, and so the repr of an otherwise equal token.
    if isinstance(value, frozenset) and all(
        isinstance(v, Capability) for v in cast("frozenset[object]", value)
    ):
        return cast(Any, value)
    # Plain strings of known values become members; anything else is left to the validator.
    if isinstance(value, Iterable) and not isinstance(value, str | bytes | Mapping):
        known: Mapping[object, Any] = Capability._value2member_map_
        members = [
            known.get(v, v) if isinstance(v, str) else v for v in cast("Iterable[object]", value)
        ]
        try:
            return frozenset(members)
        except TypeError:
            raise InvalidParameterTypeError(
                "capabilities", "expected Capability members, got an unhashable value"
            ) from None
    return cast(Any, value)


def _to_duration(value: timedelta | int) -> timedelta:
    return _minutes(value)  # type: ignore[no-any-return]


def _to_capabilities(value: Iterable[Capability]) -> frozenset[Capability]:
    return _capabilities(value)  # type: ignore[no-any-return]


@attrs.frozen(kw_only=True)
class ParticipantTokenConfig:
    """What a participant token will carry: who, what it may do, and for how long."""

    user_id: str | None = attrs.field(default=None, validator=USER_ID)
    """Your own id for the participant, at most 128 characters; every participant sees it."""
    attributes: Mapping[str, str] = attrs.field(
        default=EMPTY, converter=str_map, validator=TOKEN_ATTRIBUTES
    )
    """Application attributes, at most 1 KB in UTF-8 in total; every participant sees them."""
    capabilities: frozenset[Capability] = attrs.field(
        default=ALL_CAPABILITIES, converter=_to_capabilities, validator=CAPABILITIES
    )
    """What the participant may do: publish, subscribe, or both."""
    duration: timedelta = attrs.field(
        default=DEFAULT_DURATION, converter=_to_duration, validator=TOKEN_DURATION
    )
    """How long the token stays valid: whole minutes, 1 minute to 14 days (an int is minutes)."""


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class ParticipantToken:
    """A token that lets one participant join one stage until it expires.

    The token string is a secret: it never appears in ``repr`` or ``str``.
    """

    participant_id: str
    """The participant's id, unique within the stage."""
    token: str = attrs.field(repr=False)
    """The token string to hand to the participant's client SDK (secret)."""
    user_id: str | None = None
    """Your own id for the participant, as configured."""
    attributes: Mapping[str, str] = attrs.field(default=EMPTY, converter=str_map)
    """Application attributes, as configured."""
    duration: timedelta = attrs.field(default=DEFAULT_DURATION, converter=_to_duration)
    """The token's lifetime, as configured."""
    capabilities: frozenset[Capability] = attrs.field(
        default=ALL_CAPABILITIES, converter=_to_capabilities
    )
    """What the participant may do."""
    expiration_time: datetime
    """When the token stops being accepted, an aware datetime in UTC."""

    def is_expired(self, at: datetime | None = None) -> bool:
        """Tell whether the token has expired.

        Args:
            at: The moment to judge at (aware); now if omitted.

        Returns:
            True from the expiration time on.
        """
        return moment("ParticipantToken.is_expired.at", at) >= self.expiration_time

    def time_remaining(self, at: datetime | None = None) -> timedelta:
        """Return how long the token stays valid, zero once it has expired.

        Args:
            at: The moment to measure from (aware); now if omitted.

        Returns:
            The time left, never negative.
        """
        remaining = self.expiration_time - moment("ParticipantToken.time_remaining.at", at)
        return max(remaining, timedelta(0))


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class ExchangedParticipantToken:
    """One side of a token exchange, as a TOKEN_EXCHANGED event reports it (no token string)."""

    capabilities: frozenset[Capability] = attrs.field(
        default=frozenset[Capability](), converter=_to_capabilities
    )
    """What the token allows; empty when the event omits it."""
    attributes: Mapping[str, str] = attrs.field(default=EMPTY, converter=str_map)
    """The token's application attributes."""
    user_id: str | None = None
    """Your own id for the participant, from the token."""
    expiration_time: datetime | None = None
    """When the token expires, in UTC."""
