"""Participant replication: a publishing participant copied into another stage.

The copy joins the destination as a REPLICA that publishes; the source gets
REPLICATION_STARTED and, when the copy ends (stopped, source left, either
stage deleted), REPLICATION_STOPPED.
"""

from __future__ import annotations

from collections.abc import Mapping

from ._core import Page
from ._errors import ConflictException, ResourceNotFoundException, ValidationException
from ._sessions import SessionRules
from ._state import Participant, Replica, Stage
from ._tokens import TokenGrant

__all__ = ["ReplicationRules"]


class ReplicationRules(SessionRules):
    """StartParticipantReplication, StopParticipantReplication, ListParticipantReplicas."""

    def start_participant_replication(
        self,
        source_stage_arn: str,
        destination_stage_arn: str,
        participant_id: str,
        attributes: Mapping[str, str] | None,
    ) -> Replica:
        """Replicate a publishing participant into another stage."""
        source = self._stage(source_stage_arn)
        destination = self._stage(destination_stage_arn)
        if source.arn == destination.arn:
            raise ValidationException("sourceStageArn and destinationStageArn must differ")
        extra = self._check_attributes(attributes, "attributes")
        original = self._find_connected(source, participant_id)
        if original is None:
            raise ResourceNotFoundException(
                f"Participant {participant_id} is not connected to the source stage"
            )
        if not original.publishing:
            raise ConflictException("Only a publishing participant can be replicated")
        if original.replication_type == "REPLICA":
            raise ConflictException("A replica cannot be replicated again")
        if self._replica_of(source, destination, original.participant_id) is not None:
            raise ConflictException("Participant is already replicated to the destination stage")
        if self._find_connected(destination, original.participant_id) is not None:
            raise ConflictException("Participant is already connected to the destination stage")
        assert source.active_session_id is not None
        grant = TokenGrant(
            participant_id=original.participant_id,
            user_id=original.user_id,
            attributes={**original.attributes, **extra},
            can_publish=True,
            can_subscribe=False,
        )
        copy = self._connect(
            destination,
            grant,
            protocol=original.protocol,
            replica_of=(source.arn, source.active_session_id),
        )
        # The replica of a WHIP publisher carries its media: the media plane records it.
        copy.media_recorded = original.media_recorded
        self._start_publish(destination, copy)
        assert destination.active_session_id is not None
        replica = Replica(
            seq=self._next_seq(),
            participant_id=original.participant_id,
            source_stage_arn=source.arn,
            source_session_id=source.active_session_id,
            destination_stage_arn=destination.arn,
            destination_session_id=destination.active_session_id,
        )
        self.state.replicas[replica.seq] = replica
        original.replication_type = "SOURCE"
        original.replication_state = "ACTIVE"
        self._record(
            original,
            "REPLICATION_STARTED",
            destination_stage_arn=destination.arn,
            destination_session_id=destination.active_session_id,
        )
        return replica

    def stop_participant_replication(
        self, source_stage_arn: str, destination_stage_arn: str, participant_id: str
    ) -> None:
        """Stop replicating a participant into a stage."""
        source = self._stage(source_stage_arn)
        destination = self._stage(destination_stage_arn)
        key = self._replica_of(source, destination, participant_id)
        if key is None:
            raise ResourceNotFoundException(
                "No active replication of this participant to that stage"
            )
        self._stop_replica(key)

    def list_participant_replicas(
        self,
        source_stage_arn: str,
        participant_id: str,
        next_token: str | None,
        max_results: int | None,
    ) -> Page[Replica]:
        """One page of the replicas (active and stopped) of one source participant."""
        matching = [
            r
            for r in self.state.replicas.values()
            if r.source_stage_arn == source_stage_arn and r.participant_id == participant_id
        ]
        return self._paginate("ListParticipantReplicas", matching, next_token, max_results, 50)

    def _replica_of(self, source: Stage, destination: Stage, participant_id: str) -> int | None:
        for key, replica in self.state.replicas.items():
            if (
                replica.state == "ACTIVE"
                and replica.source_stage_arn == source.arn
                and replica.destination_stage_arn == destination.arn
                and replica.participant_id == participant_id
            ):
                return key
        return None

    def _stop_replica(self, replica_key: int) -> None:
        """The replica leaves its stage, the source gets REPLICATION_STOPPED."""
        replica = self.state.replicas[replica_key]
        if replica.state != "ACTIVE":
            return
        replica.state = "STOPPED"
        destination = self.state.stages.get(replica.destination_stage_arn)
        if destination is not None:
            copy = self._find_connected(destination, replica.participant_id)
            if copy is not None and copy.replication_type == "REPLICA":
                copy.replication_state = "STOPPED"
                self._disconnect(destination, copy)
        source = self.state.stages.get(replica.source_stage_arn)
        if source is None:
            return
        session = source.sessions.get(replica.source_session_id)
        original = session.participants.get(replica.participant_id) if session else None
        if original is None:
            return
        self._record(
            original,
            "REPLICATION_STOPPED",
            destination_stage_arn=replica.destination_stage_arn,
            destination_session_id=replica.destination_session_id,
        )
        still_active = any(
            r.state == "ACTIVE"
            and r.source_stage_arn == replica.source_stage_arn
            and r.participant_id == replica.participant_id
            for r in self.state.replicas.values()
        )
        if not still_active:
            original.replication_state = "STOPPED"

    def _stop_replicas_touching(self, stage: Stage) -> None:
        for key, replica in list(self.state.replicas.items()):
            if stage.arn in (replica.source_stage_arn, replica.destination_stage_arn):
                self._stop_replica(key)

    def _participant_left(self, stage: Stage, participant: Participant) -> None:
        # A source that leaves ends its replicas.
        super()._participant_left(stage, participant)
        if participant.replication_type == "SOURCE":
            for key, replica in list(self.state.replicas.items()):
                if (
                    replica.state == "ACTIVE"
                    and replica.source_stage_arn == stage.arn
                    and replica.participant_id == participant.participant_id
                ):
                    self._stop_replica(key)
