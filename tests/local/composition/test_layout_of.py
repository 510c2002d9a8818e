"""A composition's layout, as the API holds it, becomes the compositor's layout."""

from __future__ import annotations

from ivs_realtime_sdk.local._composites import layout_of
from ivs_realtime_sdk.local.composition import (
    GridLayout,
    PipBehavior,
    PipLayout,
    PipPosition,
    VideoAspectRatio,
    VideoFillMode,
)


def test_every_grid_field_is_carried() -> None:
    layout = layout_of(
        {
            "grid": {
                "featuredParticipantAttribute": "featured",
                "omitStoppedVideo": True,
                "videoAspectRatio": "SQUARE",
                "videoFillMode": "CONTAIN",
                "gridGap": 8,
                "participantOrderAttribute": "order",
            }
        }
    )
    assert layout == GridLayout(
        featured_participant_attribute="featured",
        omit_stopped_video=True,
        video_aspect_ratio=VideoAspectRatio.SQUARE,
        video_fill_mode=VideoFillMode.CONTAIN,
        grid_gap=8,
        participant_order_attribute="order",
    )


def test_every_pip_field_is_carried() -> None:
    layout = layout_of(
        {
            "pip": {
                "featuredParticipantAttribute": "host",
                "omitStoppedVideo": True,
                "videoFillMode": "FILL",
                "gridGap": 4,
                "pipParticipantAttribute": "guest",
                "pipBehavior": "DYNAMIC",
                "pipOffset": 16,
                "pipPosition": "TOP_LEFT",
                "pipWidth": 320,
                "pipHeight": 180,
                "participantOrderAttribute": "order",
            }
        }
    )
    assert layout == PipLayout(
        featured_participant_attribute="host",
        omit_stopped_video=True,
        video_fill_mode=VideoFillMode.FILL,
        grid_gap=4,
        pip_participant_attribute="guest",
        pip_behavior=PipBehavior.DYNAMIC,
        pip_offset=16,
        pip_position=PipPosition.TOP_LEFT,
        pip_width=320,
        pip_height=180,
        participant_order_attribute="order",
    )


def test_no_layout_is_the_default_grid() -> None:
    assert layout_of({}) == GridLayout()
    assert layout_of({"grid": {}}) == GridLayout()


def test_a_member_of_the_other_kind_is_not_carried() -> None:
    assert layout_of({"grid": {"gridGap": 4, "pipOffset": 8}}) == GridLayout(grid_gap=4)
