"""The participant actions: what client SDKs, tests, the admin API and the media plane do.

The service learns about participants from its media servers; the emulator
has none, so ``LocalIVSRealTime.join`` and friends, ``/_emulator/participants``
and the WHIP endpoints call these methods, and the session rules
(``_sessions``) decide.
"""

from __future__ import annotations

from collections.abc import Mapping

from . import _tokens
from ._errors import ParticipantError, PublishRefusedError
from ._sessions import SessionRules
from ._state import Participant, Presence

__all__ = ["ParticipantActions"]


class ParticipantActions(SessionRules):
    """Join, publish, subscribe, exchange a token, leave; and the media plane's view."""

    # -- participants, as clients and tests drive them ------------------------------------

    def join(
        self,
        stage_arn: str,
        token: str,
        *,
        publish: bool = False,
        protocol: str = "WHIP",
        client: Mapping[str, str] | None = None,
    ) -> Participant:
        """Verify ``token`` for the stage, join, and publish if asked (``LocalIVSRealTime.join``).

        Raises:
            JoinRefusedError: No such stage, or the stage refused the token or is full.
            PublishRefusedError: ``publish`` without the PUBLISH capability (the
                participant leaves again).
        """
        stage = self._stage_or_refuse(stage_arn)
        grant = self._verify(stage, token)
        participant = self._connect(stage, grant, protocol=protocol, client=client)
        if publish:
            try:
                self._start_publish(stage, participant)
            except ParticipantError:
                self._disconnect(stage, participant)
                raise
        return participant

    def join_with_token(self, token: str) -> Participant:
        """Join the stage the token names (its ``resource`` claim), as the admin API does."""
        return self.join(_tokens.peek_stage_arn(token), token)

    def publish(self, stage_arn: str | None, participant_id: str) -> Participant:
        """Start publishing (PUBLISH_STARTED); ``stage_arn`` None finds the participant anywhere.

        Raises:
            PublishRefusedError: The token lacks PUBLISH (PUBLISH_ERROR is recorded).
            ParticipantError: The participant is not connected.
        """
        stage, participant = self._connected(stage_arn, participant_id)
        self._start_publish(stage, participant)
        return participant

    def unpublish(self, stage_arn: str | None, participant_id: str) -> Participant:
        """Stop publishing (PUBLISH_STOPPED)."""
        stage, participant = self._connected(stage_arn, participant_id)
        self._stop_publish(stage, participant)
        return participant

    def subscribe(
        self, stage_arn: str | None, participant_id: str, publisher_id: str
    ) -> Participant:
        """Subscribe to a publishing participant (SUBSCRIBE_STARTED).

        Raises:
            SubscribeRefusedError: No SUBSCRIBE capability or no such publisher
                (SUBSCRIBE_ERROR is recorded).
            ParticipantError: The participant is not connected.
        """
        stage, participant = self._connected(stage_arn, participant_id)
        self._subscribe(stage, participant, publisher_id)
        return participant

    def unsubscribe(
        self, stage_arn: str | None, participant_id: str, publisher_id: str
    ) -> Participant:
        """Stop a subscription (SUBSCRIBE_STOPPED)."""
        _, participant = self._connected(stage_arn, participant_id)
        self._unsubscribe(participant, publisher_id)
        return participant

    def exchange_token(self, stage_arn: str | None, participant_id: str, token: str) -> Participant:
        """Swap a connected participant's self-signed token for ``token`` (TOKEN_EXCHANGED).

        Raises:
            ExchangeRefusedError: The exchange breaks one of IVS's rules.
            ParticipantError: The participant is not connected.
        """
        stage, participant = self._connected(stage_arn, participant_id)
        self._exchange(stage, participant, token)
        return participant

    def leave(self, stage_arn: str | None, participant_id: str) -> Participant:
        """Leave the stage (LEFT); the last participant out ends the session."""
        stage, participant = self._connected(stage_arn, participant_id)
        self._disconnect(stage, participant)
        return participant

    # -- participants, as the media plane drives them ----------------------------------

    def join_media(
        self, stage_id: str, token: str, *, publish: bool = False, subscribe_to: str | None = None
    ) -> Participant:
        """Verify a WHIP offer's token, join unless connected, then publish or subscribe.

        A refusal of the publish or subscribe undoes a join made for it.

        Raises:
            ParticipantError: The stage refused the token, the join, or the action.
        """
        stage = self._stage_by_id(stage_id)
        grant = self._verify(stage, token)
        participant = self._find_connected(stage, grant.participant_id)
        joined = participant is None
        if participant is None:
            participant = self._connect(stage, grant, protocol="WHIP")
        try:
            if publish:
                if participant.publishing:
                    raise PublishRefusedError(
                        "already_connected", "Participant is already publishing"
                    )
                # The media plane records it, and reports the recording's events.
                participant.media_recorded = True
                self._start_publish(stage, participant)
            if subscribe_to is not None:
                self._subscribe(stage, participant, subscribe_to)
        except ParticipantError:
            if joined:
                self._disconnect(stage, participant)
            raise
        return participant

    def token_holder(self, stage_id: str, token: str) -> str:
        """Return the participant ID a token verified for the stage names.

        Raises:
            ParticipantError: No such stage, or the token does not verify.
        """
        return self._verify(self._stage_by_id(stage_id), token).participant_id

    def whip_url_of_token(self, token: str) -> str:
        """Return the WHIP URL of the stage a token names (its ``topic``), for the global endpoint.

        Raises:
            ParticipantError: Not a token, or no such stage.
        """
        stage_id = _tokens.peek_stage_id(token)
        self._stage_by_id(stage_id)
        return self._stage_endpoints(stage_id)["whip"]

    def media_session_ended(
        self,
        stage_arn: str,
        participant_id: str,
        *,
        published: bool,
        publisher_id: str | None,
        leave: bool,
    ) -> None:
        """A WHIP session ended: unpublish or unsubscribe, and leave if it was the last."""
        stage = self.state.stages.get(stage_arn)
        participant = self._find_connected(stage, participant_id) if stage else None
        if stage is None or participant is None:
            return
        if published:
            self._stop_publish(stage, participant)
        elif publisher_id is not None:
            self._unsubscribe(participant, publisher_id)
        if leave:
            self._disconnect(stage, participant)

    def media_source(self, stage_arn: str, participant_id: str) -> tuple[str, str]:
        """Whose media a subscriber to this participant receives: (stage ARN, participant ID).

        A replica publishes its source's media: for a replica, the source stage
        and participant; for anyone else, the participant itself.
        """
        stage = self.state.stages.get(stage_arn)
        participant = self._find_connected(stage, participant_id) if stage else None
        if participant is None:
            return stage_arn, participant_id
        return self._media_stage(stage_arn, participant), participant_id

    def is_subscribed(self, stage_arn: str, participant_id: str, publisher_id: str) -> bool:
        """Whether the participant is connected and subscribed to that publisher."""
        stage = self.state.stages.get(stage_arn)
        participant = self._find_connected(stage, participant_id) if stage else None
        return participant is not None and publisher_id in participant.subscriptions

    def is_connected(self, stage_arn: str, participant_id: str) -> bool:
        """Whether the participant is connected to the stage."""
        stage = self.state.stages.get(stage_arn)
        return stage is not None and self._find_connected(stage, participant_id) is not None

    def presence(self, stage_id: str) -> list[Presence]:
        """Who is connected to the stage now (copies), for its events socket."""
        stage = self.state.stages.get(self._arn("stage", stage_id))
        session = self._active(stage) if stage is not None else None
        return [
            Presence(p.participant_id, p.user_id or "", dict(p.attributes), p.publishing)
            for p in (session.connected() if session else [])
        ]
