"""Server-side compositions (``models/_composition_requests.py``)."""

from __future__ import annotations

from typing import Any

from ..backend import Backend, Composition, Destination, iso_or_none
from ._registry import handler, omit_none


def _destination_json(destination: Destination, *, full: bool) -> dict[str, Any]:
    rendered: dict[str, Any] = {
        "id": destination.destination_id,
        "state": destination.state,
        "startTime": iso_or_none(destination.start_time),
        "endTime": iso_or_none(destination.end_time),
    }
    if full:
        rendered["configuration"] = destination.configuration
        if destination.recording_prefix is not None:
            rendered["detail"] = {"s3": {"recordingPrefix": destination.recording_prefix}}
    return omit_none(rendered)


def _composition_json(composition: Composition, *, full: bool) -> dict[str, Any]:
    rendered: dict[str, Any] = {
        "arn": composition.arn,
        "stageArn": composition.stage_arn,
        "state": composition.state,
        "destinations": [_destination_json(d, full=full) for d in composition.destinations],
        "tags": dict(composition.tags),
        "startTime": iso_or_none(composition.start_time),
        "endTime": iso_or_none(composition.end_time),
    }
    if full:
        rendered["layout"] = composition.layout
    return omit_none(rendered)


@handler("StartComposition")
def start_composition(backend: Backend, params: dict[str, Any]) -> dict[str, Any]:
    """Start compositing a stage to one channel and/or one S3 destination."""
    composition = backend.start_composition(
        stage_arn=params["stageArn"],
        idempotency_token=params.get("idempotencyToken"),
        layout=params.get("layout"),
        destinations=params["destinations"],
        tags=params.get("tags"),
    )
    return {"composition": _composition_json(composition, full=True)}


@handler("GetComposition")
def get_composition(backend: Backend, params: dict[str, Any]) -> dict[str, Any]:
    """Return one composition."""
    return {"composition": _composition_json(backend.get_composition(params["arn"]), full=True)}


@handler("StopComposition")
def stop_composition(backend: Backend, params: dict[str, Any]) -> dict[str, Any]:
    """Stop a composition (a stopped one stays stopped)."""
    backend.stop_composition(params["arn"])
    return {}


@handler("ListCompositions")
def list_compositions(backend: Backend, params: dict[str, Any]) -> dict[str, Any]:
    """List composition summaries, optionally by stage or encoder configuration."""
    page, token = backend.list_compositions(
        params.get("filterByStageArn"),
        params.get("filterByEncoderConfigurationArn"),
        params.get("nextToken"),
        params.get("maxResults"),
    )
    return omit_none(
        {"compositions": [_composition_json(c, full=False) for c in page], "nextToken": token}
    )
