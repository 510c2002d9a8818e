"""How a composition lays its participants out: a grid, or picture-in-picture."""

from __future__ import annotations

import attrs

from ._constraints import Boolean, Enum, Integer, Nested, Text
from ._enum import ServiceEnum

__all__ = [
    "GridConfiguration",
    "LayoutConfiguration",
    "PipBehavior",
    "PipConfiguration",
    "PipPosition",
    "VideoAspectRatio",
    "VideoFillMode",
]


class VideoAspectRatio(ServiceEnum):
    """The shape of each participant's tile in a grid."""

    AUTO = "AUTO"
    """Chosen by the service."""
    VIDEO = "VIDEO"
    """16:9."""
    SQUARE = "SQUARE"
    """1:1."""
    PORTRAIT = "PORTRAIT"
    """3:4."""


class VideoFillMode(ServiceEnum):
    """How a participant's video fills its tile."""

    FILL = "FILL"
    """Stretched to the tile."""
    COVER = "COVER"
    """Scaled to cover the tile, cropped."""
    CONTAIN = "CONTAIN"
    """Scaled to fit in the tile, letterboxed."""


class PipBehavior(ServiceEnum):
    """What the picture-in-picture tile does when the featured participant leaves."""

    STATIC = "STATIC"
    """It stays where it is."""
    DYNAMIC = "DYNAMIC"
    """The PiP participant takes the whole canvas."""


class PipPosition(ServiceEnum):
    """The corner the picture-in-picture tile sits in."""

    TOP_LEFT = "TOP_LEFT"
    """Top left."""
    TOP_RIGHT = "TOP_RIGHT"
    """Top right."""
    BOTTOM_LEFT = "BOTTOM_LEFT"
    """Bottom left."""
    BOTTOM_RIGHT = "BOTTOM_RIGHT"
    """Bottom right."""


# The name of a participant attribute (from its token) that drives the layout.
_ATTRIBUTE_KEY = Text(max=128, pattern=r"[a-zA-Z0-9-_]*", optional=True)
_FLAG = Boolean(optional=True)
_FILL_MODE = Enum(VideoFillMode, optional=True)
_PIXELS = Integer(min=0, optional=True)


@attrs.frozen(kw_only=True)
class GridConfiguration:
    """A grid of equal tiles, one per publishing participant."""

    featured_participant_attribute: str | None = attrs.field(default=None, validator=_ATTRIBUTE_KEY)
    """Participants whose attribute of this name is "true" get a bigger tile."""
    omit_stopped_video: bool | None = attrs.field(default=None, validator=_FLAG)
    """Whether participants with video off are left out (service default false)."""
    video_aspect_ratio: VideoAspectRatio | None = attrs.field(
        default=None, validator=Enum(VideoAspectRatio, optional=True)
    )
    """The shape of each tile (service default VIDEO)."""
    video_fill_mode: VideoFillMode | None = attrs.field(default=None, validator=_FILL_MODE)
    """How video fills its tile."""
    grid_gap: int | None = attrs.field(default=None, validator=_PIXELS)
    """Pixels between tiles, at least 0 (service default 2)."""
    participant_order_attribute: str | None = attrs.field(default=None, validator=_ATTRIBUTE_KEY)
    """Participants are ordered by their attribute of this name."""


@attrs.frozen(kw_only=True)
class PipConfiguration:
    """One participant on the whole canvas and another in a small picture-in-picture tile."""

    featured_participant_attribute: str | None = attrs.field(default=None, validator=_ATTRIBUTE_KEY)
    """The participant whose attribute of this name is "true" fills the canvas."""
    omit_stopped_video: bool | None = attrs.field(default=None, validator=_FLAG)
    """Whether participants with video off are left out (service default false)."""
    video_fill_mode: VideoFillMode | None = attrs.field(default=None, validator=_FILL_MODE)
    """How video fills its tile."""
    grid_gap: int | None = attrs.field(default=None, validator=_PIXELS)
    """Pixels between tiles, at least 0 (service default 0)."""
    pip_participant_attribute: str | None = attrs.field(default=None, validator=_ATTRIBUTE_KEY)
    """The participant whose attribute of this name is "true" goes in the PiP tile."""
    pip_behavior: PipBehavior | None = attrs.field(
        default=None, validator=Enum(PipBehavior, optional=True)
    )
    """What the PiP tile does when the featured participant leaves (service default STATIC)."""
    pip_offset: int | None = attrs.field(default=None, validator=_PIXELS)
    """Pixels from the PiP tile to the canvas edge, at least 0 (service default 0)."""
    pip_position: PipPosition | None = attrs.field(
        default=None, validator=Enum(PipPosition, optional=True)
    )
    """The corner of the PiP tile (service default BOTTOM_RIGHT)."""
    pip_width: int | None = attrs.field(default=None, validator=Integer(min=1, optional=True))
    """The PiP tile's width in pixels, at least 1."""
    pip_height: int | None = attrs.field(default=None, validator=Integer(min=1, optional=True))
    """The PiP tile's height in pixels, at least 1."""
    participant_order_attribute: str | None = attrs.field(default=None, validator=_ATTRIBUTE_KEY)
    """Participants are ordered by their attribute of this name."""


@attrs.frozen(kw_only=True)
class LayoutConfiguration:
    """A composition's layout: set one of ``grid`` or ``pip`` (a grid if neither)."""

    grid: GridConfiguration | None = attrs.field(
        default=None, validator=Nested(GridConfiguration, optional=True)
    )
    """A grid layout."""
    pip: PipConfiguration | None = attrs.field(
        default=None, validator=Nested(PipConfiguration, optional=True)
    )
    """A picture-in-picture layout."""
