"""Stages and participant tokens."""

from __future__ import annotations

from typing import Any

from ... import _jwt
from .._errors import ConflictException, ResourceNotFoundException, ValidationException
from .._participants import disconnect, stop_replica
from .._state import Stage, Store, iso, new_id
from ._registry import check_attributes, check_tags, handler, omit_none

_DEFAULT_DURATION_MINUTES = 720
_DEFAULT_CAPABILITIES = ("PUBLISH", "SUBSCRIBE")


def _recording_defaults() -> dict[str, Any]:
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


def _recording(
    store: Store, config: dict[str, Any] | None, *, missing: type[Exception]
) -> dict[str, Any] | None:
    """Return the stored recording configuration with defaults, or None when disabled."""
    if config is None or not config.get("storageConfigurationArn"):
        return None
    arn = config["storageConfigurationArn"]
    if arn not in store.storage_configurations:
        raise missing(f"Storage configuration not found: {arn}")
    merged = _recording_defaults()
    for key, value in config.items():
        if isinstance(value, dict):
            merged[key] = {**merged.get(key, {}), **value}
        else:
            merged[key] = value
    return merged


def stage_json(store: Store, stage: Stage) -> dict[str, Any]:
    """Render a Stage."""
    return omit_none(
        {
            "arn": stage.arn,
            "name": stage.name,
            "activeSessionId": stage.active_session_id,
            "tags": dict(stage.tags),
            "autoParticipantRecordingConfiguration": stage.recording or _recording_defaults(),
            "endpoints": store.stage_endpoints(stage.stage_id),
        }
    )


def issue_token(store: Store, stage: Stage, config: dict[str, Any]) -> dict[str, Any]:
    """Mint a participant token for ``stage`` (a real ES384 JWT) and render a ParticipantToken."""
    duration: int = config.get("duration") or _DEFAULT_DURATION_MINUTES
    user_id: str | None = config.get("userId")
    attributes = check_attributes(config.get("attributes"), "attributes")
    capabilities: list[str] = list(dict.fromkeys(config.get("capabilities", _DEFAULT_CAPABILITIES)))
    store.check_quota(
        len(store.issued_participant_ids), store.quotas.max_tokens, "participant tokens"
    )
    participant_id = store.new_participant_id()
    issued_at = int(store.now())
    expires = issued_at + duration * 60
    endpoints = store.stage_endpoints(stage.stage_id)
    claims: dict[str, object] = {
        "exp": expires,
        "iat": issued_at,
        "jti": participant_id,
        "resource": stage.arn,
        "topic": stage.stage_id,
        "events_url": endpoints["events"],
        "whip_url": endpoints["whip"],
        "attributes": attributes,
        "capabilities": {
            "allow_publish": "PUBLISH" in capabilities,
            "allow_subscribe": "SUBSCRIBE" in capabilities,
        },
        "version": "1.0",
    }
    if user_id is not None:
        claims["user_id"] = user_id
    token = _jwt.encode({"kid": store.key_id}, claims, store.signing_key)
    return omit_none(
        {
            "participantId": participant_id,
            "token": token,
            "userId": user_id,
            "attributes": attributes,
            "duration": duration,
            "capabilities": capabilities,
            "expirationTime": iso(expires),
        }
    )


@handler("CreateStage")
def create_stage(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    """Create a stage, and tokens for its participantTokenConfigurations."""
    store.check_quota(len(store.stages), store.quotas.max_stages, "stages")
    tags = check_tags(params.get("tags"))
    # CreateStage models no ResourceNotFoundException: an unknown storage
    # configuration is reported as invalid input.
    recording = _recording(
        store, params.get("autoParticipantRecordingConfiguration"), missing=ValidationException
    )
    stage_id = new_id()
    stage = Stage(
        seq=store.next_seq(),
        arn=store.arn("stage", stage_id),
        stage_id=stage_id,
        name=params.get("name", ""),
        tags=tags,
        recording=recording,
    )
    store.stages[stage.arn] = stage
    tokens = [
        issue_token(store, stage, c) for c in params.get("participantTokenConfigurations", [])
    ]
    return {"stage": stage_json(store, stage), "participantTokens": tokens}


@handler("GetStage")
def get_stage(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    """Return one stage."""
    return {"stage": stage_json(store, store.stage(params["arn"]))}


@handler("UpdateStage")
def update_stage(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    """Rename a stage or change its individual participant recording."""
    stage = store.stage(params["arn"])
    if "name" in params:
        stage.name = params["name"]
    if "autoParticipantRecordingConfiguration" in params:
        stage.recording = _recording(
            store,
            params["autoParticipantRecordingConfiguration"],
            missing=ResourceNotFoundException,
        )
    return {"stage": stage_json(store, stage)}


@handler("DeleteStage")
def delete_stage(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    """Delete a stage, disconnecting its participants; refuse while a composition runs on it."""
    stage = store.stage(params["arn"])
    for composition in store.compositions.values():
        if composition.stage_arn == stage.arn and composition.active:
            raise ConflictException(
                f"Stage has an active composition ({composition.arn}); stop it first"
            )
    for key, replica in list(store.replicas.items()):
        if stage.arn in (replica.source_stage_arn, replica.destination_stage_arn):
            stop_replica(store, key)
    if stage.active_session_id is not None:
        for participant in stage.sessions[stage.active_session_id].connected():
            disconnect(store, stage, participant)
    for ingest in store.ingest_configurations.values():
        if ingest.stage_arn == stage.arn:
            ingest.stage_arn = ""
    del store.stages[stage.arn]
    return {}


@handler("ListStages")
def list_stages(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    """List stage summaries."""
    page, token = store.paginate("ListStages", store.stages.values(), params, 50)
    stages = [
        omit_none(
            {
                "arn": s.arn,
                "name": s.name,
                "activeSessionId": s.active_session_id,
                "tags": dict(s.tags),
            }
        )
        for s in page
    ]
    return omit_none({"stages": stages, "nextToken": token})


@handler("CreateParticipantToken")
def create_participant_token(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    """Mint one participant token for a stage."""
    stage = store.stage(params["stageArn"])
    return {"participantToken": issue_token(store, stage, params)}
