"""SigV4 signing with botocore's own algorithm, minus its per-request overheads.

botocore's ``SigV4Auth`` spends most of a request's signing time on
bookkeeping, not on cryptography: it builds the set of headers to sign
twice per request as an ``email.message.Message``, splits the URL twice to
find the host, and derives the signing key with four HMACs although the key
only changes with the secret, the day, the region and the service.

``FastSigV4Auth`` is a subclass that keeps botocore's ``add_auth`` and every
step of it (dates, security token, payload hash, logging) and replaces only
those three helpers with equivalents that give the same strings: a request
signed by either class carries byte-identical headers (``tests/test_sigv4.py``
checks it over generated requests). It is used only on clients the SDK
creates, and only while the botocore internals it relies on are the ones it
was checked against (``_guard``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from hashlib import sha256
from typing import Any, cast

import botocore.auth
from botocore.auth import EMPTY_SHA256_HASH, SIGNED_HEADERS_BLACKLIST, SigV4Auth

__all__ = ["FastSigV4Auth"]

_UNSIGNED = frozenset(SIGNED_HEADERS_BLACKLIST)


_host_from_url = cast("Callable[[str], str]", vars(botocore.auth)["_host_from_url"])


@lru_cache(maxsize=64)
def _host(url: str) -> str:
    # A pure function of the URL; a client calls few distinct URLs.
    return _host_from_url(url)


class _HeadersToSign(dict[str, str]):
    """The lower-cased headers to sign, with the one lookup of HTTPHeaders that signing uses."""

    def get_all(self, name: str, failobj: Any = None) -> list[str] | Any:
        value = self.get(name)
        return failobj if value is None else [value]


class FastSigV4Auth(SigV4Auth):  # type: ignore[misc]
    """botocore's SigV4Auth with a plain-dict header set, a cached host and a cached key."""

    def headers_to_sign(self, request: Any) -> Any:
        """Select the headers to sign, as botocore does, into a plain dict."""
        selected = _HeadersToSign()
        for name, value in request.headers.items():
            lname = name.lower()
            if lname in _UNSIGNED:
                continue
            if lname in selected:
                # Two spellings of one header: HTTPHeaders keeps both; defer to it.
                return super().headers_to_sign(request)
            selected[lname] = value
        if "host" not in selected:
            selected["host"] = _host(request.url)
        return selected

    def canonical_headers(self, headers_to_sign: Any) -> Any:
        """Join the headers to sign in canonical form, as botocore does."""
        if not isinstance(headers_to_sign, _HeadersToSign):
            return str(super().canonical_headers(headers_to_sign))
        value_of = cast("Callable[[str], str]", self._header_value)
        return "\n".join(
            f"{key}:{value_of(headers_to_sign[key])}" for key in sorted(headers_to_sign)
        )

    def payload(self, request: Any) -> str:
        """The body's SHA-256, read from the request's bytes instead of a prepared copy."""
        data = request.data
        if (
            type(data) is not bytes
            or self._is_streaming_checksum_payload(request)
            or not self._should_sha256_sign_payload(request)
        ):
            return str(super().payload(request))
        # AWSRequest.body prepares a whole copy of the request to return these bytes.
        return sha256(data).hexdigest() if data else EMPTY_SHA256_HASH

    def signature(self, string_to_sign: str, request: Any) -> str:
        """The request's signature, with the signing key derived once per day and scope."""
        credentials: Any = self.credentials
        scope: tuple[str, str, str, str] = (
            credentials.secret_key,
            request.context["timestamp"][0:8],
            self._region_name,
            self._service_name,
        )
        key = _signing_keys.get(scope)
        if key is None:
            secret, day, region, service = scope
            sign = cast("Callable[[bytes, str], bytes]", self._sign)
            key = sign(f"AWS4{secret}".encode(), day)
            for part in (region, service, "aws4_request"):
                key = sign(key, part)
            if len(_signing_keys) >= _KEEP_KEYS:
                _signing_keys.clear()
            _signing_keys[scope] = key
        return str(self._sign(key, string_to_sign, hex=True))


#: Derived signing keys by (secret, day, region, service); a few scopes at most.
_signing_keys: dict[tuple[str, str, str, str], bytes] = {}
_KEEP_KEYS = 16


def _fast(auth: Any) -> Any:
    # Only botocore's own class: a subclass or a replacement in AUTH_TYPE_MAPS
    # signs its own way.
    if type(auth) is SigV4Auth:
        auth.__class__ = FastSigV4Auth
    return auth


def install_sync(request_signer: Any) -> None:
    """Sign this client's SigV4 requests with FastSigV4Auth."""
    get = request_signer.get_auth_instance

    def get_auth_instance(*args: Any, **kwargs: Any) -> Any:
        return _fast(get(*args, **kwargs))

    request_signer.get_auth_instance = get_auth_instance


def install_async(request_signer: Any) -> None:
    """Sign this aiobotocore client's SigV4 requests with FastSigV4Auth."""
    get = request_signer.get_auth_instance

    async def get_auth_instance(*args: Any, **kwargs: Any) -> Any:
        return _fast(await get(*args, **kwargs))

    request_signer.get_auth_instance = get_auth_instance
