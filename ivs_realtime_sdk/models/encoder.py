"""Encoder configurations: the video a composition is encoded to."""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from .._frozen import EMPTY
from ._arns import RESOURCE_NAME, TAGS
from ._constraints import Float, Integer, Nested, str_map
from ._response import typed_fields

__all__ = [
    "EncoderConfiguration",
    "EncoderConfigurationSpec",
    "EncoderConfigurationSummary",
    "Video",
]

_VIDEO_SIDE = Integer(min=2, max=1920, optional=True)


@attrs.frozen(kw_only=True)
class Video:
    """Video settings: size, frame rate and bitrate."""

    width: int | None = attrs.field(default=None, validator=_VIDEO_SIDE)
    """Width in pixels, 2 to 1920 (service default 1280)."""
    height: int | None = attrs.field(default=None, validator=_VIDEO_SIDE)
    """Height in pixels, 2 to 1920 (service default 720)."""
    framerate: float | None = attrs.field(
        default=None, validator=Float(min=1, max=60, optional=True)
    )
    """Frames per second, 1 to 60 (service default 30)."""
    bitrate: int | None = attrs.field(
        default=None, validator=Integer(min=1, max=8_500_000, optional=True)
    )
    """Bits per second, 1 to 8,500,000 (service default 2,500,000)."""


_VIDEO = Nested(Video, optional=True)


@attrs.frozen(kw_only=True)
class EncoderConfigurationSpec:
    """Everything needed to create an encoder configuration."""

    name: str | None = attrs.field(default=None, validator=RESOURCE_NAME)
    """Name: at most 128 of ``[a-zA-Z0-9-_]``."""
    video: Video | None = attrs.field(default=None, validator=_VIDEO)
    """Video settings (service defaults: 1280x720, 30 fps, 2.5 Mbps)."""
    tags: Mapping[str, str] = attrs.field(default=EMPTY, converter=str_map, validator=TAGS)
    """Tags: at most 50, keys of 1 to 128 characters, values of at most 256."""


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class EncoderConfiguration:
    """An encoder configuration, as the service describes it."""

    arn: str
    """The encoder configuration's ARN."""
    name: str | None = None
    """Its name."""
    video: Video | None = None
    """Its video settings."""
    tags: Mapping[str, str] = attrs.field(default=EMPTY, converter=str_map)
    """Its tags."""


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class EncoderConfigurationSummary:
    """An encoder configuration, as ``list_encoder_configurations`` shows it."""

    arn: str
    """The encoder configuration's ARN."""
    name: str | None = None
    """Its name."""
    tags: Mapping[str, str] = attrs.field(default=EMPTY, converter=str_map)
    """Its tags."""
