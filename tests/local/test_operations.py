"""Every operation through a raw boto3 client: valid input works, invalid input is refused.

The responses are checked against botocore's output shapes on the raw JSON
the server sent (captured with an ``after-call`` event handler).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import botocore
import pytest
from botocore.exceptions import ClientError
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from ivs_realtime_sdk._shipped import operation_count, service_model
from ivs_realtime_sdk.local import LocalIVSRealTime

from ._shapes import check_shape

MODEL = service_model()
OPERATIONS = sorted(MODEL.operation_names)


def p384_pem() -> str:
    """A fresh EC P-384 public key in PEM."""
    key = ec.generate_private_key(ec.SECP384R1()).public_key()
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


@dataclass
class World:
    """Resources every operation can be called on."""

    stage: str
    spare_stage: str
    destination_stage: str
    replicated_stage: str
    storage: str
    spare_storage: str
    encoder: str
    spare_encoder: str
    composition: str
    public_key: str
    ingest: str
    session: str
    participant: str


def build_world(server: LocalIVSRealTime, client: Any) -> World:
    """Create stages, configurations, a composition, a key, and a publishing participant."""
    storage = client.create_storage_configuration(name="rec", s3={"bucketName": "my-bucket"})
    spare_storage = client.create_storage_configuration(s3={"bucketName": "other-bucket"})
    encoder = client.create_encoder_configuration(name="hd", video={"width": 1920, "height": 1080})
    spare_encoder = client.create_encoder_configuration()
    stage = client.create_stage(
        name="main",
        tags={"team": "video"},
        autoParticipantRecordingConfiguration={
            "storageConfigurationArn": storage["storageConfiguration"]["arn"]
        },
        participantTokenConfigurations=[{"userId": "host", "capabilities": ["PUBLISH"]}],
    )
    stage_arn = stage["stage"]["arn"]
    stages = [client.create_stage(name=n)["stage"]["arn"] for n in ("spare", "dest", "replica")]
    composition = client.start_composition(
        stageArn=stage_arn,
        destinations=[
            {
                "s3": {
                    "storageConfigurationArn": storage["storageConfiguration"]["arn"],
                    "encoderConfigurationArns": [encoder["encoderConfiguration"]["arn"]],
                }
            }
        ],
    )
    key = client.import_public_key(publicKeyMaterial=p384_pem(), name="signer")
    ingest = client.create_ingest_configuration(ingestProtocol="RTMPS", stageArn=stage_arn)
    token = stage["participantTokens"][0]["token"]
    participant = server.join(stage_arn, token, publish=True)
    client.start_participant_replication(
        sourceStageArn=stage_arn, destinationStageArn=stages[2], participantId=participant
    )
    session = client.get_stage(arn=stage_arn)["stage"]["activeSessionId"]
    return World(
        stage=stage_arn,
        spare_stage=stages[0],
        destination_stage=stages[1],
        replicated_stage=stages[2],
        storage=storage["storageConfiguration"]["arn"],
        spare_storage=spare_storage["storageConfiguration"]["arn"],
        encoder=encoder["encoderConfiguration"]["arn"],
        spare_encoder=spare_encoder["encoderConfiguration"]["arn"],
        composition=composition["composition"]["arn"],
        public_key=key["publicKey"]["arn"],
        ingest=ingest["ingestConfiguration"]["arn"],
        session=session,
        participant=participant,
    )


VALID: dict[str, Callable[[World], dict[str, Any]]] = {
    "CreateEncoderConfiguration": lambda w: {
        "name": "sd",
        "video": {"width": 640, "height": 360, "framerate": 25.0, "bitrate": 800_000},
        "tags": {"k": "v"},
    },
    "CreateIngestConfiguration": lambda w: {
        "name": "obs",
        "stageArn": w.stage,
        "userId": "obs-user",
        "attributes": {"a": "b"},
        "ingestProtocol": "RTMP",
        "insecureIngest": True,
        "redundantIngest": True,
        "tags": {"k": "v"},
    },
    "CreateParticipantToken": lambda w: {
        "stageArn": w.stage,
        "duration": 60,
        "userId": "guest",
        "attributes": {"role": "guest"},
        "capabilities": ["SUBSCRIBE"],
    },
    "CreateStage": lambda w: {
        "name": "new-stage",
        "participantTokenConfigurations": [{"duration": 5}, {"userId": "x"}],
        "tags": {"k": "v"},
        "autoParticipantRecordingConfiguration": {
            "storageConfigurationArn": w.storage,
            "mediaTypes": ["AUDIO_ONLY"],
            "thumbnailConfiguration": {"recordingMode": "INTERVAL", "targetIntervalSeconds": 10},
        },
    },
    "CreateStorageConfiguration": lambda w: {"name": "s", "s3": {"bucketName": "b-1.x"}},
    "DeleteEncoderConfiguration": lambda w: {"arn": w.spare_encoder},
    "DeleteIngestConfiguration": lambda w: {"arn": w.ingest},
    "DeletePublicKey": lambda w: {"arn": w.public_key},
    "DeleteStage": lambda w: {"arn": w.spare_stage},
    "DeleteStorageConfiguration": lambda w: {"arn": w.spare_storage},
    "DisconnectParticipant": lambda w: {
        "stageArn": w.stage,
        "participantId": w.participant,
        "reason": "bye",
    },
    "GetComposition": lambda w: {"arn": w.composition},
    "GetEncoderConfiguration": lambda w: {"arn": w.encoder},
    "GetIngestConfiguration": lambda w: {"arn": w.ingest},
    "GetParticipant": lambda w: {
        "stageArn": w.stage,
        "sessionId": w.session,
        "participantId": w.participant,
    },
    "GetPublicKey": lambda w: {"arn": w.public_key},
    "GetStage": lambda w: {"arn": w.stage},
    "GetStageSession": lambda w: {"stageArn": w.stage, "sessionId": w.session},
    "GetStorageConfiguration": lambda w: {"arn": w.storage},
    "ImportPublicKey": lambda w: {"publicKeyMaterial": p384_pem(), "tags": {"k": "v"}},
    "ListCompositions": lambda w: {"filterByStageArn": w.stage, "maxResults": 10},
    "ListEncoderConfigurations": lambda w: {"maxResults": 10},
    "ListIngestConfigurations": lambda w: {
        "filterByStageArn": w.stage,
        "filterByState": "INACTIVE",
    },
    "ListParticipantEvents": lambda w: {
        "stageArn": w.stage,
        "sessionId": w.session,
        "participantId": w.participant,
    },
    "ListParticipantReplicas": lambda w: {
        "sourceStageArn": w.stage,
        "participantId": w.participant,
    },
    "ListParticipants": lambda w: {
        "stageArn": w.stage,
        "sessionId": w.session,
        "filterByPublished": True,
    },
    "ListPublicKeys": lambda w: {},
    "ListStageSessions": lambda w: {"stageArn": w.stage},
    "ListStages": lambda w: {"maxResults": 2},
    "ListStorageConfigurations": lambda w: {},
    "ListTagsForResource": lambda w: {"resourceArn": w.stage},
    "RevokeConnectionToken": lambda w: {"tokenId": w.participant},
    "StartComposition": lambda w: {
        "stageArn": w.destination_stage,
        "idempotencyToken": "once-only",
        "layout": {"pip": {"pipPosition": "TOP_LEFT"}},
        "destinations": [
            {"channel": {"channelArn": "arn:aws:ivs:us-east-1:123456789012:channel/abcdABCD1234"}}
        ],
        "tags": {"k": "v"},
    },
    "StartParticipantReplication": lambda w: {
        "sourceStageArn": w.stage,
        "destinationStageArn": w.destination_stage,
        "participantId": w.participant,
        "reconnectWindowSeconds": 300,
        "attributes": {"replica": "yes"},
    },
    "StopComposition": lambda w: {"arn": w.composition},
    "StopParticipantReplication": lambda w: {
        "sourceStageArn": w.stage,
        "destinationStageArn": w.replicated_stage,
        "participantId": w.participant,
    },
    "TagResource": lambda w: {"resourceArn": w.composition, "tags": {"a": "1"}},
    "UntagResource": lambda w: {"resourceArn": w.stage, "tagKeys": ["team", "absent"]},
    "UpdateIngestConfiguration": lambda w: {
        "arn": w.ingest,
        "stageArn": w.spare_stage,
        "redundantIngest": True,
    },
    "UpdateStage": lambda w: {
        "arn": w.stage,
        "name": "renamed",
        "autoParticipantRecordingConfiguration": {"storageConfigurationArn": ""},
    },
}


def test_every_model_operation_is_covered() -> None:
    assert len(OPERATIONS) == operation_count()
    assert sorted(VALID) == OPERATIONS


def _capture(client: Any) -> list[tuple[int, Any]]:
    captured: list[tuple[int, Any]] = []

    def record(http_response: Any, **_: Any) -> None:
        body = http_response.content
        captured.append((http_response.status_code, json.loads(body) if body else None))

    client.meta.events.register("after-call.ivs-realtime", record)
    return captured


@pytest.mark.parametrize("operation", OPERATIONS)
def test_valid_call_succeeds_and_matches_output_shape(
    server: LocalIVSRealTime, client: Any, operation: str
) -> None:
    world = build_world(server, client)
    captured = _capture(client)
    method = getattr(client, _snake(operation))
    response = method(**VALID[operation](world))
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert len(captured) == 1
    status, body = captured[0]
    assert status == 200
    assert isinstance(body, dict)
    assert check_shape(MODEL.operation_model(operation).output_shape, body) == []


def _snake(name: str) -> str:
    return botocore.xform_name(name)


def _invalid_input(operation: str) -> tuple[dict[str, Any], str]:
    """Return input that breaks the model for this operation, and the field it names."""
    shape = MODEL.operation_model(operation).input_shape
    if operation in ("ListTagsForResource", "TagResource", "UntagResource"):
        extra = {"TagResource": {"tags": {"k": "v"}}, "UntagResource": {"tagKeys": ["k"]}}
        return {"resourceArn": "not-an-arn", **extra.get(operation, {})}, "resourceArn"
    if shape.required_members:
        return {}, shape.required_members[0]
    if "maxResults" in shape.members:
        return {"maxResults": 0}, "maxResults"
    return {"name": "spaces are not allowed"}, "name"


@pytest.mark.parametrize("operation", OPERATIONS)
def test_invalid_input_gets_validation_exception(raw_client: Any, operation: str) -> None:
    params, field = _invalid_input(operation)
    with pytest.raises(ClientError) as caught:
        getattr(raw_client, _snake(operation))(**params)
    error = caught.value.response
    assert error["Error"]["Code"] == "ValidationException"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert f"'{field}'" in error["Error"]["Message"]
    assert error["exceptionMessage"] == error["Error"]["Message"]
    assert isinstance(caught.value, raw_client.exceptions.ValidationException)


@pytest.mark.parametrize(
    ("operation", "params", "fragment"),
    [
        ("CreateStage", {"name": "x" * 129}, "length less than or equal to 128"),
        ("CreateStage", {"tags": {"": "v"}}, "tags.key"),
        ("CreateStage", {"tags": {f"k{i}": "v" for i in range(51)}}, "'tags'"),
        (
            "CreateStage",
            {"participantTokenConfigurations": [{}] * 13},
            "participantTokenConfigurations",
        ),
        (
            "CreateStage",
            {"participantTokenConfigurations": [{"duration": 0}]},
            "participantTokenConfigurations[0].duration",
        ),
        (
            "CreateStage",
            {"participantTokenConfigurations": [{"capabilities": ["FLY"]}]},
            "enum value set",
        ),
        ("CreateStage", {"name": 5}, "must be a string"),
        ("ListStages", {"maxResults": 101}, "less than or equal to 100"),
        ("ListStages", {"maxResults": True}, "must be an integer"),
        ("ListStages", {"nextToken": "not a token!"}, "nextToken"),
        ("CreateEncoderConfiguration", {"video": {"framerate": 61.0}}, "video.framerate"),
        ("CreateEncoderConfiguration", {"video": {"width": 3}}, "even"),
        ("CreateEncoderConfiguration", {"video": {"width": 1920, "height": 1920}}, "pixels"),
        ("GetStage", {"arn": "arn:aws:ivs:us-east-1:123456789012:channel/abc"}, "'arn'"),
        (
            "GetStageSession",
            {"stageArn": "arn:aws:ivs:us-east-1:1:stage/a", "sessionId": "st-1"},
            "sessionId",
        ),
        ("ImportPublicKey", {"publicKeyMaterial": "nope"}, "publicKeyMaterial"),
        ("CreateIngestConfiguration", {"ingestProtocol": "RTMP"}, "insecureIngest"),
        ("CreateIngestConfiguration", {"ingestProtocol": "SRT"}, "ingestProtocol"),
        (
            "CreateParticipantToken",
            {
                "stageArn": "arn:aws:ivs:us-east-1:123456789012:stage/abc",
                "attributes": {"a": "b" * 1100},
            },
            "1024",
        ),
        ("CreateStage", {"tags": {"aws:reserved": "v"}}, "aws:"),
        (
            "UntagResource",
            {"resourceArn": "arn:aws:ivs:us-east-1:123456789012:stage/abcdABCD1234"},
            "'tagKeys'",
        ),
    ],
)
def test_constraint_messages_name_the_field(
    server: LocalIVSRealTime, raw_client: Any, operation: str, params: dict[str, Any], fragment: str
) -> None:
    if operation == "CreateParticipantToken":
        params = {**params, "stageArn": raw_client.create_stage()["stage"]["arn"]}
    with pytest.raises(ClientError) as caught:
        getattr(raw_client, _snake(operation))(**params)
    assert caught.value.response["Error"]["Code"] == "ValidationException"
    assert fragment in caught.value.response["Error"]["Message"]


def test_public_key_must_be_p384(raw_client: Any) -> None:
    for curve in (ec.SECP256R1(), ec.SECP521R1()):
        pem = (
            ec.generate_private_key(curve)
            .public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            .decode()
        )
        with pytest.raises(ClientError) as caught:
            raw_client.import_public_key(publicKeyMaterial=pem)
        assert caught.value.response["Error"]["Code"] == "ValidationException"
        assert "P-384" in caught.value.response["Error"]["Message"]
