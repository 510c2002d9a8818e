"""The emulator's media plane: redirects, refusals, leaving, relay, stage events, browsers."""

from __future__ import annotations

import asyncio
import hashlib
import inspect
import itertools
import json
from pathlib import Path

import aiohttp
import av
import pytest
from aiortc import RTCPeerConnection, rtcrtpreceiver
from aiortc import sdp as aiortc_sdp

from ivs_realtime_sdk import Capability, StageSpec
from ivs_realtime_sdk.errors import StageRefusedError
from ivs_realtime_sdk.local import _passthrough
from ivs_realtime_sdk.media import make_test_pattern, publish, stage_state, subscribe
from ivs_realtime_sdk.media._sdp import fix_offer
from ivs_realtime_sdk.media._whip import SDP_CONTENT_TYPE

from .conftest import MediaStage

FIXTURES = Path(__file__).parent / "fixtures"
DEADLINE = 10.0


def chromium_offer() -> str:
    """A real Chromium RTCPeerConnection's offer (scripts/capture_chromium_offer.py)."""
    text = (FIXTURES / "chromium-offer.sdp").read_text(encoding="utf-8")
    comment, offer = text.split("\n", 1)
    assert comment.startswith("; captured from Chromium ")
    return offer


async def _offer_sdp(kinds: tuple[str, ...] = ("audio", "video")) -> tuple[RTCPeerConnection, str]:
    pc = RTCPeerConnection()
    for kind in kinds:
        pc.addTransceiver(kind, direction="sendonly")
    await pc.setLocalDescription(await pc.createOffer())
    return pc, fix_offer(pc.localDescription.sdp)


async def _post(url: str, token: str | None, body: str, content_type: str = SDP_CONTENT_TYPE):  # type: ignore[no-untyped-def]
    headers = {"Content-Type": content_type}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    async with (
        aiohttp.ClientSession() as http,
        http.post(url, data=body, headers=headers, allow_redirects=False) as response,
    ):
        return response.status, await response.text(), dict(response.headers)


def _stage_whip(stage: MediaStage) -> str:
    return f"{stage.server.endpoint_url}/_emulator/stages/{stage.stage_id}/whip"


async def test_the_global_endpoint_redirects_to_the_stage(stage: MediaStage) -> None:
    status, _, headers = await _post(stage.server.whip_endpoint, stage.publisher.token, "v=0")
    assert status == 307
    assert headers["Location"] == _stage_whip(stage)
    # The token's whip_url claim names the same place.
    from ivs_realtime_sdk.tokens import decode_unverified

    assert decode_unverified(stage.publisher.token).whip_url == _stage_whip(stage)


async def test_a_chromium_offer_gets_an_answer(stage: MediaStage) -> None:
    status, answer, headers = await _post(
        _stage_whip(stage), stage.publisher.token, chromium_offer()
    )
    assert status == 201, answer
    assert headers["Content-Type"].startswith(SDP_CONTENT_TYPE)
    assert headers["Location"].startswith(f"/_emulator/stages/{stage.stage_id}/whip/sessions/")
    parsed = aiortc_sdp.SessionDescription.parse(answer)
    assert [m.kind for m in parsed.media] == ["audio", "video"]
    audio, video = parsed.media
    assert audio.rtp.codecs[0].mimeType == "audio/opus"
    assert video.rtp.codecs[0].mimeType == "video/H264"
    assert str(video.rtp.codecs[0].parameters["profile-level-id"]).startswith("42")
    assert audio.direction == video.direction == "recvonly"
    candidates = [c.ip for m in parsed.media for c in m.ice_candidates]
    assert candidates
    assert set(candidates) == {"127.0.0.1"}
    assert stage.participants()[stage.publisher.participant_id].published
    # RFC 9725: DELETE of the session resource ends it.
    resource = stage.server.endpoint_url + headers["Location"]

    async def delete(token: str, url: str = resource) -> int:
        async with (
            aiohttp.ClientSession() as http,
            http.delete(url, headers={"Authorization": f"Bearer {token}"}) as deleted,
        ):
            return deleted.status

    assert await delete(stage.publisher.token) == 200
    assert stage.participants()[stage.publisher.participant_id].state == "DISCONNECTED"
    # DELETE is idempotent: one that crosses the session's end (a teardown racing the
    # publisher's leave) is answered as done, for its own participant only.
    assert await delete(stage.publisher.token) == 200
    assert await delete(stage.subscriber.token) == 403
    assert await delete(stage.publisher.token, resource.rsplit("/", 1)[0] + "/nosuch") == 404


