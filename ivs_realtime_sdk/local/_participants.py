"""Stage sessions as participants join, publish, subscribe and leave.

The service learns about participants from its media servers; the emulator
has none, so tests drive these functions through ``LocalIVSRealTime.join``
and friends. Every function expects the caller to hold ``store.lock``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import _jwt
from ..tokens import EXCHANGE_FIXED_CLAIMS
from ._events import participant_event, recording_event
from ._state import Event, Participant, Session, Stage, Store, iso, new_id

__all__ = [
    "ExchangeRefusedError",
    "JoinRefusedError",
    "ParticipantError",
    "PublishRefusedError",
    "SubscribeRefusedError",
    "TokenGrant",
    "active_session",
    "connect",
    "disconnect",
    "exchange_token",
    "find_connected",
    "find_participant",
    "join",
    "replication_started",
    "start_publish",
    "stop_publish",
    "stop_replica",
    "subscribe",
    "unsubscribe",
    "verify_token",
]


class ParticipantError(Exception):
    """A participant action the emulated stage refused; ``reason`` is a stable keyword."""

    def __init__(self, reason: str, message: str, *, participant_id: str | None = None) -> None:
        """Record the machine-readable ``reason`` next to the human ``message``."""
        super().__init__(message)
        self.reason = reason
        self.participant_id = participant_id


class JoinRefusedError(ParticipantError):
    """The stage refused a join: bad, forged, expired or foreign token, revoked participant..."""


class PublishRefusedError(ParticipantError):
    """The stage refused to let a participant publish (no PUBLISH capability)."""


class SubscribeRefusedError(ParticipantError):
    """The stage refused a subscription (no SUBSCRIBE capability, or no such publisher)."""


class ExchangeRefusedError(ParticipantError):
    """The stage refused a token exchange: not self-signed, a changed fixed claim, a bad token..."""


class TokenGrant:
    """What a verified token allows: who, on which stage, with which capabilities."""

    __slots__ = (
        "attributes",
        "can_publish",
        "can_subscribe",
        "claims",
        "expiration",
        "key_id",
        "participant_id",
        "user_id",
    )

    def __init__(
        self,
        participant_id: str,
        user_id: str | None,
        attributes: dict[str, str],
        can_publish: bool,
        can_subscribe: bool,
        *,
        key_id: str | None = None,
        expiration: float | None = None,
        claims: dict[str, Any] | None = None,
    ) -> None:
        """Hold the verified claims (and, for a token, its key ID, expiry and raw claims)."""
        self.participant_id = participant_id
        self.user_id = user_id
        self.attributes = attributes
        self.can_publish = can_publish
        self.can_subscribe = can_subscribe
        self.key_id = key_id
        self.expiration = expiration
        self.claims = claims or {}


def verify_token(store: Store, stage: Stage, token: str) -> TokenGrant:
    """Verify a participant token for ``stage`` and return what it grants.

    The ``kid`` header picks the key: the emulator's own signing key (tokens
    from CreateParticipantToken / CreateStage) or an imported public key whose
    ARN it is (self-signed tokens).

    Raises:
        JoinRefusedError: For a malformed, forged, expired, foreign or revoked token.
    """
    try:
        header, _ = _jwt.decode_unverified(token)
    except _jwt.InvalidTokenError as exc:
        raise JoinRefusedError("malformed_token", f"Malformed participant token: {exc}") from exc
    kid = header.get("kid")
    if kid == store.key_id:
        key = store.signing_public_key
    else:
        public_key = store.public_keys.get(kid) if isinstance(kid, str) else None
        if public_key is None:
            raise JoinRefusedError(
                "unknown_key", "Token is signed by a key this account does not have"
            )
        key = public_key.key
    try:
        claims = _jwt.verify(token, key)
    except _jwt.InvalidTokenError as exc:
        raise JoinRefusedError("invalid_signature", f"Token rejected: {exc}") from exc
    exp = claims.get("exp")
    if not isinstance(exp, int | float) or isinstance(exp, bool):
        raise JoinRefusedError("malformed_token", "Token has no numeric exp claim")
    if store.now() >= exp:
        raise JoinRefusedError("expired", "Token has expired")
    if claims.get("resource") != stage.arn:
        raise JoinRefusedError("wrong_stage", "Token was issued for another stage")
    participant_id = claims.get("jti")
    if not isinstance(participant_id, str) or not participant_id:
        # Self-signed tokens may omit jti; the service then assigns an ID.
        participant_id = new_id()
    if participant_id in stage.revoked:
        raise JoinRefusedError(
            "revoked", "Participant was disconnected and revoked from this stage"
        )
    if participant_id in store.revoked_token_ids:
        raise JoinRefusedError("revoked", "Token was revoked by RevokeConnectionToken")
    capabilities: Any = claims.get("capabilities") or {}
    attributes: Any = claims.get("attributes") or {}
    user_id = claims.get("user_id")
    return TokenGrant(
        participant_id=participant_id,
        user_id=user_id if isinstance(user_id, str) else None,
        attributes={str(k): str(v) for k, v in dict(attributes).items()},
        can_publish=bool(capabilities.get("allow_publish", False)),
        can_subscribe=bool(capabilities.get("allow_subscribe", False)),
        key_id=kid if isinstance(kid, str) else None,
        expiration=float(exp),
        claims=claims,
    )


def _event(store: Store, participant: Participant, name: str, **fields: Any) -> Event:
    event = Event(
        seq=store.next_seq(),
        name=name,
        participant_id=participant.participant_id,
        time=store.now(),
        replica=participant.replication_type == "REPLICA",
        **fields,
    )
    participant.events.append(event)
    participant_event(store, participant, event)
    return event


def active_session(store: Store, stage: Stage) -> Session:
    """Return the stage's active session, starting one if none is active."""
    if stage.active_session_id is not None:
        return stage.sessions[stage.active_session_id]
    session = Session(seq=store.next_seq(), session_id=f"st-{new_id(13)}", start_time=store.now())
    stage.sessions[session.session_id] = session
    stage.active_session_id = session.session_id
    return session


