"""Every participant token the emulator writes or reads: minting, verifying, peeking, exchanging.

Tokens are real ES384 JWTs, encoded as IVS encodes them, so the SDK's
:mod:`ivs_realtime_sdk.tokens`, PyJWT and the JavaScript client read them. The
claim names are spelled here and nowhere else in the emulator.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec

from ... import _jwt
from ...tokens import EXCHANGE_FIXED_CLAIMS
from ._errors import JoinRefusedError

__all__ = ["TokenGrant", "changed_fixed_claims", "mint", "peek_claim", "verify"]


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
        claims: dict[str, Any] | None = None,
    ) -> None:
        """Hold the verified claims (and, for a token, its key ID, expiry and raw claims)."""
        self.participant_id = participant_id
        self.user_id = user_id
        self.attributes = attributes
        self.can_publish = can_publish
        self.can_subscribe = can_subscribe
        self.key_id = key_id
        self.expiration = expiration
        self.claims = claims or {}


def mint(
    *,
    signing_key: ec.EllipticCurvePrivateKey,
    key_id: str,
    participant_id: str,
    stage_arn: str,
    stage_id: str,
    endpoints: Mapping[str, str],
    issued_at: int,
    expires: int,
    user_id: str | None,
    attributes: Mapping[str, str],
    capabilities: Iterable[str],
) -> str:
    """Sign a participant token for a stage, as CreateParticipantToken issues it."""
    granted = set(capabilities)
    claims: dict[str, object] = {
        "exp": expires,
        "iat": issued_at,
        "jti": participant_id,
        "resource": stage_arn,
        "topic": stage_id,
        "events_url": endpoints["events"],
        "whip_url": endpoints["whip"],
        "attributes": dict(attributes),
        "capabilities": {
            "allow_publish": "PUBLISH" in granted,
            "allow_subscribe": "SUBSCRIBE" in granted,
        },
        "version": "1.0",
    }
    if user_id is not None:
        claims["user_id"] = user_id
    return _jwt.encode({"kid": key_id}, claims, signing_key)


def peek_claim(token: str, claim: str) -> str:
    """Return a string claim of a token not yet verified (which stage it is for, say).

    Raises:
        JoinRefusedError: ``malformed_token``: not a JWT, or no such string claim.
    """
    try:
        _, claims = _jwt.decode_unverified(token)
    except _jwt.InvalidTokenError as exc:
        raise JoinRefusedError("malformed_token", f"Malformed participant token: {exc}") from None
    value = claims.get(claim)
    if not isinstance(value, str):
        raise JoinRefusedError("malformed_token", f"Token has no {claim} claim")
    return value


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
    except _jwt.InvalidTokenError as exc:
        raise JoinRefusedError("malformed_token", f"Malformed participant token: {exc}") from exc
    kid = header.get("kid")
    key = key_for(kid)
    if key is None:
        raise JoinRefusedError("unknown_key", "Token is signed by a key this account does not have")
    try:
        claims = _jwt.verify(token, key)
    except _jwt.InvalidTokenError as exc:
        raise JoinRefusedError("invalid_signature", f"Token rejected: {exc}") from exc
    exp = claims.get("exp")
    if not isinstance(exp, int | float) or isinstance(exp, bool):
        raise JoinRefusedError("malformed_token", "Token has no numeric exp claim")
    if now >= exp:
        raise JoinRefusedError("expired", "Token has expired")
    if claims.get("resource") != stage_arn:
        raise JoinRefusedError("wrong_stage", "Token was issued for another stage")
    participant_id = claims.get("jti")
    if not isinstance(participant_id, str) or not participant_id:
        # Self-signed tokens may omit jti; the service then assigns an ID.
        participant_id = new_id()
    capabilities: Any = claims.get("capabilities") or {}
    attributes: Any = claims.get("attributes") or {}
    user_id = claims.get("user_id")
    return TokenGrant(
        participant_id=participant_id,
        user_id=user_id if isinstance(user_id, str) else None,
        attributes={str(k): str(v) for k, v in dict(attributes).items()},
        can_publish=bool(capabilities.get("allow_publish", False)),
        can_subscribe=bool(capabilities.get("allow_subscribe", False)),
        key_id=kid if isinstance(kid, str) else None,
        expiration=float(exp),
        claims=claims,
    )


def changed_fixed_claims(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """The claims a token exchange must keep but ``new`` changes, in a stable order."""
    return [claim for claim in EXCHANGE_FIXED_CLAIMS if new.get(claim) != old.get(claim)]
