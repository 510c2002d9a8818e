"""Stage sessions: one continuous run of a stage, from its first join to its last leave."""

from __future__ import annotations

from datetime import datetime

import attrs

from ._response import typed_fields

__all__ = ["StageSession", "StageSessionSummary"]


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class StageSession:
    """A session of a stage, as ``get_stage_session`` describes it."""

    session_id: str | None = None
    """The session's id, such as ``st-a1b2c3d4e5f6g7h``."""
    start_time: datetime | None = None
    """When the first participant joined, in UTC."""
    end_time: datetime | None = None
    """When the last participant left, in UTC; None while the session is live."""


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class StageSessionSummary:
    """A session of a stage, as ``list_stage_sessions`` shows it."""

    session_id: str | None = None
    """The session's id."""
    start_time: datetime | None = None
    """When the first participant joined, in UTC."""
    end_time: datetime | None = None
    """When the last participant left, in UTC; None while the session is live."""
