"""The botocore Config both facades start from, merged under the user's own."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from botocore.config import Config

__all__ = [
    "DEFAULT_CONNECT_TIMEOUT",
    "DEFAULT_MAX_ATTEMPTS",
    "DEFAULT_READ_TIMEOUT",
    "client_config",
]

SERVICE_NAME = "ivs-realtime"
#: Total attempts per call, the first one included (botocore's standard mode).
DEFAULT_MAX_ATTEMPTS = 4
#: Seconds to wait for a connection.
DEFAULT_CONNECT_TIMEOUT = 5.0
#: Seconds to wait for a response.
DEFAULT_READ_TIMEOUT = 30.0


def client_config(user: Config | None) -> Config:
    """Return the SDK's defaults with the user's Config merged over them.

    Parameter validation is off because every request was already validated,
    more strictly, when its model was built.
    """
    from botocore.config import Config

    from . import __version__

    defaults = Config(
        retries={"mode": "standard", "max_attempts": DEFAULT_MAX_ATTEMPTS},
        connect_timeout=DEFAULT_CONNECT_TIMEOUT,
        read_timeout=DEFAULT_READ_TIMEOUT,
        parameter_validation=False,
        user_agent_appid=None,
        user_agent_extra=f"ivs-realtime-sdk/{__version__}",
    )
    return defaults if user is None else defaults.merge(user)
