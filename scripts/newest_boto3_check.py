"""Run every operation of ivs-realtime with raw boto3 against a running emulator.

    ivs-realtime-sdk local --port 4566 &
    python scripts/newest_boto3_check.py http://127.0.0.1:4566

Meant for an environment with only boto3 in it (the newest release, without
this SDK's pins): it imports nothing of the SDK. It checks that the emulator
answers every operation the installed botocore knows, with the results the
model describes, including the newest service: a redundant ingest
configuration returns its credentials, a 300-second reconnect window is
accepted, and a participant id with "_" is a valid id. Participants join
through the emulator's admin API (``POST /_emulator/participants``).
"""

from __future__ import annotations

import json
import sys
import urllib.request
from collections.abc import Callable
from typing import Any

import boto3
import botocore
from botocore.exceptions import ClientError

# Any P-384 public key (of no one's private key): ImportPublicKey only parses it.
P384_PEM = """-----BEGIN PUBLIC KEY-----
MHYwEAYHKoZIzj0CAQYFK4EEACIDYgAEXVOC98O+iEZAQcqhAO4mNtE/KoMChTTl
eQemDGfzBaQGAGxJjEW8Y5+3IsvxCKl06FiXLsVyT7qr/XXkxrr15i1Cz+WHWWgi
VTu1Ain4IToTUIofi6cKtre5KCcg1Wuj
-----END PUBLIC KEY-----
"""


