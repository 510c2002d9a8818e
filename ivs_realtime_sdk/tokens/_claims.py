"""The one home of a participant token's claims: their names, their type, writing and reading.

Every claim name (``jti``, ``resource``, ``allow_publish``, ``version``...) is
spelled here and nowhere else in the package. :class:`TokenClaims` is the one
typed form of a token's claims; this module writes it (``payload``, the
precomputed JSON fragments of ``TokenSigner``) and reads it back from a decoded
payload (``read_claims`` strictly, for the SDK's checks; ``read_participant``
as a stage or a participant does, taking only what it uses).

This module is the seam other subpackages use: ``media`` reads a
participant's token through it and the emulator (``local``) issues and reads
tokens through it, with the JWS primitives of ``tokens._jwt`` beside it. It is
private rather than listed in ``tokens.__all__``: the claim names are IVS's
wire format, not an API of this SDK, and users read claims as ``TokenClaims``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, Final

import attrs
from cryptography.hazmat.primitives.asymmetric import ec

from .._frozen import EMPTY
from ..errors import InvalidParameterError, InvalidTokenError
from ..models._arns import STAGE_ARN
from ..models._constraints import StrMap, Text, Timestamp, moment, str_map
from ..models.token import CAPABILITIES as _CAPABILITY_SET
from ..models.token import USER_ID as _USER_ID_TEXT
from ..models.token import Capability
from . import _jwt

__all__ = [
    "ALLOW_PUBLISH",
    "ALLOW_SUBSCRIBE",
    "ATTRIBUTES",
    "CAPABILITIES",
    "CAPABILITY_FLAGS",
    "EVENTS_URL",
    "EXCHANGE_FIXED_CLAIMS",
    "EXP",
    "IAT",
    "JTI",
    "KID",
    "RESOURCE",
    "TOKEN_VERSION",
    "TOPIC",
    "USER_ID",
    "VERSION",
    "WHIP_URL",
    "TokenClaims",
    "changed_fixed_claims",
    "grant_json",
    "issued_claims",
    "json_string",
    "payload",
    "payload_head",
    "read_claims",
    "read_participant",
    "read_participant_token",
    "sign_claims",
    "stage_json",
    "timestamp_claim",
    "topic_of",
]

# -- names ------------------------------------------------------------------------------

KID: Final = "kid"
"""The header naming the key that verifies the token (a public key ARN when self-signed)."""
EXP: Final = "exp"
IAT: Final = "iat"
JTI: Final = "jti"
"""The participant's id."""
RESOURCE: Final = "resource"
"""The stage's ARN."""
TOPIC: Final = "topic"
"""The stage's id."""
EVENTS_URL: Final = "events_url"
WHIP_URL: Final = "whip_url"
USER_ID: Final = "user_id"
ATTRIBUTES: Final = "attributes"
CAPABILITIES: Final = "capabilities"
VERSION: Final = "version"
ALLOW_PUBLISH: Final = "allow_publish"
ALLOW_SUBSCRIBE: Final = "allow_subscribe"

#: The flags of the ``capabilities`` object and the capability each grants.
CAPABILITY_FLAGS: Final = (
    (ALLOW_PUBLISH, Capability.PUBLISH),
    (ALLOW_SUBSCRIBE, Capability.SUBSCRIBE),
)
#: IVS's participant id, the ``jti`` claim: 1 to 64 of ``[a-zA-Z0-9-_]``.
PARTICIPANT_ID: Final = Text(min=1, max=64, pattern=r"[a-zA-Z0-9-_]*")
#: The ``version`` claim of the token format IVS issues and this SDK writes.
TOKEN_VERSION: Final = "1.0"
#: The claims a token exchange must keep unchanged, as IVS requires.
EXCHANGE_FIXED_CLAIMS: Final = (JTI, RESOURCE, TOPIC, EVENTS_URL, WHIP_URL)