def find_connected(stage: Stage, participant_id: str) -> Participant | None:
    """Return the connected participant with this ID in the stage's active session."""
    if stage.active_session_id is None:
        return None
    participant = stage.sessions[stage.active_session_id].participants.get(participant_id)
    if participant is None or participant.state != "CONNECTED":
        return None
    return participant


def connect(
    store: Store,
    stage: Stage,
    grant: TokenGrant,
    *,
    protocol: str = "WHIP",
    client: Mapping[str, str] | None = None,
    replica_of: tuple[str, str] | None = None,
) -> Participant:
    """Join ``grant``'s participant to the stage's active session (starting one if needed).

    Raises:
        JoinRefusedError: If already connected, or the stage is full (JOIN_ERROR recorded).
    """
    if find_connected(stage, grant.participant_id) is not None:
        raise JoinRefusedError(
            "already_connected",
            "Participant is already connected to this stage",
            participant_id=grant.participant_id,
        )
    session = active_session(store, stage)
    participant = session.participants.get(grant.participant_id)
    if participant is None:
        participant = Participant(
            seq=store.next_seq(),
            participant_id=grant.participant_id,
            user_id=grant.user_id,
            attributes=dict(grant.attributes),
            can_publish=grant.can_publish,
            can_subscribe=grant.can_subscribe,
            protocol=protocol,
            client=dict(client or {}),
        )
        session.participants[participant.participant_id] = participant
    participant.stage_arn, participant.session_id = stage.arn, session.session_id
    if grant.key_id is not None:
        participant.token_key_id = grant.key_id
        participant.token_claims = dict(grant.claims)
        participant.token_expiration = grant.expiration
    if len(session.connected()) >= store.quotas.max_participants_per_stage:
        _event(store, participant, "JOIN_ERROR", error_code="QUOTA_EXCEEDED")
        if not session.connected():
            _end_session(store, stage)
        raise JoinRefusedError(
            "quota_exceeded",
            "Stage is full: participants-per-stage quota reached",
            participant_id=participant.participant_id,
        )
    if replica_of is not None:
        participant.replication_type = "REPLICA"
        participant.replication_state = "ACTIVE"
        participant.source_stage_arn, participant.source_session_id = replica_of
    recording = stage.recording
    if recording is not None:
        bucket = store.storage_configurations.get(recording["storageConfigurationArn"])
        participant.recording_bucket = bucket.bucket if bucket is not None else ""
        participant.recording_prefix = (
            f"{stage.stage_id}-{session.session_id}-{participant.participant_id}"
        )
        participant.recording_state = "STOPPED"
    participant.state = "CONNECTED"
    if participant.first_join_time is None:
        participant.first_join_time = store.now()
    _event(store, participant, "JOINED")
    return participant


