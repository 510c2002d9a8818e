"""The SDP fixes IVS needs, in one place: pure text functions, no I/O.

- IVS's answers carry ICE candidates in their first (audio) section only;
  an answerer that reads candidates per section needs them copied into the
  other bundled sections (:func:`fix_answer`).
- aiortc's offers lack attributes that browsers send and IVS expects:
  ``a=extmap-allow-mixed`` at session level, ``a=rtcp-rsize`` per media
  section, and an Opus ``fmtp`` line (:func:`fix_offer`).

Both functions are idempotent and keep the line ending of their input.
"""

from __future__ import annotations

__all__ = ["OPUS_FMTP", "fix_answer", "fix_offer", "strip_candidates"]

# What a browser offers for Opus (mono voice, in-band FEC); IVS's own clients send the same.
OPUS_FMTP = "minptime=10;useinbandfec=1"


def _split(sdp: str) -> tuple[list[str], list[list[str]], str]:
    """Split SDP into the session lines and one list of lines per media section."""
    newline = "\r\n" if "\r\n" in sdp else "\n"
    lines = [line for line in sdp.replace("\r\n", "\n").split("\n") if line]
    session: list[str] = []
    sections: list[list[str]] = []
    for line in lines:
        if line.startswith("m="):
            sections.append([line])
        elif sections:
            sections[-1].append(line)
        else:
            session.append(line)
    return session, sections, newline


def _join(session: list[str], sections: list[list[str]], newline: str) -> str:
    return newline.join([*session, *(line for s in sections for line in s)]) + newline


def _insert_after(lines: list[str], prefix: str, new: str) -> None:
    """Insert ``new`` after the last line starting with ``prefix`` (or at the end)."""
    at = max((i for i, line in enumerate(lines) if line.startswith(prefix)), default=len(lines) - 1)
    lines.insert(at + 1, new)


def _opus_payload_types(section: list[str]) -> list[str]:
    return [
        line.split(":", 1)[1].split(" ", 1)[0]
        for line in section
        if line.startswith("a=rtpmap:") and line.lower().split(" ", 1)[-1].startswith("opus/")
    ]


def fix_offer(sdp: str) -> str:
    """Add what IVS expects and aiortc omits to an SDP offer.

    Args:
        sdp: The offer.

    Returns:
        The offer with ``a=extmap-allow-mixed`` (session), ``a=rtcp-rsize``
        (each audio and video section) and an Opus ``a=fmtp`` line.
    """
    session, sections, newline = _split(sdp)
    if "a=extmap-allow-mixed" not in session:
        _insert_after(session, "a=group:BUNDLE", "a=extmap-allow-mixed")
    for section in sections:
        if not section[0].startswith(("m=audio", "m=video")):
            continue
        if "a=rtcp-rsize" not in section:
            _insert_after(section, "a=rtcp-mux", "a=rtcp-rsize")
        for payload_type in _opus_payload_types(section):
            if not any(line.startswith(f"a=fmtp:{payload_type} ") for line in section):
                _insert_after(
                    section, f"a=rtpmap:{payload_type} ", f"a=fmtp:{payload_type} {OPUS_FMTP}"
                )
    return _join(session, sections, newline)


def fix_answer(sdp: str) -> str:
    """Copy the ICE candidates of an answer's first section into sections that have none.

    Args:
        sdp: The answer.

    Returns:
        The answer, every audio and video section with candidates and
        ``a=end-of-candidates``.
    """
    session, sections, newline = _split(sdp)
    none: list[str] = []
    candidates = next(
        (c for s in sections if (c := [line for line in s if line.startswith("a=candidate:")])),
        none,
    )
    if candidates:
        for section in sections:
            if any(line.startswith("a=candidate:") for line in section):
                continue
            section.extend(candidates)
            if "a=end-of-candidates" not in section:
                section.append("a=end-of-candidates")
    return _join(session, sections, newline)


def strip_candidates(sdp: str, keep: frozenset[str]) -> str:
    """Drop ICE candidates whose address is not in ``keep`` (say, loopback only).

    Args:
        sdp: An offer or answer.
        keep: The connection addresses to keep.

    Returns:
        The SDP without the other ``a=candidate`` lines.
    """
    session, sections, newline = _split(sdp)
    for section in sections:
        section[:] = [
            line
            for line in section
            if not line.startswith("a=candidate:")
            or (len(parts := line.split()) > 4 and parts[4] in keep)
        ]
    return _join(session, sections, newline)
