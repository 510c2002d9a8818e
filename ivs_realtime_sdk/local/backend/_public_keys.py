"""Imported public keys, which verify self-signed participant tokens."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from ._core import BackendCore, Page
from ._errors import ConflictException, ValidationException
from ._ids import new_id
from ._state import PublicKey

__all__ = ["PublicKeyRules"]

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


class PublicKeyRules(BackendCore):
    """ImportPublicKey, GetPublicKey, DeletePublicKey, ListPublicKeys."""

    def import_public_key(
        self, name: str, material: str, tags: Mapping[str, str] | None
    ) -> PublicKey:
        """Import an EC P-384 public key; the same key twice is a conflict."""
        self._check_quota(
            len(self.state.public_keys), self.state.quotas.max_public_keys, "public keys"
        )
        key, der = _load_p384(material)
        fingerprint = _fingerprint(der)
        for existing in self.state.public_keys.values():
            if existing.fingerprint == fingerprint:
                raise ConflictException(f"This public key is already imported as {existing.arn}")
        public_key = PublicKey(
            seq=self._next_seq(),
            arn=self._arn("public-key", new_id()),
            name=name,
            material=material,
            fingerprint=fingerprint,
            key=key,
            tags=self._check_tags(tags),
        )
        self.state.public_keys[public_key.arn] = public_key
        return public_key

    def get_public_key(self, arn: str) -> PublicKey:
        """Return one public key."""
        return self._get(self.state.public_keys, arn, "Public key")

    def delete_public_key(self, arn: str) -> None:
        """Delete a public key; tokens it signed are refused from then on."""
        self._get(self.state.public_keys, arn, "Public key")
        del self.state.public_keys[arn]

    def list_public_keys(self, next_token: str | None, max_results: int | None) -> Page[PublicKey]:
        """One page of public keys."""
        return self._paginate(
            "ListPublicKeys", self.state.public_keys.values(), next_token, max_results, 50
        )
