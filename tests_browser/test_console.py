"""The console in a real browser: the "Done when" list of the console's issue.

Headless Chromium with fake media devices opens the URL the emulator prints,
watches a participant that ``ivs_realtime_sdk.media`` publishes, joins with
the fake camera, leaves, disconnects a participant, lists an individual and a
composite recording with their thumbnails and playlists, and logs no error. The
screenshots in the emulator's guide are taken here.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from ivs_realtime_sdk.local import LocalIVSRealTime

from .conftest import make_client

IMAGES = Path(__file__).resolve().parent.parent / "docs" / "images"
WAIT = 20


def wait_for(driver: webdriver.Chrome, check: Callable[[], Any], timeout: float = WAIT) -> Any:
    return WebDriverWait(driver, timeout, poll_frequency=0.1).until(lambda _: check())


def text(driver: webdriver.Chrome, selector: str) -> str | None:
    """The text of the element ``selector`` finds now (tables are redrawn on every change)."""
    found: str | None = driver.execute_script(
        "const node = document.querySelector(arguments[0]); return node && node.textContent",
        selector,
    )
    return found


def click(driver: webdriver.Chrome, selector: str) -> None:
    wait_for(driver, lambda: text(driver, selector) is not None)
    driver.execute_script("document.querySelector(arguments[0]).click()", selector)


def errors_of(driver: webdriver.Chrome) -> list[dict[str, Any]]:
    logged: list[dict[str, Any]] = driver.get_log("browser")
    return [entry for entry in logged if entry["level"] == "SEVERE"]


def assert_playlist_link(driver: webdriver.Chrome, selector: str) -> None:
    """The page's playlist link serves an HLS playlist (fetched by the page itself)."""
    fetched = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "const link = document.querySelector(arguments[0]);"
        "fetch(link.href).then(async (r) => done([r.status, r.headers.get('content-type'),"
        " await r.text()])).catch((e) => done([0, '', String(e)]));",
        selector,
    )
    assert fetched[0] == 200
    assert fetched[1].startswith("application/vnd.apple.mpegurl")
    assert fetched[2].startswith("#EXTM3U")


def participants(client: Any, stage_arn: str) -> list[dict[str, Any]]:
    session_id = client.get_stage(arn=stage_arn)["stage"]["activeSessionId"]
    listed: list[dict[str, Any]] = client.list_participants(
        stageArn=stage_arn, sessionId=session_id
    )["participants"]
    return listed


class Publisher:
    """A participant publishing the test pattern with ivs_realtime_sdk.media, on its own thread."""

    def __init__(self, token: str, whip_endpoint: str) -> None:
        self._token = token
        self._whip = whip_endpoint
        self._ready = threading.Event()
        self._stop: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self.participant_id = ""
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=lambda: asyncio.run(self._run()), daemon=True)

    async def _run(self) -> None:
        from ivs_realtime_sdk.media import make_test_pattern, publish

        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        try:
            audio, video = make_test_pattern(320, 240, 15)
            async with publish(
                self._token, audio=audio, video=video, whip_endpoint=self._whip
            ) as publication:
                self.participant_id = publication.participant_id
                self._ready.set()
                await self._stop.wait()
        except BaseException as exc:
            self.error = exc
            self._ready.set()

    def __enter__(self) -> Publisher:
        self._thread.start()
        assert self._ready.wait(30), "the publisher did not connect"
        assert self.error is None, self.error
        return self

    def __exit__(self, *exc: object) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(10)


@pytest.fixture(scope="module")
def server() -> Iterator[LocalIVSRealTime]:
    with LocalIVSRealTime() as emulator:
        yield emulator


