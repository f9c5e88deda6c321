"""The ``smscx_client`` logger and the masking of what must never be logged."""

from __future__ import annotations

import logging
import os
import re
from typing import Any, Dict, Mapping

__all__ = ["logger", "SECRET_HEADERS", "redact_headers", "mask_numbers", "mask_secret"]

logger = logging.getLogger("smscx_client")
logger.addHandler(logging.NullHandler())

SECRET_HEADERS = frozenset({"x-api-key", "authorization", "proxy-authorization", "cookie", "set-cookie"})

# phone numbers: 8 to 15 digits, optionally after "+" or its URL encoding, standing alone (not
# inside an id, a UUID or a word)
_NUMBER = re.compile(r"(?<![0-9A-Za-z-])(?:\+|%2[Bb])?\d{8,15}(?![0-9A-Za-z-])")


def _setup_from_env() -> None:
    level = os.environ.get("SMSCX_LOG", "").strip().upper()
    if level in ("DEBUG", "INFO", "WARNING", "ERROR"):
        logger.setLevel(level)
        if not any(not isinstance(h, logging.NullHandler) for h in logger.handlers):
            handler = logging.StreamHandler()
            handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
            logger.addHandler(handler)


_setup_from_env()


def mask_secret(value: Any) -> str:
    """A secret shown only by its length and last two characters."""
    text = str(value)
    if len(text) <= 8:
        return "***"
    return "***" + text[-2:]


def redact_headers(headers: Mapping[str, Any]) -> Dict[str, Any]:
    """A copy of the headers with credential values masked."""
    return {k: (mask_secret(v) if k.lower() in SECRET_HEADERS else v) for k, v in headers.items()}


def mask_numbers(text: str) -> str:
    """Replace the middle digits of anything that looks like a phone number."""

    def repl(m: "re.Match[str]") -> str:
        s = m.group(0)
        keep = 5 if s.startswith("%") else 3  # keep "+33" or "%2B33"
        return s[:keep] + "*" * (len(s) - keep - 2) + s[-2:]

    return _NUMBER.sub(repl, text)
