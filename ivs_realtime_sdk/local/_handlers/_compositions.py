"""Server-side compositions."""

from __future__ import annotations

from typing import Any

from .._errors import ConflictException, ValidationException
from .._events import composition_event
from .._state import Composition, Destination, Store, iso, new_id
from ._configurations import encoder_arns
from ._registry import check_tags, handler, omit_none

_GRID_DEFAULTS: dict[str, Any] = {
    "featuredParticipantAttribute": "",
    "omitStoppedVideo": False,
    "videoAspectRatio": "VIDEO",
    "gridGap": 2,
}
_PIP_DEFAULTS: dict[str, Any] = {
    "featuredParticipantAttribute": "",
    "omitStoppedVideo": False,
    "videoFillMode": "COVER",
    "gridGap": 0,
    "pipParticipantAttribute": "",
    "pipBehavior": "STATIC",
    "pipOffset": 0,
    "pipPosition": "BOTTOM_RIGHT",
}


def _layout(layout: dict[str, Any] | None) -> dict[str, Any]:
    layout = layout or {}
    if "grid" in layout and "pip" in layout:
        raise ValidationException(
            "Value at 'layout' failed to satisfy constraint: set either grid or pip, not both"
        )
    if "pip" in layout:
        return {"pip": {**_PIP_DEFAULTS, **layout["pip"]}}
    return {"grid": {**_GRID_DEFAULTS, **layout.get("grid", {})}}


def _destinations(store: Store, configs: list[dict[str, Any]], prefix: str) -> list[Destination]:
    kinds: list[str] = []
    destinations: list[Destination] = []
    for index, config in enumerate(configs):
        present = [kind for kind in ("channel", "s3") if config.get(kind) is not None]
        if len(present) != 1:
            raise ValidationException(
                f"Value at 'destinations[{index}]' failed to satisfy constraint: "
                "exactly one of channel or s3 must be set"
            )
        kinds.extend(present)
        config = dict(config)
        recording_prefix = None
        if "s3" in config:
            s3 = dict(config["s3"])
            store.get(
                store.storage_configurations, s3["storageConfigurationArn"], "Storage configuration"
            )
            for arn in s3["encoderConfigurationArns"]:
                store.get(store.encoder_configurations, arn, "Encoder configuration")
            s3.setdefault("recordingConfiguration", {})
            s3["recordingConfiguration"] = {
                "format": "HLS",
                "hlsConfiguration": {"targetSegmentDurationSeconds": 2},
                **s3["recordingConfiguration"],
            }
            config["s3"] = s3
            recording_prefix = f"{prefix}/composite"
        else:
            encoder = config["channel"].get("encoderConfigurationArn")
            if encoder:
                store.get(store.encoder_configurations, encoder, "Encoder configuration")
        destinations.append(
            Destination(
                destination_id=new_id(),
                configuration=config,
                state="STARTING",
                recording_prefix=recording_prefix,
            )
        )
    if len(set(kinds)) != len(kinds):
        raise ValidationException(
            "Value at 'destinations' failed to satisfy constraint: "
            "at most one channel and one s3 destination"
        )
    return destinations


def _advance(store: Store, composition: Composition) -> None:
    """Move STARTING to ACTIVE and STOPPING to STOPPED once the transition time passed."""
    now = store.now()
    if now - composition.state_since < store.transition_seconds:
        return
    if composition.state == "STARTING":
        composition.state, composition.state_since = "ACTIVE", now
        for destination in composition.destinations:
            destination.state, destination.start_time = "ACTIVE", now
        composition_event(store, composition, started=True)
    elif composition.state == "STOPPING":
        composition.state, composition.state_since = "STOPPED", now
        composition.end_time = now
        for destination in composition.destinations:
            destination.state, destination.end_time = "STOPPED", now
        composition_event(store, composition, started=False)


def advance_all(store: Store) -> None:
    """Let every composition reach the state its transition time allows (sends its events)."""
    for composition in store.compositions.values():
        _advance(store, composition)


def _time(value: float | None) -> str | None:
    return iso(value) if value is not None else None


def _destination_json(destination: Destination, *, full: bool) -> dict[str, Any]:
    rendered: dict[str, Any] = {
        "id": destination.destination_id,
        "state": destination.state,
        "startTime": _time(destination.start_time),
        "endTime": _time(destination.end_time),
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
        "startTime": _time(composition.start_time),
        "endTime": _time(composition.end_time),
    }
    if full:
        rendered["layout"] = composition.layout
    return omit_none(rendered)


@handler("StartComposition")
def start_composition(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    """Start compositing a stage to one channel and/or one S3 destination."""
    stage = store.stage(params["stageArn"])
    token = params.get("idempotencyToken")
    if token:
        for existing in store.compositions.values():
            if existing.idempotency_token == token:
                if existing.stage_arn != stage.arn:
                    raise ConflictException(
                        "idempotencyToken was already used for a composition of another stage"
                    )
                return {"composition": _composition_json(existing, full=True)}
    active = sum(1 for c in store.compositions.values() if c.active)
    store.check_quota(active, store.quotas.max_active_compositions, "active compositions")
    composition_id = new_id()
    now = store.now()
    composition = Composition(
        seq=store.next_seq(),
        arn=store.arn("composition", composition_id),
        stage_arn=stage.arn,
        layout=_layout(params.get("layout")),
        destinations=_destinations(
            store, params["destinations"], f"{stage.stage_id}/{composition_id}"
        ),
        tags=check_tags(params.get("tags")),
        state="STARTING",
        state_since=now,
        idempotency_token=token,
        start_time=now,
    )
    store.compositions[composition.arn] = composition
    return {"composition": _composition_json(composition, full=True)}


@handler("GetComposition")
def get_composition(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    """Return one composition."""
    composition = store.get(store.compositions, params["arn"], "Composition")
    _advance(store, composition)
    return {"composition": _composition_json(composition, full=True)}


@handler("StopComposition")
def stop_composition(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    """Stop a composition (a stopped one stays stopped)."""
    composition = store.get(store.compositions, params["arn"], "Composition")
    _advance(store, composition)
    if composition.state in ("STARTING", "ACTIVE"):
        composition.state, composition.state_since = "STOPPING", store.now()
        for destination in composition.destinations:
            destination.state = "STOPPING"
    return {}


@handler("ListCompositions")
def list_compositions(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    """List composition summaries, optionally by stage or encoder configuration."""
    stage_arn = params.get("filterByStageArn")
    encoder_arn = params.get("filterByEncoderConfigurationArn")
    matching: list[Composition] = []
    for composition in store.compositions.values():
        if stage_arn is not None and composition.stage_arn != stage_arn:
            continue
        if encoder_arn is not None and encoder_arn not in encoder_arns(composition.destinations):
            continue
        _advance(store, composition)
        matching.append(composition)
    page, token = store.paginate("ListCompositions", matching, params, 100)
    return omit_none(
        {"compositions": [_composition_json(c, full=False) for c in page], "nextToken": token}
    )