def test_the_console_lists_watches_joins_and_disconnects(
    driver: webdriver.Chrome, server: LocalIVSRealTime
) -> None:
    client = make_client(server)
    arns = [
        client.create_stage(name=name, tags={"team": "demo"})["stage"]["arn"]
        for name in ("lobby", "studio")
    ]
    driver.get(server.endpoint_url)
    # The stages created through boto3, updating live: a third one appears without a reload.
    wait_for(driver, lambda: text(driver, f'tr[data-arn="{arns[1]}"]'))
    third = client.create_stage(name="backstage")["stage"]["arn"]
    wait_for(driver, lambda: text(driver, f'tr[data-arn="{third}"]'))
    listed = text(driver, "#stages") or ""
    assert "lobby" in listed
    assert "studio" in listed
    assert "team=demo" in listed
    driver.save_screenshot(str(IMAGES / "console-stages.png"))

    token = client.create_participant_token(stageArn=arns[1], userId="python-camera")
    with Publisher(token["participantToken"]["token"], server.whip_endpoint) as publisher:
        row = f'tr[data-arn="{arns[1]}"] td.count'
        wait_for(driver, lambda: text(driver, row) == "1")
        click(driver, f'tr[data-arn="{arns[1]}"] a.stage-link')
        # The participant with its user id, and its live video.
        user = f'tr[data-participant-id="{publisher.participant_id}"] td.user-id'
        wait_for(driver, lambda: text(driver, user) == "python-camera")
        video = f'video[data-participant-id="{publisher.participant_id}"]'
        width = "return document.querySelector(arguments[0]).videoWidth"
        clock = "return document.querySelector(arguments[0]).currentTime"
        wait_for(driver, lambda: driver.execute_script(width, video) == 320)
        started = driver.execute_script(clock, video)
        wait_for(driver, lambda: driver.execute_script(clock, video) > started + 0.5)
        time.sleep(0.5)  # one more frame painted for the screenshot
        driver.save_screenshot(str(IMAGES / "console-stage.png"))

        # Join with the fake camera; boto3 sees the participant publishing.
        user_id = driver.find_element(By.ID, "join-user-id")
        user_id.clear()
        user_id.send_keys("browser-camera")
        click(driver, "#join")

        def browser_participant() -> dict[str, Any] | None:
            found = [p for p in participants(client, arns[1]) if p["userId"] == "browser-camera"]
            return found[0] if found and found[0]["published"] else None

        joined = wait_for(driver, browser_participant)
        assert joined["state"] == "CONNECTED"
        wait_for(driver, lambda: text(driver, "#join") == "Leave")
        click(driver, "#join")

        def left() -> bool:
            mine = [p for p in participants(client, arns[1]) if p["userId"] == "browser-camera"]
            return bool(mine) and mine[0]["state"] == "DISCONNECTED"

        wait_for(driver, left)

        session_id = participants_session(client, arns[1])
        # Disconnect the Python participant from the page; the API agrees.
        button = f'tr[data-participant-id="{publisher.participant_id}"] button.disconnect'
        click(driver, button)

        def state_of_publisher() -> str:
            found = client.get_participant(
                stageArn=arns[1], sessionId=session_id, participantId=publisher.participant_id
            )
            state: str = found["participant"]["state"]
            return state

        wait_for(driver, lambda: state_of_publisher() == "DISCONNECTED")
        state = f'tr[data-participant-id="{publisher.participant_id}"] td.state'
        wait_for(driver, lambda: text(driver, state) == "DISCONNECTED")
    assert errors_of(driver) == []


def test_the_console_lists_a_recording_with_its_playlist_and_thumbnails(
    driver: webdriver.Chrome, server: LocalIVSRealTime
) -> None:
    client = make_client(server)
    driver.get("about:blank")  # a page of its own, not the previous test's leaving
    driver.get_log("browser")
    storage = client.create_storage_configuration(s3={"bucketName": "console-recordings"})
    arn = client.create_stage(
        name="recorded",
        autoParticipantRecordingConfiguration={
            "storageConfigurationArn": storage["storageConfiguration"]["arn"],
            "hlsConfiguration": {"targetSegmentDurationSeconds": 2},
            "thumbnailConfiguration": {"recordingMode": "INTERVAL", "targetIntervalSeconds": 1},
        },
    )["stage"]["arn"]
    token = client.create_participant_token(stageArn=arn, userId="recorded-camera")
    with Publisher(token["participantToken"]["token"], server.whip_endpoint) as publisher:
        driver.get(f"{server.endpoint_url}/#/stage/{quote(arn, safe='')}")
        row = f'tr.recording[data-participant-id="{publisher.participant_id}"]'
        wait_for(driver, lambda: "ACTIVE" in (text(driver, row) or ""))
        # A thumbnail of the live recording loads, served by the console from the directory.
        loaded = (
            "return [...document.querySelectorAll(arguments[0])]"
            ".some((img) => img.complete && img.naturalWidth > 0)"
        )
        thumbnail = f'figure[data-participant-id="{publisher.participant_id}"] img.thumbnail'
        wait_for(driver, lambda: driver.execute_script(loaded, thumbnail))
        wait_for(driver, lambda: text(driver, f"{row} a.playlist") is not None)
    # The publisher left: the recording ends, with its files listed.
    wait_for(driver, lambda: "STOPPED" in (text(driver, row) or ""))
    listed = text(driver, row) or ""
    assert "console-recordings" in listed
    assert "files" in listed
    assert_playlist_link(driver, f"{row} a.playlist")
    wait_for(driver, lambda: driver.execute_script(loaded, thumbnail))
    driver.execute_script("document.querySelector('#thumbnails').scrollIntoView()")
    driver.save_screenshot(str(IMAGES / "console-recordings.png"))
    assert errors_of(driver) == []


