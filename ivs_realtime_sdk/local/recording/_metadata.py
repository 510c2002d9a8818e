"""The recording's S3 prefix, file layout and metadata JSON, exactly as IVS documents them.

Pure functions, no I/O: the recorder passes in what happened and writes
what comes back. Field names, values and relative paths follow the IVS
user guide page ``rt-individual-participant-recording`` (metadata schema v1).
"""

from __future__ import annotations

import enum
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import attrs

from ._settings import RecordingSettings, RecordingTarget, ThumbnailStorage

__all__ = [
    "HLS_PATH",
    "LATEST_THUMBNAIL_PATH",
    "RENDITION",
    "CompositeRenditionEntry",
    "RecordingStatus",
    "THUMBNAILS_PATH",
    "composite_metadata_document",
    "metadata_document",
    "recording_prefix",
    "rfc3339",
]

HLS_PATH = "media/hls"
THUMBNAILS_PATH = "media/thumbnails"
LATEST_THUMBNAIL_PATH = "media/latest_thumbnail"
RENDITION = "high"
MULTIVARIANT = "multivariant.m3u8"
PLAYLIST = "playlist.m3u8"


class RecordingStatus(enum.StrEnum):
    """``recording_status`` of a metadata file."""

    RECORDING_STARTED = "RECORDING_STARTED"
    RECORDING_ENDED = "RECORDING_ENDED"
    RECORDING_START_FAILED = "RECORDING_START_FAILED"
    RECORDING_ENDED_WITH_FAILURE = "RECORDING_ENDED_WITH_FAILURE"


def rfc3339(moment: datetime) -> str:
    """UTC, whole seconds, ``Z`` suffix: the form of IVS's examples."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def recording_prefix(target: RecordingTarget, started: datetime) -> str:
    """``<stageId>/<stageSessionId>/<participantId>/<timestamp>``.

    The timestamp uses dashes for colons (``2024-01-01T12-00-55Z``), as in
    IVS's Recording Start event, so the key needs no escaping.
    """
    stamp = started.astimezone(UTC).strftime("%Y-%m-%dT%H-%M-%SZ")
    return f"{target.stage_id}/{target.session_id}/{target.participant_id}/{stamp}"


def _media(settings: RecordingSettings, duration_ms: int | None) -> dict[str, Any]:
    media: dict[str, Any] = {}
    if settings.records_hls:
        hls: dict[str, Any] = {}
        if duration_ms is not None:
            hls["duration_ms"] = duration_ms
        hls.update(
            path=HLS_PATH,
            playlist=MULTIVARIANT,
            renditions=[{"path": RENDITION, "playlist": PLAYLIST}],
        )
        media["hls"] = hls
    if settings.takes_thumbnails:
        if ThumbnailStorage.SEQUENTIAL in settings.thumbnail_storage:
            media["thumbnails"] = {"path": THUMBNAILS_PATH, "renditions": [{"path": RENDITION}]}
        if ThumbnailStorage.LATEST in settings.thumbnail_storage:
            media["latest_thumbnail"] = {
                "path": LATEST_THUMBNAIL_PATH,
                "renditions": [{"path": RENDITION}],
            }
    return media


def metadata_document(
    *,
    target: RecordingTarget,
    settings: RecordingSettings,
    status: RecordingStatus,
    started_at: datetime | None,
    ended_at: datetime | None = None,
    duration_ms: int | None = None,
    status_message: str | None = None,
) -> bytes:
    """One ``events/*.json`` file, fields in the order of IVS's examples.

    Conditional fields appear only where IVS's table says they do:
    ``recording_started_at`` not on a start failure, ``recording_ended_at``,
    ``recording_status_message`` and ``hls.duration_ms`` only once ended.
    """
    doc: dict[str, Any] = {
        "version": "v1",
        "stage_arn": target.stage_arn,
        "session_id": target.session_id,
        "participant_id": target.participant_id,
    }
    ended = _status_fields(doc, status, started_at, ended_at, status_message)
    doc["media"] = _media(settings, (duration_ms or 0) if ended else None)
    return json.dumps(doc, indent=2).encode()


def _status_fields(
    doc: dict[str, Any],
    status: RecordingStatus,
    started_at: datetime | None,
    ended_at: datetime | None,
    status_message: str | None,
) -> bool:
    """Add the timestamps and status IVS's table asks for; True once the recording ended."""
    ended = status in {
        RecordingStatus.RECORDING_ENDED,
        RecordingStatus.RECORDING_ENDED_WITH_FAILURE,
    }
    if started_at is not None and status is not RecordingStatus.RECORDING_START_FAILED:
        doc["recording_started_at"] = rfc3339(started_at)
    if ended and ended_at is not None:
        doc["recording_ended_at"] = rfc3339(ended_at)
    doc["recording_status"] = str(status)
    if ended:
        # IVS documents no message for a start failure (its reason travels
        # in the Recording Start Failure event instead).
        doc["recording_status_message"] = status_message or ""
    return ended


@attrs.frozen(kw_only=True)
class CompositeRenditionEntry:
    """One rendition of a composite recording, as its metadata lists it."""

    path: str
    """The rendition's folder under ``media/hls`` (``720p30``)."""
    width: int
    height: int


def composite_metadata_document(
    *,
    stage_arn: str,
    status: RecordingStatus,
    started_at: datetime | None,
    renditions: Sequence[CompositeRenditionEntry],
    thumbnail_storage: frozenset[ThumbnailStorage],
    ended_at: datetime | None = None,
    duration_ms: int | None = None,
    status_message: str | None = None,
) -> bytes:
    """One ``events/*.json`` file of a composite recording (rt-composite-recording).

    The same conditional fields as ``metadata_document``; no session or
    participant id (a composite has neither). HLS renditions carry
    ``resolution_width``/``resolution_height``; thumbnails list one
    ``<width>x<height>`` folder per distinct resolution under ``resolutions``.
    An empty ``thumbnail_storage`` means no thumbnails.
    """
    doc: dict[str, Any] = {"version": "v1", "stage_arn": stage_arn}
    ended = _status_fields(doc, status, started_at, ended_at, status_message)
    hls: dict[str, Any] = {}
    if ended:
        hls["duration_ms"] = duration_ms or 0
    hls.update(
        path=HLS_PATH,
        playlist=MULTIVARIANT,
        renditions=[
            {
                "path": r.path,
                "playlist": PLAYLIST,
                "resolution_width": r.width,
                "resolution_height": r.height,
            }
            for r in renditions
        ],
    )
    resolutions: list[dict[str, Any]] = []
    for r in renditions:
        entry = {
            "path": f"{r.width}x{r.height}",
            "resolution_width": r.width,
            "resolution_height": r.height,
        }
        if entry not in resolutions:
            resolutions.append(entry)
    media: dict[str, Any] = {"hls": hls}
    if ThumbnailStorage.SEQUENTIAL in thumbnail_storage:
        media["thumbnails"] = {"path": THUMBNAILS_PATH, "resolutions": resolutions}
    if ThumbnailStorage.LATEST in thumbnail_storage:
        media["latest_thumbnail"] = {"path": LATEST_THUMBNAIL_PATH, "resolutions": resolutions}
    doc["media"] = media
    return json.dumps(doc, indent=2).encode()
