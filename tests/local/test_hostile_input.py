"""Hostile input to the emulator: nothing refused is stored, and no request breaks a later one."""

from __future__ import annotations

import http.client
import json
import logging
import math
import time
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from ivs_realtime_sdk.local import LocalIVSRealTime, ParticipantError
from ivs_realtime_sdk.tokens import _jwt

_ANY_SIGNATURE = "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/ivs/aws4_request, x"


def send(
    server: LocalIVSRealTime,
    method: str,
    path: str,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, Any], str]:
    """One raw request; the status, the JSON body ({} if none) and the error type."""
    connection = http.client.HTTPConnection(server.host, server.port, timeout=10)
    try:
        sent = {"Authorization": _ANY_SIGNATURE, "Content-Type": "application/json"}
        sent.update(headers or {})
        # An empty value sends no such header.
        sent = {name: value for name, value in sent.items() if value}
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        raw = response.read()
        try:
            payload: Any = json.loads(raw) if raw else {}
        except ValueError:
            payload = {"text": raw.decode("utf-8", "replace")}
        return response.status, payload, response.getheader("x-amzn-ErrorType") or ""
    finally:
        connection.close()


def stage_count(server: LocalIVSRealTime) -> int:
    status, payload, _ = send(server, "POST", "/ListStages", b"{}")
    assert status == 200, payload
    return len(payload["stages"])


# -- item 1: strings that are not Unicode text -----------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        rb'{"name":"s","tags":{"k":"\udcff"}}',
        rb'{"name":"s","tags":{"aws:\ud800":"v"}}',
        rb'{"name":"\ud800"}',
        rb'{"name":"s","participantTokenConfigurations":[{"userId":"\ud800"}]}',
        rb'{"name":"s","participantTokenConfigurations":[{"attributes":{"a":"\ud800"}}]}',
    ],
)
def test_a_lone_surrogate_is_400_stores_nothing_and_is_counted(
    server: LocalIVSRealTime, body: bytes
) -> None:
    status, payload, code = send(server, "POST", "/CreateStage", body)
    assert (status, code) == (400, "ValidationException"), payload
    assert "lone surrogate" in payload["message"]
    assert stage_count(server) == 0
    assert server.stats["CreateStage"].failed == 1


@pytest.mark.parametrize(
    "body",
    [
        rb'{"userId":"\ud800"}',
        rb'{"attributes":{"k":"\udfff"}}',
        rb'{"attributes":{"\udfff":"v"}}',
    ],
)
def test_token_fields_with_a_lone_surrogate_are_400(server: LocalIVSRealTime, body: bytes) -> None:
    status, payload, _ = send(server, "POST", "/CreateStage", b'{"name":"s"}')
    assert status == 200, payload
    arn = payload["stage"]["arn"]
    full = body[:-1] + b',"stageArn":' + json.dumps(arn).encode() + b"}"
    status, payload, code = send(server, "POST", "/CreateParticipantToken", full)
    assert (status, code) == (400, "ValidationException"), payload
    assert server.issued_participant_ids == ()
    assert stage_count(server) == 1


@pytest.mark.parametrize(
    "body",
    [
        b'{"name":"e","video":{"framerate":NaN}}',
        b'{"name":"e","video":{"framerate":Infinity}}',
        b'{"name":"e","video":{"framerate":-Infinity}}',
        b'{"name":"e","video":{"framerate":1e400}}',
    ],
)
def test_non_finite_numbers_are_400_and_not_stored(server: LocalIVSRealTime, body: bytes) -> None:
    status, payload, code = send(server, "POST", "/CreateEncoderConfiguration", body)
    assert (status, code) == (400, "ValidationException"), payload
    assert "finite" in payload["message"]
    status, payload, _ = send(server, "POST", "/ListEncoderConfigurations", b"{}")
    assert status == 200
    assert payload["encoderConfigurations"] == []


def test_admin_bodies_refuse_the_same(server: LocalIVSRealTime) -> None:
    for body in (rb'{"token":"\ud800"}', b'{"token":NaN}'):
        status, payload, _ = send(server, "POST", "/_emulator/participants", body)
        assert (status, payload["reason"]) == (400, "bad_request"), payload
    status, payload, _ = send(server, "POST", "/_emulator/participants/p1/subscribe", b"[1e999]")
    assert status == 400, payload


# -- item 4: self-signed tokens with claims of the wrong type --------------------------------


def _self_signed(server: LocalIVSRealTime, **changes: Any) -> str:
    key = ec.generate_private_key(ec.SECP384R1())
    pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    status, payload, _ = send(
        server, "POST", "/ImportPublicKey", json.dumps({"publicKeyMaterial": pem.decode()}).encode()
    )
    assert status == 200, payload
    kid = payload["publicKey"]["arn"]
    status, payload, _ = send(server, "POST", "/CreateStage", b'{"name":"self"}')
    stage = payload["stage"]["arn"]
    claims: dict[str, Any] = {
        "exp": time.time() + 600,
        "iat": time.time(),
        "jti": "self-1",
        "resource": stage,
        "topic": stage.rsplit("/", 1)[1],
        "events_url": "wss://global.events.live-video.net",
        "whip_url": "https://global.whip.live-video.net",
        "attributes": {},
        "capabilities": {"allow_publish": True, "allow_subscribe": True},
        "version": "1.0",
    }
    claims.update(changes)
    return _jwt.encode({"kid": kid}, claims, key)


