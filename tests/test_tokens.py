"""Self-signed participant tokens: format (checked by PyJWT), keys, expiry, secrecy, emulator."""

from __future__ import annotations

import base64
import copy
import json
import logging
import pickle
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import aioboto3
import attrs
import boto3
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from ivs_realtime_sdk import AsyncIVSRealTime, IVSRealTime
from ivs_realtime_sdk.errors import InvalidParameterError, InvalidParameterTypeError
from ivs_realtime_sdk.local import JoinRefusedError, LocalIVSRealTime, PublishRefusedError
from ivs_realtime_sdk.models import (
    Capability,
    ParticipantToken,
    ParticipantTokenConfig,
    Stage,
    StageEndpoints,
    StageSpec,
)
from ivs_realtime_sdk.models.public_key import PublicKeySpec
from ivs_realtime_sdk.tokens import (
    InvalidTokenError,
    KeyPair,
    TokenClaims,
    TokenSigner,
    decode_unverified,
    generate_key_pair,
    load_public_key,
    verify_token,
)

KEY_ARN = "arn:aws:ivs:us-west-2:123456789012:public-key/f99cde61-c2b0-4df3-8941-ca7d38acca1a"
STAGE = Stage(
    arn="arn:aws:ivs:us-west-2:123456789012:stage/8zo0gbPdbcT2",
    endpoints=StageEndpoints(
        events="wss://global.events.live-video.net",
        whip="https://114ddfabadaf.global-bm.whip.live-video.net",
    ),
)
NOW = datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)
HEADER_KEYS = {"alg", "typ", "kid"}
CLAIM_KEYS = {
    "exp",
    "iat",
    "jti",
    "resource",
    "topic",
    "events_url",
    "whip_url",
    "attributes",
    "capabilities",
    "version",
}
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


@pytest.fixture(scope="module")
def pair() -> KeyPair:
    return generate_key_pair()


@pytest.fixture(scope="module")
def signer(pair: KeyPair) -> TokenSigner:
    return TokenSigner(pair.private_key, KEY_ARN)


def pyjwt_decode(token: str, public_pem: str, **options: Any) -> dict[str, Any]:
    """Verify with PyJWT, the independent implementation, given only the public PEM."""
    checks: Any = {"require": ["exp", "iat", "jti"], **options}
    claims: dict[str, Any] = jwt.decode(token, public_pem, algorithms=["ES384"], options=checks)
    return claims


def secrets_of(private_key: ec.EllipticCurvePrivateKey) -> list[str]:
    """Fragments that would betray the private key if they appeared anywhere."""
    pem = private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    body = [line for line in pem.splitlines() if line and not line.startswith("-----")]
    scalar = private_key.private_numbers().private_value
    der = private_key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return [*body, str(scalar), f"{scalar:x}", base64.b64encode(der)[:40].decode(), "PRIVATE KEY"]


def assert_no_secret(text: str, private_key: ec.EllipticCurvePrivateKey) -> None:
    for fragment in secrets_of(private_key):
        assert fragment not in text


# -- format -----------------------------------------------------------------------------


def test_minted_token_verifies_with_pyjwt_and_has_exactly_the_documented_claims(
    pair: KeyPair, signer: TokenSigner
) -> None:
    config = ParticipantTokenConfig(
        user_id="ana@example.com",
        attributes={"displayName": "Ana", "seat": "3"},
        duration=90,
    )
    minted = signer.mint(STAGE, config, now=NOW)

    header = jwt.get_unverified_header(minted.token)
    assert header == {"alg": "ES384", "typ": "JWT", "kid": KEY_ARN}
    assert set(header) == HEADER_KEYS
    claims = pyjwt_decode(minted.token, pair.public_key_pem, verify_exp=False)
    assert set(claims) == CLAIM_KEYS | {"user_id"}
    iat = int(NOW.timestamp())
    assert claims == {
        "exp": iat + 90 * 60,
        "iat": iat,
        "jti": minted.participant_id,
        "resource": STAGE.arn,
        "topic": "8zo0gbPdbcT2",
        "events_url": "wss://global.events.live-video.net",
        "whip_url": "https://114ddfabadaf.global-bm.whip.live-video.net",
        "user_id": "ana@example.com",
        "attributes": {"displayName": "Ana", "seat": "3"},
        "capabilities": {"allow_publish": True, "allow_subscribe": True},
        "version": "1.0",
    }
    assert type(claims["exp"]) is int
    assert type(claims["iat"]) is int


