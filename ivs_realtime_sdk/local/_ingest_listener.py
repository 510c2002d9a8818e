"""The emulator's RTMP(S) ingest: OBS and ffmpeg push into stages with a configuration's key.

The protocol is ``_rtmp`` (a pure-asyncio server; see the emulator guide for why
not ffmpeg's listen mode nor a PyPI server). This module wires it to the one
backend and the media plane, with the ``[media]`` extra:

- ``publish`` asks :meth:`Backend.authorize_push` before anything is
  acknowledged: the stream key selects the ingest configuration and path.
- Once the media passed IVS's rules, :meth:`Backend.start_push` makes the push
  the configuration's participant (the path ``connect_ingest`` takes: JOINED,
  PUBLISH_STARTED, protocol RTMP/RTMPS, configuration ACTIVE) and the media
  plane offers its decoded tracks to WebRTC subscribers.
- The push's end releases the path (:meth:`Backend.end_push`); a participant
  disconnected by the API, or a deleted configuration, closes the connection
  (a watcher asks :meth:`Backend.push_wanted`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._rtmp import (
    EndReason,
    IngestAccept,
    IngestProtocol,
    IngestRefusal,
    IngestRequest,
    IngestTracks,
    RtmpIngestServer,
    StreamInfo,
    TlsFiles,
)
from .backend import Backend, IngestPush, JoinRefusedError

__all__ = ["IngestListener"]

_log = logging.getLogger("ivs_realtime_sdk.local.rtmp")
# How often the watcher looks for pushes ended by the API (DisconnectParticipant, deletes).
_WATCH_SECONDS = 0.2
# IVS's ingest path: rtmp(s)://HOST/app/STREAM-KEY.
_APP = "app"


@dataclass(frozen=True)
class _Live:
    push: IngestPush
    connection_id: int
    sink: _PushSink


class _PushSink(IngestTracks):
    """One accepted push: decoded tracks for the media plane, and the backend's lifecycle."""

    def __init__(self, listener: IngestListener, push: IngestPush, request: IngestRequest) -> None:
        super().__init__(pass_through_h264=listener.pass_through_h264)
        self._listener = listener
        self.push = push
        self.connection_id = request.connection_id
        self.protocol = str(request.protocol)
        self.started = False

    def on_start(self, info: StreamInfo) -> None:
        super().on_start(info)
        self.started = self._listener.started(self)

    def on_end(self, reason: EndReason, detail: str) -> None:
        super().on_end(reason, detail)
        self._listener.ended(self)


class IngestListener:
    """The RTMP and RTMPS listeners of one emulator, bound to its backend and media plane."""

    pass_through_h264 = True
    """Relay Baseline H.264 to subscribers as pushed (False: decode and re-encode, to compare)."""

    def __init__(
        self,
        backend: Backend,
        media: Any,
        *,
        host: str,
        rtmp_port: int,
        rtmps_port: int | None,
        tls: TlsFiles | None,
    ) -> None:
        """Configure (not start); ports 0 pick free ones, ``rtmps_port`` None serves no RTMPS."""
        self._backend = backend
        self._media = media
        self._live: dict[int, _Live] = {}
        self._watcher: asyncio.Task[None] | None = None
        self.server = RtmpIngestServer(
            self._authorize, host=host, rtmp_port=rtmp_port, rtmps_port=rtmps_port, tls=tls
        )

    @property
    def urls(self) -> dict[str, str]:
        """The stage endpoints these listeners serve: ``{"rtmp": ..., "rtmps": ...}``."""
        urls = {"rtmp": self.server.endpoint(IngestProtocol.RTMP)}
        if self.server.rtmps_port is not None:
            urls["rtmps"] = self.server.endpoint(IngestProtocol.RTMPS)
        return urls

    @property
    def certificate(self) -> Path | None:
        """The RTMPS certificate encoders trust (generated, or the one given)."""
        files = self.server.tls_files
        return files.cert_path if files is not None else None

    async def start(self) -> None:
        """Listen; the ports are known when it returns."""
        await self.server.start()
        self._watcher = asyncio.create_task(self._watch())

    async def stop(self) -> None:
        """Close every push (each ends as SERVER_STOPPED) and the listeners."""
        watcher, self._watcher = self._watcher, None
        if watcher is not None:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher
        await self.server.stop()

    # -- the server's callbacks ---------------------------------------------------------

    def _authorize(self, request: IngestRequest) -> IngestAccept | IngestRefusal:
        if request.app != _APP:
            return IngestRefusal(f"application is not {_APP!r}")
        try:
            push = self._backend.authorize_push(request.stream_key.value, str(request.protocol))
        except JoinRefusedError as error:
            # The backend's messages never name the key.
            return IngestRefusal(f"{error.reason}: {error}")
        sink = _PushSink(self, push, request)
        self._live[request.connection_id] = _Live(push, request.connection_id, sink)
        # B-frames: IVS's model has no field for them, so the emulator refuses them (the
        # documented encoder setting for stages is "B-frames: 0").
        return IngestAccept(sink=sink, allow_b_frames=False)

    def started(self, sink: _PushSink) -> bool:
        """The media passed the rules: the participant joins, its tracks reach subscribers."""
        try:
            self._backend.start_push(
                sink.push, sink.protocol, media_recorded=self._media is not None
            )
        except JoinRefusedError as error:
            _log.warning("rtmp ingest connection %d ended: %s", sink.connection_id, error.reason)
            self._close_soon(sink.connection_id)
            return False
        if self._media is not None:
            self._media.add_push(
                sink.push.stage_arn,
                sink.push.participant_id,
                {"video": sink.video, "audio": sink.audio},
            )
        return True

    def ended(self, sink: _PushSink) -> None:
        """The push ended, whatever the cause: release its path; the participant leaves."""
        self._live.pop(sink.connection_id, None)
        self._backend.end_push(sink.push)
        if self._media is not None:
            self._media.participants_changed()

    def _close_soon(self, connection_id: int) -> None:
        task = asyncio.get_running_loop().create_task(self.server.disconnect(connection_id))
        task.add_done_callback(lambda t: t.cancelled() or t.exception())

    async def _watch(self) -> None:
        """Close pushes that the API ended (DisconnectParticipant, deletes, reset)."""
        while True:
            await asyncio.sleep(_WATCH_SECONDS)
            for live in list(self._live.values()):
                if not self._backend.push_wanted(live.push, started=live.sink.started):
                    self._live.pop(live.connection_id, None)
                    await self.server.disconnect(live.connection_id)
