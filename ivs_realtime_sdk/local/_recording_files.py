"""Reading recordings back: the files under a recording's prefix, from S3 or the local directory.

The recorders write through the emulator's ``RecordingOutput`` (``_recordings``);
the console reads the same place here: through the emulator's own boto3 S3
client (:func:`s3_client`, the one both sides make) when recordings go to an
S3 API, else from the local directory laid out as ``<bucket>/<key>``. Only
keys under a recording's prefix are read, and a relative path never climbs
out of it. Blocking (boto3 and the file system are): call from a worker thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, cast

from .backend import Backend

__all__ = ["RecordingFiles", "content_type_of", "s3_client", "safe_relative"]

_MAX_FILES = 1000
_CONTENT_TYPES = {
    ".m3u8": "application/vnd.apple.mpegurl",
    ".mp4": "video/mp4",
    ".jpg": "image/jpeg",
    ".json": "application/json",
}


def s3_client(backend: Backend) -> Any:
    """The emulator's boto3 S3 client for ``backend``'s recording output (S3 only)."""
    from boto3.session import Session

    output = backend.recording_output
    session = Session()
    # An endpoint that is not AWS (moto, LocalStack, MinIO) accepts any key: without
    # credentials in the environment, a placeholder pair signs the requests.
    key_id = secret = None
    if output.s3_endpoint_url and session.get_credentials() is None:
        key_id = secret = "emulator"
    client: Any = session.client(  # pyright: ignore[reportUnknownVariableType]
        "s3",
        region_name=backend.region,
        endpoint_url=output.s3_endpoint_url,
        aws_access_key_id=key_id,
        aws_secret_access_key=secret,
    )
    return cast("Any", client)


def safe_relative(path: str) -> str | None:
    """``path`` if it is a plain relative path (no ``..``, not absolute, no backslash)."""
    parts = PurePosixPath(path).parts
    if not path or path.startswith("/") or "\\" in path or not parts:
        return None
    if any(part in {".", ".."} for part in parts) or len(path) > 512:
        return None
    return "/".join(parts)


def content_type_of(path: str) -> str:
    """The content type the console serves a recording file with."""
    return _CONTENT_TYPES.get(PurePosixPath(path).suffix, "application/octet-stream")


@dataclass(frozen=True, slots=True)
class RecordingFiles:
    """The files of one recording: ``bucket`` and ``prefix`` as GetParticipant names them."""

    backend: Backend
    bucket: str
    prefix: str

    def _valid(self) -> bool:
        return (
            bool(self.bucket)
            and "/" not in self.bucket
            and self.bucket not in {".", ".."}
            and safe_relative(self.prefix) is not None
        )

    def _local_root(self) -> Path | None:
        directory = self.backend.recordings_directory()
        if directory is None or not self._valid():
            return None
        return Path(directory) / self.bucket / self.prefix

    def files(self) -> list[dict[str, Any]]:
        """Every file under the prefix: ``{"path", "size"}``, paths relative to it, sorted."""
        if not self._valid():
            return []
        found: list[dict[str, Any]] = []
        root = self._local_root()
        if root is not None:
            if root.is_dir():
                for file in sorted(root.rglob("*")):
                    if file.is_file() and not file.name.startswith(".part-"):
                        relative = file.relative_to(root).as_posix()
                        found.append({"path": relative, "size": file.stat().st_size})
                    if len(found) >= _MAX_FILES:
                        break
            return found
        from botocore.exceptions import BotoCoreError, ClientError

        client = s3_client(self.backend)
        pages = client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self.prefix + "/"
        )
        try:
            for page in pages:
                for item in page.get("Contents", []):
                    relative = str(item["Key"])[len(self.prefix) + 1 :]
                    found.append({"path": relative, "size": int(item["Size"])})
                if len(found) >= _MAX_FILES:
                    break
        except (BotoCoreError, ClientError):
            return []  # the bucket went away, or S3 is unreachable: nothing to list
        return sorted(found, key=lambda f: str(f["path"]))[:_MAX_FILES]

    def read(self, path: str) -> bytes | None:
        """The bytes of ``path`` under the prefix, or None if there is no such file."""
        relative = safe_relative(path)
        if relative is None or not self._valid():
            return None
        root = self._local_root()
        if root is not None:
            file = root / relative
            return file.read_bytes() if file.is_file() else None
        from botocore.exceptions import BotoCoreError, ClientError

        client = s3_client(self.backend)
        try:
            answer = client.get_object(Bucket=self.bucket, Key=f"{self.prefix}/{relative}")
        except (BotoCoreError, ClientError):
            return None
        body: bytes = answer["Body"].read()
        return body
