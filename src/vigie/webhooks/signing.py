"""HMAC-SHA256 signatures of webhook bodies, over ``timestamp + "." + body``.

Headers sent with every event: ``X-Vigie-Timestamp`` (Unix seconds) and ``X-Vigie-Signature``
(``sha256=<hex>``). A receiver recomputes the signature with the shared secret and rejects old
timestamps (replays); ``verify_signature`` does both.
"""

from __future__ import annotations

import hashlib
import hmac
import time

SIGNATURE_HEADER = "X-Vigie-Signature"
TIMESTAMP_HEADER = "X-Vigie-Timestamp"
DEFAULT_TOLERANCE_SECONDS = 300


def sign(body: bytes, *, secret: str, timestamp: int) -> str:
    mac = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def signed_headers(body: bytes, *, secret: str, timestamp: int | None = None) -> dict[str, str]:
    ts = int(time.time()) if timestamp is None else timestamp
    return {
        "Content-Type": "application/json",
        TIMESTAMP_HEADER: str(ts),
        SIGNATURE_HEADER: sign(body, secret=secret, timestamp=ts),
    }


def verify_signature(
    body: bytes,
    *,
    secret: str,
    timestamp: str,
    signature: str,
    tolerance_seconds: int = DEFAULT_TOLERANCE_SECONDS,
    now: float | None = None,
) -> bool:
    """True when ``signature`` is the HMAC of this body and timestamp, and the timestamp is recent."""
    try:
        ts = int(timestamp)
    except ValueError:
        return False
    current = time.time() if now is None else now
    if abs(current - ts) > tolerance_seconds:
        return False
    return hmac.compare_digest(sign(body, secret=secret, timestamp=ts), signature)
