"""Optional extras: whether one is installed, and the typed error naming it when not."""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType

from .errors import MediaUnavailableError, MissingExtraError

__all__ = ["MEDIA_EXTRA", "has_media", "require_aioboto3", "require_media"]

MEDIA_EXTRA = "media"
# The modules the [media] extra brings that the SDK imports itself.
_MEDIA_MODULES = ("aiortc", "av")


def require_aioboto3() -> ModuleType:
    """Return the ``aioboto3`` module, which only the ``async`` extra installs.

    Raises:
        MissingExtraError: aioboto3 is not installed (or not importable).
    """
    try:
        aioboto3 = importlib.import_module("aioboto3")
    except ImportError as exc:
        raise MissingExtraError(
            "async",
            "AsyncIVSRealTime needs aioboto3, which the 'async' extra installs: "
            "pip install 'ivs-realtime-sdk[async]'",
        ) from exc
    return aioboto3


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
