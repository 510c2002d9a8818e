"""The emulator's resources: plain dataclasses, and the one :class:`State` that holds them.

Only the backend reads and writes them (under its lock); handlers, the admin
API and the media plane get them back from backend methods and render them.
A durable store would persist :class:`State` field by field: every change to
it is made by a backend method.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec

from ...tokens import TokenClaims
from ._ids import new_id

__all__ = [
    "Composition",
    "Destination",
    "EncoderConfiguration",
    "Event",
    "IngestConfiguration",
    "Participant",
    "Presence",
    "PublicKey",
    "Quotas",
    "Replica",
    "Session",
    "Stage",
    "State",
    "StorageConfiguration",
]


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
    # A WHIP publisher's recording events come from its recorder (local._media), not here.
    media_recorded: bool = False
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
    token_claims: TokenClaims | None = None
    token_expiration: float | None = None
    # Set for RTMP(S) publishers: the ingest configuration they stream with.
    ingest_configuration_arn: str | None = None
    redundant_ingest: bool | None = None


@dataclass(frozen=True, slots=True)
class RecordingOutput:
    """Where the media plane writes recordings: an S3 API, or a local directory."""

    s3: bool = False
    """Write through boto3's S3 client (AWS, or moto's ``mock_aws()`` in-process)."""
    s3_endpoint_url: str | None = None
    """An S3 API to write to instead of AWS's (moto's server, LocalStack, MinIO)."""
    directory: str | None = None
    """Without S3: the directory holding ``<bucket>/<key>`` (None: a new temporary one)."""


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

    def encoder_arns(self) -> set[str]:
        """Every encoder configuration ARN its destinations use."""
        arns: set[str] = set()
        for destination in self.destinations:
            channel: dict[str, Any] = destination.configuration.get("channel") or {}
            if channel.get("encoderConfigurationArn"):
                arns.add(channel["encoderConfigurationArn"])
            s3: dict[str, Any] = destination.configuration.get("s3") or {}
            arns.update(s3.get("encoderConfigurationArns", ()))
        return arns


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


@dataclass(frozen=True, slots=True)
class Presence:
    """What the stage events socket shows of one connected participant (a copy)."""

    participant_id: str
    user_id: str
    attributes: dict[str, str]
    publishing: bool


class State:
    """All resources of one emulator, plus its identity (region, account, signing key)."""

    def __init__(
        self, *, region: str, account_id: str, quotas: Quotas, clock: Callable[[], float]
    ) -> None:
        """Create an empty state; ``clock`` returns Unix seconds."""
        self.region = region
        self.account_id = account_id
        self.quotas = quotas
        self.clock = clock
        self.base_url = "http://127.0.0.1"
        # The RTMP(S) listeners' URLs ("rtmp", "rtmps" -> "rtmp://HOST:PORT/app/"), once bound.
        self.ingest_urls: dict[str, str] = {}
        # Clock seconds a composition stays STARTING / STOPPING; 0 means "until the next read".
        self.transition_seconds = 0.0
        self.recording_output = RecordingOutput()
        # Seconds a WHIP peer may go without connecting, or without answering ICE consent
        # checks, before its participant leaves (RFC 7675's consent window).
        self.media_consent_window = 30.0
        # Seconds an ACTIVE composition goes on without a publisher before it stops (IVS: 60).
        self.composition_idle_seconds = 60.0
        self.signing_key = ec.generate_private_key(ec.SECP384R1())
        self.signing_public_key = self.signing_key.public_key()
        self.key_id = f"emulator-{new_id()}"
        self.arn_prefix = f"arn:aws:ivs:{region}:{account_id}:"
        # The next resource sequence number (pagination order); a plain int, so it is stored as one.
        self.next_seq = 1
        self.clear()

    def clear(self) -> None:
        """Forget every resource (identity and signing key stay)."""
        self.stages: dict[str, Stage] = {}
        self.storage_configurations: dict[str, StorageConfiguration] = {}
        self.encoder_configurations: dict[str, EncoderConfiguration] = {}
        self.ingest_configurations: dict[str, IngestConfiguration] = {}
        self.compositions: dict[str, Composition] = {}
        self.public_keys: dict[str, PublicKey] = {}
        self.replicas: dict[int, Replica] = {}
        # The participant ids of tokens still alive (unexpired, of a stage that exists), in
        # the order issued, each with its stage and expiry: what uniqueness needs. Expired
        # and deleted-stage ids are dropped, so memory follows the live tokens only.
        self.issued_participant_ids: dict[str, tuple[str, float]] = {}
        # (expiry, participant id) of those tokens, a heap: the next to expire on top.
        self.token_expiries: list[tuple[float, str]] = []
        # Tokens issued since the last reset, for the max_tokens quota.
        self.tokens_issued = 0
        # Token ids (jti) refused on every stage by RevokeConnectionToken.
        self.revoked_token_ids: set[str] = set()
        # Participant IDs (one per ingest path) an RTMP(S) push holds, from publish to its end.
        self.ingest_pushes: set[str] = set()
        # Participant ids of ingest configurations (not tokens), kept unique with the tokens'.
        self.used_ids: set[str] = set()
        # When each individually recorded participant started recording (Recording End's duration).
        self.recording_since: dict[tuple[str, str, str], float] = {}
        # (composition ARN, destination ID) of each composite the media plane is writing:
        # the composition stays STOPPING until its files are complete. Not durable: a
        # restarted process writes nothing of the old one's.
        self.composites_writing: set[tuple[str, str]] = set()
        # When each ACTIVE composition's stage last lost its last publisher (the idle stop).
        self.composition_idle_since: dict[str, float] = {}
