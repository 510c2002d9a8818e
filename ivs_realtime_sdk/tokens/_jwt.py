"""Minimal ES384 JSON Web Tokens, built on ``cryptography`` alone.

IVS participant tokens are compact JWS strings signed with ECDSA P-384 and
SHA-384 (RFC 7518 section 3.4). This module covers exactly that: it encodes,
decodes without checking, and verifies. It is shared by the local emulator
(which issues and checks tokens) and the SDK's self-signed token helper; what
the claims mean is ``tokens._claims``'s business, not this module's.

Messages of :class:`JWTError` never contain the token or any key, so they are
safe to log. It is not the public ``errors.JWTError``: callers turn
it into the error of their own layer (the SDK's, or the emulator's refusal).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from typing import Any, TypeAlias, cast

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

__all__ = [
    "ALGORITHM",
    "JWTError",
    "Tails",
    "b64url",
    "decode_unverified",
    "encode",
    "encode_tail",
    "header_segment",
    "sign",
    "sign_with_tail",
    "verify",
]

ALGORITHM = "ES384"
"""The only ``alg`` this module signs and accepts."""

# P-384 scalars are 48 bytes; JWS wants r || s, each left-padded to that size.
_COORDINATE_BYTES = 48
_SIGNATURE_BYTES = 2 * _COORDINATE_BYTES
_ECDSA_SHA384 = ec.ECDSA(hashes.SHA384())


def _json_default(value: object) -> object:
    # Callers hold claims in read-only mappings and frozensets (the SDK's models
    # are immutable); JSON has only objects and arrays.
    if isinstance(value, Mapping):
        return dict(cast("Mapping[object, object]", value))
    if isinstance(value, set | frozenset):
        return sorted(cast("frozenset[str]", value))
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


_dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, default=_json_default).encode
# Tokens usually share one header per signing key, so its encoded segment is cached.
_header_segments: dict[str, bytes] = {}
_HEADER_CACHE_LIMIT = 256


class JWTError(ValueError):
    """A compact JWS this module refuses: malformed, not ES384, badly signed or expired."""


_URLSAFE = bytes.maketrans(b"+/", b"-_")


def b64url(data: bytes) -> bytes:
    """Encode base64url without padding (RFC 7515 section 2)."""
    # binascii and one translate: base64.urlsafe_b64encode's layers cost a
    # tenth of a self-signed token's overhead above the signature.
    return binascii.b2a_base64(data, newline=False).translate(_URLSAFE).rstrip(b"=")


def _b64decode(segment: str) -> bytes:
    padded = segment + "=" * (-len(segment) % 4)
    try:
        return base64.urlsafe_b64decode(padded.encode("ascii"))
    except (binascii.Error, UnicodeEncodeError, ValueError) as exc:
        raise JWTError("token segment is not valid base64url") from exc


def header_segment(header: Mapping[str, object]) -> bytes:
    """Return the encoded segment of a complete JOSE header (cached: keys are few)."""
    text = _dumps(dict(header))
    segment = _header_segments.get(text)
    if segment is None:
        segment = b64url(text.encode("utf-8"))
        if len(_header_segments) < _HEADER_CACHE_LIMIT:
            _header_segments[text] = segment
    return segment


def encode(
    header: Mapping[str, object],
    claims: Mapping[str, object],
    key: ec.EllipticCurvePrivateKey,
) -> str:
    """Sign ``claims`` with a P-384 private key and return a compact ES384 JWS.

    Args:
        header: JOSE header; ``alg`` is forced to ``ES384``, ``typ`` defaults to ``JWT``.
        claims: JSON-serialisable claims.
        key: P-384 private key.

    Returns:
        The token ``header.payload.signature`` (base64url, no padding).

    Raises:
        ValueError: If ``key`` is not on the P-384 curve.
    """
    if not isinstance(key.curve, ec.SECP384R1):
        raise ValueError("ES384 needs a P-384 (secp384r1) private key")
    full_header: dict[str, object] = {"alg": ALGORITHM, "typ": "JWT"}
    full_header.update(header)
    full_header["alg"] = ALGORITHM
    signing_input = (
        header_segment(full_header) + b"." + b64url(_dumps(dict(claims)).encode("utf-8"))
    )
    return sign(signing_input, key)


def _raw_signature(der: bytes) -> bytes:
    """Turn a DER ECDSA P-384 signature into JWS's ``r || s``, 48 bytes each."""
    r, s = decode_dss_signature(der)
    return r.to_bytes(_COORDINATE_BYTES, "big") + s.to_bytes(_COORDINATE_BYTES, "big")


