"""Full AWS Signature Version 4 verification, for an emulator given credentials.

Without credentials the emulator only checks that a request carries a SigV4
``Authorization`` header, so any key and secret work. Given ``{access key
id: secret}``, it recomputes every request's signature the way the service
does, so a wrong secret, region, signing name or a body changed after signing
fails here as it would in production, with the service's codes and messages:

* an access key it does not know: 403 ``UnrecognizedClientException``,
  "The security token included in the request is invalid." (the body AWS JSON
  services send, e.g. aws/aws-sdk-php-laravel#228, boto/boto3#3576);
* a signature that does not verify: 403 ``InvalidSignatureException``, "The
  request signature we calculated does not match the signature you provided.
  Check your AWS Secret Access Key and signing method. Consult the service
  documentation for details." (rpgreen/apigateway-generic-java-sdk#11);
* a wrong region or signing name in the credential scope: the same code, with
  "Credential should be scoped to a valid region, not 'X'. " (aws/aws-sdk-ruby#508)
  and "Credential should be scoped to correct service: 'X'. "
  (cllunsford/aws-signing-proxy#25);
* a payload hash of ``UNSIGNED-PAYLOAD``: IVS is not S3, the body is always
  signed, so the signature is computed over the body's hash and does not match;
* ``SignedHeaders`` without ``host``: 403 ``IncompleteSignatureException``,
  "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."
  (the emulator's choice of AWS's wording for a request that signs no host);
* an ``Authorization`` header longer than 8 KiB: 403 ``IncompleteSignatureException``;
  the header is parsed in one linear pass;
* a request signed more than 5 minutes away from the emulator's clock: the same
  code, "Signature expired: ... is now earlier than ... (... - 5 min.)" or
  "Signature not yet current: ... is still later than ... (... + 5 min.)"
  (aws/aws-sdk-go#2194, boto/botocore#3587).

The canonical request follows botocore's signer (``botocore.auth.SigV4Auth``),
the reference every AWS SDK for Python user signs with.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, cast
from urllib.parse import quote, unquote

from .backend import ServiceException

__all__ = ["CLOCK_SKEW", "MAX_AUTHORIZATION", "MISSING_AUTH", "SigV4Verifier"]

ALGORITHM = "AWS4-HMAC-SHA256"
#: How far a request's signing time may be from the emulator's clock, as at AWS.
CLOCK_SKEW = timedelta(minutes=5)
_AMZ_DATE = "%Y%m%dT%H%M%SZ"
_TERMINATOR = "aws4_request"
#: The longest Authorization header read; a real one is a few hundred characters.
MAX_AUTHORIZATION = 8192
_FIELDS = ("Credential", "SignedHeaders", "Signature")
_NO_HOST = "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."

_INVALID_TOKEN = "The security token included in the request is invalid."
_MISMATCH = (
    "The request signature we calculated does not match the signature you provided. "
    "Check your AWS Secret Access Key and signing method. "
    "Consult the service documentation for details."
)


#: What the service's front end answers when no SigV4 header is present: the
#: API-Gateway-style MissingAuthenticationTokenException (403).
MISSING_AUTH = ServiceException(
    "Missing Authentication Token", code="MissingAuthenticationTokenException", status=403
)


def _unrecognized() -> ServiceException:
    return ServiceException(_INVALID_TOKEN, code="UnrecognizedClientException", status=403)


def _invalid(message: str) -> ServiceException:
    return ServiceException(message, code="InvalidSignatureException", status=403)


def _incomplete(message: str) -> ServiceException:
    return ServiceException(message, code="IncompleteSignatureException", status=403)


class SigV4Verifier:
    """Checks the SigV4 signature of requests against known credentials.

    The secrets are kept only in this object: they are never logged, echoed in
    an error, or shown in ``repr``.
    """

    __slots__ = ("_clock", "_region", "_secrets", "_service")

    def __init__(
        self,
        credentials: Mapping[str, str],
        *,
        region: str,
        service: str,
        clock: Callable[[], float],
    ) -> None:
        """Verify for ``region`` and the signing name ``service``, with the time from ``clock``."""
        self._secrets = dict(credentials)
        self._region = region
        self._service = service
        self._clock = clock

    def __repr__(self) -> str:
        return f"SigV4Verifier(access_keys={sorted(self._secrets)!r}, region={self._region!r})"

    def knows(self, access_key: str, secret: str) -> bool:
        """Whether ``access_key`` is configured with ``secret`` (compared in constant time)."""
        expected = self._secrets.get(access_key)
        return expected is not None and hmac.compare_digest(
            expected.encode("utf-8"), secret.encode("utf-8")
        )

    def verify(
        self, *, method: str, raw_path: str, headers: Mapping[str, str], body: bytes
    ) -> None:
        """Raise a 403 :class:`ServiceException` unless the request is signed by a known key.

        Args:
            method: The HTTP method.
            raw_path: The path and query exactly as sent (still percent-encoded).
            headers: The request headers; a multi-dict's ``getall`` is used when present.
            body: The request body as received.
        """
        fields = _authorization(headers.get("Authorization", ""))
        amz_date = headers.get("X-Amz-Date") or headers.get("Date")
        if amz_date is None:
            raise _incomplete(
                "Authorization header requires existence of either a 'X-Amz-Date' or a "
                "'Date' header."
            )
        access_key, scope_date, region, service, terminator = _scope(fields["Credential"])
        secret = self._secrets.get(access_key)
        if secret is None:
            raise _unrecognized()
        if terminator != _TERMINATOR:
            raise _invalid(
                f"Credential should be scoped with a valid terminator: '{_TERMINATOR}', "
                f"not '{terminator}'. "
            )
        if region != self._region:
            raise _invalid(f"Credential should be scoped to a valid region, not '{region}'. ")
        if service != self._service:
            raise _invalid(f"Credential should be scoped to correct service: '{self._service}'. ")
        signed_at = self._check_time(amz_date)
        if scope_date != signed_at.strftime("%Y%m%d"):
            raise _invalid(
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of "
                f"date from HTTP: '{scope_date}' != '{signed_at:%Y%m%d}', from '{amz_date}'."
            )
        payload_hash = _payload_hash(headers, body)
        signed_headers = fields["SignedHeaders"]
        if "host" not in signed_headers.split(";"):
            raise _incomplete(_NO_HOST)
        canonical = "\n".join(
            [
                method.upper(),
                *_canonical_path_and_query(raw_path),
                _canonical_headers(headers, signed_headers),
                signed_headers,
                payload_hash,
            ]
        )
        scope = f"{scope_date}/{region}/{service}/{terminator}"
        string_to_sign = "\n".join(
            [ALGORITHM, amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()]
        )
        key = _signing_key(secret, scope_date, region, service)
        expected = hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, fields["Signature"]):
            raise _invalid(_MISMATCH)

    def _check_time(self, amz_date: str) -> datetime:
        try:
            signed_at = datetime.strptime(amz_date, _AMZ_DATE).replace(tzinfo=UTC)
        except ValueError:
            raise _incomplete(
                f"Date must be in ISO-8601 'basic format'. Got '{amz_date}'. "
                "See http://en.wikipedia.org/wiki/ISO_8601"
            ) from None
        now = datetime.fromtimestamp(self._clock(), UTC)
        if signed_at < now - CLOCK_SKEW:
            raise _invalid(
                f"Signature expired: {amz_date} is now earlier than "
                f"{now - CLOCK_SKEW:{_AMZ_DATE}} ({now:{_AMZ_DATE}} - 5 min.)"
            )
        if signed_at > now + CLOCK_SKEW:
            raise _invalid(
                f"Signature not yet current: {amz_date} is still later than "
                f"{now + CLOCK_SKEW:{_AMZ_DATE}} ({now:{_AMZ_DATE}} + 5 min.)"
            )
        return signed_at


def _authorization(header: str) -> dict[str, str]:
    if len(header) > MAX_AUTHORIZATION:
        raise _incomplete(f"Authorization header is longer than {MAX_AUTHORIZATION} characters.")
    algorithm, _, rest = header.partition(" ")
    fields: dict[str, str] = {}
    # One pass over comma-separated name=value parameters: linear in the header's length.
    for part in rest.split(","):
        name, sep, value = part.strip().partition("=")
        if sep and name in _FIELDS and value and not any(c.isspace() for c in value):
            fields.setdefault(name, value)
    missing = [name for name in _FIELDS if name not in fields]
    if algorithm != ALGORITHM or missing:
        raise _incomplete(
            " ".join(f"Authorization header requires '{name}' parameter." for name in missing)
            or f"Authorization header requires the {ALGORITHM} algorithm."
        )
    return fields


def _scope(credential: str) -> tuple[str, str, str, str, str]:
    parts = credential.split("/")
    if len(parts) != 5:
        raise _incomplete(
            "Credential must have exactly 5 slash-delimited elements, e.g. "
            "keyid/date/region/service/term, got '" + "/".join(parts[1:]) + "'"
        )
    return parts[0], parts[1], parts[2], parts[3], parts[4]


def _payload_hash(headers: Mapping[str, str], body: bytes) -> str:
    # IVS is not S3: the hash signed is always the body's, so a request signed with
    # UNSIGNED-PAYLOAD (or whose body changed since) does not verify.
    actual = hashlib.sha256(body).hexdigest()
    declared = headers.get("X-Amz-Content-Sha256")
    if declared is not None and declared != actual and declared != "UNSIGNED-PAYLOAD":
        raise _invalid(
            "The provided 'x-amz-content-sha256' header does not match what was computed."
        )
    return actual


def _canonical_path_and_query(raw_path: str) -> tuple[str, str]:
    from botocore import utils

    path, _, query = raw_path.partition("?")
    normalized = cast(str, utils.normalize_url_path(path))
    pairs = sorted(
        (_encode(unquote(key)), _encode(unquote(value)))
        for key, _, value in (pair.partition("=") for pair in query.split("&") if pair)
    )
    return quote(normalized, safe="/~"), "&".join(f"{key}={value}" for key, value in pairs)


def _encode(text: str) -> str:
    return quote(text, safe="-_.~")


def _canonical_headers(headers: Mapping[str, str], signed_headers: str) -> str:
    lines: list[str] = []
    for name in signed_headers.split(";"):
        value = ",".join(" ".join(v.split()) for v in _header_values(headers, name))
        lines.append(f"{name}:{value}\n")
    return "".join(lines)


def _header_values(headers: Mapping[str, str], name: str) -> list[str]:
    """Every value of a header, in order: an aiohttp request's headers are a multi-dict."""
    getall: Any = getattr(headers, "getall", None)
    if getall is not None:
        return [str(value) for value in getall(name, [])]
    value = headers.get(name)
    return [] if value is None else [value]


def _signing_key(secret: str, date: str, region: str, service: str) -> bytes:
    key = f"AWS4{secret}".encode()
    for part in (date, region, service, _TERMINATOR):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return key