def test_a_fresh_token_passes_pyjwt_expiry_checks(pair: KeyPair, signer: TokenSigner) -> None:
    minted = signer.mint(STAGE)
    claims = pyjwt_decode(minted.token, pair.public_key_pem)
    assert set(claims) == CLAIM_KEYS  # no user_id claim when none is configured
    assert claims["attributes"] == {}


def test_compact_json_and_unpadded_base64url(signer: TokenSigner) -> None:
    minted = signer.mint(STAGE, ParticipantTokenConfig(attributes={"é": "ü"}), now=NOW)
    segments = minted.token.split(".")
    assert len(segments) == 3
    assert all(re.fullmatch(r"[A-Za-z0-9_-]+", s) for s in segments)
    payload = base64.urlsafe_b64decode(segments[1] + "=" * (-len(segments[1]) % 4))
    assert b": " not in payload
    assert b", " not in payload
    assert json.loads(payload)["attributes"] == {"é": "ü"}
    signature = base64.urlsafe_b64decode(segments[2] + "=" * (-len(segments[2]) % 4))
    assert len(signature) == 96  # r || s, 48 bytes each (JWS, not DER)


@pytest.mark.parametrize(
    ("capabilities", "flags"),
    [
        ({Capability.PUBLISH}, {"allow_publish": True, "allow_subscribe": False}),
        ({Capability.SUBSCRIBE}, {"allow_publish": False, "allow_subscribe": True}),
        (set[Capability](), {"allow_publish": False, "allow_subscribe": False}),
    ],
)
def test_capabilities_claim(
    pair: KeyPair, signer: TokenSigner, capabilities: set[Capability], flags: dict[str, bool]
) -> None:
    minted = signer.mint(STAGE, ParticipantTokenConfig(capabilities=capabilities))
    assert pyjwt_decode(minted.token, pair.public_key_pem)["capabilities"] == flags
    assert minted.capabilities == capabilities


def test_returns_the_typed_participant_token(signer: TokenSigner) -> None:
    config = ParticipantTokenConfig(
        user_id="u", attributes={"a": "b"}, capabilities={Capability.SUBSCRIBE}, duration=5
    )
    minted = signer.mint(STAGE, config, now=NOW)
    assert isinstance(minted, ParticipantToken)
    assert minted.user_id == "u"
    assert minted.attributes == {"a": "b"}
    assert minted.capabilities == {Capability.SUBSCRIBE}
    assert minted.duration == timedelta(minutes=5)
    assert minted.expiration_time == NOW + timedelta(minutes=5)
    assert minted.expiration_time.tzinfo is UTC
    assert not minted.is_expired(NOW)
    assert minted.is_expired(NOW + timedelta(minutes=5))


def test_the_minted_model_is_the_one_the_validating_constructor_builds(
    signer: TokenSigner,
) -> None:
    """Minting skips re-validating valid fields; the result must not differ at all."""
    from ivs_realtime_sdk.tokens import _mint

    fast = _mint._FAST_TOKENS  # pyright: ignore[reportPrivateUsage]
    assert fast, "ParticipantToken changed: review tokens._mint.TokenSigner._sign"
    config = ParticipantTokenConfig(user_id="u", attributes={"a": "b"}, duration=3)
    minted = signer.mint(STAGE, config, now=NOW)
    rebuilt = ParticipantToken(**attrs.asdict(minted, recurse=False))
    assert minted == rebuilt
    assert repr(minted) == repr(rebuilt)
    assert hash(minted) == hash(rebuilt)
    assert attrs.evolve(minted, user_id="v").user_id == "v"
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        minted.token = "x"  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(minted)) == minted


def test_the_default_config_is_the_services_default(signer: TokenSigner) -> None:
    minted = signer.mint(STAGE, now=NOW)
    assert minted.duration == timedelta(hours=12)
    assert minted.capabilities == {Capability.PUBLISH, Capability.SUBSCRIBE}
    assert minted.user_id is None


