"""The claims module: PyJWT verifies every token the SDK writes; one writer, one reader.

PyJWT is the independent oracle: every combination of capabilities, user id,
attributes, lifetime and issue time a signer mints, every exchanged token and
every token the emulator issues must verify with it, given only the public key.
"""

from __future__ import annotations

import base64
import itertools
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import attrs
import boto3
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec

import ivs_realtime_sdk
from ivs_realtime_sdk.errors import InvalidParameterError, InvalidTokenError
from ivs_realtime_sdk.local import LocalIVSRealTime
from ivs_realtime_sdk.models import Capability, ParticipantTokenConfig, Stage, StageEndpoints
from ivs_realtime_sdk.tokens import (
    KeyPair,
    TokenClaims,
    TokenSigner,
    _claims,
    _jwt,
    _mint,
    generate_key_pair,
)

KEY_ARN = "arn:aws:ivs:us-west-2:123456789012:public-key/f99cde61-c2b0-4df3-8941-ca7d38acca1a"
STAGE = Stage(
    arn="arn:aws:ivs:us-west-2:123456789012:stage/8zo0gbPdbcT2",
    endpoints=StageEndpoints(events="wss://events.test", whip="https://whip.test"),
)
NOW = datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)
CAPABILITY_SETS = [
    frozenset[Capability](),
    frozenset({Capability.PUBLISH}),
    frozenset({Capability.SUBSCRIBE}),
    frozenset({Capability.PUBLISH, Capability.SUBSCRIBE}),
]
ATTRIBUTE_SETS: list[dict[str, str]] = [{}, {"seat": "3"}, {"é": 'ü "q" \\ \n', "x": ""}]
USER_IDS = [None, "ana", 'ü "quoted" \\']
DURATIONS = [1, 720, 20160]


@pytest.fixture(scope="module")
def pair() -> KeyPair:
    return generate_key_pair()


@pytest.fixture(scope="module")
def signer(pair: KeyPair) -> TokenSigner:
    return TokenSigner(pair.private_key, KEY_ARN)


def oracle(token: str, public_key: Any, *, at: datetime) -> dict[str, Any]:
    """PyJWT's verdict on a token, judged at ``at``: the header's kid and the claims."""
    claims: dict[str, Any] = jwt.decode(
        token,
        public_key,
        algorithms=["ES384"],
        options={"require": ["exp", "iat", "jti"], "verify_exp": False, "verify_iat": False},
    )
    assert claims["iat"] <= at.timestamp() < claims["exp"]
    return claims


def payload_segment(token: str) -> bytes:
    segment = token.split(".")[1]
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def test_pyjwt_verifies_every_combination_a_signer_mints(
    pair: KeyPair, signer: TokenSigner
) -> None:
    combinations = itertools.product(
        CAPABILITY_SETS, ATTRIBUTE_SETS, USER_IDS, DURATIONS, [None, NOW], [None, "p-1_X"]
    )
    for capabilities, attributes, user_id, duration, now, participant_id in combinations:
        config = ParticipantTokenConfig(
            capabilities=capabilities, attributes=attributes, user_id=user_id, duration=duration
        )
        minted = signer.mint(STAGE, config, participant_id=participant_id, now=now)
        at = now or datetime.now(UTC)
        claims = oracle(minted.token, pair.public_key_pem, at=at)
        assert jwt.get_unverified_header(minted.token) == {
            "alg": "ES384",
            "typ": "JWT",
            "kid": KEY_ARN,
        }
        assert claims["jti"] == minted.participant_id
        assert participant_id in (None, minted.participant_id)
        assert claims["exp"] - claims["iat"] == duration * 60
        assert claims["attributes"] == attributes
        assert claims.get("user_id") == user_id
        assert ("user_id" in claims) is (user_id is not None)
        assert claims["capabilities"] == {
            "allow_publish": Capability.PUBLISH in capabilities,
            "allow_subscribe": Capability.SUBSCRIBE in capabilities,
        }
        assert minted.expiration_time == datetime.fromtimestamp(claims["exp"], UTC)


def test_pyjwt_verifies_exchanged_tokens(pair: KeyPair, signer: TokenSigner) -> None:
    old = signer.mint(STAGE, ParticipantTokenConfig(user_id="ana"), now=NOW)
    for capabilities, attributes in itertools.product(CAPABILITY_SETS, ATTRIBUTE_SETS):
        later = NOW + timedelta(minutes=3)
        new = signer.exchange(
            old.token, capabilities=capabilities, attributes=attributes, now=later
        )
        claims = oracle(new.token, pair.public_key_pem, at=later)
        before = oracle(old.token, pair.public_key_pem, at=NOW)
        assert {c: claims[c] for c in _claims.EXCHANGE_FIXED_CLAIMS} == {
            c: before[c] for c in _claims.EXCHANGE_FIXED_CLAIMS
        }
        assert claims["attributes"] == attributes
        assert claims["user_id"] == "ana"


