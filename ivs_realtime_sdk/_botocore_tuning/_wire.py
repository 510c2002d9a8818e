"""Tuning installed on the clients the SDK creates: its own reading of successful responses.

botocore parses every response by walking the operation's output shape and
parsing each timestamp with dateutil; then the SDK walks the same data again
to build models. On a CreateStage with 12 tokens that walk is about half of
the call. Our parsers (``_parsing``) check every type and read timestamps
themselves, so for a 2xx response this reader hands them ``json.loads`` of
the body directly. Error responses still go through botocore's own parser,
so error codes, messages and retries behave exactly as in boto3.

It is installed only on clients the facades create: a client the user
passes to ``from_client`` keeps botocore's parsing, since the user may call
it directly too. Each part is installed only while the botocore internals it
relies on have the source it was reviewed against (``_guard``); otherwise
that part stays botocore's own.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, cast

from ._guard import intact

__all__ = ["install_async", "install_sync", "installed"]


def _metadata(response: Mapping[str, Any]) -> dict[str, Any]:
    headers = response["headers"]
    return {
        "RequestId": headers.get("x-amzn-requestid", ""),
        "HTTPStatusCode": response["status_code"],
        "HTTPHeaders": headers,
    }


def _success(response: Mapping[str, Any]) -> dict[str, Any]:
    body = response["body"]
    parsed: dict[str, Any] = json.loads(body) if body else {}
    parsed["ResponseMetadata"] = _metadata(response)
    return parsed


class _SyncReader:
    def __init__(self, default: Any) -> None:
        self._default = default

    def parse(self, response: Mapping[str, Any], shape: Any) -> Any:
        if response["status_code"] >= 300:
            return self._default.parse(response, shape)
        return _success(response)


class _AsyncReader:
    def __init__(self, default: Any) -> None:
        self._default = default

    async def parse(self, response: Mapping[str, Any], shape: Any) -> Any:
        if response["status_code"] >= 300:
            return await self._default.parse(response, shape)
        return _success(response)


class _Factory:
    def __init__(self, default: Any, reader: type[_SyncReader] | type[_AsyncReader]) -> None:
        self._default = default
        self._reader = reader

    def create_parser(self, protocol: str) -> Any:
        return self._reader(self._default.create_parser(protocol))


class _JsonBodySerializer:
    """Serialise the body of ``POST /Operation`` requests with one ``json.dumps``.

    The parameters come from validated models through the converter, so they
    already have the wire's names and JSON types; botocore's serializer would
    only walk the input shape to produce the same JSON. Requests with URI or
    query members (the tag operations) still go through botocore's.
    """

    def __init__(self, default: Any) -> None:
        self._default = default

    def serialize_to_request(self, parameters: Mapping[str, Any], operation_model: Any) -> Any:
        http = operation_model.http
        uri: str = http["requestUri"]
        if http["method"] != "POST" or "{" in uri or "?" in uri:
            return self._default.serialize_to_request(parameters, operation_model)
        return {
            "url_path": uri,
            "query_string": {},
            "method": "POST",
            "headers": {"Content-Type": "application/json"},
            "body": json.dumps(parameters).encode(),
        }


def _memoize_user_agent(client: Any) -> None:
    # botocore rebuilds and sanitises the same User-Agent string twice per call,
    # a tenth of a loopback call. It only varies with the metrics features in
    # play, so the string is kept per feature set: the header stays identical.
    from botocore.context import get_context

    creator = client._user_agent_creator
    build = creator.to_string
    built: dict[frozenset[str], str] = {}

    def to_string() -> str:
        context = cast(Any, get_context())
        features: frozenset[str] = frozenset(creator._client_features or ())
        if context is not None and context.features:
            features = features | frozenset(cast("set[str]", context.features))
        header = built.get(features)
        if header is None:
            header = built[features] = build()
        return header

    creator.to_string = to_string


def _tune(client: Any, facade: str, reader: type[_SyncReader] | type[_AsyncReader]) -> None:
    from . import _sigv4

    endpoint = client._endpoint
    if intact(f"{facade}.reader"):
        endpoint._response_parser_factory = _Factory(endpoint._response_parser_factory, reader)
    if intact(f"{facade}.serializer"):
        client._serializer = _JsonBodySerializer(client._serializer)
    if intact(f"{facade}.user_agent"):
        _memoize_user_agent(client)
    if intact(f"{facade}.sigv4"):
        install = _sigv4.install_sync if facade == "sync" else _sigv4.install_async
        install(client._request_signer)


def install_sync(client: Any) -> None:
    """Tune a boto3 client the SDK created, each part only while its botocore internals hold.

    Plain JSON bodies both ways, a kept User-Agent, cheaper SigV4 bookkeeping
    and one send per request; any part whose internals changed (``_guard``)
    stays botocore's.
    """
    _tune(client, "sync", _SyncReader)
    if intact("sync.one_send"):
        from . import _one_send

        _one_send.install(client._endpoint.http_session)


def install_async(client: Any) -> None:
    """Tune an aioboto3 client the SDK created, each part only while its internals hold.

    Plain JSON bodies both ways, a kept User-Agent and cheaper SigV4
    bookkeeping; any part whose internals changed (``_guard``) stays botocore's.
    """
    _tune(client, "async", _AsyncReader)


def installed(client: Any) -> frozenset[str]:
    """The tunings in place on a client: reader, serializer, user_agent, sigv4, one_send."""
    from botocore.awsrequest import AWSHTTPConnectionPool

    found = {
        "reader": isinstance(client._endpoint._response_parser_factory, _Factory),
        "serializer": isinstance(client._serializer, _JsonBodySerializer),
        "user_agent": "to_string" in vars(client._user_agent_creator),
        "sigv4": "get_auth_instance" in vars(client._request_signer),
        "one_send": getattr(client._endpoint.http_session, "_pool_classes_by_scheme", {}).get(
            "http", AWSHTTPConnectionPool
        )
        is not AWSHTTPConnectionPool,
    }
    return frozenset(name for name, present in found.items() if present)
