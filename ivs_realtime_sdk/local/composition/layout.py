"""Layout maths of server-side compositions: participants in, rectangles out.

Pure functions with no media and no I/O, so every IVS layout rule
(GridConfiguration, PipConfiguration) is unit-tested without decoding a
frame. The compositor turns the returned tiles into a filter graph.

Where IVS documents a rule it is followed; where the docs are silent the
choice made here is written in the function's docstring (and in NOTES.md).
All coordinates and sizes are even, because the canvas is yuv420p, whose
chroma planes are half size: an odd offset would shift colour by a pixel.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

__all__ = [
    "GridLayout",
    "Layout",
    "Participant",
    "PipBehavior",
    "PipLayout",
    "PipPosition",
    "Placement",
    "Rect",
    "Size",
    "Tile",
    "VideoAspectRatio",
    "VideoFillMode",
    "compute_layout",
    "fit",
    "grid_layout",
    "order_participants",
    "pip_layout",
]


class VideoAspectRatio(enum.StrEnum):
    """Shape of non-featured grid tiles (GridConfiguration.videoAspectRatio)."""

    AUTO = "AUTO"
    VIDEO = "VIDEO"
    SQUARE = "SQUARE"
    PORTRAIT = "PORTRAIT"


class VideoFillMode(enum.StrEnum):
    """How a video fits its tile: stretched, cropped or letterboxed."""

    FILL = "FILL"
    COVER = "COVER"
    CONTAIN = "CONTAIN"


class PipBehavior(enum.StrEnum):
    """What the PiP window does when the main participant is gone."""

    STATIC = "STATIC"
    DYNAMIC = "DYNAMIC"


class PipPosition(enum.StrEnum):
    """Corner of the canvas that holds the PiP window."""

    TOP_LEFT = "TOP_LEFT"
    TOP_RIGHT = "TOP_RIGHT"
    BOTTOM_LEFT = "BOTTOM_LEFT"
    BOTTOM_RIGHT = "BOTTOM_RIGHT"


_ASPECTS: Mapping[VideoAspectRatio, float] = MappingProxyType(
    {
        VideoAspectRatio.VIDEO: 16 / 9,
        VideoAspectRatio.SQUARE: 1.0,
        VideoAspectRatio.PORTRAIT: 3 / 4,
    }
)


@dataclass(frozen=True, slots=True)
class Size:
    """A width and height in pixels."""

    width: int
    height: int


@dataclass(frozen=True, slots=True)
class Rect:
    """A rectangle on the canvas (or inside a scaled image), in pixels."""

    x: int
    y: int
    width: int
    height: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Participant:
    """What the layout needs to know of one publisher.

    ``join_seq`` is the order of arrival in the stage (a counter, not a
    clock), so two joins in the same millisecond still order stably.
    ``video_size`` is None until the first frame arrives.
    """

    participant_id: str
    attributes: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    join_seq: int = 0
    video_size: Size | None = None
    video_stopped: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class GridLayout:
    """GridConfiguration, with the service's documented defaults."""

    featured_participant_attribute: str = ""
    omit_stopped_video: bool = False
    video_aspect_ratio: VideoAspectRatio = VideoAspectRatio.VIDEO
    video_fill_mode: VideoFillMode | None = None
    grid_gap: int = 2
    participant_order_attribute: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class PipLayout:
    """PipConfiguration, with the service's documented defaults."""

    featured_participant_attribute: str = ""
    omit_stopped_video: bool = False
    video_fill_mode: VideoFillMode = VideoFillMode.COVER
    grid_gap: int = 0
    pip_participant_attribute: str = ""
    pip_behavior: PipBehavior = PipBehavior.STATIC
    pip_offset: int = 0
    pip_position: PipPosition = PipPosition.BOTTOM_RIGHT
    pip_width: int | None = None
    pip_height: int | None = None
    participant_order_attribute: str = ""


Layout = GridLayout | PipLayout


@dataclass(frozen=True, slots=True)
class Placement:
    """How one video lands in its cell.

    Scale the source to ``scaled``, keep the ``crop`` window of the
    scaled image, and draw that window at ``at`` on the canvas.
    """

    scaled: Size
    crop: Rect
    at: tuple[int, int]


@dataclass(frozen=True, slots=True)
class Tile:
    """One participant's slot, in paint order (later tiles on top).

    ``placement`` is None when there is no video to draw (not yet
    received, or stopped and not omitted): the cell stays a blank tile.
    """

    participant_id: str
    cell: Rect
    placement: Placement | None