def test_the_console_lists_a_composite_recording_with_its_playlist_and_thumbnails(
    driver: webdriver.Chrome, server: LocalIVSRealTime
) -> None:
    client = make_client(server)
    driver.get("about:blank")
    driver.get_log("browser")
    storage = client.create_storage_configuration(s3={"bucketName": "console-composites"})
    encoder = client.create_encoder_configuration(
        video={"width": 320, "height": 180, "framerate": 15, "bitrate": 400_000}
    )
    arn = client.create_stage(name="composed")["stage"]["arn"]
    token = client.create_participant_token(stageArn=arn, userId="composed-camera")
    with Publisher(token["participantToken"]["token"], server.whip_endpoint):
        composition = client.start_composition(
            stageArn=arn,
            destinations=[
                {
                    "s3": {
                        "storageConfigurationArn": storage["storageConfiguration"]["arn"],
                        "encoderConfigurationArns": [encoder["encoderConfiguration"]["arn"]],
                        "thumbnailConfigurations": [
                            {"targetIntervalSeconds": 1, "storage": ["SEQUENTIAL"]}
                        ],
                    }
                }
            ],
        )["composition"]
        destination_id = composition["destinations"][0]["id"]
        driver.get(f"{server.endpoint_url}/#/stage/{quote(arn, safe='')}")
        row = f'tr.composite[data-destination-id="{destination_id}"]'
        wait_for(driver, lambda: "ACTIVE" in (text(driver, row) or ""))
        assert composition["arn"] in (text(driver, row) or "")
        # A thumbnail of the live composite loads, served by the console from the directory.
        loaded = (
            "return [...document.querySelectorAll(arguments[0])]"
            ".some((img) => img.complete && img.naturalWidth === 320)"
        )
        thumbnail = f'figure[data-destination-id="{destination_id}"] img.thumbnail'
        wait_for(driver, lambda: driver.execute_script(loaded, thumbnail))
        client.stop_composition(arn=composition["arn"])
    # Stopped: the composite is complete, its playlist listed and readable from the page.
    wait_for(driver, lambda: "STOPPED" in (text(driver, row) or ""))
    listed = text(driver, row) or ""
    assert "console-composites" in listed
    assert "/composite" in listed
    assert_playlist_link(driver, f"{row} a.playlist")
    assert errors_of(driver) == []


def participants_session(client: Any, stage_arn: str) -> str:
    sessions = client.list_stage_sessions(stageArn=stage_arn)["stageSessions"]
    session_id: str = sessions[0]["sessionId"]
    return session_id


def test_with_credentials_the_page_shows_nothing_without_a_key(driver: webdriver.Chrome) -> None:
    with LocalIVSRealTime(credentials={"AKIDCONSOLE": "console-secret"}) as server:
        client = make_client(server, "AKIDCONSOLE", "console-secret")
        arn = client.create_stage(name="private-stage")["stage"]["arn"]
        driver.delete_all_cookies()
        driver.get(server.endpoint_url)
        wait_for(driver, lambda: driver.find_element(By.ID, "signin").is_displayed())
        assert not driver.find_element(By.ID, "main").is_displayed()
        assert "private-stage" not in driver.page_source
        # The endpoints themselves answer nothing without the session cookie.
        refused = driver.execute_script(
            "return fetch('/_console/api/call/ListStages', {method: 'POST', body: '{}', "
            "headers: {'Content-Type': 'application/json'}}).then(r => r.status)"
        )
        assert refused == 401
        driver.get_log("browser")  # that refusal is logged, on purpose
        driver.find_element(By.NAME, "accessKeyId").send_keys("AKIDCONSOLE")
        driver.find_element(By.NAME, "secretAccessKey").send_keys("console-secret")
        driver.find_element(By.CSS_SELECTOR, "#signin button").click()
        wait_for(driver, lambda: text(driver, f'tr[data-arn="{arn}"]'))
        assert not driver.find_element(By.ID, "signin").is_displayed()
        # Live as before: a stage created through the API appears, and one created here.
        client.create_stage(name="second-stage")
        wait_for(driver, lambda: "second-stage" in (text(driver, "#stages") or ""))
        driver.find_element(By.ID, "new-stage-name").send_keys("from-the-page")
        driver.find_element(By.ID, "create-stage").click()
        wait_for(
            driver,
            lambda: "from-the-page" in [s["name"] for s in client.list_stages()["stages"]],
        )
        # The cookie is HttpOnly: the page's script cannot read it.
        assert driver.execute_script("return document.cookie") == ""
        assert errors_of(driver) == []
        driver.get("about:blank")
