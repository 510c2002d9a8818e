"""Every list operation, paged: ``list_*`` page by page, ``iter_*`` across pages; both facades."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from ivs_realtime_sdk import (
    AsyncIVSRealTime,
    ChannelDestinationConfiguration,
    CompositionSpec,
    DestinationConfiguration,
    EncoderConfigurationSpec,
    IngestConfigurationSpec,
    IngestProtocol,
    IVSRealTime,
    Page,
    PublicKeySpec,
    S3StorageConfiguration,
    StageSpec,
    StorageConfigurationSpec,
)
from ivs_realtime_sdk.local import LocalIVSRealTime

from .conftest import Facade, arn, live_stage, requests_sent
from .test_api_ingest import public_key_pem

ITEMS = 7
PAGE_SIZE = 3  # 7 items: pages of 3, 3 and 1

# Each setup makes ITEMS items to list and returns the list call's positional arguments.
Setup = Callable[[Facade, LocalIVSRealTime], Awaitable[tuple[Any, ...]]]


async def _stages(api: Facade, emulator: LocalIVSRealTime) -> tuple[Any, ...]:
    for i in range(ITEMS):
        await api.create_stage(StageSpec(name=f"stage-{i}"))
    return ()


async def _stage_sessions(api: Facade, emulator: LocalIVSRealTime) -> tuple[Any, ...]:
    stage = (await api.create_stage(StageSpec())).stage
    for _ in range(ITEMS):
        token = await api.create_participant_token(stage.arn)
        emulator.leave(stage.arn, emulator.join(stage.arn, token.token))
    return (stage.arn,)


async def _participants(api: Facade, emulator: LocalIVSRealTime) -> tuple[Any, ...]:
    stage, _ = await live_stage(api, emulator, participants=ITEMS)
    return (stage.arn, stage.active_session_id)


async def _participant_events(api: Facade, emulator: LocalIVSRealTime) -> tuple[Any, ...]:
    stage, (participant_id,) = await live_stage(api, emulator, publish=False)
    for _ in range(3):  # JOINED, then 3 x (PUBLISH_STARTED, PUBLISH_STOPPED)
        emulator.publish(stage.arn, participant_id)
        emulator.unpublish(stage.arn, participant_id)
    return (stage.arn, stage.active_session_id, participant_id)


async def _participant_replicas(api: Facade, emulator: LocalIVSRealTime) -> tuple[Any, ...]:
    source, (participant_id,) = await live_stage(api, emulator)
    for i in range(ITEMS):
        destination = (await api.create_stage(StageSpec(name=f"copy-{i}"))).stage
        await api.start_participant_replication(source.arn, destination.arn, participant_id)
    return (source.arn, participant_id)


async def _compositions(api: Facade, emulator: LocalIVSRealTime) -> tuple[Any, ...]:
    stage, _ = await live_stage(api, emulator)
    for i in range(ITEMS):
        channel = ChannelDestinationConfiguration(channel_arn=arn("channel", f"channel{i}"))
        destinations = [DestinationConfiguration(channel=channel)]
        await api.start_composition(CompositionSpec(stage_arn=stage.arn, destinations=destinations))
    return ()


async def _encoder_configurations(api: Facade, emulator: LocalIVSRealTime) -> tuple[Any, ...]:
    for i in range(ITEMS):
        await api.create_encoder_configuration(EncoderConfigurationSpec(name=f"e{i}"))
    return ()


async def _storage_configurations(api: Facade, emulator: LocalIVSRealTime) -> tuple[Any, ...]:
    for i in range(ITEMS):
        s3 = S3StorageConfiguration(bucket_name=f"bucket-{i}")
        await api.create_storage_configuration(StorageConfigurationSpec(s3=s3))
    return ()


async def _ingest_configurations(api: Facade, emulator: LocalIVSRealTime) -> tuple[Any, ...]:
    for i in range(ITEMS):
        spec = IngestConfigurationSpec(ingest_protocol=IngestProtocol.RTMPS, name=f"i{i}")
        await api.create_ingest_configuration(spec)
    return ()


async def _public_keys(api: Facade, emulator: LocalIVSRealTime) -> tuple[Any, ...]:
    for i in range(ITEMS):
        await api.import_public_key(
            PublicKeySpec(public_key_material=public_key_pem(), name=f"k{i}")
        )
    return ()


LISTS: dict[str, tuple[str, Setup]] = {
    "stages": ("ListStages", _stages),
    "stage_sessions": ("ListStageSessions", _stage_sessions),
    "participants": ("ListParticipants", _participants),
    "participant_events": ("ListParticipantEvents", _participant_events),
    "participant_replicas": ("ListParticipantReplicas", _participant_replicas),
    "compositions": ("ListCompositions", _compositions),
    "encoder_configurations": ("ListEncoderConfigurations", _encoder_configurations),
    "storage_configurations": ("ListStorageConfigurations", _storage_configurations),
    "ingest_configurations": ("ListIngestConfigurations", _ingest_configurations),
    "public_keys": ("ListPublicKeys", _public_keys),
}


def test_every_paginated_operation_is_covered() -> None:
    from ivs_realtime_sdk import _operations as ops

    paged = {op.name for op in vars(ops).values() if isinstance(op, ops.Operation) and op.page_key}
    assert paged == {operation for operation, _ in LISTS.values()}


@pytest.mark.parametrize("stem", sorted(LISTS))
async def test_pages(api: Facade, emulator: LocalIVSRealTime, stem: str) -> None:
    operation, setup = LISTS[stem]
    args = await setup(api, emulator)
    list_page = getattr(api, f"list_{stem}")

    pages: list[Page[Any]] = []
    token: str | None = None
    while not pages or token is not None:
        page = await list_page(*args, max_results=PAGE_SIZE, next_token=token)
        assert isinstance(page, Page)
        pages.append(page)
        token = page.next_token
    assert [len(page.items) for page in pages] == [3, 3, 1]
    listed = [item for page in pages for item in page.items]
    assert listed == list((await list_page(*args, max_results=50)).items)

    sent = requests_sent(emulator, operation)
    iterated = await getattr(api, f"iter_{stem}")(*args, page_size=PAGE_SIZE)
    assert iterated == listed
    assert requests_sent(emulator, operation) - sent == 3
    assert await getattr(api, f"iter_{stem}")(*args) == listed


def test_a_sync_iterator_sends_nothing_until_iterated(
    sdk: IVSRealTime, emulator: LocalIVSRealTime
) -> None:
    iterator = sdk.iter_public_keys(page_size=1)
    assert requests_sent(emulator, "ListPublicKeys") == 0
    assert list(iterator) == []
    assert requests_sent(emulator, "ListPublicKeys") == 1


async def test_an_async_iterator_sends_nothing_until_iterated(
    async_sdk: AsyncIVSRealTime, emulator: LocalIVSRealTime
) -> None:
    iterator = async_sdk.iter_public_keys(page_size=1)
    assert requests_sent(emulator, "ListPublicKeys") == 0
    assert [key async for key in iterator] == []
    assert requests_sent(emulator, "ListPublicKeys") == 1
