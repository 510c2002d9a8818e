"""Fault injection from Python and over the admin path; request counters."""

from __future__ import annotations

import json
import time
import urllib.request
from typing import Any

import pytest
from botocore.exceptions import ClientError, ConnectionClosedError, ReadTimeoutError

from ivs_realtime_sdk.local import FaultRule, LocalIVSRealTime


def _admin(server: LocalIVSRealTime, method: str, path: str, body: object = None) -> Any:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        f"{server.endpoint_url}/_emulator/{path}",
        data=data,
        method=method,
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (429, "ThrottlingException"),
        (429, "TooManyRequestsException"),
        (500, "InternalServerException"),
        (503, "ServiceUnavailable"),
    ],
)
def test_next_call_fails_with_status_and_code(
    server: LocalIVSRealTime, client: Any, status: int, code: str
) -> None:
    server.faults.fail("ListStages", status, code, message="try later")
    with pytest.raises(ClientError) as caught:
        client.list_stages()
    assert caught.value.response["Error"] == {"Code": code, "Message": "try later"}
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == status
    client.list_stages()
    client.create_stage()
    stats = server.stats
    assert (
        stats["ListStages"].received,
        stats["ListStages"].succeeded,
        stats["ListStages"].failed,
    ) == (
        2,
        1,
        1,
    )
    assert stats["CreateStage"].succeeded == 1


def test_boto3_retries_through_throttling(server: LocalIVSRealTime, make_client: Any) -> None:
    client = make_client(server, retries={"mode": "legacy", "max_attempts": 4})
    server.faults.throttle("CreateStage", times=2)
    response = client.create_stage()
    assert response["ResponseMetadata"]["RetryAttempts"] == 2
    assert server.stats["CreateStage"].received == 3
    assert len(server.store.stages) == 1


def test_dropped_connection(server: LocalIVSRealTime, client: Any) -> None:
    server.faults.drop("GetStage")
    arn = client.create_stage()["stage"]["arn"]
    with pytest.raises(ConnectionClosedError):
        client.get_stage(arn=arn)
    assert client.get_stage(arn=arn)["stage"]["arn"] == arn
    assert server.stats["GetStage"].failed == 1


def test_delay(server: LocalIVSRealTime, make_client: Any) -> None:
    client = make_client(server, read_timeout=0.2)
    server.faults.delay("ListStages", 0.5)
    with pytest.raises(ReadTimeoutError):
        client.list_stages()
    server.faults.delay("ListStages", 0.05, times=1)
    started = time.perf_counter()
    client.list_stages()
    assert time.perf_counter() - started >= 0.05


def test_every_kth_and_probabilistic_rules(server: LocalIVSRealTime, client: Any) -> None:
    server.faults.add(FaultRule(operation="ListStages", status=429, every=3, times=None))
    outcomes = []
    for _ in range(9):
        try:
            client.list_stages()
            outcomes.append("ok")
        except ClientError:
            outcomes.append("throttled")
    assert outcomes == ["ok", "ok", "throttled"] * 3
    server.faults.clear()
    server.faults.add(operation="*", status=429, probability=0.25, times=None, seed=7)
    failures = 0
    for _ in range(200):
        try:
            client.list_stages()
        except ClientError:
            failures += 1
    assert 25 <= failures <= 75
    assert server.stats["ListStages"].faults == 3 + failures


def test_bad_rules_are_refused() -> None:
    with pytest.raises(ValueError, match="code"):
        FaultRule(status=418)
    with pytest.raises(ValueError, match="needs"):
        FaultRule()
    with pytest.raises(ValueError, match="probability"):
        FaultRule(status=429, probability=2.0)


def test_admin_path_sets_and_clears_faults(server: LocalIVSRealTime, client: Any) -> None:
    health = _admin(server, "GET", "health")
    assert (health["status"], health["stateDir"]) == ("ok", "memory")
    rules = _admin(
        server, "POST", "faults", [{"operation": "ListStages", "status": 503, "times": 2}]
    )["rules"]
    assert rules[0]["status"] == 503
    for _ in range(2):
        with pytest.raises(ClientError) as caught:
            client.list_stages()
        assert caught.value.response["Error"]["Code"] == "ServiceUnavailable"
    client.list_stages()
    _admin(server, "POST", "faults", {"operation": "*", "status": 429, "times": None})
    assert len(_admin(server, "GET", "faults")["rules"]) == 1
    assert _admin(server, "DELETE", "faults") == {"rules": []}
    client.list_stages()
    stats = _admin(server, "GET", "stats")
    assert stats["operations"]["ListStages"] == {
        "received": 4,
        "succeeded": 2,
        "failed": 2,
        "faults": 2,
    }
    with pytest.raises(urllib.error.HTTPError) as caught:
        _admin(server, "POST", "faults", {"operation": "ListStages", "colour": "red"})
    caught.value.close()
    assert caught.value.code == 400
    _admin(server, "POST", "reset", {})
    assert server.stats == {}


def test_concurrent_token_calls_are_neither_lost_nor_duplicated(
    server: LocalIVSRealTime, make_client: Any
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    client = make_client(server, max_pool_connections=20)
    stage = client.create_stage()["stage"]["arn"]
    with ThreadPoolExecutor(20) as pool:
        ids = list(
            pool.map(
                lambda _: client.create_participant_token(stageArn=stage)["participantToken"][
                    "participantId"
                ],
                range(200),
            )
        )
    assert len(set(ids)) == 200
    assert sorted(ids) == sorted(server.issued_participant_ids)
    assert server.stats["CreateParticipantToken"].succeeded == 200
