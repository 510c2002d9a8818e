"""The cut-down endpoint data answers for ivs-realtime exactly as botocore's whole file."""

from __future__ import annotations

import copy
import hashlib
import itertools
from pathlib import Path
from typing import Any

import boto3
import botocore
import botocore.exceptions
import pytest
from botocore.loaders import Loader
from botocore.regions import EndpointResolver

from ivs_realtime_sdk import IVSRealTime
from ivs_realtime_sdk._botocore_tuning import _guard as guard
from ivs_realtime_sdk._botocore_tuning import _startup as startup

PREFIX = "ivsrealtime"


def _installed_digest() -> str:
    installed = (Path(Loader.BUILTIN_DATA_PATH) / "endpoints.json").read_bytes()
    return hashlib.sha256(installed).hexdigest()


#: Whether the installed botocore has the endpoint data the shipped cut came from
#: (botocore 1.40.61, which aioboto3 15.5 pins; not the declared floor).
CUT_APPLIES = startup.pruned_data()["source"]["sha256"] == _installed_digest()


@pytest.fixture(scope="module")
def resolvers() -> tuple[EndpointResolver, EndpointResolver]:
    """botocore's whole resolver, and the one a session the SDK creates uses."""
    whole, _ = Loader().load_data_with_path("endpoints")
    session = boto3.Session(region_name="us-east-1")._session  # pyright: ignore[reportPrivateUsage]
    assert startup.use_own_endpoint_data(session) is CUT_APPLIES, (
        f"botocore {botocore.__version__}: the cut applies only to the data it was cut "
        f"from ({startup.pruned_data()['source']}); to cut this one, run "
        "python scripts/prune_endpoints.py"
    )
    used = session._get_internal_component("endpoint_resolver")
    return EndpointResolver(whole, True), used


def test_every_region_resolves_alike(resolvers: tuple[EndpointResolver, EndpointResolver]) -> None:
    whole, pruned = resolvers
    assert pruned.get_available_partitions() == whole.get_available_partitions()
    regions = {
        region
        for partition in whole.get_available_partitions()
        for region in whole.get_available_endpoints(PREFIX, partition, allow_non_regional=True)
    } | {"us-east-1", "eu-west-1", "ap-northeast-1", "cn-north-1", "us-gov-west-1", "nowhere-1"}
    assert len(regions) > 5
    for region, fips, dualstack in itertools.product(sorted(regions), (False, True), (False, True)):
        options: dict[str, Any] = {"use_fips_endpoint": fips, "use_dualstack_endpoint": dualstack}
        assert pruned.construct_endpoint(PREFIX, region, **options) == whole.construct_endpoint(
            PREFIX, region, **options
        ), (region, options)
        assert _partition(pruned, region) == _partition(whole, region)
    for partition in whole.get_available_partitions():
        assert pruned.get_available_endpoints(PREFIX, partition) == whole.get_available_endpoints(
            PREFIX, partition
        )


def _partition(resolver: EndpointResolver, region: str) -> str:
    try:
        return str(resolver.get_partition_for_region(region))
    except botocore.exceptions.UnknownRegionError as error:
        return repr(error)


