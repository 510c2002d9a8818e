"""Constraints shared by many models: ARNs, names, ids, tags and times, as the service sets them."""

from __future__ import annotations

from .._service_model import PATTERN_FIXES
from ._constraints import Integer, StrMap, Text, optional

_ARN = r"arn:aws:ivs:[a-z0-9-]+:[0-9]+:"


def _arn(resource: str) -> Text:
    return Text(min=1, max=128, pattern=_ARN + resource + r"/[a-zA-Z0-9-]+")


STAGE_ARN = _arn("stage")
OPTIONAL_STAGE_ARN = optional(STAGE_ARN)
# Where the service allows "" to mean "no stage" (recording off, ingest detached).
STAGE_ARN_OR_EMPTY = Text(max=128, pattern=rf"^$|^{STAGE_ARN.pattern}$")
STORAGE_CONFIGURATION_ARN = _arn("storage-configuration")
ENCODER_CONFIGURATION_ARN = _arn("encoder-configuration")
COMPOSITION_ARN = _arn("composition")
CHANNEL_ARN = _arn("channel")
INGEST_CONFIGURATION_ARN = _arn("ingest-configuration")
PUBLIC_KEY_ARN = _arn("public-key")
# Any resource's ARN, with the service model's pattern fixed (see _service_model).
RESOURCE_ARN = Text(min=1, max=128, pattern=PATTERN_FIXES["ResourceArn"])

RESOURCE_NAME = Text(max=128, pattern=r"[a-zA-Z0-9-_]*", optional=True)
STAGE_SESSION_ID = Text(min=16, max=16, pattern=r"st-[a-zA-Z0-9]+")
# Ids of participants in a session; token ids (ParticipantTokenId) also allow "_".
PARTICIPANT_ID = Text(max=64, pattern=r"[a-zA-Z0-9-_]*")
OPTIONAL_USER_ID = Text(max=128, optional=True)
PAGINATION_TOKEN = Text(max=1024, pattern=r"[a-zA-Z0-9+/=_-]*", optional=True)


def max_results(limit: int = 100) -> Integer:
    """The page size of a list request: 1 to ``limit``, omitted for the service's default."""
    return Integer(min=1, max=limit, optional=True)


TAG_KEY = Text(min=1, max=128)
TAG_VALUE = Text(max=256)
TAGS = StrMap(key=TAG_KEY, value=TAG_VALUE, max=50)
# Participant attributes of ingest configurations, replicas and participants:
# the service model sets no limit on them.
PARTICIPANT_ATTRIBUTES = StrMap(key=Text(), value=Text())
