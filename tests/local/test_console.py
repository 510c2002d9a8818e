"""The web console's endpoints over HTTP: what the browser tests do not reach.

The page itself is tested in a real browser (``tests_browser/``, ``nox -s
browser``). Here: the refusals of cross-site and rebinding requests, the
sign-in with ``credentials``, the operations the console may call, and the
live stream.
"""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ivs_realtime_sdk.local import LocalIVSRealTime

KEY, SECRET = "AKIDCONSOLETEST", "console-test-secret"


@pytest.fixture(scope="module")
def open_server() -> Iterator[LocalIVSRealTime]:
    with LocalIVSRealTime() as server:
        yield server


@pytest.fixture(scope="module")
def locked_server() -> Iterator[LocalIVSRealTime]:
    with LocalIVSRealTime(credentials={KEY: SECRET}) as server:
        yield server


def request(
    server: LocalIVSRealTime,
    method: str,
    path: str,
    body: Any = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        data = None if body is None else json.dumps(body).encode()
        sent = {"Content-Type": "application/json", **(headers or {})}
        connection.request(method, path, body=data, headers=sent)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def test_a_browser_get_of_the_root_gets_the_page(open_server: LocalIVSRealTime) -> None:
    status, headers, body = request(open_server, "GET", "/")
    assert status == 200
    assert headers["Content-Type"].startswith("text/html")
    assert b"/_console/static/console.js" in body
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    for name in ("console.js", "console.css"):
        status, _, body = request(open_server, "GET", f"/_console/static/{name}")
        assert status == 200
        assert body
    assert request(open_server, "GET", "/_console/static/../_console.py")[0] == 404


def test_api_clients_are_unaffected(open_server: LocalIVSRealTime) -> None:
    # Operations are POSTs to their own paths; a POST to / is still no operation.
    status, headers, _ = request(open_server, "POST", "/", {})
    assert status == 404
    assert headers["x-amzn-ErrorType"] == "UnknownOperationException"


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://evil.example"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
    ],
)
def test_cross_site_requests_are_refused(
    open_server: LocalIVSRealTime, headers: dict[str, str]
) -> None:
    status, _, body = request(open_server, "POST", "/_console/api/call/CreateStage", {}, headers)
    assert status == 403
    assert b"cross-site" in body
    assert open_server.backend.stages == {}


def test_a_rebound_host_name_is_refused(open_server: LocalIVSRealTime) -> None:
    # DNS rebinding: a page of evil.example whose name now points at loopback.
    headers = {"Host": f"evil.example:{open_server.port}"}
    assert request(open_server, "GET", "/", headers=headers)[0] == 403
    assert request(open_server, "GET", "/_console/api/whoami", headers=headers)[0] == 403


def test_same_origin_requests_work(open_server: LocalIVSRealTime) -> None:
    origin = {"Origin": f"http://127.0.0.1:{open_server.port}", "Sec-Fetch-Site": "same-origin"}
    status, _, body = request(
        open_server, "POST", "/_console/api/call/CreateStage", {"name": "from-console"}, origin
    )
    assert status == 200
    arn = json.loads(body)["stage"]["arn"]
    status, _, body = request(open_server, "POST", "/_console/api/call/DeleteStage", {"arn": arn})
    assert status == 200
    assert arn not in open_server.backend.stages


@pytest.mark.parametrize(
    ("path", "body", "status"),
    [
        # Only the operations the console needs: never stream keys, never a public key's body.
        ("/_console/api/call/ListIngestConfigurations", {}, 404),
        ("/_console/api/call/GetIngestConfiguration", {}, 404),
        ("/_console/api/call/NoSuchOperation", {}, 404),
        # Validated as the API validates.
        ("/_console/api/call/CreateStage", {"name": "no spaces allowed"}, 400),
        ("/_console/api/call/GetStage", {"arn": "arn:aws:ivs:us-east-1:1:stage/none"}, 404),
        ("/_console/api/call/GetStage", {}, 400),
        ("/_console/api/nothing", {}, 404),
    ],
)
def test_bad_console_requests_get_a_4xx(
    open_server: LocalIVSRealTime, path: str, body: Any, status: int
) -> None:
    assert request(open_server, "POST", path, body)[0] == status


def test_a_body_that_is_not_json_gets_a_400(open_server: LocalIVSRealTime) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", open_server.port, timeout=10)
    connection.request("POST", "/_console/api/call/ListStages", body=b"{not json")
    assert connection.getresponse().status == 400
    connection.close()
    assert request(open_server, "POST", "/_console/api/call/ListStages", {})[0] == 200


