"""Stage sessions, participants, their events, and disconnects (``models/_session_requests.py``)."""

from __future__ import annotations

import functools
from typing import Any

from .._model import service_model
from ..backend import Backend, Event, Participant, Session, iso, iso_or_none
from ._registry import handler, omit_none

_CLIENT_FIELDS = ("ispName", "osName", "osVersion", "browserName", "browserVersion", "sdkVersion")


def _session_json(session: Session) -> dict[str, Any]:
    return omit_none(
        {
            "sessionId": session.session_id,
            "startTime": iso(session.start_time),
            "endTime": iso_or_none(session.end_time),
        }
    )


def _participant_summary(participant: Participant) -> dict[str, Any]:
    return omit_none(
        {
            "participantId": participant.participant_id,
            "userId": participant.user_id,
            "state": participant.state,
            "firstJoinTime": iso_or_none(participant.first_join_time),
            "published": participant.published,
            "recordingState": participant.recording_state,
            "replicationType": participant.replication_type,
            "replicationState": participant.replication_state,
            "sourceStageArn": participant.source_stage_arn,
            "sourceSessionId": participant.source_session_id,
            "redundantIngest": participant.redundant_ingest,
            "ingestConfigurationArn": participant.ingest_configuration_arn,
        }
    )


def _participant_json(participant: Participant) -> dict[str, Any]:
    rendered = _participant_summary(participant)
    rendered.update(
        attributes=dict(participant.attributes),
        recordingS3BucketName=participant.recording_bucket,
        recordingS3Prefix=participant.recording_prefix,
        protocol=participant.protocol,
    )
    for name in _CLIENT_FIELDS:
        if name in participant.client:
            rendered[name] = participant.client[name]
    return rendered


@functools.cache
def _event_shape() -> tuple[frozenset[str], frozenset[str]]:
    """The members and event names of the model's ``Event`` shape.

    A model from before token exchange declares neither ``TOKEN_EXCHANGED`` nor
    ``previousToken``/``newToken``: the emulator then lists and sends neither.
    """
    shape = service_model().shape_for("Event")
    return frozenset(shape.members), frozenset(shape.members["name"].enum)


def _event_json(event: Event) -> dict[str, Any]:
    members, _ = _event_shape()
    rendered = {
        "name": event.name,
        "participantId": event.participant_id,
        "eventTime": iso(event.time),
        "remoteParticipantId": event.remote_participant_id,
        "errorCode": event.error_code,
        "destinationStageArn": event.destination_stage_arn,
        "destinationSessionId": event.destination_session_id,
        "replica": event.replica,
        "previousToken": event.previous_token,
        "newToken": event.new_token,
    }
    return omit_none({key: value for key, value in rendered.items() if key in members})


@handler("GetStageSession")
def get_stage_session(backend: Backend, params: dict[str, Any]) -> dict[str, Any]:
    """Return one stage session."""
    session = backend.get_stage_session(params["stageArn"], params["sessionId"])
    return {"stageSession": _session_json(session)}


@handler("ListStageSessions")
def list_stage_sessions(backend: Backend, params: dict[str, Any]) -> dict[str, Any]:
    """List a stage's sessions, oldest first."""
    page, token = backend.list_stage_sessions(
        params["stageArn"], params.get("nextToken"), params.get("maxResults")
    )
    return omit_none({"stageSessions": [_session_json(s) for s in page], "nextToken": token})


@handler("GetParticipant")
def get_participant(backend: Backend, params: dict[str, Any]) -> dict[str, Any]:
    """Return one participant of a session."""
    participant = backend.get_participant(
        params["stageArn"], params["sessionId"], params["participantId"]
    )
    return {"participant": _participant_json(participant)}


@handler("ListParticipants")
def list_participants(backend: Backend, params: dict[str, Any]) -> dict[str, Any]:
    """List a session's participants with at most one filter, as the service allows."""
    page, token = backend.list_participants(
        params["stageArn"],
        params["sessionId"],
        {name: value for name, value in params.items() if name.startswith("filterBy")},
        params.get("nextToken"),
        params.get("maxResults"),
    )
    return omit_none({"participants": [_participant_summary(p) for p in page], "nextToken": token})


@handler("ListParticipantEvents")
def list_participant_events(backend: Backend, params: dict[str, Any]) -> dict[str, Any]:
    """List one participant's events in a session, oldest first."""
    _, names = _event_shape()
    page, token = backend.list_participant_events(
        params["stageArn"],
        params["sessionId"],
        params["participantId"],
        names,
        params.get("nextToken"),
        params.get("maxResults"),
    )
    return omit_none({"events": [_event_json(e) for e in page], "nextToken": token})


@handler("DisconnectParticipant")
def disconnect_participant(backend: Backend, params: dict[str, Any]) -> dict[str, Any]:
    """Disconnect a connected participant and revoke it from the stage for good."""
    backend.disconnect_participant(params["stageArn"], params["participantId"])
    return {}
