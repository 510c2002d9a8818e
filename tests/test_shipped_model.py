"""The service model the SDK ships: who loads it, who must not, and how a bad one fails."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import boto3
import botocore.session
import pytest
from botocore.loaders import Loader

from ivs_realtime_sdk import AsyncIVSRealTime, IVSRealTime, _shipped
from ivs_realtime_sdk.errors import (
    ConfigurationError,
    MissingExtraError,
    ServiceModelError,
    UnsupportedOperationError,
)
from ivs_realtime_sdk.local import LocalIVSRealTime, _server

from .conftest import CREDENTIALS

ROOT = Path(__file__).resolve().parent.parent
SHIPPED_OPERATIONS = set(_shipped.service_model().operation_names)


def _script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_shipped_files_are_the_ones_the_refresh_recorded() -> None:
    source = _shipped.source()
    assert source["service"] == "ivs-realtime"
    assert source["api_version"] == "2020-07-14"
    for name, digest in source["files_sha256"].items():
        path = _shipped.DATA_ROOT / "ivs-realtime" / "2020-07-14" / name
        assert hashlib.sha256(path.read_bytes()).hexdigest() == digest, name


def test_the_shipped_model_has_the_newest_service() -> None:
    assert "RevokeConnectionToken" in SHIPPED_OPERATIONS
    model = _shipped.service_model()
    assert model.shape_for("ReconnectWindowSeconds").metadata["max"] == 300


def test_facade_clients_speak_the_shipped_model_whatever_botocore_is_installed() -> None:
    session = boto3.Session(**CREDENTIALS)
    loader = session._session.get_component("data_loader")
    paths = list(loader.search_paths)
    with IVSRealTime(session=session, endpoint_url="http://127.0.0.1:9") as sdk:
        client: Any = sdk._client  # pyright: ignore[reportPrivateUsage]
        assert set(client.meta.service_model.operation_names) == SHIPPED_OPERATIONS
        assert hasattr(client, "revoke_connection_token")
    # The caller's session, its loader and its later clients are untouched.
    assert session._session.get_component("data_loader") is loader
    assert loader.search_paths == paths
    own = session.client("ivs-realtime", endpoint_url="http://127.0.0.1:9")
    installed = Loader().load_service_model("ivs-realtime", "service-2")
    assert set(own.meta.service_model.operation_names) == set(installed["operations"])
    own.close()


async def test_the_async_facade_speaks_the_shipped_model() -> None:
    import aioboto3

    session = aioboto3.Session(**CREDENTIALS)
    loader = session._session.get_component("data_loader")
    async with AsyncIVSRealTime(session=session, endpoint_url="http://127.0.0.1:9") as sdk:
        client: Any = sdk._client  # pyright: ignore[reportPrivateUsage]
        assert set(client.meta.service_model.operation_names) == SHIPPED_OPERATIONS
    assert session._session.get_component("data_loader") is loader


def test_a_wrapped_client_without_the_operation_raises_a_typed_error() -> None:
    old_client = SimpleNamespace(meta=SimpleNamespace(region_name="us-east-1", endpoint_url=None))
    sdk = IVSRealTime.from_client(old_client)
    with pytest.raises(UnsupportedOperationError) as caught:
        sdk.get_stage("arn:aws:ivs:us-east-1:123456789012:stage/abcdEFGH1234")
    assert caught.value.operation_name == "GetStage"
    assert "from_client" in str(caught.value)
    assert not isinstance(caught.value, AttributeError)


def test_a_real_client_of_an_older_model_keeps_it_and_raises_a_typed_error(
    tmp_path: Path,
) -> None:
    # A botocore session whose data path holds a model without RevokeConnectionToken,
    # as the botocore that aioboto3 pins has.
    older = json.loads(json.dumps(_shipped.load("service-2")))
    del older["operations"]["RevokeConnectionToken"]
    folder = tmp_path / "ivs-realtime" / "2020-07-14"
    folder.mkdir(parents=True)
    (folder / "service-2.json").write_text(json.dumps(older))
    botocore_session = botocore.session.Session()
    botocore_session.set_config_variable("data_path", str(tmp_path))
    session = boto3.Session(botocore_session=botocore_session, **CREDENTIALS)
    client = session.client("ivs-realtime", endpoint_url="http://127.0.0.1:9")
    sdk = IVSRealTime.from_client(client)
    with pytest.raises(UnsupportedOperationError) as caught:
        sdk.revoke_connection_token("guest_7")
    assert caught.value.operation_name == "RevokeConnectionToken"
    assert not hasattr(client, "revoke_connection_token")
    client.close()


async def test_the_async_facade_names_its_extra_when_aioboto3_is_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # None in sys.modules makes `import aioboto3` raise ImportError, as if not installed.
    monkeypatch.setitem(sys.modules, "aioboto3", None)
    with pytest.raises(MissingExtraError) as caught:
        AsyncIVSRealTime(region_name="us-east-1")
    assert caught.value.extra == "async"
    assert "pip install 'ivs-realtime-sdk[async]'" in str(caught.value)
    assert isinstance(caught.value, ImportError | ConfigurationError)


def test_a_foreign_model_fails_with_a_clear_error() -> None:
    foreign = Loader().load_service_model("ivs", "service-2")
    with pytest.raises(ServiceModelError, match="not of ivs-realtime 2020-07-14"):
        _shipped.check_service_data(foreign, "ivs model")


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda m: m.pop("shapes"), "no shapes"),
        (lambda m: m["operations"]["GetStage"].pop("http"), "GetStage has no HTTP method"),
        (
            lambda m: m["operations"]["GetStage"].update(input={"shape": "Nope"}),
            "GetStage names no input shape",
        ),
    ],
)
def test_a_malformed_model_fails_with_a_clear_error(damage: Any, message: str) -> None:
    model = json.loads(json.dumps(_shipped.load("service-2")))
    damage(model)
    with pytest.raises(ServiceModelError, match=message):
        _shipped.check_service_data(model, "damaged")


def test_an_unreadable_shipped_model_fails_with_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "ivs-realtime" / "2020-07-14"
    folder.mkdir(parents=True)
    (folder / "service-2.json").write_text("{not json")
    monkeypatch.setattr(_shipped, "DATA_ROOT", tmp_path)
    with pytest.raises(ServiceModelError, match="service-2"):
        _shipped.load.__wrapped__("service-2")
    with pytest.raises(ServiceModelError, match="missing"):
        _shipped.load.__wrapped__("paginators-1")


async def test_the_emulator_refuses_a_model_its_handlers_do_not_match(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    everything = _server.operations()
    fewer = {k: v for k, v in everything.items() if k != "RevokeConnectionToken"}
    monkeypatch.setattr(_server, "operations", lambda: fewer)
    server = LocalIVSRealTime()
    with pytest.raises(ServiceModelError, match="RevokeConnectionToken"):
        await server.astart()


def test_drift_lists_what_differs() -> None:
    drift = _script("drift")
    ours = _shipped.load("service-2")
    theirs = json.loads(json.dumps(ours))
    del theirs["operations"]["RevokeConnectionToken"]
    theirs["shapes"]["EventName"]["enum"].remove("TOKEN_EXCHANGED")
    theirs["shapes"]["ReconnectWindowSeconds"]["max"] = 60
    del theirs["shapes"]["Participant"]["members"]["redundantIngest"]
    lines = drift.differences(ours, theirs)
    assert "+ operation RevokeConnectionToken" in lines
    assert "+ enum EventName.TOKEN_EXCHANGED" in lines
    assert "~ limit ReconnectWindowSeconds.max: 60 -> 300" in lines
    assert "+ member Participant.redundantIngest" in lines
    assert drift.differences(ours, ours) == []


def test_the_docs_name_the_botocore_the_shipped_model_came_from() -> None:
    stated = f"botocore {_shipped.source()['botocore']}"
    for page in (ROOT / "README.md", ROOT / "docs" / "quickstart.md"):
        assert stated in page.read_text("utf-8"), page.name