# -- the claims -------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class TokenClaims:
    """What a self-signed participant token says: who, which stage, what, until when."""

    public_key_arn: str = attrs.field(validator=Text())
    """The ``kid`` header: the ARN of the public key that verifies the token."""
    participant_id: str = attrs.field(validator=Text())
    """The ``jti`` claim: the participant's id."""
    stage_arn: str = attrs.field(validator=STAGE_ARN)
    """The ``resource`` claim: the stage's ARN."""
    stage_id: str = attrs.field(validator=Text())
    """The ``topic`` claim: the stage's id."""
    events_url: str = attrs.field(validator=Text())
    """The ``events_url`` claim: the stage's events endpoint."""
    whip_url: str = attrs.field(validator=Text())
    """The ``whip_url`` claim: the stage's WHIP endpoint."""
    user_id: str | None = attrs.field(default=None, validator=_USER_ID_TEXT)
    """The ``user_id`` claim, if any."""
    attributes: Mapping[str, str] = attrs.field(
        default=EMPTY, converter=str_map, validator=StrMap(key=Text(), value=Text())
    )
    """The ``attributes`` claim."""
    capabilities: frozenset[Capability] = attrs.field(
        default=frozenset[Capability](), validator=_CAPABILITY_SET
    )
    """The ``capabilities`` claim, as Capability members."""
    issued_at: datetime = attrs.field(validator=Timestamp())
    """The ``iat`` claim, an aware datetime in UTC."""
    expiration_time: datetime = attrs.field(validator=Timestamp())
    """The ``exp`` claim, an aware datetime in UTC."""
    version: str = attrs.field(default=TOKEN_VERSION, validator=Text())
    """The ``version`` claim, ``1.0``."""

    @property
    def duration(self) -> timedelta:
        """The token's lifetime: ``expiration_time - issued_at``."""
        return self.expiration_time - self.issued_at

    def is_expired(self, at: datetime | None = None) -> bool:
        """Tell whether the token has expired.

        Args:
            at: The moment to judge at (aware); now if omitted.

        Returns:
            True from the expiration time on.
        """
        return moment("TokenClaims.is_expired.at", at) >= self.expiration_time


# The fields of TokenClaims that hold the fixed claims, in EXCHANGE_FIXED_CLAIMS' order.
_FIXED_FIELDS = ("participant_id", "stage_arn", "stage_id", "events_url", "whip_url")


def topic_of(stage_arn: str) -> str:
    """Return the ``topic`` of a stage: the id that ends its ARN."""
    return stage_arn[stage_arn.rindex("/") + 1 :]


def changed_fixed_claims(before: TokenClaims, after: TokenClaims) -> tuple[str, ...]:
    """Name the claims of ``EXCHANGE_FIXED_CLAIMS`` that differ between two tokens."""
    return tuple(
        claim
        for claim, field in zip(EXCHANGE_FIXED_CLAIMS, _FIXED_FIELDS, strict=True)
        if getattr(before, field) != getattr(after, field)
    )


# -- writing ----------------------------------------------------------------------------

# Compact JSON as the tokens of IVS are written; a signer writes the same bytes
# whether it goes through payload() and _jwt.encode or the fragments below.
_dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


def _capabilities_json(granted: frozenset[Capability]) -> str:
    flags = {flag: capability in granted for flag, capability in CAPABILITY_FLAGS}
    return f"{_dumps(CAPABILITIES)}:{_dumps(flags)}"


# What does not change between tokens, encoded once: the four capability objects
# and the version claim that closes every payload.
_CAPABILITIES_JSON: Final = {
    granted: _capabilities_json(granted)
    for granted in (
        frozenset[Capability](),
        frozenset({Capability.PUBLISH}),
        frozenset({Capability.SUBSCRIBE}),
        frozenset({Capability.PUBLISH, Capability.SUBSCRIBE}),
    )
}
_TAIL: Final = f",{_dumps(VERSION)}:{_dumps(TOKEN_VERSION)}}}"
_EMPTY_ATTRIBUTES: Final = f",{_dumps(ATTRIBUTES)}:{{}},"
_HEAD: Final = f'{{"{EXP}":%d,"{IAT}":%d,"{JTI}":%s'


def json_string(text: str) -> str:
    """Encode a string as JSON, as every claim of a payload is encoded."""
    return _dumps(text)


