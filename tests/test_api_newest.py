"""The newest service through both facades: redundant ingest, exchanged tokens, new limits."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ivs_realtime_sdk import (
    Capability,
    Event,
    EventName,
    ExchangedParticipantToken,
    IngestConfigurationSpec,
    IngestProtocol,
    ParticipantState,
    ParticipantTokenConfig,
    RedundantIngestCredential,
    StageSpec,
)
from ivs_realtime_sdk._converter import structure
from ivs_realtime_sdk.errors import InvalidParameterError
from ivs_realtime_sdk.local import JoinRefusedError, LocalIVSRealTime
from ivs_realtime_sdk.models._replica_requests import StartParticipantReplicationRequest

from .conftest import Facade, live_stage


async def test_a_redundant_ingest_configuration_has_typed_credentials(
    api: Facade, emulator: LocalIVSRealTime
) -> None:
    stage, _ = await live_stage(api, emulator, participants=0)
    spec = IngestConfigurationSpec(
        ingest_protocol=IngestProtocol.RTMPS, stage_arn=stage.arn, redundant_ingest=True
    )
    config = await api.create_ingest_configuration(spec)
    assert config.redundant_ingest is True
    assert len(config.redundant_ingest_credentials) == 2
    assert all(
        isinstance(c, RedundantIngestCredential) for c in config.redundant_ingest_credentials
    )
    shown = repr(config)
    for credential in config.redundant_ingest_credentials:
        assert credential.stream_key is not None
        assert credential.stream_key not in shown
        assert credential.stream_key not in repr(credential)
    (summary,) = await api.iter_ingest_configurations()
    assert summary.redundant_ingest is True
    participant_id = emulator.connect_ingest(config.arn)
    got = await api.get_participant(
        stage.arn, emulator_session(emulator, stage.arn), participant_id
    )
    assert got.ingest_configuration_arn == config.arn
    assert got.redundant_ingest is True


async def test_revoke_connection_token_disconnects_and_refuses_the_token(
    api: Facade, emulator: LocalIVSRealTime
) -> None:
    created = await api.create_stage(
        StageSpec(participant_token_configurations=[ParticipantTokenConfig()])
    )
    token = created.participant_tokens[0]
    emulator.join(created.stage.arn, token.token, publish=True)
    assert await api.revoke_connection_token(token.participant_id) is None
    # The last one out ends the session.
    (session,) = await api.iter_stage_sessions(created.stage.arn)
    got = await api.get_participant(created.stage.arn, session.session_id, token.participant_id)
    assert got.state is ParticipantState.DISCONNECTED
    with pytest.raises(JoinRefusedError):
        emulator.join(created.stage.arn, token.token)
    with pytest.raises(InvalidParameterError, match=r"RevokeConnectionTokenRequest\.token_id"):
        await api.revoke_connection_token("")


async def test_redundant_ingest_is_switched_by_an_update(api: Facade) -> None:
    spec = IngestConfigurationSpec(ingest_protocol=IngestProtocol.RTMPS)
    config = await api.create_ingest_configuration(spec)
    assert config.redundant_ingest is False
    assert config.redundant_ingest_credentials == ()
    updated = await api.update_ingest_configuration(config.arn, redundant_ingest=True)
    assert updated.redundant_ingest is True
    assert len(updated.redundant_ingest_credentials) == 2


def emulator_session(emulator: LocalIVSRealTime, stage_arn: str) -> str:
    """The id of the stage's active session in the emulator."""
    session = emulator.store.stages[stage_arn].active_session_id
    assert session is not None
    return session


def test_the_newest_limits_apply_to_requests() -> None:
    arn = "arn:aws:ivs:us-east-1:123456789012:stage/abcdEFGH1234"
    request = StartParticipantReplicationRequest(
        source_stage_arn=arn,
        destination_stage_arn=arn.replace("1234", "5678"),
        participant_id="guest_7",
        reconnect_window_seconds=300,
    )
    assert request.reconnect_window_seconds == 300
    with pytest.raises(InvalidParameterError, match="300"):
        StartParticipantReplicationRequest(
            source_stage_arn=arn,
            destination_stage_arn=arn,
            participant_id="guest_7",
            reconnect_window_seconds=301,
        )


def test_a_token_exchanged_event_parses_with_both_tokens() -> None:
    wire = {
        "name": "TOKEN_EXCHANGED",
        "participantId": "guest_7",
        "eventTime": "2026-11-30T12:00:00Z",
        "previousToken": {
            "capabilities": ["SUBSCRIBE"],
            "userId": "guest",
            "attributes": {"seat": "1"},
            "expirationTime": "2026-11-30T13:00:00Z",
        },
        "newToken": {"capabilities": ["PUBLISH", "SUBSCRIBE"], "userId": "speaker"},
    }
    event = structure(wire, Event)
    assert event.name is EventName.TOKEN_EXCHANGED
    assert event.previous_token == ExchangedParticipantToken(
        capabilities=frozenset({Capability.SUBSCRIBE}),
        user_id="guest",
        attributes={"seat": "1"},
        expiration_time=datetime(2026, 11, 30, 13, tzinfo=UTC),
    )
    assert event.new_token is not None
    assert event.new_token.capabilities == {Capability.PUBLISH, Capability.SUBSCRIBE}
    assert event.new_token.expiration_time is None
