"""The bus of the EventBridge events the emulator sends: kept, handed to callbacks, POSTed.

It knows envelopes, not resources: ``_events`` builds them from the state.
Events are kept in order (``GET /_emulator/events``). Subscribers (callbacks)
and the webhook get them from one worker thread, in order, outside the
backend's lock, so a callback may call the emulator's API (as a Lambda
function calls IVS) and a slow or failing webhook never holds up an API call.
Change watchers (the web console) hear, on the same thread, of every event
and of every participant event that IVS sends no EventBridge event for.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["WEBHOOK_SECRET_HEADER", "Callback", "EventBus"]

_log = logging.getLogger("ivs_realtime_sdk.local")
#: The header that carries the shared secret, as an EventBridge connection's API key would.
WEBHOOK_SECRET_HEADER = "x-api-key"
_WEBHOOK_ATTEMPTS = 3
_WEBHOOK_BACKOFF = 0.2
_WEBHOOK_TIMEOUT = 5.0

Callback = Callable[[Mapping[str, Any]], None]
# Queued for the worker: "tell the change watchers", an envelope of no event.
_CHANGED: dict[str, Any] = {}


def redacted_url(url: str) -> str:
    """The URL as it may be printed: a user name and password become ``***``."""
    parts = urllib.parse.urlsplit(url)
    if "@" not in parts.netloc:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urllib.parse.urlunsplit(parts._replace(netloc=f"***@{host}"))


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
            redacted_url(self.url),
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
        self._watchers: list[Callable[[], None]] = []
        self._webhook: _Webhook | None = None
        self._queue: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._worker: threading.Thread | None = None

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

    def watch_changes(self, watcher: Callable[[], None]) -> Callable[[], None]:
        """Call ``watcher`` after every event and every :meth:`changed`; return what stops it."""
        with self._lock:
            self._watchers.append(watcher)

        def unwatch() -> None:
            with self._lock:
                if watcher in self._watchers:
                    self._watchers.remove(watcher)

        return unwatch

    # -- sending ------------------------------------------------------------------------

    def emit(self, envelope: dict[str, Any]) -> None:
        """Keep one event and queue it for the callbacks, the webhook and the watchers."""
        with self._lock:
            self._events.append(envelope)
            if not self._callbacks and self._webhook is None and not self._watchers:
                return
            self._start_worker()
        self._queue.put(envelope)

    def changed(self) -> None:
        """Queue a word for the change watchers: the state changed, with no event to send."""
        with self._lock:
            if not self._watchers:
                return
            self._start_worker()
        self._queue.put(_CHANGED)

    def _start_worker(self) -> None:
        if self._worker is None or not self._worker.is_alive():
            self._worker = threading.Thread(
                target=self._deliver, name="ivs-realtime-local-events", daemon=True
            )
            self._worker.start()

    def _deliver(self) -> None:
        while True:
            envelope = self._queue.get()
            try:
                if envelope is None:
                    return
                with self._lock:
                    callbacks, webhook = list(self._callbacks), self._webhook
                    watchers = list(self._watchers)
                for watcher in watchers:
                    try:
                        watcher()
                    except Exception:
                        _log.exception("change watcher %r failed", watcher)
                if envelope is _CHANGED:
                    continue
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

    # -- what the durable store reads and restores ----------------------------------------

    def events_after(self, count: int) -> list[dict[str, Any]]:
        """The events sent after the first ``count`` (not copied: the store only reads them)."""
        with self._lock:
            return self._events[count:]

    def restore(self, events: list[dict[str, Any]]) -> None:
        """Keep ``events`` as sent before, without delivering them again."""
        with self._lock:
            self._events[:0] = events

    def discard(self, account: str, region: str) -> None:
        """Forget the events of one account and region."""
        with self._lock:
            self._events = [
                e for e in self._events if (e.get("account"), e.get("region")) != (account, region)
            ]


def _copy(envelope: Mapping[str, Any]) -> dict[str, Any]:
    copied: dict[str, Any] = json.loads(json.dumps(envelope))
    return copied
