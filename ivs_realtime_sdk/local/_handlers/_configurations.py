"""Storage, encoder and ingest configurations."""

from __future__ import annotations

from typing import Any

from .._errors import ConflictException, ResourceNotFoundException, ValidationException
from .._participants import disconnect, find_connected
from .._state import (
    EncoderConfiguration,
    IngestConfiguration,
    StorageConfiguration,
    Store,
    new_id,
)
from ._registry import check_attributes, check_tags, handler, omit_none

_MAX_PIXELS = 2_073_600  # 1920x1080, documented on Video.width / Video.height

# -- storage configurations ----------------------------------------------------------


def _storage_json(config: StorageConfiguration) -> dict[str, Any]:
    return {
        "arn": config.arn,
        "name": config.name,
        "s3": {"bucketName": config.bucket},
        "tags": dict(config.tags),
    }


@handler("CreateStorageConfiguration")
def create_storage_configuration(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    """Create a storage configuration (an S3 bucket name)."""
    store.check_quota(
        len(store.storage_configurations),
        store.quotas.max_storage_configurations,
        "storage configurations",
    )
    config = StorageConfiguration(
        seq=store.next_seq(),
        arn=store.arn("storage-configuration", new_id()),
        name=params.get("name", ""),
        bucket=params["s3"]["bucketName"],
        tags=check_tags(params.get("tags")),
    )
    store.storage_configurations[config.arn] = config
    return {"storageConfiguration": _storage_json(config)}


@handler("GetStorageConfiguration")
def get_storage_configuration(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    """Return one storage configuration."""
    config = store.get(store.storage_configurations, params["arn"], "Storage configuration")
    return {"storageConfiguration": _storage_json(config)}


@handler("DeleteStorageConfiguration")
def delete_storage_configuration(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    """Delete a storage configuration unless a stage or an active composition uses it."""
    arn = params["arn"]
    store.get(store.storage_configurations, arn, "Storage configuration")
    for stage in store.stages.values():
        if stage.recording is not None and stage.recording["storageConfigurationArn"] == arn:
            raise ConflictException(
                f"Storage configuration is used by stage {stage.arn} for participant recording"
            )
    for composition in store.compositions.values():
        if composition.active and any(
            d.configuration.get("s3", {}).get("storageConfigurationArn") == arn
            for d in composition.destinations
        ):
            raise ConflictException(
                f"Storage configuration is used by active composition {composition.arn}"
            )
    del store.storage_configurations[arn]
    return {}


@handler("ListStorageConfigurations")
def list_storage_configurations(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    """List storage configuration summaries."""
    page, token = store.paginate(
        "ListStorageConfigurations", store.storage_configurations.values(), params, 100
    )
    return omit_none(
        {"storageConfigurations": [_storage_json(c) for c in page], "nextToken": token}
    )


# -- encoder configurations ----------------------------------------------------------


def _video(params: dict[str, Any] | None) -> dict[str, Any]:
    video: dict[str, Any] = {"width": 1280, "height": 720, "framerate": 30.0, "bitrate": 2_500_000}
    video.update(params or {})
    width, height = video["width"], video["height"]
    if width % 2 or height % 2:
        raise ValidationException(
            "Value at 'video' failed to satisfy constraint: width and height must be even numbers"
        )
    if width * height > _MAX_PIXELS:
        raise ValidationException(
            "Value at 'video' failed to satisfy constraint: "
            f"width x height must be at most {_MAX_PIXELS} pixels"
        )
    video["framerate"] = float(video["framerate"])
    return video


def _encoder_json(config: EncoderConfiguration) -> dict[str, Any]:
    return {
        "arn": config.arn,
        "name": config.name,
        "video": dict(config.video),
        "tags": dict(config.tags),
    }


@handler("CreateEncoderConfiguration")
def create_encoder_configuration(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    """Create an encoder configuration; unset video settings take the documented defaults."""
    store.check_quota(
        len(store.encoder_configurations),
        store.quotas.max_encoder_configurations,
        "encoder configurations",
    )
    config = EncoderConfiguration(
        seq=store.next_seq(),
        arn=store.arn("encoder-configuration", new_id()),
        name=params.get("name", ""),
        video=_video(params.get("video")),
        tags=check_tags(params.get("tags")),
    )
    store.encoder_configurations[config.arn] = config
    return {"encoderConfiguration": _encoder_json(config)}


@handler("GetEncoderConfiguration")
def get_encoder_configuration(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    """Return one encoder configuration."""
    config = store.get(store.encoder_configurations, params["arn"], "Encoder configuration")
    return {"encoderConfiguration": _encoder_json(config)}


@handler("DeleteEncoderConfiguration")
def delete_encoder_configuration(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    """Delete an encoder configuration unless an active composition uses it."""
    arn = params["arn"]
    store.get(store.encoder_configurations, arn, "Encoder configuration")
    for composition in store.compositions.values():
        if composition.active and arn in encoder_arns(composition.destinations):
            raise ConflictException(
                f"Encoder configuration is used by active composition {composition.arn}"
            )
    del store.encoder_configurations[arn]
    return {}


@handler("ListEncoderConfigurations")
def list_encoder_configurations(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    """List encoder configuration summaries."""
    page, token = store.paginate(
        "ListEncoderConfigurations", store.encoder_configurations.values(), params, 100
    )
    summaries = [{"arn": c.arn, "name": c.name, "tags": dict(c.tags)} for c in page]
    return omit_none({"encoderConfigurations": summaries, "nextToken": token})


def encoder_arns(destinations: list[Any]) -> set[str]:
    """Return every encoder configuration ARN the destinations use."""
    arns: set[str] = set()
    for destination in destinations:
        configuration: dict[str, Any] = destination.configuration
        channel: dict[str, Any] = configuration.get("channel") or {}
        if channel.get("encoderConfigurationArn"):
            arns.add(channel["encoderConfigurationArn"])
        s3: dict[str, Any] = configuration.get("s3") or {}
        arns.update(s3.get("encoderConfigurationArns", ()))
    return arns


# -- ingest configurations -----------------------------------------------------------


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


# Redundant ingest streams the same participant over a primary and a backup path;
# the API reference does not say how many, the RTMP publishing guide describes two.
REDUNDANT_PATHS = 2


def _stream_key(store: Store, ingest_id: str) -> str:
    return f"rt_{store.account_id}_{store.region}_{ingest_id}_{new_id(32)}"


def _set_redundant(store: Store, config: IngestConfiguration, redundant: bool) -> None:
    """Turn redundant ingest on (one new participant id and key per path) or off."""
    if not redundant:
        config.redundant_credentials = []
    elif not config.redundant_credentials:
        ingest_id = config.arn.rsplit("/", 1)[1]
        config.redundant_credentials = [
            (store.new_participant_id(token=False), _stream_key(store, ingest_id))
            for _ in range(REDUNDANT_PATHS)
        ]


def _check_stage(store: Store, stage_arn: str, *, missing: type[Exception]) -> None:
    if stage_arn and stage_arn not in store.stages:
        raise missing(f"Stage not found: {stage_arn}")


@handler("CreateIngestConfiguration")
def create_ingest_configuration(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    """Create an RTMP(S) ingest configuration with its own participant ID and stream key."""
    store.check_quota(
        len(store.ingest_configurations),
        store.quotas.max_ingest_configurations,
        "ingest configurations",
    )
    protocol: str = params["ingestProtocol"]
    insecure = bool(params.get("insecureIngest", False))
    if protocol == "RTMP" and not insecure:
        raise ValidationException(
            "Value at 'insecureIngest' failed to satisfy constraint: "
            "must be true when ingestProtocol is RTMP"
        )
    stage_arn: str = params.get("stageArn", "")
    # CreateIngestConfiguration models no ResourceNotFoundException.
    _check_stage(store, stage_arn, missing=ValidationException)
    ingest_id = new_id()
    config = IngestConfiguration(
        seq=store.next_seq(),
        arn=store.arn("ingest-configuration", ingest_id),
        name=params.get("name", ""),
        protocol=protocol,
        insecure=insecure,
        stream_key=_stream_key(store, ingest_id),
        stage_arn=stage_arn,
        participant_id=store.new_participant_id(token=False),
        user_id=params.get("userId"),
        attributes=check_attributes(params.get("attributes"), "attributes"),
        tags=check_tags(params.get("tags")),
    )
    _set_redundant(store, config, bool(params.get("redundantIngest", False)))
    store.ingest_configurations[config.arn] = config
    return {"ingestConfiguration": _ingest_json(config)}


@handler("GetIngestConfiguration")
def get_ingest_configuration(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    """Return one ingest configuration, stream key included."""
    config = store.get(store.ingest_configurations, params["arn"], "Ingest configuration")
    return {"ingestConfiguration": _ingest_json(config)}


@handler("UpdateIngestConfiguration")
def update_ingest_configuration(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    """Move an inactive ingest configuration to another stage ("" for none); toggle redundancy."""
    config = store.get(store.ingest_configurations, params["arn"], "Ingest configuration")
    if "stageArn" in params:
        _check_stage(store, params["stageArn"], missing=ResourceNotFoundException)
    if config.state == "ACTIVE" and ("stageArn" in params or "redundantIngest" in params):
        raise ConflictException("Ingest configuration is publishing; it cannot be updated now")
    if "stageArn" in params:
        config.stage_arn = params["stageArn"]
    if "redundantIngest" in params:
        _set_redundant(store, config, bool(params["redundantIngest"]))
    return {"ingestConfiguration": _ingest_json(config)}


@handler("DeleteIngestConfiguration")
def delete_ingest_configuration(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    """Delete an ingest configuration; an active one only with ``force``."""
    config = store.get(store.ingest_configurations, params["arn"], "Ingest configuration")
    if config.state == "ACTIVE":
        if not params.get("force"):
            raise ConflictException("Ingest configuration is publishing; delete it with force=true")
        stage = store.stages.get(config.stage_arn)
        participant = find_connected(stage, config.participant_id) if stage else None
        if stage is not None and participant is not None:
            disconnect(store, stage, participant)
    del store.ingest_configurations[config.arn]
    return {}


@handler("ListIngestConfigurations")
def list_ingest_configurations(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    """List ingest configuration summaries, optionally by stage and state."""
    stage_arn = params.get("filterByStageArn")
    state = params.get("filterByState")
    matching = [
        c
        for c in store.ingest_configurations.values()
        if (stage_arn is None or c.stage_arn == stage_arn) and (state is None or c.state == state)
    ]
    page, token = store.paginate("ListIngestConfigurations", matching, params, 50)
    return omit_none(
        {"ingestConfigurations": [_ingest_summary(c) for c in page], "nextToken": token}
    )
