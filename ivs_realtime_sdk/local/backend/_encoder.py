"""Encoder configurations: the video settings of a composition's outputs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._core import BackendCore, Page
from ._errors import ConflictException, ValidationException
from ._ids import new_id
from ._state import EncoderConfiguration

__all__ = ["EncoderRules"]

_MAX_PIXELS = 2_073_600  # 1920x1080, documented on Video.width / Video.height


def _video(params: Mapping[str, Any] | None) -> dict[str, Any]:
    video: dict[str, Any] = {"width": 1280, "height": 720, "framerate": 30.0, "bitrate": 2_500_000}
    video.update(params or {})
    width, height = video["width"], video["height"]
    if width % 2 or height % 2:
        raise ValidationException(
            "Value at 'video' failed to satisfy constraint: width and height must be even numbers"
        )
    if width * height > _MAX_PIXELS:
        raise ValidationException(
            "Value at 'video' failed to satisfy constraint: "
            f"width x height must be at most {_MAX_PIXELS} pixels"
        )
    video["framerate"] = float(video["framerate"])
    return video


class EncoderRules(BackendCore):
    """Create, get, delete and list encoder configurations."""

    def create_encoder_configuration(
        self, name: str, video: Mapping[str, Any] | None, tags: Mapping[str, str] | None
    ) -> EncoderConfiguration:
        """Create an encoder configuration; unset video settings take the documented defaults."""
        self._check_quota(
            len(self.state.encoder_configurations),
            self.state.quotas.max_encoder_configurations,
            "encoder configurations",
        )
        config = EncoderConfiguration(
            seq=self._next_seq(),
            arn=self._arn("encoder-configuration", new_id()),
            name=name,
            video=_video(video),
            tags=self._check_tags(tags),
        )
        self.state.encoder_configurations[config.arn] = config
        return config

    def get_encoder_configuration(self, arn: str) -> EncoderConfiguration:
        """Return one encoder configuration."""
        return self._get(self.state.encoder_configurations, arn, "Encoder configuration")

    def delete_encoder_configuration(self, arn: str) -> None:
        """Delete an encoder configuration unless an active composition uses it."""
        self._get(self.state.encoder_configurations, arn, "Encoder configuration")
        for composition in self.state.compositions.values():
            if composition.active and arn in composition.encoder_arns():
                raise ConflictException(
                    f"Encoder configuration is used by active composition {composition.arn}"
                )
        del self.state.encoder_configurations[arn]

    def list_encoder_configurations(
        self, next_token: str | None, max_results: int | None
    ) -> Page[EncoderConfiguration]:
        """One page of encoder configurations."""
        return self._paginate(
            "ListEncoderConfigurations",
            self.state.encoder_configurations.values(),
            next_token,
            max_results,
            100,
        )
