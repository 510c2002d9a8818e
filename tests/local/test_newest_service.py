"""The emulator's newest service: token revocation, redundant ingest, new limits, headers."""

from __future__ import annotations

import re
from typing import Any

import pytest
from botocore.exceptions import ClientError
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from ivs_realtime_sdk import Stage, StageEndpoints, TokenSigner
from ivs_realtime_sdk.local import JoinRefusedError, LocalIVSRealTime
from ivs_realtime_sdk.local._headers import HEADER_VALUES

STREAM_KEY = re.compile(r"rt_[0-9]+_[a-z0-9-]+_[a-zA-Z0-9-]+_.+")


def _events(client: Any, stage: str, participant: str) -> list[str]:
    session = client.list_stage_sessions(stageArn=stage)["stageSessions"][0]["sessionId"]
    events = client.list_participant_events(
        stageArn=stage, sessionId=session, participantId=participant
    )["events"]
    return [e["name"] for e in events]


def _state(client: Any, stage: str, participant: str) -> str:
    session = client.list_stage_sessions(stageArn=stage)["stageSessions"][0]["sessionId"]
    got = client.get_participant(stageArn=stage, sessionId=session, participantId=participant)
    state: str = got["participant"]["state"]
    return state


def _signer(client: Any) -> TokenSigner:
    key = ec.generate_private_key(ec.SECP384R1())
    pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    arn: str = client.import_public_key(publicKeyMaterial=pem.decode())["publicKey"]["arn"]
    return TokenSigner(key, arn)


def _stage(client: Any) -> Stage:
    stage = client.create_stage()["stage"]
    return Stage(
        arn=stage["arn"],
        endpoints=StageEndpoints(
            events=stage["endpoints"]["events"], whip=stage["endpoints"]["whip"]
        ),
    )


def test_revoking_a_token_disconnects_its_participant_and_refuses_it_later(
    client: Any, server: LocalIVSRealTime
) -> None:
    stage = client.create_stage(participantTokenConfigurations=[{}, {}])
    arn = stage["stage"]["arn"]
    revoked, kept = stage["participantTokens"]
    server.join(arn, revoked["token"], publish=True)
    server.join(arn, kept["token"])
    client.revoke_connection_token(tokenId=revoked["participantId"])
    assert _state(client, arn, revoked["participantId"]) == "DISCONNECTED"
    assert _events(client, arn, revoked["participantId"])[-2:] == ["PUBLISH_STOPPED", "LEFT"]
    assert _state(client, arn, kept["participantId"]) == "CONNECTED"
    with pytest.raises(JoinRefusedError) as caught:
        server.join(arn, revoked["token"])
    assert caught.value.reason == "revoked"


def test_a_revoked_self_signed_jti_is_refused_on_every_stage(
    client: Any, server: LocalIVSRealTime
) -> None:
    signer = _signer(client)
    first, second = _stage(client), _stage(client)
    # A participant id with "_", which the newest model allows.
    token = signer.mint(first, participant_id="guest_7")
    assert server.join(first.arn, token.token) == "guest_7"
    client.revoke_connection_token(tokenId="guest_7")
    assert _state(client, first.arn, "guest_7") == "DISCONNECTED"
    with pytest.raises(JoinRefusedError) as caught:
        server.join(second.arn, signer.mint(second, participant_id="guest_7").token)
    assert caught.value.reason == "revoked"
    assert server.join(second.arn, signer.mint(second, participant_id="guest_8").token)


def test_revoking_an_id_nobody_holds_succeeds(client: Any) -> None:
    # The operation models no ResourceNotFoundException.
    response = client.revoke_connection_token(tokenId="never-issued_1")
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200


@pytest.mark.parametrize("token_id", ["", "x" * 65, "spaces are bad"])
def test_a_malformed_token_id_is_a_validation_error(raw_client: Any, token_id: str) -> None:
    with pytest.raises(ClientError) as caught:
        raw_client.revoke_connection_token(tokenId=token_id)
    assert caught.value.response["Error"]["Code"] == "ValidationException"