def test_without_credentials_no_sign_in_is_asked(open_server: LocalIVSRealTime) -> None:
    status, _, body = request(open_server, "GET", "/_console/api/whoami")
    assert status == 200
    assert json.loads(body) == {"signInRequired": False, "signedIn": True}


def test_with_credentials_nothing_is_shown_without_a_session(
    locked_server: LocalIVSRealTime,
) -> None:
    locked_server.backend.create_stage(name="secret-stage", tags=None, recording=None, tokens=[])
    status, _, body = request(locked_server, "GET", "/_console/api/whoami")
    assert json.loads(body) == {"signInRequired": True, "signedIn": False}
    for method, path in [
        ("POST", "/_console/api/call/ListStages"),
        ("GET", "/_console/api/events?stageArn=x"),
        ("GET", "/_console/api/stream"),
    ]:
        status, _, body = request(locked_server, method, path, {} if method == "POST" else None)
        assert status == 401
        assert b"secret-stage" not in body
    forged = {"Cookie": "ivs_local_console=forged"}
    assert request(locked_server, "POST", "/_console/api/call/ListStages", {}, forged)[0] == 401


def test_a_wrong_key_does_not_sign_in(locked_server: LocalIVSRealTime) -> None:
    for key, secret in [(KEY, "wrong"), ("AKIDUNKNOWN", SECRET), (KEY, "")]:
        status, headers, body = request(
            locked_server,
            "POST",
            "/_console/api/signin",
            {"accessKeyId": key, "secretAccessKey": secret},
        )
        assert status == 401
        assert "Set-Cookie" not in headers
        assert SECRET.encode() not in body
    bad = request(locked_server, "POST", "/_console/api/signin", {"accessKeyId": KEY})
    assert bad[0] == 400


def test_a_configured_key_signs_in_with_an_http_only_strict_cookie(
    locked_server: LocalIVSRealTime,
) -> None:
    status, headers, body = request(
        locked_server,
        "POST",
        "/_console/api/signin",
        {"accessKeyId": KEY, "secretAccessKey": SECRET},
    )
    assert status == 200
    assert SECRET.encode() not in body
    cookie = headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Strict" in cookie
    assert SECRET not in cookie
    session = {"Cookie": cookie.split(";", 1)[0]}
    status, _, body = request(locked_server, "POST", "/_console/api/call/ListStages", {}, session)
    assert status == 200
    assert b"secret-stage" in json.loads(body)["stages"][0]["name"].encode()
    # Signing out ends the session.
    assert request(locked_server, "POST", "/_console/api/signout", {}, session)[0] == 200
    assert request(locked_server, "POST", "/_console/api/call/ListStages", {}, session)[0] == 401


def _next_change(response: http.client.HTTPResponse) -> None:
    for _ in range(20):
        if response.fp.readline() == b"event: change\n":
            return
    raise AssertionError("no change event")


def test_the_stream_tells_of_changes_made_through_the_api(open_server: LocalIVSRealTime) -> None:
    import boto3

    client = boto3.client(
        "ivs-realtime",
        region_name="us-east-1",
        endpoint_url=open_server.endpoint_url,
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )
    connection = http.client.HTTPConnection("127.0.0.1", open_server.port, timeout=10)
    connection.request("GET", "/_console/api/stream")
    response = connection.getresponse()
    assert response.status == 200
    assert response.getheader("Content-Type") == "text/event-stream"
    _next_change(response)  # the first at once
    client.create_stage(name="by-the-api")  # an API call
    _next_change(response)
    status, _, _ = request(open_server, "POST", "/_console/api/call/CreateStage", {"name": "x"})
    assert status == 200  # a console call
    _next_change(response)
    arn = client.list_stages()["stages"][0]["arn"]
    token = client.create_participant_token(stageArn=arn)["participantToken"]["token"]
    _next_change(response)
    open_server.join(arn, token)  # no API call: an event of the bus
    _next_change(response)
    connection.close()


