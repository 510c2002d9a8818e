"""Response models take what the service sends; input models check every limit.

The Smithy specification says constraints are not enforced on output: a newer
service may widen a limit, and a response the SDK could not copy would be a trap.
The response parsers still check types.
"""

from __future__ import annotations

import typing
from typing import Any

import attrs
import pytest

from ivs_realtime_sdk import StageSpec
from ivs_realtime_sdk import _operations as ops
from ivs_realtime_sdk._core import parse
from ivs_realtime_sdk.errors import (
    InvalidParameterError,
    InvalidParameterTypeError,
    UnexpectedResponseError,
)
from ivs_realtime_sdk.models import Stage
from ivs_realtime_sdk.models import _constraints as c

ARN = "arn:aws:ivs:us-east-1:123456789012:stage/abcdEFGH1234"
LONG_NAME = "n" * 200


def _models(roots: list[type[Any]]) -> set[type[Any]]:
    """Every attrs class reachable from ``roots`` through field types."""
    seen: set[type[Any]] = set()
    stack = list(roots)
    while stack:
        cls = stack.pop()
        if not attrs.has(cls) or cls in seen:
            continue
        seen.add(cls)
        hints = typing.get_type_hints(cls)
        for field in attrs.fields(cls):
            types = [hints[field.name]]
            while types:
                kind = types.pop()
                stack.append(kind)
                types.extend(typing.get_args(kind))
    return seen


DECLARED = [op for op in vars(ops).values() if isinstance(op, ops.Operation)]
INPUTS = _models([op.request for op in DECLARED])
OUTPUTS = _models([op.result for op in DECLARED if op.result is not None])
RESPONSE_ONLY = sorted(OUTPUTS - INPUTS, key=lambda cls: cls.__name__)


def test_a_stage_with_a_name_past_the_input_limit_parses_prints_and_copies() -> None:
    stage = parse(ops.GET_STAGE, {"stage": {"arn": ARN, "name": LONG_NAME, "tags": {}}})
    assert isinstance(stage, Stage)
    assert stage.name == LONG_NAME
    assert LONG_NAME in repr(stage)
    assert LONG_NAME in str(stage)
    copy = attrs.evolve(stage, tags={"team": "a"})
    assert copy.name == LONG_NAME
    assert copy.tags == {"team": "a"}
    assert attrs.evolve(copy, name=LONG_NAME + "x").name == LONG_NAME + "x"


def test_the_parser_still_checks_types() -> None:
    with pytest.raises(UnexpectedResponseError, match="name"):
        parse(ops.GET_STAGE, {"stage": {"arn": ARN, "name": 200}})


def test_the_input_model_keeps_the_limit() -> None:
    with pytest.raises(InvalidParameterError, match=r"StageSpec\.name.*128"):
        StageSpec(name=LONG_NAME)


def test_the_split_covers_the_models_it_should() -> None:
    names = {cls.__name__ for cls in RESPONSE_ONLY}
    assert {"Stage", "StageSummary", "ParticipantToken", "Composition"} <= names
    assert "StageSpec" not in names


def _limits(check: object) -> list[str]:
    """The limits a constraint object sets, looking into items and map entries."""
    if isinstance(check, c.Duration):
        # A response duration's bounds are where timedelta overflows, not a service limit.
        return [] if check.max == c.MAX_MINUTES else [f"max={check.max}"]
    found = [
        f"{name}={getattr(check, name)!r}"
        for name in ("max", "pattern", "max_bytes")
        if getattr(check, name, None) is not None
    ]
    if getattr(check, "min", 0) not in (0, None):
        found.append(f"min={check.min!r}")  # type: ignore[attr-defined]
    for inner in ("item", "key", "value"):
        if hasattr(check, inner):
            found += _limits(getattr(check, inner))
    return found


@pytest.mark.parametrize("cls", RESPONSE_ONLY, ids=lambda cls: cls.__name__)
def test_response_only_models_check_types_but_no_input_limits(cls: type[Any]) -> None:
    for field in attrs.fields(cls):
        assert field.validator is not None, f"{cls.__name__}.{field.name} has no type check"
        assert _limits(field.validator) == [], f"{cls.__name__}.{field.name}"


def test_a_response_model_still_refuses_a_wrong_type() -> None:
    with pytest.raises(InvalidParameterTypeError, match=r"Stage\.name"):
        Stage(arn=ARN, name=200)  # type: ignore[arg-type]
