"""Public keys: verify participant tokens that you sign yourself."""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from .._frozen import EMPTY
from ._arns import RESOURCE_NAME, TAGS
from ._constraints import Text, str_map
from ._response import typed_fields

__all__ = ["PublicKey", "PublicKeySpec", "PublicKeySummary"]

# A PEM-encoded public key, as the service model describes it.
PUBLIC_KEY_MATERIAL = Text(
    pattern=r".*-----BEGIN PUBLIC KEY-----\r?\n([a-zA-Z0-9+/=\r\n]+)\r?\n"
    r"-----END PUBLIC KEY-----(\r?\n)?.*"
)


@attrs.frozen(kw_only=True)
class PublicKeySpec:
    """Everything needed to import a public key."""

    public_key_material: str = attrs.field(validator=PUBLIC_KEY_MATERIAL)
    """The public key, PEM-encoded (``-----BEGIN PUBLIC KEY-----`` ...)."""
    name: str | None = attrs.field(default=None, validator=RESOURCE_NAME)
    """Name: at most 128 of ``[a-zA-Z0-9-_]``."""
    tags: Mapping[str, str] = attrs.field(default=EMPTY, converter=str_map, validator=TAGS)
    """Tags: at most 50, keys of 1 to 128 characters, values of at most 256."""


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class PublicKey:
    """An imported public key, as the service describes it."""

    arn: str | None = None
    """The public key's ARN."""
    name: str | None = None
    """Its name."""
    public_key_material: str | None = None
    """The public key, PEM-encoded."""
    fingerprint: str | None = None
    """The key's fingerprint."""
    tags: Mapping[str, str] = attrs.field(default=EMPTY, converter=str_map)
    """Its tags."""


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class PublicKeySummary:
    """A public key, as ``list_public_keys`` shows it."""

    arn: str | None = None
    """The public key's ARN."""
    name: str | None = None
    """Its name."""
    tags: Mapping[str, str] = attrs.field(default=EMPTY, converter=str_map)
    """Its tags."""
