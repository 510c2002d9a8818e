"""Ingest configurations: RTMP(S) publishers bound to a stage, and their connections."""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from dataclasses import dataclass

from ._core import Page
from ._errors import (
    ConflictException,
    JoinRefusedError,
    ParticipantError,
    ResourceNotFoundException,
    ValidationException,
)
from ._ids import new_id
from ._replication import ReplicationRules
from ._state import IngestConfiguration, Participant, Stage
from ._tokens import TokenGrant

__all__ = ["IngestPush", "IngestRules"]

# Redundant ingest streams the same participant over a primary and a backup path;
# the API reference does not say how many, the RTMP publishing guide describes two.
REDUNDANT_PATHS = 2


@dataclass(frozen=True)
class IngestPush:
    """One RTMP(S) push the listener accepted: the configuration and path it streams on."""

    arn: str
    stage_arn: str
    participant_id: str


class IngestRules(ReplicationRules):
    """Ingest configurations, and the RTMP(S) publishers that stream with them."""

    def create_ingest_configuration(
        self,
        *,
        name: str,
        protocol: str,
        insecure: bool,
        stage_arn: str,
        user_id: str | None,
        attributes: Mapping[str, str] | None,
        redundant: bool,
        tags: Mapping[str, str] | None,
    ) -> IngestConfiguration:
        """Create an RTMP(S) ingest configuration with its own participant ID and stream key."""
        self._check_quota(
            len(self.state.ingest_configurations),
            self.state.quotas.max_ingest_configurations,
            "ingest configurations",
        )
        if protocol == "RTMP" and not insecure:
            raise ValidationException(
                "Value at 'insecureIngest' failed to satisfy constraint: "
                "must be true when ingestProtocol is RTMP"
            )
        # CreateIngestConfiguration models no ResourceNotFoundException.
        self._check_stage(stage_arn, missing=ValidationException)
        ingest_id = new_id()
        config = IngestConfiguration(
            seq=self._next_seq(),
            arn=self._arn("ingest-configuration", ingest_id),
            name=name,
            protocol=protocol,
            insecure=insecure,
            stream_key=self._stream_key(ingest_id),
            stage_arn=stage_arn,
            participant_id=self._new_ingest_participant_id(),
            user_id=user_id,
            attributes=self._check_attributes(attributes, "attributes"),
            tags=self._check_tags(tags),
        )
        self._set_redundant(config, redundant)
        self.state.ingest_configurations[config.arn] = config
        return config

    def get_ingest_configuration(self, arn: str) -> IngestConfiguration:
        """Return one ingest configuration, stream key included."""
        return self._get(self.state.ingest_configurations, arn, "Ingest configuration")

    def update_ingest_configuration(
        self, arn: str, *, stage_arn: str | None, redundant: bool | None
    ) -> IngestConfiguration:
        """Move an inactive configuration to another stage ("" for none); toggle redundancy.

        ``None`` leaves a setting as it is.
        """
        config = self._get(self.state.ingest_configurations, arn, "Ingest configuration")
        if stage_arn is not None:
            self._check_stage(stage_arn, missing=ResourceNotFoundException)
        if config.state == "ACTIVE" and (stage_arn is not None or redundant is not None):
            raise ConflictException("Ingest configuration is publishing; it cannot be updated now")
        if stage_arn is not None:
            config.stage_arn = stage_arn
        if redundant is not None:
            self._set_redundant(config, redundant)
        return config

    def delete_ingest_configuration(self, arn: str, *, force: bool) -> None:
        """Delete an ingest configuration; an active one only with ``force``."""
        config = self._get(self.state.ingest_configurations, arn, "Ingest configuration")
        if config.state == "ACTIVE":
            if not force:
                raise ConflictException(
                    "Ingest configuration is publishing; delete it with force=true"
                )
            stage = self.state.stages.get(config.stage_arn)
            participant = self._find_connected(stage, config.participant_id) if stage else None
            if stage is not None and participant is not None:
                self._disconnect(stage, participant)
        del self.state.ingest_configurations[config.arn]

    def list_ingest_configurations(
        self,
        stage_arn: str | None,
        state: str | None,
        next_token: str | None,
        max_results: int | None,
    ) -> Page[IngestConfiguration]:
        """One page of ingest configurations, optionally by stage and state."""
        matching = [
            c
            for c in self.state.ingest_configurations.values()
            if (stage_arn is None or c.stage_arn == stage_arn)
            and (state is None or c.state == state)
        ]
        return self._paginate("ListIngestConfigurations", matching, next_token, max_results, 50)

    # -- RTMP(S) publishers -------------------------------------------------------------

    def connect_ingest(self, arn: str) -> Participant:
        """Start an RTMP(S) publisher on an ingest configuration: it joins and publishes.

        Raises:
            JoinRefusedError: Unknown configuration, no stage, or already publishing.
        """
        ingest = self.state.ingest_configurations.get(arn)
        if ingest is None:
            raise JoinRefusedError("not_found", f"No ingest configuration {arn}")
        stage = self.state.stages.get(ingest.stage_arn)
        if stage is None:
            raise JoinRefusedError(
                "stage_not_found", "Ingest configuration is not attached to a stage"
            )
        if ingest.participant_id in stage.revoked:
            raise JoinRefusedError("revoked", "Participant was revoked")
        return self._start_ingest(stage, ingest, ingest.participant_id, ingest.protocol)

    def disconnect_ingest(self, arn: str) -> None:
        """Stop an RTMP(S) publisher started with :meth:`connect_ingest`.

        Raises:
            ParticipantError: The configuration is not publishing.
        """
        ingest = self.state.ingest_configurations.get(arn)
        if ingest is None or ingest.state != "ACTIVE":
            raise ParticipantError("not_connected", "Ingest configuration is not publishing")
        stage, participant = self._connected(ingest.stage_arn, ingest.participant_id)
        self._disconnect(stage, participant)

    # -- pushes to the emulator's RTMP(S) listener -----------------------------------------

    def authorize_push(self, stream_key: str, protocol: str) -> IngestPush:
        """Reserve the ingest path a pushed stream key selects, before the push is acknowledged.

        ``protocol`` is how the encoder connected ("RTMP" or "RTMPS"). Each path (the
        configuration's own key, and with redundant ingest each backup key) takes one push.

        Raises:
            JoinRefusedError: Unknown key, no stage, revoked, plain RTMP on a configuration
                without ``insecureIngest``, or the path already has a push. No message names
                the key.
        """
        found = self._path_of_key(stream_key)
        if found is None:
            raise JoinRefusedError("not_found", "unknown stream key")
        ingest, participant_id = found
        stage = self.state.stages.get(ingest.stage_arn)
        if stage is None:
            raise JoinRefusedError(
                "stage_not_found", "ingest configuration is not attached to a stage"
            )
        if participant_id in stage.revoked:
            raise JoinRefusedError("revoked", "participant was revoked")
        if protocol != "RTMPS" and not ingest.insecure:
            raise JoinRefusedError(
                "insecure_ingest", "plain RTMP needs insecureIngest on the configuration"
            )
        if participant_id in self.state.ingest_pushes or self._find_connected(
            stage, participant_id
        ):
            raise JoinRefusedError("already_publishing", "the stream key is already live")
        self.state.ingest_pushes.add(participant_id)
        return IngestPush(ingest.arn, ingest.stage_arn, participant_id)

    def start_push(
        self, push: IngestPush, protocol: str, *, media_recorded: bool = False
    ) -> Participant:
        """The push's media passed IVS's rules: its participant joins and publishes.

        ``media_recorded``: the media plane records the push (if its stage records) and
        reports the recording's events, as for a WHIP publisher.

        Raises:
            JoinRefusedError: The configuration or its stage went away meanwhile.
        """
        ingest = self.state.ingest_configurations.get(push.arn)
        stage = self.state.stages.get(push.stage_arn)
        if ingest is None or stage is None or ingest.stage_arn != push.stage_arn:
            raise JoinRefusedError("not_found", "ingest configuration or stage is gone")
        if push.participant_id not in self.state.ingest_pushes:
            raise JoinRefusedError("not_found", "the push was released")
        return self._start_ingest(
            stage, ingest, push.participant_id, protocol, media_recorded=media_recorded
        )

    def end_push(self, push: IngestPush) -> None:
        """The push ended (encoder, link, refusal): release its path; its participant leaves."""
        self.state.ingest_pushes.discard(push.participant_id)
        stage = self.state.stages.get(push.stage_arn)
        participant = self._find_connected(stage, push.participant_id) if stage else None
        if stage is not None and participant is not None:
            self._disconnect(stage, participant)

    def push_wanted(self, push: IngestPush, *, started: bool) -> bool:
        """Whether a push may go on: False once DisconnectParticipant, a deleted configuration
        or stage, or a reset ended it (the listener then closes the connection)."""
        if push.participant_id not in self.state.ingest_pushes:
            return False
        if push.arn not in self.state.ingest_configurations:
            return False
        if started:
            stage = self.state.stages.get(push.stage_arn)
            return (
                stage is not None and self._find_connected(stage, push.participant_id) is not None
            )
        return push.stage_arn in self.state.stages

    def _path_of_key(self, stream_key: str) -> tuple[IngestConfiguration, str] | None:
        # Compared in constant time: the key is a secret.
        wanted = stream_key.encode()
        for ingest in self.state.ingest_configurations.values():
            paths = [(ingest.participant_id, ingest.stream_key), *ingest.redundant_credentials]
            for participant_id, key in paths:
                if hmac.compare_digest(key.encode(), wanted):
                    return ingest, participant_id
        return None

    def _start_ingest(
        self,
        stage: Stage,
        ingest: IngestConfiguration,
        participant_id: str,
        protocol: str,
        *,
        media_recorded: bool = False,
    ) -> Participant:
        grant = TokenGrant(
            participant_id=participant_id,
            user_id=ingest.user_id,
            attributes=dict(ingest.attributes),
            can_publish=True,
            can_subscribe=False,
        )
        participant = self._connect(stage, grant, protocol=protocol)
        participant.ingest_configuration_arn = ingest.arn
        participant.redundant_ingest = ingest.redundant
        participant.media_recorded = media_recorded
        self._start_publish(stage, participant)
        ingest.state = "ACTIVE"
        return participant

    def _participant_left(self, stage: Stage, participant: Participant) -> None:
        # An RTMP(S) publisher that leaves stops its configuration's ingest (when no other
        # path of a redundant configuration still streams).
        super()._participant_left(stage, participant)
        for ingest in self.state.ingest_configurations.values():
            paths = {ingest.participant_id, *(p for p, _ in ingest.redundant_credentials)}
            if participant.participant_id in paths and not any(
                p != participant.participant_id and self._find_connected(stage, p) for p in paths
            ):
                ingest.state = "INACTIVE"

    def _check_stage(self, stage_arn: str, *, missing: type[Exception]) -> None:
        if stage_arn and stage_arn not in self.state.stages:
            raise missing(f"Stage not found: {stage_arn}")

    def _stream_key(self, ingest_id: str) -> str:
        return f"rt_{self.state.account_id}_{self.state.region}_{ingest_id}_{new_id(32)}"

    def _set_redundant(self, config: IngestConfiguration, redundant: bool) -> None:
        """Turn redundant ingest on (one new participant id and key per path) or off."""
        if not redundant:
            config.redundant_credentials = []
        elif not config.redundant_credentials:
            ingest_id = config.arn.rsplit("/", 1)[1]
            config.redundant_credentials = [
                (self._new_ingest_participant_id(), self._stream_key(ingest_id))
                for _ in range(REDUNDANT_PATHS)
            ]
