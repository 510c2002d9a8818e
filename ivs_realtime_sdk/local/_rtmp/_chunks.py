"""The RTMP chunk stream: reassembling messages from chunks, and writing them.

Sans-I/O: `ChunkReader.feed()` takes whatever bytes arrived and returns the
complete messages, so the parser can be fuzzed without sockets. Memory is
bounded by construction: the peer's chunk size, each message's declared
length, the number of chunk streams in flight and the unparsed buffer are
all capped, and breaching a cap raises `ChunkError` (the connection is then
closed; nothing is buffered on the peer's say-so beyond the caps).
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Message type ids (RTMP spec 5.4 and 7.1).
SET_CHUNK_SIZE = 1
ABORT = 2
ACKNOWLEDGEMENT = 3
USER_CONTROL = 4
WINDOW_ACK_SIZE = 5
SET_PEER_BANDWIDTH = 6
AUDIO = 8
VIDEO = 9
DATA_AMF3 = 15
COMMAND_AMF3 = 17
DATA_AMF0 = 18
COMMAND_AMF0 = 20
AGGREGATE = 22

DEFAULT_CHUNK_SIZE = 128
_EXTENDED = 0xFFFFFF


class ChunkError(ValueError):
    """The peer broke the chunk protocol or one of our memory limits."""


@dataclass(frozen=True, slots=True)
class Limits:
    """Caps that bound one connection's memory whatever the peer sends."""

    max_chunk_size: int = 1 << 20
    """Largest chunk size a peer may set (encoders use 4096 to 64 KiB)."""
    max_message_size: int = 4 << 20
    """Largest message; a 720p keyframe at 8.5 Mbps is far below 1 MiB."""
    max_chunk_streams: int = 64
    """Distinct chunk stream ids in use; encoders use fewer than ten."""
    max_in_flight: int = 6 << 20
    """Bytes partial messages may grow to, all chunk streams together: one
    largest message plus interleaved audio (encoders interleave, never
    stack, messages)."""


@dataclass(frozen=True, slots=True)
class Message:
    """One reassembled RTMP message."""

    type_id: int
    stream_id: int
    timestamp: int
    """Absolute timestamp in ms, wrapped to 32 bits as on the wire."""
    payload: bytes


@dataclass(slots=True)
class _ChunkStream:
    timestamp: int = 0
    delta: int = 0
    length: int = 0
    type_id: int = 0
    stream_id: int = 0
    extended: bool = False
    buffer: bytearray = field(default_factory=bytearray)
    has_header: bool = False


