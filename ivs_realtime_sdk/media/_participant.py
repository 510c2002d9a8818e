"""Publish and subscribe: one WebRTC peer connection each, set up over WHIP."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from types import TracebackType
from typing import Self

import aiohttp
from aiortc import (
    MediaStreamTrack,
    RTCConfiguration,
    RTCIceServer,
    RTCPeerConnection,
    RTCSessionDescription,
)

from ..errors import MediaConnectionError
from ..models.token import Capability
from ._ice import is_loopback_url, loopback_only
from ._rules import ShapedVideoTrack, keep_sending_keyframes, prefer_ivs_codecs
from ._sdp import fix_answer, fix_offer
from ._token import ParticipantTokenInput, read_token
from ._whip import GLOBAL_WHIP_ENDPOINT, delete_resource, post_offer, subscribe_url

__all__ = ["DEFAULT_CONNECT_TIMEOUT", "Publication", "Subscription", "publish", "subscribe"]

_log = logging.getLogger("ivs_realtime_sdk.media")

DEFAULT_CONNECT_TIMEOUT = 15.0
"""Seconds to wait for ICE and DTLS to connect after the stage answered."""


class _Session:
    """What publish and subscribe share: the token, one peer connection, one WHIP resource."""

    _action = "session"

    def __init__(
        self,
        token: ParticipantTokenInput,
        need: Capability,
        *,
        ice_servers: list[RTCIceServer] | None,
        connect_timeout: float,
    ) -> None:
        self._token, self._claims = read_token(token, need)
        self._ice_servers = ice_servers or []
        self._connect_timeout = connect_timeout
        self._http: aiohttp.ClientSession | None = None
        self._pc: RTCPeerConnection | None = None
        self._resource_url: str | None = None

    @property
    def participant_id(self) -> str:
        """The participant's id (the token's ``jti``)."""
        return self._claims.participant_id

    @property
    def stage_arn(self) -> str:
        """The stage joined (the token's ``resource``)."""
        return self._claims.stage_arn

    @property
    def connection_state(self) -> str:
        """The peer connection's state: ``new``, ``connecting``, ``connected``, ``closed``..."""
        return "new" if self._pc is None else self._pc.connectionState

    @property
    def peer_connection(self) -> RTCPeerConnection:
        """The aiortc peer connection, for what this class does not wrap (stats, say)."""
        if self._pc is None:
            raise RuntimeError("not joined: use it in an `async with` block")
        return self._pc

    def _prepare(self, pc: RTCPeerConnection) -> None:
        raise NotImplementedError

    def _url(self) -> str:
        raise NotImplementedError

    def _connected(self) -> None:
        """Called once media flows."""

    async def __aenter__(self) -> Self:
        """Join the stage and publish or subscribe; return once media flows.

        Raises:
            StageRefusedError: The stage refused the token or the offer.
            MediaConnectionError: The endpoint or the media connection failed.
        """
        try:
            await self._negotiate(self._url())
        except BaseException:
            await self._leave()
            raise
        self._connected()
        return self

    async def _negotiate(self, url: str) -> None:
        """Offer, post, answer, and wait until the media connection is up."""
        self._http = aiohttp.ClientSession()
        self._pc = pc = RTCPeerConnection(RTCConfiguration(iceServers=self._ice_servers))
        connected = asyncio.get_running_loop().create_future()

        @pc.on("connectionstatechange")
        def _changed() -> None:
            if pc.connectionState in ("connected", "failed", "closed") and not connected.done():
                connected.set_result(pc.connectionState)

        self._prepare(pc)
        # A loopback endpoint (the emulator) is reached on loopback alone.
        with loopback_only(is_loopback_url(url)):
            await pc.setLocalDescription(await pc.createOffer())
        answer = await post_offer(
            self._http, url, self._token, fix_offer(pc.localDescription.sdp), action=self._action
        )
        self._resource_url = answer.resource_url
        await pc.setRemoteDescription(RTCSessionDescription(fix_answer(answer.sdp), "answer"))
        try:
            state = await asyncio.wait_for(connected, self._connect_timeout)
        except TimeoutError:
            raise MediaConnectionError(
                f"{self._action}: no media connection after {self._connect_timeout} s"
            ) from None
        if state != "connected":
            raise MediaConnectionError(f"{self._action}: the media connection {state}")

    async def _leave(self) -> None:
        pc, http, url = self._pc, self._http, self._resource_url
        self._resource_url = None
        try:
            if http is not None and url is not None:
                try:
                    await delete_resource(http, url, self._token)
                except MediaConnectionError as exc:
                    _log.warning("%s: could not end the WHIP session: %s", self._action, exc)
        finally:
            if pc is not None:
                await pc.close()
            if http is not None:
                await http.close()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Leave: end the WHIP session (DELETE) and close the peer connection."""
        await self._leave()

    def __repr__(self) -> str:
        """Show who, where and the state, never the token."""
        return (
            f"<{type(self).__name__} participant={self.participant_id}"
            f" stage={self.stage_arn} state={self.connection_state}>"
        )


class Publication(_Session):
    """A participant publishing to a stage; leaving the ``async with`` block leaves the stage."""

    _action = "publish"

    def __init__(
        self,
        token: ParticipantTokenInput,
        *,
        audio: MediaStreamTrack | None,
        video: MediaStreamTrack | None,
        whip_endpoint: str,
        ice_servers: list[RTCIceServer] | None,
        connect_timeout: float,
    ) -> None:
        """See :func:`publish`."""
        if audio is None and video is None:
            raise ValueError("publish needs an audio track, a video track, or both")
        super().__init__(
            token, Capability.PUBLISH, ice_servers=ice_servers, connect_timeout=connect_timeout
        )
        self._audio = audio
        self._video = ShapedVideoTrack(video) if video is not None else None
        self._whip_endpoint = whip_endpoint
        self._keyframes: asyncio.Task[None] | None = None

    def _prepare(self, pc: RTCPeerConnection) -> None:
        for track in (self._audio, self._video):
            if track is not None:
                prefer_ivs_codecs(pc.addTransceiver(track, direction="sendonly"))

    def _url(self) -> str:
        return self._whip_endpoint

    def _connected(self) -> None:
        video = next((s for s in self.peer_connection.getSenders() if s.kind == "video"), None)
        if video is not None:
            self._keyframes = asyncio.create_task(keep_sending_keyframes(video))

    async def _leave(self) -> None:
        task, self._keyframes = self._keyframes, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await super()._leave()


class Subscription(_Session):
    """A participant receiving another participant's audio and video."""

    _action = "subscribe"

    def __init__(
        self,
        token: ParticipantTokenInput,
        participant_id: str,
        *,
        ice_servers: list[RTCIceServer] | None,
        connect_timeout: float,
    ) -> None:
        """See :func:`subscribe`."""
        super().__init__(
            token, Capability.SUBSCRIBE, ice_servers=ice_servers, connect_timeout=connect_timeout
        )
        self.publisher_id = participant_id
        """The participant whose media this receives."""
        self._tracks: dict[str, MediaStreamTrack] = {}

    @property
    def audio(self) -> MediaStreamTrack | None:
        """The remote audio track, if any: ``await track.recv()`` gives decoded frames.

        When the publisher stops, ``recv()`` raises aiortc's ``MediaStreamError``.
        """
        return self._tracks.get("audio")

    @property
    def video(self) -> MediaStreamTrack | None:
        """The remote video track, if any: ``await track.recv()`` gives decoded frames.

        When the publisher stops, ``recv()`` raises aiortc's ``MediaStreamError``.
        """
        return self._tracks.get("video")

    def _prepare(self, pc: RTCPeerConnection) -> None:
        @pc.on("track")
        def _track(track: MediaStreamTrack) -> None:
            self._tracks[track.kind] = track

        for kind in ("audio", "video"):
            prefer_ivs_codecs(pc.addTransceiver(kind, direction="recvonly"))

    def _url(self) -> str:
        return subscribe_url(self._claims.whip_url, self.publisher_id)


def publish(
    token: ParticipantTokenInput,
    *,
    audio: MediaStreamTrack | None = None,
    video: MediaStreamTrack | None = None,
    whip_endpoint: str = GLOBAL_WHIP_ENDPOINT,
    ice_servers: list[RTCIceServer] | None = None,
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
) -> Publication:
    """Join a stage and publish aiortc tracks: ``async with publish(token, video=v) as pub:``.

    Audio goes out as Opus, video as H.264 Baseline with an IDR frame every
    1.5 s, scaled down to 720p if larger (IVS's media rules).

    Args:
        token: The participant token (``ParticipantToken`` or its string); needs PUBLISH.
        audio: An audio track, or None.
        video: A video track, or None.
        whip_endpoint: Where the offer goes; IVS's global endpoint, which redirects.
            The emulator's is ``LocalIVSRealTime.whip_endpoint``.
        ice_servers: STUN/TURN servers; none by default (IVS's servers need none).
        connect_timeout: Seconds to wait for the media connection.

    Returns:
        The publication, an async context manager: entering joins and
        publishes, leaving ends the WHIP session and leaves the stage.

    Raises:
        InvalidTokenError: The string is not a participant token.
        StageRefusedError: At once, for an expired token or one without PUBLISH.
    """
    return Publication(
        token,
        audio=audio,
        video=video,
        whip_endpoint=whip_endpoint,
        ice_servers=ice_servers,
        connect_timeout=connect_timeout,
    )


def subscribe(
    token: ParticipantTokenInput,
    participant_id: str,
    *,
    ice_servers: list[RTCIceServer] | None = None,
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
) -> Subscription:
    """Receive a publishing participant's media: ``async with subscribe(token, pid) as sub:``.

    The offer goes to ``{whip_url}/subscribe/{participant_id}``, ``whip_url``
    being the token's claim.

    Args:
        token: The participant token (``ParticipantToken`` or its string); needs SUBSCRIBE.
        participant_id: The publishing participant to receive.
        ice_servers: STUN/TURN servers; none by default.
        connect_timeout: Seconds to wait for the media connection.

    Returns:
        The subscription, an async context manager exposing ``audio`` and ``video``.

    Raises:
        InvalidTokenError: The string is not a participant token.
        StageRefusedError: At once, for an expired token or one without SUBSCRIBE.
    """
    return Subscription(
        token, participant_id, ice_servers=ice_servers, connect_timeout=connect_timeout
    )
