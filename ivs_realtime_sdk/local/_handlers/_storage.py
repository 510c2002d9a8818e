"""Storage configurations (``models/_storage_requests.py``)."""

from __future__ import annotations

from typing import Any

from ..backend import Backend, StorageConfiguration
from ._registry import handler, omit_none


def _storage_json(config: StorageConfiguration) -> dict[str, Any]:
    return {
        "arn": config.arn,
        "name": config.name,
        "s3": {"bucketName": config.bucket},
        "tags": dict(config.tags),
    }


@handler("CreateStorageConfiguration")
def create_storage_configuration(backend: Backend, params: dict[str, Any]) -> dict[str, Any]:
    """Create a storage configuration (an S3 bucket name)."""
    config = backend.create_storage_configuration(
        params.get("name", ""), params["s3"]["bucketName"], params.get("tags")
    )
    return {"storageConfiguration": _storage_json(config)}


@handler("GetStorageConfiguration")
def get_storage_configuration(backend: Backend, params: dict[str, Any]) -> dict[str, Any]:
    """Return one storage configuration."""
    return {"storageConfiguration": _storage_json(backend.get_storage_configuration(params["arn"]))}


@handler("DeleteStorageConfiguration")
def delete_storage_configuration(backend: Backend, params: dict[str, Any]) -> dict[str, Any]:
    """Delete a storage configuration unless a stage or an active composition uses it."""
    backend.delete_storage_configuration(params["arn"])
    return {}


@handler("ListStorageConfigurations")
def list_storage_configurations(backend: Backend, params: dict[str, Any]) -> dict[str, Any]:
    """List storage configuration summaries."""
    page, token = backend.list_storage_configurations(
        params.get("nextToken"), params.get("maxResults")
    )
    return omit_none(
        {"storageConfigurations": [_storage_json(c) for c in page], "nextToken": token}
    )
