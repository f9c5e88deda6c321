"""SMS text rules: GSM-7 or Unicode, length in septets or UTF-16 units, and message parts."""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["GSM_BASIC", "GSM_EXTENDED", "TextAnalysis", "analyse"]

# GSM 03.38 default alphabet and its extension table (extension characters take two septets).
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENDED = frozenset("^{}\\[~]|€\f")


@dataclass(frozen=True)
class TextAnalysis:
    """What a text costs: its length in the unit of its encoding and the number of parts."""

    length: int
    unicode: bool
    parts: int


def analyse(text: str) -> TextAnalysis:
    """GSM-7 when every character is in the GSM alphabets, else Unicode (UCS-2/UTF-16)."""
    if all(c in GSM_BASIC or c in GSM_EXTENDED for c in text):
        length = sum(2 if c in GSM_EXTENDED else 1 for c in text)
        parts = 1 if length <= 160 else math.ceil(length / 153)
        return TextAnalysis(length, False, parts)
    length = len(text.encode("utf-16-le")) // 2
    parts = 1 if length <= 70 else math.ceil(length / 67)
    return TextAnalysis(length, True, parts)
