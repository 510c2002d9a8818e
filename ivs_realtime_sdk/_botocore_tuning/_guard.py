"""Source fingerprints of the botocore internals that the SDK's tunings rely on.

The clients the SDK creates are tuned (``_wire``, ``_sigv4``, ``_one_send``):
each tuning replaces or wraps a private part of botocore, urllib3 or
aiobotocore, and is right only for the code it was written against. So
each tuning names the internals it relies on, and the SHA-256 of their source
code that was reviewed with it (aiobotocore guards its own overrides the same
way, in ``tests/test_patches.py``).

- At run time, a tuning is installed only when every internal it names still
  has a reviewed fingerprint; otherwise the client keeps botocore's own path
  for that part, and a debug log line names what changed. A module whose whole
  file is byte-identical to a reviewed one passes without reading its
  functions: that costs a hash, not a parse.
- ``tests/test_guard.py`` fails when any of them differs, so that an upgrade
  of botocore, urllib3 or aiobotocore is reviewed before it ships.

The reviewed fingerprints are data, not code: ``_reviewed.json`` beside this
module, read once on first use. To review an upgrade: read the changed
internal, adapt the tuning if needed, then add the new fingerprints (the test
prints them) to that file.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
import json
import linecache
import logging
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import CodeType, FunctionType
from typing import NamedTuple, cast

from .._once import once

__all__ = [
    "REVIEWED_PATH",
    "TUNINGS",
    "Reviewed",
    "changed",
    "fingerprint",
    "intact",
    "reviewed",
]

_log = logging.getLogger("ivs_realtime_sdk")

#: Each tuning, by facade, and the internals it relies on (``module:Qualified.name``).
TUNINGS: Mapping[str, tuple[str, ...]] = {
    # _wire: 2xx bodies read with one json.loads; errors still go to botocore's parser.
    "sync.reader": (
        "botocore.endpoint:Endpoint._do_get_response",
        "botocore.endpoint:convert_to_response_dict",
        "botocore.parsers:ResponseParser",
        "botocore.parsers:BaseJSONParser",
        "botocore.parsers:BaseRestParser",
        "botocore.parsers:RestJSONParser",
    ),
    "async.reader": (
        "aiobotocore.endpoint:AioEndpoint._do_get_response",
        "aiobotocore.endpoint:convert_to_response_dict",
        "aiobotocore.parsers:AioRestJSONParser",
        "botocore.parsers:ResponseParser",
        "botocore.parsers:BaseJSONParser",
        "botocore.parsers:BaseRestParser",
        "botocore.parsers:RestJSONParser",
    ),
    # _wire: bodies of POST /Operation written with one json.dumps.
    "sync.serializer": (
        "botocore.client:BaseClient._convert_to_request_dict",
        "botocore.serialize:Serializer",
        "botocore.serialize:JSONSerializer",
        "botocore.serialize:BaseRestSerializer",
        "botocore.serialize:RestJSONSerializer",
    ),
    "async.serializer": (
        "aiobotocore.client:AioBaseClient._convert_to_request_dict",
        "botocore.serialize:Serializer",
        "botocore.serialize:JSONSerializer",
        "botocore.serialize:BaseRestSerializer",
        "botocore.serialize:RestJSONSerializer",
    ),
    # _wire: the User-Agent header kept per set of metrics features.
    "sync.user_agent": (
        "botocore.useragent:UserAgentString",
        "botocore.context:get_context",
        "botocore.client:BaseClient._convert_to_request_dict",
    ),
    "async.user_agent": (
        "botocore.useragent:UserAgentString",
        "botocore.context:get_context",
        "aiobotocore.client:AioBaseClient._convert_to_request_dict",
    ),
    # _sigv4: botocore's SigV4 with cheaper bookkeeping.
    "sync.sigv4": (
        "botocore.auth:SigV4Auth",
        "botocore.auth:_host_from_url",
        "botocore.awsrequest:AWSRequest",
        "botocore.awsrequest:AWSRequestPreparer._prepare_body",
        "botocore.signers:RequestSigner.sign",
        "botocore.signers:RequestSigner.get_auth_instance",
    ),
    "async.sigv4": (
        "botocore.auth:SigV4Auth",
        "botocore.auth:_host_from_url",
        "botocore.awsrequest:AWSRequest",
        "botocore.awsrequest:AWSRequestPreparer._prepare_body",
        "aiobotocore.signers:AioRequestSigner.sign",
        "aiobotocore.signers:AioRequestSigner.get_auth_instance",
    ),
    # _own_session: the endpoint data of ivs-realtime alone, on sessions the SDK creates.
    "session.endpoints": (
        "botocore.session:Session._register_endpoint_resolver",
        "botocore.session:Session._register_internal_component",
        "botocore.loaders:Loader.load_data_with_path",
        "botocore.loaders:Loader._potential_locations",
        "botocore.loaders:JSONFileLoader",
        "botocore.regions:EndpointResolver",
    ),
    # _own_session: ivs-realtime's model found without listing every service.
    "session.loader": (
        "botocore.loaders:Loader.__init__",
        "botocore.loaders:Loader.load_service_model",
        "botocore.loaders:Loader.list_api_versions",
        "botocore.loaders:Loader.determine_latest_version",
        "botocore.loaders:Loader._find_extras",
    ),
    # _one_send: the request head and body in one send().
    "sync.one_send": (
        "botocore.awsrequest:AWSConnection",
        "botocore.httpsession:URLLib3Session.__init__",
        "botocore.httpsession:URLLib3Session._get_proxy_manager",
        "urllib3.connection:HTTPConnection.request",
        "urllib3.connection:HTTPConnection.getresponse",
    ),
}

#: The reviewed fingerprints, beside this module; read on first use (``reviewed``).
REVIEWED_PATH = Path(__file__).with_name("_reviewed.json")


class Reviewed(NamedTuple):
    """The fingerprints reviewed with the tunings, as ``_reviewed.json`` records them.

    More than one per internal where several releases were reviewed; the file
    names which (``reviewed_with``). Between those botocore releases the guarded
    internals changed only in ways the tunings do not depend on (the protocol
    lookup, messages, timestamp precision and the query-compatible header of
    other services, bearer tokens, the 100-continue status line).
    """

    internals: Mapping[str, frozenset[str]]
    """Each guarded internal's reviewed source fingerprints."""
    files: Mapping[str, frozenset[str]]
    """Each guarded module's reviewed file digests: the fast path of the check."""


