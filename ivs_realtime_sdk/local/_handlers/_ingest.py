"""Ingest configurations (``models/_ingest_requests.py``)."""

from __future__ import annotations

from typing import Any

from ..backend import Backend, IngestConfiguration
from ._registry import handler, omit_none


def _ingest_summary(config: IngestConfiguration) -> dict[str, Any]:
    return omit_none(
        {
            "name": config.name,
            "arn": config.arn,
            "ingestProtocol": config.protocol,
            "stageArn": config.stage_arn,
            "participantId": config.participant_id,
            "state": config.state,
            "userId": config.user_id,
            "redundantIngest": config.redundant,
        }
    )


def _ingest_json(config: IngestConfiguration) -> dict[str, Any]:
    rendered = _ingest_summary(config)
    rendered.update(
        streamKey=config.stream_key,
        attributes=dict(config.attributes),
        tags=dict(config.tags),
    )
    if config.redundant:
        rendered["redundantIngestCredentials"] = [
            {"participantId": participant_id, "streamKey": key}
            for participant_id, key in config.redundant_credentials
        ]
    return rendered


def _flag(params: dict[str, Any], name: str) -> bool | None:
    return bool(params[name]) if name in params else None


@handler("CreateIngestConfiguration")
def create_ingest_configuration(backend: Backend, params: dict[str, Any]) -> dict[str, Any]:
    """Create an RTMP(S) ingest configuration with its own participant ID and stream key."""
    config = backend.create_ingest_configuration(
        name=params.get("name", ""),
        protocol=params["ingestProtocol"],
        insecure=bool(params.get("insecureIngest", False)),
        stage_arn=params.get("stageArn", ""),
        user_id=params.get("userId"),
        attributes=params.get("attributes"),
        redundant=bool(params.get("redundantIngest", False)),
        tags=params.get("tags"),
    )
    return {"ingestConfiguration": _ingest_json(config)}


@handler("GetIngestConfiguration")
def get_ingest_configuration(backend: Backend, params: dict[str, Any]) -> dict[str, Any]:
    """Return one ingest configuration, stream key included."""
    return {"ingestConfiguration": _ingest_json(backend.get_ingest_configuration(params["arn"]))}


@handler("UpdateIngestConfiguration")
def update_ingest_configuration(backend: Backend, params: dict[str, Any]) -> dict[str, Any]:
    """Move an inactive ingest configuration to another stage ("" for none); toggle redundancy."""
    config = backend.update_ingest_configuration(
        params["arn"], stage_arn=params.get("stageArn"), redundant=_flag(params, "redundantIngest")
    )
    return {"ingestConfiguration": _ingest_json(config)}


@handler("DeleteIngestConfiguration")
def delete_ingest_configuration(backend: Backend, params: dict[str, Any]) -> dict[str, Any]:
    """Delete an ingest configuration; an active one only with ``force``."""
    backend.delete_ingest_configuration(params["arn"], force=bool(params.get("force")))
    return {}


@handler("ListIngestConfigurations")
def list_ingest_configurations(backend: Backend, params: dict[str, Any]) -> dict[str, Any]:
    """List ingest configuration summaries, optionally by stage and state."""
    page, token = backend.list_ingest_configurations(
        params.get("filterByStageArn"),
        params.get("filterByState"),
        params.get("nextToken"),
        params.get("maxResults"),
    )
    return omit_none(
        {"ingestConfigurations": [_ingest_summary(c) for c in page], "nextToken": token}
    )
