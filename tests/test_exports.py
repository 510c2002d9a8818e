"""The public surface: what ``import ivs_realtime_sdk`` gives, and what it costs."""

from __future__ import annotations

import subprocess
import sys

import ivs_realtime_sdk
from ivs_realtime_sdk import errors


def test_all_is_sorted_and_every_name_exists() -> None:
    assert ivs_realtime_sdk.__all__ == sorted(ivs_realtime_sdk.__all__)
    for name in ivs_realtime_sdk.__all__:
        assert getattr(ivs_realtime_sdk, name) is not None


def test_the_documented_names_import() -> None:
    from ivs_realtime_sdk import (  # noqa: F401
        AsyncIVSRealTime,
        Capability,
        CreatedStage,
        IVSRealTime,
        ParticipantToken,
        ParticipantTokenConfig,
        Stage,
        StageEndpoints,
        StageSpec,
        StageSummary,
    )


def test_error_tree() -> None:
    assert errors.__all__ == sorted(errors.__all__)
    service_errors = [
        errors.ValidationError,
        errors.ResourceNotFoundError,
        errors.AccessDeniedError,
        errors.ConflictError,
        errors.ServiceQuotaExceededError,
        errors.PendingVerificationError,
        errors.InternalServerError,
        errors.ThrottlingError,
    ]
    for cls in service_errors:
        assert issubclass(cls, errors.ServiceError)
        assert issubclass(cls, errors.IVSRealTimeError)
    assert issubclass(errors.InvalidParameterError, ValueError)
    assert issubclass(errors.InvalidParameterTypeError, TypeError)
    assert issubclass(errors.RequestTimeoutError, TimeoutError)
    for name in errors.__all__:
        assert issubclass(getattr(errors, name), errors.IVSRealTimeError)


def test_sync_use_never_loads_aiohttp_or_aiobotocore() -> None:
    code = (
        "import sys, ivs_realtime_sdk\n"
        "from ivs_realtime_sdk import IVSRealTime, AsyncIVSRealTime, StageSpec\n"
        "IVSRealTime(region_name='us-east-1')\n"
        "loaded = {m.split('.')[0] for m in sys.modules}\n"
        "print(sorted(loaded & {'aiohttp', 'aiobotocore', 'aioboto3'}))\n"
    )
    env = {"AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "y", "PATH": ""}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.strip() == "[]"


def test_every_model_name_loads_from_the_family_that_defines_it() -> None:
    """``models.__all__`` and the lazy-loading table name the same models, each at home."""
    from ivs_realtime_sdk import models

    families = models._FAMILY  # pyright: ignore[reportPrivateUsage]
    assert sorted(families) == sorted(models.__all__)
    for name in models.__all__:
        assert getattr(models, name).__name__ == name
