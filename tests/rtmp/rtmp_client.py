"""A minimal RTMP publisher for tests the ffmpeg binary cannot do: go silent,
publish from many tasks at once, send hostile bytes, declare a bitrate."""

from __future__ import annotations

import asyncio
import contextlib
import os
from dataclasses import dataclass, field
from fractions import Fraction

import av

from ivs_realtime_sdk.local._rtmp import _amf0 as amf
from ivs_realtime_sdk.local._rtmp import _chunks as ch


@dataclass
class EncodedClip:
    """A few H.264 pictures as FLV would carry them."""

    avc_config: bytes
    frames: list[tuple[bytes, bool]] = field(default_factory=list)  # (AVCC data, keyframe)


def _split_annexb(data: bytes) -> list[bytes]:
    parts = data.replace(b"\x00\x00\x00\x01", b"\x00\x00\x01").split(b"\x00\x00\x01")
    return [p for p in parts if p]


def encode_clip(
    width: int, height: int, frames: int, profile: str = "baseline", preset: str = "ultrafast"
) -> EncodedClip:
    """Encode `frames` pictures of testsrc-like noise with PyAV's libx264."""
    ctx = av.CodecContext.create("libx264", "w")
    ctx.width, ctx.height, ctx.pix_fmt = width, height, "yuv420p"
    ctx.time_base = Fraction(1, 30)
    ctx.options = {"profile": profile, "preset": preset, "bf": "0", "g": "30"}
    sps = pps = b""
    out: list[tuple[bytes, bool]] = []
    packets = []
    for i in range(frames):
        frame = av.VideoFrame(width, height, "yuv420p")
        for plane in frame.planes:
            plane.update(bytes([(i * 7) % 256]) * plane.buffer_size)
        frame.pts = i
        packets += ctx.encode(frame)
    packets += ctx.encode(None)
    for pkt in packets:
        nals = _split_annexb(bytes(pkt))
        body = b""
        key = False
        for nal in nals:
            t = nal[0] & 0x1F
            if t == 7:
                sps = nal
            elif t == 8:
                pps = nal
            else:
                key = key or t == 5
                body += len(nal).to_bytes(4, "big") + nal
        out.append((body, key))
    record = bytes([1, sps[1], sps[2], sps[3], 0xFF, 0xE1]) + len(sps).to_bytes(2, "big") + sps
    record += bytes([1]) + len(pps).to_bytes(2, "big") + pps
    return EncodedClip(record, out)


def encode_aac(frames: int) -> tuple[bytes, list[bytes]]:
    """AudioSpecificConfig and raw AAC-LC frames of a 48 kHz stereo tone."""
    ctx = av.CodecContext.create("aac", "w")
    ctx.sample_rate, ctx.layout, ctx.format = 48000, "stereo", "fltp"
    ctx.time_base = Fraction(1, 48000)
    ctx.flags |= av.codec.context.Flags.global_header
    ctx.open()
    out: list[bytes] = []
    for i in range(frames + 2):
        frame = av.AudioFrame(format="fltp", layout="stereo", samples=1024)
        for plane in frame.planes:
            plane.update(bytes(plane.buffer_size))
        frame.sample_rate, frame.pts = 48000, i * 1024
        out += [bytes(p) for p in ctx.encode(frame)]
    return bytes(ctx.extradata or b""), out[:frames]


AAC_ASC, AAC_FRAMES = encode_aac(4)


class PublishRefused(Exception):
    """The server closed the connection (or said error) before Publish.Start."""


class Publisher:
    """Speaks just enough RTMP to publish."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer
        self.out = ch.ChunkWriter()
        self.incoming = ch.ChunkReader()
        self.pending: list[ch.Message] = []

    @classmethod
    async def open(cls, port: int) -> Publisher:
        r, w = await asyncio.open_connection("127.0.0.1", port)
        p = cls(r, w)
        await p.handshake()
        return p

    async def handshake(self) -> None:
        self.writer.write(b"\x03" + bytes(8) + os.urandom(1528))
        s = await self.reader.readexactly(1 + 1536 * 2)
        self.writer.write(s[1:1537])
        await self.writer.drain()

    async def send(
        self, csid: int, type_id: int, payload: bytes, ts: int = 0, stream: int = 0
    ) -> None:
        self.writer.write(self.out.encode(csid, ch.Message(type_id, stream, ts, payload)))
        await self.writer.drain()

    async def command(self, *values: amf.AmfValue, stream: int = 0) -> None:
        await self.send(
            3 if stream == 0 else 8, ch.COMMAND_AMF0, amf.encode_all(*values), stream=stream
        )

    async def wait_command(self, name: str, timeout: float = 5.0) -> list[amf.AmfValue]:
        async with asyncio.timeout(timeout):
            while True:
                for msg in self.pending:
                    if msg.type_id == ch.COMMAND_AMF0:
                        values = amf.decode_all(msg.payload)
                        if (values and values[0] == name) or (
                            name == "onStatus" and values and values[0] == "onStatus"
                        ):
                            self.pending.remove(msg)
                            return values
                data = await self.reader.read(65536)
                if not data:
                    raise PublishRefused("closed")
                self.pending += self.incoming.feed(data)

    async def publish(self, key: str, app: str = "app") -> None:
        await self.send(2, ch.SET_CHUNK_SIZE, (4096).to_bytes(4, "big"))
        self.out.chunk_size = 4096
        await self.command(
            "connect", 1.0, {"app": app, "type": "nonprivate", "tcUrl": f"rtmp://127.0.0.1/{app}"}
        )
        await self.wait_command("_result")
        await self.command("releaseStream", 2.0, None, key)
        await self.command("FCPublish", 3.0, None, key)
        await self.command("createStream", 4.0, None)
        await self.wait_command("_result")
        await self.command("publish", 5.0, None, key, "live", stream=1)
        status = await self.wait_command("onStatus")
        info = status[3] if len(status) > 3 and isinstance(status[3], dict) else {}
        if info.get("code") != "NetStream.Publish.Start":
            raise PublishRefused(str(info.get("code")))

    async def metadata(self, meta: dict[str, amf.AmfValue]) -> None:
        body = amf.encode("@setDataFrame") + amf.encode("onMetaData") + amf.encode_ecma_array(meta)
        await self.send(4, ch.DATA_AMF0, body, stream=1)

    async def send_clip(self, clip: EncodedClip, *, audio: bool = True, cts: int = 0) -> None:
        await self.send(6, ch.VIDEO, b"\x17\x00\x00\x00\x00" + clip.avc_config, stream=1)
        if audio:
            await self.send(4, ch.AUDIO, b"\xaf\x00" + AAC_ASC, stream=1)
        for i, (data, key) in enumerate(clip.frames):
            head = bytes([0x17 if key else 0x27, 1]) + cts.to_bytes(3, "big", signed=True)
            await self.send(6, ch.VIDEO, head + data, ts=i * 33, stream=1)
            if audio:
                frame = AAC_FRAMES[i % len(AAC_FRAMES)]
                await self.send(4, ch.AUDIO, b"\xaf\x01" + frame, ts=i * 33, stream=1)

    async def unpublish(self, key: str) -> None:
        await self.command("FCUnpublish", 6.0, None, key)
        await self.command("deleteStream", 7.0, None, 1.0)

    async def close(self) -> None:
        self.writer.close()
        with contextlib.suppress(ConnectionError, OSError):
            await self.writer.wait_closed()
