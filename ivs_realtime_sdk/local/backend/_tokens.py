"""Every participant token the emulator writes or reads: minting, verifying, peeking, exchanging.

Tokens are real ES384 JWTs. The emulator writes and reads their claims through
the SDK's claims module (``ivs_realtime_sdk.tokens._claims``, the one place
that spells claim names), as the SDK's signer and media participant do; this
module is the emulator's one door to it. PyJWT in the tests and the
JavaScript and CLI clients are the independent readers (docs/architecture.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from cryptography.hazmat.primitives.asymmetric import ec

from ...errors import InvalidTokenError
from ...models.token import Capability
from ...tokens import TokenClaims, _jwt
from ...tokens._claims import (
    KID,
    RESOURCE,
    TOPIC,
    changed_fixed_claims,
    issued_claims,
    read_participant,
    sign_claims,
)
from ._errors import JoinRefusedError

__all__ = [
    "TokenGrant",
    "changed_fixed_claims",
    "mint",
    "peek_stage_arn",
    "peek_stage_id",
    "verify",
]


class TokenGrant:
    """What a verified token allows: who, on which stage, with which capabilities."""

    __slots__ = (
        "attributes",
        "can_publish",
        "can_subscribe",
        "claims",
        "expiration",
        "key_id",
        "participant_id",
        "user_id",
    )

    def __init__(
        self,
        participant_id: str,
        user_id: str | None,
        attributes: dict[str, str],
        can_publish: bool,
        can_subscribe: bool,
        *,
        key_id: str | None = None,
        expiration: float | None = None,
        claims: TokenClaims | None = None,
    ) -> None:
        """Hold the verified claims (and, for a token, its key ID, expiry and raw claims)."""
        self.participant_id = participant_id
        self.user_id = user_id
        self.attributes = attributes
        self.can_publish = can_publish
        self.can_subscribe = can_subscribe
        self.key_id = key_id
        self.expiration = expiration
        self.claims = claims


def mint(
    *,
    signing_key: ec.EllipticCurvePrivateKey,
    key_id: str,
    participant_id: str,
    stage_arn: str,
    endpoints: Mapping[str, str],
    issued_at: int,
    duration_minutes: int,
    user_id: str | None,
    attributes: Mapping[str, str],
    capabilities: Iterable[str],
) -> str:
    """Sign a participant token for a stage, as CreateParticipantToken issues it."""
    claims = issued_claims(
        key_id=key_id,
        participant_id=participant_id,
        stage_arn=stage_arn,
        events_url=endpoints["events"],
        whip_url=endpoints["whip"],
        user_id=user_id,
        attributes=attributes,
        capabilities=capabilities,
        issued_at=issued_at,
        duration_minutes=duration_minutes,
    )
    return sign_claims(claims, signing_key)


def _peek(token: str, claim: str) -> str:
    try:
        _, claims = _jwt.decode_unverified(token)
    except _jwt.JWTError as exc:
        raise JoinRefusedError("malformed_token", f"Malformed participant token: {exc}") from None
    value = claims.get(claim)
    if not isinstance(value, str):
        raise JoinRefusedError("malformed_token", f"Token has no {claim} claim")
    return value


def peek_stage_arn(token: str) -> str:
    """Return the stage ARN a token not yet verified is for, to route it.

    Raises:
        JoinRefusedError: ``malformed_token``: not a JWT, or no such claim.
    """
    return _peek(token, RESOURCE)


def peek_stage_id(token: str) -> str:
    """Return the stage id a token not yet verified is for, to route it.

    Raises:
        JoinRefusedError: ``malformed_token``: not a JWT, or no such claim.
    """
    return _peek(token, TOPIC)


def verify(
    token: str,
    *,
    key_for: Callable[[object], ec.EllipticCurvePublicKey | None],
    now: float,
    stage_arn: str,
    new_id: Callable[[], str],
) -> TokenGrant:
    """Verify a participant token for a stage and return what it grants.

    Args:
        token: The JWT.
        key_for: The public key for the token's ``kid`` header, or None if unknown.
        now: The emulator's time, for ``exp``.
        stage_arn: The stage the token must be for (its ``resource``).
        new_id: Makes a participant ID for a self-signed token without ``jti``.

    Raises:
        JoinRefusedError: For a malformed, forged, expired or foreign token.
    """
    try:
        header, _ = _jwt.decode_unverified(token)
    except _jwt.JWTError as exc:
        raise JoinRefusedError("malformed_token", f"Malformed participant token: {exc}") from exc
    kid = header.get(KID)
    key = key_for(kid)
    if key is None:
        raise JoinRefusedError("unknown_key", "Token is signed by a key this account does not have")
    try:
        payload = _jwt.verify(token, key)
    except _jwt.JWTError as exc:
        raise JoinRefusedError("invalid_signature", f"Token rejected: {exc}") from exc
    try:
        # Self-signed tokens may omit jti; the service then assigns an ID.
        claims = read_participant(payload, header, assign_id=new_id(), as_stage=True)
    except InvalidTokenError as exc:
        raise JoinRefusedError("malformed_token", f"Malformed participant token: {exc}") from exc
    if now >= claims.expiration_time.timestamp():
        raise JoinRefusedError("expired", "Token has expired")
    if claims.stage_arn != stage_arn:
        raise JoinRefusedError("wrong_stage", "Token was issued for another stage")
    return TokenGrant(
        participant_id=claims.participant_id,
        user_id=claims.user_id,
        attributes=dict(claims.attributes),
        can_publish=Capability.PUBLISH in claims.capabilities,
        can_subscribe=Capability.SUBSCRIBE in claims.capabilities,
        key_id=claims.public_key_arn or None,
        expiration=claims.expiration_time.timestamp(),
        claims=claims,
    )
