"""Backends per account and region, as AWS keeps them (and moto keeps its backends).

A request's account and region pick its backend: the router reads them from
the SigV4 credential scope. Backends are made on first use; all of them
share one event bus, so listeners and the webhook get every account's events.
With a state directory, every backend is restored from the durable store at
start and written through to it after each public method.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable

from ._backend import Backend
from ._bus import EventBus
from ._durable import pieces, restore
from ._errors import ServiceException
from ._ids import default_clock
from ._state import Quotas
from ._store_sqlite import SqliteStore
from ._tokens import peek_stage_arn

__all__ = ["MAX_SCOPES", "Accounts"]

#: How many (account, region) backends one emulator keeps; beyond, requests are refused.
MAX_SCOPES = 1000


class Accounts:
    """Every backend of one emulator, by (account id, region)."""

    def __init__(
        self,
        *,
        account_id: str,
        region: str,
        quotas: Quotas | None = None,
        clock: Callable[[], float] = default_clock,
        state_dir: str | os.PathLike[str] | None = None,
    ) -> None:
        """Make the default backend; with ``state_dir``, restore every stored backend first.

        Raises:
            StateDirectoryError: The state directory cannot be used (nothing in it is changed).
        """
        self.event_bus = EventBus()
        """Shared by every backend."""
        self.started = time.time()
        self._quotas = quotas
        self._clock = clock
        self._lock = threading.Lock()
        self._backends: dict[tuple[str, str], Backend] = {}
        # Where the emulator listens: every backend's stage endpoints name it.
        self._base_url: str | None = None
        self._ingest_urls: dict[str, str] = {}
        self._store = SqliteStore(state_dir) if state_dir is not None else None
        if self._store is not None:
            self._restore(self._store)
        self.default = self.get(account_id, region)
        """The backend of ``--account-id`` and ``--region``: unsigned requests use it."""

    @property
    def state_dir(self) -> str | None:
        """The state directory, or None when state is kept in memory."""
        return str(self._store.directory) if self._store is not None else None

    def get(self, account_id: str, region: str) -> Backend:
        """The backend of one account and region, made on first use.

        Raises:
            ServiceException: Already :data:`MAX_SCOPES` accounts and regions (403).
        """
        key = (account_id, region)
        backend = self._backends.get(key)
        if backend is not None:
            return backend
        with self._lock:
            backend = self._backends.get(key)
            if backend is None:
                if len(self._backends) >= MAX_SCOPES:
                    raise ServiceException(
                        f"The emulator keeps at most {MAX_SCOPES} accounts and regions",
                        code="AccessDeniedException",
                        status=403,
                    )
                backend = self._make(account_id, region)
                self._attach(backend)
                # Written at once, so its signing key survives a restart.
                backend.counts()
        return backend

    def set_endpoints(
        self, *, base_url: str | None = None, ingest_urls: dict[str, str] | None = None
    ) -> None:
        """Set where the emulator listens, for every backend now and made later.

        Args:
            base_url: The HTTP URL (its WHIP and events endpoints); None keeps it.
            ingest_urls: The RTMP(S) ingest URLs by protocol; None keeps them.
        """
        with self._lock:
            if base_url is not None:
                self._base_url = base_url
            if ingest_urls is not None:
                self._ingest_urls = dict(ingest_urls)
            backends = list(self._backends.values())
        for backend in backends:
            self._point(backend)

    def _point(self, backend: Backend) -> None:
        if self._base_url is not None:
            backend.base_url = self._base_url
        backend.ingest_urls = self._ingest_urls

    def find(self, account_id: str, region: str) -> Backend | None:
        """The backend of one account and region if it exists (never made here)."""
        return self._backends.get((account_id, region))

    def of_token(self, token: str) -> Backend:
        """The backend of a token's stage (its account and region), else the default's.

        Raises:
            JoinRefusedError: ``malformed_token``: not a JWT, or no stage claim.
        """
        arn = peek_stage_arn(token).split(":")
        found = self.find(arn[4], arn[3]) if len(arn) > 4 else None
        return found or self.default

    def all(self) -> list[Backend]:
        """Every backend, in the order made."""
        with self._lock:
            return list(self._backends.values())

    def reset(self, account_id: str | None = None, region: str | None = None) -> None:
        """Forget the resources and events of one account and region, or of all of them."""
        for backend in self.all():
            if account_id is not None and backend.account_id != account_id:
                continue
            if region is not None and backend.region != region:
                continue
            backend.forget_resources()
            if account_id is None and region is None:
                continue
            self.event_bus.discard(backend.account_id, backend.region)
        if account_id is None and region is None:
            self.event_bus.clear()
        if self._store is not None:
            self._store.replace_events(self.event_bus.events_after(0))

    def close(self) -> None:
        """Close the durable store, if any (everything is already written)."""
        if self._store is not None:
            self._store.close()

    # -- making and restoring --------------------------------------------------------------

    def _make(self, account_id: str, region: str) -> Backend:
        backend = Backend(
            region=region,
            account_id=account_id,
            quotas=self._quotas,
            clock=self._clock,
            event_bus=self.event_bus,
        )
        self._backends[(account_id, region)] = backend
        self._point(backend)
        return backend

    def _attach(self, backend: Backend) -> None:
        store = self._store
        if store is None:
            return
        scope = (backend.account_id, backend.region)
        state = backend.state
        events_after = self.event_bus.events_after
        backend.on_change = lambda: store.save(scope, pieces(state), events_after)

    def _restore(self, store: SqliteStore) -> None:
        scopes, events = store.load()
        self.event_bus.restore(events)
        restored: list[Backend] = []
        for (account_id, region), stored in scopes.items():
            backend = self._make(account_id, region)
            restore(backend.state, stored)
            restored.append(backend)
        for backend in restored:
            self._attach(backend)
            # The connections of the process that wrote the file are gone.
            backend.disconnect_everyone()
