"""Ingest configurations and public keys, through both facades."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from ivs_realtime_sdk import (
    IngestConfiguration,
    IngestConfigurationSpec,
    IngestConfigurationState,
    IngestConfigurationSummary,
    IngestProtocol,
    PublicKey,
    PublicKeySpec,
    PublicKeySummary,
)
from ivs_realtime_sdk.errors import ConflictError, ResourceNotFoundError
from ivs_realtime_sdk.local import LocalIVSRealTime

from .conftest import Facade, live_stage


def public_key_pem() -> str:
    """A new P-384 public key, PEM-encoded."""
    key = ec.generate_private_key(ec.SECP384R1()).public_key()
    pem = key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return pem.decode()


async def test_ingest_configurations(api: Facade, emulator: LocalIVSRealTime) -> None:
    stage, _ = await live_stage(api, emulator)
    spec = IngestConfigurationSpec(
        ingest_protocol=IngestProtocol.RTMPS,
        name="encoder-box",
        stage_arn=stage.arn,
        user_id="obs",
        attributes={"source": "obs"},
        tags={"site": "studio-a"},
    )

    created = await api.create_ingest_configuration(spec)

    assert isinstance(created, IngestConfiguration)
    assert created.ingest_protocol is IngestProtocol.RTMPS
    assert created.stage_arn == stage.arn
    assert created.user_id == "obs"
    assert created.attributes == {"source": "obs"}
    assert created.state is IngestConfigurationState.INACTIVE
    assert created.stream_key.startswith("rt_")
    assert created.stream_key not in repr(created)
    assert created.stream_key not in str(created)
    assert await api.get_ingest_configuration(created.arn) == created

    emulator.connect_ingest(created.arn)
    active = await api.get_ingest_configuration(created.arn)
    assert active.state is IngestConfigurationState.ACTIVE
    with pytest.raises(ConflictError):
        await api.delete_ingest_configuration(created.arn)

    page = await api.list_ingest_configurations(filter_by_stage_arn=stage.arn)
    (summary,) = page.items
    assert isinstance(summary, IngestConfigurationSummary)
    assert summary.participant_id == created.participant_id
    inactive = await api.iter_ingest_configurations(
        filter_by_state=IngestConfigurationState.INACTIVE
    )
    assert inactive == []

    emulator.disconnect_ingest(created.arn)
    detached = await api.update_ingest_configuration(created.arn, stage_arn="")
    assert isinstance(detached, IngestConfiguration)
    assert detached.stage_arn == ""
    assert (await api.update_ingest_configuration(created.arn)).stage_arn == ""

    assert await api.delete_ingest_configuration(created.arn, force=True) is None
    with pytest.raises(ResourceNotFoundError):
        await api.get_ingest_configuration(created.arn)


async def test_an_insecure_rtmp_ingest_configuration(api: Facade) -> None:
    created = await api.create_ingest_configuration(
        IngestConfigurationSpec(ingest_protocol=IngestProtocol.RTMP, insecure_ingest=True)
    )
    assert created.ingest_protocol is IngestProtocol.RTMP
    assert created.stage_arn == ""


async def test_public_keys(api: Facade) -> None:
    pem = public_key_pem()

    imported = await api.import_public_key(
        PublicKeySpec(public_key_material=pem, name="signer", tags={"use": "tokens"})
    )

    assert isinstance(imported, PublicKey)
    assert imported.name == "signer"
    assert imported.public_key_material is not None
    assert imported.public_key_material.strip() == pem.strip()
    assert imported.fingerprint
    assert imported.tags == {"use": "tokens"}
    assert imported.arn is not None
    assert await api.get_public_key(imported.arn) == imported
    with pytest.raises(ConflictError):
        await api.import_public_key(PublicKeySpec(public_key_material=pem))

    page = await api.list_public_keys()
    assert page.items == (
        PublicKeySummary(arn=imported.arn, name="signer", tags={"use": "tokens"}),
    )
    assert await api.iter_public_keys() == list(page.items)

    assert await api.delete_public_key(imported.arn) is None
    with pytest.raises(ResourceNotFoundError):
        await api.get_public_key(imported.arn)
