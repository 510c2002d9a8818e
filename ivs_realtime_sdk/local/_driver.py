"""Drive participants from tests, as client SDKs and RTMP encoders would.

Plain thread-safe methods: each is one backend method, which takes the
backend's lock, so they work the same from sync tests (server on its thread)
and from coroutines on the server's own loop.
"""

from __future__ import annotations

from collections.abc import Mapping

from .backend import Backend

__all__ = ["ParticipantDriver"]


class ParticipantDriver:
    """The participant methods of ``LocalIVSRealTime``."""

    backend: Backend

    def join(
        self,
        stage_arn: str,
        token: str,
        *,
        publish: bool = False,
        protocol: str = "WHIP",
        client: Mapping[str, str] | None = None,
    ) -> str:
        """Join a stage with a participant token, as a client SDK would; return the participant ID.

        The token must verify: signed by the emulator (CreateParticipantToken,
        CreateStage) or by the private key of an imported public key named by
        its ``kid``; not expired by the emulator clock; issued for this stage;
        participant not revoked by DisconnectParticipant. The first participant
        starts a stage session. With ``publish=True`` the participant also
        publishes; if its token lacks PUBLISH, PUBLISH_ERROR is recorded, the
        participant leaves again and :class:`PublishRefusedError` is raised.

        Args:
            stage_arn: Stage to join.
            token: Participant token (JWT).
            publish: Start publishing right after joining.
            protocol: ``WHIP`` (default), ``RTMP``, ``RTMPS`` or ``UNKNOWN``.
            client: Optional client details (``ispName``, ``osName``, ``osVersion``,
                ``browserName``, ``browserVersion``, ``sdkVersion``).

        Raises:
            JoinRefusedError: The stage refused the token or is full.
            PublishRefusedError: ``publish=True`` without the PUBLISH capability.
        """
        participant = self.backend.join(
            stage_arn, token, publish=publish, protocol=protocol, client=client
        )
        return participant.participant_id

    def publish(self, stage_arn: str, participant_id: str) -> None:
        """Start publishing (PUBLISH_STARTED); refuse without the PUBLISH capability.

        Raises:
            PublishRefusedError: The token lacks PUBLISH (PUBLISH_ERROR is recorded).
            ParticipantError: The participant is not connected.
        """
        self.backend.publish(stage_arn, participant_id)

    def unpublish(self, stage_arn: str, participant_id: str) -> None:
        """Stop publishing (PUBLISH_STOPPED).

        Raises:
            ParticipantError: The participant is not connected.
        """
        self.backend.unpublish(stage_arn, participant_id)

    def subscribe(self, stage_arn: str, participant_id: str, publisher_id: str) -> None:
        """Subscribe to a publishing participant (SUBSCRIBE_STARTED).

        Raises:
            SubscribeRefusedError: No SUBSCRIBE capability or no such publisher
                (SUBSCRIBE_ERROR is recorded).
            ParticipantError: The participant is not connected.
        """
        self.backend.subscribe(stage_arn, participant_id, publisher_id)

    def unsubscribe(self, stage_arn: str, participant_id: str, publisher_id: str) -> None:
        """Stop a subscription (SUBSCRIBE_STOPPED).

        Raises:
            ParticipantError: The participant is not connected.
        """
        self.backend.unsubscribe(stage_arn, participant_id, publisher_id)

    def exchange_token(self, stage_arn: str, participant_id: str, token: str) -> None:
        """Swap a connected participant's self-signed token for ``token`` (TOKEN_EXCHANGED).

        As IVS's ``exchangeToken``: both tokens must be self-signed (not from
        CreateParticipantToken), and the new one must verify as a join would and
        keep ``jti``, ``resource``, ``topic``, ``events_url`` and ``whip_url``.
        Capabilities the new token drops take effect at once.

        Raises:
            ExchangeRefusedError: The exchange breaks one of these rules.
            ParticipantError: The participant is not connected.
        """
        self.backend.exchange_token(stage_arn, participant_id, token)

    def leave(self, stage_arn: str, participant_id: str) -> None:
        """Leave the stage (LEFT); the last participant out ends the session.

        Raises:
            ParticipantError: The participant is not connected.
        """
        self.backend.leave(stage_arn, participant_id)

    def connect_ingest(self, ingest_configuration_arn: str) -> str:
        """Start an RTMP(S) publisher on an ingest configuration; return its participant ID.

        Raises:
            JoinRefusedError: Unknown configuration, no stage, or already publishing.
        """
        return self.backend.connect_ingest(ingest_configuration_arn).participant_id

    def disconnect_ingest(self, ingest_configuration_arn: str) -> None:
        """Stop an RTMP(S) publisher started with :meth:`connect_ingest`.

        Raises:
            ParticipantError: The configuration is not publishing.
        """
        self.backend.disconnect_ingest(ingest_configuration_arn)
