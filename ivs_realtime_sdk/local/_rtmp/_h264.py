"""H.264 bits the ingest needs: the decoder configuration record, the SPS
(size, profile) and AVCC -> Annex B conversion.

Parsing is defensive: every malformation raises `H264Error`.
"""

from __future__ import annotations

from dataclasses import dataclass

START_CODE = b"\x00\x00\x00\x01"
NAL_IDR = 5
NAL_SPS = 7
NAL_PPS = 8

# Profiles whose SPS carries chroma format and bit depth fields (7.3.2.1.1).
_HIGH_PROFILES = frozenset({100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135})


class H264Error(ValueError):
    """Malformed H.264 configuration or access unit."""


@dataclass(frozen=True, slots=True)
class SpsInfo:
    """What the media rules and the fan-out need from a sequence parameter set."""

    profile_idc: int
    constraint_flags: int
    """constraint_set0..5 flags, set0 in bit 7 as in the bitstream byte."""
    level_idc: int
    width: int
    height: int

    @property
    def constrained_baseline(self) -> bool:
        """Baseline with constraint_set1: what WebRTC subscribers take as is."""
        return self.profile_idc == 66 and bool(self.constraint_flags & 0x40)

    @property
    def b_frames_possible(self) -> bool:
        """Baseline (and constrained profiles) cannot code B slices."""
        return self.profile_idc != 66


@dataclass(frozen=True, slots=True)
class AvcConfig:
    """AVCDecoderConfigurationRecord, unpacked."""

    nal_length_size: int
    sps: tuple[bytes, ...]
    pps: tuple[bytes, ...]
    sps_info: SpsInfo

    def annexb_parameter_sets(self) -> bytes:
        """SPS and PPS as Annex B, to put in front of keyframes."""
        return b"".join(START_CODE + n for n in (*self.sps, *self.pps))


def _unescape(rbsp: bytes) -> bytes:
    # Remove emulation prevention bytes (00 00 03 -> 00 00).
    return rbsp.replace(b"\x00\x00\x03", b"\x00\x00")


class _Bits:
    def __init__(self, data: bytes) -> None:
        self._data = data
        self._pos = 0

    def bit(self) -> int:
        byte = self._pos >> 3
        if byte >= len(self._data):
            raise H264Error("SPS truncated")
        value = (self._data[byte] >> (7 - (self._pos & 7))) & 1
        self._pos += 1
        return value

    def bits(self, n: int) -> int:
        v = 0
        for _ in range(n):
            v = (v << 1) | self.bit()
        return v

    def ue(self) -> int:
        zeros = 0
        while self.bit() == 0:
            zeros += 1
            if zeros > 31:
                raise H264Error("bad Exp-Golomb code")
        return (1 << zeros) - 1 + self.bits(zeros)

    def se(self) -> int:
        k = self.ue()
        return (k + 1) // 2 if k & 1 else -(k // 2)


def _skip_scaling_list(b: _Bits, size: int) -> None:
    last = next_ = 8
    for _ in range(size):
        if next_ != 0:
            next_ = (last + b.se() + 256) % 256
        last = next_ if next_ != 0 else last


