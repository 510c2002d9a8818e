"""A new user's mistakes get SDK errors that name the call, the problem and the fix."""

from __future__ import annotations

import inspect
import re
import typing
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest

import ivs_realtime_sdk
from ivs_realtime_sdk import AsyncIVSRealTime, IVSRealTime, events, local, tokens
from ivs_realtime_sdk.errors import ConfigurationError, InvalidParameterError
from ivs_realtime_sdk.models import ParticipantToken, ParticipantTokenConfig, Stage, StageSpec
from ivs_realtime_sdk.models.stage import StageEndpoints

KEY_ARN = "arn:aws:ivs:us-west-2:123456789012:public-key/abcdEFGH1234"
STAGE = Stage(
    arn="arn:aws:ivs:us-west-2:123456789012:stage/abcdEFGH1234",
    endpoints=StageEndpoints(events="wss://events.example", whip="https://whip.example"),
)
NAIVE = datetime(2030, 1, 1, 12, 0)

# -- naive datetimes ----------------------------------------------------------------------


def _public_callables() -> Iterator[tuple[str, Callable[..., Any]]]:
    modules = [ivs_realtime_sdk, tokens, events, local]
    seen: set[int] = set()
    for module in modules:
        for name in module.__all__:
            obj = getattr(module, name)
            if id(obj) in seen:
                continue
            seen.add(id(obj))
            if inspect.isclass(obj):
                for attr, member in vars(obj).items():
                    if not attr.startswith("_") and inspect.isfunction(member):
                        yield f"{obj.__name__}.{attr}", member
            elif inspect.isfunction(obj):
                yield name, obj


def _takes_datetime(function: Callable[..., Any]) -> list[str]:
    hints = typing.get_type_hints(function)
    return [
        name
        for name, hint in hints.items()
        if name != "return" and datetime in (typing.get_args(hint) or (hint,))
    ]


def _signer() -> tokens.TokenSigner:
    return tokens.TokenSigner(tokens.generate_key_pair().private_key, KEY_ARN)


def _calls() -> dict[str, Callable[[datetime], object]]:
    signer = _signer()
    token = signer.mint(STAGE)
    claims = tokens.decode_unverified(token.token)
    return {
        "ParticipantToken.is_expired": lambda at: token.is_expired(at),
        "ParticipantToken.time_remaining": lambda at: token.time_remaining(at),
        "TokenClaims.is_expired": lambda at: claims.is_expired(at),
        "TokenSigner.mint": lambda at: signer.mint(STAGE, now=at),
        "TokenSigner.verify": lambda at: signer.verify(token.token, now=at),
        "TokenSigner.exchange": lambda at: signer.exchange(token.token, now=at),
        "verify_token": lambda at: tokens.verify_token(token.token, signer.public_key, now=at),
    }


def test_every_public_callable_taking_a_datetime_is_covered_below() -> None:
    found = {name for name, function in _public_callables() if _takes_datetime(function)}
    assert found == set(_calls())


@pytest.mark.parametrize("name", sorted(_calls()))
def test_a_naive_datetime_is_refused_naming_the_method_called(name: str) -> None:
    call = _calls()[name]
    with pytest.raises(InvalidParameterError, match="naive datetime") as caught:
        call(NAIVE)
    assert caught.value.field.rsplit(".", 1)[0] == name
    call(datetime.now(UTC))  # an aware one is fine


def test_a_non_datetime_moment_is_a_typed_parameter_error() -> None:
    token = _signer().mint(STAGE)
    with pytest.raises(InvalidParameterError, match="expected datetime, got str"):
        token.is_expired("2030-01-01")  # type: ignore[arg-type]


# -- messages -----------------------------------------------------------------------------


@pytest.mark.parametrize("duration", [-5, 0, 20161, 10**30, timedelta(minutes=-5)])
def test_a_duration_out_of_range_has_one_wording_with_the_class(duration: Any) -> None:
    with pytest.raises(InvalidParameterError) as caught:
        ParticipantTokenConfig(duration=duration)
    message = str(caught.value)
    assert message.startswith("ParticipantTokenConfig.duration: ")
    assert message.endswith("minutes is outside 1 to 20160 minutes (1 minute to 14 days)")


@pytest.mark.parametrize("value", ["PUBLISH", b"PUBLISH", 3])
def test_capabilities_of_the_wrong_type_say_what_to_pass(value: Any) -> None:
    with pytest.raises(InvalidParameterError, match="iterable of Capability") as caught:
        ParticipantTokenConfig(capabilities=value)
    assert "such as a set or list" in str(caught.value)


def test_any_iterable_is_accepted_where_the_signature_says_iterable() -> None:
    configs = (ParticipantTokenConfig(user_id=str(n)) for n in range(3))
    spec = StageSpec(name="s", participant_token_configurations=configs)
    assert [c.user_id for c in spec.participant_token_configurations] == ["0", "1", "2"]
    with pytest.raises(InvalidParameterError, match="iterable of ParticipantTokenConfig"):
        StageSpec(participant_token_configurations="abc")  # type: ignore[arg-type]


def test_a_token_with_no_capabilities_is_allowed_as_the_model_says() -> None:
    # The service model sets minimum 0 items; see docs/guides/tokens.md.
    assert ParticipantTokenConfig(capabilities=set()).capabilities == frozenset()
    token = ParticipantToken(
        participant_id="p",
        token="t",
        capabilities=[],
        expiration_time=datetime(2030, 1, 1, tzinfo=UTC),
    )
    assert token.capabilities == frozenset()


# -- endpoint_url -------------------------------------------------------------------------


@pytest.mark.parametrize("facade", [IVSRealTime, AsyncIVSRealTime])
@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("127.0.0.1:48121", "has no scheme; give the whole URL, such as 'http://127.0.0.1:48121'"),
        ("localhost:4566", "has no scheme"),
        ("ftp://host", "must be http:// or https://"),
        ("http://", "names no host"),
    ],
)
def test_an_endpoint_url_without_a_usable_scheme_is_a_configuration_error(
    facade: type[IVSRealTime] | type[AsyncIVSRealTime], url: str, problem: str
) -> None:
    with pytest.raises(ConfigurationError, match=re.escape(problem)):
        facade(region_name="us-east-1", endpoint_url=url)


def _session() -> boto3.Session:
    return boto3.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1"
    )


def test_the_emulator_issues_a_token_with_no_capabilities_that_joins_but_cannot_publish() -> None:
    from ivs_realtime_sdk.local import LocalIVSRealTime, PublishRefusedError

    with (
        LocalIVSRealTime() as server,
        IVSRealTime(session=_session(), endpoint_url=server.endpoint_url) as sdk,
    ):
        created = sdk.create_stage(
            StageSpec(participant_token_configurations=[ParticipantTokenConfig(capabilities=[])])
        )
        token = created.participant_tokens[0]
        assert token.capabilities == frozenset()
        participant = server.join(created.stage.arn, token.token)
        with pytest.raises(PublishRefusedError):
            server.publish(created.stage.arn, participant)
