"""Server-side compositions, and how they move from STARTING to ACTIVE, STOPPING to STOPPED."""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ._core import Page
from ._errors import ConflictException, ResourceNotFoundException, ValidationException
from ._events import composition_event, destination_failure_event
from ._ids import new_id
from ._sessions import SessionRules
from ._state import Composition, Destination, Stage

__all__ = ["CompositePlan", "CompositePublisher", "CompositeRenditionPlan", "CompositionRules"]


@dataclass(frozen=True, slots=True)
class CompositeRenditionPlan:
    """One encoder configuration of an S3 destination: one rendition of the composite."""

    encoder_configuration_arn: str
    width: int
    height: int
    framerate: int
    bitrate: int


@dataclass(frozen=True, slots=True)
class CompositePublisher:
    """A publisher of the composed stage, and the stage whose media session carries it
    (a replica's source stage, under the same participant ID)."""

    participant_id: str
    attributes: dict[str, str]
    media_stage_arn: str


@dataclass(frozen=True, slots=True)
class CompositePlan:
    """What the media plane composes for one S3 destination of an ACTIVE composition."""

    composition_arn: str
    stage_arn: str
    destination_id: str
    bucket: str
    prefix: str
    layout: dict[str, Any]
    """The composition's layout, defaults filled (``{"grid": {...}}`` or ``{"pip": {...}}``)."""
    s3: dict[str, Any]
    """The destination's S3 configuration (a copy, defaults filled)."""
    renditions: tuple[CompositeRenditionPlan, ...]
    publishers: tuple[CompositePublisher, ...]
    """The stage's publishers now, in the order they joined."""


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


class CompositionRules(SessionRules):
    """StartComposition, GetComposition, StopComposition, ListCompositions, and their media."""

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
            self._stop(composition, self._now())

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

    @property
    def composition_idle_seconds(self) -> float:
        """Seconds an ACTIVE composition goes on without a publisher before it stops (60)."""
        return self.state.composition_idle_seconds

    @composition_idle_seconds.setter
    def composition_idle_seconds(self, value: float) -> None:
        with self._lock:
            self.state.composition_idle_seconds = value

    def composite_plans(self) -> list[CompositePlan]:
        """What to compose now: one plan per ACTIVE S3 destination of an ACTIVE composition.

        Compositions first reach the state their time allows (an idle one stops), so a
        plan that is gone tells the media plane to finish that composite.
        """
        self.advance_compositions()
        plans: list[CompositePlan] = []
        for composition in self.state.compositions.values():
            stage = self.state.stages.get(composition.stage_arn)
            if composition.state != "ACTIVE" or stage is None:
                continue
            for destination in composition.destinations:
                s3: dict[str, Any] | None = destination.configuration.get("s3")
                if s3 is None or destination.state != "ACTIVE":
                    continue
                storage = self.state.storage_configurations.get(s3["storageConfigurationArn"])
                plans.append(
                    CompositePlan(
                        composition_arn=composition.arn,
                        stage_arn=stage.arn,
                        destination_id=destination.destination_id,
                        bucket=storage.bucket if storage is not None else "",
                        prefix=destination.recording_prefix or "",
                        layout=copy.deepcopy(composition.layout),
                        s3=copy.deepcopy(s3),
                        renditions=self._renditions(s3["encoderConfigurationArns"]),
                        publishers=self._publishers(stage),
                    )
                )
        return plans

    def composite_started(self, composition_arn: str, destination_id: str) -> None:
        """The media plane writes this destination's composite: STOPPED waits for its end."""
        self.state.composites_writing.add((composition_arn, destination_id))

    def composite_ended(
        self, composition_arn: str, destination_id: str, failure: str | None = None
    ) -> None:
        """The composite's files are complete (or it failed): the composition may stop.

        A failure sets the destination FAILED with a Destination Failure event.
        """
        self.state.composites_writing.discard((composition_arn, destination_id))
        composition = self.state.compositions.get(composition_arn)
        if composition is None:
            return
        if failure is not None:
            for destination in composition.destinations:
                if destination.destination_id == destination_id:
                    destination.state, destination.end_time = "FAILED", self._now()
                    destination_failure_event(
                        self.event_bus, self.state, composition, destination_id, failure
                    )
        self._advance(composition)

    def _renditions(self, arns: Sequence[str]) -> tuple[CompositeRenditionPlan, ...]:
        renditions: list[CompositeRenditionPlan] = []
        for arn in arns:
            encoder = self.state.encoder_configurations.get(arn)
            if encoder is None:
                continue
            video = encoder.video
            renditions.append(
                CompositeRenditionPlan(
                    encoder_configuration_arn=arn,
                    width=int(video["width"]),
                    height=int(video["height"]),
                    framerate=max(1, round(float(video["framerate"]))),
                    bitrate=int(video["bitrate"]),
                )
            )
        return tuple(renditions)

    def _publishers(self, stage: Stage) -> tuple[CompositePublisher, ...]:
        session = self._active(stage)
        return tuple(
            CompositePublisher(
                participant.participant_id,
                dict(participant.attributes),
                self._media_stage(stage.arn, participant),
            )
            for participant in (session.connected() if session is not None else ())
            if participant.publishing
        )

    def _has_publisher(self, stage: Stage) -> bool:
        session = self._active(stage)
        return session is not None and any(p.publishing for p in session.connected())

    def _idle_stop(self, composition: Composition, now: float) -> None:
        """Stop an ACTIVE composition whose stage has had no publisher for the idle window."""
        stage = self.state.stages.get(composition.stage_arn)
        idle = self.state.composition_idle_since
        if stage is not None and self._has_publisher(stage):
            idle.pop(composition.arn, None)
            return
        since = idle.setdefault(composition.arn, now)
        if now - since >= self.state.composition_idle_seconds:
            idle.pop(composition.arn, None)
            self._stop(composition, now)

    def _stop(self, composition: Composition, now: float) -> None:
        composition.state, composition.state_since = "STOPPING", now
        for destination in composition.destinations:
            if destination.state != "FAILED":
                destination.state = "STOPPING"

    def _writing(self, composition: Composition) -> bool:
        return any(arn == composition.arn for arn, _ in self.state.composites_writing)

    def _advance(self, composition: Composition) -> None:
        """Move STARTING to ACTIVE and STOPPING to STOPPED once the transition time passed.

        An ACTIVE composition without publishers stops after the idle window; a
        STOPPING one whose composite is still being written waits for its files.
        """
        now = self._now()
        if composition.state == "ACTIVE":
            self._idle_stop(composition, now)
        if now - composition.state_since < self.state.transition_seconds:
            return
        if composition.state == "STARTING":
            composition.state, composition.state_since = "ACTIVE", now
            for destination in composition.destinations:
                destination.state, destination.start_time = "ACTIVE", now
            composition_event(self.event_bus, self.state, composition, started=True)
        elif composition.state == "STOPPING" and not self._writing(composition):
            composition.state, composition.state_since = "STOPPED", now
            composition.end_time = now
            self.state.composition_idle_since.pop(composition.arn, None)
            for destination in composition.destinations:
                if destination.state != "FAILED":
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
