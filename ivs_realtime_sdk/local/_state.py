"""In-memory resources of one emulator instance.

Every read and write goes through one :class:`Store` while its ``lock`` is
held: the HTTP handlers run on the server's event loop, but tests drive
participants from other threads, so a plain re-entrant lock keeps both sides
consistent without making the handlers async.
"""

from __future__ import annotations

import base64
import binascii
import itertools
import json
import random
import string
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar

from cryptography.hazmat.primitives.asymmetric import ec

from ._errors import ResourceNotFoundException, ServiceQuotaExceededException, ValidationException
from ._events import EventBus

__all__ = [
    "Composition",
    "Destination",
    "EncoderConfiguration",
    "Event",
    "IngestConfiguration",
    "Participant",
    "PublicKey",
    "Quotas",
    "Replica",
    "Session",
    "Stage",
    "StorageConfiguration",
    "Store",
    "iso",
]

_ALPHANUMERIC = string.ascii_letters + string.digits
# IDs need uniqueness, not secrecy; a seeded PRNG is much faster than secrets.
_random = random.Random()
_choices = _random.choices


def new_id(length: int = 12) -> str:
    """Return a random alphanumeric ID like the service's (12 characters by default)."""
    return "".join(_choices(_ALPHANUMERIC, k=length))


