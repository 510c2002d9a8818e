"""The models: valid values round-trip, invalid ones never pass construction."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ivs_realtime_sdk import (
    Capability,
    CreatedStage,
    ParticipantToken,
    ParticipantTokenConfig,
    Stage,
    StageSpec,
)
from ivs_realtime_sdk._converter import structure, unstructure
from ivs_realtime_sdk._frozen import FrozenDict
from ivs_realtime_sdk.errors import (
    InvalidParameterError,
    InvalidParameterTypeError,
    IVSRealTimeError,
)
from ivs_realtime_sdk.models import AutoParticipantRecordingConfiguration

from .strategies import models, public_models

STAGE_ARN = "arn:aws:ivs:us-east-1:123456789012:stage/abcdEFGH1234"
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize("cls", public_models(), ids=lambda cls: cls.__name__)
@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_model_round_trips_through_the_wire_format(
    cls: type[Any], data: st.DataObject
) -> None:
    model = data.draw(models(cls))
    assert structure(unstructure(model), cls) == model


@pytest.mark.parametrize("cls", public_models(), ids=lambda cls: cls.__name__)
def test_every_model_is_frozen_and_keyword_only(cls: type[Any]) -> None:
    params = attrs.fields(cls)
    assert all(field.kw_only for field in params)
    assert cls.__setattr__ is not object.__setattr__


@given(duration=st.integers())
def test_token_duration_outside_one_minute_to_fourteen_days_never_passes(duration: int) -> None:
    if 1 <= duration <= 20160:
        assert ParticipantTokenConfig(duration=duration).duration == timedelta(minutes=duration)
    else:
        with pytest.raises(InvalidParameterError, match=r"duration.*1 to 20160 minutes"):
            ParticipantTokenConfig(duration=duration)


@given(name=st.text(max_size=200))
def test_stage_names_outside_the_pattern_never_pass(name: str) -> None:
    valid = len(name) <= 128 and all(ch.isascii() and (ch.isalnum() or ch in "-_") for ch in name)
    if valid:
        assert StageSpec(name=name).name == name
    else:
        with pytest.raises(InvalidParameterError, match=r"StageSpec\.name"):
            StageSpec(name=name)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": "x" * 129}, r"StageSpec.name: 129 characters is over the limit of 128"),
        ({"name": "has space"}, r"StageSpec.name: 'has space' does not match"),
        (
            {"participant_token_configurations": [ParticipantTokenConfig()] * 13},
            r"participant_token_configurations: 13 items is over the limit of 12",
        ),
        ({"tags": {f"k{i}": "v" for i in range(51)}}, r"StageSpec.tags: 51 entries .* limit of 50"),
        ({"tags": {"": "v"}}, r"StageSpec.tags key: 0 characters is under the minimum of 1"),
        ({"tags": {"k" * 129: "v"}}, r"StageSpec.tags key: 129 characters .* limit of 128"),
        ({"tags": {"k": "v" * 257}}, r"StageSpec.tags\['k'\]: 257 characters .* limit of 256"),
    ],
)
def test_stage_spec_errors_name_the_field_and_the_limit(
    kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(InvalidParameterError, match=message) as caught:
        StageSpec(**kwargs)
    assert isinstance(caught.value, IVSRealTimeError)
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"user_id": "u" * 129}, r"user_id: 129 characters is over the limit of 128"),
        ({"attributes": {"k": "v" * 1024}}, r"attributes: 1025 bytes in UTF-8 .* limit of 1024"),
        ({"attributes": {"k": "é" * 512}}, r"attributes: 1025 bytes"),
        ({"attributes": {"k": "\ud800"}}, r"lone surrogate"),
        (
            {"capabilities": ["RECORD"]},
            r"'RECORD' is not a Capability \(one of PUBLISH, SUBSCRIBE\)",
        ),
        ({"duration": 0}, r"0 minutes is outside 1 to 20160 minutes"),
        ({"duration": timedelta(days=15)}, r"21600 minutes is outside 1 to 20160"),
        ({"duration": timedelta(seconds=90)}, r"not a whole number of minutes"),
    ],
)
def test_token_config_errors_name_the_field_and_the_limit(
    kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(InvalidParameterError, match=message):
        ParticipantTokenConfig(**kwargs)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"user_id": 5},
        {"attributes": ["a"]},
        {"capabilities": 3},
        {"duration": 1.5},
        {"duration": True},
    ],
)
def test_wrong_types_raise_a_type_error_that_is_also_ours(kwargs: dict[str, Any]) -> None:
    with pytest.raises(InvalidParameterTypeError) as caught:
        ParticipantTokenConfig(**kwargs)
    assert isinstance(caught.value, TypeError)
    assert isinstance(caught.value, IVSRealTimeError)


def test_token_config_defaults_are_the_service_defaults() -> None:
    config = ParticipantTokenConfig()
    assert config.duration == timedelta(hours=12)
    assert config.capabilities == {Capability.PUBLISH, Capability.SUBSCRIBE}
    assert config.user_id is None
    assert config.attributes == {}
    assert ParticipantTokenConfig(duration=30).duration == timedelta(minutes=30)
    assert ParticipantTokenConfig(capabilities=["PUBLISH"]).capabilities == {Capability.PUBLISH}


def test_requests_carry_only_the_fields_the_user_set() -> None:
    spec = StageSpec(
        participant_token_configurations=[
            ParticipantTokenConfig(),
            ParticipantTokenConfig(user_id="u", duration=30, capabilities={Capability.PUBLISH}),
        ]
    )
    assert unstructure(spec) == {
        "participantTokenConfigurations": [
            {},
            {"userId": "u", "duration": 30, "capabilities": ["PUBLISH"]},
        ]
    }
    assert unstructure(StageSpec()) == {}


def test_collections_are_immutable_all_the_way_down() -> None:
    spec = StageSpec(tags={"a": "b"}, participant_token_configurations=[ParticipantTokenConfig()])
    assert isinstance(spec.participant_token_configurations, tuple)
    assert isinstance(spec.tags, FrozenDict)
    with pytest.raises(TypeError):
        spec.tags["c"] = "d"  # type: ignore[index]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        spec.name = "x"  # type: ignore[misc]
    assert hash(spec) == hash(
        StageSpec(tags={"a": "b"}, participant_token_configurations=[ParticipantTokenConfig()])
    )
    assert pickle.loads(pickle.dumps(spec)) == spec


def _raw_token(**overrides: Any) -> dict[str, Any]:
    raw = {
        "participantId": "p1",
        "token": "eyJSECRET.TOKEN.VALUE",
        "userId": "u",
        "attributes": {"a": "b"},
        "duration": 60,
        "capabilities": ["PUBLISH", "SUBSCRIBE"],
        "expirationTime": "2026-11-26T13:00:00.500Z",
    }
    raw.update(overrides)
    return raw


def test_token_secret_never_shows_in_repr_or_str() -> None:
    token = structure(_raw_token(), ParticipantToken)
    created = CreatedStage(stage=Stage(arn=STAGE_ARN), participant_tokens=[token])
    for text in (repr(token), str(token), repr(created), str(created)):
        assert "SECRET" not in text
    assert token.token == "eyJSECRET.TOKEN.VALUE"


def test_token_expiry_is_aware_utc_and_helps_refresh() -> None:
    token = structure(_raw_token(), ParticipantToken)
    assert token.expiration_time == datetime(2026, 11, 26, 13, 0, 0, 500000, tzinfo=UTC)
    assert token.expiration_time.tzinfo is UTC
    assert token.duration == timedelta(minutes=60)
    assert not token.is_expired(at=NOW)
    assert token.time_remaining(at=NOW) == timedelta(hours=1, microseconds=500000)
    later = NOW + timedelta(hours=2)
    assert token.is_expired(at=later)
    assert token.time_remaining(at=later) == timedelta(0)
    assert token.is_expired() is (datetime.now(UTC) >= token.expiration_time)


@pytest.mark.parametrize(
    ("wire", "expected"),
    [
        ("2026-11-26T13:00:00Z", datetime(2026, 11, 26, 13, tzinfo=UTC)),
        (
            "2026-11-26T13:00:00.123456Z",
            datetime(2026, 11, 26, 13, 0, 0, 123456, tzinfo=UTC),
        ),
        ("2026-11-26T15:00:00+02:00", datetime(2026, 11, 26, 13, tzinfo=UTC)),
        ("2026-11-26T08:00:00-05:00", datetime(2026, 11, 26, 13, tzinfo=UTC)),
    ],
)
def test_timestamps_in_any_offset_parse_to_utc(wire: str, expected: datetime) -> None:
    token = structure(_raw_token(expirationTime=wire), ParticipantToken)
    assert token.expiration_time == expected
    assert token.expiration_time.tzinfo is UTC


def test_naive_datetimes_never_pass_construction() -> None:
    with pytest.raises(InvalidParameterError, match="aware datetime in UTC"):
        ParticipantToken(participant_id="p", token="t", expiration_time=datetime(2026, 1, 1))


def test_responses_from_a_newer_service_still_parse() -> None:
    raw = {
        "stage": {"arn": STAGE_ARN, "brandNewField": {"x": 1}, "endpoints": {"srt": "srt://x"}},
        "participantTokens": [_raw_token(capabilities=["PUBLISH", "TELEPORT"], newThing=True)],
        "somethingElse": [],
    }
    created = structure(raw, CreatedStage)
    (token,) = created.participant_tokens
    unknown = next(c for c in token.capabilities if not c.is_known)
    assert unknown == "TELEPORT"
    assert isinstance(unknown, Capability)
    assert Capability.PUBLISH in token.capabilities
    assert Capability.PUBLISH.is_known
    assert created.stage.endpoints is not None


def test_unknown_enum_values_still_fail_when_a_user_builds_a_request() -> None:
    with pytest.raises(InvalidParameterError):
        ParticipantTokenConfig(capabilities=["TELEPORT"])
    with pytest.raises(InvalidParameterError, match="media_types"):
        AutoParticipantRecordingConfiguration(
            storage_configuration_arn="", media_types=["VIDEO_ONLY"]
        )  # type: ignore[list-item]
