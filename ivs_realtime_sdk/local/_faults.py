"""Fault injection and request counters, for retry and load tests.

A :class:`FaultRule` matches calls of one operation (or of all, with ``"*"``)
and, when it fires, delays the call, fails it with an error response, or
drops the connection without answering. Rules fire on the next ``times``
matching calls, on every ``every``-th one, or with a ``probability``; the
first rule that fires wins.
"""

from __future__ import annotations

import math
import random
import re
import threading
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, cast

__all__ = ["MAX_DELAY", "FaultRule", "Faults", "OperationStats", "Stats"]

_DEFAULT_CODES = {
    429: "ThrottlingException",
    500: "InternalServerException",
    502: "BadGateway",
    503: "ServiceUnavailable",
    504: "GatewayTimeout",
}


#: The longest delay a rule may ask for, in seconds: long enough for any client timeout.
MAX_DELAY = 300.0
# An error code goes into the x-amzn-ErrorType header: a word, never a line break.
_CODE = re.compile(r"[A-Za-z][A-Za-z0-9_.:-]{0,127}")
# Each field's JSON types (bool is not an int here).
_TYPES: dict[str, tuple[type, ...]] = {
    "operation": (str,),
    "status": (int, type(None)),
    "code": (str, type(None)),
    "message": (str,),
    "delay": (int, float),
    "drop": (bool,),
    "after": (bool,),
    "times": (int, type(None)),
    "every": (int, type(None)),
    "probability": (int, float, type(None)),
    "seed": (int, type(None)),
}


def _check_types(rule: FaultRule) -> None:
    for name, kinds in _TYPES.items():
        value = getattr(rule, name)
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            wanted = " or ".join("null" if k is type(None) else k.__name__ for k in kinds)
            raise ValueError(f"{name} must be {wanted}, not {type(value).__name__}")
    for name in ("delay", "probability"):
        value = getattr(rule, name)
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"{name} must be a finite number")
    for name in ("operation", "message"):
        text: str = getattr(rule, name)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError(f"{name} must be Unicode text (no lone surrogates)") from None


@dataclass(frozen=True, slots=True)
class FaultRule:
    """One fault: what to match, when to fire, and what to do."""

    operation: str = "*"
    """Operation name, e.g. ``"CreateStage"``, or ``"*"`` for every operation."""
    status: int | None = None
    """HTTP status of the error response; ``None`` sends no error."""
    code: str | None = None
    """Error code (``x-amzn-ErrorType``); defaults from ``status`` (429 → ThrottlingException)."""
    message: str = "Injected fault"
    """Human message of the error response."""
    delay: float = 0.0
    """Seconds to wait before answering (or failing, or dropping)."""
    drop: bool = False
    """Close the connection without any response."""
    after: bool = False
    """Fire after the call took effect (a lost or late answer), not before it."""
    times: int | None = 1
    """Fire on this many matching calls, then retire; ``None`` for no limit."""
    every: int | None = None
    """Fire only on every ``every``-th matching call (1-based: the k-th, 2k-th, ...)."""
    probability: float | None = None
    """Fire with this probability on each matching call."""
    seed: int | None = None
    """Seed of the probability draws, for repeatable tests."""

    def __post_init__(self) -> None:
        """Check that the rule makes sense: types, a header-safe code, a bounded delay."""
        _check_types(self)
        if self.code is not None and not _CODE.fullmatch(self.code):
            raise ValueError(
                "code must be a word of letters, digits and _.:- (at most 128), "
                "as it is sent in the x-amzn-ErrorType header"
            )
        if not 0 <= self.delay <= MAX_DELAY:
            raise ValueError(f"delay must be between 0 and {MAX_DELAY:g} seconds")
        if self.status is not None and not 400 <= self.status <= 599:
            raise ValueError("status must be an HTTP error status (400-599)")
        if self.status is not None and self.code is None and self.status not in _DEFAULT_CODES:
            raise ValueError(f"give a code for status {self.status}")
        if self.status is None and not self.drop and self.delay <= 0:
            raise ValueError("a fault needs a status, drop=True, or a positive delay")
        if self.times is not None and self.times < 1:
            raise ValueError("times must be at least 1 (or None for no limit)")
        if self.every is not None and self.every < 1:
            raise ValueError("every must be at least 1")
        if self.probability is not None and not 0.0 <= self.probability <= 1.0:
            raise ValueError("probability must be between 0 and 1")

    @property
    def error_code(self) -> str | None:
        """The error code sent, or ``None`` when the rule sends no error."""
        if self.status is None:
            return None
        return self.code or _DEFAULT_CODES[self.status]

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FaultRule:
        """Build a rule from the admin API's JSON object (same field names)."""
        allowed = set(cls.__dataclass_fields__)
        unknown = set(data) - allowed
        if unknown:
            raise ValueError(f"unknown fault fields: {', '.join(sorted(unknown))}")
        return cls(**data)

    def to_json(self) -> dict[str, Any]:
        """Return the rule as a JSON object."""
        return asdict(self)


