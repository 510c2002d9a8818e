"""One encoder connection: handshake, commands, authorisation, media.

Every way a connection can go wrong ends in this module's `run()`: known
protocol errors close the connection with one log line; anything else is
logged by type only (never with payload bytes, which may hold the key) and
counted, so tests can assert no handler ever failed unexpectedly.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from . import _amf0 as amf
from . import _chunks as ch  # pyright: ignore[reportPrivateUsage]
from ._flv import (
    AacConfig,
    AudioConfigEvent,
    AudioFrameEvent,
    FlvError,
    Unsupported,
    VideoConfigEvent,
    VideoFrameEvent,
    parse_audio,
    parse_video,
)
from ._h264 import AvcConfig, H264Error
from ._policy import (
    BitrateMeter,
    MediaRules,
    check_cts,
    check_metadata_bitrate,
    check_resolution,
    check_sps,
)
from ._types import (
    AudioAccessUnit,
    Authorize,
    EndReason,
    IngestAccept,
    IngestProtocol,
    IngestRefusal,
    IngestRequest,
    StreamInfo,
    StreamKey,
    VideoAccessUnit,
)

log = logging.getLogger("ivs_realtime_sdk.local.rtmp")
_T = TypeVar("_T")

_HANDSHAKE_SIZE = 1536
_OUT_CHUNK_SIZE = 4096
_WINDOW = 2_500_000
_STREAM_ID = 1
_CSID_CONTROL = 2
_CSID_COMMAND = 3
_CSID_STATUS = 5
_MAX_KEY_LENGTH = 1024


@dataclass(frozen=True, slots=True)
class ConnectionSettings:
    """Timeouts and limits shared by every connection of a server."""

    idle_timeout: float = 5.0
    """No byte for this long while publishing means the TCP link is gone."""
    setup_timeout: float = 10.0
    """Handshake, connect and publish must each progress within this."""
    authorize_timeout: float = 5.0
    drain_after_end: float = 2.0
    """After deleteStream, wait this long for the encoder to close."""
    limits: ch.Limits = field(default_factory=ch.Limits)


class _Close(Exception):
    """Leave the read loop; `reason` is None when nothing was accepted."""

    def __init__(self, reason: EndReason, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


class _Refuse(Exception):
    """A refusal before acceptance: log one line and close."""


class Connection:
    """State of one connection; the server owns the task that runs it."""

    def __init__(
        self,
        connection_id: int,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        protocol: IngestProtocol,
        authorize: Authorize,
        settings: ConnectionSettings,
        stats: dict[str, int],
    ) -> None:
        self.connection_id = connection_id
        self.protocol = protocol
        self._reader = reader
        self._writer = writer
        self._authorize = authorize
        self._settings = settings
        self._stats = stats
        peer = writer.get_extra_info("peername")
        self.peer = f"{peer[0]}:{peer[1]}" if isinstance(peer, tuple) else "?"
        self._chunks = ch.ChunkReader(settings.limits)
        self._out = ch.ChunkWriter()
        self._app = ""
        self._peer_window = 0
        self._acked = 0
        self._stream_created = False
        self._accept: IngestAccept | None = None
        self._rules = MediaRules()
        self._meter: BitrateMeter | None = None
        self._avc: AvcConfig | None = None
        self._aac: AacConfig | None = None
        self._metadata_kbps: float | None = None
        self._metadata_has_video = True
        self._started = False
        self._ended = False
        self.stop_reason: EndReason | None = None
        """Set by `request_stop` (disconnect/stop); wins over what the read saw."""

    @property
    def publishing(self) -> bool:
        """True once authorised and until the end is reported."""
        return self._accept is not None and not self._ended

    # -- lifecycle -------------------------------------------------------

    async def run(self) -> None:
        """Serve the connection until it ends; never raises (but cancellation)."""
        reason, detail = EndReason.PROTOCOL_ERROR, ""
        try:
            await self._handshake()
            await self._read_loop()
            reason, detail = EndReason.CONNECTION_CLOSED, ""
        except _Close as exc:
            reason, detail = exc.reason, exc.detail
        except _Refuse as exc:
            self._log_refusal(str(exc))
        except (ch.ChunkError, amf.AmfError, FlvError, H264Error) as exc:
            reason, detail = EndReason.PROTOCOL_ERROR, str(exc)
            log.info("rtmp ingest: connection %d closed: %s", self.connection_id, detail)
        except TimeoutError:  # before OSError: TimeoutError is one
            reason, detail = EndReason.TIMEOUT, "no data from the encoder"
        except (ConnectionError, asyncio.IncompleteReadError, OSError):
            reason, detail = EndReason.CONNECTION_CLOSED, ""
        except asyncio.CancelledError:
            self._finish(self.stop_reason or EndReason.SERVER_STOPPED, "")
            raise
        except Exception as exc:
            # The one place a bug may land: count it, log its type only
            # (a message could quote payload bytes, and so the key).
            self._stats["handler_errors"] = self._stats.get("handler_errors", 0) + 1
            reason, detail = EndReason.PROTOCOL_ERROR, type(exc).__name__
            log.error(
                "rtmp ingest: connection %d failed unexpectedly (%s)",
                self.connection_id,
                type(exc).__name__,
            )
        if self.stop_reason is not None:
            reason, detail = self.stop_reason, ""
        self._finish(reason, detail)

    def request_stop(self, reason: EndReason) -> None:
        """End from outside (DisconnectParticipant, server stop).

        Aborting the transport rather than cancelling the task: Python 3.11's
        `wait_for` can swallow a cancellation that races with arriving data,
        while a dead transport always ends the read loop.
        """
        if self.stop_reason is None:
            self.stop_reason = reason
        self._writer.transport.abort()

    def _finish(self, reason: EndReason, detail: str) -> None:
        self._end(reason, detail)
        transport = self._writer.transport
        if self.stop_reason is not None or transport.is_closing():
            transport.abort()
            return
        # close() flushes what we queued (a refusal's onStatus) before the
        # FIN; the abort bounds it for a peer that stopped reading.
        transport.close()
        asyncio.get_running_loop().call_later(2.0, transport.abort)

    def _end(self, reason: EndReason, detail: str) -> None:
        if self._accept is None or self._ended:
            return
        self._ended = True
        log.info(
            "rtmp ingest: connection %d ended: %s%s",
            self.connection_id,
            reason.value,
            f" ({detail})" if detail else "",
        )
        try:
            self._accept.sink.on_end(reason, detail)
        except Exception as exc:
            self._stats["sink_errors"] = self._stats.get("sink_errors", 0) + 1
            log.error("rtmp ingest: sink on_end failed (%s)", type(exc).__name__)

    def _log_refusal(self, reason: str) -> None:
        self._stats["refused"] = self._stats.get("refused", 0) + 1
        log.warning(
            "rtmp ingest refused connection %d from %s (%s): %s",
            self.connection_id,
            self.peer,
            self.protocol.value,
            reason,
        )

    # -- I/O -------------------------------------------------------------

    async def _read(self, n: int) -> bytes:
        timeout = self._settings.idle_timeout if self._accept else self._settings.setup_timeout
        return await asyncio.wait_for(self._reader.readexactly(n), timeout)

    async def _send(self, data: bytes) -> None:
        self._writer.write(data)
        await asyncio.wait_for(self._writer.drain(), self._settings.setup_timeout)

    async def _handshake(self) -> None:
        c0c1 = await self._read(1 + _HANDSHAKE_SIZE)
        if c0c1[0] != 3:
            raise ch.ChunkError("unsupported RTMP version")
        c1 = c0c1[1:]
        now = int(time.monotonic() * 1000) & 0xFFFFFFFF
        s1 = now.to_bytes(4, "big") + b"\x00" * 4 + os.urandom(_HANDSHAKE_SIZE - 8)
        s2 = c1[:4] + now.to_bytes(4, "big") + c1[8:]
        await self._send(b"\x03" + s1 + s2)
        await self._read(_HANDSHAKE_SIZE)  # C2: echo of S1, nothing to learn

    async def _read_loop(self) -> None:
        while True:
            timeout = self._settings.idle_timeout if self._accept else self._settings.setup_timeout
            if self._ended:
                timeout = self._settings.drain_after_end
            try:
                data = await asyncio.wait_for(self._reader.read(65536), timeout)
            except TimeoutError:
                if self._ended:
                    return
                raise
            if not data or self.stop_reason is not None:
                return
            if self._ended:
                continue  # after deleteStream only the close matters
            for msg in self._chunks.feed(data):
                await self._handle(msg)
            await self._maybe_ack()

    async def _maybe_ack(self) -> None:
        received = self._chunks.bytes_received
        if self._peer_window and received - self._acked >= self._peer_window:
            self._acked = received
            await self._send_control(ch.ACKNOWLEDGEMENT, (received & 0xFFFFFFFF).to_bytes(4, "big"))

    async def _send_control(self, type_id: int, payload: bytes) -> None:
        await self._send(self._out.encode(_CSID_CONTROL, ch.Message(type_id, 0, 0, payload)))

    async def _send_command(self, stream_id: int, *values: amf.AmfValue) -> None:
        csid = _CSID_STATUS if stream_id else _CSID_COMMAND
        msg = ch.Message(ch.COMMAND_AMF0, stream_id, 0, amf.encode_all(*values))
        await self._send(self._out.encode(csid, msg))

    # -- messages --------------------------------------------------------

    async def _handle(self, msg: ch.Message) -> None:
        t = msg.type_id
        if t == ch.WINDOW_ACK_SIZE and len(msg.payload) >= 4:
            self._peer_window = int.from_bytes(msg.payload[:4], "big")
        elif t in (ch.COMMAND_AMF0, ch.COMMAND_AMF3):
            body = (
                msg.payload[1:]
                if t == ch.COMMAND_AMF3 and msg.payload[:1] == b"\x00"
                else msg.payload
            )
            await self._command(msg.stream_id, amf.decode_all(body))
        elif t in (ch.DATA_AMF0, ch.DATA_AMF3):
            body = (
                msg.payload[1:] if t == ch.DATA_AMF3 and msg.payload[:1] == b"\x00" else msg.payload
            )
            self._data(amf.decode_all(body))
        elif t in (ch.VIDEO, ch.AUDIO) and self.publishing:
            self._media(msg)

    async def _command(self, stream_id: int, values: list[amf.AmfValue]) -> None:
        if not values or not isinstance(values[0], str):
            return
        name = values[0]
        tx = values[1] if len(values) > 1 and isinstance(values[1], float) else 0.0
        args = values[3:]
        if name == "connect":
            obj = values[2] if len(values) > 2 and isinstance(values[2], dict) else {}
            app = obj.get("app")
            self._app = app if isinstance(app, str) else ""
            await self._send_control(ch.WINDOW_ACK_SIZE, _WINDOW.to_bytes(4, "big"))
            await self._send_control(ch.SET_PEER_BANDWIDTH, _WINDOW.to_bytes(4, "big") + b"\x02")
            await self._send_control(ch.SET_CHUNK_SIZE, _OUT_CHUNK_SIZE.to_bytes(4, "big"))
            self._out.chunk_size = _OUT_CHUNK_SIZE
            await self._send_command(
                0,
                "_result",
                tx,
                {"fmsVer": "FMS/3,0,1,123", "capabilities": 31.0},
                {
                    "level": "status",
                    "code": "NetConnection.Connect.Success",
                    "description": "Connection succeeded.",
                    "objectEncoding": 0.0,
                },
            )
        elif name == "createStream":
            self._stream_created = True
            await self._send_command(0, "_result", tx, None, float(_STREAM_ID))
        elif name in ("releaseStream", "FCPublish"):
            if tx:
                await self._send_command(0, "_result", tx, None, amf.UNDEFINED)
        elif name == "publish":
            await self._publish(stream_id, args)
        elif name in ("FCUnpublish", "deleteStream", "closeStream") and self._accept:
            self._end(EndReason.ENCODER_ENDED, "")
        # Anything else (_checkbw, getStreamLength, play...) needs no reply.

    async def _publish(self, stream_id: int, args: list[amf.AmfValue]) -> None:
        if self._accept is not None:
            raise _Close(EndReason.PROTOCOL_ERROR, "publish twice on one connection")
        name = args[0] if args and isinstance(args[0], str) else ""
        # OBS and ffmpeg may append "?query" options; IVS keys never contain "?".
        key = name.split("?", 1)[0]
        if not key or len(key) > _MAX_KEY_LENGTH:
            raise _Refuse("missing or oversized stream key")
        request = IngestRequest(
            connection_id=self.connection_id,
            stream_key=StreamKey(key),
            protocol=self.protocol,
            app=self._app,
            peer=self.peer,
        )
        try:
            result = self._authorize(request)
            if inspect.isawaitable(result):
                result = await asyncio.wait_for(result, self._settings.authorize_timeout)
        except TimeoutError:
            raise _Refuse("authorization timed out") from None
        except Exception as exc:
            self._stats["authorize_errors"] = self._stats.get("authorize_errors", 0) + 1
            raise _Refuse(f"authorization failed ({type(exc).__name__})") from None
        if isinstance(result, IngestRefusal):
            # A status first lets OBS show a reason; then the close IVS gives.
            await self._send_command(
                stream_id,
                "onStatus",
                0.0,
                None,
                {"level": "error", "code": "NetStream.Publish.BadName", "description": "Refused."},
            )
            raise _Refuse(result.reason)
        # A buggy authorize may return anything at run time.
        if not isinstance(result, IngestAccept):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise _Refuse("authorization returned no decision")
        self._accept = result
        self._rules = MediaRules(allow_b_frames=result.allow_b_frames)
        self._meter = BitrateMeter(self._rules, time.monotonic())
        log.info(
            "rtmp ingest: connection %d from %s publishing (%s)",
            self.connection_id,
            self.peer,
            self.protocol.value,
        )
        # User control Stream Begin, then the status encoders wait for.
        await self._send_control(ch.USER_CONTROL, b"\x00\x00" + stream_id.to_bytes(4, "big"))
        await self._send_command(
            stream_id,
            "onStatus",
            0.0,
            None,
            {"level": "status", "code": "NetStream.Publish.Start", "description": "Publishing."},
        )

    def _data(self, values: list[amf.AmfValue]) -> None:
        if values and values[0] == "@setDataFrame":
            values = values[1:]
        if len(values) < 2 or values[0] != "onMetaData" or not isinstance(values[1], dict):
            return
        meta = values[1]
        self._metadata_has_video = "videocodecid" in meta or "width" in meta
        width, height = meta.get("width"), meta.get("height")
        if isinstance(width, float) and isinstance(height, float) and width > 0 and height > 0:
            self._refuse_if(check_resolution(self._rules, width, height))
        rates = [meta.get("videodatarate"), meta.get("audiodatarate")]
        kbps = sum(r for r in rates if isinstance(r, float) and r > 0)
        if kbps > 0:
            self._metadata_kbps = kbps
            self._refuse_if(check_metadata_bitrate(self._rules, kbps))

    def _refuse_if(self, reason: str | None) -> None:
        if reason is None:
            return
        if self.publishing:
            self._log_refusal(reason)
            raise _Close(EndReason.MEDIA_REFUSED, reason)
        raise _Refuse(reason)

    def _media(self, msg: ch.Message) -> None:
        assert self._accept is not None
        assert self._meter is not None
        self._refuse_if(self._meter.add(time.monotonic(), len(msg.payload)))
        if msg.type_id == ch.VIDEO:
            event = parse_video(msg.payload, msg.timestamp, self._avc)
        else:
            event = parse_audio(msg.payload, msg.timestamp, self._aac)
        sink = self._accept.sink
        if isinstance(event, Unsupported):
            self._refuse_if(event.reason)
        elif isinstance(event, VideoConfigEvent):
            self._refuse_if(check_sps(self._rules, event.config.sps_info))
            self._avc = event.config
        elif isinstance(event, VideoFrameEvent):
            self._refuse_if(check_cts(self._rules, event.cts_ms))
            # Start on the first picture, not the sequence header: by then
            # encoders have also sent the AAC header, so StreamInfo has both.
            self._start()
            if self._started:
                unit = VideoAccessUnit(
                    event.annexb, event.dts_ms + event.cts_ms, event.dts_ms, event.keyframe
                )
                self._call_sink(sink.on_video, unit)
        elif isinstance(event, AudioConfigEvent):
            self._aac = event.config
            if not self._metadata_has_video:
                self._start()
        elif isinstance(event, AudioFrameEvent) and self._started and self._aac:
            self._call_sink(sink.on_audio, AudioAccessUnit(event.data, event.pts_ms, self._aac))

    def _call_sink(self, fn: Callable[[_T], None], unit: _T) -> None:
        try:
            fn(unit)
        except Exception as exc:
            self._stats["sink_errors"] = self._stats.get("sink_errors", 0) + 1
            log.error("rtmp ingest: sink failed (%s)", type(exc).__name__)

    def _start(self) -> None:
        if self._started or self._accept is None:
            return
        self._started = True
        sps = self._avc.sps_info if self._avc else None
        info = StreamInfo(
            connection_id=self.connection_id,
            protocol=self.protocol,
            width=sps.width if sps else None,
            height=sps.height if sps else None,
            video_profile_idc=sps.profile_idc if sps else None,
            constrained_baseline=bool(sps and sps.constrained_baseline),
            audio=self._aac,
            metadata_bitrate_kbps=self._metadata_kbps,
        )
        self._call_sink(self._accept.sink.on_start, info)
