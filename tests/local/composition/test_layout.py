"""The layout rules, as pure functions: no media involved."""

from __future__ import annotations

import itertools
from types import MappingProxyType

import pytest

from ivs_realtime_sdk.local.composition.layout import (
    GridLayout,
    Participant,
    PipBehavior,
    PipLayout,
    PipPosition,
    Rect,
    Size,
    Tile,
    VideoAspectRatio,
    VideoFillMode,
    fit,
    grid_layout,
    order_participants,
    pip_layout,
)

CANVAS = Size(1280, 720)


HD = Size(640, 360)


def person(
    pid: str, seq: int, size: Size | None = HD, stopped: bool = False, **attrs: str
) -> Participant:
    return Participant(
        participant_id=pid,
        attributes=MappingProxyType(attrs),
        join_seq=seq,
        video_size=size,
        video_stopped=stopped,
    )


def assert_sane(
    tiles: tuple[Tile, ...], canvas: Size = CANVAS, *, allow_overlap: bool = False
) -> None:
    """Inside the canvas, even, and (for grids) no overlap."""
    for t in tiles:
        c = t.cell
        assert c.x >= 0, t
        assert c.y >= 0, t
        assert c.x + c.width <= canvas.width, t
        assert c.y + c.height <= canvas.height, t
        assert c.x % 2 == c.y % 2 == c.width % 2 == c.height % 2 == 0, t
        if t.placement is not None:
            p = t.placement
            assert p.crop.x + p.crop.width <= p.scaled.width
            assert p.crop.y + p.crop.height <= p.scaled.height
            assert p.at[0] + p.crop.width <= canvas.width
            assert p.at[1] + p.crop.height <= canvas.height
            assert p.at[0] >= c.x
            assert p.at[1] >= c.y
            assert p.at[0] + p.crop.width <= c.x + c.width
            assert p.at[1] + p.crop.height <= c.y + c.height
    if not allow_overlap:
        for a, b in itertools.combinations(tiles, 2):
            ra, rb = a.cell, b.cell
            apart = (
                ra.x + ra.width <= rb.x
                or rb.x + rb.width <= ra.x
                or ra.y + ra.height <= rb.y
                or rb.y + rb.height <= ra.y
            )
            assert apart, (a, b)


def test_two_participants_share_the_row_as_16_9_tiles_with_the_default_gap() -> None:
    tiles = grid_layout(Size(640, 360), [person("a", 1), person("b", 2)], GridLayout())
    assert [t.participant_id for t in tiles] == ["a", "b"]
    a, b = (t.cell for t in tiles)
    assert a.y == b.y
    assert a.width == b.width
    assert a.height == b.height
    assert b.x - (a.x + a.width) == 2  # gridGap default 2
    assert abs(a.width / a.height - 16 / 9) < 0.05
    # The block is centred vertically.
    assert abs(a.y - (360 - a.height - a.y)) <= 2
    assert_sane(tiles, Size(640, 360))


def test_grid_gap_is_the_space_between_tiles() -> None:
    tiles = grid_layout(CANVAS, [person(str(i), i) for i in range(4)], GridLayout(grid_gap=20))
    cells = [t.cell for t in tiles]
    assert cells[1].x - (cells[0].x + cells[0].width) == 20
    assert cells[2].y - (cells[0].y + cells[0].height) == 20
    assert_sane(tiles)


@pytest.mark.parametrize(
    ("ratio", "expected"),
    [
        (VideoAspectRatio.VIDEO, 16 / 9),
        (VideoAspectRatio.SQUARE, 1.0),
        (VideoAspectRatio.PORTRAIT, 3 / 4),
    ],
)
def test_video_aspect_ratio_shapes_the_tiles(ratio: VideoAspectRatio, expected: float) -> None:
    tiles = grid_layout(
        CANVAS, [person(str(i), i) for i in range(3)], GridLayout(video_aspect_ratio=ratio)
    )
    for t in tiles:
        assert abs(t.cell.width / t.cell.height - expected) < 0.03
    assert_sane(tiles)


def test_auto_aspect_tiles_take_the_cell_shape() -> None:
    tiles = grid_layout(
        CANVAS,
        [person("a", 1), person("b", 2)],
        GridLayout(video_aspect_ratio=VideoAspectRatio.AUTO),
    )
    assert [t.cell for t in tiles] == [Rect(0, 0, 638, 720), Rect(640, 0, 638, 720)]