def sign(signing_input: bytes, key: ec.EllipticCurvePrivateKey) -> str:
    """Sign ``header.payload`` (already encoded) and return the complete compact JWS.

    The caller has checked that ``key`` is a P-384 key.
    """
    der = key.sign(signing_input, _ECDSA_SHA384)
    # SEQUENCE { INTEGER r, INTEGER s }: under 128 bytes for P-384, so each length
    # is one byte, and an integer is at most 49 bytes (a 0 before a high bit).
    # Slicing reads that in a third of decode_dss_signature's time, which
    # matters to TokenSigner; any other shape goes the long way.
    size = der[3]
    if (
        der[0] == 0x30
        and der[1] == len(der) - 2
        and der[2] == 0x02
        and size <= _COORDINATE_BYTES + 1
        and der[4 + size] == 0x02
        and der[5 + size] == len(der) - 6 - size <= _COORDINATE_BYTES + 1
    ):
        raw = der[4 : 4 + size][-_COORDINATE_BYTES:].rjust(_COORDINATE_BYTES, b"\0") + der[
            6 + size :
        ][-_COORDINATE_BYTES:].rjust(_COORDINATE_BYTES, b"\0")
    else:
        raw = _raw_signature(der)
    # 96 bytes make 128 base64 characters: no padding to strip.
    signature = binascii.b2a_base64(raw, newline=False).translate(_URLSAFE)
    return (signing_input + b"." + signature).decode("ascii")


Tails: TypeAlias = tuple[tuple[bytes, bytes], tuple[bytes, bytes], tuple[bytes, bytes]]
"""The end of a payload, ready for a prefix of each length modulo 3 (``encode_tail``)."""


def encode_tail(tail: bytes) -> Tails:
    """Encode the constant end of payloads once, for ``sign_with_tail``.

    Base64 turns each 3 bytes into 4 characters, so a payload's encoding is
    its prefix's followed by its tail's whenever the prefix is a whole number
    of 3 bytes long. For a prefix of ``n`` bytes, entry ``n % 3`` holds the
    first bytes of the tail that complete it and the encoding of the rest.
    """
    return ((b"", b64url(tail)), (tail[:2], b64url(tail[2:])), (tail[:1], b64url(tail[1:])))


def sign_with_tail(
    head: bytes, prefix: bytes, tails: Tails, key: ec.EllipticCurvePrivateKey
) -> str:
    """Sign the payload ``prefix`` + tail under a header encoded once (segment and dot).

    The fast path of ``TokenSigner``: per token, only the short ``prefix``
    (``exp``, ``iat``, ``jti``) is encoded. The caller has checked that ``key``
    is a P-384 key.
    """
    carried, encoded_tail = tails[len(prefix) % 3]
    encoded = binascii.b2a_base64(prefix + carried, newline=False).translate(_URLSAFE)
    return sign(head + encoded + encoded_tail, key)


def _split(token: str) -> tuple[str, str, str]:
    if not isinstance(token, str):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise JWTError("token must be a string")
    if not token.isascii():
        raise JWTError("token contains non-ASCII characters")
    parts = token.split(".")
    if len(parts) != 3:
        raise JWTError("token must have three dot-separated segments")
    return parts[0], parts[1], parts[2]


def _json_object(segment: str, what: str) -> dict[str, Any]:
    try:
        value = json.loads(_b64decode(segment))
    except (ValueError, UnicodeDecodeError) as exc:
        raise JWTError(f"token {what} is not valid JSON") from exc
    if not isinstance(value, dict):
        raise JWTError(f"token {what} is not a JSON object")
    return value  # pyright: ignore[reportUnknownVariableType]


def decode_unverified(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return ``(header, claims)`` of a token without checking its signature.

    Args:
        token: Compact JWS string.

    Returns:
        The decoded header and claims.

    Raises:
        JWTError: If the token is not three base64url JSON segments.
    """
    header_segment, payload_segment, _ = _split(token)
    return _json_object(header_segment, "header"), _json_object(payload_segment, "claims")


def verify(
    token: str,
    public_key: ec.EllipticCurvePublicKey,
    *,
    now: float | None = None,
    leeway: float = 0.0,
) -> dict[str, Any]:
    """Check an ES384 token's signature (and, given ``now``, its ``exp``); return its claims.

    Args:
        token: Compact JWS string.
        public_key: P-384 public key of the signer.
        now: Current Unix time; when given, a token whose ``exp`` has passed is refused.
        leeway: Seconds of clock skew tolerated for the ``exp`` check.

    Returns:
        The verified claims.

    Raises:
        JWTError: If the token is malformed, not ES384, badly signed or expired.
    """
    header_segment, payload_segment, signature_segment = _split(token)
    header = _json_object(header_segment, "header")
    if header.get("alg") != ALGORITHM:
        raise JWTError("token algorithm is not ES384")
    if not isinstance(public_key.curve, ec.SECP384R1):
        raise JWTError("verification key is not a P-384 key")
    raw = _b64decode(signature_segment)
    if len(raw) != _SIGNATURE_BYTES:
        raise JWTError("token signature has the wrong length for ES384")
    der = encode_dss_signature(
        int.from_bytes(raw[:_COORDINATE_BYTES], "big"),
        int.from_bytes(raw[_COORDINATE_BYTES:], "big"),
    )
    signing_input = f"{header_segment}.{payload_segment}".encode("ascii")
    try:
        public_key.verify(der, signing_input, _ECDSA_SHA384)
    except InvalidSignature as exc:
        raise JWTError("token signature does not verify") from exc
    claims = _json_object(payload_segment, "claims")
    if now is not None:
        exp = claims.get("exp")
        if not isinstance(exp, int | float) or isinstance(exp, bool):
            raise JWTError("token has no numeric exp claim")
        if now > exp + leeway:
            raise JWTError("token has expired")
    return claims
