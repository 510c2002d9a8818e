"""Public keys for self-signed participant tokens (``models/_public_key_requests.py``)."""

from __future__ import annotations

from typing import Any

from ..backend import Backend, PublicKey
from ._registry import handler, omit_none


def _key_json(key: PublicKey) -> dict[str, Any]:
    return {
        "arn": key.arn,
        "name": key.name,
        "publicKeyMaterial": key.material,
        "fingerprint": key.fingerprint,
        "tags": dict(key.tags),
    }


@handler("ImportPublicKey")
def import_public_key(backend: Backend, params: dict[str, Any]) -> dict[str, Any]:
    """Import an EC P-384 public key; the same key twice is a conflict."""
    key = backend.import_public_key(
        params.get("name", ""), params["publicKeyMaterial"], params.get("tags")
    )
    return {"publicKey": _key_json(key)}


@handler("GetPublicKey")
def get_public_key(backend: Backend, params: dict[str, Any]) -> dict[str, Any]:
    """Return one public key."""
    return {"publicKey": _key_json(backend.get_public_key(params["arn"]))}


@handler("DeletePublicKey")
def delete_public_key(backend: Backend, params: dict[str, Any]) -> dict[str, Any]:
    """Delete a public key; tokens it signed are refused from then on."""
    backend.delete_public_key(params["arn"])
    return {}


@handler("ListPublicKeys")
def list_public_keys(backend: Backend, params: dict[str, Any]) -> dict[str, Any]:
    """List public key summaries."""
    page, token = backend.list_public_keys(params.get("nextToken"), params.get("maxResults"))
    keys = [{"arn": k.arn, "name": k.name, "tags": dict(k.tags)} for k in page]
    return omit_none({"publicKeys": keys, "nextToken": token})
