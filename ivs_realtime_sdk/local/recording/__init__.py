"""Individual participant recording for the emulator: HLS (fMP4), thumbnails and metadata.

The media plane (``local._media``) drives it; it needs the ``[media]`` extra.
``ParticipantRecorder`` writes one participant's recording through a
``RecordingStorage`` (``LocalDirectoryStorage`` or ``S3Storage``).
``CompositeRecording`` writes a composition's S3 destination (the
compositor's encoded output) as IVS's composite recording.
"""

from ._composite import (
    CompositeRecording,
    CompositeRendition,
    CompositeTarget,
    CompositeThumbnails,
    composite_settings,
    rendition_names,
)
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
    "CompositeRecording",
    "CompositeRendition",
    "CompositeTarget",
    "CompositeThumbnails",
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
    "composite_settings",
    "recording_prefix",
    "rendition_names",
]
