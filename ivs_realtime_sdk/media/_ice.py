"""Which local addresses ICE gathers candidates on.

aioice gathers on every interface but loopback. A peer of a loopback
endpoint (the emulator, or a client of it) can only be reached on loopback,
and must not listen anywhere else; :func:`loopback_only` makes the peer
connections set up inside it gather on loopback alone. The choice rides on
a context variable, so peers of real stages in the same process are not
touched. aioice's address lookup is wrapped once, on first use.
"""

from __future__ import annotations

import contextvars
import ipaddress
from collections.abc import Callable, Generator
from contextlib import contextmanager
from urllib.parse import urlsplit

import aioice.ice

__all__ = ["is_loopback_url", "loopback_only"]

_ADDRESSES: contextvars.ContextVar[tuple[str, ...] | None] = contextvars.ContextVar(
    "ivs_realtime_sdk_ice_addresses", default=None
)
_installed = False


def _install() -> None:
    global _installed
    if _installed:
        return
    original: Callable[[bool, bool], list[str]] = aioice.ice.get_host_addresses

    def get_host_addresses(use_ipv4: bool, use_ipv6: bool) -> list[str]:
        chosen = _ADDRESSES.get()
        if chosen is None:
            return original(use_ipv4, use_ipv6)
        return [a for a in chosen if (":" in a and use_ipv6) or (":" not in a and use_ipv4)]

    aioice.ice.get_host_addresses = get_host_addresses
    _installed = True


def is_loopback_url(url: str) -> bool:
    """Tell whether ``url``'s host is a loopback address or ``localhost``."""
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@contextmanager
def loopback_only(enabled: bool = True) -> Generator[None]:
    """Within the block (and tasks started in it), ICE gathers on 127.0.0.1 only."""
    if not enabled:
        yield
        return
    _install()
    token = _ADDRESSES.set(("127.0.0.1",))
    try:
        yield
    finally:
        _ADDRESSES.reset(token)
