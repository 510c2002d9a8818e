"""The emulator sends the EventBridge events IVS would, and parse_event reads each kind."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest

from ivs_realtime_sdk import events as ev
from ivs_realtime_sdk.local import ExchangeRefusedError, LocalIVSRealTime
from ivs_realtime_sdk.local._model import service_model
from ivs_realtime_sdk.models import Capability, ParticipantTokenConfig, Stage, StageEndpoints
from ivs_realtime_sdk.tokens import TokenSigner, generate_key_pair

from ..webhook import Receiver
from ..webhook import receiver as webhook_receiver


def _token(client: Any, stage: str, *capabilities: str) -> str:
    token: str = client.create_participant_token(
        stageArn=stage, capabilities=list(capabilities or ("PUBLISH", "SUBSCRIBE"))
    )["participantToken"]["token"]
    return token


def _parsed(server: LocalIVSRealTime) -> list[ev.IVSEvent]:
    return [ev.parse_event(envelope) for envelope in server.events]


def _signer(client: Any) -> tuple[TokenSigner, Stage]:
    pair = generate_key_pair()
    arn = client.import_public_key(publicKeyMaterial=pair.public_key_pem)["publicKey"]["arn"]
    raw = client.create_stage()["stage"]
    stage = Stage(
        arn=raw["arn"],
        endpoints=StageEndpoints(events=raw["endpoints"]["events"], whip=raw["endpoints"]["whip"]),
    )
    return TokenSigner(pair.private_key, arn), stage


def test_every_envelope_is_what_eventbridge_delivers(server: LocalIVSRealTime, client: Any) -> None:
    stage = client.create_stage()["stage"]["arn"]
    participant = server.join(stage, _token(client, stage), publish=True)
    (envelope,) = server.events
    assert envelope["source"] == "aws.ivs"
    assert envelope["account"] == server.account_id
    assert envelope["region"] == server.region
    assert envelope["resources"] == [stage]
    assert envelope["version"] == "0"
    assert envelope["detail-type"] == "IVS Stage Update"
    assert envelope["detail"]["participant_id"] == participant
    event = ev.parse_event(envelope)
    assert isinstance(event, ev.ParticipantPublished)
    assert event.stage_arn == stage
    assert event.session_id == client.get_stage(arn=stage)["stage"]["activeSessionId"]


def test_publish_unpublish_and_publish_error_parse(server: LocalIVSRealTime, client: Any) -> None:
    stage = client.create_stage()["stage"]["arn"]
    publisher = server.join(stage, _token(client, stage))
    viewer = server.join(stage, _token(client, stage, "SUBSCRIBE"))
    server.publish(stage, publisher)
    server.subscribe(stage, viewer, publisher)  # IVS sends no event for this
    with pytest.raises(Exception, match="PUBLISH"):
        server.publish(stage, viewer)
    server.unpublish(stage, publisher)
    server.leave(stage, viewer)
    kinds = [(type(e), getattr(e, "participant_id", None)) for e in _parsed(server)]
    assert kinds == [
        (ev.ParticipantPublished, publisher),
        (ev.ParticipantPublishError, viewer),
        (ev.ParticipantUnpublished, publisher),
    ]
    error = _parsed(server)[1]
    assert isinstance(error, ev.ParticipantPublishError)
    assert error.error_code == "INSUFFICIENT_CAPABILITIES"


def test_leaving_while_publishing_sends_unpublished(server: LocalIVSRealTime, client: Any) -> None:
    stage = client.create_stage()["stage"]["arn"]
    participant = server.join(stage, _token(client, stage), publish=True)
    server.leave(stage, participant)
    assert [type(e) for e in _parsed(server)] == [
        ev.ParticipantPublished,
        ev.ParticipantUnpublished,
    ]


def test_participant_recording_start_and_end_parse(server: LocalIVSRealTime, client: Any) -> None:
    storage = client.create_storage_configuration(s3={"bucketName": "rec-bucket"})
    stage = client.create_stage(
        autoParticipantRecordingConfiguration={
            "storageConfigurationArn": storage["storageConfiguration"]["arn"]
        }
    )["stage"]["arn"]
    participant = server.join(stage, _token(client, stage), publish=True)
    server.leave(stage, participant)
    parsed = _parsed(server)
    recordings = [e for e in parsed if isinstance(e, ev.ParticipantRecordingStateChange)]
    assert [type(e) for e in recordings] == [
        ev.ParticipantRecordingStart,
        ev.ParticipantRecordingEnd,
    ]
    start, end = recordings
    assert start.recording_s3_bucket_name == "rec-bucket"
    assert start.recording_s3_key_prefix
    assert start.stage_arn == stage
    assert isinstance(end, ev.ParticipantRecordingEnd)
    assert end.recording_duration is not None


def test_composition_session_and_destination_events_parse(
    server: LocalIVSRealTime, client: Any
) -> None:
    stage = client.create_stage()["stage"]["arn"]
    storage = client.create_storage_configuration(s3={"bucketName": "comp-bucket"})
    encoder = client.create_encoder_configuration()["encoderConfiguration"]["arn"]
    composition = client.start_composition(
        stageArn=stage,
        destinations=[
            {
                "s3": {
                    "storageConfigurationArn": storage["storageConfiguration"]["arn"],
                    "encoderConfigurationArns": [encoder],
                }
            }
        ],
    )["composition"]
    client.stop_composition(arn=composition["arn"])
    parsed = _parsed(server)
    assert [type(e) for e in parsed] == [
        ev.CompositionSessionStart,
        ev.CompositionDestinationStart,
        ev.CompositionDestinationEnd,
        ev.CompositionSessionEnd,
    ]
    for event in parsed:
        assert isinstance(event, ev.CompositionStateChange)
        assert event.composition_arn == composition["arn"]
        assert event.stage_arn == stage
    destination = parsed[1]
    assert isinstance(destination, ev.CompositionDestinationStart)
    assert destination.destination_id == composition["destinations"][0]["id"]


def test_a_composition_past_its_transition_time_shows_its_start(
    server: LocalIVSRealTime, client: Any
) -> None:
    stage = client.create_stage()["stage"]["arn"]
    client.start_composition(
        stageArn=stage, destinations=[{"channel": {"channelArn": "arn:aws:ivs:x:1:channel/a"}}]
    )
    # Nobody read the composition, yet its start is due (transition time 0).
    assert [type(e) for e in _parsed(server)] == [
        ev.CompositionSessionStart,
        ev.CompositionDestinationStart,
    ]


def test_replication_events_parse(server: LocalIVSRealTime, client: Any) -> None:
    source = client.create_stage()["stage"]["arn"]
    destination = client.create_stage()["stage"]["arn"]
    participant = server.join(source, _token(client, source), publish=True)
    client.start_participant_replication(
        sourceStageArn=source, destinationStageArn=destination, participantId=participant
    )
    client.stop_participant_replication(
        sourceStageArn=source, destinationStageArn=destination, participantId=participant
    )
    parsed = _parsed(server)
    assert [(type(e), e.resources) for e in parsed] == [
        (ev.ParticipantPublished, (source,)),
        (ev.ParticipantPublished, (destination,)),  # the replica publishes there
        (ev.ParticipantReplicationStarted, (source,)),
        (ev.ParticipantUnpublished, (destination,)),
        (ev.ParticipantReplicationStopped, (source,)),
    ]
    started = parsed[2]
    assert isinstance(started, ev.ParticipantReplicationStarted)
    assert started.destination_stage_arn == destination
    assert started.source_stage_arn == source


def test_token_exchange_sends_an_event_and_records_token_exchanged(
    server: LocalIVSRealTime, client: Any
) -> None:
    signer, stage = _signer(client)
    old = signer.mint(
        stage, ParticipantTokenConfig(user_id="ana", capabilities={Capability.SUBSCRIBE})
    )
    participant = server.join(stage.arn, old.token)
    new = signer.exchange(old.token, capabilities={Capability.PUBLISH}, attributes={"r": "host"})
    server.exchange_token(stage.arn, participant, new.token)
    server.publish(stage.arn, participant)  # the new capability holds at once
    (exchanged, published) = _parsed(server)
    assert isinstance(exchanged, ev.ParticipantTokenExchanged)
    assert exchanged.previous_token is not None
    assert exchanged.new_token is not None
    assert exchanged.previous_token.capabilities == {Capability.SUBSCRIBE}
    assert exchanged.new_token.capabilities == {Capability.PUBLISH}
    assert dict(exchanged.new_token.attributes) == {"r": "host"}
    assert exchanged.new_token.user_id == "ana"
    assert exchanged.new_token.expiration_time == new.expiration_time
    assert isinstance(published, ev.ParticipantPublished)

    session = client.get_stage(arn=stage.arn)["stage"]["activeSessionId"]
    listed = client.list_participant_events(
        stageArn=stage.arn, sessionId=session, participantId=participant
    )["events"]
    event_shape = service_model().shape_for("Event")
    names = [e["name"] for e in listed]
    if "TOKEN_EXCHANGED" in event_shape.members["name"].enum:
        assert names == ["JOINED", "TOKEN_EXCHANGED", "PUBLISH_STARTED"]
    else:  # a model from before token exchange: the emulator lists what it knows
        assert names == ["JOINED", "PUBLISH_STARTED"]
    for listed_event in listed:
        assert set(listed_event) <= set(event_shape.members)
    if "previousToken" in event_shape.members:
        (record,) = [e for e in listed if e["name"] == "TOKEN_EXCHANGED"]
        assert record["previousToken"]["capabilities"] == ["SUBSCRIBE"]
        assert record["newToken"]["capabilities"] == ["PUBLISH"]


def test_a_dropped_capability_takes_effect_at_once(server: LocalIVSRealTime, client: Any) -> None:
    signer, stage = _signer(client)
    old = signer.mint(stage, ParticipantTokenConfig())
    participant = server.join(stage.arn, old.token, publish=True)
    server.exchange_token(
        stage.arn,
        participant,
        signer.exchange(old.token, capabilities={Capability.SUBSCRIBE}).token,
    )
    assert [type(e) for e in _parsed(server)] == [
        ev.ParticipantPublished,
        ev.ParticipantTokenExchanged,
        ev.ParticipantUnpublished,
    ]


def test_exchange_refuses_api_tokens_and_changed_fixed_claims(
    server: LocalIVSRealTime, client: Any
) -> None:
    signer, stage = _signer(client)
    api_joined = server.join(stage.arn, _token(client, stage.arn))
    with pytest.raises(ExchangeRefusedError) as caught:
        server.exchange_token(stage.arn, api_joined, signer.mint(stage).token)
    assert caught.value.reason == "not_self_signed"

    old = signer.mint(stage)
    participant = server.join(stage.arn, old.token)
    with pytest.raises(ExchangeRefusedError) as caught:
        server.exchange_token(stage.arn, participant, _token(client, stage.arn))
    assert caught.value.reason == "not_self_signed"
    with pytest.raises(ExchangeRefusedError) as caught:  # another jti
        server.exchange_token(stage.arn, participant, signer.mint(stage).token)
    assert caught.value.reason == "changed_claim"
    assert "jti" in str(caught.value)
    with pytest.raises(ExchangeRefusedError) as caught:
        server.exchange_token(stage.arn, participant, "not.a.token")
    assert caught.value.reason == "malformed_token"
    assert not [e for e in _parsed(server) if isinstance(e, ev.ParticipantTokenExchanged)]


def test_reset_forgets_the_events(server: LocalIVSRealTime, client: Any) -> None:
    stage = client.create_stage()["stage"]["arn"]
    server.join(stage, _token(client, stage), publish=True)
    assert server.events
    server.reset()
    assert server.events == []


# -- callbacks and the webhook -------------------------------------------------------------


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with webhook_receiver() as httpd:
        yield httpd


def test_the_webhook_gets_every_envelope_with_the_secret(
    receiver: Receiver, make_client: Any
) -> None:
    with LocalIVSRealTime(events_webhook=receiver.url, events_webhook_secret="s3cret") as server:
        client = make_client(server)
        stage = client.create_stage()["stage"]["arn"]
        participant = server.join(stage, _token(client, stage), publish=True)
        server.leave(stage, participant)
        server.flush_events()
        assert [body for body, _ in receiver.received] == server.events
        assert {secret for _, secret in receiver.received} == {"s3cret"}


def test_a_failing_webhook_is_retried_then_logged_and_never_breaks_the_api(
    receiver: Receiver, make_client: Any, caplog: pytest.LogCaptureFixture
) -> None:
    receiver.status = 500
    with LocalIVSRealTime(events_webhook=receiver.url, events_webhook_secret="s3cret") as server:
        client = make_client(server)
        stage = client.create_stage()["stage"]["arn"]
        with caplog.at_level(logging.WARNING, logger="ivs_realtime_sdk.local"):
            server.join(stage, _token(client, stage), publish=True)
            server.flush_events()
        assert client.get_stage(arn=stage)["stage"]["activeSessionId"]
    assert len(receiver.received) == 3  # three attempts
    assert "refused event" in caplog.text
    assert "HTTP 500" in caplog.text
    assert "s3cret" not in caplog.text


def test_callbacks_get_events_in_order_and_may_call_the_api(make_client: Any) -> None:
    seen: list[str] = []
    stages: list[str] = []

    def on_event(envelope: Any) -> None:
        seen.append(envelope["detail"]["event_name"])
        # As a Lambda function would: call the API while handling the event.
        stages.append(client.get_stage(arn=envelope["resources"][0])["stage"]["arn"])

    def broken(envelope: Any) -> None:
        raise RuntimeError("a bug in the listener")

    with LocalIVSRealTime(on_event=on_event) as server:
        client = make_client(server)
        remove = server.add_event_listener(broken)
        stage = client.create_stage()["stage"]["arn"]
        participant = server.join(stage, _token(client, stage), publish=True)
        server.unpublish(stage, participant)
        server.flush_events()
        remove()
        server.publish(stage, participant)
        server.flush_events()
    assert seen == ["Participant Published", "Participant Unpublished", "Participant Published"]
    assert stages == [stage] * 3


def test_the_webhook_secret_is_never_shown(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        secret = "wh-secret-7Qx"
        server = LocalIVSRealTime(
            events_webhook="http://127.0.0.1:9/x", events_webhook_secret=secret
        )
        assert secret not in repr(server)
        assert secret not in repr(vars(server.store.event_bus))
    assert secret not in caplog.text


def test_with_a_model_that_knows_token_exchange_the_summaries_are_listed(
    server: LocalIVSRealTime, client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ivs_realtime_sdk.local._handlers import _sessions

    members, names = _sessions._event_shape()  # pyright: ignore[reportPrivateUsage]
    newer = (members | {"previousToken", "newToken"}, names | {"TOKEN_EXCHANGED"})
    monkeypatch.setattr(_sessions, "_event_shape", lambda: newer)
    signer, stage = _signer(client)
    old = signer.mint(stage, ParticipantTokenConfig(user_id="ana"))
    participant = server.join(stage.arn, old.token)
    new = signer.exchange(old.token, capabilities={Capability.SUBSCRIBE})
    server.exchange_token(stage.arn, participant, new.token)
    session = client.get_stage(arn=stage.arn)["stage"]["activeSessionId"]
    params = {"stageArn": stage.arn, "sessionId": session, "participantId": participant}
    listed = _sessions.list_participant_events(server.backend, params)["events"]
    (exchanged,) = [e for e in listed if e["name"] == "TOKEN_EXCHANGED"]
    assert exchanged["previousToken"]["capabilities"] == ["PUBLISH", "SUBSCRIBE"]
    assert exchanged["newToken"]["capabilities"] == ["SUBSCRIBE"]
    assert exchanged["newToken"]["userId"] == "ana"
    assert exchanged["newToken"]["expirationTime"].endswith("Z")
