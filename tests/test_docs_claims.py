"""The docs do not deny what the code does: a table of facts, each checked in the code.

A guide written before a feature landed can go on denying it ("the emulator
carries no media" after its media plane shipped). Each fact below is checked
against the code first (so the table cannot go stale either), then no page of
the docs or the README may hold a phrase that denies it. Add a row when a
feature lands that an older sentence might deny.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest

ROOT = Path(__file__).resolve().parent.parent


def _pages() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


def _media_plane() -> bool:
    from ivs_realtime_sdk.local import LocalIVSRealTime

    return isinstance(getattr(LocalIVSRealTime, "whip_endpoint", None), property)


def _signature_checks() -> bool:
    import inspect

    from ivs_realtime_sdk.local import LocalIVSRealTime

    return "credentials" in inspect.signature(LocalIVSRealTime).parameters


def _events_webhook() -> bool:
    import inspect

    from ivs_realtime_sdk.local import LocalIVSRealTime

    return "events_webhook" in inspect.signature(LocalIVSRealTime).parameters


def _self_signed_tokens() -> bool:
    from ivs_realtime_sdk.tokens import TokenSigner

    return callable(TokenSigner)


def _composites() -> bool:
    from ivs_realtime_sdk.local.recording import CompositeRecording

    return callable(CompositeRecording)


@attrs.frozen
class Fact:
    """Something the code does, and phrases that would deny it."""

    name: str
    holds: Callable[[], bool]
    denials: tuple[str, ...]


FACTS = [
    Fact(
        "the emulator has a media plane",
        _media_plane,
        (
            r"carries no media",
            r"carry no media",
            r"(emulator|it) (does not|doesn't|cannot|can't) (carry|relay|serve) media",
            r"no media plane",
            r"media (is|are) not (supported|served|carried)",
        ),
    ),
    Fact(
        "the emulator checks SigV4 signatures when given credentials",
        _signature_checks,
        (r"never checks signatures", r"checks no signatures(?! unless| when| only)"),
    ),
    Fact(
        "the emulator sends events to a webhook",
        _events_webhook,
        (r"(emulator|it) sends no events", r"no events? (are|is) (sent|delivered)"),
    ),
    Fact(
        "the SDK mints self-signed tokens",
        _self_signed_tokens,
        (r"cannot (mint|sign) (its own )?tokens", r"self-signed tokens are not supported"),
    ),
    Fact(
        "compositions with an S3 destination write a composite recording",
        _composites,
        (
            r"compositions? (write|writes|produce|produces) no files",
            r"does not write a composite",
            r"not (yet )?wired to (StartComposition|compositions)",
            r"compositions are state only",
        ),
    ),
]


def _denials(fact: Fact, pages: list[Path], root: Path = ROOT) -> list[str]:
    found: list[str] = []
    for page in pages:
        # Joined lines: a phrase may wrap across two lines of the Markdown source.
        text = " ".join(page.read_text("utf-8").split())
        for pattern in fact.denials:
            for match in re.finditer(pattern, text, re.IGNORECASE):
                found.append(f"{page.relative_to(root)}: ...{match.group(0)}...")
    return found


@pytest.mark.parametrize("fact", FACTS, ids=lambda fact: fact.name)
def test_no_page_denies_what_the_code_does(fact: Fact) -> None:
    assert fact.holds(), f"the fact no longer holds in the code: {fact.name}"
    assert _denials(fact, _pages()) == []


def test_the_check_finds_a_denial_wrapped_across_lines(tmp_path: Path) -> None:
    # The sentence testing.md held while participants.md documented the media plane.
    page = tmp_path / "old.md"
    page.write_text("## What the emulator does not do\n\n- It carries no\n  media: ...\n")
    assert len(_denials(FACTS[0], [page], root=tmp_path)) == 1
