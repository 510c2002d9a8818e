"""AMF0, the value encoding of RTMP command and data messages.

Only what encoders send and what our replies need. The decoder is written
for hostile input: every read is bounds-checked, nesting depth and item
counts are capped, and any malformation raises `AmfError` (never
IndexError or struct.error), so a connection handler has one exception to
catch.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping, Sequence
from typing import TypeAlias

_MAX_DEPTH = 16
# A command carries a handful of fields; thousands means garbage or an attack.
_MAX_ITEMS = 1024

_NUMBER = 0x00
_BOOLEAN = 0x01
_STRING = 0x02
_OBJECT = 0x03
_NULL = 0x05
_UNDEFINED = 0x06
_REFERENCE = 0x07
_ECMA_ARRAY = 0x08
_OBJECT_END = 0x09
_STRICT_ARRAY = 0x0A
_DATE = 0x0B
_LONG_STRING = 0x0C


class AmfError(ValueError):
    """The bytes are not valid AMF0 (or exceed our sanity limits)."""


class Undefined:
    """AMF0's `undefined`, distinct from `null` (None)."""

    _instance: Undefined | None = None

    def __new__(cls) -> Undefined:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "Undefined"


UNDEFINED = Undefined()

AmfValue: TypeAlias = (
    float | bool | str | dict[str, "AmfValue"] | list["AmfValue"] | Undefined | None
)


class _Reader:
    def __init__(self, data: bytes) -> None:
        self._data = data
        self.pos = 0

    def take(self, n: int) -> bytes:
        end = self.pos + n
        if end > len(self._data):
            raise AmfError("truncated AMF0 value")
        chunk = self._data[self.pos : end]
        self.pos = end
        return chunk

    def u8(self) -> int:
        return self.take(1)[0]

    def u16(self) -> int:
        return int.from_bytes(self.take(2), "big")

    def u32(self) -> int:
        return int.from_bytes(self.take(4), "big")

    def at_end(self) -> bool:
        return self.pos >= len(self._data)

    def peek3(self) -> bytes:
        return self._data[self.pos : self.pos + 3]


def _utf8(raw: bytes) -> str:
    return raw.decode("utf-8", errors="replace")


def _read_properties(r: _Reader, depth: int) -> dict[str, AmfValue]:
    out: dict[str, AmfValue] = {}
    for _ in range(_MAX_ITEMS + 1):
        if r.peek3() == b"\x00\x00\x09":
            r.take(3)
            return out
        name = _utf8(r.take(r.u16()))
        out[name] = _read_value(r, depth + 1)
    raise AmfError("too many AMF0 object properties")


def _read_value(r: _Reader, depth: int) -> AmfValue:
    if depth > _MAX_DEPTH:
        raise AmfError("AMF0 nesting too deep")
    marker = r.u8()
    if marker == _NUMBER:
        value: float = struct.unpack(">d", r.take(8))[0]
        return value
    if marker == _BOOLEAN:
        return r.u8() != 0
    if marker == _STRING:
        return _utf8(r.take(r.u16()))
    if marker == _LONG_STRING:
        return _utf8(r.take(r.u32()))
    if marker == _OBJECT:
        return _read_properties(r, depth)
    if marker == _ECMA_ARRAY:
        r.u32()  # the count is a hint only; the end marker is authoritative
        return _read_properties(r, depth)
    if marker == _STRICT_ARRAY:
        count = r.u32()
        if count > _MAX_ITEMS:
            raise AmfError("AMF0 array too long")
        return [_read_value(r, depth + 1) for _ in range(count)]
    if marker == _NULL:
        return None
    if marker == _UNDEFINED:
        return UNDEFINED
    if marker == _DATE:
        when: float = struct.unpack(">d", r.take(8))[0]
        r.take(2)  # timezone, unused by the format in practice
        return when
    if marker == _REFERENCE:
        # References point back into the same message; encoders never send
        # them in commands, so resolving them is not worth the risk.
        r.take(2)
        return UNDEFINED
    raise AmfError(f"unsupported AMF0 marker 0x{marker:02x}")


def decode_all(data: bytes) -> list[AmfValue]:
    """Decode a whole command/data message body into its values.

    Raises:
        AmfError: on any malformation or limit breach.
    """
    r = _Reader(data)
    values: list[AmfValue] = []
    while not r.at_end():
        if len(values) >= _MAX_ITEMS:
            raise AmfError("too many AMF0 values")
        values.append(_read_value(r, 0))
    return values


def _encode_str_body(s: str) -> bytes:
    raw = s.encode("utf-8")
    if len(raw) > 0xFFFF:
        raise AmfError("string too long for a short AMF0 string")
    return len(raw).to_bytes(2, "big") + raw


def encode(value: AmfValue | Mapping[str, AmfValue] | Sequence[AmfValue]) -> bytes:
    """Encode one value (bool before number: bool is an int subclass)."""
    if value is None:
        return bytes([_NULL])
    if isinstance(value, Undefined):
        return bytes([_UNDEFINED])
    if isinstance(value, bool):
        return bytes([_BOOLEAN, 1 if value else 0])
    if isinstance(value, (int, float)):
        return bytes([_NUMBER]) + struct.pack(">d", float(value))
    if isinstance(value, str):
        raw = value.encode("utf-8")
        if len(raw) > 0xFFFF:
            return bytes([_LONG_STRING]) + len(raw).to_bytes(4, "big") + raw
        return bytes([_STRING]) + _encode_str_body(value)
    if isinstance(value, Mapping):
        body = b"".join(_encode_str_body(k) + encode(v) for k, v in value.items())
        return bytes([_OBJECT]) + body + b"\x00\x00\x09"
    items = list(value)
    return (
        bytes([_STRICT_ARRAY]) + len(items).to_bytes(4, "big") + b"".join(encode(v) for v in items)
    )


def encode_all(*values: AmfValue | Mapping[str, AmfValue]) -> bytes:
    """Encode a command: name, transaction id, then its arguments."""
    return b"".join(encode(v) for v in values)


def encode_ecma_array(values: Mapping[str, AmfValue]) -> bytes:
    """Encode an ECMA array, the form `onMetaData` uses (for test clients)."""
    body = b"".join(_encode_str_body(k) + encode(v) for k, v in values.items())
    return bytes([_ECMA_ARRAY]) + len(values).to_bytes(4, "big") + body + b"\x00\x00\x09"
