"""The botocore internals the tuned clients rely on are the reviewed ones, or left alone.

Like aiobotocore's ``tests/test_patches.py``: an upgrade that changes any
guarded internal fails here first. And at run time a changed internal makes
the SDK keep botocore's own path for the tuning that relies on it: each
tuning is checked by replacing one of its internals and making real calls.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from ivs_realtime_sdk import AsyncIVSRealTime, IVSRealTime, ParticipantTokenConfig, StageSpec
from ivs_realtime_sdk._botocore_tuning import _guard as guard
from ivs_realtime_sdk._botocore_tuning._wire import installed
from ivs_realtime_sdk.errors import ResourceNotFoundError
from ivs_realtime_sdk.local import LocalIVSRealTime

CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
SYNC = sorted(name.split(".", 1)[1] for name in guard.TUNINGS if name.startswith("sync."))
ASYNC = sorted(name.split(".", 1)[1] for name in guard.TUNINGS if name.startswith("async."))


@pytest.fixture(scope="module")
def server() -> Iterator[LocalIVSRealTime]:
    with LocalIVSRealTime() as running:
        yield running


@pytest.fixture(autouse=True)
def _fresh_checks() -> Iterator[None]:
    guard.forget()
    yield
    guard.forget()


def test_every_guarded_internal_is_the_reviewed_one() -> None:
    import aiobotocore.endpoint  # noqa: F401  (the async internals live there)

    now = guard.reviewed_now()
    differing = {
        internal: found
        for internal, found in now.items()
        if found not in guard.reviewed().internals.get(internal, frozenset())
    }
    assert not differing, (
        "botocore internals the SDK tunes have changed; review each tuning that names "
        f"them in _guard.TUNINGS, then add the new fingerprints to _reviewed.json: {differing}"
    )
    assert set(guard.reviewed().internals) == set(now), (
        "_reviewed.json lists exactly the guarded internals"
    )


def test_every_guarded_module_file_is_a_reviewed_one() -> None:
    import aiobotocore.endpoint  # noqa: F401

    now = guard.reviewed_files_now()
    differing = {
        module: found
        for module, found in now.items()
        if found not in guard.reviewed().files.get(module, frozenset())
    }
    assert not differing, (
        "source files holding guarded internals have changed; once their internals are "
        f"reviewed, add these digests to _reviewed.json: {differing}"
    )
    assert set(guard.reviewed().files) == set(now)


def test_a_changed_file_falls_back_to_the_internals_own_source(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Another part of botocore/auth.py changed: the file digest no longer matches,
    # but every internal the tuning relies on is still the reviewed one.
    monkeypatch.setitem(guard._file_digests, "botocore.auth", "0" * 64)  # pyright: ignore[reportPrivateUsage]
    assert guard.changed("sync.sigv4") == []


def test_a_fingerprint_follows_the_source(monkeypatch: pytest.MonkeyPatch) -> None:
    # (The file digest cannot see a change made in memory; the check then reads
    # the internal itself, as it does when an upgrade changes the file.)
    from botocore.auth import SigV4Auth

    before = guard.fingerprint("botocore.auth:SigV4Auth")
    assert before is not None
    monkeypatch.setattr(SigV4Auth, "payload", lambda self, request: "changed", raising=True)
    assert guard.fingerprint("botocore.auth:SigV4Auth") not in (None, before)
    assert guard.fingerprint("botocore.nowhere:Missing") is None


def test_clients_are_fully_tuned_when_nothing_changed(server: LocalIVSRealTime) -> None:
    session = boto3.Session(region_name="us-east-1", **CREDENTIALS)
    with IVSRealTime(session=session, endpoint_url=server.endpoint_url) as sdk:
        assert installed(sdk._client) == set(SYNC)  # pyright: ignore[reportPrivateUsage]


def _change(monkeypatch: pytest.MonkeyPatch, internal: str) -> None:
    """Replace a guarded internal with one that behaves the same but reads differently."""
    module_name, _, qualified = internal.partition(":")
    owner_path, _, name = qualified.rpartition(".")
    owner: Any = (
        guard._resolve(f"{module_name}:{owner_path}")  # pyright: ignore[reportPrivateUsage]
        if owner_path
        else importlib.import_module(module_name)
    )
    target: Any = getattr(owner, name)
    if isinstance(target, type):
        # A class changes when one of its methods does: replace its first one.
        method = min(k for k, v in vars(target).items() if inspect.isfunction(v))
        owner, name, target = target, method, getattr(target, method)

    def changed(*args: Any, **kwargs: Any) -> Any:
        return target(*args, **kwargs)

    monkeypatch.setattr(owner, name, changed)


def _kept(facade: str, internal: str) -> set[str]:
    """The tunings of a facade that do not rely on ``internal``."""
    return {
        name.split(".", 1)[1]
        for name, internals in guard.TUNINGS.items()
        if name.startswith(f"{facade}.") and internal not in internals
    }


SPEC = StageSpec(
    name="guarded",
    participant_token_configurations=[ParticipantTokenConfig(user_id=f"u{i}") for i in range(3)],
    tags={"k": "v"},
)


@pytest.mark.parametrize("tuning", SYNC)
def test_a_changed_internal_keeps_botocores_path_sync(
    tuning: str, server: LocalIVSRealTime, monkeypatch: pytest.MonkeyPatch
) -> None:
    internal = guard.TUNINGS[f"sync.{tuning}"][0]
    _change(monkeypatch, internal)
    session = boto3.Session(region_name="us-east-1", **CREDENTIALS)
    with IVSRealTime(session=session, endpoint_url=server.endpoint_url) as sdk:
        tuned = installed(sdk._client)  # pyright: ignore[reportPrivateUsage]
        assert tuning not in tuned
        assert tuned == _kept("sync", internal)
        created = sdk.create_stage(SPEC)
        assert len(created.participant_tokens) == 3
        assert sdk.get_stage(created.stage.arn) == created.stage
        assert dict(sdk.list_tags_for_resource(created.stage.arn)) == {"k": "v"}
        with pytest.raises(ResourceNotFoundError):
            sdk.get_stage(created.stage.arn.replace(created.stage.arn[-6:], "nohere"))


@pytest.mark.parametrize("tuning", ASYNC)
async def test_a_changed_internal_keeps_botocores_path_async(
    tuning: str, server: LocalIVSRealTime, monkeypatch: pytest.MonkeyPatch
) -> None:
    import aioboto3

    internal = guard.TUNINGS[f"async.{tuning}"][0]
    _change(monkeypatch, internal)
    session = aioboto3.Session(region_name="us-east-1", **CREDENTIALS)
    async with AsyncIVSRealTime(session=session, endpoint_url=server.endpoint_url) as sdk:
        tuned = installed(sdk._client)  # pyright: ignore[reportPrivateUsage]
        assert tuning not in tuned
        assert tuned == _kept("async", internal)
        created = await sdk.create_stage(SPEC)
        assert len(created.participant_tokens) == 3
        assert await sdk.get_stage(created.stage.arn) == created.stage
        with pytest.raises(ResourceNotFoundError):
            await sdk.get_stage(created.stage.arn.replace(created.stage.arn[-6:], "nohere"))


def test_a_changed_internal_is_logged(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    _change(monkeypatch, "botocore.auth:_host_from_url")
    with caplog.at_level("DEBUG", logger="ivs_realtime_sdk"):
        assert not guard.intact("sync.sigv4")
    assert "botocore.auth:_host_from_url" in caplog.text
    assert guard.intact("sync.reader")


def test_unreadable_reviewed_fingerprints_keep_botocores_path_everywhere(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(guard, "REVIEWED_PATH", tmp_path / "missing.json")
    monkeypatch.setattr(guard, "_reviewed", None)
    assert not any(guard.intact(tuning) for tuning in guard.TUNINGS)
    damaged = tmp_path / "damaged.json"
    damaged.write_text('{"internals": []}')
    monkeypatch.setattr(guard, "REVIEWED_PATH", damaged)
    monkeypatch.setattr(guard, "_reviewed", None)
    guard.forget()
    assert not any(guard.intact(tuning) for tuning in guard.TUNINGS)


def test_the_reviewed_fingerprints_are_read_once_whatever_the_threads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import threading

    reads: list[int] = []
    read = guard._read_reviewed  # pyright: ignore[reportPrivateUsage]

    def counted() -> guard.Reviewed:
        reads.append(1)
        return read()

    monkeypatch.setattr(guard, "_read_reviewed", counted)
    monkeypatch.setattr(guard, "_reviewed", None)
    seen: list[guard.Reviewed] = []
    threads = [threading.Thread(target=lambda: seen.append(guard.reviewed())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(reads) == 1
    assert all(found is seen[0] for found in seen)
    assert seen[0].internals
    assert seen[0].files