@pytest.mark.parametrize(
    ("token", "content_type", "status"),
    [
        (None, SDP_CONTENT_TYPE, 401),
        ("publisher", "text/plain", 415),
        ("junk", SDP_CONTENT_TYPE, 401),
        ("expired", SDP_CONTENT_TYPE, 401),
    ],
)
async def test_bad_offers_are_refused(
    stage: MediaStage, token: str | None, content_type: str, status: int
) -> None:
    pc, offer = await _offer_sdp()
    value = {"publisher": stage.publisher.token, "expired": _expired_copy(stage)}.get(
        token or "", token
    )
    got, _, _ = await _post(_stage_whip(stage), value, offer, content_type)
    await pc.close()
    assert got == status
    assert stage.sdk.list_stage_sessions(stage.arn).items == ()


async def test_the_emulator_refuses_a_token_without_publish(stage: MediaStage) -> None:
    pc, offer = await _offer_sdp()
    status, body, _ = await _post(_stage_whip(stage), stage.subscriber.token, offer)
    await pc.close()
    assert (status, body.split(":")[0]) == (403, "insufficient_capabilities")
    subscriber = stage.subscriber.participant_id
    assert stage.event_names(subscriber) == ["JOINED", "PUBLISH_ERROR", "LEFT"]
    assert not stage.participants()[subscriber].published


async def test_refused_participants_never_publish(stage: MediaStage) -> None:
    audio, video = make_test_pattern()
    # No PUBLISH: refused from the token, before any request.
    with pytest.raises(StageRefusedError) as no_publish:
        publish(
            stage.subscriber, audio=audio, video=video, whip_endpoint=stage.server.whip_endpoint
        )
    assert no_publish.value.reason == "capability"
    assert no_publish.value.status_code is None
    # Expired: refused from the token too.
    expired = _expired_copy(stage)
    with pytest.raises(StageRefusedError) as late:
        publish(expired, audio=audio, video=video, whip_endpoint=stage.server.whip_endpoint)
    assert late.value.reason == "expired"
    # Another stage's token, sent to this stage's endpoint: the stage says no.
    other = stage.sdk.create_stage(StageSpec(name="other")).stage.arn
    foreign = stage.sdk.create_participant_token(other)
    with pytest.raises(StageRefusedError) as wrong:
        async with publish(foreign, audio=audio, video=video, whip_endpoint=_stage_whip(stage)):
            pass
    assert (wrong.value.reason, wrong.value.status_code) == ("unauthorized", 401)
    assert "wrong_stage" in str(wrong.value)
    assert foreign.token not in str(wrong.value)
    # Nothing was published, on either stage.
    assert stage.sdk.list_stage_sessions(stage.arn).items == ()
    assert stage.sdk.list_stage_sessions(other).items == ()
    audio.stop()
    video.stop()


def _expired_copy(stage: MediaStage) -> str:
    """A token of this stage, signed by the emulator, that expired a minute ago."""
    from ivs_realtime_sdk.tokens import _jwt

    header, claims = _jwt.decode_unverified(stage.publisher.token)
    claims["exp"] = claims["iat"] - 60
    return _jwt.encode(header, claims, stage.server.store.signing_key)


async def test_a_dropped_connection_leaves_the_stage(stage: MediaStage) -> None:
    audio, video = make_test_pattern()
    publication = publish(
        stage.publisher, audio=audio, video=video, whip_endpoint=stage.server.whip_endpoint
    )
    await publication.__aenter__()
    participant = publication.participant_id
    # Drop the media connection without the DELETE a clean leave sends.
    await publication.peer_connection.close()
    for _ in range(100):
        if stage.participants()[participant].state == "DISCONNECTED":
            break
        await asyncio.sleep(0.05)
    assert stage.event_names(participant)[-2:] == ["PUBLISH_STOPPED", "LEFT"]
    await publication.__aexit__(None, None, None)


async def test_subscribing_needs_a_publisher(stage: MediaStage) -> None:
    with pytest.raises(StageRefusedError) as missing:
        async with subscribe(stage.subscriber, "nobody"):
            pass
    assert (missing.value.reason, missing.value.status_code) == ("not_found", 404)
    assert stage.event_names(stage.subscriber.participant_id) == [
        "JOINED",
        "SUBSCRIBE_ERROR",
        "LEFT",
    ]


