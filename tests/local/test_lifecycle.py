"""Starting and stopping the emulator: sync, async, the pytest fixture, and ``serve()``."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
from typing import Any

import boto3
import pytest

import ivs_realtime_sdk.local as local
from ivs_realtime_sdk.local import LocalIVSRealTime, running_servers


def _port_is_free(port: int) -> bool:
    # SO_REUSEADDR, as servers bind: closed keep-alive connections linger in TIME_WAIT.
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
            probe.listen()
        except OSError:
            return False
    return True


def test_public_names_are_exported() -> None:
    assert local.__all__ == sorted(local.__all__)
    for name in local.__all__:
        assert getattr(local, name).__doc__


def test_sync_context_manager_frees_the_port(make_client: Any) -> None:
    with LocalIVSRealTime() as server:
        port = server.port
        assert server.endpoint_url == f"http://127.0.0.1:{port}"
        assert server in running_servers()
        make_client(server).list_stages()
    assert not server.running
    assert server not in running_servers()
    assert _port_is_free(port)
    server.stop()  # idempotent
    with LocalIVSRealTime(port=port) as again:
        make_client(again).list_stages()


def test_fixed_port_and_double_start(make_client: Any) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with LocalIVSRealTime(port=port) as server:
        assert server.port == port
        with pytest.raises(RuntimeError):
            server.start()
    with pytest.raises(RuntimeError):
        _ = server.endpoint_url


async def test_async_context_manager_runs_on_the_current_loop(make_client: Any) -> None:
    import asyncio

    async with LocalIVSRealTime() as server:
        client = make_client(server)
        stages = await asyncio.to_thread(client.list_stages)
        assert stages["stages"] == []
        assert server in running_servers()
    assert server not in running_servers()


def test_fixture_gives_fresh_state(ivs_realtime_local: LocalIVSRealTime, make_client: Any) -> None:
    assert ivs_realtime_local.running
    assert make_client(ivs_realtime_local).list_stages()["stages"] == []


def test_reset_forgets_everything(server: LocalIVSRealTime, client: Any) -> None:
    client.create_stage()
    server.faults.throttle("GetStage")
    server.reset()
    assert client.list_stages()["stages"] == []
    assert server.faults.rules == ()
    assert set(server.stats) == {"ListStages"}


def test_plugin_and_package_import_without_aiohttp() -> None:
    code = (
        "import sys, ivs_realtime_sdk.local.pytest_plugin, ivs_realtime_sdk.local;"
        "print('aiohttp' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_serve_prints_url_first_and_stops_on_signal(signum: int) -> None:
    code = textwrap.dedent(
        """
        from ivs_realtime_sdk.local import serve
        serve(region="eu-central-1")
        print("stopped", flush=True)
        """
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        client = boto3.client(
            "ivs-realtime",
            endpoint_url=url,
            region_name="eu-central-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        try:
            arn = client.create_stage()["stage"]["arn"]
        finally:
            client.close()
        assert arn.startswith("arn:aws:ivs:eu-central-1:")
        process.send_signal(signum)
        out, err = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    assert out.strip() == "stopped"
