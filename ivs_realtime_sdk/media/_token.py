"""Read what a participant needs from its token, and refuse early what IVS would refuse.

The claims are read as a participant reads them (``tokens._claims.read_participant``):
only those it uses are required, and the header is not checked. AWS asks clients
to treat tokens as opaque, so a token of the API, a self-signed one, or a newer
format with more claims all work.
"""

from __future__ import annotations

from datetime import UTC, datetime

from ..errors import StageRefusedError
from ..models.token import Capability, ParticipantToken
from ..tokens._claims import TokenClaims, read_participant_token

__all__ = ["ParticipantTokenInput", "read_token"]

ParticipantTokenInput = ParticipantToken | str
"""A participant token: the model CreateParticipantToken returns, or the token string."""


def read_token(
    token: ParticipantTokenInput, need: Capability | None = None
) -> tuple[str, TokenClaims]:
    """Return the token string and its claims, checked for ``need`` and expiry.

    The stage verifies the signature; this only turns away, before any
    network traffic, a token that cannot succeed.

    Raises:
        InvalidTokenError: The string is not a participant token.
        StageRefusedError: The token has expired or lacks the ``need`` capability.
    """
    raw = token.token if isinstance(token, ParticipantToken) else token
    claims = read_participant_token(raw)
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
