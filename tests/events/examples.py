"""Example EventBridge events of IVS Real-Time, each from a cited public source.

Values are as the source shows them; where a source shows only part of an
envelope (the detail, or the field names), the rest is the envelope of the
same page's other examples.
"""

from __future__ import annotations

from typing import Any

_ENVELOPE: dict[str, Any] = {
    "version": "0",
    "id": "12345678-1a23-4567-a1bc-1a2b34567890",
    "source": "aws.ivs",
    "account": "123456789012",
    "time": "2024-03-13T22:19:04Z",
    "region": "us-west-2",
}
STAGE_ARN = "arn:aws:ivs:us-west-2:123456789012:stage/AbCdef1G2hij"
COMPOSITION_ARN = "arn:aws:ivs:us-west-2:123456789012:composition/123456789012"


def _event(detail_type: str, resource: str, detail: dict[str, Any]) -> dict[str, Any]:
    return {**_ENVELOPE, "detail-type": detail_type, "resources": [resource], "detail": detail}


# Source: https://docs.aws.amazon.com/ivs/latest/RealTimeUserGuide/rt-individual-participant-recording.html
# ("Listen to the EventBridge event"), verbatim.
RECORDING_START: dict[str, Any] = {
    "version": "0",
    "id": "12345678-1a23-4567-a1bc-1a2b34567890",
    "detail-type": "IVS Participant Recording State Change",
    "source": "aws.ivs",
    "account": "123456789012",
    "time": "2024-03-13T22:19:04Z",
    "region": "us-east-1",
    "resources": ["arn:aws:ivs:us-west-2:123456789012:stage/AbCdef1G2hij"],
    "detail": {
        "session_id": "st-ZyXwvu1T2s",
        "event_name": "Recording Start",
        "participant_id": "xYz1c2d3e4f",
        "recording_s3_bucket_name": "ivs-recordings",
        "recording_s3_key_prefix": "<stage_id>/<session_id>/<participant_id>/2024-01-01T12-00-55Z",
    },
}

# Source: https://docs.aws.amazon.com/ivs/latest/RealTimeUserGuide/eventbridge.html
# (Participant Recording State Change: Recording End; recording_duration_ms as
# handlers built on that page read it).
RECORDING_END = _event(
    "IVS Participant Recording State Change",
    STAGE_ARN,
    {
        "session_id": "st-ZyXwvu1T2s",
        "event_name": "Recording End",
        "participant_id": "xYz1c2d3e4f",
        "recording_s3_bucket_name": "ivs-recordings",
        "recording_s3_key_prefix": "<stage_id>/<session_id>/<participant_id>/2024-01-01T12-00-55Z",
        "recording_duration_ms": 547327,
    },
)

# Source: https://docs.aws.amazon.com/ivs/latest/RealTimeUserGuide/eventbridge.html
# (the event table lists Recording Start Failure and Recording End Failure with
# the same detail as Recording Start).
RECORDING_START_FAILURE = _event(
    "IVS Participant Recording State Change",
    STAGE_ARN,
    {**RECORDING_START["detail"], "event_name": "Recording Start Failure"},
)
RECORDING_END_FAILURE = _event(
    "IVS Participant Recording State Change",
    STAGE_ARN,
    {**RECORDING_START["detail"], "event_name": "Recording End Failure"},
)

# Source: aws-samples/amazon-ivs-ugc-platform-web-demo (the stage-update
# handler quotes these two events as delivered: event_time, empty user_id).
PARTICIPANT_PUBLISHED: dict[str, Any] = {
    "version": "0",
    "id": "db65fc17-1612-ef68-3aad-c8a7bfd7b881",
    "detail-type": "IVS Stage Update",
    "source": "aws.ivs",
    "account": "630176884077",
    "time": "2025-04-23T06:36:53Z",
    "region": "us-east-1",
    "resources": ["arn:aws:ivs:us-east-1:630176884077:stage/oWXSOfbOLMte"],
    "detail": {
        "session_id": "st-1CVugbu2cf2n8",
        "event_name": "Participant Published",
        "event_time": "2025-04-23T06:36:53Z",
        "user_id": "",
        "participant_id": "03JY4smU3eXc",
    },
}
PARTICIPANT_UNPUBLISHED: dict[str, Any] = {
    **PARTICIPANT_PUBLISHED,
    "id": "e41f434d-733f-8207-7086-b73a145337ca",
    "time": "2025-04-23T06:37:11Z",
    "detail": {
        "session_id": "st-1CVugbu2cf2n8",
        "event_name": "Participant Unpublished",
        "event_time": "2025-04-23T06:37:11Z",
        "user_id": "",
        "participant_id": "03JY4smU3eXc",
    },
}

# Source: https://docs.aws.amazon.com/ivs/latest/RealTimeUserGuide/eventbridge.html
# (Stage Update: Participant Published example, with a user_id).
PARTICIPANT_PUBLISHED_DOCS = _event(
    "IVS Stage Update",
    STAGE_ARN,
    {
        "session_id": "st-ZyXwvu1T2s",
        "event_name": "Participant Published",
        "user_id": "Your UserId",
        "participant_id": "xYz1c2d3e4f",
    },
)
# Same page: Participant Publish Error (the detail of the table's event; the
# page shows no error fields, so none here).
PARTICIPANT_PUBLISH_ERROR = _event(
    "IVS Stage Update",
    STAGE_ARN,
    {**PARTICIPANT_PUBLISHED_DOCS["detail"], "event_name": "Participant Publish Error"},
)

# Source: https://docs.aws.amazon.com/ivs/latest/RealTimeUserGuide/eventbridge.html
# (Composition State Change examples: resources[0] is the composition,
# detail.stage_arn the stage, detail.id a destination, detail.reason a failure).
COMPOSITION_SESSION_START = _event(
    "IVS Composition State Change",
    COMPOSITION_ARN,
    {"event_name": "Session Start", "stage_arn": STAGE_ARN},
)
COMPOSITION_SESSION_END = _event(
    "IVS Composition State Change",
    COMPOSITION_ARN,
    {"event_name": "Session End", "stage_arn": STAGE_ARN},
)
COMPOSITION_SESSION_FAILURE = _event(
    "IVS Composition State Change",
    COMPOSITION_ARN,
    {"event_name": "Session Failure", "stage_arn": STAGE_ARN, "reason": "Reason for failure"},
)
COMPOSITION_DESTINATION_START = _event(
    "IVS Composition State Change",
    COMPOSITION_ARN,
    {"event_name": "Destination Start", "stage_arn": STAGE_ARN, "id": "AbCdef1G2hij"},
)
COMPOSITION_DESTINATION_END = _event(
    "IVS Composition State Change",
    COMPOSITION_ARN,
    {"event_name": "Destination End", "stage_arn": STAGE_ARN, "id": "AbCdef1G2hij"},
)
COMPOSITION_DESTINATION_FAILURE = _event(
    "IVS Composition State Change",
    COMPOSITION_ARN,
    {
        "event_name": "Destination Failure",
        "stage_arn": STAGE_ARN,
        "id": "AbCdef1G2hij",
        "reason": "Reason for failure",
    },
)
COMPOSITION_DESTINATION_RECONNECTING = _event(
    "IVS Composition State Change",
    COMPOSITION_ARN,
    {"event_name": "Destination Reconnecting", "stage_arn": STAGE_ARN, "id": "AbCdef1G2hij"},
)

ALL: dict[str, dict[str, Any]] = {
    name: value
    for name, value in sorted(globals().items())
    if name.isupper() and isinstance(value, dict) and "detail-type" in value
}
