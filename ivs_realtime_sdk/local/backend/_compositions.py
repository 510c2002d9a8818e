"""Server-side compositions, and how they move from STARTING to ACTIVE, STOPPING to STOPPED."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ._core import BackendCore, Page
from ._errors import ConflictException, ResourceNotFoundException, ValidationException
from ._events import composition_event
from ._ids import new_id
from ._state import Composition, Destination

__all__ = ["CompositionRules"]

_GRID_DEFAULTS: dict[str, Any] = {
    "featuredParticipantAttribute": "",
    "omitStoppedVideo": False,
    "videoAspectRatio": "VIDEO",
    "gridGap": 2,
}
_PIP_DEFAULTS: dict[str, Any] = {
    "featuredParticipantAttribute": "",
    "omitStoppedVideo": False,
    "videoFillMode": "COVER",
    "gridGap": 0,
    "pipParticipantAttribute": "",
    "pipBehavior": "STATIC",
    "pipOffset": 0,
    "pipPosition": "BOTTOM_RIGHT",
}


def _layout(layout: Mapping[str, Any] | None) -> dict[str, Any]:
    layout = layout or {}
    if "grid" in layout and "pip" in layout:
        raise ValidationException(
            "Value at 'layout' failed to satisfy constraint: set either grid or pip, not both"
        )
    if "pip" in layout:
        return {"pip": {**_PIP_DEFAULTS, **layout["pip"]}}
    return {"grid": {**_GRID_DEFAULTS, **layout.get("grid", {})}}


class CompositionRules(BackendCore):
    """StartComposition, GetComposition, StopComposition, ListCompositions."""

    def start_composition(
        self,
        *,
        stage_arn: str,
        idempotency_token: str | None,
        layout: Mapping[str, Any] | None,
        destinations: Sequence[Mapping[str, Any]],
        tags: Mapping[str, str] | None,
    ) -> Composition:
        """Start compositing a stage to one channel and/or one S3 destination.

        A repeated ``idempotency_token`` returns the composition it started.
        """
        stage = self.state.stages.get(stage_arn)
        if stage is None:
            raise ResourceNotFoundException(f"Stage not found: {stage_arn}")
        if idempotency_token:
            for existing in self.state.compositions.values():
                if existing.idempotency_token == idempotency_token:
                    if existing.stage_arn != stage.arn:
                        raise ConflictException(
                            "idempotencyToken was already used for a composition of another stage"
                        )
                    return existing
        active = sum(1 for c in self.state.compositions.values() if c.active)
        self._check_quota(active, self.state.quotas.max_active_compositions, "active compositions")
        composition_id = new_id()
        now = self._now()
        composition = Composition(
            seq=self._next_seq(),
            arn=self._arn("composition", composition_id),
            stage_arn=stage.arn,
            layout=_layout(layout),
            destinations=self._destinations(destinations, f"{stage.stage_id}/{composition_id}"),
            tags=self._check_tags(tags),
            state="STARTING",
            state_since=now,
            idempotency_token=idempotency_token,
            start_time=now,
        )
        self.state.compositions[composition.arn] = composition
        return composition

    def get_composition(self, arn: str) -> Composition:
        """Return one composition, in the state its transition time allows."""
        composition = self._get(self.state.compositions, arn, "Composition")
        self._advance(composition)
        return composition

    def stop_composition(self, arn: str) -> None:
        """Stop a composition (a stopped one stays stopped)."""
        composition = self._get(self.state.compositions, arn, "Composition")
        self._advance(composition)
        if composition.state in ("STARTING", "ACTIVE"):
            composition.state, composition.state_since = "STOPPING", self._now()
            for destination in composition.destinations:
                destination.state = "STOPPING"

    def list_compositions(
        self,
        stage_arn: str | None,
        encoder_arn: str | None,
        next_token: str | None,
        max_results: int | None,
    ) -> Page[Composition]:
        """One page of compositions, optionally by stage or encoder configuration."""
        matching: list[Composition] = []
        for composition in self.state.compositions.values():
            if stage_arn is not None and composition.stage_arn != stage_arn:
                continue
            if encoder_arn is not None and encoder_arn not in composition.encoder_arns():
                continue
            self._advance(composition)
            matching.append(composition)
        return self._paginate("ListCompositions", matching, next_token, max_results, 100)

    def advance_compositions(self) -> None:
        """Let every composition reach the state its transition time allows (sends its events)."""
        for composition in self.state.compositions.values():
            self._advance(composition)

    def _advance(self, composition: Composition) -> None:
        """Move STARTING to ACTIVE and STOPPING to STOPPED once the transition time passed."""
        now = self._now()
        if now - composition.state_since < self.state.transition_seconds:
            return
        if composition.state == "STARTING":
            composition.state, composition.state_since = "ACTIVE", now
            for destination in composition.destinations:
                destination.state, destination.start_time = "ACTIVE", now
            composition_event(self.event_bus, self.state, composition, started=True)
        elif composition.state == "STOPPING":
            composition.state, composition.state_since = "STOPPED", now
            composition.end_time = now
            for destination in composition.destinations:
                destination.state, destination.end_time = "STOPPED", now
            composition_event(self.event_bus, self.state, composition, started=False)

    def _destinations(self, configs: Sequence[Mapping[str, Any]], prefix: str) -> list[Destination]:
        kinds: list[str] = []
        destinations: list[Destination] = []
        for index, given in enumerate(configs):
            present = [kind for kind in ("channel", "s3") if given.get(kind) is not None]
            if len(present) != 1:
                raise ValidationException(
                    f"Value at 'destinations[{index}]' failed to satisfy constraint: "
                    "exactly one of channel or s3 must be set"
                )
            kinds.extend(present)
            config = dict(given)
            recording_prefix = None
            if "s3" in config:
                s3 = dict(config["s3"])
                self._get(
                    self.state.storage_configurations,
                    s3["storageConfigurationArn"],
                    "Storage configuration",
                )
                for arn in s3["encoderConfigurationArns"]:
                    self._get(self.state.encoder_configurations, arn, "Encoder configuration")
                s3.setdefault("recordingConfiguration", {})
                s3["recordingConfiguration"] = {
                    "format": "HLS",
                    "hlsConfiguration": {"targetSegmentDurationSeconds": 2},
                    **s3["recordingConfiguration"],
                }
                config["s3"] = s3
                recording_prefix = f"{prefix}/composite"
            else:
                encoder = config["channel"].get("encoderConfigurationArn")
                if encoder:
                    self._get(self.state.encoder_configurations, encoder, "Encoder configuration")
            destinations.append(
                Destination(
                    destination_id=new_id(),
                    configuration=config,
                    state="STARTING",
                    recording_prefix=recording_prefix,
                )
            )
        if len(set(kinds)) != len(kinds):
            raise ValidationException(
                "Value at 'destinations' failed to satisfy constraint: "
                "at most one channel and one s3 destination"
            )
        return destinations