def start_publish(store: Store, stage: Stage, participant: Participant) -> None:
    """Start publishing; without the PUBLISH capability record PUBLISH_ERROR and refuse.

    Raises:
        PublishRefusedError: If the token lacks the PUBLISH capability.
    """
    if participant.publishing:
        return
    if not participant.can_publish:
        _event(store, participant, "PUBLISH_ERROR", error_code="INSUFFICIENT_CAPABILITIES")
        raise PublishRefusedError(
            "insufficient_capabilities",
            "Token does not grant the PUBLISH capability",
            participant_id=participant.participant_id,
        )
    participant.publishing = True
    participant.published = True
    _event(store, participant, "PUBLISH_STARTED")
    if stage.recording is not None:
        participant.recording_state = "ACTIVE"
        recording_event(store, participant, started=True)


def stop_publish(store: Store, stage: Stage, participant: Participant) -> None:
    """Stop publishing (no-op if not publishing); subscribers to it stop too."""
    if not participant.publishing:
        return
    participant.publishing = False
    _event(store, participant, "PUBLISH_STOPPED")
    if stage.recording is not None and participant.recording_state == "ACTIVE":
        participant.recording_state = "STOPPED"
        recording_event(store, participant, started=False)
    session = stage.sessions[stage.active_session_id] if stage.active_session_id else None
    if session is not None:
        for other in session.connected():
            if participant.participant_id in other.subscriptions:
                unsubscribe(store, other, participant.participant_id)


def subscribe(store: Store, stage: Stage, participant: Participant, publisher_id: str) -> None:
    """Subscribe to a publishing participant of the same session.

    Raises:
        SubscribeRefusedError: Without SUBSCRIBE capability, or if the publisher is not publishing.
    """
    if not participant.can_subscribe:
        _event(
            store,
            participant,
            "SUBSCRIBE_ERROR",
            error_code="INSUFFICIENT_CAPABILITIES",
            remote_participant_id=publisher_id,
        )
        raise SubscribeRefusedError(
            "insufficient_capabilities",
            "Token does not grant the SUBSCRIBE capability",
            participant_id=participant.participant_id,
        )
    publisher = find_connected(stage, publisher_id)
    if publisher is None or not publisher.publishing:
        _event(
            store,
            participant,
            "SUBSCRIBE_ERROR",
            error_code="PUBLISHER_NOT_FOUND",
            remote_participant_id=publisher_id,
        )
        raise SubscribeRefusedError(
            "publisher_not_found",
            "No participant with that ID is publishing in this session",
            participant_id=participant.participant_id,
        )
    if publisher_id in participant.subscriptions:
        return
    participant.subscriptions.add(publisher_id)
    _event(store, participant, "SUBSCRIBE_STARTED", remote_participant_id=publisher_id)