@pytest.mark.parametrize("region", ["us-east-1", "eu-central-1", "ap-south-1"])
def test_an_sdk_client_is_configured_as_a_raw_one(
    region: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    raw: Any = boto3.client("ivs-realtime", region_name=region)
    with IVSRealTime(region_name=region) as sdk:
        client: Any = sdk._client  # pyright: ignore[reportPrivateUsage]
        assert client.meta.endpoint_url == raw.meta.endpoint_url
        assert client.meta.region_name == raw.meta.region_name
        assert client.meta.partition == raw.meta.partition
        assert client._request_signer._signing_name == raw._request_signer._signing_name
        assert client._request_signer._region_name == raw._request_signer._region_name


def test_a_session_passed_in_is_left_as_it_was_and_its_copy_gets_the_cut(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    session = boto3.Session(region_name="eu-west-1")
    inner: Any = session._session  # pyright: ignore[reportPrivateUsage]
    with IVSRealTime(session=session) as sdk:
        client: Any = sdk._client  # pyright: ignore[reportPrivateUsage]
        # The cut went on the SDK's copy: the caller's session has not even built
        # its resolver yet (without the cut, the copy built it, as botocore would).
        assert ("endpoint_resolver" in inner._internal_components._deferred) is CUT_APPLIES
        raw: Any = session.client("ivs-realtime")
        assert client.meta.endpoint_url == raw.meta.endpoint_url
        assert client.meta.region_name == raw.meta.region_name == "eu-west-1"
        assert client.meta.partition == raw.meta.partition
    # The caller's session resolves from botocore's whole data, which knows S3.
    assert inner._get_internal_component("endpoint_resolver").get_available_endpoints("s3")
    # A session that built its resolver already keeps it for the SDK's copy too.
    assert not startup.use_own_endpoint_data(copy.copy(inner))


def test_other_data_keeps_botocores_whole_file(monkeypatch: pytest.MonkeyPatch) -> None:
    session = boto3.Session(region_name="us-east-1")._session  # pyright: ignore[reportPrivateUsage]
    assert startup.use_own_endpoint_data(session) is CUT_APPLIES
    resolver = session._get_internal_component("endpoint_resolver")
    # The cut holds ivs-realtime alone; botocore's whole data knows S3.
    assert (resolver.get_available_endpoints("s3") == []) is CUT_APPLIES

    real = startup.pruned_data()
    stale = {**real, "source": {"botocore": "0", "sha256": "0" * 64}}
    monkeypatch.setattr(startup, "pruned_data", lambda: stale)
    other = boto3.Session(region_name="us-east-1")._session  # pyright: ignore[reportPrivateUsage]
    assert not startup.use_own_endpoint_data(other)
    assert other._get_internal_component("endpoint_resolver").get_available_endpoints("s3")


def test_a_changed_internal_keeps_the_whole_file(monkeypatch: pytest.MonkeyPatch) -> None:
    from botocore.regions import EndpointResolver as Resolver

    original = Resolver.construct_endpoint

    def changed(*args: Any, **kwargs: Any) -> Any:
        return original(*args, **kwargs)

    monkeypatch.setattr(Resolver, "construct_endpoint", changed)
    guard.forget()
    try:
        session = boto3.Session(region_name="us-east-1")._session  # pyright: ignore[reportPrivateUsage]
        assert not startup.use_own_endpoint_data(session)
    finally:
        guard.forget()


def test_the_sdks_loader_loads_what_botocores_loads_without_listing_services() -> None:
    with IVSRealTime(region_name="us-east-1") as sdk:
        shared = sdk._client._loader  # pyright: ignore[reportPrivateUsage]
    assert type(shared) is startup.loader_class()
    assert type(shared) is not Loader
    # A fresh one, whose caches are empty.
    quick = startup.loader_class()(
        extra_search_paths=list(shared.search_paths), include_default_search_paths=False
    )
    plain = Loader(extra_search_paths=list(shared.search_paths), include_default_search_paths=False)
    calls: list[str] = []
    listing = quick.list_available_services
    quick.list_available_services = lambda type_name: calls.append(type_name) or listing(type_name)
    try:
        for type_name in ("service-2", "endpoint-rule-set-1", "paginators-1"):
            assert quick.load_service_model("ivs-realtime", type_name) == plain.load_service_model(
                "ivs-realtime", type_name
            )
        assert calls == []  # ours is found without listing every service
        assert quick.load_service_model("s3", "service-2") == plain.load_service_model(
            "s3", "service-2"
        )
        assert calls == ["service-2"]
        with pytest.raises(botocore.exceptions.UnknownServiceError):
            quick.load_service_model("no-such-service", "service-2")
    finally:
        del quick.list_available_services


async def test_an_async_sdk_client_on_its_own_session_works(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ivs_realtime_sdk import AsyncIVSRealTime, StageSpec
    from ivs_realtime_sdk.local import LocalIVSRealTime

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with LocalIVSRealTime() as server:
        async with AsyncIVSRealTime(
            region_name="eu-west-1", endpoint_url=server.endpoint_url
        ) as sdk:
            client: Any = sdk._client  # pyright: ignore[reportPrivateUsage]
            assert client.meta.partition == "aws"
            created = await sdk.create_stage(StageSpec(name="own"))
            assert (await sdk.get_stage(created.stage.arn)).name == "own"
