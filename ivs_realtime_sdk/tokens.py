"""Self-signed participant tokens: mint them locally, with no API call.

``CreateParticipantToken`` is limited to 50 calls per second per account and
region. IVS Real-Time also accepts tokens that the application signs itself
(ES384 JSON Web Tokens) with an EC P-384 private key whose public key it
imported once with ``ImportPublicKey``::

    pair = generate_key_pair()  # once; store pair.private_key_pem() as a secret
    imported = sdk.import_public_key(PublicKeySpec(public_key_material=pair.public_key_pem))
    signer = TokenSigner(pair.private_key, imported.arn)  # keep one per process
    stage = sdk.get_stage(stage_arn)  # or Stage(arn=..., endpoints=StageEndpoints(...))
    token = signer.mint(stage, ParticipantTokenConfig(user_id="ana"))

``DeletePublicKey`` revokes every token signed with that key. Private keys
never appear in a ``repr``, ``str``, log record or error message.
"""

from __future__ import annotations

import logging
import os
import string
import time
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, NoReturn, TypeAlias

import attrs
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from . import _jwt
from ._frozen import EMPTY
from .errors import InvalidParameterError, InvalidParameterTypeError, InvalidTokenError
from .models._arns import PUBLIC_KEY_ARN, STAGE_ARN
from .models._constraints import StrMap, Text, Timestamp, moment, str_map
from .models.stage import Stage
from .models.token import (
    CAPABILITIES,
    USER_ID,
    Capability,
    ParticipantToken,
    ParticipantTokenConfig,
)

__all__ = [
    "InvalidTokenError",
    "KeyPair",
    "PrivateKeyInput",
    "PublicKeyInput",
    "TokenClaims",
    "TokenSigner",
    "decode_unverified",
    "generate_key_pair",
    "load_private_key",
    "load_public_key",
    "verify_token",
]

_log = logging.getLogger(__name__)

PrivateKeyInput: TypeAlias = bytes | str | os.PathLike[str] | ec.EllipticCurvePrivateKey
"""A private key: PEM (or DER) bytes, PEM text, a path to a key file, or a key object."""
PublicKeyInput: TypeAlias = bytes | str | os.PathLike[str] | ec.EllipticCurvePublicKey
"""A public key: SPKI PEM (or DER) bytes, PEM text, a path to a key file, or a key object."""

#: The ``version`` claim of the token format this module writes.
TOKEN_VERSION = "1.0"

# The service model allows an empty id; a token's jti must name someone.
_PARTICIPANT_ID = Text(min=1, max=64, pattern=r"[a-zA-Z0-9-_]*")
_ID_ALPHABET = string.ascii_letters + string.digits
_ID_LENGTH = 12
# Random bytes map to the 62 characters through one translate() call; bytes from
# 248 = 4 * 62 up are dropped, so that every character is equally likely.
_ID_TABLE = bytes(ord(_ID_ALPHABET[b % len(_ID_ALPHABET)]) for b in range(256))
_ID_DROPPED = bytes(range(256 - 256 % len(_ID_ALPHABET), 256))
_MINUTE = timedelta(minutes=1)
_DEFAULT_CONFIG = ParticipantTokenConfig()
_PUBLISH = Capability.PUBLISH
_SUBSCRIBE = Capability.SUBSCRIBE
_PEM_MARK = b"-----BEGIN"
# Sentinel of TokenSigner.exchange: "keep the old user_id" (None removes it).
_KEEP: Any = object()

#: The claims a token exchange must keep unchanged, as IVS requires.
EXCHANGE_FIXED_CLAIMS = ("jti", "resource", "topic", "events_url", "whip_url")


# -- keys -------------------------------------------------------------------------------


def _read_key_file(where: str, path: os.PathLike[str]) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        problem = exc.strerror or type(exc).__name__
        raise InvalidParameterError(where, f"cannot read {os.fspath(path)!r}: {problem}") from None


