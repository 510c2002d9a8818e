"""Optional dependencies, imported on first use with a typed error naming the extra."""

from __future__ import annotations

import importlib
from types import ModuleType

from .errors import MissingExtraError

__all__ = ["require_aioboto3"]


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
