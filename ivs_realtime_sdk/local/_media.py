"""The emulator's media plane: WHIP publish and subscribe, and the stage events socket.

Served on the emulator's own port when the ``[media]`` extra is installed:

- ``POST /_emulator/whip``: the global WHIP endpoint. It answers ``307``
  with the stage's own WHIP URL (the token's ``topic`` names the stage), as
  IVS's global endpoint does, so clients exercise the redirect.
- ``POST {whip_url}``: a publish offer (``application/sdp``) with
  ``Authorization: Bearer <token>``. The token is verified as joins are;
  the participant joins and publishes, and the answer comes from a real
  aiortc peer (``201``, ``Location`` = the session's resource).
- ``POST {whip_url}/subscribe/{participantId}``: a subscribe offer; the
  publisher's audio and video are relayed to it as they arrive, never
  decoded nor re-encoded.
- ``DELETE`` of a session's resource, or a connection that closes or
  fails, ends it: a publisher unpublishes, and a participant with no
  session left leaves. A DELETE of a session that already ended (its
  publisher left first) answers 200 for its own participant: teardown races
  are not errors.
- ``GET {events_url}/{stageId}``: the stage events WebSocket, the token as
  subprotocol. It sends ``STAGE_STATE`` on connecting and on every change,
  and answers ``PING`` with ``PONG``.

Where IVS's documentation is silent, the WHIP RFC (9725) decides: 201 with
``Location`` for a session, DELETE of it to end, 401 for a token that does
not verify, 404 for a stage that does not exist, 415 for a body that is not
``application/sdp`` or a charset other than UTF-8, and 400 (``bad_offer``)
for a body that is not UTF-8 or an offer with no audio or video section,
refused before anyone joins. A peer whose ICE never connects within the
consent window (RFC 7675: 30 s; ``Backend.media_consent_window``) is closed,
and its participant unpublishes and leaves; a connected peer that stops
answering consent checks is closed by aioice after the same 30 s.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import itertools
import json
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlsplit

from aiohttp import WSMsgType, web
from aiortc import (
    MediaStreamTrack,
    RTCConfiguration,
    RTCPeerConnection,
    RTCRtpSender,
    RTCSessionDescription,
)
from aiortc import sdp as aiortc_sdp
from aiortc.contrib.media import MediaRelay
from aiortc.rtcrtpparameters import RTCRtpCodecCapability

from ..media._ice import is_loopback_url, loopback_only
from ..media._rules import codec_preferences, prefer_ivs_codecs
from ..media._sdp import strip_candidates
from ._composites import Composites, PublisherMedia
from ._passthrough import pass_through
from ._recordings import Recordings
from .backend import Backend, ParticipantError, new_id, refusal_status

__all__ = ["MediaPlane"]

_log = logging.getLogger("ivs_realtime_sdk.local")
_STAGE = r"/_emulator/stages/(?P<stage>[^/]+)"
_ROUTES = {
    ("POST", "publish"): re.compile(_STAGE + r"/whip"),
    ("POST", "subscribe"): re.compile(_STAGE + r"/whip/subscribe/(?P<publisher>[^/]+)"),
    ("DELETE", "session"): re.compile(_STAGE + r"/whip/sessions/(?P<session>[^/]+)"),
    ("GET", "events"): re.compile(_STAGE + r"/events/(?P<topic>[^/]+)"),
}
_SDP = "application/sdp"
# How many ended sessions a late DELETE still finds (DELETE is idempotent: see _session).
_ENDED_KEPT = 1024
# How often the watcher looks for changes made outside the media plane (API calls, tests).
_WATCH_SECONDS = 0.2


@dataclass(eq=False)
class _MediaSession:
    """One WHIP session: a peer connection of one participant, publishing or subscribing."""

    session_id: str
    kind: Literal["publish", "subscribe"]
    stage_arn: str
    participant_id: str
    # None for an RTMP(S) push, whose tracks come from the ingest listener.
    pc: RTCPeerConnection | None
    publisher_id: str | None = None
    tracks: dict[str, MediaStreamTrack] = field(default_factory=dict[str, MediaStreamTrack])
    codecs: dict[str, RTCRtpCodecCapability] = field(
        default_factory=dict[str, RTCRtpCodecCapability]
    )
    # Ends the session if its peer does not connect within the consent window.
    watchdog: asyncio.Task[None] | None = None


def _text(status: int, message: str, headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(status=status, text=message, headers=headers)


def _refusal(error: ParticipantError) -> web.Response:
    return _text(refusal_status(error), f"{error.reason}: {error}")


def _bearer(request: web.BaseRequest) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def _offered_kinds(offer: str) -> list[str]:
    """The kinds of an offer's audio and video sections, in order (none if it does not parse)."""
    try:
        media = aiortc_sdp.SessionDescription.parse(offer).media
    except (ValueError, KeyError, IndexError):
        return []
    # Each section gets its own transceiver, matched in order; the answer needs one per section.
    return [m.kind for m in media if m.kind in ("audio", "video")]