def unsubscribe(store: Store, participant: Participant, publisher_id: str) -> None:
    """Stop a subscription (no-op if there is none)."""
    if publisher_id not in participant.subscriptions:
        return
    participant.subscriptions.discard(publisher_id)
    _event(store, participant, "SUBSCRIBE_STOPPED", remote_participant_id=publisher_id)


def _end_session(store: Store, stage: Stage) -> None:
    if stage.active_session_id is None:
        return
    stage.sessions[stage.active_session_id].end_time = store.now()
    stage.active_session_id = None


def stop_replica(store: Store, replica_key: int) -> None:
    """Stop one replication: the replica leaves its stage, the source gets REPLICATION_STOPPED."""
    replica = store.replicas[replica_key]
    if replica.state != "ACTIVE":
        return
    replica.state = "STOPPED"
    destination = store.stages.get(replica.destination_stage_arn)
    if destination is not None:
        copy = find_connected(destination, replica.participant_id)
        if copy is not None and copy.replication_type == "REPLICA":
            copy.replication_state = "STOPPED"
            disconnect(store, destination, copy)
    source = store.stages.get(replica.source_stage_arn)
    if source is None:
        return
    session = source.sessions.get(replica.source_session_id)
    original = session.participants.get(replica.participant_id) if session else None
    if original is None:
        return
    _event(
        store,
        original,
        "REPLICATION_STOPPED",
        destination_stage_arn=replica.destination_stage_arn,
        destination_session_id=replica.destination_session_id,
    )
    still_active = any(
        r.state == "ACTIVE"
        and r.source_stage_arn == replica.source_stage_arn
        and r.participant_id == replica.participant_id
        for r in store.replicas.values()
    )
    if not still_active:
        original.replication_state = "STOPPED"


def disconnect(store: Store, stage: Stage, participant: Participant) -> None:
    """Take a participant out of the session; the last one out ends the session."""
    if participant.state != "CONNECTED":
        return
    stop_publish(store, stage, participant)
    for publisher_id in sorted(participant.subscriptions):
        unsubscribe(store, participant, publisher_id)
    participant.state = "DISCONNECTED"
    _event(store, participant, "LEFT")
    if participant.replication_type == "SOURCE":
        for key, replica in list(store.replicas.items()):
            if (
                replica.state == "ACTIVE"
                and replica.source_stage_arn == stage.arn
                and replica.participant_id == participant.participant_id
            ):
                stop_replica(store, key)
    for ingest in store.ingest_configurations.values():
        if ingest.participant_id == participant.participant_id:
            ingest.state = "INACTIVE"
    session = stage.sessions[stage.active_session_id] if stage.active_session_id else None
    if session is not None and not session.connected():
        _end_session(store, stage)


def replication_started(
    store: Store, original: Participant, destination: str, session: str
) -> None:
    """Record REPLICATION_STARTED on the source participant."""
    original.replication_type = "SOURCE"
    original.replication_state = "ACTIVE"
    _event(
        store,
        original,
        "REPLICATION_STARTED",
        destination_stage_arn=destination,
        destination_session_id=session,
    )


def join(
    store: Store,
    stage_arn: str,
    token: str,
    *,
    publish: bool = False,
    protocol: str = "WHIP",
    client: Mapping[str, str] | None = None,
) -> Participant:
    """Verify ``token`` for the stage, join, and publish if asked (see ``LocalIVSRealTime.join``).

    Raises:
        JoinRefusedError: No such stage, or the stage refused the token or is full.
        PublishRefusedError: ``publish`` without the PUBLISH capability (the
            participant leaves again).
    """
    stage = store.stages.get(stage_arn)
    if stage is None:
        raise JoinRefusedError("stage_not_found", f"No stage {stage_arn}")
    grant = verify_token(store, stage, token)
    participant = connect(store, stage, grant, protocol=protocol, client=client)
    if publish:
        try:
            start_publish(store, stage, participant)
        except ParticipantError:
            disconnect(store, stage, participant)
            raise
    return participant


