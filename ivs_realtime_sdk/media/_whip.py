"""The WHIP exchange (RFC 9725) as IVS runs it: offer, redirects, answer, resource DELETE.

IVS answers the global endpoint with a redirect (307 and friends) to the
stage's own media server. HTTP clients drop ``Authorization`` on a redirect,
so redirects are followed here, by hand, with the header kept. The answer
is ``201 Created`` with the SDP answer as body and, per RFC 9725, the URL of
the session's resource in ``Location``; a DELETE of that URL ends the
session.
"""

from __future__ import annotations

from urllib.parse import urljoin

import aiohttp
import attrs

from ..errors import MediaConnectionError, StageRefusedError

__all__ = [
    "GLOBAL_WHIP_ENDPOINT",
    "MAX_REDIRECTS",
    "SDP_CONTENT_TYPE",
    "WhipAnswer",
    "delete_resource",
    "post_offer",
    "subscribe_url",
]

GLOBAL_WHIP_ENDPOINT = "https://global.whip.live-video.net"
"""Where IVS participants send their publish offer; it redirects to the stage's server."""
SDP_CONTENT_TYPE = "application/sdp"
MAX_REDIRECTS = 5
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_REASONS = {401: "unauthorized", 403: "forbidden", 404: "not_found", 409: "conflict"}
# Enough of a refusal's body to explain it, never a whole page.
_MAX_DETAIL = 200


@attrs.frozen(kw_only=True)
class WhipAnswer:
    """The stage's answer to an offer."""

    sdp: str
    """The SDP answer."""
    resource_url: str | None
    """The session's resource (``Location``), to DELETE when leaving; None if not given."""


def subscribe_url(whip_url: str, participant_id: str) -> str:
    """Return the URL a subscribe offer goes to: ``{whip_url}/subscribe/{participant_id}``."""
    return f"{whip_url.rstrip('/')}/subscribe/{participant_id}"


def _headers(token: str, content_type: str | None = None) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {token}"}
    if content_type is not None:
        headers["Content-Type"] = content_type
    return headers


async def _refusal(response: aiohttp.ClientResponse, action: str) -> StageRefusedError:
    detail = (await response.text(errors="replace")).strip()[:_MAX_DETAIL]
    reason = _REASONS.get(response.status, "refused")
    return StageRefusedError(
        reason,
        f"the stage refused the {action} (HTTP {response.status}): {detail or 'no detail'}",
        status_code=response.status,
    )


async def post_offer(
    session: aiohttp.ClientSession, url: str, token: str, offer: str, *, action: str
) -> WhipAnswer:
    """POST an SDP offer and return the answer, following redirects by hand.

    Args:
        session: The HTTP session.
        url: The WHIP endpoint.
        token: The participant token (sent as a Bearer token, never logged).
        offer: The SDP offer.
        action: What the offer is for (``publish``, ``subscribe``), for messages.

    Raises:
        StageRefusedError: The stage answered with an error status.
        MediaConnectionError: No answer, too many redirects, or not an SDP answer.
    """
    for _ in range(MAX_REDIRECTS + 1):
        try:
            async with session.post(
                url, data=offer, headers=_headers(token, SDP_CONTENT_TYPE), allow_redirects=False
            ) as response:
                if response.status in _REDIRECTS:
                    location = response.headers.get("Location")
                    if not location:
                        raise MediaConnectionError(f"{action}: a redirect without Location")
                    url = urljoin(url, location)
                    continue
                if response.status != 201:
                    raise await _refusal(response, action)
                sdp = await response.text()
                location = response.headers.get("Location")
        except aiohttp.ClientError as exc:
            raise MediaConnectionError(f"{action}: the WHIP endpoint failed: {exc}") from exc
        if not sdp.startswith("v=0"):
            raise MediaConnectionError(f"{action}: the WHIP answer is not SDP")
        return WhipAnswer(sdp=sdp, resource_url=urljoin(url, location) if location else None)
    raise MediaConnectionError(f"{action}: more than {MAX_REDIRECTS} redirects")


async def delete_resource(session: aiohttp.ClientSession, url: str, token: str) -> None:
    """DELETE a WHIP session's resource, which ends the session (best effort).

    Raises:
        MediaConnectionError: The endpoint could not be reached.
    """
    try:
        async with session.delete(url, headers=_headers(token)) as response:
            await response.read()
    except aiohttp.ClientError as exc:
        raise MediaConnectionError(f"leave: the WHIP endpoint failed: {exc}") from exc
