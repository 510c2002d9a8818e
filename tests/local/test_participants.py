"""Participants joining with API tokens and self-signed tokens; sessions and events."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest
from botocore.exceptions import ClientError
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from ivs_realtime_sdk.local import (
    JoinRefusedError,
    LocalIVSRealTime,
    ParticipantError,
    PublishRefusedError,
    SubscribeRefusedError,
)
from ivs_realtime_sdk.tokens import _jwt


class Clock:
    """A settable clock for the emulator."""

    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def timed(clock: Clock) -> Any:
    with LocalIVSRealTime(clock=clock) as server:
        yield server


def _token(client: Any, stage: str, **params: Any) -> str:
    token: str = client.create_participant_token(stageArn=stage, **params)["participantToken"][
        "token"
    ]
    return token


def _events(client: Any, stage: str, participant: str) -> list[dict[str, Any]]:
    session = client.list_stage_sessions(stageArn=stage)["stageSessions"][-1]["sessionId"]
    events: list[dict[str, Any]] = client.list_participant_events(
        stageArn=stage, sessionId=session, participantId=participant
    )["events"]
    return events


def test_api_token_is_an_es384_jwt_with_ivs_claims(server: LocalIVSRealTime, client: Any) -> None:
    stage = client.create_stage()["stage"]
    issued = client.create_participant_token(
        stageArn=stage["arn"],
        userId="alice",
        attributes={"k": "v"},
        capabilities=["SUBSCRIBE"],
        duration=5,
    )["participantToken"]
    header, claims = _jwt.decode_unverified(issued["token"])
    assert header == {"alg": "ES384", "typ": "JWT", "kid": server.token_key_id}
    verified = _jwt.verify(issued["token"], server.token_public_key)
    assert verified == claims
    assert claims["exp"] - claims["iat"] == 300
    assert claims["jti"] == issued["participantId"]
    assert claims["resource"] == stage["arn"]
    assert claims["topic"] == stage["arn"].rsplit("/", 1)[1]
    assert claims["events_url"] == stage["endpoints"]["events"]
    assert claims["whip_url"] == stage["endpoints"]["whip"]
    assert claims["user_id"] == "alice"
    assert claims["attributes"] == {"k": "v"}
    assert claims["capabilities"] == {"allow_publish": False, "allow_subscribe": True}
    assert claims["version"] == "1.0"
    assert server.issued_participant_ids == (issued["participantId"],)


def test_join_publish_subscribe_leave_records_session_and_events(
    server: LocalIVSRealTime, client: Any
) -> None:
    stage = client.create_stage()["stage"]["arn"]
    assert "activeSessionId" not in client.get_stage(arn=stage)["stage"]
    host = server.join(stage, _token(client, stage, userId="host"), publish=True)
    viewer = server.join(stage, _token(client, stage, userId="viewer", capabilities=["SUBSCRIBE"]))
    session = client.get_stage(arn=stage)["stage"]["activeSessionId"]
    assert len(session) == 16
    assert session.startswith("st-")
    server.subscribe(stage, viewer, host)
    listed = client.list_participants(stageArn=stage, sessionId=session)["participants"]
    assert {p["participantId"] for p in listed} == {host, viewer}
    assert (
        client.list_participants(stageArn=stage, sessionId=session, filterByUserId="viewer")[
            "participants"
        ][0]["participantId"]
        == viewer
    )
    published = client.list_participants(stageArn=stage, sessionId=session, filterByPublished=True)
    assert [p["participantId"] for p in published["participants"]] == [host]
    server.leave(stage, host)
    assert client.get_stage(arn=stage)["stage"]["activeSessionId"] == session
    disconnected = client.list_participants(
        stageArn=stage, sessionId=session, filterByState="DISCONNECTED"
    )
    assert [p["participantId"] for p in disconnected["participants"]] == [host]
    server.leave(stage, viewer)
    assert "activeSessionId" not in client.get_stage(arn=stage)["stage"]
    ended = client.get_stage_session(stageArn=stage, sessionId=session)["stageSession"]
    assert "endTime" in ended
    assert [e["name"] for e in _events(client, stage, host)] == [
        "JOINED",
        "PUBLISH_STARTED",
        "PUBLISH_STOPPED",
        "LEFT",
    ]
    viewer_events = _events(client, stage, viewer)
    assert [e["name"] for e in viewer_events] == [
        "JOINED",
        "SUBSCRIBE_STARTED",
        "SUBSCRIBE_STOPPED",
        "LEFT",
    ]
    assert viewer_events[1]["remoteParticipantId"] == host
    participant = client.get_participant(stageArn=stage, sessionId=session, participantId=host)[
        "participant"
    ]
    assert participant["published"] is True
    assert participant["state"] == "DISCONNECTED"
    with pytest.raises(ClientError, match="Only one of"):
        client.list_participants(
            stageArn=stage, sessionId=session, filterByUserId="a", filterByPublished=True
        )


def test_recording_state_and_filter(server: LocalIVSRealTime, client: Any) -> None:
    storage = client.create_storage_configuration(s3={"bucketName": "rec-bucket"})
    stage = client.create_stage(
        autoParticipantRecordingConfiguration={
            "storageConfigurationArn": storage["storageConfiguration"]["arn"]
        }
    )["stage"]["arn"]
    publisher = server.join(stage, _token(client, stage), publish=True)
    server.join(stage, _token(client, stage))
    session = client.get_stage(arn=stage)["stage"]["activeSessionId"]
    recording = client.list_participants(
        stageArn=stage, sessionId=session, filterByRecordingState="ACTIVE"
    )["participants"]
    assert [p["participantId"] for p in recording] == [publisher]
    got = client.get_participant(stageArn=stage, sessionId=session, participantId=publisher)
    assert got["participant"]["recordingS3BucketName"] == "rec-bucket"
    assert got["participant"]["recordingS3Prefix"]


def test_join_refused_for_expired_token(
    timed: LocalIVSRealTime, clock: Clock, make_client: Any
) -> None:
    client = make_client(timed)
    stage = client.create_stage()["stage"]["arn"]
    token = _token(client, stage, duration=1)
    clock.now += 61
    with pytest.raises(JoinRefusedError) as caught:
        timed.join(stage, token)
    assert caught.value.reason == "expired"
    clock.now -= 30
    timed.join(stage, token)


def test_join_refused_for_token_of_another_stage(server: LocalIVSRealTime, client: Any) -> None:
    stage = client.create_stage()["stage"]["arn"]
    other = client.create_stage()["stage"]["arn"]
    with pytest.raises(JoinRefusedError) as caught:
        server.join(other, _token(client, stage))
    assert caught.value.reason == "wrong_stage"


def test_publish_needs_the_publish_capability(server: LocalIVSRealTime, client: Any) -> None:
    stage = client.create_stage()["stage"]["arn"]
    with pytest.raises(PublishRefusedError) as caught:
        server.join(stage, _token(client, stage, capabilities=["SUBSCRIBE"]), publish=True)
    assert caught.value.reason == "insufficient_capabilities"
    refused = caught.value.participant_id
    assert refused is not None
    events = _events(client, stage, refused)
    assert [e["name"] for e in events] == ["JOINED", "PUBLISH_ERROR", "LEFT"]
    assert events[1]["errorCode"] == "INSUFFICIENT_CAPABILITIES"
    viewer = server.join(stage, _token(client, stage, capabilities=["SUBSCRIBE"]))
    with pytest.raises(PublishRefusedError):
        server.publish(stage, viewer)
    with pytest.raises(SubscribeRefusedError) as sub:
        server.subscribe(stage, viewer, "nobody")
    assert sub.value.reason == "publisher_not_found"
    publisher = server.join(stage, _token(client, stage, capabilities=["PUBLISH"]), publish=True)
    with pytest.raises(SubscribeRefusedError) as sub:
        server.subscribe(stage, publisher, viewer)
    assert sub.value.reason == "insufficient_capabilities"


def test_malformed_and_forged_api_tokens_are_refused(server: LocalIVSRealTime, client: Any) -> None:
    stage = client.create_stage()["stage"]["arn"]
    with pytest.raises(JoinRefusedError) as caught:
        server.join(stage, "not-a-jwt")
    assert caught.value.reason == "malformed_token"
    header, claims = _jwt.decode_unverified(_token(client, stage))
    forged = _jwt.encode(
        header,
        {**claims, "capabilities": {"allow_publish": True}},
        ec.generate_private_key(ec.SECP384R1()),
    )
    with pytest.raises(JoinRefusedError) as caught:
        server.join(stage, forged)
    assert caught.value.reason == "invalid_signature"


def test_disconnect_participant_revokes_it(server: LocalIVSRealTime, client: Any) -> None:
    stage = client.create_stage()["stage"]["arn"]
    token = _token(client, stage)
    participant = server.join(stage, token)
    client.disconnect_participant(stageArn=stage, participantId=participant, reason="kick")
    with pytest.raises(JoinRefusedError) as caught:
        server.join(stage, token)
    assert caught.value.reason == "revoked"
    with pytest.raises(ParticipantError):
        server.leave(stage, participant)
    with pytest.raises(ClientError, match="ResourceNotFoundException"):
        client.disconnect_participant(stageArn=stage, participantId=participant)


def test_participant_quota_records_join_error(make_client: Any) -> None:
    from ivs_realtime_sdk.local import Quotas

    with LocalIVSRealTime(quotas=Quotas(max_participants_per_stage=1)) as server:
        client = make_client(server)
        stage = client.create_stage()["stage"]["arn"]
        server.join(stage, _token(client, stage))
        with pytest.raises(JoinRefusedError) as caught:
            server.join(stage, _token(client, stage))
        assert caught.value.reason == "quota_exceeded"
        assert caught.value.participant_id is not None
        events = _events(client, stage, caught.value.participant_id)
        assert [(e["name"], e.get("errorCode")) for e in events] == [
            ("JOIN_ERROR", "QUOTA_EXCEEDED")
        ]


def test_replication_between_stages(server: LocalIVSRealTime, client: Any) -> None:
    source = client.create_stage()["stage"]["arn"]
    destination = client.create_stage()["stage"]["arn"]
    participant = server.join(source, _token(client, source), publish=True)
    client.start_participant_replication(
        sourceStageArn=source, destinationStageArn=destination, participantId=participant
    )
    dest_session = client.get_stage(arn=destination)["stage"]["activeSessionId"]
    replica = client.get_participant(
        stageArn=destination, sessionId=dest_session, participantId=participant
    )
    assert replica["participant"]["replicationType"] == "REPLICA"
    assert replica["participant"]["sourceStageArn"] == source
    replicas = client.list_participant_replicas(sourceStageArn=source, participantId=participant)[
        "replicas"
    ]
    assert [r["replicationState"] for r in replicas] == ["ACTIVE"]
    server.leave(source, participant)
    replicas = client.list_participant_replicas(sourceStageArn=source, participantId=participant)[
        "replicas"
    ]
    assert [r["replicationState"] for r in replicas] == ["STOPPED"]
    assert "activeSessionId" not in client.get_stage(arn=destination)["stage"]
    names = [e["name"] for e in _events(client, source, participant)]
    assert names == [
        "JOINED",
        "PUBLISH_STARTED",
        "REPLICATION_STARTED",
        "PUBLISH_STOPPED",
        "LEFT",
        "REPLICATION_STOPPED",
    ]


# -- self-signed tokens -----------------------------------------------------------------


def _self_signed(
    key: ec.EllipticCurvePrivateKey, kid: str, stage: str, *, exp: float, publish: bool = True
) -> str:
    return _jwt.encode(
        {"kid": kid},
        {
            "exp": int(exp),
            "iat": int(exp) - 600,
            "jti": "selfsigned-1",
            "resource": stage,
            "topic": stage.rsplit("/", 1)[1],
            "events_url": "wss://global.events.live-video.net",
            "whip_url": "https://global.whip.live-video.net",
            "user_id": "self",
            "attributes": {"via": "self-signed"},
            "capabilities": {"allow_publish": publish, "allow_subscribe": True},
            "version": "1.0",
        },
        key,
    )


def _import(client: Any, key: ec.EllipticCurvePrivateKey) -> str:
    pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    arn: str = client.import_public_key(publicKeyMaterial=pem.decode())["publicKey"]["arn"]
    return arn


def test_self_signed_token_is_accepted(
    timed: LocalIVSRealTime, clock: Clock, make_client: Any
) -> None:
    client = make_client(timed)
    stage = client.create_stage()["stage"]["arn"]
    key = ec.generate_private_key(ec.SECP384R1())
    kid = _import(client, key)
    participant = timed.join(
        stage, _self_signed(key, kid, stage, exp=clock.now + 600), publish=True
    )
    assert participant == "selfsigned-1"
    session = client.get_stage(arn=stage)["stage"]["activeSessionId"]
    got = client.get_participant(stageArn=stage, sessionId=session, participantId=participant)[
        "participant"
    ]
    assert got["userId"] == "self"
    assert got["attributes"] == {"via": "self-signed"}
    assert got["published"]


def test_self_signed_tokens_refused_when_forged_expired_foreign_or_key_deleted(
    timed: LocalIVSRealTime, clock: Clock, make_client: Any
) -> None:
    client = make_client(timed)
    stage = client.create_stage()["stage"]["arn"]
    other = client.create_stage()["stage"]["arn"]
    key = ec.generate_private_key(ec.SECP384R1())
    kid = _import(client, key)
    intruder = ec.generate_private_key(ec.SECP384R1())
    cases = {
        "invalid_signature": _self_signed(intruder, kid, stage, exp=clock.now + 600),
        "expired": _self_signed(key, kid, stage, exp=clock.now - 1),
        "wrong_stage": _self_signed(key, kid, other, exp=clock.now + 600),
        "unknown_key": _self_signed(key, kid + "x", stage, exp=clock.now + 600),
    }
    for reason, token in cases.items():
        with pytest.raises(JoinRefusedError) as caught:
            timed.join(stage, token)
        assert caught.value.reason == reason
        assert token not in str(caught.value)
    good = _self_signed(key, kid, stage, exp=clock.now + 600)
    client.delete_public_key(arn=kid)
    with pytest.raises(JoinRefusedError) as caught:
        timed.join(stage, good)
    assert caught.value.reason == "unknown_key"


def test_participant_methods_are_safe_from_other_threads_and_the_loop(
    client: Any, server: LocalIVSRealTime
) -> None:
    stage = client.create_stage()["stage"]["arn"]
    tokens = [_token(client, stage) for _ in range(20)]
    joined: list[str] = []

    def worker(batch: list[str]) -> None:
        for token in batch:
            joined.append(server.join(stage, token, publish=True))

    threads = [threading.Thread(target=worker, args=(tokens[i::4],)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(joined) == sorted(server.issued_participant_ids)


async def test_participant_methods_from_async_code(make_client: Any) -> None:
    async with LocalIVSRealTime() as server:
        client = make_client(server)
        stage = (await asyncio.to_thread(client.create_stage))["stage"]["arn"]
        token = (await asyncio.to_thread(client.create_participant_token, stageArn=stage))[
            "participantToken"
        ]["token"]
        participant = server.join(stage, token, publish=True)
        server.leave(stage, participant)
        sessions = await asyncio.to_thread(client.list_stage_sessions, stageArn=stage)
        assert len(sessions["stageSessions"]) == 1
