"""Signing keys: load an EC P-384 key from what users hold, or make a new pair.

Keys arrive as PEM or DER bytes, PEM text, a path or a key object; every
refusal names the mistake (a public key where a private one is needed, another
curve, an encrypted key without its password) and never shows key material.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TypeAlias

import attrs
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from ..errors import InvalidParameterError, InvalidParameterTypeError

__all__ = [
    "KeyPair",
    "PrivateKeyInput",
    "PublicKeyInput",
    "generate_key_pair",
    "load_private_key",
    "load_public_key",
    "public_pem",
]

PrivateKeyInput: TypeAlias = bytes | str | os.PathLike[str] | ec.EllipticCurvePrivateKey
"""A private key: PEM (or DER) bytes, PEM text, a path to a key file, or a key object."""
PublicKeyInput: TypeAlias = bytes | str | os.PathLike[str] | ec.EllipticCurvePublicKey
"""A public key: SPKI PEM (or DER) bytes, PEM text, a path to a key file, or a key object."""

_PEM_MARK = b"-----BEGIN"


def _read_key_file(where: str, path: os.PathLike[str]) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        problem = exc.strerror or type(exc).__name__
        raise InvalidParameterError(where, f"cannot read {os.fspath(path)!r}: {problem}") from None


def _key_bytes(where: str, value: object, kind: str) -> bytes:
    """Turn bytes, PEM text or a path into the key's bytes; refuse anything else."""
    if isinstance(value, os.PathLike):
        return _read_key_file(where, value)  # pyright: ignore[reportUnknownArgumentType]
    if isinstance(value, str):
        if "-----BEGIN" not in value:
            raise InvalidParameterError(
                where,
                f"a str must be PEM text (-----BEGIN ...); pass a pathlib.Path to read a "
                f"{kind} key file",
            )
        return value.encode("utf-8", "replace")
    if isinstance(value, bytes | bytearray):
        return bytes(value)
    expected = f"EllipticCurve{kind.capitalize()}Key"
    raise InvalidParameterTypeError(
        where,
        f"expected PEM bytes or str, a path, or a cryptography {expected}, "
        f"got {type(value).__name__}",
    )


def _family(key: object) -> str:
    name = type(key).__name__.lstrip("_")
    for suffix in ("PrivateKey", "PublicKey"):
        name = name.replace(suffix, "")
    return name or "another"


def _p384_private(where: str, key: object) -> ec.EllipticCurvePrivateKey:
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise InvalidParameterError(
            where, f"expected an EC P-384 (secp384r1) private key, got {_family(key)} key"
        )
    if not isinstance(key.curve, ec.SECP384R1):
        raise InvalidParameterError(
            where, f"expected an EC P-384 (secp384r1) private key, got curve {key.curve.name}"
        )
    return key


def _p384_public(where: str, key: object) -> ec.EllipticCurvePublicKey:
    if not isinstance(key, ec.EllipticCurvePublicKey):
        raise InvalidParameterError(
            where, f"expected an EC P-384 (secp384r1) public key, got {_family(key)} key"
        )
    if not isinstance(key.curve, ec.SECP384R1):
        raise InvalidParameterError(
            where, f"expected an EC P-384 (secp384r1) public key, got curve {key.curve.name}"
        )
    return key


def load_private_key(
    value: PrivateKeyInput, *, password: bytes | None = None, where: str = "private_key"
) -> ec.EllipticCurvePrivateKey:
    """Load an EC P-384 private key from PEM/DER bytes, PEM text, a path or a key object.

    Args:
        value: The key, or where to read it.
        password: The password of an encrypted key.
        where: The name used for the value in error messages.

    Returns:
        The private key.

    Raises:
        InvalidParameterError: The value is not a readable P-384 private key
            (the message never contains key material).
    """
    if isinstance(value, ec.EllipticCurvePrivateKey) or hasattr(value, "private_bytes"):
        return _p384_private(where, value)  # another kind of key object: say which
    if hasattr(value, "public_bytes"):
        raise InvalidParameterError(where, "this is a public key; signing needs the private key")
    data = _key_bytes(where, value, "private")
    try:
        if _PEM_MARK in data:
            key = serialization.load_pem_private_key(data, password)
        else:
            key = serialization.load_der_private_key(data, password)
    except TypeError:
        problem = (
            "the key is encrypted: give its password"
            if password is None
            else "a password was given but the key is not encrypted"
        )
        raise InvalidParameterError(where, problem) from None
    except (ValueError, UnsupportedAlgorithm):
        if b"PUBLIC KEY-----" in data:
            problem = "this is a public key; signing needs the private key"
        else:
            problem = "not a private key in PEM or DER (or a wrong password)"
        raise InvalidParameterError(where, problem) from None
    return _p384_private(where, key)


def load_public_key(
    value: PublicKeyInput, *, where: str = "public_key"
) -> ec.EllipticCurvePublicKey:
    """Load an EC P-384 public key from SPKI PEM/DER bytes, PEM text, a path or a key object.

    Args:
        value: The key, or where to read it.
        where: The name used for the value in error messages.

    Returns:
        The public key.

    Raises:
        InvalidParameterError: The value is not a readable P-384 public key.
    """
    if isinstance(value, ec.EllipticCurvePublicKey) or hasattr(value, "public_bytes"):
        return _p384_public(where, value)
    if hasattr(value, "private_bytes"):
        raise InvalidParameterError(where, "this is a private key; give its public key instead")
    data = _key_bytes(where, value, "public")
    if b"PRIVATE KEY-----" in data:
        raise InvalidParameterError(
            where, "this is a private key; give the public key (SPKI PEM) instead"
        )
    try:
        if _PEM_MARK in data:
            key = serialization.load_pem_public_key(data)
        else:
            key = serialization.load_der_public_key(data)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise InvalidParameterError(where, "not a public key in PEM or DER") from None
    return _p384_public(where, key)


def public_pem(key: ec.EllipticCurvePublicKey) -> str:
    """Return a public key as SPKI PEM, the form ImportPublicKey takes."""
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


@attrs.frozen(kw_only=True)
class KeyPair:
    """A new EC P-384 key pair: import the public half, sign with the private half.

    The private key never appears in ``repr`` or ``str``.
    """

    private_key: ec.EllipticCurvePrivateKey = attrs.field(repr=False, eq=False)
    """The private key that signs tokens (secret)."""
    public_key_pem: str
    """The public key as SPKI PEM (``-----BEGIN PUBLIC KEY-----``), what ImportPublicKey takes."""

    def private_key_pem(self, password: bytes | None = None) -> bytes:
        """Return the private key as PKCS#8 PEM, to store it.

        Args:
            password: Encrypt the PEM with this password (best available cipher).

        Returns:
            The PEM bytes (``-----BEGIN PRIVATE KEY-----`` unless encrypted).
        """
        encryption: serialization.KeySerializationEncryption = (
            serialization.BestAvailableEncryption(password)
            if password
            else serialization.NoEncryption()
        )
        return self.private_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
        )


def generate_key_pair() -> KeyPair:
    """Generate a new EC P-384 key pair for self-signed participant tokens.

    Returns:
        The key pair; import ``public_key_pem`` with ImportPublicKey.
    """
    private_key = ec.generate_private_key(ec.SECP384R1())
    return KeyPair(private_key=private_key, public_key_pem=public_pem(private_key.public_key()))
