"""HLS playlists of a recording: the ``high`` media playlist and the multivariant one.

Rendered from a list of segments, never edited in place, so a rewrite after
each segment (what a reader polling S3 sees) is always a valid playlist.
A reconnect within the window starts a new run: a discontinuity and a new
``EXT-X-MAP``, since the new connection may bring new codec parameters.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import attrs

__all__ = [
    "Segment",
    "Variant",
    "init_name",
    "media_playlist",
    "multivariant_playlist",
    "multivariant_playlist_of",
    "segment_name",
]


@attrs.frozen(kw_only=True)
class Segment:
    """One fMP4 media segment as listed in the media playlist."""

    number: int
    """1-based, continuing across runs; the file is ``<number>.mp4``."""
    run: int
    """1-based run (connection) the segment belongs to; selects the init segment."""
    duration: float
    """Seconds, from the segment's first ``tfdt`` to the next segment's."""
    size: int
    """Bytes, for the multivariant playlist's BANDWIDTH."""


def segment_name(number: int) -> str:
    """``1.mp4``, ``2.mp4``...: the name in IVS's sample layout."""
    return f"{number}.mp4"


def init_name(run: int) -> str:
    """``init-1.mp4`` for the first connection, ``init-2.mp4`` after a reconnect..."""
    return f"init-{run}.mp4"


def media_playlist(
    segments: list[Segment],
    *,
    target: int,
    ended: bool,
    init: Callable[[int], str] = init_name,
) -> str:
    """The rendition's ``playlist.m3u8``: EVENT while recording, VOD with ENDLIST once ended.

    ``init`` names a run's init segment (``init_name`` unless the caller has its own).
    """
    longest = max((s.duration for s in segments), default=float(target))
    lines = [
        "#EXTM3U",
        "#EXT-X-VERSION:7",
        f"#EXT-X-TARGETDURATION:{max(target, math.ceil(longest - 1e-3))}",
        "#EXT-X-MEDIA-SEQUENCE:1",
        f"#EXT-X-PLAYLIST-TYPE:{'VOD' if ended else 'EVENT'}",
        "#EXT-X-INDEPENDENT-SEGMENTS",
    ]
    run = 0
    for segment in segments:
        if segment.run != run:
            if run:
                lines.append("#EXT-X-DISCONTINUITY")
            lines.append(f'#EXT-X-MAP:URI="{init(segment.run)}"')
            run = segment.run
        lines.append(f"#EXTINF:{segment.duration:.3f},")
        lines.append(segment_name(segment.number))
    if ended:
        lines.append("#EXT-X-ENDLIST")
    return "\n".join(lines) + "\n"


@attrs.frozen(kw_only=True)
class Variant:
    """One ``EXT-X-STREAM-INF`` entry of a multivariant playlist."""

    uri: str
    """The media playlist, relative to the multivariant one."""
    codecs: Sequence[str]
    """RFC 6381 codec strings (``avc1.42C01E``, ``mp4a.40.2``, ``Opus``)."""
    bandwidth: int
    """Peak bits per second."""
    resolution: tuple[int, int] | None = None
    """Width and height, for a rendition with video."""
    frame_rate: float | None = None
    """Frames per second (``FRAME-RATE``), when known."""


def multivariant_playlist_of(variants: Sequence[Variant]) -> str:
    """``multivariant.m3u8`` listing every variant, in the order given."""
    lines = ["#EXTM3U", "#EXT-X-VERSION:7", "#EXT-X-INDEPENDENT-SEGMENTS"]
    for variant in variants:
        attributes = [
            f"BANDWIDTH={max(variant.bandwidth, 1)}",
            f'CODECS="{",".join(variant.codecs)}"',
        ]
        if variant.resolution is not None:
            attributes.append(f"RESOLUTION={variant.resolution[0]}x{variant.resolution[1]}")
        if variant.frame_rate is not None:
            attributes.append(f"FRAME-RATE={variant.frame_rate:.3f}")
        lines += [f"#EXT-X-STREAM-INF:{','.join(attributes)}", variant.uri]
    return "\n".join(lines) + "\n"


def multivariant_playlist(
    *, rendition_uri: str, codecs: list[str], bandwidth: int, resolution: tuple[int, int] | None
) -> str:
    """``multivariant.m3u8`` with its one rendition."""
    return multivariant_playlist_of(
        [Variant(uri=rendition_uri, codecs=codecs, bandwidth=bandwidth, resolution=resolution)]
    )
