"""Keep secrets out of the logs of botocore, aiobotocore and urllib3.

At DEBUG, botocore logs canonical requests and request headers (with the
session token), and its default parser logs response bodies (with
participant tokens and stream keys). A service SDK must keep those out of
logs, so the facades install, once, a log-record factory that rewrites
records from those libraries (and this one) with the secrets masked. It
wraps whatever factory was installed before it, and touches only records
that are emitted, so it costs nothing while DEBUG is off.
"""

from __future__ import annotations

import logging
import re
import threading
from typing import Any

__all__ = ["MASK", "install", "redact"]

MASK = "<redacted>"
_LIBRARIES = ("botocore", "aiobotocore", "boto3", "aioboto3", "urllib3", "ivs_realtime_sdk")
_SECRETS = (
    # Session tokens, in header dumps and in the canonical request.
    re.compile(r"(?i)(x-amz-security-token['\"]?\s*[:=]\s*b?['\"]?)[^'\"\s,}\\]+"),
    # Participant tokens: JWTs.
    re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+"),
    # Ingest stream keys.
    re.compile(r"rt_[0-9]+_[a-z0-9-]+_[a-zA-Z0-9-]+_[A-Za-z0-9_-]+"),
    # Private keys in PEM.
    re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?-----END [A-Z ]*PRIVATE KEY-----", re.S),
)
_lock = threading.Lock()
_installed = False


def redact(text: str) -> str:
    """Return ``text`` with every secret this module knows masked."""
    for secret in _SECRETS:
        text = secret.sub(lambda m: (m.group(1) if m.groups() else "") + MASK, text)
    return text


def install() -> None:
    """Install the redacting record factory (once per process)."""
    global _installed
    with _lock:
        if _installed:
            return
        previous = logging.getLogRecordFactory()

        def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
            record = previous(*args, **kwargs)
            if record.name.startswith(_LIBRARIES):
                try:
                    message = record.getMessage()
                except Exception:  # a broken record is the logging module's to report
                    return record
                masked = redact(message)
                if masked != message:
                    record.msg, record.args = masked, None
            return record

        logging.setLogRecordFactory(factory)
        _installed = True