# -- expiry -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "now",
    [
        datetime(2024, 5, 6, 7, 8, 9, 999_999, tzinfo=UTC),
        datetime(2024, 5, 6, 9, 8, 9, 500_000, tzinfo=timezone(timedelta(hours=2))),
        datetime(2024, 5, 6, 2, 8, 9, tzinfo=timezone(timedelta(hours=-5))),
    ],
)
def test_expiry_is_now_plus_duration_in_whole_utc_seconds(
    signer: TokenSigner, now: datetime
) -> None:
    minted = signer.mint(STAGE, ParticipantTokenConfig(duration=20160), now=now)
    claims = decode_unverified(minted.token)
    assert claims.issued_at == NOW  # truncated to the second, in UTC
    assert minted.expiration_time == NOW + timedelta(days=14)
    assert minted.expiration_time.tzinfo is UTC
    raw = jwt.decode(minted.token, options={"verify_signature": False})
    assert raw["iat"] == int(NOW.timestamp())
    assert raw["exp"] == int(minted.expiration_time.timestamp())
    assert raw["exp"] - raw["iat"] == 14 * 24 * 3600


def test_now_defaults_to_the_current_time(signer: TokenSigner) -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    minted = signer.mint(STAGE, ParticipantTokenConfig(duration=1))
    after = datetime.now(UTC)
    assert before + timedelta(minutes=1) <= minted.expiration_time <= after + timedelta(minutes=1)
    assert minted.expiration_time.microsecond == 0


def test_naive_now_is_refused(signer: TokenSigner) -> None:
    with pytest.raises(InvalidParameterError, match="aware"):
        signer.mint(STAGE, now=datetime(2024, 1, 1))
    with pytest.raises(InvalidParameterTypeError):
        signer.mint(STAGE, now=1_700_000_000)  # type: ignore[arg-type]


# -- participant ids --------------------------------------------------------------------


def test_generated_participant_ids_look_like_the_services(signer: TokenSigner) -> None:
    ids = {signer.mint(STAGE, now=NOW).participant_id for _ in range(200)}
    assert len(ids) == 200
    for participant_id in ids:
        assert re.fullmatch(r"[A-Za-z0-9]{12}", participant_id)
    assert len(set("".join(ids))) > 50  # the whole alphabet is in use


@pytest.mark.parametrize("participant_id", ["a", "user_42-b", "x" * 64, "ABCdef012_-"])
def test_a_given_participant_id_is_the_jti(
    pair: KeyPair, signer: TokenSigner, participant_id: str
) -> None:
    minted = signer.mint(STAGE, participant_id=participant_id)
    assert minted.participant_id == participant_id
    assert pyjwt_decode(minted.token, pair.public_key_pem)["jti"] == participant_id


@pytest.mark.parametrize(
    ("participant_id", "problem"),
    [
        ("", "under the minimum of 1"),
        ("x" * 65, "over the limit of 64"),
        ("has space", "does not match"),
        ("ünïcode", "does not match"),
        ("a.b", "does not match"),
    ],
)
def test_a_bad_participant_id_is_refused(
    signer: TokenSigner, participant_id: str, problem: str
) -> None:
    with pytest.raises(InvalidParameterError, match=problem) as caught:
        signer.mint(STAGE, participant_id=participant_id)
    assert caught.value.field == "TokenSigner.mint.participant_id"


def test_a_participant_id_of_the_wrong_type_is_refused(signer: TokenSigner) -> None:
    with pytest.raises(InvalidParameterTypeError):
        signer.mint(STAGE, participant_id=12345)  # type: ignore[arg-type]


# -- stages -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "endpoints",
    [None, StageEndpoints(), StageEndpoints(events="wss://e"), StageEndpoints(whip="https://w")],
)
def test_a_stage_without_endpoints_is_refused(
    signer: TokenSigner, endpoints: StageEndpoints | None
) -> None:
    stage = Stage(arn=STAGE.arn, endpoints=endpoints)
    with pytest.raises(InvalidParameterError, match="endpoints"):
        signer.mint(stage)


@pytest.mark.parametrize(
    "arn",
    [
        "arn:aws:ivs:us-east-1:123456789012:stage/8zo0gbPdbcT2",
        "arn:aws:ivs:us-west-2:999999999999:stage/8zo0gbPdbcT2",
    ],
)
def test_a_stage_of_another_region_or_account_is_refused(signer: TokenSigner, arn: str) -> None:
    stage = Stage(arn=arn, endpoints=STAGE.endpoints)
    with pytest.raises(InvalidParameterError, match="region and account"):
        signer.mint(stage)


def test_mint_wants_a_stage_model_and_a_config(signer: TokenSigner) -> None:
    with pytest.raises(InvalidParameterTypeError, match="expected Stage"):
        signer.mint(STAGE.arn)  # type: ignore[arg-type]
    with pytest.raises(InvalidParameterTypeError, match="ParticipantTokenConfig"):
        signer.mint(STAGE, {"user_id": "x"})  # type: ignore[arg-type]


