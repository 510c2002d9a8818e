"""Service behaviour beyond single calls: pagination, errors, states, tags, authentication."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

from ivs_realtime_sdk.local import LocalIVSRealTime, Quotas

from .test_operations import p384_pem

ISO_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def _error(call: Callable[[], object]) -> dict[str, Any]:
    with pytest.raises(ClientError) as caught:
        call()
    response: dict[str, Any] = caught.value.response
    return response


def _pages(client: Any, method: str, key: str, **params: Any) -> list[list[Any]]:
    pages: list[list[Any]] = []
    token = None
    while True:
        extra = {"nextToken": token} if token else {}
        response = getattr(client, method)(**params, **extra)
        pages.append(response[key])
        token = response.get("nextToken")
        if not token:
            return pages


def test_ids_arns_and_timestamps_look_like_the_service(client: Any) -> None:
    stage = client.create_stage(participantTokenConfigurations=[{}])
    arn = stage["stage"]["arn"]
    assert re.fullmatch(r"arn:aws:ivs:us-east-1:123456789012:stage/[a-zA-Z0-9]{12}", arn)
    token = stage["participantTokens"][0]
    assert re.fullmatch(r"[a-zA-Z0-9]{12}", token["participantId"])
    assert token["duration"] == 720
    assert token["capabilities"] == ["PUBLISH", "SUBSCRIBE"]
    assert set(stage["stage"]["endpoints"]) == {"events", "whip", "rtmp", "rtmps"}


def test_region_and_account_are_configurable(make_client: Any) -> None:
    with LocalIVSRealTime(region="eu-west-1", account_id="999988887777") as server:
        client = make_client(server)
        arn = client.create_stage()["stage"]["arn"]
        assert arn.startswith("arn:aws:ivs:eu-west-1:999988887777:stage/")


@pytest.mark.parametrize(
    ("create", "method", "key"),
    [
        (lambda c: c.create_stage(), "list_stages", "stages"),
        (
            lambda c: c.create_storage_configuration(s3={"bucketName": "bucket"}),
            "list_storage_configurations",
            "storageConfigurations",
        ),
        (
            lambda c: c.create_encoder_configuration(),
            "list_encoder_configurations",
            "encoderConfigurations",
        ),
        (
            lambda c: c.import_public_key(publicKeyMaterial=p384_pem()),
            "list_public_keys",
            "publicKeys",
        ),
        (
            lambda c: c.create_ingest_configuration(ingestProtocol="RTMPS"),
            "list_ingest_configurations",
            "ingestConfigurations",
        ),
    ],
)
def test_pagination_over_three_pages(
    client: Any, create: Callable[[Any], object], method: str, key: str
) -> None:
    for _ in range(7):
        create(client)
    pages = _pages(client, method, key, maxResults=3)
    assert [len(page) for page in pages] == [3, 3, 1]
    arns = [item["arn"] for page in pages for item in page]
    assert len(set(arns)) == 7


def test_pagination_of_sessions_participants_and_events(
    server: LocalIVSRealTime, client: Any
) -> None:
    arn = client.create_stage()["stage"]["arn"]
    tokens = [
        client.create_participant_token(stageArn=arn)["participantToken"]["token"] for _ in range(7)
    ]
    ids = [server.join(arn, token) for token in tokens]
    session = client.get_stage(arn=arn)["stage"]["activeSessionId"]
    pages = _pages(
        client, "list_participants", "participants", stageArn=arn, sessionId=session, maxResults=3
    )
    assert [p["participantId"] for page in pages for p in page] == ids
    for _ in range(6):
        server.publish(arn, ids[0])
        server.unpublish(arn, ids[0])
    pages = _pages(
        client,
        "list_participant_events",
        "events",
        stageArn=arn,
        sessionId=session,
        participantId=ids[0],
        maxResults=5,
    )
    names = [e["name"] for page in pages for e in page]
    assert names[0] == "JOINED"
    assert len(names) == 13
    assert len(pages) == 3
    for participant in ids:
        server.leave(arn, participant)
    for _ in range(6):
        server.leave(
            arn,
            server.join(
                arn, client.create_participant_token(stageArn=arn)["participantToken"]["token"]
            ),
        )
    pages = _pages(client, "list_stage_sessions", "stageSessions", stageArn=arn, maxResults=3)
    assert [len(page) for page in pages] == [3, 3, 1]
    assert all("endTime" in s for page in pages for s in page)


def test_next_token_of_another_operation_is_refused(client: Any) -> None:
    for _ in range(3):
        client.create_stage()
        client.create_encoder_configuration()
    token = client.list_stages(maxResults=1)["nextToken"]
    error = _error(lambda: client.list_encoder_configurations(nextToken=token))
    assert error["Error"]["Code"] == "ValidationException"


def test_pages_stay_correct_when_items_are_deleted_between_calls(client: Any) -> None:
    arns = [client.create_stage()["stage"]["arn"] for _ in range(4)]
    first = client.list_stages(maxResults=2)
    client.delete_stage(arn=arns[2])
    rest = client.list_stages(maxResults=2, nextToken=first["nextToken"])
    assert [s["arn"] for s in first["stages"] + rest["stages"]] == [arns[0], arns[1], arns[3]]


@pytest.mark.parametrize(
    ("method", "params"),
    [
        ("get_stage", {"arn": "arn:aws:ivs:us-east-1:123456789012:stage/missing12345"}),
        ("update_stage", {"arn": "arn:aws:ivs:us-east-1:123456789012:stage/missing12345"}),
        ("delete_stage", {"arn": "arn:aws:ivs:us-east-1:123456789012:stage/missing12345"}),
        ("create_participant_token", {"stageArn": "arn:aws:ivs:us-east-1:123456789012:stage/x"}),
        ("get_composition", {"arn": "arn:aws:ivs:us-east-1:123456789012:composition/x"}),
        ("get_public_key", {"arn": "arn:aws:ivs:us-east-1:123456789012:public-key/x"}),
        (
            "get_storage_configuration",
            {"arn": "arn:aws:ivs:us-east-1:123456789012:storage-configuration/x"},
        ),
        (
            "get_encoder_configuration",
            {"arn": "arn:aws:ivs:us-east-1:123456789012:encoder-configuration/x"},
        ),
        (
            "get_ingest_configuration",
            {"arn": "arn:aws:ivs:us-east-1:123456789012:ingest-configuration/x"},
        ),
        ("list_tags_for_resource", {"resourceArn": "arn:aws:ivs:us-east-1:123456789012:stage/x"}),
        (
            "tag_resource",
            {"resourceArn": "arn:aws:ivs:us-east-1:123456789012:channel/x", "tags": {"a": "b"}},
        ),
        (
            "get_stage_session",
            {
                "stageArn": "arn:aws:ivs:us-east-1:123456789012:stage/x",
                "sessionId": "st-1234567890123",
            },
        ),
    ],
)
def test_unknown_arn_is_404(client: Any, method: str, params: dict[str, Any]) -> None:
    error = _error(lambda: getattr(client, method)(**params))
    assert error["Error"]["Code"] == "ResourceNotFoundException"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert error["Error"]["Message"]


def test_conflicts_on_delete_of_resources_in_use(client: Any) -> None:
    storage = client.create_storage_configuration(s3={"bucketName": "bucket"})[
        "storageConfiguration"
    ]["arn"]
    encoder = client.create_encoder_configuration()["encoderConfiguration"]["arn"]
    recorded = client.create_stage(
        autoParticipantRecordingConfiguration={"storageConfigurationArn": storage}
    )["stage"]["arn"]
    error = _error(lambda: client.delete_storage_configuration(arn=storage))
    assert error["Error"]["Code"] == "ConflictException"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 409
    client.update_stage(
        arn=recorded, autoParticipantRecordingConfiguration={"storageConfigurationArn": ""}
    )

    composed = client.create_stage()["stage"]["arn"]
    composition = client.start_composition(
        stageArn=composed,
        destinations=[
            {"s3": {"storageConfigurationArn": storage, "encoderConfigurationArns": [encoder]}}
        ],
    )["composition"]["arn"]
    for call in (
        lambda: client.delete_storage_configuration(arn=storage),
        lambda: client.delete_encoder_configuration(arn=encoder),
        lambda: client.delete_stage(arn=composed),
    ):
        assert _error(call)["Error"]["Code"] == "ConflictException"
    client.stop_composition(arn=composition)
    assert client.get_composition(arn=composition)["composition"]["state"] == "STOPPED"
    client.delete_stage(arn=composed)
    client.delete_encoder_configuration(arn=encoder)
    client.delete_storage_configuration(arn=storage)


def test_quotas_give_402(make_client: Any) -> None:
    with LocalIVSRealTime(quotas=Quotas(max_stages=2, max_public_keys=1)) as server:
        client = make_client(server)
        client.create_stage()
        client.create_stage()
        error = _error(client.create_stage)
        assert error["Error"]["Code"] == "ServiceQuotaExceededException"
        assert error["ResponseMetadata"]["HTTPStatusCode"] == 402
        client.import_public_key(publicKeyMaterial=p384_pem())
        error = _error(lambda: client.import_public_key(publicKeyMaterial=p384_pem()))
        assert error["Error"]["Code"] == "ServiceQuotaExceededException"
        server.quotas = Quotas(max_stages=3)
        client.create_stage()


def test_duplicate_public_key_is_a_conflict(client: Any) -> None:
    pem = p384_pem()
    key = client.import_public_key(publicKeyMaterial=pem)["publicKey"]
    assert re.fullmatch(r"([0-9a-f]{2}:){15}[0-9a-f]{2}", key["fingerprint"])
    assert key["publicKeyMaterial"] == pem
    assert (
        _error(lambda: client.import_public_key(publicKeyMaterial=pem))["Error"]["Code"]
        == "ConflictException"
    )


def test_tags_on_every_taggable_resource(client: Any) -> None:
    stage = client.create_stage(tags={"a": "1"})["stage"]["arn"]
    storage = client.create_storage_configuration(s3={"bucketName": "bucket"}, tags={"a": "1"})
    encoder = client.create_encoder_configuration(tags={"a": "1"})
    key = client.import_public_key(publicKeyMaterial=p384_pem(), tags={"a": "1"})
    ingest = client.create_ingest_configuration(ingestProtocol="RTMPS", tags={"a": "1"})
    composition = client.start_composition(
        stageArn=stage,
        destinations=[{"channel": {"channelArn": "arn:aws:ivs:us-east-1:123456789012:channel/c"}}],
        tags={"a": "1"},
    )
    arns = [
        stage,
        storage["storageConfiguration"]["arn"],
        encoder["encoderConfiguration"]["arn"],
        key["publicKey"]["arn"],
        ingest["ingestConfiguration"]["arn"],
        composition["composition"]["arn"],
    ]
    for arn in arns:
        assert client.list_tags_for_resource(resourceArn=arn)["tags"] == {"a": "1"}
        client.tag_resource(resourceArn=arn, tags={"b": "2", "a": "3"})
        client.untag_resource(resourceArn=arn, tagKeys=["b"])
        assert client.list_tags_for_resource(resourceArn=arn)["tags"] == {"a": "3"}
    assert client.get_stage(arn=stage)["stage"]["tags"] == {"a": "3"}
    assert client.list_stages()["stages"][0]["tags"] == {"a": "3"}
    too_many = {f"k{i}": "v" for i in range(50)}
    assert _error(lambda: client.tag_resource(resourceArn=stage, tags=too_many))["Error"][
        "Code"
    ] == ("ValidationException")


def test_composition_lifecycle_and_filters(server: LocalIVSRealTime, client: Any) -> None:
    server.composition_transition_seconds = 3600
    stage = client.create_stage()["stage"]["arn"]
    other = client.create_stage()["stage"]["arn"]
    encoder = client.create_encoder_configuration()["encoderConfiguration"]["arn"]
    channel = "arn:aws:ivs:us-east-1:123456789012:channel/c"
    started = client.start_composition(
        stageArn=stage,
        idempotencyToken="tok",
        destinations=[{"channel": {"channelArn": channel, "encoderConfigurationArn": encoder}}],
    )["composition"]
    assert started["state"] == "STARTING"
    assert started["layout"]["grid"]["gridGap"] == 2
    again = client.start_composition(
        stageArn=stage, idempotencyToken="tok", destinations=[{"channel": {"channelArn": channel}}]
    )["composition"]
    assert again["arn"] == started["arn"]
    client.start_composition(stageArn=other, destinations=[{"channel": {"channelArn": channel}}])
    assert client.get_composition(arn=started["arn"])["composition"]["state"] == "STARTING"
    server.composition_transition_seconds = 0
    assert client.get_composition(arn=started["arn"])["composition"]["state"] == "ACTIVE"
    by_stage = client.list_compositions(filterByStageArn=stage)["compositions"]
    assert [c["arn"] for c in by_stage] == [started["arn"]]
    by_encoder = client.list_compositions(filterByEncoderConfigurationArn=encoder)["compositions"]
    assert [c["arn"] for c in by_encoder] == [started["arn"]]
    assert len(client.list_compositions()["compositions"]) == 2
    error = _error(
        lambda: client.start_composition(
            stageArn=stage,
            destinations=[
                {"channel": {"channelArn": channel}},
                {"channel": {"channelArn": channel}},
            ],
        )
    )
    assert error["Error"]["Code"] == "ValidationException"


def test_ingest_configuration_states(server: LocalIVSRealTime, client: Any) -> None:
    stage = client.create_stage()["stage"]["arn"]
    ingest = client.create_ingest_configuration(
        ingestProtocol="RTMPS", stageArn=stage, userId="obs"
    )["ingestConfiguration"]
    assert re.fullmatch(r"rt_[0-9]+_[a-z0-9-]+_[a-zA-Z0-9-]+_.+", ingest["streamKey"])
    assert ingest["state"] == "INACTIVE"
    participant = server.connect_ingest(ingest["arn"])
    assert participant == ingest["participantId"]
    active = client.list_ingest_configurations(filterByState="ACTIVE")["ingestConfigurations"]
    assert [i["arn"] for i in active] == [ingest["arn"]]
    session = client.get_stage(arn=stage)["stage"]["activeSessionId"]
    got = client.get_participant(stageArn=stage, sessionId=session, participantId=participant)
    assert got["participant"]["protocol"] == "RTMPS"
    assert got["participant"]["userId"] == "obs"
    assert _error(lambda: client.delete_ingest_configuration(arn=ingest["arn"]))["Error"][
        "Code"
    ] == ("ConflictException")
    assert (
        _error(lambda: client.update_ingest_configuration(arn=ingest["arn"], stageArn=""))["Error"][
            "Code"
        ]
        == "ConflictException"
    )
    client.delete_ingest_configuration(arn=ingest["arn"], force=True)
    assert client.get_stage(arn=stage)["stage"].get("activeSessionId") is None


def test_update_stage_recording_and_unknown_storage(client: Any) -> None:
    stage = client.create_stage()["stage"]
    assert stage["autoParticipantRecordingConfiguration"]["storageConfigurationArn"] == ""
    missing = "arn:aws:ivs:us-east-1:123456789012:storage-configuration/nope"
    error = _error(
        lambda: client.update_stage(
            arn=stage["arn"],
            autoParticipantRecordingConfiguration={"storageConfigurationArn": missing},
        )
    )
    assert error["Error"]["Code"] == "ResourceNotFoundException"
    error = _error(
        lambda: client.create_stage(
            autoParticipantRecordingConfiguration={"storageConfigurationArn": missing}
        )
    )
    assert error["Error"]["Code"] == "ValidationException"


def _raw_post(
    server: LocalIVSRealTime, path: str, headers: dict[str, str]
) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(
        server.endpoint_url + path, data=b"{}", headers=headers, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, dict(error.headers), error.read()


def test_request_without_authorization_is_403(server: LocalIVSRealTime) -> None:
    status, headers, body = _raw_post(server, "/ListStages", {"Content-Type": "application/json"})
    assert status == 403
    assert headers["x-amzn-ErrorType"] == "MissingAuthenticationTokenException"
    assert b"Missing Authentication Token" in body
    status, headers, _ = _raw_post(server, "/ListStages", {"Authorization": "Bearer nope"})
    assert status == 403
    assert headers["x-amzn-ErrorType"] == "IncompleteSignatureException"


def test_unsigned_boto3_client_is_refused(server: LocalIVSRealTime, make_client: Any) -> None:
    from botocore import UNSIGNED

    client = make_client(server, signature_version=UNSIGNED)
    error = _error(client.list_stages)
    assert error["Error"]["Code"] == "MissingAuthenticationTokenException"
    assert error["Error"]["Message"] == "Missing Authentication Token"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_unknown_path_is_404(server: LocalIVSRealTime) -> None:
    status, headers, _ = _raw_post(
        server, "/NoSuchOperation", {"Authorization": "AWS4-HMAC-SHA256 x"}
    )
    assert status == 404
    assert headers["x-amzn-ErrorType"] == "UnknownOperationException"


def test_timestamps_are_iso_utc_with_milliseconds(server: LocalIVSRealTime, client: Any) -> None:
    captured: list[bytes] = []
    client.meta.events.register(
        "after-call.ivs-realtime.CreateParticipantToken",
        lambda http_response, **_: captured.append(http_response.content),
    )
    stage = client.create_stage()["stage"]["arn"]
    client.create_participant_token(stageArn=stage)
    import json

    expiration = json.loads(captured[0])["participantToken"]["expirationTime"]
    assert ISO_MS.match(expiration)
