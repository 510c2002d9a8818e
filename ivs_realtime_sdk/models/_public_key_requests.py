"""Requests about public keys; importing one takes a PublicKeySpec."""

from __future__ import annotations

import attrs

from ._arns import PAGINATION_TOKEN, PUBLIC_KEY_ARN, max_results


@attrs.frozen(kw_only=True)
class PublicKeyArnRequest:
    """GetPublicKey and DeletePublicKey: one by its ARN."""

    arn: str = attrs.field(validator=PUBLIC_KEY_ARN)


@attrs.frozen(kw_only=True)
class ListPublicKeysRequest:
    """ListPublicKeys: one page."""

    max_results: int | None = attrs.field(default=None, validator=max_results())
    next_token: str | None = attrs.field(default=None, validator=PAGINATION_TOKEN)
