"""TokenSigner.exchange: a new token from the old one, keeping what IVS requires kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ivs_realtime_sdk.errors import InvalidParameterError, InvalidTokenError
from ivs_realtime_sdk.models import Capability, ParticipantTokenConfig, Stage, StageEndpoints
from ivs_realtime_sdk.tokens import TokenSigner, generate_key_pair
from ivs_realtime_sdk.tokens._claims import EXCHANGE_FIXED_CLAIMS

KEY_ARN = "arn:aws:ivs:us-west-2:123456789012:public-key/abcdEFGH1234"
STAGE = Stage(
    arn="arn:aws:ivs:us-west-2:123456789012:stage/abcdEFGH1234",
    endpoints=StageEndpoints(events="wss://events.example", whip="https://whip.example"),
)
NOW = datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)


@pytest.fixture(scope="module")
def signer() -> TokenSigner:
    return TokenSigner(generate_key_pair().private_key, KEY_ARN)


def _claims(token: str) -> dict[str, object]:
    from ivs_realtime_sdk.tokens import _jwt

    return _jwt.decode_unverified(token)[1]


def test_the_new_token_keeps_the_fixed_claims_and_takes_the_changes(signer: TokenSigner) -> None:
    old = signer.mint(
        STAGE,
        ParticipantTokenConfig(user_id="ana", capabilities={Capability.SUBSCRIBE}),
        now=NOW,
    )
    later = NOW + timedelta(minutes=5)
    new = signer.exchange(
        old.token,
        capabilities={Capability.PUBLISH, Capability.SUBSCRIBE},
        attributes={"role": "host"},
        now=later,
    )
    before, after = _claims(old.token), _claims(new.token)
    for claim in EXCHANGE_FIXED_CLAIMS:
        assert after[claim] == before[claim]
    assert new.participant_id == old.participant_id
    assert new.capabilities == {Capability.PUBLISH, Capability.SUBSCRIBE}
    assert dict(new.attributes) == {"role": "host"}
    assert new.user_id == "ana"  # kept
    assert new.duration == old.duration  # the same lifetime, from the exchange on
    assert new.expiration_time == later + old.duration
    verified = signer.verify(new.token, now=later)
    assert verified.capabilities == {Capability.PUBLISH, Capability.SUBSCRIBE}


def test_what_is_not_given_is_kept_and_none_removes_the_user_id(signer: TokenSigner) -> None:
    old = signer.mint(STAGE, ParticipantTokenConfig(user_id="ana", attributes={"a": "1"}), now=NOW)
    new = signer.exchange(old.token, user_id=None, duration=timedelta(minutes=30), now=NOW)
    assert new.user_id is None
    assert "user_id" not in _claims(new.token)
    assert dict(new.attributes) == {"a": "1"}
    assert new.capabilities == old.capabilities
    assert new.expiration_time == NOW + timedelta(minutes=30)


def test_a_token_another_key_signed_is_refused(signer: TokenSigner) -> None:
    stranger = TokenSigner(generate_key_pair().private_key, KEY_ARN)
    foreign = stranger.mint(STAGE, now=NOW)
    with pytest.raises(InvalidTokenError) as caught:
        signer.exchange(foreign.token, now=NOW)
    assert caught.value.reason == "signature"
    assert foreign.token not in str(caught.value)


def test_an_expired_token_is_refused(signer: TokenSigner) -> None:
    old = signer.mint(STAGE, ParticipantTokenConfig(duration=1), now=NOW)
    with pytest.raises(InvalidTokenError) as caught:
        signer.exchange(old.token, now=NOW + timedelta(minutes=2))
    assert caught.value.reason == "expired"


def test_changes_are_checked_like_a_config(signer: TokenSigner) -> None:
    old = signer.mint(STAGE, now=NOW)
    with pytest.raises(InvalidParameterError, match="duration"):
        signer.exchange(old.token, duration=timedelta(days=30), now=NOW)
    with pytest.raises(InvalidParameterError, match=r"TokenSigner.exchange.now"):
        signer.exchange(old.token, now=datetime(2024, 5, 6))


def test_the_fixed_claims_are_the_documented_five() -> None:
    # https://docs.aws.amazon.com/ivs/latest/RealTimeUserGuide/broadcast-mobile-token-exchange.html
    assert set(EXCHANGE_FIXED_CLAIMS) == {
        "topic",
        "resource",
        "jti",
        "whip_url",
        "events_url",
    }
