"""Stages and participant tokens (the SDK's ``models/_requests.py`` family)."""

from __future__ import annotations

from typing import Any

from ..backend import Backend, IssuedToken, Stage, TokenRequest, iso, recording_defaults
from ._registry import handler, omit_none


def _token_request(config: dict[str, Any]) -> TokenRequest:
    return TokenRequest(
        duration=config.get("duration"),
        user_id=config.get("userId"),
        attributes=config.get("attributes"),
        capabilities=config.get("capabilities"),
    )


def _token_json(token: IssuedToken) -> dict[str, Any]:
    return omit_none(
        {
            "participantId": token.participant_id,
            "token": token.token,
            "userId": token.user_id,
            "attributes": token.attributes,
            "duration": token.duration,
            "capabilities": token.capabilities,
            "expirationTime": iso(token.expiration),
        }
    )


def _stage_json(backend: Backend, stage: Stage) -> dict[str, Any]:
    return omit_none(
        {
            "arn": stage.arn,
            "name": stage.name,
            "activeSessionId": stage.active_session_id,
            "tags": dict(stage.tags),
            "autoParticipantRecordingConfiguration": stage.recording or recording_defaults(),
            "endpoints": backend.stage_endpoints(stage),
        }
    )


@handler("CreateStage")
def create_stage(backend: Backend, params: dict[str, Any]) -> dict[str, Any]:
    """Create a stage, and tokens for its participantTokenConfigurations."""
    stage, tokens = backend.create_stage(
        name=params.get("name", ""),
        tags=params.get("tags"),
        recording=params.get("autoParticipantRecordingConfiguration"),
        tokens=[_token_request(c) for c in params.get("participantTokenConfigurations", [])],
    )
    return {
        "stage": _stage_json(backend, stage),
        "participantTokens": [_token_json(t) for t in tokens],
    }


@handler("GetStage")
def get_stage(backend: Backend, params: dict[str, Any]) -> dict[str, Any]:
    """Return one stage."""
    return {"stage": _stage_json(backend, backend.get_stage(params["arn"]))}


@handler("UpdateStage")
def update_stage(backend: Backend, params: dict[str, Any]) -> dict[str, Any]:
    """Rename a stage or change its individual participant recording."""
    stage = backend.update_stage(
        params["arn"],
        name=params.get("name"),
        recording=params.get("autoParticipantRecordingConfiguration"),
        set_recording="autoParticipantRecordingConfiguration" in params,
    )
    return {"stage": _stage_json(backend, stage)}


@handler("DeleteStage")
def delete_stage(backend: Backend, params: dict[str, Any]) -> dict[str, Any]:
    """Delete a stage, disconnecting its participants."""
    backend.delete_stage(params["arn"])
    return {}


@handler("ListStages")
def list_stages(backend: Backend, params: dict[str, Any]) -> dict[str, Any]:
    """List stage summaries."""
    page, token = backend.list_stages(params.get("nextToken"), params.get("maxResults"))
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
def create_participant_token(backend: Backend, params: dict[str, Any]) -> dict[str, Any]:
    """Mint one participant token for a stage."""
    issued = backend.create_participant_token(params["stageArn"], _token_request(params))
    return {"participantToken": _token_json(issued)}


@handler("RevokeConnectionToken")
def revoke_connection_token(backend: Backend, params: dict[str, Any]) -> dict[str, Any]:
    """Refuse the token id from now on, and disconnect whoever is connected with it."""
    backend.revoke_connection_token(params["tokenId"])
    return {}
