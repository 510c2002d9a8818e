"""Public keys for self-signed participant tokens."""

from __future__ import annotations

import hashlib
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from .._errors import ConflictException, ValidationException
from .._state import PublicKey, Store, new_id
from ._registry import check_tags, handler

_SPKI_DER = (serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def _load_p384(material: str) -> tuple[ec.EllipticCurvePublicKey, bytes]:
    """Parse PEM SubjectPublicKeyInfo; only EC P-384 keys can verify ES384 tokens."""
    try:
        key = serialization.load_pem_public_key(material.encode("utf-8"))
    except (ValueError, TypeError) as exc:
        raise ValidationException(
            "Value at 'publicKeyMaterial' failed to satisfy constraint: "
            "must be a PEM-encoded public key"
        ) from exc
    if not isinstance(key, ec.EllipticCurvePublicKey) or not isinstance(key.curve, ec.SECP384R1):
        raise ValidationException(
            "Value at 'publicKeyMaterial' failed to satisfy constraint: "
            "must be an EC P-384 (secp384r1) public key"
        )
    return key, key.public_bytes(*_SPKI_DER)


def _fingerprint(der: bytes) -> str:
    # A colon-separated MD5 of the DER key, the form IVS shows for key pairs.
    digest = hashlib.md5(der, usedforsecurity=False).hexdigest()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))


def _key_json(key: PublicKey) -> dict[str, Any]:
    return {
        "arn": key.arn,
        "name": key.name,
        "publicKeyMaterial": key.material,
        "fingerprint": key.fingerprint,
        "tags": dict(key.tags),
    }


@handler("ImportPublicKey")
def import_public_key(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    """Import an EC P-384 public key; the same key twice is a conflict."""
    store.check_quota(len(store.public_keys), store.quotas.max_public_keys, "public keys")
    key, der = _load_p384(params["publicKeyMaterial"])
    fingerprint = _fingerprint(der)
    for existing in store.public_keys.values():
        if existing.fingerprint == fingerprint:
            raise ConflictException(f"This public key is already imported as {existing.arn}")
    public_key = PublicKey(
        seq=store.next_seq(),
        arn=store.arn("public-key", new_id()),
        name=params.get("name", ""),
        material=params["publicKeyMaterial"],
        fingerprint=fingerprint,
        key=key,
        tags=check_tags(params.get("tags")),
    )
    store.public_keys[public_key.arn] = public_key
    return {"publicKey": _key_json(public_key)}


@handler("GetPublicKey")
def get_public_key(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    """Return one public key."""
    return {"publicKey": _key_json(store.get(store.public_keys, params["arn"], "Public key"))}


@handler("DeletePublicKey")
def delete_public_key(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    """Delete a public key; tokens it signed are refused from then on."""
    store.get(store.public_keys, params["arn"], "Public key")
    del store.public_keys[params["arn"]]
    return {}


@handler("ListPublicKeys")
def list_public_keys(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    """List public key summaries."""
    page, token = store.paginate("ListPublicKeys", store.public_keys.values(), params, 50)
    keys = [{"arn": k.arn, "name": k.name, "tags": dict(k.tags)} for k in page]
    result: dict[str, Any] = {"publicKeys": keys}
    if token is not None:
        result["nextToken"] = token
    return result