def parse_sps(nal: bytes) -> SpsInfo:
    """Parse an SPS NAL unit (with its 1-byte NAL header).

    Raises:
        H264Error: if it is not a well-formed SPS.
    """
    if len(nal) < 4 or nal[0] & 0x1F != NAL_SPS:
        raise H264Error("not an SPS")
    profile, flags, level = nal[1], nal[2], nal[3]
    b = _Bits(_unescape(nal[4:]))
    if b.ue() > 31:
        raise H264Error("bad sps id")
    chroma_format_idc = 1
    if profile in _HIGH_PROFILES:
        chroma_format_idc = b.ue()
        if chroma_format_idc > 3:
            raise H264Error("bad chroma format")
        if chroma_format_idc == 3:
            b.bit()  # separate_colour_plane_flag
        b.ue()  # bit_depth_luma_minus8
        b.ue()  # bit_depth_chroma_minus8
        b.bit()  # qpprime_y_zero_transform_bypass_flag
        if b.bit():  # seq_scaling_matrix_present_flag
            for i in range(8 if chroma_format_idc != 3 else 12):
                if b.bit():
                    _skip_scaling_list(b, 16 if i < 6 else 64)
    b.ue()  # log2_max_frame_num_minus4
    poc_type = b.ue()
    if poc_type == 0:
        b.ue()
    elif poc_type == 1:
        b.bit()
        b.se()
        b.se()
        cycle = b.ue()
        if cycle > 255:
            raise H264Error("bad poc cycle")
        for _ in range(cycle):
            b.se()
    elif poc_type != 2:
        raise H264Error("bad poc type")
    b.ue()  # max_num_ref_frames
    b.bit()  # gaps_in_frame_num_value_allowed_flag
    width_mbs = b.ue() + 1
    height_units = b.ue() + 1
    frame_mbs_only = b.bit()
    if not frame_mbs_only:
        b.bit()  # mb_adaptive_frame_field_flag
    b.bit()  # direct_8x8_inference_flag
    width = width_mbs * 16
    height = (2 - frame_mbs_only) * height_units * 16
    if b.bit():  # frame_cropping_flag
        left, right, top, bottom = b.ue(), b.ue(), b.ue(), b.ue()
        crop_x = 1 if chroma_format_idc in (0, 3) else 2
        crop_y = (2 if chroma_format_idc == 1 else 1) * (2 - frame_mbs_only)
        width -= crop_x * (left + right)
        height -= crop_y * (top + bottom)
    if width <= 0 or height <= 0 or width > 16384 or height > 16384:
        raise H264Error("implausible picture size")
    return SpsInfo(profile, flags, level, width, height)


def parse_avc_config(record: bytes) -> AvcConfig:
    """Unpack an AVCDecoderConfigurationRecord (ISO 14496-15 5.2.4.1).

    Raises:
        H264Error: if malformed or without an SPS and a PPS.
    """
    if len(record) < 7 or record[0] != 1:
        raise H264Error("bad AVC configuration record")
    nal_length_size = (record[4] & 0x03) + 1
    if nal_length_size == 3:
        raise H264Error("unsupported NAL length size")
    pos = 6  # after the numOfSequenceParameterSets byte

    def read_sets(count: int) -> list[bytes]:
        nonlocal pos
        out: list[bytes] = []
        for _ in range(count):
            if pos + 2 > len(record):
                raise H264Error("truncated parameter set")
            n = int.from_bytes(record[pos : pos + 2], "big")
            pos += 2
            if n == 0 or pos + n > len(record):
                raise H264Error("truncated parameter set")
            out.append(record[pos : pos + n])
            pos += n
        return out

    sps = read_sets(record[5] & 0x1F)
    if not sps:
        raise H264Error("no SPS")
    if pos >= len(record):
        raise H264Error("no PPS")
    pps_count = record[pos]
    pos += 1
    pps = read_sets(pps_count)
    if not pps:
        raise H264Error("no PPS")
    return AvcConfig(nal_length_size, tuple(sps), tuple(pps), parse_sps(sps[0]))


def avcc_to_annexb(data: bytes, nal_length_size: int) -> tuple[bytes, bool]:
    """Convert length-prefixed NAL units to Annex B; also say if an IDR is in.

    Raises:
        H264Error: when a length runs past the end of the data.
    """
    out: list[bytes] = []
    pos = 0
    idr = False
    while pos < len(data):
        if pos + nal_length_size > len(data):
            raise H264Error("truncated NAL length")
        n = int.from_bytes(data[pos : pos + nal_length_size], "big")
        pos += nal_length_size
        if n == 0 or pos + n > len(data):
            raise H264Error("NAL unit runs past its message")
        nal = data[pos : pos + n]
        idr = idr or (nal[0] & 0x1F) == NAL_IDR
        out.append(START_CODE)
        out.append(nal)
        pos += n
    return b"".join(out), idr
