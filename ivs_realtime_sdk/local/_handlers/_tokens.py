"""RevokeConnectionToken: revoking a participant token by its id.

Which id: the API reference says only "the ID of the connection token to
revoke" (1 to 64 of ``[a-zA-Z0-9-_]``). A participant token is a JWT whose
``jti`` claim is the token's id: IVS puts the participant id it returns as
``ParticipantToken.participantId`` there, and a self-signed token carries the
participant id its signer chose there (the IVS user guide's token schema for
key-pair tokens, whose ``jti`` allows the same characters and length). So the
two readings name the same string, and the emulator revokes by ``jti``. The
operation names no stage: a revoked id is refused on every stage of the
account. Its model lists no ResourceNotFoundException, so revoking an id
nobody holds succeeds.
"""

from __future__ import annotations

from typing import Any

from .._participants import disconnect, find_connected
from .._state import Store
from ._registry import handler


@handler("RevokeConnectionToken")
def revoke_connection_token(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    """Refuse the token id from now on, and disconnect whoever is connected with it."""
    token_id: str = params["tokenId"]
    store.revoked_token_ids.add(token_id)
    for stage in store.stages.values():
        participant = find_connected(stage, token_id)
        if participant is not None:
            disconnect(store, stage, participant)
    return {}