async def test_the_relay_forwards_encoded_media(stage: MediaStage) -> None:
    """The emulator's received tracks yield packets (never decoded); an IDR at least every 2 s.

    Extra IDRs (a receiver's picture loss request) are allowed; gaps over 2 s are not.
    """
    audio, video = make_test_pattern()
    async with (
        publish(
            stage.publisher, audio=audio, video=video, whip_endpoint=stage.server.whip_endpoint
        ),
        subscribe(stage.subscriber, stage.publisher.participant_id) as subscription,
    ):
        assert subscription.video is not None
        keyframes: list[int] = []

        async def until_two_keyframes() -> None:
            while len(keyframes) < 3:
                frame = await subscription.video.recv()  # type: ignore[union-attr]
                assert isinstance(frame, av.VideoFrame)
                if frame.key_frame:
                    keyframes.append(int(frame.pts or 0))

        await asyncio.wait_for(until_two_keyframes(), DEADLINE)
        gaps = [(b - a) / 90_000 for a, b in itertools.pairwise(keyframes)]
        assert all(0 < gap <= 2.0 for gap in gaps), gaps
        media = stage.server._dispatcher.admin._media  # pyright: ignore[reportPrivateUsage]
        source = next(s for s in media._sessions.values() if s.kind == "publish")  # pyright: ignore
        assert all(track._queue in _passthrough._registered for track in source.tracks.values())  # pyright: ignore


def test_the_replaced_aiortc_worker_is_the_one_we_know() -> None:
    """The forwarding worker replaces aiortc's decoder_worker; a change to it fails here."""
    _passthrough.install()
    original = _passthrough._original  # pyright: ignore[reportPrivateUsage]
    digest = hashlib.sha256(inspect.getsource(original).encode()).hexdigest()
    assert digest == KNOWN_DECODER_WORKER, digest
    assert rtcrtpreceiver.decoder_worker is _passthrough._worker  # pyright: ignore[reportPrivateUsage]


KNOWN_DECODER_WORKER = "d500d4e567d6846c0bd1b501685ec5dd65202563280a01b25e2c014c2273c3eb"


async def test_stage_events_answer_ping_and_follow_changes(stage: MediaStage) -> None:
    from ivs_realtime_sdk.tokens import decode_unverified

    events_url = decode_unverified(stage.subscriber.token).events_url
    url = f"{events_url}/{stage.stage_id}"
    async with aiohttp.ClientSession() as http:
        async with http.ws_connect(url, protocols=(stage.subscriber.token,)) as socket:
            first = json.loads((await socket.receive(DEADLINE)).data)
            assert first == {
                "type": "STAGE_STATE",
                "payload": {"stageId": stage.stage_id, "participants": []},
            }
            await socket.send_str('{"type":"PING"}')
            assert json.loads((await socket.receive(DEADLINE)).data) == {"type": "PONG"}
            # A join through the test API is a change too.
            joined = stage.server.join(stage.arn, stage.publisher.token, publish=True)
            change = json.loads((await socket.receive(DEADLINE)).data)
            assert change["payload"]["participants"] == [
                {
                    "id": joined,
                    "userId": "publisher",
                    "attributes": {"role": "camera"},
                    "isPublishing": True,
                }
            ]
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await http.ws_connect(url, protocols=("not-a-token",))
        assert refused.value.status == 401


async def test_disconnect_participant_ends_its_media(stage: MediaStage) -> None:
    audio, video = make_test_pattern()
    async with publish(
        stage.publisher, audio=audio, video=video, whip_endpoint=stage.server.whip_endpoint
    ) as publication:
        stage.sdk.disconnect_participant(stage.arn, publication.participant_id)
        for _ in range(100):
            if publication.connection_state == "closed":
                break
            await asyncio.sleep(0.05)
        assert publication.connection_state == "closed"
    assert stage.event_names(publication.participant_id)[-1] == "LEFT"


async def test_stage_state_accepts_a_token_string(stage: MediaStage) -> None:
    token = stage.token(Capability.SUBSCRIBE).token
    async with stage_state(token) as states:
        state = await asyncio.wait_for(states.__anext__(), DEADLINE)
    assert state.stage_id == stage.stage_id
    assert state.participants == ()


async def test_audio_only_publish_and_video_only_subscribe(stage: MediaStage) -> None:
    audio, video = make_test_pattern()
    agent = stage.token(Capability.PUBLISH, Capability.SUBSCRIBE, user_id="agent")
    async with publish(
        stage.publisher, audio=audio, video=video, whip_endpoint=stage.server.whip_endpoint
    ):
        pc, _offer = await _offer_sdp(("video",))
        pc.getTransceivers()[0].direction = "recvonly"
        await pc.setLocalDescription(await pc.createOffer())
        url = f"{_stage_whip(stage)}/subscribe/{stage.publisher.participant_id}"
        status, answer, _ = await _post(url, agent.token, fix_offer(pc.localDescription.sdp))
        await pc.close()
        assert status == 201, answer
        assert [m.kind for m in aiortc_sdp.SessionDescription.parse(answer).media] == ["video"]
        # The same participant publishes audio only, beside its subscription.
        silent, _ = make_test_pattern()
        async with publish(agent, audio=silent, whip_endpoint=stage.server.whip_endpoint):
            assert stage.participants()[agent.participant_id].published