def _recorded_participant(server: LocalIVSRealTime) -> tuple[str, str, str, str]:
    """A participant whose recording started, with a playlist and a thumbnail in its prefix."""
    import boto3

    from ivs_realtime_sdk.local.backend import RecordingPlan

    client = boto3.client(
        "ivs-realtime",
        region_name="us-east-1",
        endpoint_url=server.endpoint_url,
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )
    storage = client.create_storage_configuration(s3={"bucketName": "console-bucket"})
    arn = client.create_stage(
        name="recorded",
        autoParticipantRecordingConfiguration={
            "storageConfigurationArn": storage["storageConfiguration"]["arn"]
        },
    )["stage"]["arn"]
    token = client.create_participant_token(stageArn=arn, userId="recorded-user")
    participant_id = server.join(arn, token["participantToken"]["token"], publish=True)
    plan = server.backend.recording_plan(arn, participant_id)
    assert isinstance(plan, RecordingPlan)
    prefix = f"{arn.rsplit('/', 1)[1]}/{plan.session_id}/{participant_id}/1700000000000"
    root = Path(str(server.recordings_dir)) / "console-bucket" / prefix
    (root / "media/hls").mkdir(parents=True)
    (root / "media/hls/multivariant.m3u8").write_text("#EXTM3U\n")
    (root / "media/thumbnails/high").mkdir(parents=True)
    (root / "media/thumbnails/high/1.jpg").write_bytes(b"\xff\xd8jpeg")
    server.backend.recording_changed(plan, event_name="Recording Start", prefix=prefix)
    return arn, plan.session_id, participant_id, prefix


def test_the_console_lists_recordings_and_serves_their_files_only(
    open_server: LocalIVSRealTime,
) -> None:
    arn, session_id, participant_id, prefix = _recorded_participant(open_server)
    # A file beside the recording, in the same bucket: never reachable from it.
    secret = Path(str(open_server.recordings_dir)) / "console-bucket" / "other.txt"
    secret.write_text("not a recording file")
    status, _, body = request(open_server, "GET", f"/_console/api/recordings?stageArn={arn}")
    assert status == 200
    (recording,) = json.loads(body)["recordings"]
    assert recording["participantId"] == participant_id
    assert recording["sessionId"] == session_id
    assert recording["userId"] == "recorded-user"
    assert recording["state"] == "ACTIVE"
    assert recording["bucket"] == "console-bucket"
    assert recording["prefix"] == prefix
    assert [f["path"] for f in recording["files"]] == [
        "media/hls/multivariant.m3u8",
        "media/thumbnails/high/1.jpg",
    ]
    where = f"stageArn={arn}&sessionId={session_id}&participantId={participant_id}"
    status, headers, body = request(
        open_server, "GET", f"/_console/api/recording-file?{where}&path=media/hls/multivariant.m3u8"
    )
    assert (status, body) == (200, b"#EXTM3U\n")
    assert headers["Content-Type"].startswith("application/vnd.apple.mpegurl")
    status, headers, _ = request(
        open_server, "GET", f"/_console/api/recording-file?{where}&path=media/thumbnails/high/1.jpg"
    )
    assert status == 200
    assert headers["Content-Type"] == "image/jpeg"
    for path in ("../../../../other.txt", "/etc/passwd", "media/../../x", "", "media/none.jpg"):
        status, _, body = request(
            open_server, "GET", f"/_console/api/recording-file?{where}&path={path}"
        )
        assert status == 404, path
        assert b"not a recording file" not in body
    # An unknown participant is the API's 404; missing parameters are a 400; cross-site a 403.
    assert request(open_server, "GET", "/_console/api/recording-file?stageArn=x")[0] == 400
    other = where.replace(participant_id, "AbCdEfGhIjKl")
    assert request(open_server, "GET", f"/_console/api/recording-file?{other}&path=a")[0] == 404
    cross = {"Sec-Fetch-Site": "cross-site"}
    assert (
        request(open_server, "GET", f"/_console/api/recordings?stageArn={arn}", None, cross)[0]
        == 403
    )
    # A stage that records nothing lists nothing.
    assert request(open_server, "GET", "/_console/api/recordings?stageArn=x")[0] in {400, 404}


def test_recordings_need_the_session_cookie(locked_server: LocalIVSRealTime) -> None:
    for path in (
        "recordings?stageArn=x",
        "recording-file?stageArn=x&path=a",
        "recording-file?stageArn=x&compositionArn=y&destinationId=z&path=a",
    ):
        assert request(locked_server, "GET", f"/_console/api/{path}")[0] == 401


