"""Operation handlers: read the parameters, call one backend method, render the result.

One module per resource family, named as the SDK's request modules
(``ivs_realtime_sdk/models/_*_requests.py``) group them.
"""

from __future__ import annotations

import importlib
import pkgutil

from ._registry import HANDLERS, Handler

# Every module here but the registry is a family; importing it fills HANDLERS. Found,
# not listed, so a new family module is served without being named a second time.
FAMILIES = tuple(
    importlib.import_module(f"{__name__}.{module.name}")
    for module in pkgutil.iter_modules(__path__)
    if module.name != "_registry"
)

__all__ = ["FAMILIES", "HANDLERS", "Handler"]
