"""Client creation without the work the SDK does not need.

Two parts of a botocore session's first client creation serve every other
service but not ours, and cost tens of milliseconds of every cold start (a
new Lambda instance's, say):

- Its loader lists every installed service directory (about 400), twice,
  only to check that the service asked for exists; ``_OneServiceLoader``
  skips that listing for ivs-realtime and loads it exactly as botocore does.
  It is the loader of every client the facades create, since that loader
  is the SDK's own whatever session was passed in.
- It parses its whole ``endpoints.json`` (1.2 MB: every service of every
  partition). The SDK ships that file cut down to the partitions and the
  ``ivsrealtime`` entries (``_endpoints_ivsrealtime.json``, written by
  ``scripts/prune_endpoints.py``) with the SHA-256 of the file it was cut
  from; the cut-down resolver answers every ivs-realtime question exactly as
  the whole one does (``tests/test_startup.py`` compares them region by
  region).

Both go on the SDK's own copy of the session, the one its clients come from,
whether the SDK created the session or a caller passed it in: the caller's
session and its other clients keep botocore's loader and whole data. The
endpoint data is used only when botocore would read its own built-in
``endpoints.json``, that file has the recorded digest (hashing the file is
far cheaper than parsing it), and the session has not built its resolver
yet. Each part is used only while the botocore internals it relies on are
the reviewed ones (``_guard``). Otherwise botocore loads its data as usual.
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from .._once import once
from ._guard import file_sha256, intact

__all__ = ["PRUNED_PATH", "loader_class", "pruned_data", "use_own_endpoint_data"]

#: The cut-down endpoint data and its provenance.
PRUNED_PATH = Path(__file__).resolve().parent / "_endpoints_ivsrealtime.json"


def pruned_data() -> dict[str, Any]:
    """The shipped ``{"source": {"botocore", "sha256"}, "endpoints": ...}``."""
    return cast("dict[str, Any]", json.loads(PRUNED_PATH.read_text("utf-8")))


def _file_botocore_reads(loader: Any) -> str | None:
    # Loader.load_data_with_path("endpoints"): the first search path (an existing
    # directory) holding endpoints.json or endpoints.json.gz wins.
    for directory in loader.search_paths:
        if not os.path.isdir(directory):
            continue
        for extension in (".json", ".json.gz"):
            candidate = os.path.join(directory, "endpoints" + extension)
            if os.path.isfile(candidate):
                return candidate
    return None


def _botocores_default(factory: object) -> bool:
    # The lazy factory botocore's Session registers (a guarded internal): a
    # resolver not yet built, nor replaced by anyone else's.
    from botocore.session import Session

    code = getattr(factory, "__code__", None)
    register = vars(Session)["_register_endpoint_resolver"]
    return code is not None and code in register.__code__.co_consts


def use_own_endpoint_data(session: Any) -> bool:
    """Give the SDK's botocore session the cut-down resolver, if botocore's data is as recorded.

    Used on the SDK's own copy of a session (``_shipped.session_with_shipped_model``),
    only while the session has not built its resolver yet: the copy gets its own
    registry of internal components, so the session it was copied from, and
    every client that session creates, keep botocore's whole data.

    Returns:
        Whether the cut-down resolver is in place.
    """
    from botocore.regions import EndpointResolver

    if not intact("session.endpoints"):
        return False
    internal = session._internal_components
    if not _botocores_default(internal._deferred.get("endpoint_resolver")):
        return False
    loader = session.get_component("data_loader")
    path = _file_botocore_reads(loader)
    if path is None or path != os.path.join(loader.BUILTIN_DATA_PATH, "endpoints.json"):
        return False
    data = pruned_data()
    # botocore's data file cannot change under a running process: hash it once.
    if file_sha256(path) != data["source"]["sha256"]:
        return False
    own = copy.copy(internal)
    own._components = dict(internal._components)
    own._deferred = dict(internal._deferred)
    session._internal_components = own
    resolver = EndpointResolver(data["endpoints"], uses_builtin_data=True)
    session._register_internal_component("endpoint_resolver", resolver)
    return True


@once
def _one_service_loader() -> type[Any]:
    # Defined on first use, so that importing the SDK does not import botocore.
    from botocore import loaders

    from .._service_model import SERVICE_NAME

    base: Any = loaders.Loader
    cached = cast("Callable[[Callable[..., Any]], Callable[..., Any]]", loaders.instance_cache)

    class _OneServiceLoader(base):  # type: ignore[misc]
        """botocore's Loader, minus the listing of every service when ours is asked for."""

        @cached
        def load_service_model(
            self, service_name: str, type_name: str, api_version: str | None = None
        ) -> Any:
            own: Any = self
            if service_name != SERVICE_NAME or not own.list_api_versions(service_name, type_name):
                parent: Any = super()
                return parent.load_service_model(service_name, type_name, api_version)
            # botocore's own steps after its check that the service exists.
            version: str = api_version or own.determine_latest_version(service_name, type_name)
            model: Any = own.load_data(os.path.join(service_name, version, type_name))
            extras: Any = own._find_extras(service_name, type_name, version)
            own._extras_processor.process(model, extras)
            return model

    return _OneServiceLoader


def loader_class() -> type[Any]:
    """The Loader class for the SDK's clients: botocore's, minus the listing if intact."""
    if intact("session.loader"):
        return _one_service_loader()
    from botocore import loaders

    plain: type[Any] = loaders.Loader
    return plain
