"""The botocore Config both facades start from, merged under the user's own."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from botocore.config import Config

__all__ = [
    "DEFAULT_CONNECT_TIMEOUT",
    "DEFAULT_MAX_ATTEMPTS",
    "DEFAULT_READ_TIMEOUT",
    "checked_endpoint_url",
    "client_config",
]

#: Total attempts per call, the first one included (botocore's ``total_max_attempts``;
#: its ``max_attempts`` counts retries only).
DEFAULT_MAX_ATTEMPTS = 4
#: Seconds to wait for a connection.
DEFAULT_CONNECT_TIMEOUT = 5.0
#: Seconds to wait for a response.
DEFAULT_READ_TIMEOUT = 30.0


_SCHEMES = ("http", "https")


def checked_endpoint_url(endpoint_url: str | None) -> str | None:
    """Return ``endpoint_url`` unchanged, or raise ConfigurationError saying how to fix it.

    botocore would refuse a URL without a scheme (``127.0.0.1:4566``) with a
    bare ``ValueError: Invalid endpoint``, and the async facade only when it
    first connects; both facades check here, when they are built.
    """
    from urllib.parse import urlsplit

    from .errors import ConfigurationError

    if endpoint_url is None:
        return None
    if not isinstance(endpoint_url, str):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise ConfigurationError(
            f"endpoint_url must be a str such as 'http://127.0.0.1:4566', "
            f"got {type(endpoint_url).__name__}"
        )
    if "://" not in endpoint_url:
        raise ConfigurationError(
            f"endpoint_url {endpoint_url!r} has no scheme; give the whole URL, "
            f"such as 'http://{endpoint_url}'"
        )
    parts = urlsplit(endpoint_url)
    if parts.scheme.lower() not in _SCHEMES:
        raise ConfigurationError(
            f"endpoint_url {endpoint_url!r} has the scheme {parts.scheme!r}; "
            "it must be http:// or https://"
        )
    if not parts.hostname:
        raise ConfigurationError(f"endpoint_url {endpoint_url!r} names no host")
    return endpoint_url


def client_config(user: Config | None) -> Config:
    """Return the SDK's defaults with the user's Config merged over them.

    Parameter validation is off because every request was already validated,
    more strictly, when its model was built. A user's ``retries`` without a
    ``mode`` keeps the SDK's standard mode.
    """
    from botocore.config import Config

    from ._version import __version__

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