# -- key inputs -------------------------------------------------------------------------


def _pem(key: Any, fmt: serialization.PrivateFormat, password: bytes | None = None) -> bytes:
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(password)
        if password
        else serialization.NoEncryption()
    )
    data: bytes = key.private_bytes(serialization.Encoding.PEM, fmt, encryption)
    return data


def key_inputs(pair: KeyPair, tmp_path: Path) -> dict[str, tuple[Any, bytes | None]]:
    key = pair.private_key
    pkcs8 = pair.private_key_pem()
    sec1 = _pem(key, serialization.PrivateFormat.TraditionalOpenSSL)
    der = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    (tmp_path / "key.pem").write_bytes(pkcs8)
    (tmp_path / "key.der").write_bytes(der)
    (tmp_path / "encrypted.pem").write_bytes(pair.private_key_pem(b"s3cret"))
    return {
        "object": (key, None),
        "pkcs8 bytes": (pkcs8, None),
        "pkcs8 str": (pkcs8.decode(), None),
        "sec1 (openssl ecparam) str": (sec1.decode(), None),
        "bytearray": (bytearray(pkcs8), None),
        "der bytes": (der, None),
        "path": (tmp_path / "key.pem", None),
        "der path": (tmp_path / "key.der", None),
        "encrypted bytes": (pair.private_key_pem(b"s3cret"), b"s3cret"),
        "encrypted path": (tmp_path / "encrypted.pem", b"s3cret"),
    }


def test_every_key_input_form_signs_verifiable_tokens(pair: KeyPair, tmp_path: Path) -> None:
    for name, (value, password) in key_inputs(pair, tmp_path).items():
        signer = TokenSigner(value, KEY_ARN, password=password)
        minted = signer.mint(STAGE)
        assert pyjwt_decode(minted.token, pair.public_key_pem)["resource"] == STAGE.arn, name
        assert signer.public_key_pem == pair.public_key_pem, name


def _other_keys() -> dict[str, Any]:
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    p256 = ec.generate_private_key(ec.SECP256R1())
    p521 = ec.generate_private_key(ec.SECP521R1())
    edwards = ed25519.Ed25519PrivateKey.generate()
    return {"rsa": rsa_key, "p256": p256, "p521": p521, "ed25519": edwards}


@pytest.fixture(scope="module")
def other_keys() -> dict[str, Any]:
    return _other_keys()


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("rsa", "got RSA key"),
        ("p256", "got curve secp256r1"),
        ("p521", "got curve secp521r1"),
        ("ed25519", "got Ed25519 key"),
    ],
)
@pytest.mark.parametrize("form", ["object", "pem", "path"])
def test_keys_that_are_not_p384_fail_clearly(
    other_keys: dict[str, Any], tmp_path: Path, name: str, problem: str, form: str
) -> None:
    key = other_keys[name]
    pem = _pem(key, serialization.PrivateFormat.PKCS8)
    (tmp_path / "other.pem").write_bytes(pem)
    value = {"object": key, "pem": pem, "path": tmp_path / "other.pem"}[form]
    with pytest.raises(InvalidParameterError, match=problem) as caught:
        TokenSigner(value, KEY_ARN)
    error = caught.value
    assert error.field == "TokenSigner.private_key"
    assert "P-384" in str(error)
    assert pem.decode().splitlines()[1] not in str(error)


@pytest.mark.parametrize(
    ("value", "error", "problem"),
    [
        (b"garbage", InvalidParameterError, "not a private key in PEM or DER"),
        (b"", InvalidParameterError, "not a private key"),
        (
            b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
            InvalidParameterError,
            "not a private key",
        ),
        ("not a pem, and not a path", InvalidParameterError, r"pathlib\.Path"),
        (42, InvalidParameterTypeError, "got int"),
        (None, InvalidParameterTypeError, "got NoneType"),
        (
            ec.generate_private_key(ec.SECP384R1()).public_key(),
            InvalidParameterError,
            "this is a public key",
        ),
    ],
)
def test_garbage_keys_fail_clearly(value: Any, error: type[Exception], problem: str) -> None:
    with pytest.raises(error, match=problem) as caught:
        TokenSigner(value, KEY_ARN)
    assert caught.value.__cause__ is None
    assert caught.value.__suppress_context__ or caught.value.__context__ is None