def _even(value: float) -> int:
    """Round down to an even integer, never below 2 (yuv420p needs even sizes)."""
    return max(2, int(value) // 2 * 2)


def _even_pos(value: float) -> int:
    """Round a coordinate down to an even integer (0 allowed)."""
    return max(0, int(value) // 2 * 2)


def fit(source: Size, cell: Rect, mode: VideoFillMode) -> Placement:
    """Place a video of size ``source`` in ``cell`` by the fill mode.

    FILL stretches to the cell; CONTAIN scales to fit and centres (the
    cell's background shows around it); COVER scales to cover and crops
    the centre.
    """
    if mode is VideoFillMode.FILL:
        size = Size(cell.width, cell.height)
        return Placement(size, Rect(0, 0, size.width, size.height), (cell.x, cell.y))
    sx = cell.width / source.width
    sy = cell.height / source.height
    if mode is VideoFillMode.CONTAIN:
        scale = min(sx, sy)
        w = min(cell.width, _even(source.width * scale + 1e-6))
        h = min(cell.height, _even(source.height * scale + 1e-6))
        at = (cell.x + _even_pos((cell.width - w) / 2), cell.y + _even_pos((cell.height - h) / 2))
        return Placement(Size(w, h), Rect(0, 0, w, h), at)
    scale = max(sx, sy)
    # Round up (to even) so the scaled image always covers the cell.
    w = max(cell.width, math.ceil(source.width * scale - 1e-6))
    h = max(cell.height, math.ceil(source.height * scale - 1e-6))
    w += w % 2
    h += h % 2
    crop = Rect(
        _even_pos((w - cell.width) / 2), _even_pos((h - cell.height) / 2), cell.width, cell.height
    )
    return Placement(Size(w, h), crop, (cell.x, cell.y))


def _order_key(participant: Participant, attribute: str) -> tuple[int, int, int, str, int]:
    value = participant.attributes.get(attribute, "") if attribute else ""
    if not value:
        return (1, 0, 0, "", participant.join_seq)
    # Numbers order as numbers ("2" before "10"); other values as text.
    try:
        return (0, 0, int(value), "", participant.join_seq)
    except ValueError:
        return (0, 1, 0, value, participant.join_seq)


def order_participants(
    participants: Iterable[Participant], order_attribute: str
) -> list[Participant]:
    """Order by the order attribute's value, then arrival.

    Participants whose value is missing or "" come after those with a
    value, in arrival order (IVS: "ordered based on their arrival time").
    Integer values compare as numbers, and before non-numeric values.
    """
    return sorted(participants, key=lambda p: _order_key(p, order_attribute))


def _is_flagged(participant: Participant, attribute: str) -> bool:
    return bool(attribute) and participant.attributes.get(attribute) == "true"


def _visible(
    participants: Iterable[Participant], omit_stopped: bool, order_attribute: str
) -> list[Participant]:
    ordered = order_participants(participants, order_attribute)
    return [p for p in ordered if not (omit_stopped and p.video_stopped)]


def _tile(participant: Participant, cell: Rect, mode: VideoFillMode) -> Tile:
    if participant.video_stopped or participant.video_size is None:
        return Tile(participant.participant_id, cell, None)
    return Tile(participant.participant_id, cell, fit(participant.video_size, cell, mode))


def _grid_cells(region: Rect, count: int, aspect: VideoAspectRatio, gap: int) -> list[Rect]:
    """Pack ``count`` equal tiles into ``region``, centred, rows filled first.

    The column count is the one giving the largest tile; on a tie, the one
    leaving fewer empty slots, then more columns. AUTO tiles take the shape
    of the grid cell itself (no fixed ratio): this emulator's reading of a
    value the API reference does not describe.
    """
    if count <= 0:
        return []
    best: tuple[tuple[float, int, int], int, int, int] | None = None
    for cols in range(1, count + 1):
        rows = math.ceil(count / cols)
        cell_w = (region.width - gap * (cols - 1)) / cols
        cell_h = (region.height - gap * (rows - 1)) / rows
        if cell_w < 2 or cell_h < 2:
            continue
        if aspect is VideoAspectRatio.AUTO:
            tile_w, tile_h = cell_w, cell_h
        else:
            ratio = _ASPECTS[aspect]
            tile_w = min(cell_w, cell_h * ratio)
            tile_h = tile_w / ratio
        w, h = _even(tile_w), _even(tile_h)
        score = (float(w * h), -(rows * cols - count), cols)
        if best is None or score > best[0]:
            best = (score, cols, w, h)
    if best is None:
        return [Rect(region.x, region.y, 2, 2)] * count
    _, cols, w, h = best
    rows = math.ceil(count / cols)
    block_h = rows * h + gap * (rows - 1)
    top = region.y + _even_pos((region.height - block_h) / 2)
    cells: list[Rect] = []
    for index in range(count):
        row, col = divmod(index, cols)
        in_row = min(cols, count - row * cols)
        row_w = in_row * w + gap * (in_row - 1)
        left = region.x + _even_pos((region.width - row_w) / 2)
        cells.append(
            Rect(left + _even_pos(col * (w + gap)), top + _even_pos(row * (h + gap)), w, h)
        )
    return cells


def grid_layout(
    canvas: Size, participants: Sequence[Participant], config: GridLayout
) -> tuple[Tile, ...]:
    """Tiles of a grid composition.

    Without a featured participant, everyone shares one grid over the whole
    canvas. With one (attribute value "true"; the first in order if several),
    it takes a large slot (left two thirds of a landscape canvas, top two
    thirds of a portrait one) and the others share a grid in the rest; alone,
    it takes the whole canvas. Fill mode defaults: COVER in the grid,
    CONTAIN for the featured slot (as IVS documents).
    """
    visible = _visible(participants, config.omit_stopped_video, config.participant_order_attribute)
    featured = next(
        (p for p in visible if _is_flagged(p, config.featured_participant_attribute)), None
    )
    grid_mode = config.video_fill_mode or VideoFillMode.COVER
    gap = config.grid_gap
    full = Rect(0, 0, canvas.width, canvas.height)
    if featured is None:
        cells = _grid_cells(full, len(visible), config.video_aspect_ratio, gap)
        return tuple(_tile(p, c, grid_mode) for p, c in zip(visible, cells, strict=True))
    featured_mode = config.video_fill_mode or VideoFillMode.CONTAIN
    others = [p for p in visible if p is not featured]
    if not others:
        return (
            _tile(featured, Rect(0, 0, _even(canvas.width), _even(canvas.height)), featured_mode),
        )
    if canvas.width >= canvas.height:
        main_w = _even((canvas.width - gap) * 2 / 3)
        main = Rect(0, 0, main_w, _even(canvas.height))
        rest = Rect(main_w + gap, 0, canvas.width - main_w - gap, canvas.height)
    else:
        main_h = _even((canvas.height - gap) * 2 / 3)
        main = Rect(0, 0, _even(canvas.width), main_h)
        rest = Rect(0, main_h + gap, canvas.width, canvas.height - main_h - gap)
    cells = _grid_cells(rest, len(others), config.video_aspect_ratio, gap)
    tiles = [_tile(featured, main, featured_mode)]
    tiles.extend(_tile(p, c, grid_mode) for p, c in zip(others, cells, strict=True))
    return tuple(tiles)


def _pip_size(canvas: Size, participant: Participant, config: PipLayout) -> Size:
    """PiP window size: as configured, else a quarter of the canvas width.

    A missing dimension follows the participant's video aspect ratio
    (16:9 before its first frame), which is how IVS describes the default.
    """
    video = participant.video_size
    ratio = video.width / video.height if video else 16 / 9
    width, height = config.pip_width, config.pip_height
    if width is None and height is None:
        width = canvas.width // 4
    if width is None:
        assert height is not None
        width = round(height * ratio)
    if height is None:
        height = round(width / ratio)
    return Size(min(_even(width), _even(canvas.width)), min(_even(height), _even(canvas.height)))


def _pip_cell(canvas: Size, size: Size, config: PipLayout) -> Rect:
    off = config.pip_offset
    right = config.pip_position in (PipPosition.TOP_RIGHT, PipPosition.BOTTOM_RIGHT)
    bottom = config.pip_position in (PipPosition.BOTTOM_LEFT, PipPosition.BOTTOM_RIGHT)
    x = canvas.width - size.width - off if right else off
    y = canvas.height - size.height - off if bottom else off
    return Rect(_even_pos(max(0, x)), _even_pos(max(0, y)), size.width, size.height)


def pip_layout(
    canvas: Size, participants: Sequence[Participant], config: PipLayout
) -> tuple[Tile, ...]:
    """Tiles of a picture-in-picture composition: a main video and a window.

    The PiP participant is the first with the PiP attribute "true", else the
    second in order. The main participant is the featured one, else the
    first in order other than the PiP one. Further participants are not
    shown (a PiP layout has two slots). With no main participant, a STATIC
    window keeps its corner and a DYNAMIC one fills the canvas.
    ``grid_gap`` has no visible effect: the two slots overlap by design.
    """
    visible = _visible(participants, config.omit_stopped_video, config.participant_order_attribute)
    pip = next((p for p in visible if _is_flagged(p, config.pip_participant_attribute)), None)
    main = next(
        (
            p
            for p in visible
            if p is not pip and _is_flagged(p, config.featured_participant_attribute)
        ),
        None,
    ) or next((p for p in visible if p is not pip), None)
    if pip is None:
        pip = next((p for p in visible if p is not main), None)
    full = Rect(0, 0, _even(canvas.width), _even(canvas.height))
    tiles: list[Tile] = []
    if main is not None:
        tiles.append(_tile(main, full, config.video_fill_mode))
    if pip is not None:
        if main is None and config.pip_behavior is PipBehavior.DYNAMIC:
            tiles.append(_tile(pip, full, config.video_fill_mode))
        else:
            cell = _pip_cell(canvas, _pip_size(canvas, pip, config), config)
            tiles.append(_tile(pip, cell, config.video_fill_mode))
    return tuple(tiles)


def compute_layout(
    canvas: Size, participants: Sequence[Participant], config: Layout
) -> tuple[Tile, ...]:
    """Dispatch to the grid or PiP rules (grid is the service's default)."""
    if isinstance(config, PipLayout):
        return pip_layout(canvas, participants, config)
    return grid_layout(canvas, participants, config)
