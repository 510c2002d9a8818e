"""Individual participant recording: which publishers are recorded, and the events of each.

The media plane records a WHIP publisher (``local._media`` with
``local.recording``); these rules tell it what to record and where
(:meth:`RecordingRules.recording_plan`), and turn what the recorder
reports (start, end, failures, with the real prefix) into the participant's
``recordingState``, ``recordingS3BucketName``, ``recordingS3Prefix`` and
the ``IVS Participant Recording State Change`` events
(:meth:`RecordingRules.recording_changed`).
"""

from __future__ import annotations

import copy
import dataclasses
import tempfile
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from ._events import recording_state_event
from ._sessions import SessionRules
from ._state import RecordingOutput

__all__ = ["RecordingPlan", "RecordingRules"]

# The recorder's event name -> the participant's recordingState after it.
_STATE_AFTER = {
    "Recording Start": "ACTIVE",
    "Recording End": "STOPPED",
    "Recording Start Failure": "FAILED",
    "Recording End Failure": "FAILED",
}


@dataclass(frozen=True, slots=True)
class RecordingPlan:
    """What to record for one publisher: who, into which bucket, with which settings."""

    stage_arn: str
    session_id: str
    participant_id: str
    bucket: str
    configuration: dict[str, Any]
    """The stage's ``autoParticipantRecordingConfiguration`` (a copy, defaults filled)."""


class RecordingRules(SessionRules):
    """Individual participant recording of WHIP publishers."""

    @property
    def recording_output(self) -> RecordingOutput:
        """Where recordings are written: an S3 API or a local directory."""
        return self.state.recording_output

    @recording_output.setter
    def recording_output(self, value: RecordingOutput) -> None:
        with self._lock:
            self.state.recording_output = value

    def recordings_directory(self) -> str | None:
        """The directory recordings go to (made on first use if none was given); None with S3."""
        output = self.state.recording_output
        if output.s3:
            return None
        if output.directory is None:
            directory = tempfile.mkdtemp(prefix="ivs-recordings-")
            self.state.recording_output = dataclasses.replace(output, directory=directory)
            return directory
        return output.directory

    def recordings_location(self) -> str:
        """Where recordings go, to print: a directory, or an S3 endpoint (no user info)."""
        output = self.state.recording_output
        if not output.s3:
            return str(self.recordings_directory())
        if output.s3_endpoint_url is None:
            return "S3 (AWS's endpoint)"
        parts = urlsplit(output.s3_endpoint_url)
        return f"S3 at {parts.scheme}://{parts.hostname}" + (f":{parts.port}" if parts.port else "")

    def recording_plan(self, stage_arn: str, participant_id: str) -> RecordingPlan | None:
        """What to record for a publisher now connected, or None if its stage records nothing.

        A replica is recorded only when the stage's ``recordParticipantReplicas`` says so.
        """
        stage = self.state.stages.get(stage_arn)
        participant = self._find_connected(stage, participant_id) if stage else None
        if stage is None or participant is None or stage.recording is None:
            return None
        configuration = copy.deepcopy(stage.recording)
        if participant.replication_type == "REPLICA" and not configuration.get(
            "recordParticipantReplicas", True
        ):
            return None
        storage = self.state.storage_configurations.get(configuration["storageConfigurationArn"])
        participant.recording_state = "STARTING"
        return RecordingPlan(
            stage_arn=stage.arn,
            session_id=participant.session_id,
            participant_id=participant.participant_id,
            bucket=storage.bucket if storage is not None else "",
            configuration=configuration,
        )

    def publishing_replicas(self) -> list[tuple[str, str, str]]:
        """Every replica publishing now: (destination stage ARN, participant ID, source stage ARN).

        The media plane records those whose stage records them, from the source's media.
        """
        found: list[tuple[str, str, str]] = []
        for stage in self.state.stages.values():
            session = self._active(stage)
            for participant in session.connected() if session is not None else []:
                if (
                    participant.replication_type == "REPLICA"
                    and participant.publishing
                    and participant.source_stage_arn is not None
                ):
                    found.append(
                        (stage.arn, participant.participant_id, participant.source_stage_arn)
                    )
        return found

    def recording_changed(
        self,
        plan: RecordingPlan,
        *,
        event_name: str,
        prefix: str,
        reason: str | None = None,
        duration_ms: int | None = None,
    ) -> None:
        """The recorder of ``plan`` started, ended or failed: record it and send the event."""
        stage = self.state.stages.get(plan.stage_arn)
        session = stage.sessions.get(plan.session_id) if stage else None
        participant = session.participants.get(plan.participant_id) if session else None
        if participant is None:
            return
        participant.recording_bucket = plan.bucket
        participant.recording_prefix = prefix
        participant.recording_state = _STATE_AFTER.get(event_name, participant.recording_state)
        recording_state_event(
            self.event_bus,
            self.state,
            participant,
            event_name=event_name,
            reason=reason,
            duration_ms=duration_ms,
        )
