"""Stages, the participant tokens the API issues for them, and RevokeConnectionToken.

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

import heapq
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from . import _tokens
from ._core import Page
from ._errors import ConflictException, ResourceNotFoundException, ValidationException
from ._ids import new_id
from ._ingest import IngestRules
from ._state import Stage

__all__ = ["IssuedToken", "StageRules", "TokenRequest", "recording_defaults"]

_DEFAULT_DURATION_MINUTES = 720
_DEFAULT_CAPABILITIES = ("PUBLISH", "SUBSCRIBE")


class TokenRequest:
    """What a caller asks of a participant token (a ParticipantTokenConfiguration)."""

    __slots__ = ("attributes", "capabilities", "duration", "user_id")

    def __init__(
        self,
        *,
        duration: int | None = None,
        user_id: str | None = None,
        attributes: Mapping[str, str] | None = None,
        capabilities: Iterable[str] | None = None,
    ) -> None:
        """Hold the request; None takes the service's default."""
        self.duration = duration
        self.user_id = user_id
        self.attributes = attributes
        self.capabilities = capabilities


class IssuedToken:
    """A participant token the API issued, with what it grants."""

    __slots__ = (
        "attributes",
        "capabilities",
        "duration",
        "expiration",
        "participant_id",
        "token",
        "user_id",
    )

    def __init__(
        self,
        *,
        participant_id: str,
        token: str,
        user_id: str | None,
        attributes: dict[str, str],
        duration: int,
        capabilities: list[str],
        expiration: int,
    ) -> None:
        """Hold the issued token."""
        self.participant_id = participant_id
        self.token = token
        self.user_id = user_id
        self.attributes = attributes
        self.duration = duration
        self.capabilities = capabilities
        self.expiration = expiration


def recording_defaults() -> dict[str, Any]:
    """The individual participant recording configuration of a stage that records nothing."""
    return {
        "storageConfigurationArn": "",
        "mediaTypes": ["AUDIO_VIDEO"],
        "thumbnailConfiguration": {
            "targetIntervalSeconds": 60,
            "storage": ["SEQUENTIAL"],
            "recordingMode": "DISABLED",
        },
        "recordingReconnectWindowSeconds": 0,
        "hlsConfiguration": {"targetSegmentDurationSeconds": 6},
        "recordParticipantReplicas": True,
    }


class StageRules(IngestRules):
    """Stages, their tokens, and token revocation."""

    def create_stage(
        self,
        *,
        name: str,
        tags: Mapping[str, str] | None,
        recording: Mapping[str, Any] | None,
        tokens: Sequence[TokenRequest],
    ) -> tuple[Stage, list[IssuedToken]]:
        """Create a stage, and a token for each of tokens."""
        self._check_quota(len(self.state.stages), self.state.quotas.max_stages, "stages")
        checked_tags = self._check_tags(tags)
        # CreateStage models no ResourceNotFoundException: an unknown storage
        # configuration is reported as invalid input.
        merged = self._recording(recording, missing=ValidationException)
        stage_id = new_id()
        stage = Stage(
            seq=self._next_seq(),
            arn=self._arn("stage", stage_id),
            stage_id=stage_id,
            name=name,
            tags=checked_tags,
            recording=merged,
        )
        self.state.stages[stage.arn] = stage
        return stage, [self._issue(stage, request) for request in tokens]

    def get_stage(self, arn: str) -> Stage:
        """Return one stage."""
        return self._stage(arn)

    def stage_endpoints(self, stage: Stage) -> dict[str, str]:
        """The stage's endpoints (events, WHIP, RTMP, RTMPS), on the emulator's own address."""
        return self._stage_endpoints(stage.stage_id)

    def update_stage(
        self,
        arn: str,
        *,
        name: str | None,
        recording: Mapping[str, Any] | None,
        set_recording: bool,
    ) -> Stage:
        """Rename a stage or change its individual participant recording (set_recording)."""
        stage = self._stage(arn)
        if name is not None:
            stage.name = name
        if set_recording:
            stage.recording = self._recording(recording, missing=ResourceNotFoundException)
        return stage

    def delete_stage(self, arn: str) -> None:
        """Delete a stage, disconnecting its participants; refuse while a composition runs on it."""
        stage = self._stage(arn)
        for composition in self.state.compositions.values():
            if composition.stage_arn == stage.arn and composition.active:
                raise ConflictException(
                    f"Stage has an active composition ({composition.arn}); stop it first"
                )
        self._stop_replicas_touching(stage)
        session = self._active(stage)
        if session is not None:
            for participant in session.connected():
                self._disconnect(stage, participant)
        for ingest in self.state.ingest_configurations.values():
            if ingest.stage_arn == stage.arn:
                ingest.stage_arn = ""
        del self.state.stages[stage.arn]
        self._forget_tokens_of(stage.arn)

    def list_stages(self, next_token: str | None, max_results: int | None) -> Page[Stage]:
        """One page of stages."""
        return self._paginate("ListStages", self.state.stages.values(), next_token, max_results, 50)

    def create_participant_token(self, stage_arn: str, request: TokenRequest) -> IssuedToken:
        """Mint one participant token for a stage."""
        return self._issue(self._stage(stage_arn), request)

    def revoke_connection_token(self, token_id: str) -> None:
        """Refuse the token id from now on, and disconnect whoever is connected with it."""
        self.state.revoked_token_ids.add(token_id)
        for stage in self.state.stages.values():
            participant = self._find_connected(stage, token_id)
            if participant is not None:
                self._disconnect(stage, participant)

    def _issue(self, stage: Stage, request: TokenRequest) -> IssuedToken:
        duration = request.duration or _DEFAULT_DURATION_MINUTES
        attributes = self._check_attributes(request.attributes, "attributes")
        capabilities = list(
            dict.fromkeys(
                request.capabilities if request.capabilities is not None else _DEFAULT_CAPABILITIES
            )
        )
        self._forget_expired_tokens()
        self._check_quota(
            self.state.tokens_issued,
            self.state.quotas.max_tokens,
            "participant tokens",
        )
        participant_id = self._new_participant_id()
        issued_at = int(self._now())
        expires_at = float(issued_at + duration * 60)
        self.state.issued_participant_ids[participant_id] = (stage.arn, expires_at)
        self.state.tokens_issued += 1
        heapq.heappush(self.state.token_expiries, (expires_at, participant_id))
        token = _tokens.mint(
            signing_key=self.state.signing_key,
            key_id=self.state.key_id,
            participant_id=participant_id,
            stage_arn=stage.arn,
            endpoints=self._stage_endpoints(stage.stage_id),
            issued_at=issued_at,
            duration_minutes=duration,
            user_id=request.user_id,
            attributes=attributes,
            capabilities=capabilities,
        )
        return IssuedToken(
            participant_id=participant_id,
            token=token,
            user_id=request.user_id,
            attributes=attributes,
            duration=duration,
            capabilities=capabilities,
            expiration=issued_at + duration * 60,
        )

    def _recording(
        self, config: Mapping[str, Any] | None, *, missing: type[Exception]
    ) -> dict[str, Any] | None:
        """The stored recording configuration with defaults, or None when disabled."""
        if config is None or not config.get("storageConfigurationArn"):
            return None
        arn = config["storageConfigurationArn"]
        if arn not in self.state.storage_configurations:
            raise missing(f"Storage configuration not found: {arn}")
        merged = recording_defaults()
        for key, value in config.items():
            if isinstance(value, dict):
                merged[key] = {**merged.get(key, {}), **value}
            else:
                merged[key] = value
        return merged