def test_key_mistakes_are_named(pair: KeyPair, tmp_path: Path) -> None:
    with pytest.raises(InvalidParameterError, match="this is a public key"):
        TokenSigner(pair.public_key_pem, KEY_ARN)
    with pytest.raises(InvalidParameterError, match="encrypted: give its password"):
        TokenSigner(pair.private_key_pem(b"pw"), KEY_ARN)
    with pytest.raises(InvalidParameterError, match="wrong password"):
        TokenSigner(pair.private_key_pem(b"pw"), KEY_ARN, password=b"nope")
    with pytest.raises(InvalidParameterError, match="not encrypted"):
        TokenSigner(pair.private_key_pem(), KEY_ARN, password=b"pw")
    missing = tmp_path / "missing.pem"
    with pytest.raises(InvalidParameterError, match=r"cannot read .*missing\.pem"):
        TokenSigner(missing, KEY_ARN)
    with pytest.raises(InvalidParameterError, match="cannot read"):
        TokenSigner(tmp_path, KEY_ARN)  # a directory


@pytest.mark.parametrize(
    "arn",
    [
        "",
        "f99cde61",
        "arn:aws:ivs:us-west-2:123456789012:stage/abc",
        "arn:aws:ivs:us-west-2:123456789012:public-key/",
    ],
)
def test_a_bad_public_key_arn_is_refused(pair: KeyPair, arn: str) -> None:
    with pytest.raises(InvalidParameterError) as caught:
        TokenSigner(pair.private_key, arn)
    assert caught.value.field == "TokenSigner.public_key_arn"


def test_error_messages_never_contain_key_material(
    pair: KeyPair, other_keys: dict[str, Any], tmp_path: Path
) -> None:
    """Every way of getting a key wrong, with material that must not leak."""
    pkcs8 = pair.private_key_pem().decode()
    attempts: list[tuple[Any, bytes | None]] = [
        (pkcs8.replace("\n", "\n\n", 3)[:-40], None),  # truncated
        (pkcs8.encode()[:-60], None),
        (pair.private_key_pem(b"pw"), None),
        (pair.private_key_pem(b"pw"), b"wrong"),
        (pkcs8, b"unneeded"),
        (pkcs8.replace("BEGIN PRIVATE KEY", "BEGIN RSA PRIVATE KEY"), None),
    ]
    messages: list[str] = []
    for value, password in attempts:
        with pytest.raises(InvalidParameterError) as caught:
            TokenSigner(value, KEY_ARN, password=password)
        messages.append(str(caught.value))
        messages.append(repr(caught.value))
    with pytest.raises(InvalidParameterError) as caught:
        TokenSigner(pair.private_key, "not an arn " + pkcs8[30:60])
    # The ARN check echoes (the start of) what it was given, but never the key.
    messages.append(str(caught.value))
    text = "\n".join(messages)
    assert_no_secret(text, pair.private_key)


# -- secrecy ----------------------------------------------------------------------------


def test_repr_and_str_never_show_the_private_key_or_token(pair: KeyPair) -> None:
    signer = TokenSigner(pair.private_key_pem(), KEY_ARN)
    minted = signer.mint(STAGE)
    shown = [repr(signer), str(signer), repr(pair), str(pair), repr(minted), str(minted)]
    text = "\n".join(shown)
    assert_no_secret(text, pair.private_key)
    assert minted.token not in text
    assert minted.token.split(".")[2] not in text
    assert repr(signer) == f"TokenSigner(public_key_arn={KEY_ARN!r})"
    assert "public_key_pem" in repr(pair)


def test_a_signer_cannot_be_pickled_or_copied(signer: TokenSigner) -> None:
    with pytest.raises(TypeError, match="private key"):
        pickle.dumps(signer)
    with pytest.raises(TypeError, match="private key"):
        copy.copy(signer)
    with pytest.raises(TypeError, match="private key"):
        copy.deepcopy(signer)
    with pytest.raises(AttributeError):
        signer.__dict__  # noqa: B018  (slots only: nothing to dump)


