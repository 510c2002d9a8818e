"""Participant tokens: what a participant needs to join a stage."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import attrs

from .._frozen import EMPTY
from ..errors import InvalidParameterTypeError
from ._constraints import Duration, Enum, Items, StrMap, Text, Timestamp, str_map
from ._enum import ServiceEnum

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
TOKEN_ATTRIBUTES = StrMap(key=Text(), value=Text(), max_bytes=1024)
TOKEN_DURATION = Duration(min=1, max=20160)
CAPABILITIES = Items(Enum(Capability), max=2, container=frozenset)


def _minutes(value: Any) -> Any:
    # An int is read as minutes, the unit of the service's own field. Range is
    # checked first: a huge int would overflow timedelta with a foreign error.
    if isinstance(value, int) and not isinstance(value, bool):
        TOKEN_DURATION.check_minutes("duration", value)
        return timedelta(minutes=value)
    return value


def _capabilities(value: Any) -> Any:
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


def _utcnow() -> datetime:
    return datetime.now(UTC)


@attrs.frozen(kw_only=True)
class ParticipantToken:
    """A token that lets one participant join one stage until it expires.

    The token string is a secret: it never appears in ``repr`` or ``str``.
    """

    participant_id: str = attrs.field(validator=PARTICIPANT_TOKEN_ID)
    """The participant's id, unique within the stage."""
    token: str = attrs.field(repr=False, validator=Text())
    """The token string to hand to the participant's client SDK (secret)."""
    user_id: str | None = attrs.field(default=None, validator=USER_ID)
    """Your own id for the participant, as configured."""
    attributes: Mapping[str, str] = attrs.field(
        default=EMPTY, converter=str_map, validator=TOKEN_ATTRIBUTES
    )
    """Application attributes, as configured."""
    duration: timedelta = attrs.field(
        default=DEFAULT_DURATION, converter=_to_duration, validator=TOKEN_DURATION
    )
    """The token's lifetime, as configured."""
    capabilities: frozenset[Capability] = attrs.field(
        default=ALL_CAPABILITIES, converter=_to_capabilities, validator=CAPABILITIES
    )
    """What the participant may do."""
    expiration_time: datetime = attrs.field(validator=Timestamp())
    """When the token stops being accepted, an aware datetime in UTC."""

    def is_expired(self, at: datetime | None = None) -> bool:
        """Tell whether the token has expired.

        Args:
            at: The moment to judge at (aware); now if omitted.

        Returns:
            True from the expiration time on.
        """
        return (at or _utcnow()) >= self.expiration_time

    def time_remaining(self, at: datetime | None = None) -> timedelta:
        """Return how long the token stays valid, zero once it has expired.

        Args:
            at: The moment to measure from (aware); now if omitted.

        Returns:
            The time left, never negative.
        """
        return max(self.expiration_time - (at or _utcnow()), timedelta(0))


@attrs.frozen(kw_only=True)
class ExchangedParticipantToken:
    """One side of a token exchange, as a TOKEN_EXCHANGED event reports it (no token string)."""

    capabilities: frozenset[Capability] = attrs.field(
        default=frozenset[Capability](), converter=_to_capabilities, validator=CAPABILITIES
    )
    """What the token allows; empty when the event omits it."""
    attributes: Mapping[str, str] = attrs.field(
        default=EMPTY, converter=str_map, validator=TOKEN_ATTRIBUTES
    )
    """The token's application attributes."""
    user_id: str | None = attrs.field(default=None, validator=USER_ID)
    """Your own id for the participant, from the token."""
    expiration_time: datetime | None = attrs.field(default=None, validator=Timestamp(optional=True))
    """When the token expires, in UTC."""