def _admin(endpoint: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    data = json.dumps(body or {}).encode()
    request = urllib.request.Request(f"{endpoint}/_emulator/{path}", data=data, method="POST")
    with urllib.request.urlopen(request, timeout=10) as answer:  # loopback only
        reply: dict[str, Any] = json.loads(answer.read() or b"{}")
    return reply


def _join_and_publish(endpoint: str, token: str) -> str:
    participant_id: str = _admin(endpoint, "participants", {"token": token})["participantId"]
    _admin(endpoint, f"participants/{participant_id}/publish")
    return participant_id


def main(endpoint: str) -> int:
    """Call all operations; print one line each; exit 1 on the first unexpected result."""
    client: Any = boto3.client(
        "ivs-realtime",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    called: dict[str, str] = {}

    def call(
        operation: str, check: Callable[[dict[str, Any]], object] | None = None, **params: Any
    ) -> dict[str, Any]:
        response: dict[str, Any] = getattr(client, botocore.xform_name(operation))(**params)
        status = response["ResponseMetadata"]["HTTPStatusCode"]
        if status != 200 or (check is not None and not check(response)):
            raise SystemExit(f"FAIL {operation}: {json.dumps(response, default=str)[:300]}")
        called[operation] = "ok"
        return response

    storage = call("CreateStorageConfiguration", s3={"bucketName": "my-bucket"})
    storage_arn = storage["storageConfiguration"]["arn"]
    spare_storage = call("CreateStorageConfiguration", s3={"bucketName": "other"})
    encoder = call("CreateEncoderConfiguration", video={"width": 1280, "height": 720})
    encoder_arn = encoder["encoderConfiguration"]["arn"]
    spare_encoder = call("CreateEncoderConfiguration")["encoderConfiguration"]["arn"]
    stage = call("CreateStage", name="main", participantTokenConfigurations=[{"userId": "a"}])
    stage_arn = stage["stage"]["arn"]
    other_arn = call("CreateStage", name="dest")["stage"]["arn"]
    spare_arn = call("CreateStage", name="spare")["stage"]["arn"]
    token = call("CreateParticipantToken", stageArn=stage_arn, userId="b")["participantToken"]
    host = _join_and_publish(endpoint, stage["participantTokens"][0]["token"])
    guest = _join_and_publish(endpoint, token["token"])
    call("GetStage", arn=stage_arn)
    call("UpdateStage", arn=stage_arn, name="renamed")
    call("ListStages", lambda r: len(r["stages"]) == 3)
    session = call("ListStageSessions", stageArn=stage_arn)["stageSessions"][0]["sessionId"]
    call("GetStageSession", stageArn=stage_arn, sessionId=session)
    call(
        "ListParticipants",
        lambda r: len(r["participants"]) == 2,
        stageArn=stage_arn,
        sessionId=session,
    )
    call("GetParticipant", stageArn=stage_arn, sessionId=session, participantId=host)
    call("ListParticipantEvents", stageArn=stage_arn, sessionId=session, participantId=host)
    call(
        "StartParticipantReplication",
        sourceStageArn=stage_arn,
        destinationStageArn=other_arn,
        participantId=host,
        reconnectWindowSeconds=300,
    )
    print("reconnect window of 300 s accepted")
    call(
        "ListParticipantReplicas",
        lambda r: len(r["replicas"]) == 1,
        sourceStageArn=stage_arn,
        participantId=host,
    )
    call(
        "StopParticipantReplication",
        sourceStageArn=stage_arn,
        destinationStageArn=other_arn,
        participantId=host,
    )
    composition = call(
        "StartComposition",
        stageArn=stage_arn,
        destinations=[
            {
                "s3": {
                    "storageConfigurationArn": storage_arn,
                    "encoderConfigurationArns": [encoder_arn],
                }
            }
        ],
    )["composition"]["arn"]
    call("GetComposition", arn=composition)
    call("ListCompositions", filterByStageArn=stage_arn)
    call("StopComposition", arn=composition)
    call("GetEncoderConfiguration", arn=encoder_arn)
    call("ListEncoderConfigurations")
    call("GetStorageConfiguration", arn=storage_arn)
    call("ListStorageConfigurations")
    ingest = call(
        "CreateIngestConfiguration",
        lambda r: len(r["ingestConfiguration"]["redundantIngestCredentials"]) == 2,
        ingestProtocol="RTMPS",
        stageArn=stage_arn,
        redundantIngest=True,
    )["ingestConfiguration"]
    paths = [c["participantId"] for c in ingest["redundantIngestCredentials"]]
    print(f"redundant ingest credentials returned for participants {paths}")
    call(
        "GetIngestConfiguration",
        lambda r: r["ingestConfiguration"]["redundantIngest"],
        arn=ingest["arn"],
    )
    call("UpdateIngestConfiguration", arn=ingest["arn"], stageArn=spare_arn, redundantIngest=False)
    call("ListIngestConfigurations", lambda r: "redundantIngest" in r["ingestConfigurations"][0])
    key = call("ImportPublicKey", publicKeyMaterial=P384_PEM, name="signer")["publicKey"]["arn"]
    call("GetPublicKey", arn=key)
    call("ListPublicKeys")
    call("TagResource", resourceArn=stage_arn, tags={"team": "video"})
    call("ListTagsForResource", lambda r: r["tags"] == {"team": "video"}, resourceArn=stage_arn)
    call("UntagResource", resourceArn=stage_arn, tagKeys=["team"])
    call("DisconnectParticipant", stageArn=stage_arn, participantId=guest, reason="bye")
    call("RevokeConnectionToken", tokenId=host)
    call(
        "GetParticipant",
        lambda r: r["participant"]["state"] == "DISCONNECTED",
        stageArn=stage_arn,
        sessionId=session,
        participantId=host,
    )
    print(f"revoked token {host}: its participant is disconnected")
    try:
        client.get_participant(stageArn=stage_arn, sessionId=session, participantId="guest_7")
    except ClientError as error:
        code = error.response["Error"]["Code"]
        if code != "ResourceNotFoundException":
            raise SystemExit(f"FAIL participant id guest_7: {code}") from error
    print("participant id guest_7 is a valid id (not found, not refused)")
    call("DeleteIngestConfiguration", arn=ingest["arn"])
    call("DeletePublicKey", arn=key)
    call("DeleteStage", arn=spare_arn)
    call("DeleteEncoderConfiguration", arn=spare_encoder)
    call("DeleteStorageConfiguration", arn=spare_storage["storageConfiguration"]["arn"])
    known = set(client.meta.service_model.operation_names)
    missing = known - set(called)
    print(f"botocore {botocore.__version__}, boto3 {boto3.__version__}:", end=" ")
    print(f"{len(called)} of {len(known)} operations answered as modelled")
    if missing:
        print(f"not called: {sorted(missing)}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:4566"))