_reviewed: Reviewed | None = None
_reviewed_lock = threading.Lock()


def _read_reviewed() -> Reviewed:
    try:
        data = json.loads(REVIEWED_PATH.read_text("utf-8"))
        return Reviewed(
            internals={k: frozenset(v) for k, v in data["internals"].items()},
            files={k: frozenset(v) for k, v in data["files"].items()},
        )
    except (OSError, ValueError, KeyError, AttributeError, TypeError) as exc:
        # Nothing reviewed can be trusted: every tuning keeps botocore's own path.
        _log.debug("botocore's own path kept for every tuning: %s: %s", REVIEWED_PATH, exc)
        return Reviewed(internals={}, files={})


def reviewed() -> Reviewed:
    """The reviewed fingerprints, read once per process, on first use, by one thread."""
    global _reviewed
    known = _reviewed
    if known is None:
        with _reviewed_lock:
            if _reviewed is None:
                _reviewed = _read_reviewed()
            known = _reviewed
    return known


def _code_lines(code: CodeType) -> Iterator[int]:
    for _, _, line in code.co_lines():
        if line is not None:
            yield line
    for const in code.co_consts:
        if isinstance(const, CodeType):
            yield from _code_lines(const)


def _function_source(function: FunctionType) -> str | None:
    code = inspect.unwrap(function).__code__
    lines = linecache.getlines(code.co_filename)
    if not lines:
        return None
    last = max(_code_lines(code), default=code.co_firstlineno)
    return "".join(lines[code.co_firstlineno - 1 : last])


def _member_source(name: str, member: object) -> str | None:
    if isinstance(member, staticmethod | classmethod):
        member = cast(object, member.__func__)
    if isinstance(member, property):
        parts = [
            _member_source(f"{name}.{part}", f)
            for part, f in (("get", member.fget), ("set", member.fset), ("del", member.fdel))
            if f is not None
        ]
        return None if None in parts else "".join(p or "" for p in parts)
    if isinstance(member, FunctionType):
        return _function_source(member)
    if isinstance(member, frozenset | set):
        # Sorted: a set's repr follows string hashing, which varies by process.
        return repr(sorted(map(repr, cast("frozenset[object]", member))))
    if member is None or isinstance(member, str | int | float | bool | tuple):
        return repr(cast(object, member))
    return f"<{type(member).__name__}>"


#: Class attributes that are not code: ``copy`` caches ``__slotnames__`` on first use.
_NOT_SOURCE = frozenset({"__dict__", "__weakref__", "__doc__", "__module__", "__slotnames__"})


