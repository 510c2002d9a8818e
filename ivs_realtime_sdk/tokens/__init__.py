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

The package, by what each module does: ``_keys`` (load and make keys),
``_mint`` (``TokenSigner``), ``_read`` (check and read tokens), ``_claims``
(the claims: names, ``TokenClaims``, writing and reading; the seam ``media``
and the emulator use) and ``_jwt`` (ES384 compact JWS).
"""

from __future__ import annotations

from ..errors import InvalidTokenError
from ._claims import TokenClaims
from ._keys import (
    KeyPair,
    PrivateKeyInput,
    PublicKeyInput,
    generate_key_pair,
    load_private_key,
    load_public_key,
)
from ._mint import TokenSigner
from ._read import decode_unverified, verify_token

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
