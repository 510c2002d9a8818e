"""Hostile WHIP requests: 4xx for a bad bearer, stage, charset, body or token; no media, no join."""

from __future__ import annotations

import asyncio
import os

import aiohttp
import pytest

from ivs_realtime_sdk import Capability
from ivs_realtime_sdk.local import LocalIVSRealTime
from ivs_realtime_sdk.media._whip import SDP_CONTENT_TYPE

from .conftest import MediaStage
from .test_emulator_media import _offer_sdp  # pyright: ignore[reportPrivateUsage]


async def _send(
    url: str, token: str | None, body: bytes, content_type: str = SDP_CONTENT_TYPE
) -> tuple[int, str]:
    headers = {"Content-Type": content_type}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    async with (
        aiohttp.ClientSession() as http,
        http.post(url, data=body, headers=headers, allow_redirects=False) as response,
    ):
        return response.status, (await response.read()).decode("utf-8", "replace")


async def _video_offer() -> bytes:
    pc, offer = await _offer_sdp(("video",))
    await pc.close()
    return offer.encode()


def _whip(stage: MediaStage, stage_id: str | None = None) -> str:
    return f"{stage.server.endpoint_url}/_emulator/stages/{stage_id or stage.stage_id}/whip"


def _subscribe(stage: MediaStage) -> str:
    return f"{_whip(stage)}/subscribe/nobody"


def _connected(stage: MediaStage) -> list[str]:
    """Every participant still connected, in any session of the stage."""
    connected: list[str] = []
    for session in stage.sdk.iter_stage_sessions(stage.arn):
        for participant in stage.sdk.iter_participants(stage.arn, session.session_id):
            if str(participant.state) == "CONNECTED":
                connected.append(participant.participant_id or "")
    return connected


@pytest.mark.parametrize(
    ("case", "status"),
    [
        ("any-bearer", 401),
        ("jwt-like-bearer", 401),
        ("unknown-stage", 404),
        ("bogus-charset", 415),
        ("invalid-utf8", 400),
    ],
)
@pytest.mark.parametrize("route", ["publish", "subscribe", "global"])
async def test_bad_whip_requests_are_4xx(
    stage: MediaStage, case: str, status: int, route: str
) -> None:
    body = await _video_offer()
    token: str | None = stage.publisher.token
    content_type = SDP_CONTENT_TYPE
    url = {"publish": _whip(stage), "subscribe": _subscribe(stage)}.get(
        route, stage.server.whip_endpoint
    )
    if case == "any-bearer":
        token = "not a token at all"
    elif case == "jwt-like-bearer":
        token = "eyJhbGciOiJFUzM4NCJ9.e30.AAAA"
    elif case == "unknown-stage":
        url = url.replace(stage.stage_id, "noSuchStage")
    elif case == "bogus-charset":
        content_type = f"{SDP_CONTENT_TYPE}; charset=bogus"
    else:
        body = body + b"\xff\xfe"
    got, text = await _send(url, token, body, content_type)
    if route == "global" and case in ("unknown-stage", "bogus-charset", "invalid-utf8"):
        # The global endpoint only redirects, by the token; it reads no body.
        assert got == 307, text
        return
    assert 400 <= got < 500, text
    assert got == status or route == "subscribe", text
    assert _connected(stage) == []


@pytest.mark.parametrize(
    "body", [b"", b"garbage", b"v=0", b"v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"]
)
async def test_an_offer_without_media_is_400_and_joins_nobody(
    stage: MediaStage, body: bytes
) -> None:
    status, text = await _send(_whip(stage), stage.publisher.token, body)
    assert status == 400, text
    assert text.startswith("bad_offer"), text
    assert _connected(stage) == []


async def _wait_for(predicate: object, within: float) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not predicate():  # type: ignore[operator]
        assert loop.time() < deadline, "timed out"
        await asyncio.sleep(0.05)


async def test_a_participant_whose_media_never_connects_leaves_within_the_consent_window(
    stage: MediaStage,
) -> None:
    stage.server.media_consent_window = 1.0
    # An offer that names media, from a peer that never answers ICE checks.
    offer = (await _video_offer()).decode()
    status, text = await _send(_whip(stage), stage.publisher.token, offer.encode())
    assert status == 201, text
    assert len(_connected(stage)) == 1
    await _wait_for(lambda: _connected(stage) == [], 10.0)
    (participant_id,) = stage.participants()
    names = stage.event_names(participant_id)
    assert names == ["JOINED", "PUBLISH_STARTED", "PUBLISH_STOPPED", "LEFT"], names


def _open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts /proc/self/fd")
async def test_a_flood_of_never_completed_offers_returns_to_the_start(
    stage: MediaStage, emulator: LocalIVSRealTime
) -> None:
    emulator.media_consent_window = 0.5
    offer = (await _video_offer()).decode()
    # Warm up once (the media plane, aiortc's imports), then count.
    token = stage.token(Capability.PUBLISH).token
    assert (await _send(_whip(stage), token, offer.encode()))[0] == 201
    await _wait_for(lambda: _connected(stage) == [], 10.0)
    before = _open_fds()
    emulator.media_consent_window = 5.0
    tokens = [stage.token(Capability.PUBLISH, user_id=f"flood-{i}").token for i in range(50)]
    answers = await asyncio.gather(*(_send(_whip(stage), t, offer.encode()) for t in tokens))
    assert [status for status, _ in answers] == [201] * 50
    assert len(_connected(stage)) == emulator.media_peer_count() == 50
    await _wait_for(lambda: _connected(stage) == [], 15.0)
    await _wait_for(lambda: _open_fds() <= before, 10.0)
    assert emulator.media_peer_count() == 0