def _source(target: object) -> str | None:
    if isinstance(target, type):
        parts: list[str] = []
        for name, member in sorted(vars(target).items()):
            if name in _NOT_SOURCE:
                continue
            source = _member_source(name, member)
            if source is None:
                return None
            parts.append(f"{name}\n{source}")
        return "\n".join(parts)
    if isinstance(target, FunctionType):
        return _function_source(target)
    return None


def _resolve(internal: str) -> object:
    module_name, _, qualified = internal.partition(":")
    target: object = importlib.import_module(module_name)
    for part in qualified.split("."):
        target = getattr(target, part)
    return target


def fingerprint(internal: str) -> str | None:
    """The SHA-256 of an internal's source as installed; None if it cannot be read."""
    try:
        source = _source(_resolve(internal))
    except (ImportError, AttributeError):
        return None
    if source is None:
        return None
    return hashlib.sha256(source.encode()).hexdigest()


@once
def file_sha256(path: str) -> str:
    """The SHA-256 of a file's bytes, read once per process (until ``forget``).

    Raises:
        OSError: The file cannot be read.
    """
    with open(path, "rb") as source:
        return hashlib.sha256(source.read()).hexdigest()


def file_digest(module_name: str) -> str | None:
    """The SHA-256 of a module's source file as installed; None if it cannot be read."""
    try:
        path = importlib.import_module(module_name).__file__
        if path is None:
            return None
        return file_sha256(path)
    except (ImportError, OSError):
        return None


_file_digests: dict[str, str | None] = {}
#: Guards the digests and verdicts cached below: each is computed once, by one
#: thread, even when many facades are built at once (no reliance on the GIL).
_checks_lock = threading.RLock()


def _reviewed_file(module_name: str) -> bool:
    # The fast path: a byte-identical file holds every internal as reviewed, and
    # hashing a file is far cheaper than finding each function's source in it.
    with _checks_lock:
        if module_name not in _file_digests:
            _file_digests[module_name] = file_digest(module_name)
        digest = _file_digests[module_name]
    return digest in reviewed().files.get(module_name, frozenset())


def _functions(target: object) -> Iterator[object]:
    if isinstance(target, type):
        for member in vars(target).values():
            if isinstance(member, staticmethod | classmethod):
                member = cast(object, member.__func__)
            if isinstance(member, property):
                yield from (f for f in (member.fget, member.fset, member.fdel) if f is not None)
            elif isinstance(member, FunctionType):
                yield member
    else:
        yield target


def _from_file(internal: str) -> bool:
    """Whether an internal, as loaded, is exactly the code compiled from its module's file.

    A reviewed file says nothing of what was replaced in memory since (by a
    test, a tracer, another library): every function must still come from it.
    """
    module_name = internal.partition(":")[0]
    try:
        path = importlib.import_module(module_name).__file__
        functions = list(_functions(_resolve(internal)))
    except (ImportError, AttributeError):
        return False
    return all(
        isinstance(f, FunctionType)
        and not hasattr(f, "__wrapped__")
        and f.__code__.co_filename == path
        for f in functions
    )


def changed(tuning: str) -> list[str]:
    """The internals of a tuning whose installed source was not reviewed."""
    return [
        internal
        for internal in TUNINGS[tuning]
        if not (_reviewed_file(internal.partition(":")[0]) and _from_file(internal))
        and fingerprint(internal) not in reviewed().internals.get(internal, frozenset())
    ]


_intact: dict[str, bool] = {}


def intact(tuning: str) -> bool:
    """Whether a tuning may be installed: its internals are all as reviewed (cached)."""
    known = _intact.get(tuning)
    if known is None:
        with _checks_lock:
            known = _intact.get(tuning)
            if known is None:
                differing = changed(tuning)
                if differing:
                    _log.debug("botocore's own path kept for %s: changed %s", tuning, differing)
                known = _intact[tuning] = not differing
    return known


def forget() -> None:
    """Check the internals again at the next install (for tests that replace one)."""
    with _checks_lock:
        _intact.clear()
        _file_digests.clear()
        file_sha256.cache_clear()


def reviewed_now() -> dict[str, str | None]:
    """Every guarded internal and its installed fingerprint: what a review records."""
    return {internal: fingerprint(internal) for names in TUNINGS.values() for internal in names}


def reviewed_files_now() -> dict[str, str | None]:
    """Every module holding a guarded internal, and its file's installed digest."""
    modules = {internal.partition(":")[0] for names in TUNINGS.values() for internal in names}
    return {module: file_digest(module) for module in sorted(modules)}