def stage_json(stage_arn: str, stage_id: str, events_url: str, whip_url: str) -> str:
    """Encode the claims a stage fixes for every token (JSON members that follow ``jti``)."""
    return (
        f",{_dumps(RESOURCE)}:{_dumps(stage_arn)},{_dumps(TOPIC)}:{_dumps(stage_id)}"
        f",{_dumps(EVENTS_URL)}:{_dumps(events_url)},{_dumps(WHIP_URL)}:{_dumps(whip_url)}"
    )


def grant_json(
    user_id: str | None, attributes: Mapping[str, str], capabilities: frozenset[Capability]
) -> str:
    """Encode what a grant says (``user_id``, ``attributes``, ``capabilities``, ``version``).

    The JSON members that end a payload, after the stage's, closing brace included.
    """
    user = "" if user_id is None else f",{_dumps(USER_ID)}:{_dumps(user_id)}"
    if attributes:
        written = f",{_dumps(ATTRIBUTES)}:{_dumps(dict(attributes))},"
    else:
        written = _EMPTY_ATTRIBUTES
    granted = _CAPABILITIES_JSON.get(capabilities) or _capabilities_json(capabilities)
    return f"{user}{written}{granted}{_TAIL}"


def payload_head(exp: int, iat: int, jti: str) -> str:
    """Open a payload with what changes from token to token: ``exp``, ``iat``, ``jti``.

    ``jti`` is the participant id as a JSON string (``json_string``, or the id
    in quotes when it is checked against the ``jti`` pattern, whose characters
    JSON needs no escape for). ``stage_json`` and then ``grant_json`` complete
    the payload, in the order ``payload`` writes the claims.
    """
    return _HEAD % (exp, iat, jti)


def payload(claims: TokenClaims) -> dict[str, object]:
    """Return the claims mapping of a token, in the order IVS writes the claims."""
    written: dict[str, object] = {
        EXP: int(claims.expiration_time.timestamp()),
        IAT: int(claims.issued_at.timestamp()),
        JTI: claims.participant_id,
        RESOURCE: claims.stage_arn,
        TOPIC: claims.stage_id,
        EVENTS_URL: claims.events_url,
        WHIP_URL: claims.whip_url,
    }
    if claims.user_id is not None:
        written[USER_ID] = claims.user_id
    written[ATTRIBUTES] = dict(claims.attributes)
    written[CAPABILITIES] = {
        flag: capability in claims.capabilities for flag, capability in CAPABILITY_FLAGS
    }
    written[VERSION] = claims.version
    return written


def issued_claims(
    *,
    key_id: str,
    participant_id: str,
    stage_arn: str,
    events_url: str,
    whip_url: str,
    user_id: str | None,
    attributes: Mapping[str, str],
    capabilities: Iterable[str],
    issued_at: int,
    duration_minutes: int,
) -> TokenClaims:
    """Build the claims of a token the API issues (CreateParticipantToken, CreateStage).

    ``capabilities`` are the service's names (``PUBLISH``, ``SUBSCRIBE``); the
    token expires ``duration_minutes`` after ``issued_at`` (Unix seconds).
    """
    issued = datetime.fromtimestamp(issued_at, UTC)
    return TokenClaims(
        public_key_arn=key_id,
        participant_id=participant_id,
        stage_arn=stage_arn,
        stage_id=topic_of(stage_arn),
        events_url=events_url,
        whip_url=whip_url,
        user_id=user_id,
        attributes=attributes,
        capabilities=frozenset(Capability(name) for name in capabilities),
        issued_at=issued,
        expiration_time=issued + timedelta(minutes=duration_minutes),
    )


def sign_claims(claims: TokenClaims, key: ec.EllipticCurvePrivateKey) -> str:
    """Sign ``claims`` with a P-384 key; the header's ``kid`` is ``claims.public_key_arn``."""
    return _jwt.encode({KID: claims.public_key_arn}, payload(claims), key)


# -- reading ----------------------------------------------------------------------------


def _claim(claims: Mapping[str, Any], name: str, kind: type[Any], *, required: bool = True) -> Any:
    value = claims.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        state = "missing" if value is None else f"a {type(value).__name__}"
        raise InvalidTokenError("claims", f"token claim {name!r} is {state}, not a {kind.__name__}")
    return value


