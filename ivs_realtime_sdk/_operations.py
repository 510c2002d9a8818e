"""One Operation descriptor per API call: what to call and how to read the answer."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

import attrs

from .models.pagination import Page
from .models.stage import CreatedStage, Stage, StageSummary
from .models.token import ParticipantToken

R = TypeVar("R")


@attrs.frozen
class Operation(Generic[R]):
    """An API operation and the shape of its result.

    Attributes:
        name: The API name, such as ``CreateStage``.
        method: The boto3 client method, such as ``create_stage``.
        result: The model the response becomes (None for no result).
        result_key: The response member holding the result; None for the whole response.
        page_key: For list operations, the member holding the page's items.
    """

    name: str
    method: str
    result: type[Any] | None
    result_key: str | None = None
    page_key: str | None = None


CREATE_STAGE: Operation[CreatedStage] = Operation("CreateStage", "create_stage", CreatedStage)
GET_STAGE: Operation[Stage] = Operation("GetStage", "get_stage", Stage, "stage")
UPDATE_STAGE: Operation[Stage] = Operation("UpdateStage", "update_stage", Stage, "stage")
DELETE_STAGE: Operation[None] = Operation("DeleteStage", "delete_stage", None)
LIST_STAGES: Operation[Page[StageSummary]] = Operation(
    "ListStages", "list_stages", StageSummary, page_key="stages"
)
CREATE_PARTICIPANT_TOKEN: Operation[ParticipantToken] = Operation(
    "CreateParticipantToken", "create_participant_token", ParticipantToken, "participantToken"
)