def find_participant(store: Store, participant_id: str) -> tuple[Stage, Participant]:
    """Find a connected participant by ID alone, in any stage (its own, before a replica).

    Raises:
        ParticipantError: No participant with this ID is connected (``not_connected``).
    """
    replica: tuple[Stage, Participant] | None = None
    for stage in store.stages.values():
        participant = find_connected(stage, participant_id)
        if participant is None:
            continue
        if participant.replication_type != "REPLICA":
            return stage, participant
        replica = replica or (stage, participant)
    if replica is None:
        raise ParticipantError(
            "not_connected",
            f"Participant {participant_id} is not connected to any stage",
            participant_id=participant_id,
        )
    return replica


def _token_summary(participant: Participant) -> dict[str, Any]:
    """The wire shape of ExchangedParticipantToken for the participant's current token."""
    capabilities = [
        name
        for name, granted in (
            ("PUBLISH", participant.can_publish),
            ("SUBSCRIBE", participant.can_subscribe),
        )
        if granted
    ]
    summary: dict[str, Any] = {
        "userId": participant.user_id,
        "attributes": dict(participant.attributes),
        "capabilities": capabilities,
        "expirationTime": (
            iso(participant.token_expiration) if participant.token_expiration is not None else None
        ),
    }
    return {key: value for key, value in summary.items() if value is not None}


def exchange_token(store: Store, stage: Stage, participant: Participant, token: str) -> None:
    """Swap a connected participant's self-signed token for ``token``, as IVS's exchangeToken.

    The new token must verify as a join would, be self-signed, and keep the old
    token's fixed claims (``jti``, ``resource``, ``topic``, ``events_url``,
    ``whip_url``). Records TOKEN_EXCHANGED; a capability the new token drops
    takes effect at once (publishing or subscriptions stop).

    Raises:
        ExchangeRefusedError: The participant joined with an API-issued token,
            the new token does not verify, is API-issued, or changes a fixed claim.
    """
    if participant.token_key_id is None or participant.token_key_id == store.key_id:
        raise ExchangeRefusedError(
            "not_self_signed",
            "Only self-signed tokens can be exchanged; this participant joined with a token "
            "from CreateParticipantToken",
            participant_id=participant.participant_id,
        )
    try:
        grant = verify_token(store, stage, token)
    except JoinRefusedError as exc:
        raise ExchangeRefusedError(
            exc.reason, str(exc), participant_id=participant.participant_id
        ) from exc
    if grant.key_id == store.key_id:
        raise ExchangeRefusedError(
            "not_self_signed",
            "A token from CreateParticipantToken cannot be exchanged for; sign it yourself",
            participant_id=participant.participant_id,
        )
    changed = [
        claim
        for claim in EXCHANGE_FIXED_CLAIMS
        if grant.claims.get(claim) != participant.token_claims.get(claim)
    ]
    if changed:
        raise ExchangeRefusedError(
            "changed_claim",
            f"A token exchange must keep these claims unchanged: {', '.join(changed)}",
            participant_id=participant.participant_id,
        )
    previous = _token_summary(participant)
    participant.user_id = grant.user_id
    participant.attributes = dict(grant.attributes)
    participant.can_publish = grant.can_publish
    participant.can_subscribe = grant.can_subscribe
    participant.token_key_id = grant.key_id
    participant.token_claims = dict(grant.claims)
    participant.token_expiration = grant.expiration
    _event(
        store,
        participant,
        "TOKEN_EXCHANGED",
        previous_token=previous,
        new_token=_token_summary(participant),
    )
    if not participant.can_publish:
        stop_publish(store, stage, participant)
    if not participant.can_subscribe:
        for publisher_id in sorted(participant.subscriptions):
            unsubscribe(store, participant, publisher_id)
