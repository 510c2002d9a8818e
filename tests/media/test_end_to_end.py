"""The issue's bar, against the emulator: publish, subscribe, stage state, leave."""

from __future__ import annotations

import asyncio

import av

from ivs_realtime_sdk.media import (
    StageState,
    StageStates,
    make_test_pattern,
    publish,
    stage_state,
    subscribe,
)

from .conftest import MediaStage

# Generous: the bar is 10 s for everything the subscriber must receive.
RECEIVE_DEADLINE = 10.0


async def _next_state(states: StageStates, done: object) -> StageState:
    """The first state for which ``done(state)`` is true."""
    async for state in states:
        if done(state):  # type: ignore[operator]
            return state
    raise AssertionError("the stage events socket closed")


async def _receive(sub_video: object, sub_audio: object) -> tuple[list[av.VideoFrame], int]:
    video: list[av.VideoFrame] = []
    audio = 0

    async def frames() -> None:
        nonlocal audio
        while len(video) < 30 or audio < 5:
            if len(video) < 30:
                frame = await sub_video.recv()  # type: ignore[attr-defined]
                assert isinstance(frame, av.VideoFrame)
                video.append(frame)
            if audio < 5:
                assert isinstance(await sub_audio.recv(), av.AudioFrame)  # type: ignore[attr-defined]
                audio += 1

    await asyncio.wait_for(frames(), RECEIVE_DEADLINE)
    return video, audio


async def test_publish_subscribe_stage_state_and_leave(stage: MediaStage) -> None:
    audio, video = make_test_pattern(320, 240)
    async with publish(
        stage.publisher, audio=audio, video=video, whip_endpoint=stage.server.whip_endpoint
    ) as publication:
        assert publication.connection_state == "connected"
        publisher_id = publication.participant_id
        assert publisher_id == stage.publisher.participant_id
        async with subscribe(stage.subscriber, publisher_id) as subscription:
            assert subscription.video is not None
            assert subscription.audio is not None
            frames, audio_frames = await _receive(subscription.video, subscription.audio)
            assert len(frames) >= 30
            assert audio_frames >= 5
            assert {(f.width, f.height) for f in frames} == {(320, 240)}
            async with stage_state(stage.subscriber) as states:
                both = await asyncio.wait_for(
                    _next_state(states, lambda s: len(s.participants) == 2), RECEIVE_DEADLINE
                )
        assert both.stage_id == stage.stage_id
        publisher = both.get(publisher_id)
        subscriber = both.get(stage.subscriber.participant_id)
        assert publisher is not None
        assert publisher.is_publishing
        assert publisher.user_id == "publisher"
        assert publisher.attributes == {"role": "camera"}
        assert subscriber is not None
        assert not subscriber.is_publishing
        assert both.publishers == (publisher,)
        listed = stage.participants()
        assert listed[publisher_id].state == "CONNECTED"
        assert listed[publisher_id].published
        detail = stage.sdk.get_participant(stage.arn, stage.session_id(), publisher_id)
        assert detail.protocol == "WHIP"
    # Leaving the block left the stage (DELETE of the WHIP session).
    listed = stage.participants()
    assert listed[publisher_id].state == "DISCONNECTED"
    events = stage.event_names(publisher_id)
    assert events == ["JOINED", "PUBLISH_STARTED", "PUBLISH_STOPPED", "LEFT"]
    # The EventBridge events too: IVS sends no event for a leave, but the unpublish it implies.
    stage.server.flush_events()
    updates = [
        event["detail"]["event_name"]
        for event in stage.server.events
        if event["detail-type"] == "IVS Stage Update"
        and event["detail"].get("participant_id") == publisher_id
    ]
    assert updates == ["Participant Published", "Participant Unpublished"]
    assert stage.event_names(stage.subscriber.participant_id)[:2] == [
        "JOINED",
        "SUBSCRIBE_STARTED",
    ]
