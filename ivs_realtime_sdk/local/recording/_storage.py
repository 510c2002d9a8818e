"""Where recording files go: a local directory or any S3 API, behind one small interface.

The recorder only ever creates or replaces whole objects, so the interface
is two calls. Both are blocking (boto3 is); the recorder runs them on a
worker thread. Every failure is a ``StorageError`` subclass that names the
bucket and key and the kind of failure, never a credential or a signed URL,
so the caller can turn it into Recording Start/End Failure as IVS does.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path, PurePosixPath
from typing import Any, Protocol, cast
from urllib.parse import urlsplit

from botocore.exceptions import BotoCoreError, ClientError

__all__ = [
    "BucketNotFoundError",
    "LocalDirectoryStorage",
    "RecordingStorage",
    "S3Client",
    "S3Storage",
    "StorageError",
    "StorageUnavailableError",
    "WriteRefusedError",
]


class StorageError(Exception):
    """A recording file could not be written.

    ``reason`` is short and safe to log and to put in ``recording_status_message``.
    """

    def __init__(self, bucket: str, key: str | None, reason: str) -> None:
        self.bucket = bucket
        self.key = key
        self.reason = reason
        where = f"s3://{bucket}/{key}" if key else f"bucket {bucket!r}"
        super().__init__(f"{where}: {reason}")


class BucketNotFoundError(StorageError):
    """The storage configuration's bucket does not exist."""


class WriteRefusedError(StorageError):
    """The bucket exists but refused the write (access denied, bad key, full disk...)."""


class StorageUnavailableError(StorageError):
    """The storage could not be reached (endpoint down, connection reset)."""


class RecordingStorage(Protocol):
    """A place that holds ``bucket``/``key`` objects."""

    def check_bucket(self, bucket: str) -> None:
        """Raise a ``StorageError`` unless ``bucket`` exists and can be written."""
        ...

    def put(self, bucket: str, key: str, data: bytes, content_type: str) -> None:
        """Create or replace one object; raise a ``StorageError`` on failure."""
        ...


class LocalDirectoryStorage:
    """Objects as files under ``<root>/<bucket>/<key>``, so players open playlists directly.

    A bucket is a directory that exists: as on S3, the recorder never
    creates one (``create_buckets=True`` lets the emulator do it for its
    default directory). Files appear atomically (written aside, then
    renamed), so a reader never sees half a segment.
    """

    def __init__(self, root: Path | str, *, create_buckets: bool = False) -> None:
        self.root = Path(root)
        self._create_buckets = create_buckets

    def __repr__(self) -> str:
        return f"LocalDirectoryStorage(root={str(self.root)!r})"

    def _bucket_dir(self, bucket: str) -> Path:
        # A bucket is one path component; anything else would escape the root.
        if not bucket or "/" in bucket or bucket in {".", ".."}:
            raise BucketNotFoundError(bucket, None, "not a valid bucket name")
        path = self.root / bucket
        if self._create_buckets:
            path.mkdir(parents=True, exist_ok=True)
        if not path.is_dir():
            raise BucketNotFoundError(bucket, None, "no such bucket")
        return path

    def check_bucket(self, bucket: str) -> None:
        """Raise ``BucketNotFoundError`` unless ``<root>/<bucket>`` is a directory."""
        path = self._bucket_dir(bucket)
        if not os.access(path, os.W_OK):
            raise WriteRefusedError(bucket, None, "bucket directory is not writable")

    def put(self, bucket: str, key: str, data: bytes, content_type: str) -> None:
        """Write ``data`` to ``<root>/<bucket>/<key>`` atomically."""
        parts = PurePosixPath(key).parts
        if not parts or key.startswith("/") or ".." in parts:
            raise WriteRefusedError(bucket, key, "key escapes the bucket")
        target = self._bucket_dir(bucket).joinpath(*parts)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".part-")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as exc:
            raise WriteRefusedError(bucket, key, exc.strerror or type(exc).__name__) from exc


_MISSING_BUCKET = {"NoSuchBucket", "404", "NotFound"}


class S3Client(Protocol):
    """The two calls of a boto3 S3 client this module makes (boto3 ships no types)."""

    @property
    def meta(self) -> Any:
        """The client's meta (``endpoint_url``)."""
        ...

    def head_bucket(self, *, Bucket: str) -> Any:
        """S3 HeadBucket."""
        ...

    def put_object(self, *, Bucket: str, Key: str, Body: bytes, ContentType: str) -> Any:
        """S3 PutObject."""
        ...


class S3Storage:
    """Objects in S3 through a boto3 client: moto, LocalStack, MinIO or AWS itself.

    The client decides the endpoint; with no endpoint inside moto's
    ``mock_aws()`` the writes land in moto's in-memory S3.
    """

    def __init__(self, client: S3Client) -> None:
        self._client = client

    def __repr__(self) -> str:
        # The client holds credentials; only its endpoint is shown, without user info.
        parts = urlsplit(str(self._client.meta.endpoint_url))
        port = f":{parts.port}" if parts.port else ""
        return f"S3Storage(endpoint='{parts.scheme}://{parts.hostname}{port}')"

    def _translate(self, bucket: str, key: str | None, exc: Exception) -> StorageError:
        if isinstance(exc, ClientError):
            response = cast("dict[str, Any]", exc.response)
            error: dict[str, Any] = response.get("Error", {})
            code = str(error.get("Code", "Unknown"))
            status: object = response.get("ResponseMetadata", {}).get("HTTPStatusCode")
            if code in _MISSING_BUCKET or (key is None and status == 404):
                return BucketNotFoundError(bucket, key, "no such bucket")
            # The code alone: S3 messages can quote request details.
            return WriteRefusedError(bucket, key, f"S3 refused the write ({code})")
        return StorageUnavailableError(bucket, key, f"S3 unreachable ({type(exc).__name__})")

    def check_bucket(self, bucket: str) -> None:
        """``HeadBucket``: raise ``BucketNotFoundError`` or ``WriteRefusedError``."""
        try:
            self._client.head_bucket(Bucket=bucket)
        except (ClientError, BotoCoreError) as exc:
            raise self._translate(bucket, None, exc) from exc

    def put(self, bucket: str, key: str, data: bytes, content_type: str) -> None:
        """``PutObject`` of the whole body."""
        try:
            self._client.put_object(Bucket=bucket, Key=key, Body=data, ContentType=content_type)
        except (ClientError, BotoCoreError) as exc:
            raise self._translate(bucket, key, exc) from exc