def test_the_console_lists_composite_recordings_and_serves_their_files_only(
    open_server: LocalIVSRealTime,
) -> None:
    """A real composition of one tinted publisher (~3 s), written to the local directory."""
    import asyncio

    from ..media.test_composites import (
        RESOLUTION,
        composite_stage,
        publish_tinted,
        s3_destination,
        wait_composition,
    )
    from ..media.test_recordings import RED, ivs_client

    client = ivs_client(open_server.endpoint_url)
    arn, tokens, storage_arn, encoder_arn = composite_stage(client, "console-composites")
    composition_arn = client.start_composition(
        stageArn=arn,
        destinations=[s3_destination(storage_arn, encoder_arn)],
        layout={"grid": {"gridGap": 0}},
    )["composition"]["arn"]
    asyncio.run(publish_tinted(open_server.whip_endpoint, tokens[0], 3.0, RED))
    client.stop_composition(arn=composition_arn)
    stopped = wait_composition(client, composition_arn, {"STOPPED", "FAILED"})
    (destination,) = stopped["destinations"]
    assert destination["state"] == "STOPPED"
    prefix = destination["detail"]["s3"]["recordingPrefix"]
    bucket_dir = Path(str(open_server.recordings_dir)) / "console-composites"
    # A file beside the composite, in the same bucket: never reachable from it.
    (bucket_dir / "other.txt").write_text("not a recording file")

    status, _, body = request(open_server, "GET", f"/_console/api/recordings?stageArn={arn}")
    assert status == 200
    answer = json.loads(body)
    assert answer["recordings"] == []  # the stage records no participant on its own
    (composite,) = answer["composites"]
    assert composite["compositionArn"] == composition_arn
    assert composite["destinationId"] == destination["id"]
    assert composite["state"] == "STOPPED"
    assert composite["compositionState"] == "STOPPED"
    assert composite["bucket"] == "console-composites"
    assert composite["prefix"] == prefix
    assert prefix.endswith("/composite")
    thumbnail = f"media/thumbnails/{RESOLUTION}/1.jpg"
    paths = {f["path"] for f in composite["files"]}
    assert {
        "events/recording-started.json",
        "events/recording-ended.json",
        "media/hls/multivariant.m3u8",
        thumbnail,
    } <= paths, paths
    assert all(f["size"] > 0 for f in composite["files"])

    where = f"stageArn={arn}&compositionArn={composition_arn}&destinationId={destination['id']}"
    status, headers, body = request(
        open_server, "GET", f"/_console/api/recording-file?{where}&path=media/hls/multivariant.m3u8"
    )
    assert status == 200
    assert body.startswith(b"#EXTM3U")
    assert headers["Content-Type"].startswith("application/vnd.apple.mpegurl")
    status, headers, body = request(
        open_server, "GET", f"/_console/api/recording-file?{where}&path={thumbnail}"
    )
    assert status == 200
    assert headers["Content-Type"] == "image/jpeg"
    assert body.startswith(b"\xff\xd8")  # a JPEG, the very bytes the writer wrote
    assert body == (bucket_dir / prefix / thumbnail).read_bytes()

    for path in ("../../../../other.txt", "../../../other.txt", "/etc/passwd", "media/../../x", ""):
        status, _, body = request(
            open_server, "GET", f"/_console/api/recording-file?{where}&path={path}"
        )
        assert status == 404, path
        assert b"not a recording file" not in body
    # Another stage's composition is nothing of this stage: not listed, not readable.
    other = client.create_stage(name="not-composed")["stage"]["arn"]
    status, _, body = request(open_server, "GET", f"/_console/api/recordings?stageArn={other}")
    assert (status, json.loads(body)["composites"]) == (200, [])
    elsewhere = where.replace(f"stageArn={arn}", f"stageArn={other}")
    assert (
        request(open_server, "GET", f"/_console/api/recording-file?{elsewhere}&path={thumbnail}")[0]
        == 404
    )
    # An unknown destination is a 404; a composition that does not exist is the API's 404.
    unknown = where.replace(destination["id"], "AbCdEfGhIjKl")
    assert (
        request(open_server, "GET", f"/_console/api/recording-file?{unknown}&path={thumbnail}")[0]
        == 404
    )
    missing = where.replace(composition_arn, composition_arn[:-4] + "none")
    assert (
        request(open_server, "GET", f"/_console/api/recording-file?{missing}&path={thumbnail}")[0]
        == 404
    )
    cross = {"Sec-Fetch-Site": "cross-site"}
    file_url = f"/_console/api/recording-file?{where}&path={thumbnail}"
    assert request(open_server, "GET", file_url, None, cross)[0] == 403