def _key_bytes(where: str, value: object, kind: str) -> bytes:
    """Turn bytes, PEM text or a path into the key's bytes; refuse anything else."""
    if isinstance(value, os.PathLike):
        return _read_key_file(where, value)  # pyright: ignore[reportUnknownArgumentType]
    if isinstance(value, str):
        if "-----BEGIN" not in value:
            raise InvalidParameterError(
                where,
                f"a str must be PEM text (-----BEGIN ...); pass a pathlib.Path to read a "
                f"{kind} key file",
            )
        return value.encode("utf-8", "replace")
    if isinstance(value, bytes | bytearray):
        return bytes(value)
    expected = f"EllipticCurve{kind.capitalize()}Key"
    raise InvalidParameterTypeError(
        where,
        f"expected PEM bytes or str, a path, or a cryptography {expected}, "
        f"got {type(value).__name__}",
    )


def _family(key: object) -> str:
    name = type(key).__name__.lstrip("_")
    for suffix in ("PrivateKey", "PublicKey"):
        name = name.replace(suffix, "")
    return name or "another"


def _p384_private(where: str, key: object) -> ec.EllipticCurvePrivateKey:
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise InvalidParameterError(
            where, f"expected an EC P-384 (secp384r1) private key, got {_family(key)} key"
        )
    if not isinstance(key.curve, ec.SECP384R1):
        raise InvalidParameterError(
            where, f"expected an EC P-384 (secp384r1) private key, got curve {key.curve.name}"
        )
    return key


def _p384_public(where: str, key: object) -> ec.EllipticCurvePublicKey:
    if not isinstance(key, ec.EllipticCurvePublicKey):
        raise InvalidParameterError(
            where, f"expected an EC P-384 (secp384r1) public key, got {_family(key)} key"
        )
    if not isinstance(key.curve, ec.SECP384R1):
        raise InvalidParameterError(
            where, f"expected an EC P-384 (secp384r1) public key, got curve {key.curve.name}"
        )
    return key


def load_private_key(
    value: PrivateKeyInput, *, password: bytes | None = None, where: str = "private_key"
) -> ec.EllipticCurvePrivateKey:
    """Load an EC P-384 private key from PEM/DER bytes, PEM text, a path or a key object.

    Args:
        value: The key, or where to read it.
        password: The password of an encrypted key.
        where: The name used for the value in error messages.

    Returns:
        The private key.

    Raises:
        InvalidParameterError: The value is not a readable P-384 private key
            (the message never contains key material).
    """
    if isinstance(value, ec.EllipticCurvePrivateKey) or hasattr(value, "private_bytes"):
        return _p384_private(where, value)  # another kind of key object: say which
    if hasattr(value, "public_bytes"):
        raise InvalidParameterError(where, "this is a public key; signing needs the private key")
    data = _key_bytes(where, value, "private")
    try:
        if _PEM_MARK in data:
            key = serialization.load_pem_private_key(data, password)
        else:
            key = serialization.load_der_private_key(data, password)
    except TypeError:
        problem = (
            "the key is encrypted: give its password"
            if password is None
            else "a password was given but the key is not encrypted"
        )
        raise InvalidParameterError(where, problem) from None
    except (ValueError, UnsupportedAlgorithm):
        if b"PUBLIC KEY-----" in data:
            problem = "this is a public key; signing needs the private key"
        else:
            problem = "not a private key in PEM or DER (or a wrong password)"
        raise InvalidParameterError(where, problem) from None
    return _p384_private(where, key)


def load_public_key(
    value: PublicKeyInput, *, where: str = "public_key"
) -> ec.EllipticCurvePublicKey:
    """Load an EC P-384 public key from SPKI PEM/DER bytes, PEM text, a path or a key object.

    Args:
        value: The key, or where to read it.
        where: The name used for the value in error messages.

    Returns:
        The public key.

    Raises:
        InvalidParameterError: The value is not a readable P-384 public key.
    """
    if isinstance(value, ec.EllipticCurvePublicKey) or hasattr(value, "public_bytes"):
        return _p384_public(where, value)
    if hasattr(value, "private_bytes"):
        raise InvalidParameterError(where, "this is a private key; give its public key instead")
    data = _key_bytes(where, value, "public")
    if b"PRIVATE KEY-----" in data:
        raise InvalidParameterError(
            where, "this is a private key; give the public key (SPKI PEM) instead"
        )
    try:
        if _PEM_MARK in data:
            key = serialization.load_pem_public_key(data)
        else:
            key = serialization.load_der_public_key(data)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise InvalidParameterError(where, "not a public key in PEM or DER") from None
    return _p384_public(where, key)


def _public_pem(key: ec.EllipticCurvePublicKey) -> str:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


