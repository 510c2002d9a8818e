"""A :class:`State` as the pieces the durable store keeps, and back.

One piece per stage (with its sessions, participants and their events),
storage, encoder and ingest configuration, composition and public key; one
for the state's identity (the token-signing key and its ``kid``); one for its
bookkeeping (issued and revoked tokens, used IDs, replicas, quotas, the
sequence counter). The store writes the pieces whose bytes changed.

What is not kept: the clock (the process's), the base URL (where the process
listens now: stage endpoints follow the new port after a restart).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._state import State
from ._store_sqlite import dumps

__all__ = ["pieces", "restore"]

# Piece kind -> the State table it comes from.
_TABLES = {
    "stage": "stages",
    "storage": "storage_configurations",
    "encoder": "encoder_configurations",
    "ingest": "ingest_configurations",
    "composition": "compositions",
    "public_key": "public_keys",
}
_BOOKKEEPING = (
    "replicas",
    "issued_participant_ids",
    "token_expiries",
    "tokens_issued",
    "revoked_token_ids",
    "used_ids",
    "recording_since",
    "quotas",
    "transition_seconds",
)


def pieces(state: State) -> dict[tuple[str, str], bytes]:
    """The state's pieces, pickled."""
    result: dict[tuple[str, str], bytes] = {}
    for kind, table in _TABLES.items():
        items: Mapping[str, Any] = getattr(state, table)
        for key, item in items.items():
            result[(kind, key)] = dumps(item)
    result[("identity", "")] = dumps((state.signing_key, state.key_id))
    bookkeeping = {name: getattr(state, name) for name in _BOOKKEEPING}
    bookkeeping["next_seq"] = state.next_seq
    result[("bookkeeping", "")] = dumps(bookkeeping)
    return result


def restore(state: State, stored: Mapping[tuple[str, str], Any]) -> None:
    """Put the stored pieces (unpickled) back into a new ``state``."""
    for (kind, key), value in stored.items():
        table = _TABLES.get(kind)
        if table is not None:
            getattr(state, table)[key] = value
    identity = stored.get(("identity", ""))
    if identity is not None:
        state.signing_key, state.key_id = identity
        state.signing_public_key = state.signing_key.public_key()
    bookkeeping = stored.get(("bookkeeping", ""))
    if bookkeeping is not None:
        for name in _BOOKKEEPING:
            setattr(state, name, bookkeeping[name])
        state.next_seq = bookkeeping["next_seq"]
