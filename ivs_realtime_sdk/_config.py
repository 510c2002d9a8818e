"""The botocore Config both facades start from, merged under the user's own."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from botocore.config import Config

__all__ = [
    "DEFAULT_CONNECT_TIMEOUT",
    "DEFAULT_MAX_ATTEMPTS",
    "DEFAULT_READ_TIMEOUT",
    "client_config",
]

SERVICE_NAME = "ivs-realtime"
#: Total attempts per call, the first one included (botocore's ``total_max_attempts``;
#: its ``max_attempts`` counts retries only).
DEFAULT_MAX_ATTEMPTS = 4
#: Seconds to wait for a connection.
DEFAULT_CONNECT_TIMEOUT = 5.0
#: Seconds to wait for a response.
DEFAULT_READ_TIMEOUT = 30.0


def client_config(user: Config | None) -> Config:
    """Return the SDK's defaults with the user's Config merged over them.

    Parameter validation is off because every request was already validated,
    more strictly, when its model was built. A user's ``retries`` without a
    ``mode`` keeps the SDK's standard mode.
    """
    from botocore.config import Config

    from . import __version__

    defaults = Config(
        retries={"mode": "standard", "total_max_attempts": DEFAULT_MAX_ATTEMPTS},
        connect_timeout=DEFAULT_CONNECT_TIMEOUT,
        read_timeout=DEFAULT_READ_TIMEOUT,
        parameter_validation=False,
        user_agent_appid=None,
        user_agent_extra=f"ivs-realtime-sdk/{__version__}",
    )
    if user is None:
        return defaults
    merged = defaults.merge(user)
    retries: dict[str, Any] | None = getattr(user, "retries", None)
    if retries is not None and "mode" not in retries:
        # Config.merge replaces the whole retries dict; without this, giving only
        # max_attempts would silently fall back to botocore's legacy mode.
        merged = merged.merge(Config(retries={"mode": "standard", **retries}))
    return merged