@dataclass(slots=True)
class _Armed:
    rule: FaultRule
    rng: random.Random
    seen: int = 0
    fired: int = 0


class Faults:
    """The fault rules of one emulator; safe to change from any thread."""

    def __init__(self) -> None:
        """Start with no rules."""
        self._lock = threading.Lock()
        self._rules: list[_Armed] = []

    def add(self, rule: FaultRule | None = None, /, **fields: Any) -> FaultRule:
        """Add a rule, given as a :class:`FaultRule` or as its fields; return it."""
        if rule is None:
            rule = FaultRule(**fields)
        elif fields:
            raise TypeError("pass either a FaultRule or its fields, not both")
        with self._lock:
            self._rules.append(_Armed(rule, random.Random(rule.seed)))
        return rule

    def throttle(self, operation: str = "*", *, times: int | None = 1, **fields: Any) -> FaultRule:
        """Fail matching calls with 429 ThrottlingException."""
        return self.add(FaultRule(operation=operation, status=429, times=times, **fields))

    def fail(
        self, operation: str, status: int, code: str | None = None, **fields: Any
    ) -> FaultRule:
        """Fail matching calls with ``status`` and ``code``."""
        return self.add(FaultRule(operation=operation, status=status, code=code, **fields))

    def delay(self, operation: str, seconds: float, **fields: Any) -> FaultRule:
        """Delay matching calls by ``seconds``, then answer them normally."""
        return self.add(FaultRule(operation=operation, delay=seconds, **fields))

    def drop(self, operation: str, **fields: Any) -> FaultRule:
        """Close the connection of matching calls without answering."""
        return self.add(FaultRule(operation=operation, drop=True, **fields))

    def clear(self) -> None:
        """Remove every rule."""
        with self._lock:
            self._rules.clear()

    @property
    def rules(self) -> tuple[FaultRule, ...]:
        """The rules still armed, in order."""
        with self._lock:
            return tuple(armed.rule for armed in self._rules)

    def pick(self, operation: str) -> FaultRule | None:
        """Return the rule that fires for this call, if any, and count it."""
        with self._lock:
            if not self._rules:
                return None
            for armed in list(self._rules):
                rule = armed.rule
                if rule.operation not in ("*", operation):
                    continue
                armed.seen += 1
                if rule.every is not None and armed.seen % rule.every:
                    continue
                if rule.probability is not None and armed.rng.random() >= rule.probability:
                    continue
                armed.fired += 1
                if rule.times is not None and armed.fired >= rule.times:
                    self._rules.remove(armed)
                return rule
        return None


@dataclass(slots=True)
class OperationStats:
    """Counters of one operation."""

    received: int = 0
    """Requests routed to the operation."""
    succeeded: int = 0
    """Requests answered with a 2xx response."""
    failed: int = 0
    """Requests answered with an error, or dropped."""
    faults: int = 0
    """Requests hit by an injected fault (delays included)."""

    def copy(self) -> OperationStats:
        """Return a snapshot."""
        return OperationStats(self.received, self.succeeded, self.failed, self.faults)


@dataclass(slots=True)
class Stats:
    """Per-operation counters; safe to update from the event loop and read from any thread."""

    _by_operation: dict[str, OperationStats] = field(default_factory=lambda: {})
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _entry(self, operation: str) -> OperationStats:
        entry = self._by_operation.get(operation)
        if entry is None:
            entry = self._by_operation[operation] = OperationStats()
        return entry

    def received(self, operation: str) -> None:
        """Count a routed request."""
        with self._lock:
            self._entry(operation).received += 1

    def finished(self, operation: str, *, ok: bool, fault: bool = False) -> None:
        """Count a request's outcome."""
        with self._lock:
            entry = self._entry(operation)
            if ok:
                entry.succeeded += 1
            else:
                entry.failed += 1
            if fault:
                entry.faults += 1

    def snapshot(self) -> dict[str, OperationStats]:
        """Return a copy of every operation's counters."""
        with self._lock:
            return {name: entry.copy() for name, entry in self._by_operation.items()}

    def reset(self) -> None:
        """Zero every counter."""
        with self._lock:
            self._by_operation.clear()


def rules_from_json(data: object) -> list[FaultRule]:
    """Parse one rule object or a list of them (admin API)."""
    items = cast("list[object]", data) if isinstance(data, list) else [data]
    rules: list[FaultRule] = []
    for item in items:
        if not isinstance(item, dict):
            raise ValueError("each fault must be a JSON object")
        rules.append(FaultRule.from_json(cast("dict[str, Any]", item)))
    return rules
