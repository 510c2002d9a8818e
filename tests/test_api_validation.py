"""Invalid input fails in the caller, naming the field and the limit, before any request is sent."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from ivs_realtime_sdk import (
    AsyncIVSRealTime,
    CompositionSpec,
    EncoderConfigurationSpec,
    IngestConfiguration,
    IngestConfigurationSpec,
    IngestConfigurationState,
    IngestProtocol,
    IVSRealTime,
    ParticipantState,
    PublicKeySpec,
    S3StorageConfiguration,
    StageSpec,
    StorageConfigurationSpec,
    Video,
)
from ivs_realtime_sdk.errors import InvalidParameterError, InvalidParameterTypeError
from ivs_realtime_sdk.local import LocalIVSRealTime

from .conftest import Facade, arn

STAGE = arn("stage")
SESSION = "st-abcdEFGH12345"
COMPOSITION = arn("composition")
INGEST = arn("ingest-configuration")
TOO_LONG = "x" * 129

Case = Callable[[Facade], Awaitable[Any]]

# One invalid call per facade method: (method, call, the start of the error message).
CASES: list[tuple[str, Case, str]] = [
    ("create_stage", lambda api: api.create_stage(StageSpec(name="a b")), "StageSpec.name: 'a b'"),
    ("get_stage", lambda api: api.get_stage(COMPOSITION), "ArnRequest.arn: 'arn:aws"),
    ("update_stage", lambda api: api.update_stage(STAGE, name=TOO_LONG), "UpdateStageRequest.name"),
    ("delete_stage", lambda api: api.delete_stage(""), "ArnRequest.arn: 0 characters"),
    ("list_stages", lambda api: api.list_stages(max_results=0), "ListStagesRequest.max_results"),
    ("iter_stages", lambda api: api.iter_stages(page_size=101), "ListStagesRequest.max_results"),
    (
        "create_participant_token",
        lambda api: api.create_participant_token("stage/abc"),
        "CreateParticipantTokenRequest.stage_arn",
    ),
    (
        "get_stage_session",
        lambda api: api.get_stage_session(STAGE, "st-short"),
        "GetStageSessionRequest.session_id: 8 characters is under the minimum of 16",
    ),
    (
        "list_stage_sessions",
        lambda api: api.list_stage_sessions(STAGE, next_token="not a token!"),
        "ListStageSessionsRequest.next_token",
    ),
    (
        "iter_stage_sessions",
        lambda api: api.iter_stage_sessions("nope"),
        "ListStageSessionsRequest.stage_arn",
    ),
    (
        "get_participant",
        lambda api: api.get_participant(STAGE, SESSION, "bad id!"),
        "GetParticipantRequest.participant_id",
    ),
    (
        "list_participants",
        lambda api: api.list_participants(STAGE, SESSION, filter_by_state="CONNECTED"),
        "ListParticipantsRequest.filter_by_state: 'CONNECTED' is not a ParticipantState",
    ),
    (
        "iter_participants",
        lambda api: api.iter_participants(STAGE, SESSION, filter_by_user_id=TOO_LONG),
        "ListParticipantsRequest.filter_by_user_id: 129 characters is over the limit of 128",
    ),
    (
        "list_participant_events",
        lambda api: api.list_participant_events(STAGE, SESSION, "p", max_results=101),
        "ListParticipantEventsRequest.max_results: 101 is over the limit of 100",
    ),
    (
        "iter_participant_events",
        lambda api: api.iter_participant_events(STAGE, "session", "p"),
        "ListParticipantEventsRequest.session_id",
    ),
    (
        "disconnect_participant",
        lambda api: api.disconnect_participant(STAGE, "p", reason=TOO_LONG),
        "DisconnectParticipantRequest.reason",
    ),
    (
        "revoke_connection_token",
        lambda api: api.revoke_connection_token("has spaces"),
        "RevokeConnectionTokenRequest.token_id",
    ),
    (
        "start_participant_replication",
        lambda api: api.start_participant_replication(
            STAGE, arn("stage", "other"), "p", reconnect_window_seconds=301
        ),
        "StartParticipantReplicationRequest.reconnect_window_seconds: 301 is over the limit of 300",
    ),
    (
        "stop_participant_replication",
        lambda api: api.stop_participant_replication(STAGE, COMPOSITION, "p"),
        "StopParticipantReplicationRequest.destination_stage_arn",
    ),
    (
        "list_participant_replicas",
        lambda api: api.list_participant_replicas(STAGE, "p", max_results=51),
        "ListParticipantReplicasRequest.max_results: 51 is over the limit of 50",
    ),
    (
        "iter_participant_replicas",
        lambda api: api.iter_participant_replicas(STAGE, "bad id!"),
        "ListParticipantReplicasRequest.participant_id",
    ),
    (
        "start_composition",
        lambda api: api.start_composition(CompositionSpec(stage_arn=STAGE, destinations=[])),
        "CompositionSpec.destinations: 0 items is under the minimum of 1",
    ),
    ("get_composition", lambda api: api.get_composition(STAGE), "CompositionArnRequest.arn"),
    ("stop_composition", lambda api: api.stop_composition("x"), "CompositionArnRequest.arn"),
    (
        "list_compositions",
        lambda api: api.list_compositions(filter_by_encoder_configuration_arn=STAGE),
        "ListCompositionsRequest.filter_by_encoder_configuration_arn",
    ),
    (
        "iter_compositions",
        lambda api: api.iter_compositions(filter_by_stage_arn="x"),
        "ListCompositionsRequest.filter_by_stage_arn",
    ),
    (
        "create_encoder_configuration",
        lambda api: api.create_encoder_configuration(
            EncoderConfigurationSpec(video=Video(width=3840))
        ),
        "Video.width: 3840 is over the limit of 1920",
    ),
    (
        "get_encoder_configuration",
        lambda api: api.get_encoder_configuration(STAGE),
        "EncoderConfigurationArnRequest.arn",
    ),
    (
        "delete_encoder_configuration",
        lambda api: api.delete_encoder_configuration("x"),
        "EncoderConfigurationArnRequest.arn",
    ),
    (
        "list_encoder_configurations",
        lambda api: api.list_encoder_configurations(max_results=0),
        "ListEncoderConfigurationsRequest.max_results: 0 is under the minimum of 1",
    ),
    (
        "iter_encoder_configurations",
        lambda api: api.iter_encoder_configurations(page_size=0),
        "ListEncoderConfigurationsRequest.max_results",
    ),
    (
        "create_storage_configuration",
        lambda api: api.create_storage_configuration(
            StorageConfigurationSpec(s3=S3StorageConfiguration(bucket_name="Upper_Case"))
        ),
        "S3StorageConfiguration.bucket_name: 'Upper_Case' does not match the pattern",
    ),
    (
        "get_storage_configuration",
        lambda api: api.get_storage_configuration(STAGE),
        "StorageConfigurationArnRequest.arn",
    ),
    (
        "delete_storage_configuration",
        lambda api: api.delete_storage_configuration(INGEST),
        "StorageConfigurationArnRequest.arn",
    ),
    (
        "list_storage_configurations",
        lambda api: api.list_storage_configurations(next_token="?"),
        "ListStorageConfigurationsRequest.next_token",
    ),
    (
        "iter_storage_configurations",
        lambda api: api.iter_storage_configurations(page_size=1000),
        "ListStorageConfigurationsRequest.max_results",
    ),
    (
        "create_ingest_configuration",
        lambda api: api.create_ingest_configuration(
            IngestConfigurationSpec(ingest_protocol="RTMPS")  # type: ignore[arg-type]
        ),
        "IngestConfigurationSpec.ingest_protocol: 'RTMPS' is not a IngestProtocol",
    ),
    (
        "get_ingest_configuration",
        lambda api: api.get_ingest_configuration(STAGE),
        "IngestConfigurationArnRequest.arn",
    ),
    (
        "update_ingest_configuration",
        lambda api: api.update_ingest_configuration(INGEST, stage_arn=COMPOSITION),
        "UpdateIngestConfigurationRequest.stage_arn",
    ),
    (
        "delete_ingest_configuration",
        lambda api: api.delete_ingest_configuration(INGEST, force="yes"),
        "DeleteIngestConfigurationRequest.force: expected bool, got str",
    ),
    (
        "list_ingest_configurations",
        lambda api: api.list_ingest_configurations(filter_by_state=ParticipantState.CONNECTED),
        "ListIngestConfigurationsRequest.filter_by_state",
    ),
    (
        "iter_ingest_configurations",
        lambda api: api.iter_ingest_configurations(filter_by_stage_arn=INGEST),
        "ListIngestConfigurationsRequest.filter_by_stage_arn",
    ),
    (
        "import_public_key",
        lambda api: api.import_public_key(PublicKeySpec(public_key_material="not a PEM")),
        "PublicKeySpec.public_key_material: 'not a PEM' does not match the pattern",
    ),
    ("get_public_key", lambda api: api.get_public_key(STAGE), "PublicKeyArnRequest.arn"),
    ("delete_public_key", lambda api: api.delete_public_key(""), "PublicKeyArnRequest.arn"),
    (
        "list_public_keys",
        lambda api: api.list_public_keys(max_results=-1),
        "ListPublicKeysRequest.max_results",
    ),
    (
        "iter_public_keys",
        lambda api: api.iter_public_keys(page_size=0),
        "ListPublicKeysRequest.max_results",
    ),
    (
        "tag_resource",
        lambda api: api.tag_resource(STAGE, {"": "empty key"}),
        "TagResourceRequest.tags key: 0 characters is under the minimum of 1",
    ),
    (
        "untag_resource",
        lambda api: api.untag_resource(STAGE, "env"),
        "UntagResourceRequest.tag_keys: expected an iterable of str, such as a set or list",
    ),
    (
        "list_tags_for_resource",
        lambda api: api.list_tags_for_resource("arn:aws:ivs:us-east-1:123:/abc"),
        "ResourceArnRequest.resource_arn",
    ),
]


def test_every_facade_method_has_a_case() -> None:
    methods = {
        name
        for name, _ in inspect.getmembers(IVSRealTime, inspect.isfunction)
        if not name.startswith("_") and name != "close"
    }
    async_methods = {
        name
        for name, _ in inspect.getmembers(AsyncIVSRealTime, inspect.isfunction)
        if not name.startswith("_") and name != "close"
    }
    assert methods == async_methods
    assert sorted(name for name, _, _ in CASES) == sorted(methods)


@pytest.mark.parametrize(
    ("case", "message"), [(c, m) for _, c, m in CASES], ids=[n for n, _, _ in CASES]
)
async def test_invalid_input_is_refused_before_any_request(
    api: Facade, emulator: LocalIVSRealTime, case: Case, message: str
) -> None:
    with pytest.raises(InvalidParameterError) as caught:
        await case(api)
    assert str(caught.value).startswith(message)
    assert emulator.stats == {}


def test_wrong_types_are_type_errors_too() -> None:
    with pytest.raises(InvalidParameterTypeError):
        Video(width="1280")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        IngestConfigurationSpec(ingest_protocol=IngestProtocol.RTMPS, insecure_ingest=1)  # type: ignore[arg-type]


def test_a_stream_key_never_shows_in_repr_or_errors() -> None:
    secret = "rt_123_us-east-1_abcDEF_SECRETsecret"
    ingest = IngestConfiguration(
        arn=INGEST,
        ingest_protocol=IngestProtocol.RTMPS,
        stream_key=secret,
        stage_arn="",
        participant_id="p",
        state=IngestConfigurationState.ACTIVE,
    )
    assert secret not in repr(ingest)
    assert secret not in str(ingest)
    # A response model checks types only: a wrong one fails without quoting the value.
    with pytest.raises(InvalidParameterError) as caught:
        IngestConfiguration(
            arn=INGEST,
            ingest_protocol=IngestProtocol.RTMPS,
            stream_key=b"SECRETsecret",  # type: ignore[arg-type]
            stage_arn="",
            participant_id="p",
            state=IngestConfigurationState.ACTIVE,
        )
    assert "SECRET" not in str(caught.value)
    assert "IngestConfiguration.stream_key" in str(caught.value)
