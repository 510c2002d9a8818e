"""Best-effort delivery: the deduplicator forgets in bounded memory; the tracker ignores order."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ivs_realtime_sdk.errors import InvalidParameterError
from ivs_realtime_sdk.events import (
    EventDeduplicator,
    ParticipantRecordingEventName,
    ParticipantTracker,
    parse_event,
)

from . import examples

STAGE = examples.STAGE_ARN
T0 = datetime(2026, 1, 1, tzinfo=UTC)


def _stage_event(name: str, seconds: int, participant: str = "p1", **extra: Any) -> Any:
    moment = (T0 + timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return parse_event(
        {
            **examples.PARTICIPANT_PUBLISHED_DOCS,
            "id": f"{name}-{seconds}-{participant}",
            "time": moment,
            "detail": {
                "session_id": "st-1",
                "event_name": name,
                "participant_id": participant,
                "user_id": "ana",
                "event_time": moment,
                **extra,
            },
        }
    )


def _recording(name: str, seconds: int) -> Any:
    moment = (T0 + timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return parse_event(
        {
            **examples.RECORDING_START,
            "id": f"rec-{name}-{seconds}",
            "time": moment,
            "resources": [STAGE],
            "detail": {
                "session_id": "st-1",
                "event_name": name,
                "participant_id": "p1",
                "recording_s3_bucket_name": "b",
                "recording_s3_key_prefix": f"prefix-{seconds}",
            },
        }
    )


def test_the_deduplicator_skips_what_it_saw() -> None:
    seen = EventDeduplicator(max_size=3)
    event = parse_event(examples.RECORDING_START)
    assert seen.first_time(event)
    assert not seen.first_time(event)
    assert not seen.first_time(event.id)
    assert event.id in seen
    assert len(seen) == 1


def test_the_deduplicator_is_bounded_and_forgets_the_oldest() -> None:
    seen = EventDeduplicator(max_size=100)
    for index in range(10_000):
        assert seen.first_time(f"id-{index}")
    assert len(seen) == 100
    assert "id-0" not in seen
    assert "id-9999" in seen
    assert seen.first_time("id-0")  # forgotten, so new again


@pytest.mark.parametrize("size", [0, -1])
def test_the_deduplicator_refuses_a_useless_size(size: int) -> None:
    with pytest.raises(InvalidParameterError, match=r"EventDeduplicator.max_size"):
        EventDeduplicator(max_size=size)


def test_a_late_published_does_not_undo_a_newer_unpublished() -> None:
    published = _stage_event("Participant Published", 10)
    unpublished = _stage_event("Participant Unpublished", 20)
    tracker = ParticipantTracker([unpublished, published])
    state = tracker.get(STAGE, "st-1", "p1")
    assert state.publishing is False
    assert state.user_id == "ana"
    assert state.updated_at == T0 + timedelta(seconds=20)


def test_an_unknown_participant_has_no_state() -> None:
    state = ParticipantTracker().get(STAGE, "st-1", "nobody")
    assert state.publishing is None
    assert state.recording is None


def test_compositions_and_unknown_events_do_not_touch_participants() -> None:
    tracker = ParticipantTracker()
    assert not tracker.apply(parse_event(examples.COMPOSITION_SESSION_START))
    assert not tracker.participants


EVENTS = [
    _stage_event("Participant Published", 1),
    _stage_event("Participant Unpublished", 5),
    _stage_event("Participant Published", 9),
    _stage_event("Participant Published", 2, participant="p2"),
    _stage_event("Participant Publish Error", 3, participant="p2"),
    _recording("Recording Start", 1),
    _recording("Recording End", 6),
    _stage_event(
        "Participant Replication Started",
        4,
        destination_stage_arn=STAGE,
        destination_session_id="x",
    ),
]


@given(st.permutations(EVENTS), st.lists(st.sampled_from(EVENTS), max_size=8))
def test_any_order_with_duplicates_gives_the_same_states(
    ordered: list[Any], duplicates: list[Any]
) -> None:
    tracker = ParticipantTracker([*ordered, *duplicates])
    p1 = tracker.get(STAGE, "st-1", "p1")
    assert p1.publishing is True
    assert p1.recording is ParticipantRecordingEventName.RECORDING_END
    assert p1.recording_s3_key_prefix == "prefix-6"
    assert p1.replicated is True
    assert p1.updated_at == T0 + timedelta(seconds=9)
    assert tracker.get(STAGE, "st-1", "p2").publishing is False
    assert tracker.participants == ParticipantTracker(EVENTS).participants


def test_at_equal_times_the_stopping_event_wins_whatever_the_order() -> None:
    started = _stage_event("Participant Published", 7)
    stopped = _stage_event("Participant Unpublished", 7)
    for pair in itertools.permutations([started, stopped]):
        assert ParticipantTracker(pair).get(STAGE, "st-1", "p1").publishing is False


def test_apply_says_whether_anything_changed() -> None:
    tracker = ParticipantTracker()
    event = _stage_event("Participant Published", 1)
    assert tracker.apply(event)
    assert not tracker.apply(event)
