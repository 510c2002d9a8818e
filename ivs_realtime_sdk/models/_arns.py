"""Constraints shared by many models: ARNs, names, ids and tags, as the service model sets them."""

from __future__ import annotations

from ._constraints import StrMap, Text

_ARN = r"arn:aws:ivs:[a-z0-9-]+:[0-9]+:"

STAGE_ARN = Text(min=1, max=128, pattern=_ARN + r"stage/[a-zA-Z0-9-]+")
OPTIONAL_STAGE_ARN = Text(min=1, max=128, pattern=STAGE_ARN.pattern, optional=True)
STORAGE_CONFIGURATION_ARN = Text(
    min=1, max=128, pattern=_ARN + r"storage-configuration/[a-zA-Z0-9-]+"
)
ENCODER_CONFIGURATION_ARN = Text(
    min=1, max=128, pattern=_ARN + r"encoder-configuration/[a-zA-Z0-9-]+"
)
RESOURCE_NAME = Text(max=128, pattern=r"[a-zA-Z0-9-_]*", optional=True)
STAGE_SESSION_ID = Text(min=16, max=16, pattern=r"st-[a-zA-Z0-9]+")
OPTIONAL_STAGE_SESSION_ID = Text(min=16, max=16, pattern=r"st-[a-zA-Z0-9]+", optional=True)
PAGINATION_TOKEN = Text(max=1024, pattern=r"[a-zA-Z0-9+/=_-]*", optional=True)

TAG_KEY = Text(min=1, max=128)
TAG_VALUE = Text(max=256)
TAGS = StrMap(key=TAG_KEY, value=TAG_VALUE, max=50)
