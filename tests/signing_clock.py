"""Freeze the clock that SigV4 signing reads, in every botocore release the SDK supports.

botocore 1.40 signs at ``botocore.auth.get_current_datetime()``; the floor
release (1.38) at ``datetime.datetime.utcnow()``. Tests that compare two
signatures must fix both.
"""

from __future__ import annotations

import datetime
import types

import botocore.auth
import pytest


def freeze_signing_clock(monkeypatch: pytest.MonkeyPatch, moment: datetime.datetime) -> None:
    """Make every SigV4 signature of the test use ``moment``."""

    class Clock(datetime.datetime):
        @classmethod
        def utcnow(cls) -> datetime.datetime:
            return moment

    frozen = types.SimpleNamespace(**{**vars(datetime), "datetime": Clock})
    monkeypatch.setattr(botocore.auth, "get_current_datetime", lambda: moment, raising=False)
    monkeypatch.setattr(botocore.auth, "datetime", frozen)