def test_the_featured_participant_gets_the_large_slot_contained() -> None:
    people = [person("a", 1), person("b", 2, star="true"), person("c", 3)]
    tiles = grid_layout(CANVAS, people, GridLayout(featured_participant_attribute="star"))
    assert tiles[0].participant_id == "b"
    featured = tiles[0].cell
    assert featured.x == 0
    assert featured.height == 720
    assert featured.width >= 2 * 1280 // 3 - 2
    for t in tiles[1:]:
        assert t.cell.width * t.cell.height < featured.width * featured.height
        assert t.cell.x >= featured.x + featured.width + 2
    # Defaults: CONTAIN for the featured slot (letterboxed), COVER in the grid.
    fp = tiles[0].placement
    assert fp is not None
    assert fp.crop == Rect(0, 0, fp.scaled.width, fp.scaled.height)
    assert fp.scaled.width == featured.width
    assert fp.scaled.height < featured.height
    gp = tiles[1].placement
    assert gp is not None
    assert (gp.crop.width, gp.crop.height) == (
        tiles[1].cell.width,
        tiles[1].cell.height,
    )
    assert_sane(tiles)


def test_a_featured_participant_alone_fills_the_canvas() -> None:
    tiles = grid_layout(
        CANVAS, [person("a", 1, star="true")], GridLayout(featured_participant_attribute="star")
    )
    assert tiles[0].cell == Rect(0, 0, 1280, 720)


def test_featured_attribute_must_be_the_string_true() -> None:
    people = [person("a", 1, star="yes"), person("b", 2)]
    tiles = grid_layout(CANVAS, people, GridLayout(featured_participant_attribute="star"))
    assert tiles[0].cell.width == tiles[1].cell.width  # no featured slot


def test_an_explicit_fill_mode_applies_to_the_featured_slot_too() -> None:
    people = [person("a", 1, star="true"), person("b", 2)]
    cfg = GridLayout(featured_participant_attribute="star", video_fill_mode=VideoFillMode.FILL)
    tiles = grid_layout(CANVAS, people, cfg)
    for t in tiles:
        assert t.placement is not None
        assert t.placement.scaled == Size(t.cell.width, t.cell.height)


def test_participants_order_by_attribute_value_then_arrival() -> None:
    people = [
        person("late-none", 5),
        person("ten", 1, pos="10"),
        person("two", 2, pos="2"),
        person("empty", 3, pos=""),
        person("two-later", 4, pos="2"),
        person("text", 0, pos="b"),
    ]
    ordered = [p.participant_id for p in order_participants(people, "pos")]
    assert ordered == ["two", "two-later", "ten", "text", "empty", "late-none"]
    tiles = grid_layout(CANVAS, people, GridLayout(participant_order_attribute="pos"))
    assert [t.participant_id for t in tiles] == ordered


def test_without_an_order_attribute_arrival_decides() -> None:
    people = [person("b", 2, pos="1"), person("a", 1, pos="2")]
    assert [t.participant_id for t in grid_layout(CANVAS, people, GridLayout())] == ["a", "b"]


def test_stopped_video_keeps_a_blank_tile_unless_omitted() -> None:
    people = [person("a", 1), person("b", 2, stopped=True)]
    kept = grid_layout(CANVAS, people, GridLayout())
    assert [t.participant_id for t in kept] == ["a", "b"]
    assert kept[1].placement is None
    omitted = grid_layout(CANVAS, people, GridLayout(omit_stopped_video=True))
    assert [t.participant_id for t in omitted] == ["a"]


def test_a_participant_without_video_yet_has_a_blank_tile() -> None:
    tiles = grid_layout(CANVAS, [person("a", 1, size=None)], GridLayout())
    assert tiles[0].placement is None


def test_many_participants_fill_rows_and_centre_the_last_one() -> None:
    tiles = grid_layout(CANVAS, [person(str(i), i) for i in range(5)], GridLayout())
    rows: dict[int, list[Rect]] = {}
    for t in tiles:
        rows.setdefault(t.cell.y, []).append(t.cell)
    assert sorted(len(r) for r in rows.values()) == [2, 3]
    last = rows[max(rows)]
    left = last[0].x
    right = 1280 - (last[-1].x + last[-1].width)
    assert abs(left - right) <= 2
    assert_sane(tiles)


@pytest.mark.parametrize("count", range(1, 13))
@pytest.mark.parametrize(
    "canvas", [Size(1280, 720), Size(720, 1280), Size(640, 360), Size(1920, 1080)]
)
@pytest.mark.parametrize("ratio", list(VideoAspectRatio))
def test_every_grid_stays_inside_the_canvas_without_overlap(
    count: int, canvas: Size, ratio: VideoAspectRatio
) -> None:
    people = [
        person(str(i), i, size=Size(320 + 16 * i, 240), star="true" if i == 1 else "")
        for i in range(count)
    ]
    for featured in ("", "star"):
        cfg = GridLayout(video_aspect_ratio=ratio, featured_participant_attribute=featured)
        tiles = grid_layout(canvas, people, cfg)
        assert len(tiles) == count
        assert_sane(tiles, canvas)