@attrs.frozen(kw_only=True)
class KeyPair:
    """A new EC P-384 key pair: import the public half, sign with the private half.

    The private key never appears in ``repr`` or ``str``.
    """

    private_key: ec.EllipticCurvePrivateKey = attrs.field(repr=False, eq=False)
    """The private key that signs tokens (secret)."""
    public_key_pem: str
    """The public key as SPKI PEM (``-----BEGIN PUBLIC KEY-----``), what ImportPublicKey takes."""

    def private_key_pem(self, password: bytes | None = None) -> bytes:
        """Return the private key as PKCS#8 PEM, to store it.

        Args:
            password: Encrypt the PEM with this password (best available cipher).

        Returns:
            The PEM bytes (``-----BEGIN PRIVATE KEY-----`` unless encrypted).
        """
        encryption: serialization.KeySerializationEncryption = (
            serialization.BestAvailableEncryption(password)
            if password
            else serialization.NoEncryption()
        )
        return self.private_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
        )


def generate_key_pair() -> KeyPair:
    """Generate a new EC P-384 key pair for self-signed participant tokens.

    Returns:
        The key pair; import ``public_key_pem`` with ImportPublicKey.
    """
    private_key = ec.generate_private_key(ec.SECP384R1())
    return KeyPair(private_key=private_key, public_key_pem=_public_pem(private_key.public_key()))


# -- minting ----------------------------------------------------------------------------


def _new_participant_id() -> str:
    """Return 12 random alphanumerics, like the ids the service assigns."""
    while True:  # 16 bytes fall short of 12 characters about once in 10,000 draws
        chars = os.urandom(16).translate(_ID_TABLE, _ID_DROPPED)
        if len(chars) >= _ID_LENGTH:
            return chars[:_ID_LENGTH].decode("ascii")


# Minting builds ParticipantToken from values that are valid by construction (a
# validated config, a checked id, an aware UTC time), so it skips the model's
# validators, a tenth of the cost of a token. Only while the model has exactly
# these fields: a changed model falls back to the validating constructor.
_TRUSTED_FIELDS = (
    "participant_id",
    "token",
    "user_id",
    "attributes",
    "duration",
    "capabilities",
    "expiration_time",
)
_FAST_TOKENS = tuple(f.name for f in attrs.fields(ParticipantToken)) == _TRUSTED_FIELDS


def _trusted_token(
    participant_id: str, token: str, config: ParticipantTokenConfig, expiration_time: datetime
) -> ParticipantToken:
    """Build the ParticipantToken of a mint without validating its valid fields again."""
    if not _FAST_TOKENS:
        return ParticipantToken(
            participant_id=participant_id,
            token=token,
            user_id=config.user_id,
            attributes=config.attributes,
            duration=config.duration,
            capabilities=config.capabilities,
            expiration_time=expiration_time,
        )
    built = object.__new__(ParticipantToken)
    assign = object.__setattr__  # attrs' own way of filling a frozen instance
    assign(built, "participant_id", participant_id)
    assign(built, "token", token)
    assign(built, "user_id", config.user_id)
    assign(built, "attributes", config.attributes)
    assign(built, "duration", config.duration)
    assign(built, "capabilities", config.capabilities)
    assign(built, "expiration_time", expiration_time)
    return built


def _issued_at(now: datetime | None, where: str = "TokenSigner.mint.now") -> datetime:
    """Return ``now`` (or the current time) in UTC, truncated to the whole second."""
    if now is None:
        return datetime.fromtimestamp(int(time.time()), UTC)
    return moment(where, now).astimezone(UTC).replace(microsecond=0)


def _arn_scope(arn: str) -> str:
    """Return ``arn:aws:ivs:REGION:ACCOUNT:`` of an IVS ARN."""
    return arn[: arn.index(":", arn.index(":", 12) + 1) + 1]


