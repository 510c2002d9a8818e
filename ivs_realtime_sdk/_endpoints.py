"""botocore's endpoint data for ivs-realtime alone, on the sessions the SDK creates.

A botocore session parses its whole ``endpoints.json`` (1.2 MB: every
service of every partition) the first time it creates a client, some tens of
milliseconds of every cold start, such as a new Lambda instance's. The SDK
ships the same file cut down to the partitions and the ``ivsrealtime``
entries (``_endpoints_ivsrealtime.json``, written by
``scripts/prune_endpoints.py``), with the SHA-256 of the file it was cut
from. The cut-down resolver answers every ivs-realtime question exactly as
the whole one does (``tests/test_endpoints.py`` compares them region by
region).

It is used only on a session the SDK created itself, never on one a caller
passed in, and only when botocore would read its own built-in
``endpoints.json`` and that file has the recorded digest; hashing the file
is far cheaper than parsing it. Otherwise botocore loads its data as usual.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any, cast

from ._guard import intact

__all__ = ["PRUNED_PATH", "install", "pruned_data"]

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


def install(boto3_session: Any) -> bool:
    """Give a session the SDK created the cut-down resolver, if botocore's data is as recorded.

    Returns:
        Whether the cut-down resolver is in place.
    """
    from botocore.regions import EndpointResolver

    session = boto3_session._session
    loader = session.get_component("data_loader")
    path = _file_botocore_reads(loader)
    if path is None or path != os.path.join(loader.BUILTIN_DATA_PATH, "endpoints.json"):
        return False
    if not intact("session.endpoints"):
        return False
    data = pruned_data()
    with open(path, "rb") as source:
        if hashlib.sha256(source.read()).hexdigest() != data["source"]["sha256"]:
            return False
    resolver = EndpointResolver(data["endpoints"], uses_builtin_data=True)
    session._register_internal_component("endpoint_resolver", resolver)
    return True