class ChunkReader:
    """Turns received bytes into complete messages (after the handshake)."""

    def __init__(self, limits: Limits | None = None) -> None:
        self._limits = limits or Limits()
        self._chunk_size = DEFAULT_CHUNK_SIZE
        self._streams: dict[int, _ChunkStream] = {}
        self._buf = bytearray()
        self.bytes_received = 0

    @property
    def chunk_size(self) -> int:
        """The peer's current chunk size."""
        return self._chunk_size

    def feed(self, data: bytes) -> list[Message]:
        """Add received bytes; return every message they complete.

        Raises:
            ChunkError: on a protocol violation or a breached limit.
        """
        self.bytes_received += len(data)
        self._buf += data
        # One chunk plus its largest header is all we ever hold unparsed.
        if len(self._buf) > self._chunk_size + 18 + len(data):
            raise ChunkError("receive buffer over limit")
        out: list[Message] = []
        while True:
            progressed, parsed = self._parse_one()
            if not progressed:
                return out
            if parsed is None:
                continue
            if parsed.type_id == SET_CHUNK_SIZE:
                self._apply_chunk_size(parsed.payload)
            elif parsed.type_id == ABORT and len(parsed.payload) >= 4:
                csid = int.from_bytes(parsed.payload[:4], "big")
                if csid in self._streams:
                    self._streams[csid].buffer.clear()
            out.append(parsed)

    def _apply_chunk_size(self, payload: bytes) -> None:
        if len(payload) < 4:
            raise ChunkError("short Set Chunk Size")
        size = int.from_bytes(payload[:4], "big") & 0x7FFFFFFF
        if size < 1 or size > self._limits.max_chunk_size:
            raise ChunkError("chunk size out of range")
        self._chunk_size = size

    def _parse_one(self) -> tuple[bool, Message | None]:
        """Consume one chunk if complete: (consumed?, message it completed)."""
        buf = self._buf
        if not buf:
            return False, None
        fmt = buf[0] >> 6
        csid = buf[0] & 0x3F
        pos = 1
        if csid == 0:
            if len(buf) < 2:
                return False, None
            csid = buf[1] + 64
            pos = 2
        elif csid == 1:
            if len(buf) < 3:
                return False, None
            csid = buf[1] + buf[2] * 256 + 64
            pos = 3
        header_len = (11, 7, 3, 0)[fmt]
        if len(buf) < pos + header_len:
            return False, None
        cs = self._streams.get(csid)
        if cs is None:
            if fmt != 0:
                raise ChunkError("chunk stream starts without a full header")
            if len(self._streams) >= self._limits.max_chunk_streams:
                raise ChunkError("too many chunk streams")
            cs = _ChunkStream()
        h = buf[pos : pos + header_len]
        pos += header_len
        ts_field = int.from_bytes(h[0:3], "big") if fmt < 3 else 0
        extended = ts_field == _EXTENDED if fmt < 3 else cs.extended
        if extended:
            if len(buf) < pos + 4:
                return False, None
            ts_field = int.from_bytes(buf[pos : pos + 4], "big")
            pos += 4
        # Only now that the whole header is here may we change state.
        starting = not cs.buffer
        if fmt == 3 and not cs.has_header:
            raise ChunkError("continuation chunk without a header")
        length = cs.length
        if fmt <= 1:
            length = int.from_bytes(h[3:6], "big")
            if length > self._limits.max_message_size:
                raise ChunkError("message over the size limit")
        remaining = length - (len(cs.buffer) if fmt == 3 else 0)
        if not starting and fmt != 3:
            raise ChunkError("new header in the middle of a message")
        take = min(self._chunk_size, max(remaining, 0))
        if len(buf) < pos + take:
            return False, None
        if starting:
            # Count what open messages will grow to, not what they hold yet.
            in_flight = sum(s.length for s in self._streams.values() if s.buffer)
            if in_flight + length > self._limits.max_in_flight:
                raise ChunkError("too many bytes in partial messages")
        # Commit the header.
        if fmt == 0:
            cs.timestamp = ts_field
            cs.delta = 0
            cs.length = length
            cs.type_id = h[6]
            cs.stream_id = int.from_bytes(h[7:11], "little")
        elif fmt == 1:
            cs.delta = ts_field
            cs.timestamp = (cs.timestamp + ts_field) & 0xFFFFFFFF
            cs.length = length
            cs.type_id = h[6]
        elif fmt == 2:
            cs.delta = ts_field
            cs.timestamp = (cs.timestamp + ts_field) & 0xFFFFFFFF
        elif starting:
            # A type 3 chunk that starts a new message repeats the last delta.
            cs.timestamp = (cs.timestamp + cs.delta) & 0xFFFFFFFF
        if fmt < 3:
            cs.extended = extended
        cs.has_header = True
        self._streams[csid] = cs
        cs.buffer += buf[pos : pos + take]
        del buf[: pos + take]
        if len(cs.buffer) < cs.length:
            return True, None
        payload = bytes(cs.buffer)
        cs.buffer.clear()
        return True, Message(cs.type_id, cs.stream_id, cs.timestamp, payload)


class ChunkWriter:
    """Serialises our messages to chunks (always full headers: simple, valid)."""

    def __init__(self) -> None:
        self.chunk_size = DEFAULT_CHUNK_SIZE

    def encode(self, csid: int, msg: Message) -> bytes:
        """Chunk one message on chunk stream `csid` (2..63)."""
        if not 2 <= csid <= 63:
            raise ValueError("csid must be 2..63")
        ts = msg.timestamp & 0xFFFFFFFF
        ext = ts >= _EXTENDED
        header = bytes([csid])
        header += (_EXTENDED if ext else ts).to_bytes(3, "big")
        header += len(msg.payload).to_bytes(3, "big") + bytes([msg.type_id])
        header += msg.stream_id.to_bytes(4, "little")
        ext_bytes = ts.to_bytes(4, "big") if ext else b""
        parts = [header + ext_bytes]
        payload = msg.payload
        first = True
        for i in range(0, max(len(payload), 1), self.chunk_size):
            if not first:
                parts.append(bytes([0xC0 | csid]) + ext_bytes)
            parts.append(payload[i : i + self.chunk_size])
            first = False
        return b"".join(parts)