def test_fit_fill_contain_cover() -> None:
    cell = Rect(100, 50, 400, 300)
    src = Size(640, 360)
    assert fit(src, cell, VideoFillMode.FILL).scaled == Size(400, 300)
    contain = fit(src, cell, VideoFillMode.CONTAIN)
    assert contain.scaled == Size(400, 224)
    assert contain.at == (100, 50 + 38)
    cover = fit(src, cell, VideoFillMode.COVER)
    assert cover.scaled.height == 300
    assert cover.scaled.width >= 532
    assert (cover.crop.width, cover.crop.height) == (400, 300)
    assert cover.at == (100, 50)
    assert abs(cover.crop.x - (cover.scaled.width - 400) / 2) <= 1


def test_pip_window_defaults_to_bottom_right_quarter_width() -> None:
    people = [person("main", 1), person("small", 2, pip="true", size=Size(320, 240))]
    tiles = pip_layout(CANVAS, people, PipLayout(pip_participant_attribute="pip"))
    assert [t.participant_id for t in tiles] == ["main", "small"]
    assert tiles[0].cell == Rect(0, 0, 1280, 720)
    # Width a quarter of the canvas; height from the participant's 4:3 video.
    assert tiles[1].cell == Rect(1280 - 320, 720 - 240, 320, 240)
    assert_sane(tiles, allow_overlap=True)


@pytest.mark.parametrize(
    ("position", "xy"),
    [
        (PipPosition.TOP_LEFT, (20, 20)),
        (PipPosition.TOP_RIGHT, (1280 - 400 - 20, 20)),
        (PipPosition.BOTTOM_LEFT, (20, 720 - 226 - 20)),
        (PipPosition.BOTTOM_RIGHT, (1280 - 400 - 20, 720 - 226 - 20)),
    ],
)
def test_pip_position_offset_and_size(position: PipPosition, xy: tuple[int, int]) -> None:
    people = [person("main", 1), person("small", 2, pip="true")]
    cfg = PipLayout(
        pip_participant_attribute="pip",
        pip_position=position,
        pip_offset=20,
        pip_width=400,
        pip_height=226,
    )
    tiles = pip_layout(CANVAS, people, cfg)
    assert (tiles[1].cell.x, tiles[1].cell.y) == xy
    assert (tiles[1].cell.width, tiles[1].cell.height) == (400, 226)


def test_pip_height_alone_sets_width_by_aspect() -> None:
    people = [person("main", 1), person("small", 2, pip="true", size=Size(640, 480))]
    tiles = pip_layout(CANVAS, people, PipLayout(pip_participant_attribute="pip", pip_height=300))
    assert (tiles[1].cell.width, tiles[1].cell.height) == (400, 300)


def test_pip_without_attribute_is_the_second_arrival_and_featured_is_main() -> None:
    people = [person("first", 1), person("second", 2), person("third", 3, star="true")]
    tiles = pip_layout(CANVAS, people, PipLayout(featured_participant_attribute="star"))
    assert [t.participant_id for t in tiles] == ["third", "first"]
    plain = pip_layout(CANVAS, people, PipLayout())
    assert [t.participant_id for t in plain] == ["first", "second"]  # a third is not shown


@pytest.mark.parametrize(
    ("behavior", "expected"),
    [(PipBehavior.STATIC, Rect(960, 540, 320, 180)), (PipBehavior.DYNAMIC, Rect(0, 0, 1280, 720))],
)
def test_pip_behavior_when_the_main_participant_is_gone(
    behavior: PipBehavior, expected: Rect
) -> None:
    only_pip = [person("small", 2, pip="true")]
    tiles = pip_layout(
        CANVAS, only_pip, PipLayout(pip_participant_attribute="pip", pip_behavior=behavior)
    )
    assert [t.cell for t in tiles] == [expected]


def test_pip_omits_stopped_video_when_asked() -> None:
    people = [person("main", 1, stopped=True), person("small", 2, pip="true")]
    cfg = PipLayout(
        pip_participant_attribute="pip", omit_stopped_video=True, pip_behavior=PipBehavior.DYNAMIC
    )
    tiles = pip_layout(CANVAS, people, cfg)
    assert [(t.participant_id, t.cell) for t in tiles] == [("small", Rect(0, 0, 1280, 720))]
