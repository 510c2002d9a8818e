"""Capture a real Chromium WHIP offer for the emulator's browser test, and try it live.

Run by hand, never in CI: ``python scripts/capture_chromium_offer.py [CHROMIUM]``.
It starts an emulator, makes a stage and a token, and serves (on loopback) a
page that publishes a canvas and a silent audio track to the emulator's
global WHIP endpoint, as a browser app would. The page reports its offer and
how the connection went; the offer is written to
``tests/media/fixtures/chromium-offer.sdp`` with the browser's version.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import boto3
from aiohttp import web

from ivs_realtime_sdk import IVSRealTime, StageSpec
from ivs_realtime_sdk.local import LocalIVSRealTime

FIXTURE = Path(__file__).resolve().parent.parent / "tests/media/fixtures/chromium-offer.sdp"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PAGE = """<!doctype html><script>
async function run() {
  const report = (body) => fetch('/report', {method: 'POST', body: JSON.stringify(body)});
  const canvas = document.createElement('canvas');
  canvas.width = 320; canvas.height = 240;
  const g = canvas.getContext('2d');
  let x = 0;
  setInterval(() => { g.fillStyle = '#888'; g.fillRect(0, 0, 320, 240);
                      g.fillStyle = '#fff'; g.fillRect(x = (x + 4) % 320, 0, 16, 240); }, 33);
  const audio = new AudioContext().createMediaStreamDestination();
  const pc = new RTCPeerConnection();
  pc.addTransceiver(audio.stream.getAudioTracks()[0], {direction: 'sendonly'});
  pc.addTransceiver(canvas.captureStream(30).getVideoTracks()[0], {direction: 'sendonly'});
  await pc.setLocalDescription(await pc.createOffer());
  await new Promise(r => { if (pc.iceGatheringState === 'complete') r();
                           pc.onicegatheringstatechange = () =>
                             pc.iceGatheringState === 'complete' && r();
                           setTimeout(r, 3000); });
  const offer = pc.localDescription.sdp;
  const response = await fetch(WHIP, {method: 'POST', body: offer, headers: {
      'Authorization': 'Bearer ' + TOKEN, 'Content-Type': 'application/sdp'}});
  const answer = await response.text();
  if (response.status !== 201) {
    return report({offer, status: response.status, answer, state: 'refused'});
  }
  await pc.setRemoteDescription({type: 'answer', sdp: answer});
  await new Promise(r => { pc.onconnectionstatechange = () =>
      ['connected', 'failed'].includes(pc.connectionState) && r(); setTimeout(r, 8000); });
  report({offer, status: response.status, answer, state: pc.connectionState,
          agent: navigator.userAgent});
}
run().catch(e => fetch('/report', {method: 'POST', body: JSON.stringify({error: String(e)})}));
</script>"""


async def capture(chromium: str) -> dict[str, object]:
    with LocalIVSRealTime() as server:
        session = boto3.Session(
            region_name="us-east-1", aws_access_key_id="local", aws_secret_access_key="local"
        )
        sdk = IVSRealTime(session=session, endpoint_url=server.endpoint_url)
        created = sdk.create_stage(StageSpec(name="chromium", participant_token_configurations=[]))
        token = sdk.create_participant_token(created.stage.arn)
        # The page is served by a second loopback server; the emulator answers CORS-less
        # fetches only from its own origin, so the page posts through this one.
        reported: asyncio.Future[dict[str, object]] = asyncio.get_running_loop().create_future()

        async def page(request: web.Request) -> web.Response:
            script = PAGE.replace("WHIP", json.dumps("/whip")).replace(
                "TOKEN", json.dumps(token.token)
            )
            return web.Response(text=script, content_type="text/html")

        async def whip(request: web.Request) -> web.Response:
            import aiohttp

            async with (
                aiohttp.ClientSession() as http,
                http.post(
                    server.whip_endpoint,
                    data=await request.read(),
                    headers={k: request.headers[k] for k in ("Authorization", "Content-Type")},
                ) as answer,
            ):
                return web.Response(status=answer.status, text=await answer.text())

        async def report(request: web.Request) -> web.Response:
            if not reported.done():
                reported.set_result(json.loads(await request.read()))
            return web.Response(text="ok")

        app = web.Application()
        app.add_routes([web.get("/", page), web.post("/whip", whip), web.post("/report", report)])
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        with tempfile.TemporaryDirectory() as profile:
            browser = subprocess.Popen(  # noqa: ASYNC220  # a one-off script; nothing else runs
                [chromium, *FLAGS, f"--user-data-dir={profile}", f"http://127.0.0.1:{port}/"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                result = await asyncio.wait_for(reported, 30)
            finally:
                browser.terminate()
                browser.wait()
        await runner.cleanup()
        sdk.close()
        return result


def main() -> None:
    chromium = sys.argv[1] if len(sys.argv) > 1 else "chromium"
    version = subprocess.run([chromium, "--version"], capture_output=True, text=True).stdout.strip()
    result = asyncio.run(capture(chromium))
    print(json.dumps({k: v for k, v in result.items() if k not in ("offer", "answer")}, indent=2))
    offer = result.get("offer")
    if isinstance(offer, str):
        FIXTURE.write_text(f"; captured from {version}\n" + offer, encoding="utf-8")
        print(f"wrote {FIXTURE} ({version})")


if __name__ == "__main__":
    main()