_WRONG_CLAIMS: dict[str, dict[str, Any]] = {
    "capabilities-list": {"capabilities": ["PUBLISH"]},
    "capabilities-string": {"capabilities": "PUBLISH"},
    "capability-not-bool": {"capabilities": {"allow_publish": "yes"}},
    "attributes-list": {"attributes": ["a"]},
    "attribute-not-string": {"attributes": {"a": 1}},
    "user-id-number": {"user_id": 7},
    "exp-nan": {"exp": math.nan},
    "exp-infinity": {"exp": math.inf},
    "exp-string": {"exp": "soon"},
    "jti-long": {"jti": "a" * 5000},
    "jti-65": {"jti": "a" * 65},
    "jti-malformed": {"jti": "not/an id"},
}


@pytest.mark.parametrize("case", sorted(_WRONG_CLAIMS))
def test_claims_of_the_wrong_type_are_401_with_a_reason(
    server: LocalIVSRealTime, case: str
) -> None:
    token = _self_signed(server, **_WRONG_CLAIMS[case])
    body = json.dumps({"token": token}).encode()
    status, payload, _ = send(server, "POST", "/_emulator/participants", body)
    assert (status, payload["reason"]) == (401, "malformed_token"), payload
    assert "a" * 100 not in payload["message"]
    stage = json.loads(_jwt.decode_unverified(token)[1]["resource"].join('""'))
    with pytest.raises(ParticipantError) as caught:
        server.join(stage, token)
    assert caught.value.reason == "malformed_token"


def test_a_jti_of_64_allowed_characters_is_accepted(server: LocalIVSRealTime) -> None:
    token = _self_signed(server, jti="A-_9" * 16)
    status, payload, _ = send(
        server, "POST", "/_emulator/participants", json.dumps({"token": token}).encode()
    )
    assert status == 201, payload
    assert payload["participantId"] == "A-_9" * 16


# -- item 7: the webhook URL's userinfo is never printed -------------------------------------


def test_the_webhook_password_is_never_logged(caplog: pytest.LogCaptureFixture) -> None:
    url = "http://user:hunter2-secret@127.0.0.1:9/hook?x=1"
    with (
        caplog.at_level(logging.DEBUG, logger="ivs_realtime_sdk.local"),
        LocalIVSRealTime(events_webhook=url) as server,
    ):
        shown = repr(server)
        body = b'{"name":"w","participantTokenConfigurations":[{"capabilities":["PUBLISH"]}]}'
        _, payload, _ = send(server, "POST", "/CreateStage", body)
        token = payload["participantTokens"][0]["token"]
        status, joined, _ = send(
            server, "POST", "/_emulator/participants", json.dumps({"token": token}).encode()
        )
        assert status == 201
        pid = joined["participantId"]
        assert send(server, "POST", f"/_emulator/participants/{pid}/publish")[0] == 200
        server.flush_events()
    text = shown + "\n".join(record.getMessage() for record in caplog.records)
    assert "refused event" in text
    assert "hunter2-secret" not in text
    assert "user:" not in text
    assert "http://***@127.0.0.1:9/hook" in text


# -- item 9: fault rules ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "rule",
    [
        {"status": 429, "code": 123},
        {"status": 500, "code": "Bad\r\nX-Injected: 1"},
        {"status": 500, "code": "has space"},
        {"status": 500, "message": 5},
        {"delay": 1e308},
        {"delay": -1},
        {"status": "429"},
        {"status": True, "code": "X"},
        {"drop": "yes"},
        {"times": 1.5, "status": 429},
        {"probability": "half", "status": 429},
        {"operation": ["CreateStage"], "status": 429},
    ],
)
def test_a_refused_fault_rule_is_400_and_never_armed(
    server: LocalIVSRealTime, rule: dict[str, Any]
) -> None:
    status, payload, code = send(server, "POST", "/_emulator/faults", json.dumps(rule).encode())
    assert (status, code) == (400, "ValidationException"), payload
    assert server.faults.rules == ()
    assert stage_count(server) == 0


def test_a_fault_rule_with_a_lone_surrogate_is_never_armed(server: LocalIVSRealTime) -> None:
    body = rb'[{"status": 500, "code": "Fine"}, {"status": 500, "message": "\udcff"}]'
    status, payload, _ = send(server, "POST", "/_emulator/faults", body)
    assert status == 400, payload
    assert server.faults.rules == ()
    assert stage_count(server) == 0


# -- item 9: issued participant ids are kept only while their tokens live ---------------------


def _issue(server: LocalIVSRealTime, arn: str, duration: int) -> str:
    body = json.dumps({"stageArn": arn, "duration": duration}).encode()
    status, payload, _ = send(server, "POST", "/CreateParticipantToken", body)
    assert status == 200, payload
    participant_id: str = payload["participantToken"]["participantId"]
    return participant_id


def _new_stage(server: LocalIVSRealTime) -> str:
    status, payload, _ = send(server, "POST", "/CreateStage", b"{}")
    assert status == 200, payload
    arn: str = payload["stage"]["arn"]
    return arn


def test_issued_ids_go_with_their_tokens_expiry_and_their_stage() -> None:
    now = [1_800_000_000.0]
    with LocalIVSRealTime(clock=lambda: now[0]) as server:
        kept, doomed = _new_stage(server), _new_stage(server)
        short = [_issue(server, kept, 1) for _ in range(3)]
        long = _issue(server, kept, 60)
        gone = [_issue(server, doomed, 60) for _ in range(3)]
        assert server.issued_participant_ids == (*short, long, *gone)
        send(server, "POST", "/DeleteStage", json.dumps({"arn": doomed}).encode())
        assert server.issued_participant_ids == (*short, long)
        now[0] += 61
        fresh = _issue(server, kept, 1)
        assert server.issued_participant_ids == (long, fresh)
        # The state keeps nothing else per token: the expiry heap shrank too.
        assert len(server.backend.state.token_expiries) == 2
