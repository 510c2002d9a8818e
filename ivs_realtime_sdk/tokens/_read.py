"""Reading tokens: what a token says, unchecked or verified against its signer's key.

For servers that inspect the tokens they issued, and for ``TokenSigner``'s own
``verify`` and ``exchange``. What the claims mean and how they are read is
``_claims``'s; this module adds the signature, the header and the checks a
verifier asks for (key, stage, expiry).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from ..errors import InvalidTokenError
from ..models._constraints import moment
from . import _jwt
from ._claims import TokenClaims, read_claims
from ._keys import PublicKeyInput, load_public_key

__all__ = ["decode_unverified", "verify_token"]


def decode_unverified(token: str) -> TokenClaims:
    """Read a token's claims WITHOUT checking its signature or expiry (for inspection only).

    Args:
        token: The token string.

    Returns:
        The claims, untrusted.

    Raises:
        InvalidTokenError: The token is not a JWT with the claims of a participant token.
    """
    try:
        header, claims = _jwt.decode_unverified(token)
    except _jwt.JWTError as exc:
        raise InvalidTokenError("malformed", str(exc)) from None
    return read_claims(header, claims)


def verify_token(
    token: str,
    public_key: PublicKeyInput,
    *,
    public_key_arn: str | None = None,
    stage_arn: str | None = None,
    now: datetime | None = None,
    leeway: timedelta = timedelta(0),
) -> TokenClaims:
    """Verify a self-signed token's ES384 signature and expiry, and return its claims.

    For servers that inspect tokens they issued; the service does its own
    checks when a participant joins.

    Args:
        token: The token string.
        public_key: The signer's P-384 public key: SPKI PEM/DER bytes, PEM text,
            a path to a key file, or a cryptography key object.
        public_key_arn: If given, the ``kid`` the token must name.
        stage_arn: If given, the stage (``resource``) the token must be for.
        now: The moment to judge expiry at (aware); the current time if omitted.
        leeway: Clock skew tolerated past the expiration time.

    Returns:
        The verified claims.

    Raises:
        InvalidParameterError: ``public_key`` is not a P-384 public key.
        InvalidTokenError: The token is malformed, badly signed, expired, names
            another key, or is for another stage.
    """
    judged_at = moment("verify_token.now", now)
    key = load_public_key(public_key)
    try:
        header, _ = _jwt.decode_unverified(token)
    except _jwt.JWTError as exc:
        raise InvalidTokenError("malformed", str(exc)) from None
    try:
        raw = _jwt.verify(token, key)
    except _jwt.JWTError as exc:
        raise InvalidTokenError("signature", str(exc)) from None
    if header.get("typ", "JWT") != "JWT":
        raise InvalidTokenError("malformed", "token type is not JWT")
    claims = read_claims(header, raw)
    if public_key_arn is not None and claims.public_key_arn != public_key_arn:
        raise InvalidTokenError(
            "wrong_key", f"token names key {claims.public_key_arn}, not {public_key_arn}"
        )
    if stage_arn is not None and claims.stage_arn != stage_arn:
        raise InvalidTokenError(
            "wrong_stage", f"token is for stage {claims.stage_arn}, not {stage_arn}"
        )
    if judged_at >= claims.expiration_time + leeway:
        raise InvalidTokenError("expired", f"token expired at {claims.expiration_time.isoformat()}")
    return claims
