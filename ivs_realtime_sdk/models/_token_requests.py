"""Requests about participant tokens themselves (not a stage's): revoking one."""

from __future__ import annotations

import attrs

from ._constraints import Text

# The service model's ConnectionTokenId: a token's jti.
CONNECTION_TOKEN_ID = Text(min=1, max=64, pattern=r"[a-zA-Z0-9-_]+")


@attrs.frozen(kw_only=True)
class RevokeConnectionTokenRequest:
    """RevokeConnectionToken."""

    token_id: str = attrs.field(validator=CONNECTION_TOKEN_ID)
    """The token's id, its ``jti``: a token's ``participant_id``, from the API or self-signed."""