def test_an_exchanged_jti_another_program_wrote_is_escaped(
    pair: KeyPair, signer: TokenSigner
) -> None:
    """The fast path writes a checked id unescaped; an exchange keeps a foreign jti intact."""
    minted = signer.mint(STAGE, now=NOW)
    claims = jwt.decode(
        minted.token, pair.public_key_pem, algorithms=["ES384"], options={"verify_exp": False}
    )
    claims["jti"] = 'odd "id" \\ é'
    foreign = jwt.encode(claims, pair.private_key, algorithm="ES384", headers={"kid": KEY_ARN})
    new = signer.exchange(foreign, now=NOW)
    assert oracle(new.token, pair.public_key_pem, at=NOW)["jti"] == 'odd "id" \\ é'
    assert new.participant_id == 'odd "id" \\ é'


def test_the_fast_writer_writes_what_payload_writes(signer: TokenSigner) -> None:
    """The signer's precomputed fragments and the generic writer give the same bytes."""
    for attributes, user_id in itertools.product(ATTRIBUTE_SETS, USER_IDS):
        config = ParticipantTokenConfig(attributes=attributes, user_id=user_id)
        minted = signer.mint(STAGE, config, now=NOW)
        header, claims = _jwt.decode_unverified(minted.token)
        written = _claims.payload(_claims.read_claims(header, claims))
        generic = json.dumps(written, separators=(",", ":"), ensure_ascii=False).encode()
        assert payload_segment(minted.token) == generic


def test_a_new_config_each_mint_is_written_as_given(pair: KeyPair, signer: TokenSigner) -> None:
    """Configs are remembered by identity; a new one (maybe at a freed id) is never confused."""
    for n in range(3 * _mint._CACHE_LIMIT):  # pyright: ignore[reportPrivateUsage]
        minted = signer.mint(STAGE, ParticipantTokenConfig(user_id=f"u{n}", duration=n % 5 + 1))
        claims = oracle(minted.token, pair.public_key_pem, at=datetime.now(UTC))
        assert (claims["user_id"], claims["exp"] - claims["iat"]) == (f"u{n}", (n % 5 + 1) * 60)


def test_stages_are_checked_every_time_they_change(pair: KeyPair, signer: TokenSigner) -> None:
    signer.mint(STAGE)
    moved = Stage(
        arn=STAGE.arn, endpoints=StageEndpoints(events="wss://e2.test", whip="https://w2.test")
    )
    claims = oracle(signer.mint(moved).token, pair.public_key_pem, at=datetime.now(UTC))
    assert (claims["events_url"], claims["whip_url"]) == ("wss://e2.test", "https://w2.test")
    for _ in range(2):  # a refusal is never remembered
        with pytest.raises(InvalidParameterError, match="region and account"):
            signer.mint(attrs.evolve(STAGE, arn="arn:aws:ivs:eu-west-1:123456789012:stage/abc"))
        with pytest.raises(InvalidParameterError, match="no events and whip"):
            signer.mint(Stage(arn=STAGE.arn))
    for n in range(2 * _mint._CACHE_LIMIT):  # pyright: ignore[reportPrivateUsage]
        other = attrs.evolve(STAGE, arn=f"{STAGE.arn[: STAGE.arn.rindex('/')]}/s{n}")
        claims = oracle(signer.mint(other).token, pair.public_key_pem, at=datetime.now(UTC))
        assert (claims["resource"], claims["topic"]) == (other.arn, f"s{n}")


def test_generated_participant_ids_are_fresh() -> None:
    ids = [_mint._new_participant_id() for _ in range(5000)]  # pyright: ignore[reportPrivateUsage]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"[A-Za-z0-9]{12}", i) for i in ids)


# -- the emulator's tokens --------------------------------------------------------------


@pytest.fixture
def server() -> Iterator[LocalIVSRealTime]:
    with LocalIVSRealTime() as running:
        yield running


