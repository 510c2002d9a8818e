"""Python participants of IVS Real-Time stages over WebRTC (the ``[media]`` extra).

::

    async with publish(token, audio=audio, video=video) as publication:
        print(publication.participant_id)
        async with stage_state(token) as states:
            async for state in states:
                print([p.participant_id for p in state.publishers])

Built on aiortc. Importing this module without the extra raises
:class:`~ivs_realtime_sdk.errors.MediaUnavailableError`, which names it.
"""

from __future__ import annotations

from .._extras import require_media

require_media("ivs_realtime_sdk.media")

from ._participant import (  # noqa: E402
    DEFAULT_CONNECT_TIMEOUT,
    Publication,
    Subscription,
    publish,
    subscribe,
)
from ._rules import IDR_INTERVAL, MAX_LONG_SIDE, MAX_SHORT_SIDE  # noqa: E402
from ._stage_state import (  # noqa: E402
    StageParticipant,
    StageState,
    StageStates,
    parse_stage_state,
    stage_state,
)
from ._testpattern import SilentAudioTrack, TestPatternVideoTrack, make_test_pattern  # noqa: E402
from ._token import ParticipantTokenInput  # noqa: E402
from ._whip import GLOBAL_WHIP_ENDPOINT  # noqa: E402

__all__ = [
    "DEFAULT_CONNECT_TIMEOUT",
    "GLOBAL_WHIP_ENDPOINT",
    "IDR_INTERVAL",
    "MAX_LONG_SIDE",
    "MAX_SHORT_SIDE",
    "ParticipantTokenInput",
    "Publication",
    "SilentAudioTrack",
    "StageParticipant",
    "StageState",
    "StageStates",
    "Subscription",
    "TestPatternVideoTrack",
    "parse_stage_state",
    "publish",
    "stage_state",
    "subscribe",
    "make_test_pattern",
]
