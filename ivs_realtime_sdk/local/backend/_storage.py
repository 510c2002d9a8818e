"""Storage configurations: the S3 buckets recordings go to."""

from __future__ import annotations

from collections.abc import Mapping

from ._core import BackendCore, Page
from ._errors import ConflictException
from ._ids import new_id
from ._state import StorageConfiguration

__all__ = ["StorageRules"]


class StorageRules(BackendCore):
    """Create, get, delete and list storage configurations."""

    def create_storage_configuration(
        self, name: str, bucket: str, tags: Mapping[str, str] | None
    ) -> StorageConfiguration:
        """Create a storage configuration (an S3 bucket name)."""
        self._check_quota(
            len(self.state.storage_configurations),
            self.state.quotas.max_storage_configurations,
            "storage configurations",
        )
        config = StorageConfiguration(
            seq=self._next_seq(),
            arn=self._arn("storage-configuration", new_id()),
            name=name,
            bucket=bucket,
            tags=self._check_tags(tags),
        )
        self.state.storage_configurations[config.arn] = config
        return config

    def get_storage_configuration(self, arn: str) -> StorageConfiguration:
        """Return one storage configuration."""
        return self._get(self.state.storage_configurations, arn, "Storage configuration")

    def delete_storage_configuration(self, arn: str) -> None:
        """Delete a storage configuration unless a stage or an active composition uses it."""
        self._get(self.state.storage_configurations, arn, "Storage configuration")
        for stage in self.state.stages.values():
            if stage.recording is not None and stage.recording["storageConfigurationArn"] == arn:
                raise ConflictException(
                    f"Storage configuration is used by stage {stage.arn} for participant recording"
                )
        for composition in self.state.compositions.values():
            if composition.active and any(
                d.configuration.get("s3", {}).get("storageConfigurationArn") == arn
                for d in composition.destinations
            ):
                raise ConflictException(
                    f"Storage configuration is used by active composition {composition.arn}"
                )
        del self.state.storage_configurations[arn]

    def list_storage_configurations(
        self, next_token: str | None, max_results: int | None
    ) -> Page[StorageConfiguration]:
        """One page of storage configurations."""
        return self._paginate(
            "ListStorageConfigurations",
            self.state.storage_configurations.values(),
            next_token,
            max_results,
            100,
        )
