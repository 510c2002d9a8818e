"""Stage sessions, participants, their events and replication, through both facades."""

from __future__ import annotations

from datetime import UTC

import pytest

from ivs_realtime_sdk import (
    Event,
    EventName,
    Page,
    Participant,
    ParticipantProtocol,
    ParticipantRecordingStateFilter,
    ParticipantReplica,
    ParticipantState,
    ParticipantSummary,
    ReplicationState,
    ReplicationType,
    StageSession,
    StageSessionSummary,
    StageSpec,
)
from ivs_realtime_sdk.errors import ConflictError, ResourceNotFoundError
from ivs_realtime_sdk.local import LocalIVSRealTime

from .conftest import Facade, live_stage

CLIENT = {"osName": "Linux", "browserName": "Firefox", "sdkVersion": "1.20.0"}


async def test_a_session_starts_with_the_first_join_and_ends_with_the_last_leave(
    api: Facade, emulator: LocalIVSRealTime
) -> None:
    stage, (participant_id,) = await live_stage(api, emulator)
    assert stage.active_session_id is not None

    session = await api.get_stage_session(stage.arn, stage.active_session_id)
    assert isinstance(session, StageSession)
    assert session.session_id == stage.active_session_id
    assert session.start_time is not None
    assert session.start_time.tzinfo is UTC
    assert session.end_time is None

    emulator.leave(stage.arn, participant_id)
    ended = await api.get_stage_session(stage.arn, stage.active_session_id)
    assert ended.end_time is not None
    assert ended.end_time >= session.start_time

    page = await api.list_stage_sessions(stage.arn)
    assert isinstance(page, Page)
    assert [type(item) for item in page.items] == [StageSessionSummary]
    assert page.items[0].session_id == stage.active_session_id
    assert await api.iter_stage_sessions(stage.arn) == list(page.items)


async def test_get_and_list_participants(api: Facade, emulator: LocalIVSRealTime) -> None:
    stage, ids = await live_stage(api, emulator, participants=3, publish=False)
    session_id = stage.active_session_id
    emulator.publish(stage.arn, ids[0])
    emulator.leave(stage.arn, ids[2])
    created = await api.create_participant_token(stage.arn)
    rtmp_id = emulator.join(stage.arn, created.token, protocol="RTMPS", client=CLIENT)

    participant = await api.get_participant(stage.arn, session_id, rtmp_id)
    assert isinstance(participant, Participant)
    assert participant.participant_id == rtmp_id
    assert participant.state is ParticipantState.CONNECTED
    assert participant.protocol is ParticipantProtocol.RTMPS
    assert participant.os_name == "Linux"
    assert participant.browser_name == "Firefox"
    assert participant.sdk_version == "1.20.0"
    assert participant.first_join_time is not None
    assert participant.first_join_time.tzinfo is UTC
    seated = await api.get_participant(stage.arn, session_id, ids[1])
    assert seated.user_id == "user-1"
    assert seated.attributes == {"seat": "1"}

    everyone = await api.list_participants(stage.arn, session_id)
    assert all(isinstance(p, ParticipantSummary) for p in everyone.items)
    assert {p.participant_id for p in everyone.items} == {*ids, rtmp_id}

    async def ids_where(**filters: object) -> set[str | None]:
        page = await api.list_participants(stage.arn, session_id, **filters)
        every = await api.iter_participants(stage.arn, session_id, page_size=1, **filters)
        assert {p.participant_id for p in every} == {p.participant_id for p in page.items}
        return {p.participant_id for p in page.items}

    assert await ids_where(filter_by_user_id="user-1") == {ids[1]}
    assert await ids_where(filter_by_published=True) == {ids[0]}
    assert await ids_where(filter_by_state=ParticipantState.DISCONNECTED) == {ids[2]}
    assert (
        await ids_where(filter_by_recording_state=ParticipantRecordingStateFilter.ACTIVE) == set()
    )


async def test_participant_events_in_order(api: Facade, emulator: LocalIVSRealTime) -> None:
    stage, (publisher, viewer) = await live_stage(api, emulator, participants=2, publish=False)
    emulator.publish(stage.arn, publisher)
    emulator.subscribe(stage.arn, viewer, publisher)
    emulator.leave(stage.arn, viewer)
    session_id = stage.active_session_id

    page = await api.list_participant_events(stage.arn, session_id, viewer)
    assert all(isinstance(event, Event) for event in page.items)
    assert [event.name for event in page.items] == [
        EventName.JOINED,
        EventName.SUBSCRIBE_STARTED,
        EventName.SUBSCRIBE_STOPPED,
        EventName.LEFT,
    ]
    subscribed = page.items[1]
    assert subscribed.remote_participant_id == publisher
    assert subscribed.participant_id == viewer
    assert subscribed.event_time is not None
    assert subscribed.event_time.tzinfo is UTC
    assert await api.iter_participant_events(stage.arn, session_id, viewer, page_size=1) == list(
        page.items
    )


async def test_disconnect_a_participant(api: Facade, emulator: LocalIVSRealTime) -> None:
    stage, (participant_id,) = await live_stage(api, emulator)

    assert await api.disconnect_participant(stage.arn, participant_id, reason="end of show") is None

    gone = await api.get_participant(stage.arn, stage.active_session_id, participant_id)
    assert gone.state is ParticipantState.DISCONNECTED
    with pytest.raises(ResourceNotFoundError):
        await api.get_participant(stage.arn, stage.active_session_id, "nobody")


async def test_replicate_a_participant_into_another_stage(
    api: Facade, emulator: LocalIVSRealTime
) -> None:
    source, (participant_id,) = await live_stage(api, emulator)
    destination = (await api.create_stage(StageSpec(name="overflow"))).stage

    started = await api.start_participant_replication(
        source.arn,
        destination.arn,
        participant_id,
        reconnect_window_seconds=30,
        attributes={"room": "overflow"},
    )
    assert started is None
    with pytest.raises(ConflictError):
        await api.start_participant_replication(source.arn, destination.arn, participant_id)

    page = await api.list_participant_replicas(source.arn, participant_id)
    (replica,) = page.items
    assert isinstance(replica, ParticipantReplica)
    assert replica.source_stage_arn == source.arn
    assert replica.source_session_id == source.active_session_id
    assert replica.destination_stage_arn == destination.arn
    assert replica.participant_id == participant_id
    assert replica.replication_state is ReplicationState.ACTIVE
    assert await api.iter_participant_replicas(source.arn, participant_id) == [replica]

    copy = await api.get_participant(
        destination.arn, replica.destination_session_id, participant_id
    )
    assert copy.replication_type is ReplicationType.REPLICA
    assert copy.source_stage_arn == source.arn
    original = await api.get_participant(source.arn, source.active_session_id, participant_id)
    assert original.replication_type is ReplicationType.SOURCE

    events = await api.list_participant_events(source.arn, source.active_session_id, participant_id)
    started_event = next(e for e in events.items if e.name is EventName.REPLICATION_STARTED)
    assert started_event.destination_stage_arn == destination.arn

    assert (
        await api.stop_participant_replication(source.arn, destination.arn, participant_id) is None
    )
    (ended,) = (await api.list_participant_replicas(source.arn, participant_id)).items
    assert ended.replication_state is ReplicationState.STOPPED