def test_a_redundant_ingest_configuration_returns_one_credential_per_path(
    client: Any, server: LocalIVSRealTime
) -> None:
    stage = client.create_stage()["stage"]["arn"]
    created = client.create_ingest_configuration(
        ingestProtocol="RTMPS", stageArn=stage, redundantIngest=True
    )
    config = created["ingestConfiguration"]
    assert config["redundantIngest"] is True
    credentials = config["redundantIngestCredentials"]
    assert len(credentials) == 2
    ids = {c["participantId"] for c in credentials}
    keys = {c["streamKey"] for c in credentials}
    assert len(ids) == 2
    assert config["participantId"] not in ids
    assert len(keys | {config["streamKey"]}) == 3
    assert all(STREAM_KEY.fullmatch(k) for k in keys)
    got = client.get_ingest_configuration(arn=config["arn"])["ingestConfiguration"]
    assert got["redundantIngestCredentials"] == credentials
    summary = client.list_ingest_configurations()["ingestConfigurations"][0]
    assert summary["redundantIngest"] is True
    assert "redundantIngestCredentials" not in summary
    # Its publisher shows the configuration and its redundancy.
    participant = server.connect_ingest(config["arn"])
    session = client.list_stage_sessions(stageArn=stage)["stageSessions"][0]["sessionId"]
    shown = client.get_participant(stageArn=stage, sessionId=session, participantId=participant)
    assert shown["participant"]["ingestConfigurationArn"] == config["arn"]
    assert shown["participant"]["redundantIngest"] is True
    listed = client.list_participants(stageArn=stage, sessionId=session)["participants"][0]
    assert listed["ingestConfigurationArn"] == config["arn"]
    server.disconnect_ingest(config["arn"])
    updated = client.update_ingest_configuration(arn=config["arn"], redundantIngest=False)
    assert updated["ingestConfiguration"]["redundantIngest"] is False
    assert "redundantIngestCredentials" not in updated["ingestConfiguration"]


def test_a_plain_ingest_configuration_is_not_redundant(client: Any) -> None:
    config = client.create_ingest_configuration(ingestProtocol="RTMPS")["ingestConfiguration"]
    assert config["redundantIngest"] is False
    assert "redundantIngestCredentials" not in config


@pytest.mark.parametrize("operation", ["create", "update"])
def test_ingest_answers_carry_the_headers_the_model_declares(client: Any, operation: str) -> None:
    created = client.create_ingest_configuration(ingestProtocol="RTMPS")
    response = (
        created
        if operation == "create"
        else client.update_ingest_configuration(arn=created["ingestConfiguration"]["arn"])
    )
    headers = response["ResponseMetadata"]["HTTPHeaders"]
    for name, value in HEADER_VALUES.items():
        assert headers[name.lower()] == value
    # botocore reads them into the members the model binds them to.
    assert response["strictTransportSecurity"] == HEADER_VALUES["Strict-Transport-Security"]


def test_a_300_second_reconnect_window_is_accepted_and_301_is_not(
    client: Any, raw_client: Any, server: LocalIVSRealTime
) -> None:
    stage = client.create_stage(participantTokenConfigurations=[{}])
    source = stage["stage"]["arn"]
    destination = client.create_stage()["stage"]["arn"]
    participant = server.join(source, stage["participantTokens"][0]["token"], publish=True)
    params = {
        "sourceStageArn": source,
        "destinationStageArn": destination,
        "participantId": participant,
    }
    with pytest.raises(ClientError) as caught:
        raw_client.start_participant_replication(**params, reconnectWindowSeconds=301)
    assert caught.value.response["Error"]["Code"] == "ValidationException"
    started = client.start_participant_replication(**params, reconnectWindowSeconds=300)
    assert started["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_a_participant_id_with_an_underscore_is_a_valid_id(client: Any) -> None:
    stage = client.create_stage()["stage"]["arn"]
    with pytest.raises(ClientError) as caught:
        client.get_participant(stageArn=stage, sessionId="st-abcdEFGH12345", participantId="a_b")
    # Not found, rather than refused as malformed.
    assert caught.value.response["Error"]["Code"] == "ResourceNotFoundException"