def _chosen_codecs(answer: str) -> dict[str, RTCRtpCodecCapability]:
    """The codec each media section of our answer settled on (its first), as a capability."""
    chosen: dict[str, RTCRtpCodecCapability] = {}
    for media in aiortc_sdp.SessionDescription.parse(answer).media:
        if media.kind not in ("audio", "video") or not media.rtp.codecs:
            continue
        codec = next((c for c in media.rtp.codecs if c.name.lower() != "rtx"), None)
        if codec is None:
            continue
        for capability in RTCRtpSender.getCapabilities(media.kind).codecs:
            if (
                capability.mimeType.lower() == codec.mimeType.lower()
                and capability.parameters == codec.parameters
            ):
                chosen[media.kind] = capability
                break
    return chosen


class MediaPlane:
    """The WHIP and stage-events endpoints of one emulator."""

    def __init__(self, backend: Backend) -> None:
        """Serve the media of ``backend``'s stages (from its ``base_url``, once bound)."""
        self._backend = backend
        # An emulator on loopback gathers ICE candidates on loopback only.
        self._loopback = is_loopback_url(backend.base_url)
        self._global_path = urlsplit(backend.global_whip_url).path
        self._relay = MediaRelay()
        self._recordings = Recordings(backend, self._relay)
        self._composites = Composites(backend, self._relay)
        self._recorded_replicas: set[tuple[str, str]] = set()
        self._sessions: dict[str, _MediaSession] = {}
        self._sockets: dict[str, set[web.WebSocketResponse]] = {}
        self._sent: dict[web.WebSocketResponse, Any] = {}
        self._changed = asyncio.Event()
        self._watcher: asyncio.Task[None] | None = None
        self._ids = itertools.count(1)
        # Sessions ended lately (their participant left, or their publisher did), by id:
        # a client's DELETE that crosses the end is answered as done, not 404.
        self._ended: collections.OrderedDict[str, str] = collections.OrderedDict()

    # -- routing ----------------------------------------------------------------------

    async def handle(self, request: web.BaseRequest) -> web.StreamResponse | None:
        """Answer a media-plane request, or return None if the path is not one."""
        if request.method == "POST" and request.path == self._global_path:
            self._ensure_watcher()
            try:
                return await self._global(request)
            except ParticipantError as error:
                return _refusal(error)
        for (method, name), pattern in _ROUTES.items():
            match = pattern.fullmatch(request.path)
            if match is None or request.method != method:
                continue
            self._ensure_watcher()
            handler: Callable[..., Awaitable[web.StreamResponse]] = getattr(self, f"_{name}")
            try:
                return await handler(request, **match.groupdict())
            except ParticipantError as error:
                return _refusal(error)
        return None

    def _ensure_watcher(self) -> None:
        if self._watcher is None:
            self._watcher = asyncio.create_task(self._watch())

    # -- WHIP -------------------------------------------------------------------------

    async def _global(self, request: web.BaseRequest) -> web.StreamResponse:
        token = _bearer(request)
        if token is None:
            return _text(401, "missing bearer token")
        return _text(307, "", {"Location": self._backend.whip_url_of_token(token)})

    async def _offer(self, request: web.BaseRequest) -> tuple[str, str] | web.Response:
        token = _bearer(request)
        if token is None:
            return _text(401, "missing bearer token")
        if request.content_type != _SDP:
            return _text(415, f"the offer must be {_SDP}")
        charset = request.charset
        if charset is not None and charset.lower().replace("-", "") != "utf8":
            return _text(415, f"the offer must be {_SDP} in UTF-8")
        try:
            sdp = (await request.read()).decode("utf-8")
        except UnicodeDecodeError:
            return _text(400, "bad_offer: the body is not UTF-8")
        if not _offered_kinds(sdp):
            return _text(400, "bad_offer: the offer has no audio or video section")
        return token, sdp

    async def _publish(self, request: web.BaseRequest, stage: str) -> web.StreamResponse:
        offer = await self._offer(request)
        if isinstance(offer, web.Response):
            return offer
        token, sdp = offer
        participant = self._backend.join_media(stage, token, publish=True)
        session = _MediaSession(
            session_id=new_id(16),
            kind="publish",
            stage_arn=participant.stage_arn,
            participant_id=participant.participant_id,
            pc=self._peer(),
        )
        return await self._answer(request, session, sdp, stage)

    async def _subscribe(
        self, request: web.BaseRequest, stage: str, publisher: str
    ) -> web.StreamResponse:
        offer = await self._offer(request)
        if isinstance(offer, web.Response):
            return offer
        token, sdp = offer
        participant = self._backend.join_media(stage, token, subscribe_to=publisher)
        # A replica publishes its source's media: the source's session feeds it.
        source_stage, source_id = self._backend.media_source(participant.stage_arn, publisher)
        source = self._publishing(source_stage, source_id)
        pc = self._peer()
        session = _MediaSession(
            session_id=new_id(16),
            kind="subscribe",
            stage_arn=participant.stage_arn,
            participant_id=participant.participant_id,
            pc=pc,
            publisher_id=publisher,
        )
        tracks = source.tracks if source else {}
        for kind in _offered_kinds(sdp):
            track = tracks.get(kind)
            if track is None:
                continue
            transceiver = pc.addTransceiver(
                self._relay.subscribe(track, buffered=True), direction="sendonly"
            )
            # The subscriber gets the publisher's codec: packets are forwarded as they are.
            # An RTMP(S) push has none: its Baseline H.264 is relayed as pushed, other
            # profiles and AAC are decoded and aiortc encodes them to IVS's codecs.
            chosen = source.codecs.get(kind) if source else None
            transceiver.setCodecPreferences([chosen] if chosen else codec_preferences(kind))
        return await self._answer(request, session, sdp, stage)

    def _peer(self) -> RTCPeerConnection:
        return RTCPeerConnection(RTCConfiguration(iceServers=[]))

    async def _answer(
        self, request: web.BaseRequest, session: _MediaSession, offer: str, stage: str
    ) -> web.StreamResponse:
        pc = session.pc
        assert pc is not None
        self._sessions[session.session_id] = session

        @pc.on("connectionstatechange")
        async def _changed() -> None:
            if pc.connectionState in ("failed", "closed"):
                await self._end(session)

        # Candidates the emulator could not reach (it listens on loopback) are dropped:
        # resolving a browser's mDNS names would mean multicast beyond loopback.
        usable = strip_candidates(offer, frozenset({"127.0.0.1"})) if self._loopback else offer
        try:
            if session.kind == "publish":
                # One receiving transceiver per offered section, in order, held to IVS's codecs.
                for kind in _offered_kinds(usable):
                    prefer_ivs_codecs(pc.addTransceiver(kind, direction="recvonly"))

                @pc.on("track")
                def _track(track: MediaStreamTrack) -> None:
                    pass_through(track)
                    session.tracks[track.kind] = track

            with loopback_only(self._loopback):
                await pc.setRemoteDescription(RTCSessionDescription(usable, "offer"))
                await pc.setLocalDescription(await pc.createAnswer())
        except Exception as exc:  # aiortc raises ValueError and its own errors for bad SDP
            await self._end(session)
            return _text(400, f"bad_offer: {exc}")
        answer = pc.localDescription.sdp
        session.codecs = _chosen_codecs(answer)
        if session.kind == "publish":
            self._recordings.publish_started(
                session.stage_arn, session.participant_id, pc, list(session.tracks.values())
            )
        self._changed.set()
        session.watchdog = asyncio.create_task(self._connect_or_end(session))
        location = f"/_emulator/stages/{stage}/whip/sessions/{session.session_id}"
        return web.Response(
            status=201, text=answer, content_type=_SDP, headers={"Location": location}
        )

    async def _connect_or_end(self, session: _MediaSession) -> None:
        """End a session whose peer has not connected within the consent window."""
        await asyncio.sleep(self._backend.media_consent_window)
        if session.pc is not None and session.pc.connectionState != "connected":
            _log.debug("WHIP peer of %s never connected", session.participant_id)
            await self._end(session)

    def peer_count(self) -> int:
        """The peer connections open now."""
        return len(self._sessions)

    async def _session(self, request: web.BaseRequest, stage: str, session: str) -> web.Response:
        found = self._sessions.get(session)
        token = _bearer(request)
        owner = found.participant_id if found is not None else self._ended.get(session)
        if owner is None:
            return _text(404, "no such session")
        if self._backend.token_holder(stage, token or "") != owner:
            return _text(403, "the session belongs to another participant")
        if found is not None:
            await self._end(found)
        return _text(200, "")

    async def _end(self, session: _MediaSession) -> None:
        """End a session: unpublish or unsubscribe; leave if it was the participant's last."""
        if self._sessions.pop(session.session_id, None) is None:
            return
        self._ended[session.session_id] = session.participant_id
        while len(self._ended) > _ENDED_KEPT:
            self._ended.popitem(last=False)
        watchdog = session.watchdog
        if watchdog is not None and watchdog is not asyncio.current_task():
            watchdog.cancel()
        self._backend.media_session_ended(
            session.stage_arn,
            session.participant_id,
            published=session.kind == "publish",
            publisher_id=session.publisher_id,
            leave=not any(self._same_participant(s, session) for s in self._sessions.values()),
        )
        followers = [
            s
            for s in self._sessions.values()
            if session.kind == "publish"
            and s.kind == "subscribe"
            and s.stage_arn == session.stage_arn
            and s.publisher_id == session.participant_id
        ]
        if session.pc is not None:
            await session.pc.close()
        if session.kind == "publish":
            await self._recordings.publish_ended(session.stage_arn, session.participant_id)
        for follower in followers:
            await self._end(follower)
        self._changed.set()

    @staticmethod
    def _same_participant(a: _MediaSession, b: _MediaSession) -> bool:
        return a.stage_arn == b.stage_arn and a.participant_id == b.participant_id

    # -- RTMP(S) pushes ------------------------------------------------------------------

    def add_push(
        self, stage_arn: str, participant_id: str, tracks: dict[str, MediaStreamTrack]
    ) -> None:
        """Offer an RTMP(S) push's tracks to subscribers, as a WHIP publisher's.

        The session ends when its participant leaves (the watcher sees it), like any other.
        aiortc packs relayed H.264 packets as they are and encodes decoded frames for each
        subscriber (Baseline H.264, Opus). A recording stage records it like a WHIP publisher.
        """
        session = _MediaSession(
            session_id=new_id(16),
            kind="publish",
            stage_arn=stage_arn,
            participant_id=participant_id,
            pc=None,
            tracks=dict(tracks),
        )
        self._sessions[session.session_id] = session
        self._recordings.publish_started(stage_arn, participant_id, None, list(tracks.values()))
        self._ensure_watcher()
        self._changed.set()

    def participants_changed(self) -> None:
        """Wake the watcher now (a push ended), rather than at its next look."""
        self._changed.set()

    # -- stage events -------------------------------------------------------------------

    async def _events(self, request: web.BaseRequest, stage: str, topic: str) -> web.StreamResponse:
        offered = [p.strip() for p in request.headers.get("Sec-WebSocket-Protocol", "").split(",")]
        token = next((p for p in offered if p), None)
        if token is None:
            return _text(401, "missing token subprotocol")
        self._backend.token_holder(stage, token)
        if topic != stage:
            return _text(404, "topic is not this stage")
        socket = web.WebSocketResponse(protocols=(token,))
        await socket.prepare(request)  # a BaseRequest serves
        self._sockets.setdefault(stage, set()).add(socket)
        self._changed.set()
        try:
            async for message in socket:
                if message.type != WSMsgType.TEXT:
                    continue
                with contextlib.suppress(ValueError):
                    body: Any = json.loads(message.data)
                    if isinstance(body, dict) and body.get("type") == "PING":
                        await socket.send_str('{"type":"PONG"}')
        finally:
            self._sockets.get(stage, set()).discard(socket)
            self._sent.pop(socket, None)
        return socket

    def _stage_state(self, stage_id: str) -> dict[str, Any]:
        participants = [
            {
                "id": p.participant_id,
                "userId": p.user_id,
                "attributes": p.attributes,
                "isPublishing": p.publishing,
            }
            for p in self._backend.presence(stage_id)
        ]
        return {
            "type": "STAGE_STATE",
            "payload": {"stageId": stage_id, "participants": participants},
        }

    async def _watch(self) -> None:
        """Push STAGE_STATE on change; end sessions whose participant left by other means."""
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), _WATCH_SECONDS)
            self._changed.clear()
            for session in list(self._sessions.values()):
                if not self._backend.is_connected(session.stage_arn, session.participant_id):
                    await self._end(session)
                elif (
                    session.kind == "subscribe"
                    and session.publisher_id is not None
                    and not self._backend.is_subscribed(
                        session.stage_arn, session.participant_id, session.publisher_id
                    )
                ):
                    # Its publisher stopped by other means (a replica whose replication ended).
                    await self._end(session)
            await self._record_replicas()
            try:
                await self._composites.sync(self._media_of)
            except Exception:  # the watcher must live on: sessions and sockets depend on it
                _log.exception("compositions could not follow the stages")
            for stage_id, sockets in list(self._sockets.items()):
                state = self._stage_state(stage_id)
                for socket in list(sockets):
                    if self._sent.get(socket) != state and not socket.closed:
                        self._sent[socket] = state
                        with contextlib.suppress(ConnectionError):
                            await socket.send_str(json.dumps(state, separators=(",", ":")))

    def _publishing(self, stage_arn: str, participant_id: str) -> _MediaSession | None:
        """The participant's publish session in the stage (a WHIP peer or a push), if any."""
        for session in self._sessions.values():
            if (
                session.kind == "publish"
                and session.stage_arn == stage_arn
                and session.participant_id == participant_id
            ):
                return session
        return None

    def _media_of(self, stage_arn: str, participant_id: str) -> PublisherMedia | None:
        """A publisher's peer (None for a push) and tracks, if the media plane has them."""
        session = self._publishing(stage_arn, participant_id)
        return (session.pc, dict(session.tracks)) if session is not None else None

    async def _record_replicas(self) -> None:
        """Record each publishing replica (from its source's media) whose stage records it."""
        now: set[tuple[str, str]] = set()
        for stage_arn, participant_id, source_stage_arn in self._backend.publishing_replicas():
            now.add((stage_arn, participant_id))
            if (stage_arn, participant_id) in self._recorded_replicas:
                continue
            source = self._publishing(source_stage_arn, participant_id)
            if source is not None:
                self._recorded_replicas.add((stage_arn, participant_id))
                self._recordings.publish_started(
                    stage_arn, participant_id, source.pc, list(source.tracks.values())
                )
        for gone in self._recorded_replicas - now:
            self._recorded_replicas.discard(gone)
            await self._recordings.publish_ended(*gone)

    async def aclose(self) -> None:
        """Close every peer connection and socket (the emulator is stopping)."""
        watcher, self._watcher = self._watcher, None
        if watcher is not None:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher
        # Composites first, while their publishers' media still flows: then every file is complete.
        await self._composites.aclose()
        for session in list(self._sessions.values()):
            await self._end(session)
        await self._recordings.aclose()
        for sockets in list(self._sockets.values()):
            for socket in list(sockets):
                await socket.close()