def iso(timestamp: float) -> str:
    """Format Unix seconds as ISO 8601 UTC with milliseconds, e.g. ``2026-11-26T12:00:00.123Z``."""
    moment = datetime.fromtimestamp(timestamp, UTC)
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{moment.microsecond // 1000:03d}Z"


@dataclass(frozen=True, slots=True)
class Quotas:
    """Limits whose excess gives ServiceQuotaExceededException (or JOIN_ERROR for participants)."""

    max_stages: int = 1000
    """Stages per account."""
    max_storage_configurations: int = 1000
    """Storage configurations per account."""
    max_encoder_configurations: int = 1000
    """Encoder configurations per account."""
    max_ingest_configurations: int = 1000
    """Ingest configurations per account."""
    max_public_keys: int = 1000
    """Imported public keys per account."""
    max_active_compositions: int = 1000
    """Compositions in STARTING, ACTIVE or STOPPING state per account."""
    max_participants_per_stage: int = 1000
    """Connected participants in one stage session (beyond it: JOIN_ERROR QUOTA_EXCEEDED)."""
    max_tokens: int | None = None
    """Participant tokens issued over the emulator's life; ``None`` means unlimited."""


class _Sequenced(Protocol):
    @property
    def seq(self) -> int: ...


T = TypeVar("T", bound=_Sequenced)


@dataclass(slots=True)
class Event:
    """One participant event of a stage session."""

    seq: int
    name: str
    participant_id: str
    time: float
    remote_participant_id: str | None = None
    error_code: str | None = None
    destination_stage_arn: str | None = None
    destination_session_id: str | None = None
    replica: bool = False
    # TOKEN_EXCHANGED: wire summaries (ExchangedParticipantToken) of both tokens.
    previous_token: dict[str, Any] | None = None
    new_token: dict[str, Any] | None = None


@dataclass(slots=True)
class Participant:
    """A participant of one stage session."""

    seq: int
    participant_id: str
    user_id: str | None
    attributes: dict[str, str]
    can_publish: bool
    can_subscribe: bool
    protocol: str = "WHIP"
    state: str = "DISCONNECTED"
    first_join_time: float | None = None
    published: bool = False
    publishing: bool = False
    subscriptions: set[str] = field(default_factory=lambda: set[str]())
    recording_state: str = "DISABLED"
    recording_bucket: str = ""
    recording_prefix: str = ""
    replication_type: str = "NONE"
    replication_state: str | None = None
    source_stage_arn: str | None = None
    source_session_id: str | None = None
    client: dict[str, str] = field(default_factory=lambda: dict[str, str]())
    events: list[Event] = field(default_factory=lambda: list[Event]())
    stage_arn: str = ""
    session_id: str = ""
    # The token it joined with (or exchanged for): who signed it, its claims, its expiry.
    token_key_id: str | None = None
    token_claims: dict[str, Any] = field(default_factory=lambda: dict[str, Any]())
    token_expiration: float | None = None
    # Set for RTMP(S) publishers: the ingest configuration they stream with.
    ingest_configuration_arn: str | None = None
    redundant_ingest: bool | None = None


@dataclass(slots=True)
class Session:
    """A stage session: from the first participant's join to the last one's leave."""

    seq: int
    session_id: str
    start_time: float
    end_time: float | None = None
    participants: dict[str, Participant] = field(default_factory=lambda: dict[str, Participant]())

    def connected(self) -> list[Participant]:
        """Return the participants now connected."""
        return [p for p in self.participants.values() if p.state == "CONNECTED"]


@dataclass(slots=True)
class Stage:
    """A stage and its sessions."""

    seq: int
    arn: str
    stage_id: str
    name: str
    tags: dict[str, str]
    recording: dict[str, Any] | None = None
    active_session_id: str | None = None
    sessions: dict[str, Session] = field(default_factory=lambda: dict[str, Session]())
    revoked: set[str] = field(default_factory=lambda: set[str]())


@dataclass(slots=True)
class StorageConfiguration:
    """Where recordings go (an S3 bucket)."""

    seq: int
    arn: str
    name: str
    bucket: str
    tags: dict[str, str]


@dataclass(slots=True)
class EncoderConfiguration:
    """Video settings of a composition output."""

    seq: int
    arn: str
    name: str
    video: dict[str, Any]
    tags: dict[str, str]


@dataclass(slots=True)
class IngestConfiguration:
    """An RTMP(S) publisher bound to a stage."""

    seq: int
    arn: str
    name: str
    protocol: str
    insecure: bool
    stream_key: str
    stage_arn: str
    participant_id: str
    user_id: str | None
    attributes: dict[str, str]
    tags: dict[str, str]
    state: str = "INACTIVE"
    # (participant id, stream key) of each redundant path, while redundant.
    redundant_credentials: list[tuple[str, str]] = field(
        default_factory=lambda: list[tuple[str, str]]()
    )

    @property
    def redundant(self) -> bool:
        """Whether redundant ingest is on: it is while there are redundant credentials."""
        return bool(self.redundant_credentials)


@dataclass(slots=True)
class Destination:
    """One output of a composition."""

    destination_id: str
    configuration: dict[str, Any]
    state: str
    start_time: float | None = None
    end_time: float | None = None
    recording_prefix: str | None = None


@dataclass(slots=True)
class Composition:
    """A server-side composition of a stage."""

    seq: int
    arn: str
    stage_arn: str
    layout: dict[str, Any]
    destinations: list[Destination]
    tags: dict[str, str]
    state: str
    state_since: float
    idempotency_token: str | None
    start_time: float | None = None
    end_time: float | None = None

    @property
    def active(self) -> bool:
        """Whether the composition still holds its stage and configurations."""
        return self.state in ("STARTING", "ACTIVE", "STOPPING")


@dataclass(slots=True)
class PublicKey:
    """An imported public key that verifies self-signed participant tokens."""

    seq: int
    arn: str
    name: str
    material: str
    fingerprint: str
    key: ec.EllipticCurvePublicKey
    tags: dict[str, str]


@dataclass(slots=True)
class Replica:
    """A participant replicated from a source stage to a destination stage."""

    seq: int
    participant_id: str
    source_stage_arn: str
    source_session_id: str
    destination_stage_arn: str
    destination_session_id: str
    state: str = "ACTIVE"


class Store:
    """All resources of one emulator, plus its identity (region, account, signing key)."""

    def __init__(
        self,
        *,
        region: str,
        account_id: str,
        quotas: Quotas,
        clock: Callable[[], float],
    ) -> None:
        """Create an empty store; ``clock`` returns Unix seconds."""
        self.region = region
        self.account_id = account_id
        self.quotas = quotas
        self.clock = clock
        self.lock = threading.RLock()
        self.base_url = "http://127.0.0.1"
        # Clock seconds a composition stays STARTING / STOPPING; 0 means "until the next read".
        self.transition_seconds = 0.0
        self.signing_key = ec.generate_private_key(ec.SECP384R1())
        self.signing_public_key = self.signing_key.public_key()
        self.key_id = f"emulator-{new_id()}"
        self._arn_prefix = f"arn:aws:ivs:{region}:{account_id}:"
        self._seq = itertools.count(1)
        self.event_bus = EventBus()
        """The EventBridge events this emulator sent, and who gets them."""
        self.reset()

    def reset(self) -> None:
        """Forget every resource (the signing key stays)."""
        with self.lock:
            self.stages: dict[str, Stage] = {}
            self.storage_configurations: dict[str, StorageConfiguration] = {}
            self.encoder_configurations: dict[str, EncoderConfiguration] = {}
            self.ingest_configurations: dict[str, IngestConfiguration] = {}
            self.compositions: dict[str, Composition] = {}
            self.public_keys: dict[str, PublicKey] = {}
            self.replicas: dict[int, Replica] = {}
            self.issued_participant_ids: list[str] = []
            # Token ids (jti) refused on every stage by RevokeConnectionToken.
            self.revoked_token_ids: set[str] = set()
            self._used_ids: set[str] = set()
            self.event_bus.clear()

    # -- identity ---------------------------------------------------------------

    def next_seq(self) -> int:
        """Return the next creation sequence number (orders lists and pages)."""
        return next(self._seq)

    def now(self) -> float:
        """Return the emulator's current time in Unix seconds."""
        return self.clock()

    def arn(self, kind: str, resource_id: str) -> str:
        """Return ``arn:aws:ivs:REGION:ACCOUNT:KIND/ID``."""
        return f"{self._arn_prefix}{kind}/{resource_id}"

    def new_participant_id(self, *, token: bool = True) -> str:
        """Return a participant ID never used before by this emulator.

        IDs for tokens are also recorded in ``issued_participant_ids``, which load
        tests read to prove that no call was lost or answered twice.
        """
        while True:
            participant_id = new_id()
            if participant_id not in self._used_ids:
                self._used_ids.add(participant_id)
                if token:
                    self.issued_participant_ids.append(participant_id)
                return participant_id

    @property
    def global_whip_url(self) -> str:
        """The emulator's global WHIP endpoint: it redirects offers to their stage's own."""
        return f"{self.base_url}/_emulator/whip"

    def stage_endpoints(self, stage_id: str) -> dict[str, str]:
        """Return the stage's endpoints; loopback URLs, since nothing real serves them."""
        host = self.base_url.split("://", 1)[1]
        return {
            "events": f"ws://{host}/_emulator/stages/{stage_id}/events",
            "whip": f"{self.base_url}/_emulator/stages/{stage_id}/whip",
            "rtmp": f"rtmp://{host}/_emulator/stages/{stage_id}/app/",
            "rtmps": f"rtmps://{host}/_emulator/stages/{stage_id}/app/",
        }

    # -- lookups ----------------------------------------------------------------

    def stage(self, arn: str) -> Stage:
        """Return the stage or raise ResourceNotFoundException."""
        stage = self.stages.get(arn)
        if stage is None:
            raise ResourceNotFoundException(f"Stage not found: {arn}")
        return stage

    def session(self, stage_arn: str, session_id: str) -> tuple[Stage, Session]:
        """Return a stage session or raise ResourceNotFoundException."""
        stage = self.stage(stage_arn)
        session = stage.sessions.get(session_id)
        if session is None:
            raise ResourceNotFoundException(f"Stage session not found: {session_id}")
        return stage, session

    def get(self, table: Mapping[str, T], arn: str, what: str) -> T:
        """Return ``table[arn]`` or raise ResourceNotFoundException naming ``what``."""
        item = table.get(arn)
        if item is None:
            raise ResourceNotFoundException(f"{what} not found: {arn}")
        return item

    def tagged(self, arn: str) -> dict[str, str]:
        """Return the live tag dict of any taggable resource, or raise ResourceNotFoundException."""
        kind = arn.rsplit(":", 1)[-1].split("/", 1)[0]
        tables: dict[str, Mapping[str, Any]] = {
            "stage": self.stages,
            "storage-configuration": self.storage_configurations,
            "encoder-configuration": self.encoder_configurations,
            "ingest-configuration": self.ingest_configurations,
            "composition": self.compositions,
            "public-key": self.public_keys,
        }
        table = tables.get(kind)
        resource = table.get(arn) if table is not None else None
        if resource is None:
            raise ResourceNotFoundException(f"Resource not found: {arn}")
        tags: dict[str, str] = resource.tags
        return tags

    def check_quota(self, current: int, limit: int | None, what: str) -> None:
        """Raise ServiceQuotaExceededException if one more would pass ``limit``."""
        if limit is not None and current >= limit:
            raise ServiceQuotaExceededException(
                f"Service quota exceeded: at most {limit} {what} are allowed"
            )

    # -- pagination -------------------------------------------------------------

    def paginate(
        self,
        operation: str,
        items: Iterable[T],
        params: Mapping[str, Any],
        default_max: int,
    ) -> tuple[list[T], str | None]:
        """Return one page of ``items`` (in creation order) and the next token, if any.

        The token carries the sequence number of the last item returned, so that
        pages stay correct when items are added or deleted between calls.
        """
        after = 0
        token = params.get("nextToken")
        if token:
            after = _decode_token(operation, token)
        limit: int = params.get("maxResults") or default_max
        ordered = sorted((item for item in items if item.seq > after), key=lambda i: i.seq)
        page = ordered[:limit]
        next_token = _encode_token(operation, page[-1].seq) if len(ordered) > limit else None
        return page, next_token


def _encode_token(operation: str, seq: int) -> str:
    raw = json.dumps({"op": operation, "after": seq}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode("ascii")


def _decode_token(operation: str, token: str) -> int:
    try:
        data = json.loads(base64.urlsafe_b64decode(token.encode("ascii")))
        after = data["after"] if data["op"] == operation else None
    except (binascii.Error, ValueError, KeyError, TypeError, UnicodeEncodeError):
        after = None
    if not isinstance(after, int):
        raise ValidationException("The nextToken is not valid for this operation")
    return after


def default_clock() -> float:
    """Return the wall-clock time in Unix seconds."""
    return time.time()
