"""The web console: the emulator's stages in a browser, live, served at ``GET /``.

The page (``console/``: plain HTML, JavaScript and CSS, shipped in the
package) speaks to the emulator through the console's own endpoints below
``/_console/``, never the service's SigV4 API:

- ``GET /`` the page; ``GET /_console/static/{name}`` its script and style.
- ``GET /_console/api/whoami``: ``{"signInRequired", "signedIn"}``.
- ``POST /_console/api/signin`` ``{"accessKeyId", "secretAccessKey"}``: with
  credentials configured, a key pair the emulator knows gets a session
  cookie (``HttpOnly; SameSite=Strict``); ``POST /_console/api/signout``.
- ``POST /_console/api/call/{Operation}``: one of the operations in
  :data:`OPERATIONS`, with its JSON parameters, run through the same
  validation and handler as the API (``Dispatcher.run_operation``).
- ``GET /_console/api/events?stageArn=``: the EventBridge events that name the stage.
- ``GET /_console/api/recordings?stageArn=``: ``{"recordings", "composites"}``.
  ``recordings``: every individual recording of the stage (each participant of
  each session with a recording prefix), with its files; ``composites``: every
  composite recording (each S3 destination with a ``recordingPrefix`` of each
  composition of the stage: ``compositionArn``, ``destinationId``, ``state``,
  ``compositionState``, ``bucket``, ``prefix``, ``files``).
  ``GET /_console/api/recording-file?stageArn=&sessionId=&participantId=&path=``:
  one file under that participant's prefix (the playlist, a thumbnail);
  ``GET /_console/api/recording-file?stageArn=&compositionArn=&destinationId=&path=``:
  one file under that destination's prefix, the composition being the stage's.
  Both read from the local recordings directory or through the emulator's own
  S3 client, and never outside the prefix. For a composite's prefix and bucket
  the console runs ``GetComposition`` and ``GetStorageConfiguration`` itself;
  the page cannot call them.
- ``GET /_console/api/stream``: server-sent events, one ``change`` whenever
  an API call changes something or the event bus tells of a change (an
  event, or a participant event: a join, a subscription, a leave); the page
  then reads what it shows again.

Every ``/_console/api/`` request is refused (403) when it comes from another
site (``Sec-Fetch-Site`` other than ``same-origin``, or an ``Origin`` other
than the emulator's own) or names a host other than the emulator's (DNS
rebinding). With credentials configured, every one but ``whoami`` and
``signin`` needs the session cookie (401 without). Stream keys, private keys
and secrets are never among what the console can read.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import secrets
from collections.abc import Callable, Mapping
from importlib import resources
from typing import Any, cast
from urllib.parse import urlsplit

from aiohttp import web

from ._recording_files import RecordingFiles, content_type_of
from ._wire import error_response, json_response
from .backend import Backend, ServiceException

__all__ = ["CONSOLE_PREFIX", "OPERATIONS", "Console"]

_log = logging.getLogger("ivs_realtime_sdk.local")
CONSOLE_PREFIX = "/_console/"
_API = "/_console/api/"
_STATIC = "/_console/static/"
COOKIE = "ivs_local_console"
#: The operations the console may call: what it shows and the actions it offers.
OPERATIONS = frozenset(
    {
        "ListStages",
        "GetStage",
        "CreateStage",
        "DeleteStage",
        "ListStageSessions",
        "ListParticipants",
        "GetParticipant",
        "ListParticipantEvents",
        "DisconnectParticipant",
        "CreateParticipantToken",
        "ListCompositions",
    }
)
_FILES = {
    "index.html": "text/html",
    "console.js": "text/javascript",
    "console.css": "text/css",
}
_PACKAGE = "ivs_realtime_sdk.local"
_LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
# Headers of every console answer: no caching of state, no framing by another site.
_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; media-src 'self' blob:; frame-ancestors 'none'"
    ),
}

RunOperation = Callable[[str, dict[str, Any]], dict[str, Any]]
KeyCheck = Callable[[str, str], bool]


def _refused(status: int, message: str) -> web.Response:
    code = {401: "UnauthorizedException", 403: "AccessDeniedException"}.get(status, "NotFound")
    return error_response(ServiceException(message, status=status, code=code))


class Console:
    """The console's page and endpoints for one emulator."""

    def __init__(
        self,
        backend: Backend,
        run_operation: RunOperation,
        knows_key: KeyCheck | None,
        host: str,
    ) -> None:
        """Serve ``backend``.

        Args:
            backend: The emulated service.
            run_operation: Runs one API operation by name, validated as the API does.
            knows_key: Whether an access key and secret are configured; None when the
                emulator has no credentials, and then the console asks for none.
            host: The interface the emulator binds, accepted in ``Host`` besides loopback.
        """
        self._backend = backend
        self._run = run_operation
        self._knows_key = knows_key
        self._hosts = _LOOPBACK_HOSTS | {host.strip("[]")}
        self._sessions: set[str] = set()
        self._streams: set[asyncio.Event] = set()
        self._closed = False

    # -- routing --------------------------------------------------------------------------

    @staticmethod
    def serves(method: str, path: str) -> bool:
        """Whether a request is the console's: the page at ``/`` or below ``/_console/``."""
        return (method == "GET" and path == "/") or path.startswith(CONSOLE_PREFIX)

    async def answer(self, request: web.BaseRequest) -> web.StreamResponse:
        """Answer one console request."""
        if not self._right_host(request):
            return _refused(403, "The console answers on the emulator's own host only")
        if request.method == "GET" and request.path == "/":
            return self._file("index.html")
        if request.method == "GET" and request.path.startswith(_STATIC):
            return self._file(request.path[len(_STATIC) :])
        if not request.path.startswith(_API):
            return _refused(404, f"Nothing at {request.method} {request.path}")
        if not self._same_site(request):
            return _refused(403, "The console refuses cross-site requests")
        route = request.path[len(_API) :]
        try:
            if (request.method, route) == ("GET", "whoami"):
                return self._whoami(request)
            if (request.method, route) == ("POST", "signin"):
                return await self._signin(request)
            if not self._signed_in(request):
                return _refused(401, "Sign in with one of the emulator's access keys")
            if (request.method, route) == ("POST", "signout"):
                return self._signout(request)
            if request.method == "POST" and route.startswith("call/"):
                return await self._call(route[len("call/") :], request)
            if (request.method, route) == ("GET", "events"):
                return self._events(request.query.get("stageArn", ""))
            if (request.method, route) == ("GET", "recordings"):
                return await self._recordings(request.query.get("stageArn", ""))
            if (request.method, route) == ("GET", "recording-file"):
                return await self._recording_file(request)
            if (request.method, route) == ("GET", "stream"):
                return await self._stream(request)
        except ServiceException as error:
            return error_response(error)
        except Exception:
            # A bug of the emulator: its traceback goes to the log, never to the page.
            _log.exception("console request %s %s failed", request.method, request.path)
            return error_response(ServiceException("Internal server error"))
        return _refused(404, f"No console endpoint at {request.method} {request.path}")

    def changed(self) -> None:
        """Something changed: every open stream tells its page (call on the server's loop)."""
        for wake in self._streams:
            wake.set()

    async def aclose(self) -> None:
        """End the open streams (the emulator is stopping)."""
        self._closed = True
        self.changed()
        await asyncio.sleep(0)

    # -- checks ---------------------------------------------------------------------------

    def _right_host(self, request: web.BaseRequest) -> bool:
        host = urlsplit(f"//{request.host}").hostname or ""
        return host in self._hosts

    @staticmethod
    def _same_site(request: web.BaseRequest) -> bool:
        site = request.headers.get("Sec-Fetch-Site")
        if site is not None and site != "same-origin":
            return False
        origin = request.headers.get("Origin")
        return origin is None or origin == f"{request.scheme}://{request.host}"

    def _signed_in(self, request: web.BaseRequest) -> bool:
        if self._knows_key is None:
            return True
        session = request.cookies.get(COOKIE, "")
        return any(hmac.compare_digest(session, known) for known in self._sessions)

    # -- endpoints ------------------------------------------------------------------------

    def _file(self, name: str) -> web.Response:
        content_type = _FILES.get(name)
        if content_type is None:
            return _refused(404, "No such console file")
        body = resources.files(_PACKAGE).joinpath("console", name).read_bytes()
        return web.Response(body=body, content_type=content_type, charset="utf-8", headers=_HEADERS)

    def _whoami(self, request: web.BaseRequest) -> web.Response:
        return json_response(
            200,
            {
                "signInRequired": self._knows_key is not None,
                "signedIn": self._signed_in(request),
            },
            _HEADERS,
        )

    async def _signin(self, request: web.BaseRequest) -> web.Response:
        body = await _json_body(request)
        key, secret = body.get("accessKeyId"), body.get("secretAccessKey")
        if not isinstance(key, str) or not isinstance(secret, str):
            return _refused(400, "The body needs accessKeyId and secretAccessKey, strings")
        if self._knows_key is None:
            return json_response(200, {"signedIn": True}, _HEADERS)
        if not self._knows_key(key, secret):
            return _refused(401, "The emulator knows no such access key and secret")
        session = secrets.token_urlsafe(32)
        self._sessions.add(session)
        response = json_response(200, {"signedIn": True}, _HEADERS)
        response.set_cookie(COOKIE, session, httponly=True, samesite="Strict", path="/")
        return response

    def _signout(self, request: web.BaseRequest) -> web.Response:
        self._sessions.discard(request.cookies.get(COOKIE, ""))
        response = json_response(200, {"signedIn": False}, _HEADERS)
        response.del_cookie(COOKIE, path="/")
        return response

    async def _call(self, operation: str, request: web.BaseRequest) -> web.Response:
        if operation not in OPERATIONS:
            return _refused(404, f"The console does not call {operation!r}")
        result = self._run(operation, await _json_body(request))
        return json_response(200, result, _HEADERS)

    def _events(self, stage_arn: str) -> web.Response:
        events = [
            event
            for event in self._backend.sent_events()
            if stage_arn in event.get("resources", [])
        ]
        return json_response(200, {"events": events}, _HEADERS)

    def _recorded(self, stage_arn: str) -> list[dict[str, Any]]:
        # Every publisher of every session of the stage that has a recording prefix.
        sessions = self._run("ListStageSessions", {"stageArn": stage_arn, "maxResults": 100})
        found: list[dict[str, Any]] = []
        for session in sessions["stageSessions"]:
            session_id = session["sessionId"]
            listed = self._run(
                "ListParticipants",
                {"stageArn": stage_arn, "sessionId": session_id, "maxResults": 100},
            )["participants"]
            for summary in listed:
                if summary.get("recordingState", "DISABLED") == "DISABLED":
                    continue
                ask = {"stageArn": stage_arn, "sessionId": session_id}
                ask["participantId"] = summary["participantId"]
                participant = self._run("GetParticipant", ask)["participant"]
                # Only a publisher is recorded (a subscriber's fields name no files).
                if participant.get("published") and participant.get("recordingS3Prefix"):
                    found.append({**participant, "sessionId": session_id})
        return found

    def _composited(self, stage_arn: str) -> list[dict[str, Any]]:
        # Every S3 destination with a recording prefix of every composition of the stage.
        found: list[dict[str, Any]] = []
        ask: dict[str, Any] = {"filterByStageArn": stage_arn, "maxResults": 100}
        while True:
            page = self._run("ListCompositions", ask)
            for summary in page["compositions"]:
                composition = self._run("GetComposition", {"arn": summary["arn"]})["composition"]
                for destination in composition["destinations"]:
                    composite = self._composite(composition, destination)
                    if composite is not None:
                        found.append(composite)
            if not page.get("nextToken"):
                return found
            ask = {**ask, "nextToken": page["nextToken"]}

    def _composite(
        self, composition: dict[str, Any], destination: dict[str, Any]
    ) -> dict[str, Any] | None:
        """One composite recording: a destination's prefix and its storage's bucket."""
        prefix = destination.get("detail", {}).get("s3", {}).get("recordingPrefix", "")
        storage_arn = (
            destination.get("configuration", {}).get("s3", {}).get("storageConfigurationArn", "")
        )
        if not prefix or not storage_arn:
            return None
        try:
            storage = self._run("GetStorageConfiguration", {"arn": storage_arn})
        except ServiceException:
            return None  # its storage configuration is gone: nowhere to read from
        return {
            "compositionArn": composition["arn"],
            "destinationId": destination["id"],
            "state": destination["state"],
            "compositionState": composition["state"],
            "bucket": storage["storageConfiguration"].get("s3", {}).get("bucketName", ""),
            "prefix": prefix,
        }

    async def _recordings(self, stage_arn: str) -> web.Response:
        recordings: list[dict[str, Any]] = []
        for participant in self._recorded(stage_arn):
            bucket, prefix = participant["recordingS3BucketName"], participant["recordingS3Prefix"]
            files = await asyncio.to_thread(RecordingFiles(self._backend, bucket, prefix).files)
            recordings.append(
                {
                    "sessionId": participant["sessionId"],
                    "participantId": participant["participantId"],
                    "userId": participant.get("userId", ""),
                    "state": participant["recordingState"],
                    "bucket": bucket,
                    "prefix": prefix,
                    "files": files,
                }
            )
        composites: list[dict[str, Any]] = []
        for composite in self._composited(stage_arn):
            stored = RecordingFiles(self._backend, composite["bucket"], composite["prefix"])
            composites.append({**composite, "files": await asyncio.to_thread(stored.files)})
        return json_response(200, {"recordings": recordings, "composites": composites}, _HEADERS)

    def _recording_of(self, query: Mapping[str, str]) -> tuple[str, str, str]:
        """The bucket and prefix a recording-file request names, and what it is (for a 404)."""
        stage_arn = query.get("stageArn", "")
        if "compositionArn" not in query and "destinationId" not in query:
            ask = {name: query.get(name, "") for name in ("sessionId", "participantId")}
            participant = self._run("GetParticipant", {"stageArn": stage_arn, **ask})
            found = participant["participant"]
            bucket = found.get("recordingS3BucketName", "")
            return bucket, found.get("recordingS3Prefix", ""), "participant's recording"
        what = "composite recording"
        composition_arn = query.get("compositionArn", "")
        composition = self._run("GetComposition", {"arn": composition_arn})["composition"]
        if not stage_arn or composition["stageArn"] != stage_arn:
            return "", "", what  # another stage's composition: nothing of this stage
        for destination in composition["destinations"]:
            if destination["id"] == query.get("destinationId", ""):
                composite = self._composite(composition, destination)
                if composite is not None:
                    return composite["bucket"], composite["prefix"], what
        return "", "", what

    async def _recording_file(self, request: web.BaseRequest) -> web.Response:
        bucket, prefix, what = self._recording_of(request.query)
        path = request.query.get("path", "")
        files = RecordingFiles(self._backend, bucket, prefix)
        body = await asyncio.to_thread(files.read, path) if prefix else None
        if body is None:
            return _refused(404, f"No such file in this {what}")
        headers = dict(_HEADERS)
        if path.startswith("media/thumbnails/"):
            # A numbered thumbnail never changes once written: the page may keep it.
            headers["Cache-Control"] = "private, max-age=3600"
        return web.Response(body=body, content_type=content_type_of(path), headers=headers)

    async def _stream(self, request: web.BaseRequest) -> web.StreamResponse:
        loop = asyncio.get_running_loop()
        wake = asyncio.Event()

        def woken() -> None:
            # On the bus's thread: the stream's loop wakes it.
            loop.call_soon_threadsafe(wake.set)

        unsubscribe = self._backend.event_bus.watch_changes(woken)
        self._streams.add(wake)
        response = web.StreamResponse(
            headers={**_HEADERS, "Content-Type": "text/event-stream", "X-Accel-Buffering": "no"}
        )
        try:
            await response.prepare(request)
            await response.write(b"retry: 1000\n\nevent: change\ndata: {}\n\n")
            while not self._closed:
                with contextlib.suppress(TimeoutError):
                    # A comment now and then finds a page that went away.
                    await asyncio.wait_for(wake.wait(), 15)
                if self._closed:
                    break
                payload = b"event: change\ndata: {}\n\n" if wake.is_set() else b": idle\n\n"
                wake.clear()
                await response.write(payload)
        except (ConnectionError, RuntimeError):
            pass  # the page went away
        finally:
            self._streams.discard(wake)
            unsubscribe()
        return response


async def _json_body(request: web.BaseRequest) -> dict[str, Any]:
    raw = await request.read()
    if not raw:
        return {}
    try:
        decoded = json.loads(raw)
    except (ValueError, RecursionError):
        raise ServiceException(
            "The body is not valid JSON", status=400, code="ValidationException"
        ) from None
    if not isinstance(decoded, dict):
        raise ServiceException(
            "The body must be a JSON object", status=400, code="ValidationException"
        )
    return cast("dict[str, Any]", decoded)
