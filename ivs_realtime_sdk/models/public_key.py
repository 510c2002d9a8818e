"""Public keys: verify participant tokens that you sign yourself."""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from .._frozen import EMPTY
from ._arns import PUBLIC_KEY_ARN, RESOURCE_NAME, TAGS
from ._constraints import Text, optional, str_map

__all__ = ["PublicKey", "PublicKeySpec", "PublicKeySummary"]

# A PEM-encoded public key, as the service model describes it.
PUBLIC_KEY_MATERIAL = Text(
    pattern=r".*-----BEGIN PUBLIC KEY-----\r?\n([a-zA-Z0-9+/=\r\n]+)\r?\n"
    r"-----END PUBLIC KEY-----(\r?\n)?.*"
)
_OPTIONAL_ARN = optional(PUBLIC_KEY_ARN)


@attrs.frozen(kw_only=True)
class PublicKeySpec:
    """Everything needed to import a public key."""

    public_key_material: str = attrs.field(validator=PUBLIC_KEY_MATERIAL)
    """The public key, PEM-encoded (``-----BEGIN PUBLIC KEY-----`` ...)."""
    name: str | None = attrs.field(default=None, validator=RESOURCE_NAME)
    """Name: at most 128 of ``[a-zA-Z0-9-_]``."""
    tags: Mapping[str, str] = attrs.field(default=EMPTY, converter=str_map, validator=TAGS)
    """Tags: at most 50, keys of 1 to 128 characters, values of at most 256."""


@attrs.frozen(kw_only=True)
class PublicKey:
    """An imported public key, as the service describes it."""

    arn: str | None = attrs.field(default=None, validator=_OPTIONAL_ARN)
    """The public key's ARN."""
    name: str | None = attrs.field(default=None, validator=RESOURCE_NAME)
    """Its name."""
    public_key_material: str | None = attrs.field(
        default=None, validator=optional(PUBLIC_KEY_MATERIAL)
    )
    """The public key, PEM-encoded."""
    fingerprint: str | None = attrs.field(default=None, validator=Text(optional=True))
    """The key's fingerprint."""
    tags: Mapping[str, str] = attrs.field(default=EMPTY, converter=str_map, validator=TAGS)
    """Its tags."""


@attrs.frozen(kw_only=True)
class PublicKeySummary:
    """A public key, as ``list_public_keys`` shows it."""

    arn: str | None = attrs.field(default=None, validator=_OPTIONAL_ARN)
    """The public key's ARN."""
    name: str | None = attrs.field(default=None, validator=RESOURCE_NAME)
    """Its name."""
    tags: Mapping[str, str] = attrs.field(default=EMPTY, converter=str_map, validator=TAGS)
    """Its tags."""