def test_logs_never_contain_keys_or_tokens(
    pair: KeyPair, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    path = tmp_path / "key.pem"
    path.write_bytes(pair.private_key_pem())
    signer = TokenSigner(path, KEY_ARN)
    minted = signer.mint(STAGE, ParticipantTokenConfig(user_id="u"))
    signer.verify(minted.token)
    for bad in (pair.public_key_pem, b"junk", pair.private_key_pem(b"pw")):
        with pytest.raises(InvalidParameterError):
            TokenSigner(bad, KEY_ARN)
    with pytest.raises(InvalidTokenError):
        verify_token(minted.token[:-8] + "AAAAAAAA", pair.public_key_pem)
    assert KEY_ARN in caplog.text  # the signer does log, and only what is public
    assert_no_secret(caplog.text, pair.private_key)
    assert minted.token not in caplog.text
    for record in caplog.records:
        assert_no_secret(repr(record.args), pair.private_key)


def test_key_pair(pair: KeyPair) -> None:
    assert pair.public_key_pem.startswith("-----BEGIN PUBLIC KEY-----\n")
    public = load_public_key(pair.public_key_pem)
    assert public.public_numbers() == pair.private_key.public_key().public_numbers()
    assert isinstance(pair.private_key.curve, ec.SECP384R1)
    assert pair.private_key_pem().startswith(b"-----BEGIN PRIVATE KEY-----\n")
    encrypted = pair.private_key_pem(b"pw")
    assert encrypted.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----\n")
    loaded = serialization.load_pem_private_key(encrypted, b"pw")
    assert isinstance(loaded, ec.EllipticCurvePrivateKey)
    assert loaded.private_numbers() == pair.private_key.private_numbers()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        pair.public_key_pem = "x"  # type: ignore[misc]
    assert generate_key_pair().public_key_pem != pair.public_key_pem


# -- verify and decode ------------------------------------------------------------------


def test_verify_returns_typed_claims(pair: KeyPair, signer: TokenSigner) -> None:
    config = ParticipantTokenConfig(
        user_id="u", attributes={"k": "v"}, capabilities={Capability.PUBLISH}, duration=10
    )
    minted = signer.mint(STAGE, config, participant_id="p-1", now=NOW)
    claims = verify_token(minted.token, pair.public_key_pem, now=NOW)
    assert claims == TokenClaims(
        public_key_arn=KEY_ARN,
        participant_id="p-1",
        stage_arn=STAGE.arn,
        stage_id="8zo0gbPdbcT2",
        events_url="wss://global.events.live-video.net",
        whip_url="https://114ddfabadaf.global-bm.whip.live-video.net",
        user_id="u",
        attributes={"k": "v"},
        capabilities=frozenset({Capability.PUBLISH}),
        issued_at=NOW,
        expiration_time=NOW + timedelta(minutes=10),
        version="1.0",
    )
    assert claims.duration == timedelta(minutes=10)
    assert claims.expiration_time == minted.expiration_time
    assert not claims.is_expired(NOW)
    assert claims.is_expired(NOW + timedelta(minutes=10))
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        claims.participant_id = "x"  # type: ignore[misc]
    assert signer.verify(minted.token, stage_arn=STAGE.arn, now=NOW) == claims
    assert decode_unverified(minted.token) == claims


def test_verify_accepts_every_public_key_form(
    pair: KeyPair, signer: TokenSigner, tmp_path: Path
) -> None:
    minted = signer.mint(STAGE)
    public = pair.private_key.public_key()
    der = public.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    (tmp_path / "public.pem").write_text(pair.public_key_pem)
    for key in (pair.public_key_pem, pair.public_key_pem.encode(), der, public):
        assert verify_token(minted.token, key).participant_id == minted.participant_id
    assert verify_token(minted.token, tmp_path / "public.pem").stage_arn == STAGE.arn


def test_verify_refuses_keys_that_cannot_verify(pair: KeyPair, other_keys: dict[str, Any]) -> None:
    minted = TokenSigner(pair.private_key, KEY_ARN).mint(STAGE)
    with pytest.raises(InvalidParameterError, match="this is a private key"):
        verify_token(minted.token, pair.private_key_pem())
    with pytest.raises(InvalidParameterError, match="this is a private key"):
        verify_token(minted.token, pair.private_key)  # type: ignore[arg-type]
    with pytest.raises(InvalidParameterError, match="secp256r1"):
        verify_token(minted.token, other_keys["p256"].public_key())
    with pytest.raises(InvalidParameterError, match="not a public key"):
        verify_token(minted.token, b"junk")


def test_verify_refuses_forged_tampered_expired_and_foreign_tokens(
    pair: KeyPair, signer: TokenSigner
) -> None:
    minted = signer.mint(STAGE, ParticipantTokenConfig(duration=1), now=NOW)
    token = minted.token

    forger = TokenSigner(generate_key_pair().private_key, KEY_ARN)
    forged = forger.mint(STAGE, now=NOW).token
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["capabilities"]["allow_publish"] = True
    claims["user_id"] = "admin"
    evil = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    tampered = f"{header}.{evil}.{signature}"

    cases = {
        "signature": [forged, tampered, f"{header}.{payload}.{signature[:-4]}AAAA"],
        "malformed": ["", "a.b", "not.a.token", f"{header}.{payload}", token + ".x"],
    }
    for reason, bad_tokens in cases.items():
        for bad in bad_tokens:
            with pytest.raises(InvalidTokenError) as caught:
                verify_token(bad, pair.public_key_pem, now=NOW)
            assert caught.value.reason == reason, bad
            assert isinstance(caught.value, ValueError)
    with pytest.raises(jwt.InvalidSignatureError):
        pyjwt_decode(tampered, pair.public_key_pem, verify_exp=False)

    expiry = NOW + timedelta(minutes=1)
    with pytest.raises(InvalidTokenError, match="expired") as caught:
        verify_token(token, pair.public_key_pem, now=expiry)
    assert caught.value.reason == "expired"
    assert verify_token(token, pair.public_key_pem, now=expiry, leeway=timedelta(seconds=30))
    with pytest.raises(InvalidTokenError, match="expired"):
        verify_token(token, pair.public_key_pem)  # by the real clock, long after 2024

    with pytest.raises(InvalidTokenError) as caught:
        verify_token(token, pair.public_key_pem, now=NOW, stage_arn=STAGE.arn + "x")
    assert caught.value.reason == "wrong_stage"
    with pytest.raises(InvalidTokenError) as caught:
        verify_token(token, pair.public_key_pem, now=NOW, public_key_arn=KEY_ARN + "x")
    assert caught.value.reason == "wrong_key"
    with pytest.raises(InvalidTokenError) as caught:
        TokenSigner(pair.private_key, KEY_ARN + "0").verify(token, now=NOW)
    assert caught.value.reason == "wrong_key"
    with pytest.raises(InvalidParameterError, match="aware"):
        verify_token(token, pair.public_key_pem, now=datetime(2024, 1, 1))


def test_verify_reads_tokens_pyjwt_signed(pair: KeyPair) -> None:
    """The other direction: the independent implementation signs, this module reads."""
    claims = {
        "exp": int(NOW.timestamp()) + 60,
        "iat": int(NOW.timestamp()),
        "jti": "abc",
        "resource": STAGE.arn,
        "topic": "8zo0gbPdbcT2",
        "events_url": "wss://e",
        "whip_url": "https://w",
        "attributes": {},
        "capabilities": {"allow_publish": False, "allow_subscribe": True},
        "version": "1.0",
    }
    token = jwt.encode(claims, pair.private_key, algorithm="ES384", headers={"kid": KEY_ARN})
    read = verify_token(token, pair.public_key_pem, now=NOW)
    assert read.participant_id == "abc"
    assert read.capabilities == {Capability.SUBSCRIBE}
    assert read.user_id is None


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"jti": None}, "'jti' is missing"),
        ({"jti": 5}, "'jti' is a int"),
        ({"exp": "soon"}, "'exp' is not a number"),
        ({"exp": 10**20}, "'exp' is out of range"),
        ({"capabilities": ["PUBLISH"]}, "'capabilities' is not an object"),
        ({"capabilities": {"allow_publish": 1}}, "not a boolean"),
        ({"attributes": {"a": 1}}, "not a str"),
        ({"resource": "stage/abc"}, "claims are invalid"),
        ({"version": None}, "'version' is missing"),
    ],
)
def test_claims_of_the_wrong_shape_are_refused(
    pair: KeyPair, change: dict[str, Any], problem: str
) -> None:
    claims: dict[str, Any] = {
        "exp": int(NOW.timestamp()) + 60,
        "iat": int(NOW.timestamp()),
        "jti": "abc",
        "resource": STAGE.arn,
        "topic": "t",
        "events_url": "wss://e",
        "whip_url": "https://w",
        "attributes": {},
        "capabilities": {"allow_publish": True, "allow_subscribe": True},
        "version": "1.0",
    }
    claims.update(change)
    claims = {k: v for k, v in claims.items() if v is not None}
    token = jwt.encode(claims, pair.private_key, algorithm="ES384", headers={"kid": KEY_ARN})
    with pytest.raises(InvalidTokenError, match=problem) as caught:
        decode_unverified(token)
    assert caught.value.reason == "claims"


