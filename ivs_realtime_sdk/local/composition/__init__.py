"""Server-side composition for the emulator: layout, compositor, sink.

``layout`` is pure
maths; ``media`` holds the PyAV filter graph, audio mix and encoders;
``compositor`` the clocked pipeline; ``sink`` the seam to the recording writer.
"""

from .compositor import Compositor
from .layout import (
    GridLayout,
    Participant,
    PipBehavior,
    PipLayout,
    PipPosition,
    Rect,
    Size,
    Tile,
    VideoAspectRatio,
    VideoFillMode,
    compute_layout,
)
from .media import EncoderSettings
from .sink import AudioStreamInfo, CompositeSink, HlsDirectorySink, VideoStreamInfo

__all__ = [
    "AudioStreamInfo",
    "CompositeSink",
    "Compositor",
    "EncoderSettings",
    "GridLayout",
    "HlsDirectorySink",
    "Participant",
    "PipBehavior",
    "PipLayout",
    "PipPosition",
    "Rect",
    "Size",
    "Tile",
    "VideoAspectRatio",
    "VideoFillMode",
    "VideoStreamInfo",
    "compute_layout",
]
