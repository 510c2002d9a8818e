"""Individual participant recording for the emulator: HLS (fMP4), thumbnails and metadata.

The media plane (``local._media``) drives it; it needs the ``[media]`` extra.
``ParticipantRecorder`` writes one participant's recording through a
``RecordingStorage`` (``LocalDirectoryStorage`` or ``S3Storage``).
"""

from ._metadata import RecordingStatus, recording_prefix
from ._recorder import ParticipantRecorder, RecorderState, RecordingEvent, RecordingEventName
from ._settings import (
    MediaTypes,
    RecordingSettings,
    RecordingTarget,
    ThumbnailMode,
    ThumbnailStorage,
)
from ._storage import (
    BucketNotFoundError,
    LocalDirectoryStorage,
    RecordingStorage,
    S3Storage,
    StorageError,
    StorageUnavailableError,
    WriteRefusedError,
)

__all__ = [
    "BucketNotFoundError",
    "LocalDirectoryStorage",
    "MediaTypes",
    "ParticipantRecorder",
    "RecorderState",
    "RecordingEvent",
    "RecordingEventName",
    "RecordingSettings",
    "RecordingStatus",
    "RecordingStorage",
    "RecordingTarget",
    "S3Storage",
    "StorageError",
    "StorageUnavailableError",
    "ThumbnailMode",
    "ThumbnailStorage",
    "WriteRefusedError",
    "recording_prefix",
]