def test_pyjwt_verifies_every_token_the_emulator_issues(server: LocalIVSRealTime) -> None:
    client: Any = boto3.Session(
        region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing"
    ).client("ivs-realtime", endpoint_url=server.endpoint_url)
    stage = client.create_stage(
        participantTokenConfigurations=[{"userId": "first", "capabilities": ["PUBLISH"]}]
    )
    issued = [stage["participantTokens"][0]]
    arn = stage["stage"]["arn"]
    for capabilities, attributes, user_id in itertools.product(
        [[], ["PUBLISH"], ["SUBSCRIBE"], ["PUBLISH", "SUBSCRIBE"]], ATTRIBUTE_SETS[:2], USER_IDS[:2]
    ):
        request: dict[str, Any] = {"stageArn": arn, "capabilities": capabilities, "duration": 5}
        request.update({"attributes": attributes} if attributes else {})
        request.update({"userId": user_id} if user_id else {})
        issued.append(client.create_participant_token(**request)["participantToken"])
    for token in issued:
        claims = oracle(token["token"], server.token_public_key, at=datetime.now(UTC))
        assert jwt.get_unverified_header(token["token"])["kid"] == server.token_key_id
        assert claims["jti"] == token["participantId"]
        assert claims["attributes"] == token.get("attributes", {})
        assert claims.get("user_id") == token.get("userId")
        assert claims["capabilities"] == {
            "allow_publish": "PUBLISH" in token.get("capabilities", []),
            "allow_subscribe": "SUBSCRIBE" in token.get("capabilities", []),
        }
        assert claims["version"] == _claims.TOKEN_VERSION


# -- the claims module's API for the emulator -------------------------------------------


def test_issued_claims_sign_and_read_back() -> None:
    key = ec.generate_private_key(ec.SECP384R1())
    claims = _claims.issued_claims(
        key_id="emulator-key",
        participant_id="abcDEF123456",
        stage_arn=STAGE.arn,
        events_url="wss://events.test",
        whip_url="https://whip.test",
        user_id="ana",
        attributes={"a": "b"},
        capabilities=["SUBSCRIBE"],
        issued_at=int(NOW.timestamp()),
        duration_minutes=720,
    )
    token = _claims.sign_claims(claims, key)
    verified = oracle(token, key.public_key(), at=NOW)
    assert verified == _claims.payload(claims)
    assert verified["topic"] == "8zo0gbPdbcT2"
    header, raw = _jwt.decode_unverified(token)
    assert _claims.read_claims(header, raw) == claims
    assert _claims.read_participant_token(token) == claims
    assert claims.duration == timedelta(hours=12)


def test_read_participant_takes_only_what_a_participant_uses() -> None:
    raw = {
        "jti": "p1",
        "resource": "not-an-arn",
        "topic": "t",
        "whip_url": "https://w",
        "events_url": "wss://e",
        "capabilities": {"allow_publish": 1},
        "attributes": {"n": 1},
        "user_id": 7,
        "exp": 4_000_000_000,
        "future": "x",
    }
    read = _claims.read_participant(raw)
    assert read.participant_id == "p1"
    assert read.stage_arn == "not-an-arn"
    assert read.capabilities == {Capability.PUBLISH}
    assert dict(read.attributes) == {"n": "1"}
    assert read.user_id is None
    assert read.public_key_arn == ""
    assert read.issued_at == read.expiration_time
    assert read.version == _claims.TOKEN_VERSION
    assert _claims.read_participant(raw, {"kid": "k"}).public_key_arn == "k"
    assert _claims.read_participant({**raw, "jti": ""}, assign_id="new").participant_id == "new"
    assert _claims.read_participant({**raw}, assign_id="new").participant_id == "p1"
    with pytest.raises(InvalidTokenError, match="'jti'"):
        _claims.read_participant({**raw, "jti": None})
    with pytest.raises(InvalidTokenError, match="'capabilities' is not an object"):
        _claims.read_participant({**raw, "capabilities": ["PUBLISH"]})
    with pytest.raises(InvalidTokenError, match="'exp' is not a number"):
        _claims.read_participant({**raw, "exp": None})


def test_read_participant_fills_every_field() -> None:
    """It builds TokenClaims without the validators: a new field must not be left unset."""
    raw = {"jti": "p", "resource": "r", "topic": "t", "whip_url": "w", "events_url": "e", "exp": 9}
    read = _claims.read_participant(raw)
    for field in attrs.fields(TokenClaims):
        getattr(read, field.name)


def test_changed_fixed_claims_names_what_an_exchange_may_not_change(signer: TokenSigner) -> None:
    header, raw = _jwt.decode_unverified(signer.mint(STAGE, now=NOW).token)
    before = _claims.read_claims(header, raw)
    assert _claims.changed_fixed_claims(before, before) == ()
    after = attrs.evolve(before, whip_url="https://elsewhere.test", user_id="x")
    assert _claims.changed_fixed_claims(before, after) == ("whip_url",)


def test_claim_names_are_spelled_in_the_claims_module_only() -> None:
    package = Path(ivs_realtime_sdk.__file__).parent
    names = ("jti", "allow_publish", "allow_subscribe", "events_url", "whip_url", "topic")
    pattern = re.compile("|".join(rf"[\"']{name}[\"']" for name in names))
    spelled = sorted(
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if pattern.search(path.read_text(encoding="utf-8"))
    )
    assert spelled == ["tokens/_claims.py"]
