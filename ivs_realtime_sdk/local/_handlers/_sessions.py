"""Stage sessions, participants, participant events, disconnects and replication."""

from __future__ import annotations

import functools
from typing import Any

from .._errors import ConflictException, ResourceNotFoundException, ValidationException
from .._model import service_model
from .._participants import (
    TokenGrant,
    connect,
    disconnect,
    find_connected,
    replication_started,
    start_publish,
    stop_replica,
)
from .._state import Event, Participant, Replica, Session, Stage, Store, iso
from ._registry import check_attributes, handler, omit_none

_PARTICIPANT_FILTERS = (
    "filterByUserId",
    "filterByPublished",
    "filterByState",
    "filterByRecordingState",
)


def _time(value: float | None) -> str | None:
    return iso(value) if value is not None else None


def _session_json(session: Session) -> dict[str, Any]:
    return omit_none(
        {
            "sessionId": session.session_id,
            "startTime": iso(session.start_time),
            "endTime": _time(session.end_time),
        }
    )


def _participant_summary(participant: Participant) -> dict[str, Any]:
    return omit_none(
        {
            "participantId": participant.participant_id,
            "userId": participant.user_id,
            "state": participant.state,
            "firstJoinTime": _time(participant.first_join_time),
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
    for name in ("ispName", "osName", "osVersion", "browserName", "browserVersion", "sdkVersion"):
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


def _sessions_of(store: Store, stage_arn: str) -> list[Session]:
    # The list operations model no ResourceNotFoundException: an unknown stage
    # or session simply has nothing to list.
    stage = store.stages.get(stage_arn)
    return list(stage.sessions.values()) if stage is not None else []


def _participants_of(store: Store, stage_arn: str, session_id: str) -> list[Participant]:
    for session in _sessions_of(store, stage_arn):
        if session.session_id == session_id:
            return list(session.participants.values())
    return []


@handler("GetStageSession")
def get_stage_session(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    """Return one stage session."""
    _, session = store.session(params["stageArn"], params["sessionId"])
    return {"stageSession": _session_json(session)}


@handler("ListStageSessions")
def list_stage_sessions(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    """List a stage's sessions, oldest first."""
    sessions = _sessions_of(store, params["stageArn"])
    page, token = store.paginate("ListStageSessions", sessions, params, 50)
    return omit_none({"stageSessions": [_session_json(s) for s in page], "nextToken": token})


@handler("GetParticipant")
def get_participant(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    """Return one participant of a session."""
    _, session = store.session(params["stageArn"], params["sessionId"])
    participant = session.participants.get(params["participantId"])
    if participant is None:
        raise ResourceNotFoundException(f"Participant not found: {params['participantId']}")
    return {"participant": _participant_json(participant)}


@handler("ListParticipants")
def list_participants(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    """List a session's participants with at most one filter, as the service allows."""
    used = [name for name in _PARTICIPANT_FILTERS if params.get(name) is not None]
    if len(used) > 1:
        raise ValidationException(
            f"Only one of {', '.join(_PARTICIPANT_FILTERS)} can be provided (got {', '.join(used)})"
        )
    participants = _participants_of(store, params["stageArn"], params["sessionId"])
    if "filterByUserId" in used:
        participants = [p for p in participants if p.user_id == params["filterByUserId"]]
    elif "filterByPublished" in used:
        participants = [p for p in participants if p.published == params["filterByPublished"]]
    elif "filterByState" in used:
        participants = [p for p in participants if p.state == params["filterByState"]]
    elif "filterByRecordingState" in used:
        wanted = params["filterByRecordingState"]
        participants = [p for p in participants if p.recording_state == wanted]
    page, token = store.paginate("ListParticipants", participants, params, 50)
    return omit_none({"participants": [_participant_summary(p) for p in page], "nextToken": token})


@handler("ListParticipantEvents")
def list_participant_events(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    """List one participant's events in a session, oldest first."""
    events: list[Event] = []
    _, names = _event_shape()
    for participant in _participants_of(store, params["stageArn"], params["sessionId"]):
        if participant.participant_id == params["participantId"]:
            events = [event for event in participant.events if event.name in names]
    page, token = store.paginate("ListParticipantEvents", events, params, 50)
    return omit_none({"events": [_event_json(e) for e in page], "nextToken": token})


@handler("DisconnectParticipant")
def disconnect_participant(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    """Disconnect a connected participant and revoke it from the stage for good."""
    stage = store.stage(params["stageArn"])
    participant = find_connected(stage, params["participantId"])
    if participant is None:
        raise ResourceNotFoundException(
            f"Participant {params['participantId']} is not connected to this stage"
        )
    stage.revoked.add(participant.participant_id)
    disconnect(store, stage, participant)
    # Documented: disconnecting an RTMP(S) publisher also clears its ingest's stage.
    for ingest in store.ingest_configurations.values():
        if ingest.participant_id == participant.participant_id:
            ingest.stage_arn = ""
    return {}


def _replica_of(store: Store, source: Stage, destination: Stage, participant_id: str) -> int | None:
    for key, replica in store.replicas.items():
        if (
            replica.state == "ACTIVE"
            and replica.source_stage_arn == source.arn
            and replica.destination_stage_arn == destination.arn
            and replica.participant_id == participant_id
        ):
            return key
    return None


@handler("StartParticipantReplication")
def start_participant_replication(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    """Replicate a publishing participant into another stage."""
    source = store.stage(params["sourceStageArn"])
    destination = store.stage(params["destinationStageArn"])
    if source.arn == destination.arn:
        raise ValidationException("sourceStageArn and destinationStageArn must differ")
    attributes = check_attributes(params.get("attributes"), "attributes")
    original = find_connected(source, params["participantId"])
    if original is None:
        raise ResourceNotFoundException(
            f"Participant {params['participantId']} is not connected to the source stage"
        )
    if not original.publishing:
        raise ConflictException("Only a publishing participant can be replicated")
    if original.replication_type == "REPLICA":
        raise ConflictException("A replica cannot be replicated again")
    if _replica_of(store, source, destination, original.participant_id) is not None:
        raise ConflictException("Participant is already replicated to the destination stage")
    if find_connected(destination, original.participant_id) is not None:
        raise ConflictException("Participant is already connected to the destination stage")
    assert source.active_session_id is not None
    grant = TokenGrant(
        participant_id=original.participant_id,
        user_id=original.user_id,
        attributes={**original.attributes, **attributes},
        can_publish=True,
        can_subscribe=False,
    )
    copy = connect(
        store,
        destination,
        grant,
        protocol=original.protocol,
        replica_of=(source.arn, source.active_session_id),
    )
    start_publish(store, destination, copy)
    assert destination.active_session_id is not None
    replica = Replica(
        seq=store.next_seq(),
        participant_id=original.participant_id,
        source_stage_arn=source.arn,
        source_session_id=source.active_session_id,
        destination_stage_arn=destination.arn,
        destination_session_id=destination.active_session_id,
    )
    store.replicas[replica.seq] = replica
    replication_started(store, original, destination.arn, destination.active_session_id)
    return {}


@handler("StopParticipantReplication")
def stop_participant_replication(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    """Stop replicating a participant into a stage."""
    source = store.stage(params["sourceStageArn"])
    destination = store.stage(params["destinationStageArn"])
    key = _replica_of(store, source, destination, params["participantId"])
    if key is None:
        raise ResourceNotFoundException("No active replication of this participant to that stage")
    stop_replica(store, key)
    return {}


@handler("ListParticipantReplicas")
def list_participant_replicas(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    """List the replicas (active and stopped) of one source participant."""
    matching = [
        r
        for r in store.replicas.values()
        if r.source_stage_arn == params["sourceStageArn"]
        and r.participant_id == params["participantId"]
    ]
    page, token = store.paginate("ListParticipantReplicas", matching, params, 50)
    replicas = [
        {
            "sourceStageArn": r.source_stage_arn,
            "participantId": r.participant_id,
            "sourceSessionId": r.source_session_id,
            "destinationStageArn": r.destination_stage_arn,
            "destinationSessionId": r.destination_session_id,
            "replicationState": r.state,
        }
        for r in page
    ]
    return omit_none({"replicas": replicas, "nextToken": token})
