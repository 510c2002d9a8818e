"""The EventBridge events the emulator sends, as IVS would: kept, handed to callbacks, POSTed.

Every participant event the emulator records goes through :func:`participant_event`
(called by ``_participants``), which sends the ``IVS Stage Update`` that IVS
sends for it, if any: IVS documents no EventBridge event for joins, leaves or
subscriptions, so those send none. Participant recordings and compositions
send theirs from where their state changes.

Events are kept in order (``GET /_emulator/events``). Callbacks and the
webhook get them from one worker thread, in order, outside the store lock, so
a callback may call the emulator's API (as a Lambda function calls IVS) and a
slow or failing webhook never holds up an API call.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._state import Composition, Event, Participant, Store

__all__ = [
    "WEBHOOK_SECRET_HEADER",
    "EventBus",
    "composition_event",
    "participant_event",
    "recording_event",
]

_log = logging.getLogger("ivs_realtime_sdk.local")
_SOURCE = "aws.ivs"
_STAGE_UPDATE = "IVS Stage Update"
_COMPOSITION = "IVS Composition State Change"
_RECORDING = "IVS Participant Recording State Change"
#: The header that carries the shared secret, as an EventBridge connection's API key would.
WEBHOOK_SECRET_HEADER = "x-api-key"
_WEBHOOK_ATTEMPTS = 3
_WEBHOOK_BACKOFF = 0.2
_WEBHOOK_TIMEOUT = 5.0

# Participant events of ListParticipantEvents -> the Stage Update event IVS sends.
_STAGE_EVENTS = {
    "PUBLISH_STARTED": "Participant Published",
    "PUBLISH_STOPPED": "Participant Unpublished",
    "PUBLISH_ERROR": "Participant Publish Error",
    "REPLICATION_STARTED": "Participant Replication Started",
    "REPLICATION_STOPPED": "Participant Replication Stopped",
    "TOKEN_EXCHANGED": "Participant Token Exchanged",
}

Callback = Callable[[Mapping[str, Any]], None]


def _envelope_time(moment: float) -> str:
    # EventBridge's "time" has whole seconds.
    return datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _event_time(moment: float) -> str:
    # Delivered Stage Update events carry whole seconds too; milliseconds keep
    # events of one fast test in order for ParticipantTracker.
    value = datetime.fromtimestamp(moment, UTC)
    return f"{value:%Y-%m-%dT%H:%M:%S}.{value.microsecond // 1000:03d}Z"


class _Webhook:
    __slots__ = ("secret", "url")

    def __init__(self, url: str, secret: str | None) -> None:
        self.url = url
        self.secret = secret

    def post(self, envelope: Mapping[str, Any]) -> None:
        body = json.dumps(envelope, separators=(",", ":")).encode("utf-8")
        headers = {"Content-Type": "application/json"}
        if self.secret is not None:
            headers[WEBHOOK_SECRET_HEADER] = self.secret
        problem = ""
        for attempt in range(_WEBHOOK_ATTEMPTS):
            if attempt:
                time.sleep(_WEBHOOK_BACKOFF * 2 ** (attempt - 1))
            request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
            try:
                with urllib.request.urlopen(request, timeout=_WEBHOOK_TIMEOUT) as response:
                    response.read()
                return
            except urllib.error.HTTPError as exc:
                problem = f"HTTP {exc.code}"
            except (OSError, ValueError) as exc:
                problem = type(exc).__name__
        _log.warning(
            "events webhook %s refused event %s after %d attempts (%s)",
            self.url,
            envelope.get("id"),
            _WEBHOOK_ATTEMPTS,
            problem,
        )


class EventBus:
    """The events one emulator sent, its callbacks and its webhook."""

    def __init__(self) -> None:
        """Start with no events, callbacks or webhook."""
        self._lock = threading.Lock()
        self._events: list[dict[str, Any]] = []
        self._callbacks: list[Callback] = []
        self._webhook: _Webhook | None = None
        self._queue: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._worker: threading.Thread | None = None
        self.recording_since: dict[tuple[str, str, str], float] = {}

    # -- configuration ------------------------------------------------------------------

    def set_webhook(self, url: str | None, secret: str | None = None) -> None:
        """POST every event to ``url`` from now on (None stops it)."""
        with self._lock:
            self._webhook = _Webhook(url, secret) if url else None

    def subscribe(self, callback: Callback) -> Callable[[], None]:
        """Call ``callback`` with every event from now on; return what unsubscribes it."""
        with self._lock:
            self._callbacks.append(callback)

        def unsubscribe() -> None:
            with self._lock:
                if callback in self._callbacks:
                    self._callbacks.remove(callback)

        return unsubscribe

    # -- sending ------------------------------------------------------------------------

    def emit(self, envelope: dict[str, Any]) -> None:
        """Keep one event and queue it for the callbacks and the webhook."""
        with self._lock:
            self._events.append(envelope)
            if not self._callbacks and self._webhook is None:
                return
            if self._worker is None or not self._worker.is_alive():
                self._worker = threading.Thread(
                    target=self._deliver, name="ivs-realtime-local-events", daemon=True
                )
                self._worker.start()
        self._queue.put(envelope)

    def _deliver(self) -> None:
        while True:
            envelope = self._queue.get()
            try:
                if envelope is None:
                    return
                with self._lock:
                    callbacks, webhook = list(self._callbacks), self._webhook
                for callback in callbacks:
                    try:
                        callback(_copy(envelope))
                    except Exception:
                        _log.exception("event callback %r failed", callback)
                if webhook is not None:
                    webhook.post(envelope)
            finally:
                self._queue.task_done()

    def flush(self) -> None:
        """Wait until every queued event reached the callbacks and the webhook."""
        self._queue.join()

    def close(self) -> None:
        """Deliver what is queued, then stop the worker thread."""
        with self._lock:
            worker, self._worker = self._worker, None
        if worker is not None and worker.is_alive():
            self._queue.put(None)
            worker.join()

    # -- reading ------------------------------------------------------------------------

    def events(self) -> list[dict[str, Any]]:
        """Return a copy of every event sent so far, oldest first."""
        with self._lock:
            return [_copy(envelope) for envelope in self._events]

    def clear(self) -> None:
        """Forget the events sent so far (callbacks and webhook stay)."""
        with self._lock:
            self._events.clear()
            self.recording_since.clear()


def _copy(envelope: Mapping[str, Any]) -> dict[str, Any]:
    copied: dict[str, Any] = json.loads(json.dumps(envelope))
    return copied


def _emit(store: Store, detail_type: str, resource: str, detail: dict[str, Any]) -> None:
    store.event_bus.emit(
        {
            "version": "0",
            "id": str(uuid.uuid4()),
            "detail-type": detail_type,
            "source": _SOURCE,
            "account": store.account_id,
            "time": _envelope_time(store.now()),
            "region": store.region,
            "resources": [resource],
            "detail": detail,
        }
    )


def _token_detail(summary: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if summary is None:
        return None
    return {
        "user_id": summary.get("userId", ""),
        "attributes": dict(summary.get("attributes", {})),
        "capabilities": list(summary.get("capabilities", [])),
        "expiration_time": summary.get("expirationTime"),
    }


def participant_event(store: Store, participant: Participant, event: Event) -> None:
    """Send the ``IVS Stage Update`` that IVS sends for a participant event, if any.

    Every join, publish, subscribe and leave path records its participant
    events through ``_participants``, which calls this once per event; so a new
    way of joining (a WHIP participant, say) sends the same events for free.
    """
    name = _STAGE_EVENTS.get(event.name)
    if name is None or not participant.stage_arn:
        return
    detail: dict[str, Any] = {
        "session_id": participant.session_id,
        "event_name": name,
        "event_time": _event_time(event.time),
        "user_id": participant.user_id or "",
        "participant_id": participant.participant_id,
    }
    if event.name == "PUBLISH_ERROR" and event.error_code is not None:
        detail["error_code"] = event.error_code
    if event.name.startswith("REPLICATION_"):
        detail["source_stage_arn"] = participant.stage_arn
        detail["source_session_id"] = participant.session_id
        detail["destination_stage_arn"] = event.destination_stage_arn
        detail["destination_session_id"] = event.destination_session_id
    if event.name == "TOKEN_EXCHANGED":
        detail["previous_token"] = _token_detail(event.previous_token)
        detail["new_token"] = _token_detail(event.new_token)
    _emit(store, _STAGE_UPDATE, participant.stage_arn, detail)


def recording_event(store: Store, participant: Participant, *, started: bool) -> None:
    """Send ``Recording Start`` or ``Recording End`` for an individually recorded participant."""
    key = (participant.stage_arn, participant.session_id, participant.participant_id)
    since = store.event_bus.recording_since
    detail: dict[str, Any] = {
        "session_id": participant.session_id,
        "event_name": "Recording Start" if started else "Recording End",
        "participant_id": participant.participant_id,
        "recording_s3_bucket_name": participant.recording_bucket,
        "recording_s3_key_prefix": participant.recording_prefix,
    }
    if started:
        since[key] = store.now()
    else:
        began = since.pop(key, None)
        if began is not None:
            detail["recording_duration_ms"] = max(0, round((store.now() - began) * 1000))
    _emit(store, _RECORDING, participant.stage_arn, detail)


def composition_event(store: Store, composition: Composition, *, started: bool) -> None:
    """Send a composition's session and destination events as it goes ACTIVE or STOPPED."""
    names: list[tuple[str, str | None]]
    if started:
        names = [("Session Start", None)]
        names += [("Destination Start", d.destination_id) for d in composition.destinations]
    else:
        names = [("Destination End", d.destination_id) for d in composition.destinations]
        names.append(("Session End", None))
    for name, destination_id in names:
        detail: dict[str, Any] = {"event_name": name, "stage_arn": composition.stage_arn}
        if destination_id is not None:
            detail["id"] = destination_id
        _emit(store, _COMPOSITION, composition.arn, detail)
