"""Merge bridge: the emulator's old door to ``tokens._jwt``; delete once ``local`` uses the seam.

``local/`` (being rewritten in parallel) still imports ``ivs_realtime_sdk._jwt``
and catches ``_jwt.InvalidTokenError``; its call sites move to
``tokens._claims`` and ``tokens._jwt`` (``JWTError``) at the merge, and this
module is removed with them.
"""

from __future__ import annotations

from .tokens._jwt import ALGORITHM, JWTError, decode_unverified, encode, verify

InvalidTokenError = JWTError

__all__ = ["ALGORITHM", "InvalidTokenError", "decode_unverified", "encode", "verify"]
