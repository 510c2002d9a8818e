"""Read what a participant needs from its token, and refuse early what IVS would refuse.

Only the claims a participant uses are read (``jti``, ``resource``,
``topic``, ``whip_url``, ``events_url``, ``capabilities``, ``exp``), and
the header is not: AWS asks clients to treat tokens as opaque, so a token
of the API, a self-signed one, or a newer format with more claims all work.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import attrs

from .. import _jwt
from ..errors import InvalidTokenError, StageRefusedError
from ..models.token import Capability, ParticipantToken
from ..tokens import timestamp_claim

__all__ = ["ParticipantClaims", "ParticipantTokenInput", "read_token"]

ParticipantTokenInput = ParticipantToken | str
"""A participant token: the model CreateParticipantToken returns, or the token string."""

_CAPABILITY_CLAIMS = {"allow_publish": Capability.PUBLISH, "allow_subscribe": Capability.SUBSCRIBE}


@attrs.frozen(kw_only=True)
class ParticipantClaims:
    """The claims of a participant token that a participant uses (unverified)."""

    participant_id: str
    """``jti``: the participant's id."""
    stage_arn: str
    """``resource``: the stage's ARN."""
    stage_id: str
    """``topic``: the stage's id."""
    whip_url: str
    """``whip_url``: the stage's WHIP endpoint."""
    events_url: str
    """``events_url``: the stage's events endpoint."""
    capabilities: frozenset[Capability]
    """``capabilities``: what the participant may do."""
    expiration_time: datetime
    """``exp``: when the token expires."""


def _text(claims: Mapping[str, Any], name: str) -> str:
    value = claims.get(name)
    if not isinstance(value, str) or not value:
        raise InvalidTokenError("claims", f"token claim {name!r} is missing or not a string")
    return value


def _claims(raw: str) -> ParticipantClaims:
    try:
        _, claims = _jwt.decode_unverified(raw)
    except _jwt.InvalidTokenError as exc:
        raise InvalidTokenError("malformed", str(exc)) from None
    flags: object = claims.get("capabilities") or {}
    if not isinstance(flags, Mapping):
        raise InvalidTokenError("claims", "token claim 'capabilities' is not an object")
    granted: Mapping[str, object] = flags  # pyright: ignore[reportUnknownVariableType]
    return ParticipantClaims(
        participant_id=_text(claims, "jti"),
        stage_arn=_text(claims, "resource"),
        stage_id=_text(claims, "topic"),
        whip_url=_text(claims, "whip_url"),
        events_url=_text(claims, "events_url"),
        capabilities=frozenset(c for name, c in _CAPABILITY_CLAIMS.items() if granted.get(name)),
        expiration_time=timestamp_claim(claims, "exp"),
    )


def read_token(
    token: ParticipantTokenInput, need: Capability | None = None
) -> tuple[str, ParticipantClaims]:
    """Return the token string and its claims, checked for ``need`` and expiry.

    The stage verifies the signature; this only turns away, before any
    network traffic, a token that cannot succeed.

    Raises:
        InvalidTokenError: The string is not a participant token.
        StageRefusedError: The token has expired or lacks the ``need`` capability.
    """
    raw = token.token if isinstance(token, ParticipantToken) else token
    claims = _claims(raw)
    if datetime.now(UTC) >= claims.expiration_time:
        raise StageRefusedError(
            "expired",
            f"participant {claims.participant_id}: the token expired at"
            f" {claims.expiration_time.isoformat()}",
        )
    if need is not None and need not in claims.capabilities:
        raise StageRefusedError(
            "capability",
            f"participant {claims.participant_id}: the token does not grant {need.value}",
        )
    return raw, claims
