"""Participant replication (``models/_replica_requests.py``)."""

from __future__ import annotations

from typing import Any

from ..backend import Backend
from ._registry import handler, omit_none


@handler("StartParticipantReplication")
def start_participant_replication(backend: Backend, params: dict[str, Any]) -> dict[str, Any]:
    """Replicate a publishing participant into another stage."""
    backend.start_participant_replication(
        params["sourceStageArn"],
        params["destinationStageArn"],
        params["participantId"],
        params.get("attributes"),
    )
    return {}


@handler("StopParticipantReplication")
def stop_participant_replication(backend: Backend, params: dict[str, Any]) -> dict[str, Any]:
    """Stop replicating a participant into a stage."""
    backend.stop_participant_replication(
        params["sourceStageArn"], params["destinationStageArn"], params["participantId"]
    )
    return {}


@handler("ListParticipantReplicas")
def list_participant_replicas(backend: Backend, params: dict[str, Any]) -> dict[str, Any]:
    """List the replicas (active and stopped) of one source participant."""
    page, token = backend.list_participant_replicas(
        params["sourceStageArn"],
        params["participantId"],
        params.get("nextToken"),
        params.get("maxResults"),
    )
    replicas = [
        {
            "sourceStageArn": r.source_stage_arn,
            "participantId": r.participant_id,
            "sourceSessionId": r.source_session_id,
            "destinationStageArn": r.destination_stage_arn,
            "destinationSessionId": r.destination_session_id,
            "replicationState": r.state,
        }
        for r in page
    ]
    return omit_none({"replicas": replicas, "nextToken": token})
