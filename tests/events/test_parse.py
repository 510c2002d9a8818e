"""parse_event: every documented example into its typed class; unknown and hostile input."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ivs_realtime_sdk import errors
from ivs_realtime_sdk.events import (
    CompositionDestinationEnd,
    CompositionDestinationFailure,
    CompositionDestinationReconnecting,
    CompositionDestinationStart,
    CompositionSessionEnd,
    CompositionSessionFailure,
    CompositionSessionStart,
    InvalidEventError,
    ParticipantPublished,
    ParticipantPublishError,
    ParticipantRecordingEnd,
    ParticipantRecordingEndFailure,
    ParticipantRecordingStart,
    ParticipantRecordingStartFailure,
    ParticipantUnpublished,
    StageEventName,
    UnknownEvent,
    parse_event,
)

from ..strategies import TIME_EDGES, iso_times, outside_datetimes_range
from . import examples

EXPECTED: dict[str, type[Any]] = {
    "COMPOSITION_DESTINATION_END": CompositionDestinationEnd,
    "COMPOSITION_DESTINATION_FAILURE": CompositionDestinationFailure,
    "COMPOSITION_DESTINATION_RECONNECTING": CompositionDestinationReconnecting,
    "COMPOSITION_DESTINATION_START": CompositionDestinationStart,
    "COMPOSITION_SESSION_END": CompositionSessionEnd,
    "COMPOSITION_SESSION_FAILURE": CompositionSessionFailure,
    "COMPOSITION_SESSION_START": CompositionSessionStart,
    "PARTICIPANT_PUBLISHED": ParticipantPublished,
    "PARTICIPANT_PUBLISHED_DOCS": ParticipantPublished,
    "PARTICIPANT_PUBLISH_ERROR": ParticipantPublishError,
    "PARTICIPANT_UNPUBLISHED": ParticipantUnpublished,
    "RECORDING_END": ParticipantRecordingEnd,
    "RECORDING_END_FAILURE": ParticipantRecordingEndFailure,
    "RECORDING_START": ParticipantRecordingStart,
    "RECORDING_START_FAILURE": ParticipantRecordingStartFailure,
}


def test_every_example_has_an_expected_class() -> None:
    assert sorted(EXPECTED) == sorted(examples.ALL)


@pytest.mark.parametrize("name", sorted(examples.ALL))
def test_each_documented_example_parses_into_its_class(name: str) -> None:
    raw = examples.ALL[name]
    event = parse_event(raw)
    assert type(event) is EXPECTED[name]
    assert event.id == raw["id"]
    assert event.detail_type == raw["detail-type"]
    assert event.resources == tuple(raw["resources"])
    assert event.detail == raw["detail"]
    assert event.time.tzinfo is UTC
    assert type(event).event_name == raw["detail"]["event_name"]  # type: ignore[attr-defined]
    assert parse_event(json.dumps(raw)) == event
    assert parse_event(json.dumps(raw).encode()) == event


def test_the_recording_example_fields() -> None:
    event = parse_event(examples.RECORDING_START)
    assert isinstance(event, ParticipantRecordingStart)
    assert event.stage_arn == "arn:aws:ivs:us-west-2:123456789012:stage/AbCdef1G2hij"
    assert event.session_id == "st-ZyXwvu1T2s"
    assert event.participant_id == "xYz1c2d3e4f"
    assert event.recording_s3_bucket_name == "ivs-recordings"
    assert event.recording_s3_key_prefix.endswith("/2024-01-01T12-00-55Z")
    assert event.time == datetime(2024, 3, 13, 22, 19, 4, tzinfo=UTC)
    end = parse_event(examples.RECORDING_END)
    assert isinstance(end, ParticipantRecordingEnd)
    assert end.recording_duration == timedelta(milliseconds=547327)


def test_the_stage_update_fields() -> None:
    event = parse_event(examples.PARTICIPANT_PUBLISHED)
    assert isinstance(event, ParticipantPublished)
    assert event.event_name is StageEventName.PARTICIPANT_PUBLISHED
    assert event.stage_arn == "arn:aws:ivs:us-east-1:630176884077:stage/oWXSOfbOLMte"
    assert event.participant_id == "03JY4smU3eXc"
    assert event.user_id is None  # IVS sends "" for no user id
    assert event.event_time == datetime(2025, 4, 23, 6, 36, 53, tzinfo=UTC)
    assert event.occurred_at == event.event_time
    documented = parse_event(examples.PARTICIPANT_PUBLISHED_DOCS)
    assert isinstance(documented, ParticipantPublished)
    assert documented.user_id == "Your UserId"
    assert documented.event_time is None
    assert documented.occurred_at == documented.time


def test_the_composition_fields() -> None:
    event = parse_event(examples.COMPOSITION_DESTINATION_FAILURE)
    assert isinstance(event, CompositionDestinationFailure)
    assert event.composition_arn == examples.COMPOSITION_ARN
    assert event.stage_arn == examples.STAGE_ARN
    assert event.destination_id == "AbCdef1G2hij"
    assert event.reason == "Reason for failure"


def test_events_are_frozen_all_the_way_down() -> None:
    event = parse_event(examples.RECORDING_END)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        event.id = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        event.detail["event_name"] = "x"  # type: ignore[index]


def _with(raw: dict[str, Any], **detail: Any) -> dict[str, Any]:
    return {**raw, "detail": {**raw["detail"], **detail}}


def test_fields_a_newer_service_adds_stay_in_detail() -> None:
    raw = _with(examples.PARTICIPANT_PUBLISHED_DOCS, media_type="AUDIO_ONLY")
    event = parse_event(raw)
    assert isinstance(event, ParticipantPublished)
    assert event.detail["media_type"] == "AUDIO_ONLY"


@pytest.mark.parametrize(
    "change",
    [
        {"detail-type": "IVS Stage Thing"},
        {"source": "aws.ivschat"},
        {"detail": {**examples.PARTICIPANT_PUBLISHED_DOCS["detail"], "event_name": "Joined"}},
        {"detail": {"no": "event_name"}},
    ],
    ids=["detail-type", "source", "event-name", "no-event-name"],
)
def test_unknown_events_parse_into_unknown_event_with_their_data(change: dict[str, Any]) -> None:
    raw = {**examples.PARTICIPANT_PUBLISHED_DOCS, **change}
    event = parse_event(raw)
    assert isinstance(event, UnknownEvent)
    assert event.detail == raw["detail"]
    assert event.detail_type == raw["detail-type"]
    assert event.detail_type.is_known is (change.get("detail-type") is None)
    assert event.event_name == raw["detail"].get("event_name")


_DURATION = "detail.recording_duration_ms"


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ("{not json", "event"),
        ("[1, 2]", "event"),
        ({k: v for k, v in examples.RECORDING_START.items() if k != "id"}, "id"),
        ({**examples.RECORDING_START, "time": "yesterday"}, "time"),
        ({**examples.RECORDING_START, "time": "2024-03-13T22:19:04"}, "time"),
        ({**examples.RECORDING_START, "resources": "arn"}, "resources"),
        ({**examples.RECORDING_START, "resources": [3]}, "resources[0]"),
        ({**examples.RECORDING_START, "resources": []}, "resources"),
        ({**examples.RECORDING_START, "detail": []}, "detail"),
        (_with(examples.RECORDING_START, participant_id=7), "detail.participant_id"),
        (
            _with(examples.RECORDING_END, recording_duration_ms="long"),
            "detail.recording_duration_ms",
        ),
        (
            _with(examples.RECORDING_END, recording_duration_ms=1e300),
            "detail.recording_duration_ms",
        ),
        (_with(examples.PARTICIPANT_PUBLISHED, event_time=5), "detail.event_time"),
        (_with(examples.COMPOSITION_SESSION_END, stage_arn=None), "detail.stage_arn"),
    ],
)
def test_a_malformed_envelope_raises_naming_the_field(raw: Any, field: str) -> None:
    with pytest.raises(InvalidEventError) as caught:
        parse_event(raw)
    assert caught.value.field == field
    assert str(caught.value).startswith(field)
    assert isinstance(caught.value, errors.IVSRealTimeError)


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner),
    max_leaves=20,
)
_ENVELOPE_KEYS = ["version", "id", "detail-type", "source", "account", "time", "region"]


@st.composite
def _hostile(draw: st.DrawFn) -> Any:
    base = dict(draw(st.sampled_from(sorted(examples.ALL.items())))[1])
    detail = dict(base["detail"])
    for key in draw(st.lists(st.sampled_from([*_ENVELOPE_KEYS, "resources", "detail"]))):
        base[key] = draw(_json)
    for key in draw(st.lists(st.sampled_from([*detail, "event_time", "recording_duration_ms"]))):
        detail[key] = draw(_json)
    # Times anywhere in datetime's range, with any offset: the ends overflow in UTC.
    if draw(st.booleans()):
        base["time"] = draw(iso_times())
    if draw(st.booleans()):
        detail["event_time"] = draw(iso_times())
    if isinstance(base.get("detail"), dict):
        base["detail"] = detail
    return draw(st.sampled_from([base, json.dumps(base), draw(_json)]))


@given(_hostile())
def test_hostile_envelopes_raise_only_the_sdks_own_error(raw: Any) -> None:
    try:
        event = parse_event(raw)
    except InvalidEventError as exc:
        problem = exc
    else:
        assert event.time.utcoffset() == timedelta(0)
        return
    assert problem.field


def test_deeply_nested_json_is_refused_cleanly() -> None:
    deep = "[" * 100_000 + "]" * 100_000
    with pytest.raises(InvalidEventError):
        parse_event(deep)
    nested: Any = {}
    for _ in range(5000):
        nested = {"x": nested}
    with pytest.raises(InvalidEventError) as caught:
        parse_event({**examples.RECORDING_START, "detail": nested})
    assert caught.value.field == "detail"


@pytest.mark.parametrize("field", ["time", "detail.event_time"])
@pytest.mark.parametrize("wire", TIME_EDGES)
def test_times_at_the_ends_of_datetimes_range_parse_or_raise_invalid_event(
    field: str, wire: str
) -> None:
    # 0001-01-01T00:00:00+01:00 is a moment before datetime's first in UTC: it used
    # to escape as OverflowError from astimezone, a foreign exception.
    raw = dict(examples.PARTICIPANT_PUBLISHED)
    if field == "time":
        raw["time"] = wire
    else:
        raw["detail"] = {**raw["detail"], "event_time": wire}
    if outside_datetimes_range(wire):
        with pytest.raises(InvalidEventError, match="outside the years 1 to 9999") as caught:
            parse_event(raw)
        assert caught.value.field == field
    else:
        assert parse_event(raw).time.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    "wire", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"], ids=["first", "last"]
)
def test_the_two_reported_times_are_refused_naming_the_field(wire: str) -> None:
    with pytest.raises(InvalidEventError) as caught:
        parse_event({**examples.PARTICIPANT_PUBLISHED, "time": wire})
    assert caught.value.field == "time"
    event_time = {**examples.PARTICIPANT_PUBLISHED["detail"], "event_time": wire}
    with pytest.raises(InvalidEventError) as caught:
        parse_event({**examples.PARTICIPANT_PUBLISHED, "detail": event_time})
    assert caught.value.field == "detail.event_time"
