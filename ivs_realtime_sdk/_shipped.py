"""The ivs-realtime service model the SDK ships, and the botocore sessions that load it.

``_data/ivs-realtime/2020-07-14/`` holds ``service-2.json`` and
``paginators-1.json`` copied from a botocore wheel by
``scripts/refresh_model.py``; ``_data/SOURCE.json`` records which release.
It is the one source of truth for operations, members and limits: the
facades' clients, the emulator and the tests all read it, never the model of
the botocore that happens to be installed (aioboto3 pins an old one).

Clients the facades create get it through botocore's own mechanism, a
``Loader`` whose first search path is ``_data``. The loader goes on a copy of
the caller's botocore session, so the caller's session, its loader and its
other clients are left exactly as they were.
"""

from __future__ import annotations

import copy
import json
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from ._once import once
from ._service_model import API_VERSION, SERVICE_NAME
from .errors import ServiceModelError

if TYPE_CHECKING:
    from botocore.loaders import Loader

__all__ = [
    "API_VERSION",
    "DATA_ROOT",
    "SERVICE_NAME",
    "check_service_data",
    "load",
    "operation_count",
    "service_model",
    "session_with_shipped_model",
    "source",
]

DATA_ROOT = Path(__file__).resolve().parent / "_data"
_ENDPOINT_PREFIX = "ivsrealtime"


def _path(type_name: str) -> Path:
    return DATA_ROOT / SERVICE_NAME / API_VERSION / f"{type_name}.json"


def source() -> Mapping[str, Any]:
    """Return where the shipped model came from: ``{"botocore": "1.44.8", ...}``."""
    return cast("dict[str, Any]", json.loads((DATA_ROOT / "SOURCE.json").read_text("utf-8")))


@once
def load(type_name: str) -> Mapping[str, Any]:
    """Return the shipped ``service-2`` or ``paginators-1`` data, read once.

    Raises:
        ServiceModelError: The file is missing, is not JSON, or is not the
            ivs-realtime 2020-07-14 model.
    """
    path = _path(type_name)
    try:
        data: object = json.loads(path.read_text("utf-8"))
    except OSError as exc:
        raise ServiceModelError(
            f"the shipped {type_name} model is missing ({path}): reinstall ivs-realtime-sdk"
        ) from exc
    except ValueError as exc:
        raise ServiceModelError(
            f"the shipped {type_name} model ({path}) is not JSON: {exc}"
        ) from exc
    if not isinstance(data, dict):
        raise ServiceModelError(f"the shipped {type_name} model ({path}) is not a JSON object")
    raw = cast("dict[str, Any]", data)
    if type_name == "service-2":
        check_service_data(raw, str(path))
    return raw


def check_service_data(data: Mapping[str, Any], where: str) -> None:
    """Check that ``data`` is a usable ivs-realtime 2020-07-14 service model.

    Every operation must name an HTTP method, a request URI, and input and
    output shapes that exist, so that later lookups cannot fail with a bare
    ``KeyError``.

    Raises:
        ServiceModelError: Naming ``where`` and the first problem found.
    """
    metadata = data.get("metadata")
    operations = data.get("operations")
    shapes = data.get("shapes")
    if not isinstance(metadata, dict) or not isinstance(operations, dict):
        raise ServiceModelError(f"{where}: not a botocore service model (no metadata/operations)")
    if not isinstance(shapes, dict):
        raise ServiceModelError(f"{where}: not a botocore service model (no shapes)")
    meta = cast("dict[str, Any]", metadata)
    found = (meta.get("endpointPrefix"), meta.get("apiVersion"))
    if found != (_ENDPOINT_PREFIX, API_VERSION):
        raise ServiceModelError(
            f"{where}: the model of {found[0]!r} {found[1]!r}, "
            f"not of {SERVICE_NAME} {API_VERSION} ({_ENDPOINT_PREFIX!r})"
        )
    for name, raw in cast("dict[str, Any]", operations).items():
        operation = _mapping(raw) or {}
        http = _mapping(operation.get("http"))
        if http is None or not {"method", "requestUri"} <= http.keys():
            raise ServiceModelError(f"{where}: operation {name} has no HTTP method and URI")
        for part in ("input", "output"):
            if part in operation:
                ref = _mapping(operation[part])
                if ref is None or ref.get("shape") not in shapes:
                    raise ServiceModelError(f"{where}: operation {name} names no {part} shape")


def _mapping(value: object) -> Mapping[str, Any] | None:
    return cast("dict[str, Any]", value) if isinstance(value, dict) else None


@once
def service_model() -> Any:
    """Return botocore's ``ServiceModel`` of the shipped model (built once).

    The one door to the model: the facades' conformance, the emulator's routes
    and validation and the documented operation count all read it here. Typed
    ``Any``, as botocore's models are untyped.
    """
    from botocore.model import ServiceModel

    model: Any = ServiceModel(dict(load("service-2")), service_name=SERVICE_NAME)
    return model


def operation_count() -> int:
    """How many operations the shipped model has: the count the docs state."""
    return len(service_model().operation_names)


class _CachedLoader:
    """Builds one ``Loader`` per class and distinct search path list, reused by every facade.

    A Loader caches what it reads; one per facade would read the model again
    for every client.
    """

    def __init__(self) -> None:
        self._loaders: dict[tuple[type[Loader], tuple[str, ...]], Loader] = {}
        self._lock = threading.Lock()

    def get(self, loader_class: type[Loader], search_paths: tuple[str, ...]) -> Loader:
        key = (loader_class, search_paths)
        loader = self._loaders.get(key)
        if loader is None:
            with self._lock:  # one Loader per key, even when facades are built at once
                loader = self._loaders.get(key)
                if loader is None:
                    loader = loader_class(
                        extra_search_paths=[str(DATA_ROOT), *search_paths],
                        include_default_search_paths=False,
                    )
                    self._loaders[key] = loader
        return loader


_LOADERS = _CachedLoader()


def session_with_shipped_model(boto3_session: Any, loader_class: type[Loader] | None = None) -> Any:
    """Return a copy of a boto3 (or aioboto3) session's botocore session that loads our model.

    Its ``create_client`` makes clients of the shipped model. The copy shares
    the session's configuration, credentials and event handlers; only its
    ``data_loader`` differs: the shipped ``_data`` comes first, then the
    session's own search paths (so ``AWS_DATA_PATH`` and the other services
    still load as before). The session itself is not changed.

    Args:
        boto3_session: The session to copy.
        loader_class: botocore's ``Loader`` or a subclass (the tunings' one,
            which finds ivs-realtime without listing every service).
    """
    if loader_class is None:
        from botocore.loaders import Loader

        loader_class = Loader
    session = boto3_session._session
    own_loader = session.get_component("data_loader")
    loader = _LOADERS.get(loader_class, tuple(str(p) for p in own_loader.search_paths))
    clone = copy.copy(session)
    # A fresh component locator: registering our loader on the shared one would
    # switch the caller's session, and every client it creates later, to it.
    components = copy.copy(session._components)
    components._components = dict(session._components._components)
    components._deferred = dict(session._components._deferred)
    components.register_component("data_loader", loader)
    clone._components = components
    return clone
