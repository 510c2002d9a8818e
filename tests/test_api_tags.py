"""Tags of every kind of resource, through both facades."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from ivs_realtime_sdk import (
    EncoderConfigurationSpec,
    IngestConfigurationSpec,
    IngestProtocol,
    PublicKeySpec,
    S3StorageConfiguration,
    StageSpec,
    StorageConfigurationSpec,
)
from ivs_realtime_sdk.errors import ResourceNotFoundError

from .conftest import Facade, arn
from .test_api_ingest import public_key_pem


async def _resource_arns(api: Facade) -> list[str]:
    storage = StorageConfigurationSpec(s3=S3StorageConfiguration(bucket_name="b-1"))
    ingest = IngestConfigurationSpec(ingest_protocol=IngestProtocol.RTMPS)
    return [
        (await api.create_stage(StageSpec())).stage.arn,
        (await api.create_encoder_configuration(EncoderConfigurationSpec())).arn,
        (await api.create_storage_configuration(storage)).arn,
        (await api.create_ingest_configuration(ingest)).arn,
        (await api.import_public_key(PublicKeySpec(public_key_material=public_key_pem()))).arn,
    ]


async def test_tag_list_and_untag_every_kind_of_resource(api: Facade) -> None:
    for resource_arn in await _resource_arns(api):
        assert await api.tag_resource(resource_arn, {"env": "dev", "team": "av"}) is None
        assert await api.tag_resource(resource_arn, {"env": "prod"}) is None

        tags = await api.list_tags_for_resource(resource_arn)
        assert isinstance(tags, Mapping)
        assert tags == {"env": "prod", "team": "av"}
        with pytest.raises(TypeError):
            tags["env"] = "changed"  # type: ignore[index]

        assert await api.untag_resource(resource_arn, (k for k in ["team", "absent"])) is None
        assert await api.list_tags_for_resource(resource_arn) == {"env": "prod"}


async def test_tags_of_a_missing_resource_are_not_found(api: Facade) -> None:
    with pytest.raises(ResourceNotFoundError):
        await api.list_tags_for_resource(arn("composition", "missing"))
