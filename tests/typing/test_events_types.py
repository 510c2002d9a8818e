"""What type checkers see of parsed events: narrowing by ``match`` and ``isinstance``.

Checked by mypy and pyright, never run (``check_*`` functions, as in test_api_types).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any, assert_type

from ivs_realtime_sdk.events import (
    CompositionDestinationFailure,
    CompositionSessionEnd,
    CompositionStateChange,
    DetailType,
    EventDeduplicator,
    ExchangedToken,
    IVSEvent,
    ParticipantActivity,
    ParticipantKey,
    ParticipantPublished,
    ParticipantRecordingEnd,
    ParticipantRecordingEventName,
    ParticipantRecordingStateChange,
    ParticipantTokenExchanged,
    ParticipantTracker,
    StageEventName,
    StageUpdate,
    UnknownEvent,
    parse_event,
)


def check_parse_event_returns_the_union(raw: Mapping[str, Any], text: str) -> None:
    assert_type(parse_event(raw), IVSEvent)
    assert_type(parse_event(text), IVSEvent)


def check_match_narrows_to_each_class(raw: dict[str, Any]) -> None:
    event = parse_event(raw)
    match event:
        case ParticipantPublished():
            assert_type(event, ParticipantPublished)
            assert_type(event.stage_arn, str)
            assert_type(event.user_id, str | None)
            assert_type(event.event_time, datetime | None)
            assert_type(event.occurred_at, datetime)
            assert_type(event.event_name, StageEventName)
        case ParticipantRecordingEnd(recording_s3_key_prefix=prefix):
            assert_type(event, ParticipantRecordingEnd)
            assert_type(prefix, str)
            assert_type(event.recording_duration, timedelta | None)
            assert_type(event.event_name, ParticipantRecordingEventName)
        case CompositionSessionEnd(composition_arn=arn):
            assert_type(arn, str)
        case CompositionDestinationFailure():
            assert_type(event.reason, str | None)
            assert_type(event.destination_id, str | None)
        case ParticipantTokenExchanged():
            assert_type(event.new_token, ExchangedToken | None)
        case UnknownEvent():
            assert_type(event.detail, Mapping[str, Any])
            assert_type(event.event_name, str | None)
            assert_type(event.detail_type, DetailType)
        case _:
            pass


def check_isinstance_narrows_to_the_family(raw: dict[str, Any]) -> None:
    event = parse_event(raw)
    if isinstance(event, StageUpdate):
        assert_type(event.participant_id, str)
        assert_type(event.session_id, str)
    if isinstance(event, CompositionStateChange):
        assert_type(event.stage_arn, str)
    if isinstance(event, ParticipantRecordingStateChange):
        assert_type(event.recording_s3_bucket_name, str)
    assert_type(event.time, datetime)
    assert_type(event.resources, tuple[str, ...])


def check_helpers(raw: dict[str, Any]) -> None:
    event = parse_event(raw)
    seen = EventDeduplicator(max_size=100)
    assert_type(seen.first_time(event), bool)
    assert_type(seen.first_time("an-id"), bool)
    tracker = ParticipantTracker([event])
    assert_type(tracker.apply(event), bool)
    assert_type(tracker.participants, Mapping[ParticipantKey, ParticipantActivity])
    assert_type(tracker.get("arn", "st-1", "p").publishing, bool | None)
    parse_event(42)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
