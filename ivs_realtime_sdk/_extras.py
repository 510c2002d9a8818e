"""Optional extras: whether one is installed, and the typed error when it is not."""

from __future__ import annotations

import importlib.util

from .errors import MediaUnavailableError

__all__ = ["MEDIA_EXTRA", "has_media", "require_media"]

MEDIA_EXTRA = "media"
# The modules the [media] extra brings that the SDK imports itself.
_MEDIA_MODULES = ("aiortc", "av")


def has_media() -> bool:
    """Tell whether the ``[media]`` extra's modules can be imported."""
    return all(importlib.util.find_spec(name) is not None for name in _MEDIA_MODULES)


def require_media(feature: str) -> None:
    """Raise :class:`MediaUnavailableError` naming the extra unless it is installed.

    Args:
        feature: What needs the extra, for the message.
    """
    missing = [name for name in _MEDIA_MODULES if importlib.util.find_spec(name) is None]
    if missing:
        raise MediaUnavailableError(
            f"{feature} needs the [{MEDIA_EXTRA}] extra ({', '.join(missing)} not installed):"
            f" pip install 'ivs-realtime-sdk[{MEDIA_EXTRA}]'"
        )
