"""The one backend of an emulator: every rule of the service, behind typed methods.

moto's ``models.py`` is the shape: one object per emulator, a method per
operation and per participant action, each taking typed arguments, running
under the backend's lock, sending the events IVS sends, and returning the
resources it touched. The rules live in one class per family (``_stages``,
``_sessions``, ``_participants``, ``_replication``, ...); this class puts them together and adds
what concerns the emulator as a whole: its settings, its reset, its events.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec

from ._bus import EventBus
from ._compositions import CompositionRules
from ._encoder import EncoderRules
from ._ids import default_clock
from ._participants import ParticipantActions
from ._public_keys import PublicKeyRules
from ._recording import RecordingRules
from ._stages import StageRules
from ._state import Quotas, Stage, State
from ._storage import StorageRules
from ._tags import TagRules

__all__ = ["Backend"]


class Backend(
    StageRules,
    ParticipantActions,
    RecordingRules,
    CompositionRules,
    StorageRules,
    EncoderRules,
    PublicKeyRules,
    TagRules,
):
    """Every resource and rule of one emulated account in one region."""

    def __init__(
        self,
        *,
        region: str,
        account_id: str,
        quotas: Quotas | None = None,
        clock: Callable[[], float] = default_clock,
        event_bus: EventBus | None = None,
    ) -> None:
        """Start empty, with a new signing key; ``event_bus`` may be shared with other backends."""
        super().__init__(
            State(region=region, account_id=account_id, quotas=quotas or Quotas(), clock=clock),
            event_bus,
        )

    # -- identity and settings ------------------------------------------------------------

    @property
    def region(self) -> str:
        """Region in ARNs."""
        return self.state.region

    @property
    def account_id(self) -> str:
        """Account ID in ARNs."""
        return self.state.account_id

    @property
    def clock(self) -> Callable[[], float]:
        """Returns the emulator's time in Unix seconds; tests may swap it to move time on."""
        return self.state.clock

    @clock.setter
    def clock(self, value: Callable[[], float]) -> None:
        with self._lock:
            self.state.clock = value

    @property
    def quotas(self) -> Quotas:
        """Current resource limits."""
        return self.state.quotas

    @quotas.setter
    def quotas(self, value: Quotas) -> None:
        with self._lock:
            self.state.quotas = value

    @property
    def transition_seconds(self) -> float:
        """Clock seconds a composition stays STARTING/STOPPING; 0 means "until the next read"."""
        return self.state.transition_seconds

    @transition_seconds.setter
    def transition_seconds(self, value: float) -> None:
        with self._lock:
            self.state.transition_seconds = value

    @property
    def media_consent_window(self) -> float:
        """Seconds a WHIP peer may stay unconnected or silent before it leaves (RFC 7675: 30)."""
        return self.state.media_consent_window

    @media_consent_window.setter
    def media_consent_window(self, value: float) -> None:
        with self._lock:
            self.state.media_consent_window = value

    @property
    def base_url(self) -> str:
        """Where the emulator listens; stage endpoints and tokens point there."""
        return self.state.base_url

    @base_url.setter
    def base_url(self, value: str) -> None:
        with self._lock:
            self.state.base_url = value

    @property
    def ingest_urls(self) -> dict[str, str]:
        """The RTMP(S) listeners' URLs by scheme ("rtmp", "rtmps"); empty when none runs."""
        return dict(self.state.ingest_urls)

    @ingest_urls.setter
    def ingest_urls(self, value: dict[str, str]) -> None:
        with self._lock:
            self.state.ingest_urls = dict(value)

    @property
    def global_whip_url(self) -> str:
        """The global WHIP endpoint: it redirects offers to their stage's own."""
        return f"{self.state.base_url}/_emulator/whip"

    @property
    def key_id(self) -> str:
        """The ``kid`` of tokens the emulator signs."""
        return self.state.key_id

    @property
    def signing_key(self) -> ec.EllipticCurvePrivateKey:
        """The P-384 key that signs the tokens the API issues (tests forge tokens with it)."""
        return self.state.signing_key

    @property
    def signing_public_key(self) -> ec.EllipticCurvePublicKey:
        """The public half of :attr:`signing_key`."""
        return self.state.signing_public_key

    @property
    def stages(self) -> dict[str, Stage]:
        """The stages by ARN: the live table, for tests to read, never to change."""
        return self.state.stages

    # -- the emulator as a whole ----------------------------------------------------------

    def issued_participant_ids(self) -> tuple[str, ...]:
        """Participant IDs of the live tokens issued, in order.

        A token's id is dropped once it expires or its stage is deleted, so this
        (and the emulator's memory) follows the live tokens, not every token ever.
        """
        return tuple(self.state.issued_participant_ids)

    def sent_events(self) -> list[dict[str, Any]]:
        """Every EventBridge event sent so far, oldest first (copies).

        Compositions whose transition time has passed reach ACTIVE or STOPPED
        first, so that their events are there too.
        """
        self.advance_compositions()
        return self.event_bus.events()

    def reset(self) -> None:
        """Forget every resource and event (identity, signing key, listeners and webhook stay)."""
        self.forget_resources()
        self.event_bus.clear()

    def forget_resources(self) -> None:
        """Forget every resource of this account and region (identity and signing key stay)."""
        self.state.clear()

    def disconnect_everyone(self) -> int:
        """Disconnect every connected participant, with the LEFT events it implies.

        A restarted emulator calls it: the connections of the process that died
        are gone. Returns how many participants were disconnected.
        """
        count = 0
        for stage in list(self.state.stages.values()):
            session = self._active(stage)
            for participant in session.connected() if session is not None else ():
                self._disconnect(stage, participant)
                count += 1
        return count

    def counts(self) -> dict[str, int]:
        """How many resources of each kind this account and region holds."""
        state = self.state
        return {
            "stages": len(state.stages),
            "storageConfigurations": len(state.storage_configurations),
            "encoderConfigurations": len(state.encoder_configurations),
            "ingestConfigurations": len(state.ingest_configurations),
            "compositions": len(state.compositions),
            "publicKeys": len(state.public_keys),
        }
