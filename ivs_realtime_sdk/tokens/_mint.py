"""Minting: sign a participant token locally, at the speed of the signature itself.

A ``TokenSigner`` encodes what its tokens share once: the header segment (its
key's ``kid``), the claims of each stage it signs for, and the grant of each
config it is given (``_claims``' JSON fragments). A mint then formats two
numbers and an id into the payload, encodes it and signs; every argument is
still checked, and the checks of a stage are remembered with its fragment.
"""

from __future__ import annotations

import logging
import os
import string
import time
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from types import MemberDescriptorType
from typing import Any, NoReturn

import attrs
from cryptography.hazmat.primitives.asymmetric import ec

from ..errors import InvalidParameterError, InvalidParameterTypeError
from ..models._arns import PUBLIC_KEY_ARN, STAGE_ARN
from ..models._constraints import moment
from ..models.stage import Stage
from ..models.token import Capability, ParticipantToken, ParticipantTokenConfig
from . import _jwt
from ._claims import (
    KID,
    TokenClaims,
    grant_json,
    json_string,
    payload_head,
    stage_json,
    topic_of,
)
from ._claims import (
    PARTICIPANT_ID as _PARTICIPANT_ID,
)
from ._keys import PrivateKeyInput, load_private_key, public_pem
from ._read import verify_token

__all__ = ["TokenSigner"]

_log = logging.getLogger(__name__)

# The service model allows an empty id; a token's jti must name someone.
_ID_ALPHABET = string.ascii_letters + string.digits
_ID_LENGTH = 12
# Random bytes map to the 62 characters through one translate() call; bytes from
# 248 = 4 * 62 up are dropped, so that every character is equally likely.
_ID_TABLE = bytes(ord(_ID_ALPHABET[b % len(_ID_ALPHABET)]) for b in range(256))
_ID_DROPPED = bytes(range(256 - 256 % len(_ID_ALPHABET), 256))
_ID_BATCH = 1024  # random bytes per refill: about 80 ids
_MINUTE = timedelta(minutes=1)
_DEFAULT_CONFIG = ParticipantTokenConfig()
# Sentinel of TokenSigner.exchange: "keep the old user_id" (None removes it).
_KEEP: Any = object()
# Fragments a signer remembers; a signer serving more stages or configs than
# this starts again from empty rather than growing without bound.
_CACHE_LIMIT = 64


# -- participant ids --------------------------------------------------------------------

# Ids drawn ahead, so that one urandom call and one translate serve ~80 mints.
# list.append and list.pop are atomic, so threads share the pool without a lock;
# a forked child empties it, or parent and child would hand out the same ids.
_ids: list[str] = []
os.register_at_fork(after_in_child=_ids.clear)


def _new_participant_id() -> str:
    """Return 12 random alphanumerics, like the ids the service assigns."""
    try:
        return _ids.pop()
    except IndexError:
        pass
    chars = os.urandom(_ID_BATCH).translate(_ID_TABLE, _ID_DROPPED).decode("ascii")
    fresh = [chars[i : i + _ID_LENGTH] for i in range(0, len(chars) - _ID_LENGTH + 1, _ID_LENGTH)]
    _ids.extend(fresh[1:])
    return fresh[0]


# -- minting ----------------------------------------------------------------------------


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
_FAST_TOKENS = tuple(f.name for f in attrs.fields(ParticipantToken)) == _TRUSTED_FIELDS and all(
    isinstance(ParticipantToken.__dict__.get(name), MemberDescriptorType)
    for name in _TRUSTED_FIELDS
)
# The slots' own setters: attrs' way of filling a frozen instance
# (object.__setattr__) without looking each name up again.
if _FAST_TOKENS:
    _SET_ID, _SET_TOKEN, _SET_USER, _SET_ATTRIBUTES, _SET_DURATION, _SET_CAPS, _SET_EXPIRY = (
        ParticipantToken.__dict__[name].__set__ for name in _TRUSTED_FIELDS
    )


