"""Done when: ``ivs-realtime-sdk local`` in one process, a session driven over HTTP alone
from a second, and the events it sent read back and received by a webhook, in order."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ivs_realtime_sdk import events as ev

from .webhook import Receiver, receiver

ROOT = Path(__file__).resolve().parent.parent

# The second process: the API (boto3, plain HTTP) and the admin API (urllib), nothing
# in-process. It prints the participants and GET /_emulator/events as JSON.
DRIVER = r"""
import json, sys, urllib.request
import boto3
from ivs_realtime_sdk.models import Capability, ParticipantTokenConfig, Stage, StageEndpoints
from ivs_realtime_sdk.tokens import TokenSigner, generate_key_pair

endpoint = sys.argv[1]
api = boto3.client("ivs-realtime", endpoint_url=endpoint, region_name="us-east-1")

def admin(path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(f"{endpoint}/_emulator/{path}", data=data,
                                     method="GET" if body is None else "POST")
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())

created = api.create_stage(
    name="e2e", participantTokenConfigurations=[{"userId": "viewer", "capabilities": ["SUBSCRIBE"]}]
)
raw = created["stage"]
viewer_token = created["participantTokens"][0]["token"]
pair = generate_key_pair()
key_arn = api.import_public_key(publicKeyMaterial=pair.public_key_pem)["publicKey"]["arn"]
signer = TokenSigner(pair.private_key, key_arn)
stage = Stage(arn=raw["arn"], endpoints=StageEndpoints(**raw["endpoints"]))
host_token = signer.mint(stage, ParticipantTokenConfig(user_id="host"))

host = admin("participants", {"token": host_token.token})["participantId"]
viewer = admin("participants", {"token": viewer_token})["participantId"]
admin(f"participants/{host}/publish", {})
admin(f"participants/{viewer}/subscribe", {"publisherId": host})
exchanged = signer.exchange(host_token.token, attributes={"role": "co-host"})
admin(f"participants/{host}/exchange", {"token": exchanged.token})
admin(f"participants/{host}/unpublish", {})
admin(f"participants/{viewer}/leave", {})
admin(f"participants/{host}/leave", {})
print(json.dumps({"stage": raw["arn"], "host": host, "events": admin("events")}))
"""


@pytest.fixture
def webhook() -> Iterator[Receiver]:
    with receiver() as httpd:
        httpd.status = 204
        yield httpd


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        AWS_EC2_METADATA_DISABLED="true",
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    )
    return env


def test_a_session_over_http_alone_sends_its_events_in_order(webhook: Receiver) -> None:
    command = [sys.executable, "-m", "ivs_realtime_sdk", "local", "--port", "0"]
    with subprocess.Popen(
        [*command, "--events-webhook", webhook.url, "--events-webhook-secret", "s3cret"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    ) as emulator:
        assert emulator.stdout is not None
        endpoint = emulator.stdout.readline().strip()
        try:
            driver = subprocess.run(
                [sys.executable, "-c", DRIVER, endpoint],
                capture_output=True,
                text=True,
                env=_env(),
                timeout=120,
                check=False,
            )
        finally:
            # Stopping delivers what is queued to the webhook first.
            emulator.send_signal(signal.SIGTERM)
            assert emulator.wait(timeout=30) == 0
    assert driver.returncode == 0, driver.stderr
    result = json.loads(driver.stdout)
    envelopes: list[dict[str, Any]] = result["events"]
    parsed = [ev.parse_event(envelope) for envelope in envelopes]
    assert [type(event) for event in parsed] == [
        ev.ParticipantPublished,
        ev.ParticipantTokenExchanged,
        ev.ParticipantUnpublished,
    ]
    for event in parsed:
        assert isinstance(event, ev.StageUpdate)
        assert (event.stage_arn, event.participant_id) == (result["stage"], result["host"])
        assert event.source == "aws.ivs"
    exchanged = parsed[1]
    assert isinstance(exchanged, ev.ParticipantTokenExchanged)
    assert exchanged.new_token is not None
    assert dict(exchanged.new_token.attributes) == {"role": "co-host"}
    assert [body for body, _ in webhook.received] == envelopes
    assert {secret for _, secret in webhook.received} == {"s3cret"}
