"""The emulator's one backend: every rule of the service, and the state it keeps.

Handlers (``local._handlers``), the admin API, the media plane and
``LocalIVSRealTime`` reach resources only through :class:`Backend` methods.
Modules, from the bottom: ``_ids`` (IDs, timestamps), ``_state`` (the
resources), ``_errors`` (refusals), ``_bus`` (the event bus), ``_events``
(IVS's events, built from the state), ``_tokens`` (every token read or
written), ``_core`` (lock, lookups, quotas, pages), then one module per
family, and ``_backend``, which puts them together.
"""

from __future__ import annotations

from ._accounts import MAX_SCOPES, Accounts
from ._backend import Backend
from ._bus import WEBHOOK_SECRET_HEADER, EventBus
from ._compositions import CompositePlan, CompositePublisher, CompositeRenditionPlan
from ._errors import (
    AccessDeniedException,
    ConflictException,
    ExchangeRefusedError,
    InternalServerException,
    JoinRefusedError,
    ParticipantError,
    PublishRefusedError,
    ResourceNotFoundException,
    ServiceException,
    ServiceQuotaExceededException,
    SubscribeRefusedError,
    ValidationException,
    refusal_status,
)
from ._ids import iso, iso_or_none, new_id
from ._ingest import IngestPush
from ._recording import RecordingPlan
from ._stages import IssuedToken, TokenRequest, recording_defaults
from ._state import (
    Composition,
    Destination,
    EncoderConfiguration,
    Event,
    IngestConfiguration,
    Participant,
    Presence,
    PublicKey,
    Quotas,
    RecordingOutput,
    Replica,
    Session,
    Stage,
    StorageConfiguration,
)
from ._store_sqlite import StateDirectoryError

__all__ = [
    "AccessDeniedException",
    "Accounts",
    "Backend",
    "CompositePlan",
    "CompositePublisher",
    "CompositeRenditionPlan",
    "Composition",
    "ConflictException",
    "Destination",
    "EncoderConfiguration",
    "Event",
    "EventBus",
    "ExchangeRefusedError",
    "IngestConfiguration",
    "IngestPush",
    "InternalServerException",
    "IssuedToken",
    "JoinRefusedError",
    "MAX_SCOPES",
    "Participant",
    "ParticipantError",
    "Presence",
    "PublicKey",
    "PublishRefusedError",
    "Quotas",
    "RecordingOutput",
    "RecordingPlan",
    "Replica",
    "ResourceNotFoundException",
    "ServiceException",
    "ServiceQuotaExceededException",
    "Session",
    "Stage",
    "StateDirectoryError",
    "StorageConfiguration",
    "SubscribeRefusedError",
    "TokenRequest",
    "ValidationException",
    "WEBHOOK_SECRET_HEADER",
    "iso",
    "iso_or_none",
    "new_id",
    "recording_defaults",
    "refusal_status",
]
