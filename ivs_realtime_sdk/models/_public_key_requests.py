"""Requests about public keys; importing one takes a PublicKeySpec."""

from __future__ import annotations

import attrs

from ._arns import PAGINATION_TOKEN, PUBLIC_KEY_ARN, max_results


@attrs.frozen(kw_only=True)
class PublicKeyArnRequest:
    """GetPublicKey and DeletePublicKey: one by its ARN."""

    arn: str = attrs.field(validator=PUBLIC_KEY_ARN)
    """The public key's ARN."""


@attrs.frozen(kw_only=True)
class ListPublicKeysRequest:
    """ListPublicKeys: one page."""

    max_results: int | None = attrs.field(default=None, validator=max_results())
    """At most this many, 1 to 100 (service default 50)."""
    next_token: str | None = attrs.field(default=None, validator=PAGINATION_TOKEN)
    """The previous page's ``next_token``."""
