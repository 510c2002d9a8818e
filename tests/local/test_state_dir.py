"""The dev server: durable state, accounts and regions, the request log, health and reset."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config

from ivs_realtime_sdk._shipped import session_with_shipped_model
from ivs_realtime_sdk.local import LocalIVSRealTime, StateDirectoryError
from ivs_realtime_sdk.local.backend._store_sqlite import FILE_NAME, SqliteStore
from ivs_realtime_sdk.models import ParticipantTokenConfig, Stage, StageEndpoints
from ivs_realtime_sdk.tokens import TokenSigner, generate_key_pair

_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


def _command() -> list[str]:
    script = Path(sys.executable).with_name("ivs-realtime-sdk")
    return [str(script)] if script.exists() else [sys.executable, "-m", "ivs_realtime_sdk"]


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _start(*args: str, **popen: Any) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [*_command(), "local", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
        **popen,
    )
    assert process.stdout is not None
    url = process.stdout.readline().strip()
    if not url.startswith("http://"):
        _, err = process.communicate(timeout=10)
        raise AssertionError(f"the emulator did not start: {err}")
    return process, url


def _client(url: str, *, key: str = "testing", region: str = "us-east-1") -> Any:
    session = session_with_shipped_model(boto3.Session())
    return session.create_client(
        "ivs-realtime",
        endpoint_url=url,
        region_name=region,
        aws_access_key_id=key,
        aws_secret_access_key=_SECRET,
        config=Config(retries={"total_max_attempts": 1}, connect_timeout=2, read_timeout=5),
    )


def _admin(url: str, method: str, route: str, body: object = None) -> Any:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"{url}/_emulator/{route}", data=data, method=method)
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.loads(answer.read())


def _all_stage_arns(client: Any) -> set[str]:
    arns: set[str] = set()
    page: dict[str, Any] = {}
    while True:
        more = {"nextToken": page["nextToken"]} if page.get("nextToken") else {}
        page = client.list_stages(maxResults=100, **more)
        arns.update(stage["arn"] for stage in page["stages"])
        if not page.get("nextToken"):
            return arns


@pytest.fixture
def state_dir() -> Iterator[Path]:
    where = Path(tempfile.mkdtemp(prefix="ivs-state-"))
    try:
        yield where
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-R", "-i", str(where)], check=True)
        for path in sorted(where.rglob("*"), reverse=True):
            if path.is_dir():
                path.chmod(0o755)
                path.rmdir()
            else:
                path.unlink()
        where.rmdir()


# -- kill -9 and restart -------------------------------------------------------------------


def test_sigkill_loses_nothing_acknowledged(state_dir: Path) -> None:
    process, url = _start("--state-dir", str(state_dir))
    port = url.rsplit(":", 1)[1]
    client = _client(url)
    pair = generate_key_pair()
    acknowledged: list[str] = []
    enough = threading.Event()

    def create_stages() -> None:
        own = _client(url)
        try:
            while True:
                acknowledged.append(own.create_stage(name="load")["stage"]["arn"])
                if len(acknowledged) >= 40:
                    enough.set()
        except Exception:  # the process was killed under us
            enough.set()
        finally:
            own.close()

    # Four threads keep creating stages while everything else is made.
    threads = [threading.Thread(target=create_stages) for _ in range(4)]
    for thread in threads:
        thread.start()
    try:
        storage = client.create_storage_configuration(name="rec", s3={"bucketName": "bucket"})
        storage_arn = storage["storageConfiguration"]["arn"]
        encoder_arn = client.create_encoder_configuration(name="hd")["encoderConfiguration"]["arn"]
        stage = client.create_stage(
            name="main",
            tags={"team": "video"},
            autoParticipantRecordingConfiguration={"storageConfigurationArn": storage_arn},
            participantTokenConfigurations=[{"userId": "alice"}, {"userId": "bob"}],
        )
        stage_arn = stage["stage"]["arn"]
        alice, bob = (t["token"] for t in stage["participantTokens"])
        revoked = client.create_participant_token(stageArn=stage_arn)["participantToken"]
        client.revoke_connection_token(tokenId=revoked["participantId"])
        ingest = client.create_ingest_configuration(
            name="obs", ingestProtocol="RTMPS", stageArn=stage_arn
        )["ingestConfiguration"]
        imported = client.import_public_key(name="signer", publicKeyMaterial=pair.public_key_pem)
        key_arn = imported["publicKey"]["arn"]
        composition_arn = client.start_composition(
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
        joined = _admin(url, "POST", "participants", {"token": alice})
        assert enough.wait(timeout=60)
        assert any(thread.is_alive() for thread in threads)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        for thread in threads:
            thread.join(timeout=30)
        acknowledged_before = list(acknowledged)
    finally:
        process.kill()
        process.communicate(timeout=10)
        client.close()
    assert len(acknowledged_before) >= 40

    process, url = _start("--state-dir", str(state_dir), "--port", port)
    client = _client(url)
    try:
        assert url.endswith(f":{port}")
        arns = _all_stage_arns(client)
        assert set(acknowledged_before) <= arns
        assert stage_arn in arns
        restored = client.get_stage(arn=stage_arn)["stage"]
        assert restored["tags"] == {"team": "video"}
        recording = restored["autoParticipantRecordingConfiguration"]
        assert recording["storageConfigurationArn"] == storage_arn
        assert client.list_tags_for_resource(resourceArn=stage_arn)["tags"] == {"team": "video"}
        assert client.get_storage_configuration(arn=storage_arn)["storageConfiguration"]["s3"] == {
            "bucketName": "bucket"
        }
        assert client.get_encoder_configuration(arn=encoder_arn)["encoderConfiguration"]["name"]
        got_ingest = client.get_ingest_configuration(arn=ingest["arn"])["ingestConfiguration"]
        assert got_ingest["streamKey"] == ingest["streamKey"]
        assert client.get_public_key(arn=key_arn)["publicKey"]["name"] == "signer"
        composition = client.get_composition(arn=composition_arn)["composition"]
        assert composition["stageArn"] == stage_arn

        participant = client.get_participant(
            stageArn=stage_arn,
            sessionId=joined["sessionId"],
            participantId=joined["participantId"],
        )["participant"]
        assert participant["state"] == "DISCONNECTED"
        events = client.list_participant_events(
            stageArn=stage_arn,
            sessionId=joined["sessionId"],
            participantId=joined["participantId"],
        )["events"]
        assert [e["name"] for e in events] == ["JOINED", "LEFT"]

        # A token issued before the kill joins; so does one self-signed with the imported key.
        again = _admin(url, "POST", "participants", {"token": bob})
        assert again["stageArn"] == stage_arn
        # A token revoked before the kill stays refused.
        with pytest.raises(urllib.error.HTTPError) as refused:
            _admin(url, "POST", "participants", {"token": revoked["token"]})
        assert json.loads(refused.value.read())["reason"] == "revoked"
        model = Stage(arn=stage_arn, endpoints=StageEndpoints(**restored["endpoints"]))
        signed = TokenSigner(pair.private_key, key_arn).mint(
            model, ParticipantTokenConfig(user_id="carol")
        )
        assert _admin(url, "POST", "participants", {"token": signed.token})["stageArn"] == stage_arn
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=10)
        client.close()
    assert process.returncode == 0


# -- state files the emulator refuses, untouched --------------------------------------------


def _snapshot(where: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(where.iterdir())}


def _stored(where: Path) -> None:
    SqliteStore(where).close()


def _damaged(where: Path) -> None:
    # A real state file whose schema page, after the header, was overwritten.
    _stored(where)
    data = bytearray((where / FILE_NAME).read_bytes())
    data[100:4096] = bytes(range(256)) * 15 + bytes(range(156))
    (where / FILE_NAME).write_bytes(bytes(data))


def _not_sqlite(where: Path) -> None:
    (where / FILE_NAME).write_text("name,arn\nmain,arn:aws:ivs:us-east-1:1:stage/x\n")


def _future(where: Path) -> None:
    _stored(where)
    with sqlite3.connect(where / FILE_NAME) as db:
        db.execute("PRAGMA user_version=99")
    db.close()


def _read_only(where: Path) -> None:
    _stored(where)
    (where / FILE_NAME).chmod(0o444)
    where.chmod(0o555)
    if os.geteuid() == 0:
        # Permission bits do not stop root; the immutable attribute does.
        for path in (where / FILE_NAME, where):
            subprocess.run(["chattr", "+i", str(path)], check=True)


@pytest.mark.parametrize(
    ("prepare", "expected"),
    [
        (_damaged, "is damaged or not an SQLite database"),
        (_not_sqlite, "is damaged or not an SQLite database"),
        (_future, "has schema version 99, this ivs-realtime-sdk reads version 1"),
        (_read_only, "is not writable by this process"),
    ],
    ids=["damaged", "not-sqlite", "future-version", "read-only"],
)
def test_a_state_dir_it_cannot_use_is_refused_in_one_line_and_left_alone(
    state_dir: Path, prepare: Any, expected: str
) -> None:
    prepare(state_dir)
    before = _snapshot(state_dir)
    result = subprocess.run(
        [*_command(), "local", "--port", "0", "--state-dir", str(state_dir)],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert expected in lines[0]
    assert "--state-dir" in lines[0]
    assert _snapshot(state_dir) == before


# -- accounts and regions ------------------------------------------------------------------


def test_accounts_and_regions_keep_their_own_stages(server: LocalIVSRealTime) -> None:
    url = server.endpoint_url
    first, second = _client(url, key="111111111111"), _client(url, key="222222222222")
    west, east = _client(url, region="us-west-2"), _client(url)
    try:
        one = first.create_stage(name="one")["stage"]["arn"]
        two = second.create_stage(name="two")["stage"]["arn"]
        assert one.startswith("arn:aws:ivs:us-east-1:111111111111:stage/")
        assert two.startswith("arn:aws:ivs:us-east-1:222222222222:stage/")
        assert _all_stage_arns(first) == {one}
        assert _all_stage_arns(second) == {two}
        with pytest.raises(second.exceptions.ResourceNotFoundException):
            second.get_stage(arn=one)

        created = west.create_stage(name="west", participantTokenConfigurations=[{}])
        west_arn = created["stage"]["arn"]
        assert west_arn.startswith(f"arn:aws:ivs:us-west-2:{server.account_id}:stage/")
        assert west_arn not in _all_stage_arns(east)
        assert west_arn in _all_stage_arns(west)
        # Its token joins in its own region, and its events name that region.
        token = created["participantTokens"][0]["token"]
        joined = _admin(url, "POST", "participants", {"token": token})
        assert joined["stageArn"] == west_arn
        _admin(url, "POST", f"participants/{joined['participantId']}/publish", {})
        published = [e for e in server.events if e["resources"] == [west_arn]]
        assert published
        assert {(e["region"], e["account"]) for e in published} == {
            ("us-west-2", server.account_id)
        }

        health = _admin(url, "GET", "health")
        scopes = {(a["accountId"], a["region"]): a["stages"] for a in health["accounts"]}
        assert scopes[("111111111111", "us-east-1")] == 1
        assert scopes[("123456789012", "us-west-2")] == 1
        assert health["stateDir"] == "memory"
        assert health["version"]

        # Resetting one account and region leaves the others.
        _admin(url, "POST", "reset", {"accountId": "111111111111", "region": "us-east-1"})
        assert _all_stage_arns(first) == set()
        assert _all_stage_arns(second) == {two}
    finally:
        for client in (first, second, west, east):
            client.close()


def test_a_region_that_is_not_one_is_refused(server: LocalIVSRealTime) -> None:
    client = _client(server.endpoint_url, region="nowhere")
    try:
        with pytest.raises(client.exceptions.ClientError) as caught:
            client.list_stages()
        assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
        # The next request is served as ever.
        assert _client(server.endpoint_url).list_stages()["stages"] == []
    finally:
        client.close()


# -- the request log -----------------------------------------------------------------------


def test_log_requests_names_the_call_and_no_secret(state_dir: Path) -> None:
    process, url = _start("--log-requests")
    client = _client(url, key="AKIDEXAMPLEKEY")
    try:
        created = client.create_stage(name="logged", participantTokenConfigurations=[{}])
        token = created["participantTokens"][0]["token"]
        _admin(url, "GET", "health")
    finally:
        client.close()
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=10)
    lines = err.splitlines()
    create = [line for line in lines if " CreateStage 200 " in line]
    assert len(create) == 1, err
    assert "account=123456789012 region=us-east-1" in create[0]
    assert "request-id=" in create[0]
    assert any(" GET /_emulator/health 200 " in line for line in lines), err
    for secret in (token, token.split(".")[2], _SECRET, "Signature=", "AKIDEXAMPLEKEY"):
        assert secret not in err


def test_without_log_requests_nothing_is_logged(server: LocalIVSRealTime) -> None:
    assert server._request_logger is None  # pyright: ignore[reportPrivateUsage]


# -- in-process restarts -------------------------------------------------------------------


def test_restart_on_another_port_rewrites_stage_endpoints_and_keeps_events(
    state_dir: Path,
) -> None:
    with LocalIVSRealTime(state_dir=state_dir) as first:
        client = _client(first.endpoint_url)
        created = client.create_stage(name="s", participantTokenConfigurations=[{}])
        stage = created["stage"]
        client.close()
        first_port = first.port
        first.join(stage["arn"], created["participantTokens"][0]["token"], publish=True)
        events = first.events
    assert events
    with LocalIVSRealTime(state_dir=state_dir) as second:
        assert second.port != first_port
        client = _client(second.endpoint_url)
        endpoints = client.get_stage(arn=stage["arn"])["stage"]["endpoints"]
        client.close()
        assert endpoints["whip"].startswith(f"{second.endpoint_url}/")
        assert second.events[: len(events)] == events
        # Restarting disconnected the publisher: its "Participant Unpublished" follows.
        assert len(second.events) > len(events)
        health = _admin(second.endpoint_url, "GET", "health")
        assert health["stateDir"] == str(state_dir)
        _admin(second.endpoint_url, "POST", "reset")
    with LocalIVSRealTime(state_dir=state_dir) as third:
        assert third.backend.stages == {}
        assert third.events == []


def test_an_unusable_state_dir_raises_in_python(state_dir: Path) -> None:
    _damaged(state_dir)
    with pytest.raises(StateDirectoryError, match="is damaged"):
        LocalIVSRealTime(state_dir=state_dir)