def timestamp_claim(claims: Mapping[str, Any], name: str) -> datetime:
    """Read a NumericDate claim as an aware UTC datetime, refusing what no date can be."""
    value = claims.get(name)
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise InvalidTokenError("claims", f"token claim {name!r} is not a number")
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError):
        raise InvalidTokenError("claims", f"token claim {name!r} is out of range") from None


def _capabilities(raw: object) -> frozenset[Capability]:
    if not isinstance(raw, Mapping):
        raise InvalidTokenError("claims", f"token claim {CAPABILITIES!r} is not an object")
    flags: Mapping[str, object] = raw  # pyright: ignore[reportUnknownVariableType]
    granted: set[Capability] = set()
    for name, member in CAPABILITY_FLAGS:
        flag = flags.get(name, False)
        if not isinstance(flag, bool):
            raise InvalidTokenError("claims", f"token capability {name!r} is not a boolean")
        if flag:
            granted.add(member)
    return frozenset(granted)


def read_claims(header: Mapping[str, Any], claims: Mapping[str, Any]) -> TokenClaims:
    """Read and check every claim of a decoded self-signed token, as ``verify_token`` does.

    Raises:
        InvalidTokenError: A claim is missing, of the wrong type, or breaks a
            limit of the token model (reason ``claims``).
    """
    attributes: Mapping[str, Any] = _claim(claims, ATTRIBUTES, dict, required=False) or {}
    if not all(isinstance(v, str) for v in attributes.values()):
        raise InvalidTokenError(
            "claims", f"token claim {ATTRIBUTES!r} has a value that is not a str"
        )
    try:
        return TokenClaims(
            public_key_arn=_claim(header, KID, str),
            participant_id=_claim(claims, JTI, str),
            stage_arn=_claim(claims, RESOURCE, str),
            stage_id=_claim(claims, TOPIC, str),
            events_url=_claim(claims, EVENTS_URL, str),
            whip_url=_claim(claims, WHIP_URL, str),
            user_id=_claim(claims, USER_ID, str, required=False),
            attributes=attributes,
            capabilities=_capabilities(claims.get(CAPABILITIES)),
            issued_at=timestamp_claim(claims, IAT),
            expiration_time=timestamp_claim(claims, EXP),
            version=_claim(claims, VERSION, str),
        )
    except InvalidParameterError as exc:
        raise InvalidTokenError("claims", f"token claims are invalid: {exc}") from None


def _text(claims: Mapping[str, Any], name: str) -> str:
    value = claims.get(name)
    if not isinstance(value, str) or not value:
        raise InvalidTokenError("claims", f"token claim {name!r} is missing or not a string")
    return value


def _granted(raw: object) -> frozenset[Capability]:
    flags: object = raw or {}
    if not isinstance(flags, Mapping):
        raise InvalidTokenError("claims", f"token claim {CAPABILITIES!r} is not an object")
    granted: Mapping[str, object] = flags  # pyright: ignore[reportUnknownVariableType]
    return frozenset(capability for flag, capability in CAPABILITY_FLAGS if granted.get(flag))


def _check_as_stage(claims: Mapping[str, Any], participant_id: str) -> None:
    """Refuse what a stage cannot take, though a lenient reader would read it as neutral."""
    try:
        PARTICIPANT_ID.check("jti", participant_id)
    except InvalidParameterError:
        # The value is not echoed: it may be 5,000 characters of anything.
        raise InvalidTokenError(
            "claims", f"token claim {JTI!r} must be 1 to 64 of [a-zA-Z0-9-_]"
        ) from None
    if claims.get(CAPABILITIES) is not None:
        _capabilities(claims[CAPABILITIES])
    attributes = claims.get(ATTRIBUTES)
    if attributes is not None and (
        not isinstance(attributes, Mapping)
        or not all(isinstance(v, str) for v in attributes.values())  # pyright: ignore[reportUnknownVariableType]
    ):
        raise InvalidTokenError("claims", f"token claim {ATTRIBUTES!r} is not an object of strings")
    user_id = claims.get(USER_ID)
    if user_id is not None and not isinstance(user_id, str):
        raise InvalidTokenError("claims", f"token claim {USER_ID!r} is not a string")