def test_a_token_that_is_not_jwt_typed_is_refused(pair: KeyPair) -> None:
    token = jwt.encode(
        {"exp": 1}, pair.private_key, algorithm="ES384", headers={"typ": "at+jwt", "kid": "k"}
    )
    with pytest.raises(InvalidTokenError, match="not JWT"):
        verify_token(token, pair.public_key_pem)


# -- against the emulator ---------------------------------------------------------------


class Clock:
    """The emulator's clock: real time plus an offset a test can move."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return datetime.now(UTC).timestamp() + self.offset


@pytest.fixture(scope="module")
def clock() -> Clock:
    return Clock()


@pytest.fixture(scope="module")
def server(clock: Clock) -> Iterator[LocalIVSRealTime]:
    with LocalIVSRealTime(region="us-west-2", clock=clock) as running:
        yield running


@pytest.fixture
def sdk(server: LocalIVSRealTime, clock: Clock) -> Iterator[IVSRealTime]:
    clock.offset = 0.0
    session = boto3.Session(region_name="us-west-2", **CREDENTIALS)
    with IVSRealTime(session=session, endpoint_url=server.endpoint_url) as client:
        yield client


def imported_signer(sdk: IVSRealTime, pair: KeyPair | None = None) -> tuple[TokenSigner, str]:
    pair = pair or generate_key_pair()
    public_key = sdk.import_public_key(PublicKeySpec(public_key_material=pair.public_key_pem))
    assert public_key.arn is not None
    return TokenSigner(pair.private_key, public_key.arn), public_key.arn


def test_a_minted_token_joins_the_emulated_stage(
    sdk: IVSRealTime, server: LocalIVSRealTime
) -> None:
    stage = sdk.create_stage(StageSpec(name="self-signed")).stage
    signer, _ = imported_signer(sdk)
    fetched = sdk.get_stage(stage.arn)
    publisher = signer.mint(fetched, ParticipantTokenConfig(user_id="host"))
    assert server.join(stage.arn, publisher.token, publish=True) == publisher.participant_id

    viewer = signer.mint(fetched, ParticipantTokenConfig(capabilities={Capability.SUBSCRIBE}))
    viewer_id = server.join(stage.arn, viewer.token)
    assert viewer_id == viewer.participant_id
    server.subscribe(stage.arn, viewer_id, publisher.participant_id)
    with pytest.raises(PublishRefusedError):
        server.publish(stage.arn, viewer_id)


def test_the_emulator_refuses_forged_expired_foreign_and_revoked_tokens(
    sdk: IVSRealTime, server: LocalIVSRealTime, clock: Clock
) -> None:
    stage = sdk.get_stage(sdk.create_stage(StageSpec()).stage.arn)
    other_stage = sdk.get_stage(sdk.create_stage(StageSpec()).stage.arn)
    signer, key_arn = imported_signer(sdk)

    def refused(token: str, reason: str) -> None:
        with pytest.raises(JoinRefusedError) as caught:
            server.join(stage.arn, token)
        assert caught.value.reason == reason

    forged = TokenSigner(generate_key_pair().private_key, key_arn).mint(stage)
    refused(forged.token, "invalid_signature")

    header, payload, signature = signer.mint(stage, participant_id="victim").token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["jti"] = "intruder"
    evil = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    refused(f"{header}.{evil}.{signature}", "invalid_signature")

    old = signer.mint(stage, ParticipantTokenConfig(duration=1), now=NOW)
    refused(old.token, "expired")

    short = signer.mint(stage, ParticipantTokenConfig(duration=1))
    clock.offset = 61.0
    refused(short.token, "expired")
    clock.offset = 0.0

    refused(signer.mint(other_stage).token, "wrong_stage")

    unimported = TokenSigner(
        generate_key_pair().private_key,
        key_arn.rsplit("/", 1)[0] + "/neverImported",
    )
    refused(unimported.mint(stage).token, "unknown_key")

    valid = signer.mint(stage)
    sdk.delete_public_key(key_arn)
    refused(valid.token, "unknown_key")


async def test_the_async_facade_imports_a_key_whose_tokens_join(server: LocalIVSRealTime) -> None:
    session = aioboto3.Session(region_name="us-west-2", **CREDENTIALS)
    async with AsyncIVSRealTime(session=session, endpoint_url=server.endpoint_url) as sdk:
        pair = generate_key_pair()
        key = await sdk.import_public_key(PublicKeySpec(public_key_material=pair.public_key_pem))
        assert key.arn is not None
        stage = (await sdk.create_stage(StageSpec(name="async"))).stage
        minted = TokenSigner(pair.private_key, key.arn).mint(stage)
        assert server.join(stage.arn, minted.token, publish=True) == minted.participant_id
