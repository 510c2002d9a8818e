"""Participants over HTTP: the admin API's join and actions, and their errors."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from typing import Any

import pytest

from ivs_realtime_sdk.local import LocalIVSRealTime


def _post(server: LocalIVSRealTime, path: str, body: Any = None, raw: bytes | None = None) -> Any:
    data = raw if raw is not None else json.dumps(body or {}).encode()
    request = urllib.request.Request(
        f"{server.endpoint_url}/_emulator/{path}", data=data, method="POST"
    )
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def _token(client: Any, stage: str, *capabilities: str, duration: int | None = None) -> str:
    params: dict[str, Any] = {"stageArn": stage, "capabilities": list(capabilities)}
    if duration is not None:
        params["duration"] = duration
    token: str = client.create_participant_token(**params)["participantToken"]["token"]
    return token


def test_join_answers_201_with_the_participant(server: LocalIVSRealTime, client: Any) -> None:
    stage = client.create_stage()["stage"]["arn"]
    status, body = _post(server, "participants", {"token": _token(client, stage, "PUBLISH")})
    assert status == 201
    session = client.get_stage(arn=stage)["stage"]["activeSessionId"]
    assert body == {"participantId": body["participantId"], "sessionId": session, "stageArn": stage}
    got = client.get_participant(
        stageArn=stage, sessionId=session, participantId=body["participantId"]
    )["participant"]
    assert got["state"] == "CONNECTED"


def test_actions_drive_the_participant(server: LocalIVSRealTime, client: Any) -> None:
    stage = client.create_stage()["stage"]["arn"]
    _, host = _post(server, "participants", {"token": _token(client, stage, "PUBLISH")})
    _, viewer = _post(server, "participants", {"token": _token(client, stage, "SUBSCRIBE")})
    host_id, viewer_id = host["participantId"], viewer["participantId"]
    assert _post(server, f"participants/{host_id}/publish")[0] == 200
    status, _ = _post(server, f"participants/{viewer_id}/subscribe", {"publisherId": host_id})
    assert status == 200
    assert (
        _post(server, f"participants/{viewer_id}/unsubscribe", {"publisherId": host_id})[0] == 200
    )
    assert _post(server, f"participants/{host_id}/unpublish")[0] == 200
    assert _post(server, f"participants/{viewer_id}/leave")[0] == 200
    session = host["sessionId"]
    names = [
        e["name"]
        for e in client.list_participant_events(
            stageArn=stage, sessionId=session, participantId=viewer_id
        )["events"]
    ]
    assert names == ["JOINED", "SUBSCRIBE_STARTED", "SUBSCRIBE_STOPPED", "LEFT"]
    # Over HTTP, other tools reach GetParticipant and DisconnectParticipant too.
    client.disconnect_participant(stageArn=stage, participantId=host_id)
    assert _post(server, f"participants/{host_id}/publish")[0] == 404


@pytest.mark.parametrize(
    ("case", "status", "reason"),
    [
        ("no-body", 400, "bad_request"),
        ("not-json", 400, "bad_request"),
        ("garbage-token", 401, "malformed_token"),
        ("expired", 401, "expired"),
        ("no-publish", 403, "insufficient_capabilities"),
        ("unknown-participant", 404, "not_connected"),
        ("unknown-action", 404, "unknown_action"),
        ("no-publisher", 404, "publisher_not_found"),
        ("twice", 409, "already_connected"),
    ],
)
def test_errors_are_json_with_a_4xx_status(
    server: LocalIVSRealTime, client: Any, case: str, status: int, reason: str
) -> None:
    stage = client.create_stage()["stage"]["arn"]
    token = _token(client, stage, "SUBSCRIBE")
    _, joined = _post(server, "participants", {"token": token})
    me = joined["participantId"]
    short = _token(client, stage, "PUBLISH", duration=1)
    if case == "expired":
        server.store.clock = lambda: time.time() + 3600  # an hour on: the token expired
    requests: dict[str, tuple[str, Any, bytes | None]] = {
        "no-body": ("participants", {}, None),
        "not-json": ("participants", None, b"{nope"),
        "garbage-token": ("participants", {"token": "a.b.c"}, None),
        "expired": ("participants", {"token": short}, None),
        "no-publish": (f"participants/{me}/publish", {}, None),
        "unknown-participant": ("participants/nobody/leave", {}, None),
        "unknown-action": (f"participants/{me}/dance", {}, None),
        "no-publisher": (f"participants/{me}/subscribe", {"publisherId": "nobody"}, None),
        "twice": ("participants", {"token": token}, None),
    }
    path, body, raw = requests[case]
    got_status, got = _post(server, path, body, raw)
    assert (got_status, got["reason"]) == (status, reason)
    assert got["message"]
    assert token not in got["message"]