def read_participant(
    claims: Mapping[str, Any],
    header: Mapping[str, Any] | None = None,
    *,
    assign_id: str | None = None,
    as_stage: bool = False,
) -> TokenClaims:
    """Read the claims a participant or a stage uses, as leniently as a client of IVS.

    AWS asks clients to treat tokens as opaque, so a token of the API, a
    self-signed one, or a newer format all read: required are only ``resource``,
    ``topic``, ``whip_url``, ``events_url`` (non-empty strings), ``exp`` and,
    unless ``assign_id`` is given, ``jti``. The rest is taken as it comes:
    ``capabilities`` flags by truth, ``attributes`` values as text, a
    ``user_id`` that is not a string as none. A claim the token lacks reads as
    its neutral value: no ``kid`` as ``""``, no ``iat`` as the expiry (no
    lifetime claimed), no ``version`` as ``1.0``.

    Args:
        claims: The decoded payload.
        header: The decoded header, for ``kid``; not read if omitted.
        assign_id: The participant id to use when ``jti`` is missing or empty
            (the service assigns one to a self-signed token without it).
        as_stage: Read as the stage that admits the participant: ``jti`` must
            be IVS's participant id (1 to 64 of ``[a-zA-Z0-9-_]``), and
            ``capabilities`` (an object of booleans), ``attributes`` (an
            object of strings) and ``user_id`` (a string), when present, must
            have their types.

    Returns:
        The claims; the signature is the caller's business.

    Raises:
        InvalidTokenError: A required claim is missing or of the wrong type (reason ``claims``).
    """
    participant_id = claims.get(JTI)
    if assign_id is not None and (not isinstance(participant_id, str) or not participant_id):
        participant_id = assign_id
    else:
        participant_id = _text(claims, JTI)
    if as_stage:
        _check_as_stage(claims, participant_id)
    stage_arn = _text(claims, RESOURCE)
    stage_id = _text(claims, TOPIC)
    whip_url = _text(claims, WHIP_URL)
    events_url = _text(claims, EVENTS_URL)
    capabilities = _granted(claims.get(CAPABILITIES))
    expiration_time = timestamp_claim(claims, EXP)
    issued_at = timestamp_claim(claims, IAT) if IAT in claims else expiration_time
    raw_attributes: object = claims.get(ATTRIBUTES) or {}
    attributes: Mapping[str, str] = (
        str_map({str(k): str(v) for k, v in raw_attributes.items()})  # pyright: ignore[reportUnknownVariableType, reportUnknownArgumentType]
        if isinstance(raw_attributes, Mapping)
        else EMPTY
    )
    user_id = claims.get(USER_ID)
    kid = header.get(KID) if header is not None else None
    version = claims.get(VERSION)
    read = object.__new__(TokenClaims)
    # The model's validators would hold a client to the SDK's own limits (an ARN
    # pattern, attribute sizes) that the stage, not the client, judges.
    for name, value in (
        ("public_key_arn", kid if isinstance(kid, str) else ""),
        ("participant_id", participant_id),
        ("stage_arn", stage_arn),
        ("stage_id", stage_id),
        ("events_url", events_url),
        ("whip_url", whip_url),
        ("user_id", user_id if isinstance(user_id, str) else None),
        ("attributes", attributes),
        ("capabilities", capabilities),
        ("issued_at", issued_at),
        ("expiration_time", expiration_time),
        ("version", version if isinstance(version, str) else TOKEN_VERSION),
    ):
        object.__setattr__(read, name, value)
    return read


def read_participant_token(token: str, *, assign_id: str | None = None) -> TokenClaims:
    """Decode a token without checking its signature, and read it as ``read_participant``.

    For whoever holds a token but not its key: a participant, or a stage
    routing a request before it verifies the token.

    Raises:
        InvalidTokenError: The string is not a JWT (reason ``malformed``), or a
            claim a participant needs is missing or of the wrong type (``claims``).
    """
    try:
        header, claims = _jwt.decode_unverified(token)
    except _jwt.JWTError as exc:
        raise InvalidTokenError("malformed", str(exc)) from None
    return read_participant(claims, header, assign_id=assign_id)
