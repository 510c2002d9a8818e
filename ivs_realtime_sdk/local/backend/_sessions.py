"""Stage sessions: the rules of joining, publishing, subscribing, exchanging tokens, leaving.

A session starts with its first participant and ends with the last one out.
The API's session and participant operations are here; the participant
actions that clients, tests and the media plane take are in ``_participants``.
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec

from . import _tokens
from ._core import BackendCore, Page
from ._errors import (
    ExchangeRefusedError,
    JoinRefusedError,
    ParticipantError,
    PublishRefusedError,
    ResourceNotFoundException,
    SubscribeRefusedError,
    ValidationException,
)
from ._events import recording_event
from ._ids import iso, new_id
from ._state import Event, Participant, Session, Stage
from ._tokens import TokenGrant

__all__ = ["SessionRules"]

_PARTICIPANT_FILTERS = (
    "filterByUserId",
    "filterByPublished",
    "filterByState",
    "filterByRecordingState",
)


class SessionRules(BackendCore):
    """Sessions and participants: the rules, and the API's reads and disconnects."""

    # -- the API's sessions and participants -------------------------------------------

    def get_stage_session(self, stage_arn: str, session_id: str) -> Session:
        """Return a stage session or raise ResourceNotFoundException."""
        return self._session(stage_arn, session_id)

    def list_stage_sessions(
        self, stage_arn: str, next_token: str | None, max_results: int | None
    ) -> Page[Session]:
        """One page of a stage's sessions, oldest first."""
        return self._paginate(
            "ListStageSessions", self._sessions_of(stage_arn), next_token, max_results, 50
        )

    def get_participant(self, stage_arn: str, session_id: str, participant_id: str) -> Participant:
        """Return one participant of a session."""
        participant = self._session(stage_arn, session_id).participants.get(participant_id)
        if participant is None:
            raise ResourceNotFoundException(f"Participant not found: {participant_id}")
        return participant

    def list_participants(
        self,
        stage_arn: str,
        session_id: str,
        filters: Mapping[str, Any],
        next_token: str | None,
        max_results: int | None,
    ) -> Page[Participant]:
        """One page of a session's participants, with at most one filter, as the service allows.

        ``filters`` holds the ``filterBy*`` members given (``None`` means not given).
        """
        used = [name for name in _PARTICIPANT_FILTERS if filters.get(name) is not None]
        if len(used) > 1:
            raise ValidationException(
                f"Only one of {', '.join(_PARTICIPANT_FILTERS)} can be provided "
                f"(got {', '.join(used)})"
            )
        participants = self._participants_of(stage_arn, session_id)
        if used:
            wanted = filters[used[0]]
            field = {
                "filterByUserId": "user_id",
                "filterByPublished": "published",
                "filterByState": "state",
                "filterByRecordingState": "recording_state",
            }[used[0]]
            participants = [p for p in participants if getattr(p, field) == wanted]
        return self._paginate("ListParticipants", participants, next_token, max_results, 50)

    def list_participant_events(
        self,
        stage_arn: str,
        session_id: str,
        participant_id: str,
        known: Set[str],
        next_token: str | None,
        max_results: int | None,
    ) -> Page[Event]:
        """One page of a participant's events, oldest first; only names in ``known`` are listed.

        A model from before token exchange declares no ``TOKEN_EXCHANGED``: such
        events are then not listed.
        """
        events: list[Event] = []
        for participant in self._participants_of(stage_arn, session_id):
            if participant.participant_id == participant_id:
                events = [event for event in participant.events if event.name in known]
        return self._paginate("ListParticipantEvents", events, next_token, max_results, 50)

    def disconnect_participant(self, stage_arn: str, participant_id: str) -> None:
        """Disconnect a connected participant and revoke it from the stage for good."""
        stage = self._stage(stage_arn)
        participant = self._find_connected(stage, participant_id)
        if participant is None:
            raise ResourceNotFoundException(
                f"Participant {participant_id} is not connected to this stage"
            )
        stage.revoked.add(participant.participant_id)
        self._disconnect(stage, participant)
        # Documented: disconnecting an RTMP(S) publisher also clears its ingest's stage.
        for ingest in self.state.ingest_configurations.values():
            if ingest.participant_id == participant.participant_id:
                ingest.stage_arn = ""

    # -- lookups ---------------------------------------------------------------------------

    def _stage(self, arn: str) -> Stage:
        stage = self.state.stages.get(arn)
        if stage is None:
            raise ResourceNotFoundException(f"Stage not found: {arn}")
        return stage

    def _session(self, stage_arn: str, session_id: str) -> Session:
        session = self._stage(stage_arn).sessions.get(session_id)
        if session is None:
            raise ResourceNotFoundException(f"Stage session not found: {session_id}")
        return session

    def _sessions_of(self, stage_arn: str) -> list[Session]:
        # The list operations model no ResourceNotFoundException: an unknown stage
        # or session simply has nothing to list.
        stage = self.state.stages.get(stage_arn)
        return list(stage.sessions.values()) if stage is not None else []

    def _participants_of(self, stage_arn: str, session_id: str) -> list[Participant]:
        for session in self._sessions_of(stage_arn):
            if session.session_id == session_id:
                return list(session.participants.values())
        return []

    def _stage_or_refuse(self, stage_arn: str) -> Stage:
        stage = self.state.stages.get(stage_arn)
        if stage is None:
            raise JoinRefusedError("stage_not_found", f"No stage {stage_arn}")
        return stage

    def _stage_by_id(self, stage_id: str) -> Stage:
        stage = self.state.stages.get(self._arn("stage", stage_id))
        if stage is None:
            raise JoinRefusedError("stage_not_found", f"No stage {stage_id}")
        return stage

    @staticmethod
    def _active(stage: Stage) -> Session | None:
        return stage.sessions[stage.active_session_id] if stage.active_session_id else None

    @staticmethod
    def _media_stage(stage_arn: str, participant: Participant) -> str:
        """The stage whose media session carries the participant's media: a replica
        publishes its source's media, under the same participant ID."""
        if participant.replication_type == "REPLICA" and participant.source_stage_arn:
            return participant.source_stage_arn
        return stage_arn

    @staticmethod
    def _find_connected(stage: Stage, participant_id: str) -> Participant | None:
        if stage.active_session_id is None:
            return None
        participant = stage.sessions[stage.active_session_id].participants.get(participant_id)
        if participant is None or participant.state != "CONNECTED":
            return None
        return participant

    def _connected(self, stage_arn: str | None, participant_id: str) -> tuple[Stage, Participant]:
        """The connected participant, in the stage given, or in any (its own before a replica)."""
        if stage_arn is not None:
            stage = self.state.stages.get(stage_arn)
            if stage is None:
                raise ParticipantError("stage_not_found", f"No stage {stage_arn}")
            participant = self._find_connected(stage, participant_id)
            if participant is None:
                raise ParticipantError(
                    "not_connected",
                    f"Participant {participant_id} is not connected to this stage",
                    participant_id=participant_id,
                )
            return stage, participant
        replica: tuple[Stage, Participant] | None = None
        for stage in self.state.stages.values():
            participant = self._find_connected(stage, participant_id)
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

    # -- tokens ----------------------------------------------------------------------------

    def _key_for(self, kid: object) -> ec.EllipticCurvePublicKey | None:
        # The emulator's own key signs API-issued tokens; an imported public key,
        # named by its ARN, verifies self-signed ones.
        if kid == self.state.key_id:
            return self.state.signing_public_key
        public_key = self.state.public_keys.get(kid) if isinstance(kid, str) else None
        return public_key.key if public_key is not None else None

    def _verify(self, stage: Stage, token: str) -> TokenGrant:
        grant = _tokens.verify(
            token, key_for=self._key_for, now=self._now(), stage_arn=stage.arn, new_id=new_id
        )
        if grant.participant_id in stage.revoked:
            raise JoinRefusedError(
                "revoked", "Participant was disconnected and revoked from this stage"
            )
        if grant.participant_id in self.state.revoked_token_ids:
            raise JoinRefusedError("revoked", "Token was revoked by RevokeConnectionToken")
        return grant

    # -- the session's rules ---------------------------------------------------------------

    def _active_session(self, stage: Stage) -> Session:
        active = self._active(stage)
        if active is not None:
            return active
        session = Session(
            seq=self._next_seq(), session_id=f"st-{new_id(13)}", start_time=self._now()
        )
        stage.sessions[session.session_id] = session
        stage.active_session_id = session.session_id
        return session

    def _end_session(self, stage: Stage) -> None:
        if stage.active_session_id is None:
            return
        stage.sessions[stage.active_session_id].end_time = self._now()
        stage.active_session_id = None

    def _connect(
        self,
        stage: Stage,
        grant: TokenGrant,
        *,
        protocol: str = "WHIP",
        client: Mapping[str, str] | None = None,
        replica_of: tuple[str, str] | None = None,
    ) -> Participant:
        """Join ``grant``'s participant to the stage's active session (starting one if needed)."""
        if self._find_connected(stage, grant.participant_id) is not None:
            raise JoinRefusedError(
                "already_connected",
                "Participant is already connected to this stage",
                participant_id=grant.participant_id,
            )
        session = self._active_session(stage)
        participant = session.participants.get(grant.participant_id)
        if participant is None:
            participant = Participant(
                seq=self._next_seq(),
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
            participant.token_claims = grant.claims
            participant.token_expiration = grant.expiration
        if len(session.connected()) >= self.state.quotas.max_participants_per_stage:
            self._record(participant, "JOIN_ERROR", error_code="QUOTA_EXCEEDED")
            if not session.connected():
                self._end_session(stage)
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
            bucket = self.state.storage_configurations.get(recording["storageConfigurationArn"])
            participant.recording_bucket = bucket.bucket if bucket is not None else ""
            participant.recording_prefix = (
                f"{stage.stage_id}-{session.session_id}-{participant.participant_id}"
            )
            participant.recording_state = "STOPPED"
        participant.state = "CONNECTED"
        if participant.first_join_time is None:
            participant.first_join_time = self._now()
        self._record(participant, "JOINED")
        return participant

    def _start_publish(self, stage: Stage, participant: Participant) -> None:
        if participant.publishing:
            return
        if not participant.can_publish:
            self._record(participant, "PUBLISH_ERROR", error_code="INSUFFICIENT_CAPABILITIES")
            raise PublishRefusedError(
                "insufficient_capabilities",
                "Token does not grant the PUBLISH capability",
                participant_id=participant.participant_id,
            )
        participant.publishing = True
        participant.published = True
        self._record(participant, "PUBLISH_STARTED")
        if stage.recording is not None and not participant.media_recorded:
            participant.recording_state = "ACTIVE"
            recording_event(self.event_bus, self.state, participant, started=True)

    def _stop_publish(self, stage: Stage, participant: Participant) -> None:
        # Subscribers to it stop too.
        if not participant.publishing:
            return
        participant.publishing = False
        self._record(participant, "PUBLISH_STOPPED")
        if (
            stage.recording is not None
            and participant.recording_state == "ACTIVE"
            and not participant.media_recorded
        ):
            participant.recording_state = "STOPPED"
            recording_event(self.event_bus, self.state, participant, started=False)
        session = self._active(stage)
        if session is not None:
            for other in session.connected():
                if participant.participant_id in other.subscriptions:
                    self._unsubscribe(other, participant.participant_id)

    def _subscribe(self, stage: Stage, participant: Participant, publisher_id: str) -> None:
        if not participant.can_subscribe:
            self._record(
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
        publisher = self._find_connected(stage, publisher_id)
        if publisher is None or not publisher.publishing:
            self._record(
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
        self._record(participant, "SUBSCRIBE_STARTED", remote_participant_id=publisher_id)

    def _unsubscribe(self, participant: Participant, publisher_id: str) -> None:
        if publisher_id not in participant.subscriptions:
            return
        participant.subscriptions.discard(publisher_id)
        self._record(participant, "SUBSCRIBE_STOPPED", remote_participant_id=publisher_id)

    def _disconnect(self, stage: Stage, participant: Participant) -> None:
        """Take a participant out of the session; the last one out ends the session."""
        if participant.state != "CONNECTED":
            return
        self._stop_publish(stage, participant)
        for publisher_id in sorted(participant.subscriptions):
            self._unsubscribe(participant, publisher_id)
        participant.state = "DISCONNECTED"
        self._record(participant, "LEFT")
        self._participant_left(stage, participant)
        session = self._active(stage)
        if session is not None and not session.connected():
            self._end_session(stage)

    def _participant_left(self, stage: Stage, participant: Participant) -> None:
        """What else a participant's leaving ends; families that hold participants extend it."""

    def _exchange(self, stage: Stage, participant: Participant, token: str) -> None:
        """Swap a connected participant's self-signed token for ``token``, as IVS's exchangeToken.

        The new token must verify as a join would, be self-signed, and keep the old
        token's fixed claims. Records TOKEN_EXCHANGED; a capability the new token
        drops takes effect at once (publishing or subscriptions stop).
        """
        if participant.token_key_id is None or participant.token_key_id == self.state.key_id:
            raise ExchangeRefusedError(
                "not_self_signed",
                "Only self-signed tokens can be exchanged; this participant joined with a token "
                "from CreateParticipantToken",
                participant_id=participant.participant_id,
            )
        try:
            grant = self._verify(stage, token)
        except JoinRefusedError as exc:
            raise ExchangeRefusedError(
                exc.reason, str(exc), participant_id=participant.participant_id
            ) from exc
        if grant.key_id == self.state.key_id:
            raise ExchangeRefusedError(
                "not_self_signed",
                "A token from CreateParticipantToken cannot be exchanged for; sign it yourself",
                participant_id=participant.participant_id,
            )
        # Both joined with verified tokens (self-signed, as checked above), so both hold claims.
        assert participant.token_claims is not None
        assert grant.claims is not None
        changed = _tokens.changed_fixed_claims(participant.token_claims, grant.claims)
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
        participant.token_claims = grant.claims
        participant.token_expiration = grant.expiration
        self._record(
            participant,
            "TOKEN_EXCHANGED",
            previous_token=previous,
            new_token=_token_summary(participant),
        )
        if not participant.can_publish:
            self._stop_publish(stage, participant)
        if not participant.can_subscribe:
            for publisher_id in sorted(participant.subscriptions):
                self._unsubscribe(participant, publisher_id)


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
