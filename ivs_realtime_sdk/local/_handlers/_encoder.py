"""Encoder configurations (``models/_encoder_requests.py``)."""

from __future__ import annotations

from typing import Any

from ..backend import Backend, EncoderConfiguration
from ._registry import handler, omit_none


def _encoder_json(config: EncoderConfiguration) -> dict[str, Any]:
    return {
        "arn": config.arn,
        "name": config.name,
        "video": dict(config.video),
        "tags": dict(config.tags),
    }


@handler("CreateEncoderConfiguration")
def create_encoder_configuration(backend: Backend, params: dict[str, Any]) -> dict[str, Any]:
    """Create an encoder configuration; unset video settings take the documented defaults."""
    config = backend.create_encoder_configuration(
        params.get("name", ""), params.get("video"), params.get("tags")
    )
    return {"encoderConfiguration": _encoder_json(config)}


@handler("GetEncoderConfiguration")
def get_encoder_configuration(backend: Backend, params: dict[str, Any]) -> dict[str, Any]:
    """Return one encoder configuration."""
    return {"encoderConfiguration": _encoder_json(backend.get_encoder_configuration(params["arn"]))}


@handler("DeleteEncoderConfiguration")
def delete_encoder_configuration(backend: Backend, params: dict[str, Any]) -> dict[str, Any]:
    """Delete an encoder configuration unless an active composition uses it."""
    backend.delete_encoder_configuration(params["arn"])
    return {}


@handler("ListEncoderConfigurations")
def list_encoder_configurations(backend: Backend, params: dict[str, Any]) -> dict[str, Any]:
    """List encoder configuration summaries."""
    page, token = backend.list_encoder_configurations(
        params.get("nextToken"), params.get("maxResults")
    )
    summaries = [{"arn": c.arn, "name": c.name, "tags": dict(c.tags)} for c in page]
    return omit_none({"encoderConfigurations": summaries, "nextToken": token})
