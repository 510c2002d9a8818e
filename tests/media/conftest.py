"""Fixtures of the media tests: a stage on the emulator (its own thread) and its tokens."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from ivs_realtime_sdk import Capability, IVSRealTime, ParticipantTokenConfig, StageSpec
from ivs_realtime_sdk.local import LocalIVSRealTime
from ivs_realtime_sdk.models.participant import ParticipantSummary
from ivs_realtime_sdk.models.token import ParticipantToken


@dataclass
class MediaStage:
    """A stage with a publisher token and a subscriber token."""

    sdk: IVSRealTime
    server: LocalIVSRealTime
    arn: str
    stage_id: str
    publisher: ParticipantToken
    subscriber: ParticipantToken

    def token(self, *capabilities: Capability, user_id: str = "extra") -> ParticipantToken:
        """A new token of this stage with these capabilities."""
        config = ParticipantTokenConfig(user_id=user_id, capabilities=set(capabilities))
        return self.sdk.create_participant_token(self.arn, config)

    def session_id(self) -> str:
        """The stage's newest session."""
        return self.sdk.list_stage_sessions(self.arn).items[0].session_id

    def participants(self) -> dict[str, ParticipantSummary]:
        """The newest session's participants by id."""
        page = self.sdk.list_participants(self.arn, self.session_id())
        return {p.participant_id: p for p in page.items if p.participant_id}

    def event_names(self, participant_id: str) -> list[str]:
        """The names of a participant's events in the newest session, in order."""
        page = self.sdk.list_participant_events(self.arn, self.session_id(), participant_id)
        return [str(e.name) for e in page.items]


@pytest.fixture
def stage(sdk: IVSRealTime, emulator: LocalIVSRealTime) -> MediaStage:
    """A new stage: a publisher (PUBLISH only) and a subscriber (SUBSCRIBE only)."""
    created = sdk.create_stage(
        StageSpec(
            name="media",
            participant_token_configurations=(
                ParticipantTokenConfig(
                    user_id="publisher",
                    attributes={"role": "camera"},
                    capabilities={Capability.PUBLISH},
                ),
                ParticipantTokenConfig(user_id="subscriber", capabilities={Capability.SUBSCRIBE}),
            ),
        )
    )
    publisher, subscriber = created.participant_tokens
    return MediaStage(
        sdk=sdk,
        server=emulator,
        arn=created.stage.arn,
        stage_id=created.stage.arn.rsplit("/", 1)[1],
        publisher=publisher,
        subscriber=subscriber,
    )
