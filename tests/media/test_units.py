"""The pure parts of the media extra: SDP fixes, media rules, WHIP redirects, the missing extra."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import AsyncIterator

import aiohttp
import av
import boto3
import pytest
from aiohttp import web
from aiortc import RTCPeerConnection
from aiortc.mediastreams import VideoStreamTrack

from ivs_realtime_sdk import Capability
from ivs_realtime_sdk.errors import (
    IVSRealTimeError,
    MediaConnectionError,
    MediaUnavailableError,
    StageRefusedError,
    UnexpectedResponseError,
)
from ivs_realtime_sdk.local import LocalIVSRealTime
from ivs_realtime_sdk.media import (
    MAX_LONG_SIDE,
    MAX_SHORT_SIDE,
    StageParticipant,
    parse_stage_state,
    publish,
    stage_state,
    subscribe,
)
from ivs_realtime_sdk.media._rules import (
    ShapedVideoTrack,
    codec_preferences,
    fit_720p,
    is_baseline_h264,
)
from ivs_realtime_sdk.media._sdp import OPUS_FMTP, fix_answer, fix_offer, strip_candidates
from ivs_realtime_sdk.media._whip import MAX_REDIRECTS, post_offer, subscribe_url

# The shape of IVS's answer: candidates in the audio section only (as the samples found).
IVS_LIKE_ANSWER = (
    "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1\r\n"
    "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\na=rtcp-mux\r\n"
    "a=rtpmap:111 opus/48000/2\r\n"
    "a=candidate:1 1 udp 2130706431 203.0.113.7 5000 typ host\r\n"
    "a=candidate:2 1 tcp 2130706430 203.0.113.7 443 typ host tcptype passive\r\n"
    "m=video 9 UDP/TLS/RTP/SAVPF 102\r\na=mid:1\r\na=rtcp-mux\r\na=rtpmap:102 H264/90000\r\n"
)


async def _aiortc_offer() -> str:
    pc = RTCPeerConnection()
    pc.addTransceiver("audio", direction="sendonly")
    pc.addTransceiver("video", direction="sendonly")
    await pc.setLocalDescription(await pc.createOffer())
    sdp: str = pc.localDescription.sdp
    await pc.close()
    return sdp


async def test_fix_offer_adds_what_ivs_expects() -> None:
    offer = await _aiortc_offer()
    assert "a=extmap-allow-mixed" not in offer
    assert "a=rtcp-rsize" not in offer
    fixed = fix_offer(offer)
    lines = fixed.split("\r\n")
    first_media = next(i for i, line in enumerate(lines) if line.startswith("m="))
    assert "a=extmap-allow-mixed" in lines[:first_media]
    assert (
        lines.index("a=extmap-allow-mixed")
        == lines.index(next(line for line in lines if line.startswith("a=group:BUNDLE"))) + 1
    )
    assert fixed.count("a=rtcp-rsize") == 2
    opus = next(line for line in lines if "opus/48000" in line).split(":")[1].split()[0]
    assert f"a=fmtp:{opus} {OPUS_FMTP}" in lines
    assert fix_offer(fixed) == fixed  # idempotent
    assert fixed.endswith("\r\n")
    assert "\n\n" not in fixed.replace("\r\n", "\n")


def test_fix_answer_copies_candidates_to_the_video_section() -> None:
    fixed = fix_answer(IVS_LIKE_ANSWER)
    audio, video = fixed.split("m=video")
    candidates = [line for line in audio.split("\r\n") if line.startswith("a=candidate:")]
    assert len(candidates) == 2
    assert [line for line in video.split("\r\n") if line.startswith("a=candidate:")] == candidates
    assert video.rstrip("\r\n").endswith("a=end-of-candidates")
    assert fix_answer(fixed) == fixed


def test_fix_answer_leaves_an_answer_without_candidates_alone() -> None:
    bare = "\r\n".join(x for x in IVS_LIKE_ANSWER.split("\r\n") if "candidate" not in x)
    assert fix_answer(bare) == bare


def test_strip_candidates_keeps_only_the_given_addresses() -> None:
    stripped = strip_candidates(IVS_LIKE_ANSWER, frozenset({"127.0.0.1"}))
    assert "a=candidate" not in stripped
    kept = strip_candidates(IVS_LIKE_ANSWER, frozenset({"203.0.113.7"}))
    assert kept == IVS_LIKE_ANSWER


@pytest.mark.parametrize(
    ("size", "fitted"),
    [
        ((320, 240), (320, 240)),
        ((1280, 720), (1280, 720)),
        ((720, 1280), (720, 1280)),
        ((1920, 1080), (1280, 720)),
        ((1080, 1920), (720, 1280)),
        ((3840, 1600), (1280, 532)),
    ],
)
def test_fit_720p(size: tuple[int, int], fitted: tuple[int, int]) -> None:
    assert fit_720p(*size) == fitted
    width, height = fit_720p(*size)
    assert max(width, height) <= MAX_LONG_SIDE
    assert min(width, height) <= MAX_SHORT_SIDE


def test_codec_preferences_are_opus_and_baseline_h264() -> None:
    assert [c.mimeType for c in codec_preferences("audio")] == ["audio/opus"]
    video = codec_preferences("video")
    assert video
    assert all(is_baseline_h264(c) for c in video)
    assert all(c.mimeType == "video/H264" for c in video)


async def test_shaped_video_scales_down_to_720p() -> None:
    class Big(VideoStreamTrack):
        async def recv(self) -> av.VideoFrame:  # type: ignore[override]
            frame = av.VideoFrame(1920, 1080, "yuv420p")
            frame.pts = 7
            return frame

    shaped = ShapedVideoTrack(Big())
    frame = await shaped.recv()
    assert (frame.width, frame.height, frame.pts) == (1280, 720, 7)
    shaped.stop()


def test_stage_state_parsing() -> None:
    state = parse_stage_state(
        {
            "stageId": "abc",
            "participants": [
                {"id": "p1", "userId": "u", "attributes": {"a": "b"}, "isPublishing": True},
                {"id": "p2", "isPublishing": False, "future": 1},
            ],
            "future": True,
        }
    )
    assert state.stage_id == "abc"
    assert state.participants == (
        StageParticipant(
            participant_id="p1", user_id="u", attributes={"a": "b"}, is_publishing=True
        ),
        StageParticipant(participant_id="p2"),
    )
    for bad in ([], {"participants": [{}]}, {"participants": [{"id": 3}]}):
        with pytest.raises(UnexpectedResponseError):
            parse_stage_state(bad)


# -- the WHIP client against a scripted server --------------------------------------------


@pytest.fixture
async def whip_server() -> AsyncIterator[tuple[str, list[dict[str, str]]]]:
    """Loopback server: /hop/N redirects to /hop/N-1, /hop/0 answers 201, /no answers 403."""
    seen: list[dict[str, str]] = []

    async def hop(request: web.Request) -> web.Response:
        seen.append({"path": request.path, "auth": request.headers.get("Authorization", "")})
        n = int(request.match_info["n"])
        if n > 0:
            return web.Response(status=307, headers={"Location": f"/hop/{n - 1}"})
        return web.Response(status=201, text="v=0\r\n", headers={"Location": "/session/1"})

    async def refuse(request: web.Request) -> web.Response:
        return web.Response(status=403, text="insufficient_capabilities: no")

    app = web.Application()
    app.add_routes([web.post("/hop/{n}", hop), web.post("/no", refuse)])
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    yield f"http://{host}:{port}", seen
    await runner.cleanup()


async def test_redirects_are_followed_with_the_token(
    whip_server: tuple[str, list[dict[str, str]]],
) -> None:
    base, seen = whip_server
    async with aiohttp.ClientSession() as http:
        answer = await post_offer(http, f"{base}/hop/3", "tok", "v=0", action="publish")
    assert answer.sdp == "v=0\r\n"
    assert answer.resource_url == f"{base}/session/1"
    assert [s["path"] for s in seen] == ["/hop/3", "/hop/2", "/hop/1", "/hop/0"]
    assert {s["auth"] for s in seen} == {"Bearer tok"}


async def test_too_many_redirects_and_refusals(
    whip_server: tuple[str, list[dict[str, str]]],
) -> None:
    base, _ = whip_server
    async with aiohttp.ClientSession() as http:
        with pytest.raises(MediaConnectionError, match="redirects"):
            await post_offer(http, f"{base}/hop/{MAX_REDIRECTS + 1}", "t", "v=0", action="publish")
        with pytest.raises(StageRefusedError) as refused:
            await post_offer(http, f"{base}/no", "secret-token", "v=0", action="publish")
        assert (refused.value.reason, refused.value.status_code) == ("forbidden", 403)
        assert "secret-token" not in str(refused.value)
        with pytest.raises(MediaConnectionError):
            await post_offer(http, "http://127.0.0.1:9/", "t", "v=0", action="publish")


def test_subscribe_url() -> None:
    assert subscribe_url("https://x.whip.test/", "p1") == "https://x.whip.test/subscribe/p1"


def test_publish_needs_a_track_and_a_token(ivs_realtime_local: object) -> None:
    from ivs_realtime_sdk.errors import InvalidTokenError

    with pytest.raises(InvalidTokenError):
        publish("not a token", video=VideoStreamTrack())


def test_importing_media_without_the_extra_names_it() -> None:
    code = (
        "import sys\n"
        "sys.modules['aiortc'] = None\n"  # what an uninstalled package looks like to import
        "from ivs_realtime_sdk.errors import MediaUnavailableError\n"
        "try:\n"
        "    import ivs_realtime_sdk.media\n"
        "except MediaUnavailableError as exc:\n"
        "    print(type(exc).__name__, isinstance(exc, ImportError), exc)\n"
        "from ivs_realtime_sdk.local import LocalIVSRealTime\n"
        "import urllib.request, urllib.error\n"
        "with LocalIVSRealTime() as server:\n"
        "    request = urllib.request.Request(server.whip_endpoint, data=b'v=0', method='POST')\n"
        "    try:\n"
        "        urllib.request.urlopen(request)\n"
        "    except urllib.error.HTTPError as error:\n"
        "        print(error.code)\n"
        "print('aiortc' in sys.modules and sys.modules['aiortc'] is not None)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout.splitlines()
    assert out[0].startswith("MediaUnavailableError True ")
    assert "pip install 'ivs-realtime-sdk[media]'" in out[0]
    assert out[1:] == ["404", "False"]
    assert issubclass(MediaUnavailableError, IVSRealTimeError)


def test_no_repr_or_str_shows_the_token(ivs_realtime_local: LocalIVSRealTime) -> None:
    from ivs_realtime_sdk import IVSRealTime, StageSpec

    session = boto3.Session(
        region_name="us-east-1", aws_access_key_id="t", aws_secret_access_key="t"
    )
    with IVSRealTime(session=session, endpoint_url=ivs_realtime_local.endpoint_url) as sdk:
        stage = sdk.create_stage(StageSpec(name="secrets")).stage
        token = sdk.create_participant_token(stage.arn)
    for value in (
        publish(token, video=VideoStreamTrack()),
        publish(token.token, video=VideoStreamTrack()),
        subscribe(token, "someone"),
        stage_state(token),
    ):
        assert token.token not in repr(value)
        assert token.token not in str(value)
    assert repr(subscribe(token, "x")).startswith(
        f"<Subscription participant={token.participant_id}"
    )


def _token(header: dict[str, object], **overrides: object) -> str:
    from cryptography.hazmat.primitives.asymmetric import ec

    from ivs_realtime_sdk.tokens import _jwt

    claims: dict[str, object] = {
        "jti": "p1",
        "resource": "arn:aws:ivs:us-east-1:123456789012:stage/abc",
        "topic": "abc",
        "whip_url": "https://abc.whip.test",
        "events_url": "wss://events.test",
        "capabilities": {"allow_publish": True},
        "exp": 4_000_000_000,
        **overrides,
    }
    claims = {k: v for k, v in claims.items() if v is not None}
    return _jwt.encode(header, claims, ec.generate_private_key(ec.SECP384R1()))


def test_tokens_are_read_as_opaque_as_possible() -> None:
    from ivs_realtime_sdk.errors import InvalidTokenError
    from ivs_realtime_sdk.media._token import read_token

    # No kid, no iat, no version, an unknown claim: still a participant's token.
    raw, claims = read_token(_token({"typ": "JWT"}, future="x"), Capability.PUBLISH)
    assert (claims.participant_id, claims.stage_id, claims.whip_url) == (
        "p1",
        "abc",
        "https://abc.whip.test",
    )
    assert claims.capabilities == {Capability.PUBLISH}
    with pytest.raises(StageRefusedError, match="does not grant SUBSCRIBE"):
        read_token(raw, Capability.SUBSCRIBE)
    with pytest.raises(InvalidTokenError, match="'whip_url'") as missing:
        read_token(_token({}, whip_url=None))
    assert missing.value.reason == "claims"
    with pytest.raises(InvalidTokenError) as junk:
        read_token("a.b")
    assert junk.value.reason == "malformed"


@pytest.mark.parametrize(("exp", "problem"), [(1e20, "out of range"), ("soon", "not a number")])
def test_an_impossible_expiry_is_a_token_error(exp: object, problem: str) -> None:
    """An ``exp`` no date can hold is refused as the SDK's token error, not OverflowError."""
    from ivs_realtime_sdk.errors import InvalidTokenError
    from ivs_realtime_sdk.media._token import read_token

    with pytest.raises(InvalidTokenError, match=f"'exp' is {problem}"):
        read_token(_token({}, exp=exp))
