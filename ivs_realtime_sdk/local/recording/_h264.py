"""Just enough H.264 bitstream reading to remux what WebRTC delivers.

The emulator's receiver hands over access units in Annex B form (start
codes) and does not flag keyframes, so the recorder finds IDR slices and
parameter sets itself; nothing here decodes pictures.
"""

from __future__ import annotations

__all__ = ["codec_string", "is_keyframe", "nal_units", "parameter_sets"]

_IDR = 5
_SPS = 7
_PPS = 8


def nal_units(access_unit: bytes) -> list[bytes]:
    """The NAL units of an Annex B access unit, start codes removed."""
    units: list[bytes] = []
    start = access_unit.find(b"\x00\x00\x01")
    while start != -1:
        begin = start + 3
        nxt = access_unit.find(b"\x00\x00\x01", begin)
        end = len(access_unit) if nxt == -1 else nxt
        # A 4-byte start code leaves one zero at the end of the previous unit.
        unit = access_unit[begin:end]
        if nxt != -1 and unit.endswith(b"\x00"):
            unit = unit[:-1]
        if unit:
            units.append(unit)
        start = nxt
    return units


def is_keyframe(access_unit: bytes) -> bool:
    """True when the access unit holds an IDR slice (a place a segment may start)."""
    return any(unit[0] & 0x1F == _IDR for unit in nal_units(access_unit))


def parameter_sets(access_unit: bytes) -> bytes | None:
    """SPS and PPS as Annex B extradata, or None when the unit carries neither.

    WebRTC senders repeat them before every IDR; the muxer needs them up
    front to write the init segment's ``avcC``.
    """
    units = nal_units(access_unit)
    sps = [u for u in units if u[0] & 0x1F == _SPS]
    pps = [u for u in units if u[0] & 0x1F == _PPS]
    if not sps or not pps:
        return None
    return b"".join(b"\x00\x00\x00\x01" + u for u in (*sps, *pps))


def codec_string(extradata: bytes) -> str:
    """RFC 6381 ``avc1.PPCCLL`` from the SPS, for the multivariant playlist's CODECS."""
    for unit in nal_units(extradata):
        if unit[0] & 0x1F == _SPS and len(unit) >= 4:
            return f"avc1.{unit[1]:02X}{unit[2]:02X}{unit[3]:02X}"
    return "avc1.42C01E"
