"""The API reference shows what users may pass: a converter's parameter type, not the stored one."""

from __future__ import annotations

from pathlib import Path

import griffe
import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def package() -> griffe.Module:
    extensions = griffe.load_extensions(f"{ROOT / 'docs' / '_griffe' / 'attrs_init.py'}:AttrsInit")
    loaded = griffe.load("ivs_realtime_sdk", search_paths=[ROOT], extensions=extensions)
    assert isinstance(loaded, griffe.Module)
    return loaded


def _init_annotation(package: griffe.Module, path: str, parameter: str) -> str:
    cls = package[path]
    return str(cls.members["__init__"].parameters[parameter].annotation)


@pytest.mark.parametrize(
    ("path", "parameter", "shown"),
    [
        ("models.stage.StageSpec", "participant_token_configurations", "Iterable["),
        ("models.token.ParticipantTokenConfig", "capabilities", "Iterable[Capability]"),
        ("models.token.ParticipantTokenConfig", "duration", "timedelta | int"),
        ("models.token.ParticipantTokenConfig", "attributes", "Mapping[str, str]"),
        ("models.token.ParticipantTokenConfig", "user_id", "str | None"),
    ],
)
def test_init_shows_what_may_be_passed(
    package: griffe.Module, path: str, parameter: str, shown: str
) -> None:
    assert _init_annotation(package, path, parameter).startswith(shown)
