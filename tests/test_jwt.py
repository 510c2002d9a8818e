"""The minimal ES384 JWT module shared by the emulator and the SDK."""

from __future__ import annotations

import base64
import json
from types import MappingProxyType

import jwt as pyjwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from ivs_realtime_sdk.tokens import _jwt

KEY = ec.generate_private_key(ec.SECP384R1())
OTHER = ec.generate_private_key(ec.SECP384R1())
CLAIMS = {"exp": 4_000_000_000, "iat": 1_500_000_000, "jti": "abc", "attributes": {"é": "ü"}}


def test_round_trip_and_header() -> None:
    token = _jwt.encode({"kid": "k1"}, CLAIMS, KEY)
    header, claims = _jwt.decode_unverified(token)
    assert header == {"alg": "ES384", "typ": "JWT", "kid": "k1"}
    assert claims == CLAIMS
    assert _jwt.verify(token, KEY.public_key()) == CLAIMS
    signature = token.rsplit(".", 1)[1]
    assert len(base64.urlsafe_b64decode(signature + "==")) == 96
    assert "=" not in token


def test_interoperates_with_pyjwt() -> None:
    ours = _jwt.encode({"kid": "k"}, CLAIMS, KEY)
    assert pyjwt.decode(ours, KEY.public_key(), algorithms=["ES384"]) == CLAIMS
    theirs = pyjwt.encode(CLAIMS, KEY, algorithm="ES384", headers={"kid": "k"})
    assert _jwt.verify(theirs, KEY.public_key()) == CLAIMS


def test_read_only_mappings_and_sets_serialise() -> None:
    claims = {"attributes": MappingProxyType({"a": "b"}), "caps": frozenset({"b", "a"})}
    token = _jwt.encode({}, claims, KEY)
    assert _jwt.decode_unverified(token)[1] == {"attributes": {"a": "b"}, "caps": ["a", "b"]}


def test_alg_cannot_be_overridden() -> None:
    header, _ = _jwt.decode_unverified(_jwt.encode({"alg": "none"}, CLAIMS, KEY))
    assert header["alg"] == "ES384"


@pytest.mark.parametrize(
    "token",
    ["", "a.b", "a.b.c.d", "!!!.e30.e30", "e30.e30.e30", "ëë.e30.e30"],
)
def test_malformed_tokens(token: str) -> None:
    with pytest.raises(_jwt.JWTError):
        _jwt.verify(token, KEY.public_key())


def test_wrong_key_tampered_claims_and_wrong_alg_are_refused() -> None:
    token = _jwt.encode({}, CLAIMS, KEY)
    with pytest.raises(_jwt.JWTError, match="signature"):
        _jwt.verify(token, OTHER.public_key())
    head, _, signature = token.split(".")
    body = (
        base64.urlsafe_b64encode(json.dumps({**CLAIMS, "jti": "evil"}).encode())
        .rstrip(b"=")
        .decode()
    )
    with pytest.raises(_jwt.JWTError) as caught:
        _jwt.verify(f"{head}.{body}.{signature}", KEY.public_key())
    assert token not in str(caught.value)
    assert signature not in str(caught.value)
    hs256 = pyjwt.encode(CLAIMS, "secret-secret-secret-secret-secret", algorithm="HS256")
    with pytest.raises(_jwt.JWTError, match="ES384"):
        _jwt.verify(hs256, KEY.public_key())


def test_expiry_is_checked_only_with_now() -> None:
    token = _jwt.encode({}, {"exp": 100}, KEY)
    assert _jwt.verify(token, KEY.public_key())["exp"] == 100
    assert _jwt.verify(token, KEY.public_key(), now=99)["exp"] == 100
    with pytest.raises(_jwt.JWTError, match="expired"):
        _jwt.verify(token, KEY.public_key(), now=101)
    assert _jwt.verify(token, KEY.public_key(), now=101, leeway=5)["exp"] == 100


def test_other_curves_are_refused() -> None:
    with pytest.raises(ValueError, match="P-384"):
        _jwt.encode({}, CLAIMS, ec.generate_private_key(ec.SECP256R1()))
    token = _jwt.encode({}, CLAIMS, KEY)
    with pytest.raises(_jwt.JWTError):
        _jwt.verify(token, ec.generate_private_key(ec.SECP256R1()).public_key())


class _FixedSignature:
    """A P-384 key whose signature is given: to drive each branch of sign."""

    curve = ec.SECP384R1()

    def __init__(self, der: bytes) -> None:
        self.der = der

    def sign(self, data: bytes, algorithm: object) -> bytes:
        return self.der


def test_sign_reads_every_der_signature_as_decode_dss_signature_does() -> None:
    """The sliced DER reading equals cryptography's for r and s of every length."""
    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

    head = _jwt.header_segment({"alg": "ES384", "typ": "JWT"}) + b"."
    payload = json.dumps(CLAIMS).encode()
    values = [1, 255, 2**383, 2**384 - 1, 2**200 + 7, 2**383 - 1, 128]
    for r in values:
        for s in values:
            key: object = _FixedSignature(encode_dss_signature(r, s))
            token = _jwt.sign(head + _jwt.b64url(payload), key)  # type: ignore[arg-type]
            raw = base64.urlsafe_b64decode(token.rsplit(".", 1)[1] + "==")
            assert raw == r.to_bytes(48, "big") + s.to_bytes(48, "big")
    # Any other shape goes to cryptography's reader, which refuses what is not
    # DER (here a long-form length under 128), rather than being sliced wrong.
    r, s = 2**383, 2**380
    body = b"\x02\x31\x00" + r.to_bytes(48, "big") + b"\x02\x30" + s.to_bytes(48, "big")
    odd = b"\x30\x81" + bytes([len(body)]) + body
    with pytest.raises(ValueError, match="asn1"):
        _jwt.sign(head + _jwt.b64url(payload), _FixedSignature(odd))  # type: ignore[arg-type]


def test_sign_with_tail_signs_prefix_and_tail_of_every_length() -> None:
    """The tail encoded once joins a prefix of each length modulo 3 as one encoding would."""
    head = _jwt.header_segment({"alg": "ES384", "typ": "JWT", "kid": "k"}) + b"."
    for tail_length in range(2, 8):
        tail = json.dumps({"t": "é" * tail_length}).encode()[1:]
        tails = _jwt.encode_tail(tail)
        for n in range(12):
            prefix = b'{"n":"' + b"x" * n + b'",'
            token = _jwt.sign_with_tail(head, prefix, tails, KEY)
            expected = head + _jwt.b64url(prefix + tail)
            assert token.rsplit(".", 1)[0].encode() == expected
            assert pyjwt.decode(token, KEY.public_key(), algorithms=["ES384"]) == {
                "n": "x" * n,
                "t": "é" * tail_length,
            }
    for _ in range(100):  # signatures whose r and s take every length
        token = _jwt.sign_with_tail(head, b"", _jwt.encode_tail(json.dumps(CLAIMS).encode()), KEY)
        assert pyjwt.decode(token, KEY.public_key(), algorithms=["ES384"]) == CLAIMS
