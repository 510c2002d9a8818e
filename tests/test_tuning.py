"""The tuned call path gives the same results and errors as botocore's own.

Clients the SDK creates read successful bodies as plain JSON, write request
bodies with one json.dumps and keep their User-Agent (``_wire``); a client
passed to ``from_client`` keeps all of botocore's machinery. The same calls
through both must give equal typed objects and equal errors.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from ivs_realtime_sdk import IVSRealTime, ParticipantTokenConfig, StageSpec
from ivs_realtime_sdk._shipped import session_with_shipped_model
from ivs_realtime_sdk.errors import ResourceNotFoundError, ServiceError, ValidationError
from ivs_realtime_sdk.local import LocalIVSRealTime
from ivs_realtime_sdk.models import AutoParticipantRecordingConfiguration

CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


@pytest.fixture(scope="module")
def pair() -> Iterator[tuple[IVSRealTime, IVSRealTime, LocalIVSRealTime]]:
    with LocalIVSRealTime() as server:
        session = boto3.Session(region_name="us-east-1", **CREDENTIALS)
        tuned = IVSRealTime(session=session, endpoint_url=server.endpoint_url)
        # botocore's own parsing, of the same (shipped) model as the tuned client's.
        shipped = session_with_shipped_model(session)
        plain_client: Any = shipped.create_client("ivs-realtime", endpoint_url=server.endpoint_url)
        plain = IVSRealTime.from_client(plain_client)
        yield tuned, plain, server
        tuned.close()
        plain_client.close()


def test_the_tuned_client_really_is_tuned(pair: tuple[IVSRealTime, IVSRealTime, Any]) -> None:
    tuned, plain, _ = pair
    assert type(tuned._client._serializer).__name__ == "_JsonBodySerializer"  # pyright: ignore[reportPrivateUsage]
    assert type(plain._client._serializer).__name__ != "_JsonBodySerializer"  # pyright: ignore[reportPrivateUsage]


def test_same_objects_from_both_paths(pair: tuple[IVSRealTime, IVSRealTime, Any]) -> None:
    tuned, plain, _ = pair
    spec = StageSpec(
        name="same",
        participant_token_configurations=[
            ParticipantTokenConfig(user_id=f"u{i}", attributes={"é": "ü" * i}, duration=i + 1)
            for i in range(12)
        ],
        tags={"k": "v"},
    )
    created = tuned.create_stage(spec)
    arn = created.stage.arn
    # Read back through both: every timestamp, enum, map and nested model must agree.
    assert tuned.get_stage(arn) == plain.get_stage(arn)
    assert list(tuned.iter_stages(page_size=2)) == list(plain.iter_stages(page_size=2))
    token = tuned.create_participant_token(arn)
    assert token.expiration_time.tzinfo is not None
    recording = AutoParticipantRecordingConfiguration(storage_configuration_arn="")
    assert tuned.update_stage(arn, auto_participant_recording_configuration=recording) == (
        plain.get_stage(arn)
    )
    assert dict(tuned.list_tags_for_resource(arn)) == dict(plain.list_tags_for_resource(arn))


def _error(call: Any) -> ServiceError:
    with pytest.raises(ServiceError) as caught:
        call()
    return caught.value


def test_same_errors_from_both_paths(
    pair: tuple[IVSRealTime, IVSRealTime, LocalIVSRealTime],
) -> None:
    tuned, plain, server = pair
    missing = "arn:aws:ivs:us-east-1:123456789012:stage/missing1234"
    errors = [_error(lambda sdk=sdk: sdk.get_stage(missing)) for sdk in (tuned, plain)]
    assert all(isinstance(e, ResourceNotFoundError) for e in errors)
    seen = {(e.code, e.message, e.status_code) for e in errors}
    assert len(seen) == 1
    server.faults.fail("GetStage", 400, "ValidationException", times=2, message="nope")
    errors = [_error(lambda sdk=sdk: sdk.get_stage(missing)) for sdk in (tuned, plain)]
    assert all(isinstance(e, ValidationError) for e in errors)
    assert {(e.code, e.message, e.status_code) for e in errors} == {
        ("ValidationException", "nope", 400)
    }