class _Prepared:
    """What a stage and a config make of every token: the end of its payload, its lifetime."""

    __slots__ = ("config", "lifetime", "stage", "tails")

    def __init__(
        self, stage: Stage | None, config: ParticipantTokenConfig, claims_of_stage: str
    ) -> None:
        self.stage = stage
        self.config = config
        granted = grant_json(config.user_id, config.attributes, config.capabilities)
        self.tails = _jwt.encode_tail((claims_of_stage + granted).encode("utf-8"))
        self.lifetime = config.duration // _MINUTE * 60


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

    __slots__ = ("_head", "_key", "_prepared", "_public_key_arn", "_scope", "_stages")

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
        # The header is the same for every token of this key: encoded once, with
        # the dot that follows it. The key's curve was checked by load_private_key.
        header = {"alg": _jwt.ALGORITHM, "typ": "JWT", KID: public_key_arn}
        self._head = _jwt.header_segment(header) + b"."
        # (arn, events, whip) -> the stage's claims as JSON, checked.
        self._stages: dict[tuple[str, str | None, str | None], str] = {}
        # (id(stage), id(config)) -> what they make of every token, checked. Both
        # are frozen and held by the entry, so neither id is reused while it lives.
        self._prepared: dict[tuple[int, int], _Prepared] = {}
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
        return public_pem(self._key.public_key())

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
        prepared = self._prepared.get((id(stage), id(config)))
        if prepared is None or prepared.stage is not stage or prepared.config is not config:
            prepared = self._prepare(stage, config, participant_id)
        elif participant_id is not None:
            _PARTICIPANT_ID.check("TokenSigner.mint.participant_id", participant_id)
        if participant_id is None:
            participant_id = _new_participant_id()
        iat = int(time.time()) if now is None else int(_issued_at(now).timestamp())
        # A checked id is of [a-zA-Z0-9-_], which JSON needs no escape for.
        return self._sign(f'"{participant_id}"', participant_id, prepared, iat)

    def _prepare(
        self, stage: Stage, config: ParticipantTokenConfig, participant_id: str | None
    ) -> _Prepared:
        """Check the arguments of a mint (in order), and remember what they make."""
        if not isinstance(stage, Stage):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise InvalidParameterTypeError(
                "TokenSigner.mint.stage",
                f"expected Stage, got {type(stage).__name__} (from a stored ARN and endpoints: "
                "Stage(arn=..., endpoints=StageEndpoints(events=..., whip=...)))",
            )
        endpoints = stage.endpoints
        place = (
            stage.arn,
            endpoints.events if endpoints is not None else None,
            endpoints.whip if endpoints is not None else None,
        )
        claims_of_stage = self._stages.get(place) or self._check_stage(*place)
        if participant_id is not None:
            _PARTICIPANT_ID.check("TokenSigner.mint.participant_id", participant_id)
        if not isinstance(config, ParticipantTokenConfig):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise InvalidParameterTypeError(
                "TokenSigner.mint.config",
                f"expected ParticipantTokenConfig, got {type(config).__name__}",
            )
        prepared = _Prepared(stage, config, claims_of_stage)
        if len(self._prepared) >= _CACHE_LIMIT:
            self._prepared.clear()
        self._prepared[(id(stage), id(config))] = prepared
        return prepared

    def _check_stage(self, arn: str, events_url: str | None, whip_url: str | None) -> str:
        """Check a stage's ARN and endpoints, and remember its claims as JSON."""
        # A Stage is a response model, checked for type only; here it is input.
        STAGE_ARN.check("TokenSigner.mint.stage.arn", arn)
        if not arn.startswith(self._scope):
            raise InvalidParameterError(
                "TokenSigner.mint.stage",
                f"stage {arn} is not in the region and account of public key "
                f"{self._public_key_arn}; IVS looks the key up in the stage's region and account",
            )
        if events_url is None or whip_url is None:
            raise InvalidParameterError(
                "TokenSigner.mint.stage",
                "the stage has no events and whip endpoints; pass the Stage get_stage returns",
            )
        written = stage_json(arn, topic_of(arn), events_url, whip_url)
        if len(self._stages) >= _CACHE_LIMIT:
            self._stages.clear()
        self._stages[(arn, events_url, whip_url)] = written
        return written

    def _sign(
        self, jti: str, participant_id: str, prepared: _Prepared, iat: int
    ) -> ParticipantToken:
        """Sign a token: ``jti`` (as JSON) and the issue time, then what ``prepared`` holds."""
        exp = iat + prepared.lifetime
        prefix = payload_head(exp, iat, jti).encode("utf-8")
        token = _jwt.sign_with_tail(self._head, prefix, prepared.tails, self._key)
        config = prepared.config
        expires = datetime.fromtimestamp(exp, UTC)
        if not _FAST_TOKENS:
            return ParticipantToken(
                participant_id=participant_id,
                token=token,
                user_id=config.user_id,
                attributes=config.attributes,
                duration=config.duration,
                capabilities=config.capabilities,
                expiration_time=expires,
            )
        built = object.__new__(ParticipantToken)
        _SET_ID(built, participant_id)
        _SET_TOKEN(built, token)
        _SET_USER(built, config.user_id)
        _SET_ATTRIBUTES(built, config.attributes)
        _SET_DURATION(built, config.duration)
        _SET_CAPS(built, config.capabilities)
        _SET_EXPIRY(built, expires)
        return built

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
        # The old token's claims are kept as they were written, so its jti is
        # escaped like any string: another program may have signed it.
        claims_of_stage = stage_json(old.stage_arn, old.stage_id, old.events_url, old.whip_url)
        prepared = _Prepared(None, config, claims_of_stage)
        jti = json_string(old.participant_id)
        return self._sign(jti, old.participant_id, prepared, int(issued.timestamp()))

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