class TokenSigner:
    """Mints self-signed participant tokens with one private key, locally and fast.

    A signer holds an EC P-384 private key and the ARN that ImportPublicKey gave
    its public key; it is safe to share between threads. It never shows the key:
    ``repr(signer)`` names only the public key ARN, and it cannot be pickled.
    """

    __slots__ = ("_header", "_key", "_public_key_arn", "_scope")

    def __init__(
        self,
        private_key: PrivateKeyInput,
        public_key_arn: str,
        *,
        password: bytes | None = None,
    ) -> None:
        """Load the key and precompute what every token shares.

        Args:
            private_key: EC P-384 private key: PEM/DER bytes, PEM text, a path
                (``os.PathLike``) to a key file, or a cryptography key object.
            public_key_arn: The ARN ImportPublicKey returned for the public key.
            password: The password of an encrypted private key.

        Raises:
            InvalidParameterError: The key is not a readable P-384 private key, or
                the ARN is not a public key ARN (never with key material in the message).
        """
        PUBLIC_KEY_ARN.check("TokenSigner.public_key_arn", public_key_arn)
        self._key = load_private_key(
            private_key, password=password, where="TokenSigner.private_key"
        )
        self._public_key_arn = public_key_arn
        self._scope = _arn_scope(public_key_arn)
        self._header: Mapping[str, object] = {"kid": public_key_arn}
        _log.debug("TokenSigner ready for public key %s", public_key_arn)

    def __repr__(self) -> str:
        return f"TokenSigner(public_key_arn={self._public_key_arn!r})"

    def __reduce__(self) -> NoReturn:
        raise TypeError("a TokenSigner holds a private key and cannot be pickled or copied")

    @property
    def public_key_arn(self) -> str:
        """The ARN of the imported public key; every token's ``kid``."""
        return self._public_key_arn

    @property
    def public_key(self) -> ec.EllipticCurvePublicKey:
        """The public half of the signing key."""
        return self._key.public_key()

    @property
    def public_key_pem(self) -> str:
        """The public half of the signing key as SPKI PEM, what ImportPublicKey takes."""
        return _public_pem(self._key.public_key())

    def mint(
        self,
        stage: Stage,
        config: ParticipantTokenConfig = _DEFAULT_CONFIG,
        *,
        participant_id: str | None = None,
        now: datetime | None = None,
    ) -> ParticipantToken:
        """Sign a token for one participant to join ``stage``; no API call is made.

        Args:
            stage: The stage, with its endpoints, as ``get_stage``/``create_stage``
                return it (or built from a stored ARN and endpoints).
            config: Who the participant is, what it may do, and for how long.
            participant_id: The participant's id (``jti``), at most 64 of
                ``[a-zA-Z0-9-_]``; 12 random alphanumerics if omitted.
            now: The issue time (aware); the current time if omitted. It is
                truncated to the whole second.

        Returns:
            The same typed token CreateParticipantToken returns; it expires at
            ``now + config.duration``.

        Raises:
            InvalidParameterError: The stage lacks endpoints or belongs to another
                region or account than the key, or an argument is invalid.
        """
        if not isinstance(stage, Stage):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise InvalidParameterTypeError(
                "TokenSigner.mint.stage",
                f"expected Stage, got {type(stage).__name__} (from a stored ARN and endpoints: "
                "Stage(arn=..., endpoints=StageEndpoints(events=..., whip=...)))",
            )
        arn = stage.arn
        # A Stage is a response model, checked for type only; here it is input.
        STAGE_ARN.check("TokenSigner.mint.stage.arn", arn)
        if not arn.startswith(self._scope):
            raise InvalidParameterError(
                "TokenSigner.mint.stage",
                f"stage {arn} is not in the region and account of public key "
                f"{self._public_key_arn}; IVS looks the key up in the stage's region and account",
            )
        endpoints = stage.endpoints
        events_url = endpoints.events if endpoints is not None else None
        whip_url = endpoints.whip if endpoints is not None else None
        if events_url is None or whip_url is None:
            raise InvalidParameterError(
                "TokenSigner.mint.stage",
                "the stage has no events and whip endpoints; pass the Stage get_stage returns",
            )
        if participant_id is None:
            participant_id = _new_participant_id()
        else:
            _PARTICIPANT_ID.check("TokenSigner.mint.participant_id", participant_id)
        if not isinstance(config, ParticipantTokenConfig):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise InvalidParameterTypeError(
                "TokenSigner.mint.config",
                f"expected ParticipantTokenConfig, got {type(config).__name__}",
            )
        fixed = {
            "jti": participant_id,
            "resource": arn,
            "topic": arn[arn.rindex("/") + 1 :],
            "events_url": events_url,
            "whip_url": whip_url,
        }
        return self._sign(fixed, config, _issued_at(now))

    def _sign(
        self, fixed: Mapping[str, str], config: ParticipantTokenConfig, issued: datetime
    ) -> ParticipantToken:
        """Sign the claims a token keeps for life (``fixed``) plus what ``config`` says."""
        iat = int(issued.timestamp())
        duration = config.duration
        capabilities = config.capabilities
        user_id = config.user_id
        claims: dict[str, object] = {"exp": iat + duration // _MINUTE * 60, "iat": iat, **fixed}
        if user_id is not None:
            claims["user_id"] = user_id
        claims["attributes"] = config.attributes
        claims["capabilities"] = {
            "allow_publish": _PUBLISH in capabilities,
            "allow_subscribe": _SUBSCRIBE in capabilities,
        }
        claims["version"] = TOKEN_VERSION
        token = _jwt.encode(self._header, claims, self._key)
        return _trusted_token(fixed["jti"], token, config, issued + duration)

    def exchange(
        self,
        token: str,
        *,
        capabilities: Iterable[Capability] | None = None,
        attributes: Mapping[str, str] | None = None,
        user_id: str | None = _KEEP,
        duration: timedelta | int | None = None,
        now: datetime | None = None,
    ) -> ParticipantToken:
        """Make the token a connected participant exchanges its ``token`` for.

        IVS lets a participant swap a self-signed token for another without
        reconnecting (``exchangeToken`` in the client SDKs), to change what it
        may do or what others see of it. The new token keeps the old one's
        ``topic``, ``resource``, ``jti``, ``whip_url`` and ``events_url``, as
        IVS requires; what is not given here is kept from the old token, except
        the expiry, which starts again from ``now``.

        Args:
            token: The token the participant holds, signed by this signer's key.
            capabilities: The new capabilities; the old ones if omitted.
            attributes: The new attributes (replacing the old ones); kept if omitted.
            user_id: The new user ID (None removes it); kept if omitted.
            duration: The new token's lifetime from ``now``; the old token's
                lifetime if omitted.
            now: The issue time (aware); the current time if omitted.

        Returns:
            The new token, for the same participant (``participant_id``).

        Raises:
            InvalidTokenError: The old token is malformed, expired, or not signed
                by this signer's key (a token from CreateParticipantToken cannot
                be exchanged).
            InvalidParameterError: A change breaks a limit of the token model.
        """
        issued = _issued_at(now, "TokenSigner.exchange.now")
        old = self.verify(token, now=issued)
        config = ParticipantTokenConfig(
            duration=old.duration if duration is None else duration,
            capabilities=old.capabilities if capabilities is None else capabilities,
            attributes=old.attributes if attributes is None else attributes,
            user_id=old.user_id if user_id is _KEEP else user_id,
        )
        kept = (old.participant_id, old.stage_arn, old.stage_id, old.events_url, old.whip_url)
        return self._sign(dict(zip(EXCHANGE_FIXED_CLAIMS, kept, strict=True)), config, issued)

    def verify(
        self,
        token: str,
        *,
        stage_arn: str | None = None,
        now: datetime | None = None,
        leeway: timedelta = timedelta(0),
    ) -> TokenClaims:
        """Check a token this signer's key signed, and return its claims.

        Args:
            token: The token string.
            stage_arn: If given, the stage the token must be for.
            now: The moment to judge expiry at (aware); the current time if omitted.
            leeway: Clock skew tolerated past the expiration time.

        Returns:
            The verified claims.

        Raises:
            InvalidTokenError: The token is malformed, not signed by this key (or
                names another key), expired, or for another stage.
        """
        if now is not None:
            moment("TokenSigner.verify.now", now)
        return verify_token(
            token,
            self._key.public_key(),
            public_key_arn=self._public_key_arn,
            stage_arn=stage_arn,
            now=now,
            leeway=leeway,
        )


# -- reading tokens ---------------------------------------------------------------------


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
    user_id: str | None = attrs.field(default=None, validator=USER_ID)
    """The ``user_id`` claim, if any."""
    attributes: Mapping[str, str] = attrs.field(
        default=EMPTY, converter=str_map, validator=StrMap(key=Text(), value=Text())
    )
    """The ``attributes`` claim."""
    capabilities: frozenset[Capability] = attrs.field(
        default=frozenset[Capability](), validator=CAPABILITIES
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
        raise InvalidTokenError("claims", "token claim 'capabilities' is not an object")
    flags: Mapping[str, object] = raw  # pyright: ignore[reportUnknownVariableType]
    granted: set[Capability] = set()
    for name, member in (("allow_publish", _PUBLISH), ("allow_subscribe", _SUBSCRIBE)):
        flag = flags.get(name, False)
        if not isinstance(flag, bool):
            raise InvalidTokenError("claims", f"token capability {name!r} is not a boolean")
        if flag:
            granted.add(member)
    return frozenset(granted)


def _to_claims(header: Mapping[str, Any], claims: Mapping[str, Any]) -> TokenClaims:
    attributes: Mapping[str, Any] = _claim(claims, "attributes", dict, required=False) or {}
    if not all(isinstance(v, str) for v in attributes.values()):
        raise InvalidTokenError("claims", "token claim 'attributes' has a value that is not a str")
    try:
        return TokenClaims(
            public_key_arn=_claim(header, "kid", str),
            participant_id=_claim(claims, "jti", str),
            stage_arn=_claim(claims, "resource", str),
            stage_id=_claim(claims, "topic", str),
            events_url=_claim(claims, "events_url", str),
            whip_url=_claim(claims, "whip_url", str),
            user_id=_claim(claims, "user_id", str, required=False),
            attributes=attributes,
            capabilities=_capabilities(claims.get("capabilities")),
            issued_at=timestamp_claim(claims, "iat"),
            expiration_time=timestamp_claim(claims, "exp"),
            version=_claim(claims, "version", str),
        )
    except InvalidParameterError as exc:
        raise InvalidTokenError("claims", f"token claims are invalid: {exc}") from None


def decode_unverified(token: str) -> TokenClaims:
    """Read a token's claims WITHOUT checking its signature or expiry (for inspection only).

    Args:
        token: The token string.

    Returns:
        The claims, untrusted.

    Raises:
        InvalidTokenError: The token is not a JWT with the claims of a participant token.
    """
    try:
        header, claims = _jwt.decode_unverified(token)
    except _jwt.InvalidTokenError as exc:
        raise InvalidTokenError("malformed", str(exc)) from None
    return _to_claims(header, claims)


def verify_token(
    token: str,
    public_key: PublicKeyInput,
    *,
    public_key_arn: str | None = None,
    stage_arn: str | None = None,
    now: datetime | None = None,
    leeway: timedelta = timedelta(0),
) -> TokenClaims:
    """Verify a self-signed token's ES384 signature and expiry, and return its claims.

    For servers that inspect tokens they issued; the service does its own
    checks when a participant joins.

    Args:
        token: The token string.
        public_key: The signer's P-384 public key: SPKI PEM/DER bytes, PEM text,
            a path to a key file, or a cryptography key object.
        public_key_arn: If given, the ``kid`` the token must name.
        stage_arn: If given, the stage (``resource``) the token must be for.
        now: The moment to judge expiry at (aware); the current time if omitted.
        leeway: Clock skew tolerated past the expiration time.

    Returns:
        The verified claims.

    Raises:
        InvalidParameterError: ``public_key`` is not a P-384 public key.
        InvalidTokenError: The token is malformed, badly signed, expired, names
            another key, or is for another stage.
    """
    judged_at = moment("verify_token.now", now)
    key = load_public_key(public_key)
    try:
        header, _ = _jwt.decode_unverified(token)
    except _jwt.InvalidTokenError as exc:
        raise InvalidTokenError("malformed", str(exc)) from None
    try:
        raw = _jwt.verify(token, key)
    except _jwt.InvalidTokenError as exc:
        raise InvalidTokenError("signature", str(exc)) from None
    if header.get("typ", "JWT") != "JWT":
        raise InvalidTokenError("malformed", "token type is not JWT")
    claims = _to_claims(header, raw)
    if public_key_arn is not None and claims.public_key_arn != public_key_arn:
        raise InvalidTokenError(
            "wrong_key", f"token names key {claims.public_key_arn}, not {public_key_arn}"
        )
    if stage_arn is not None and claims.stage_arn != stage_arn:
        raise InvalidTokenError(
            "wrong_stage", f"token is for stage {claims.stage_arn}, not {stage_arn}"
        )
    if judged_at >= claims.expiration_time + leeway:
        raise InvalidTokenError("expired", f"token expired at {claims.expiration_time.isoformat()}")
    return claims
