"""Message text processing: placeholders (transliteration and emoji removal are the public
``smscx_client.text``). ``Placeholders`` compiles a message text once and
renders it per recipient: random ``{{numbers}}``/``{{letters}}``/``{{alphanumeric}}`` (``:N``
for 1-20 characters, default 4), ``{{today}}``, ``{{optoutLink}}``, tracked
``{{shortlink:ID}}``/``{{attachement:ID}}`` links, and contact or custom fields (anything else,
empty when there is no value).
"""

from __future__ import annotations

import copy
import random
import re
import string
from datetime import datetime
from typing import Callable, List, Mapping, Tuple, Union

__all__ = ["PlaceholderError", "Placeholders", "today"]

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def today(moment: datetime) -> str:
    """The ``{{today}}`` form of a date: '7 Aug 2022'."""
    return "{} {} {}".format(moment.day, _MONTHS[moment.month - 1], moment.year)


class PlaceholderError(Exception):
    """A placeholder the API refuses; ``code`` is the documented error (1136, 1137, 1112)."""

    def __init__(self, code: int, placeholder: str) -> None:
        super().__init__("{}: {}".format(code, placeholder))
        self.code = code
        self.placeholder = placeholder


_PLACEHOLDER = re.compile(r"\{\{([^{}]*)\}\}")
_RANDOM = {
    "numbers": string.digits,
    "letters": string.ascii_uppercase,
    "alphanumeric": string.ascii_uppercase + string.digits,
}
_LINKS = {"shortlink": "shortlink", "attachement": "attachment", "attachment": "attachment"}
DEFAULT_RANDOM_LENGTH = 4

# What a placeholder turns into: a literal, or a function of the recipient.
# detail: the length of a random placeholder, the id of a link, else None
_Detail = Union[int, str, None]
_Part = Tuple[str, str, _Detail, str]  # (kind, key, detail, text as written)


def _literal(text: str) -> _Part:
    return ("text", text, None, text)


class Placeholders:
    """A message text compiled once, rendered per recipient.

    ``strict`` raises ``PlaceholderError`` for a malformed random length (1136 when it is not a
    number, 1137 when it is outside 1-20); otherwise such a placeholder is left as written.
    ``links`` are the tracked ``(kind, id)`` pairs the text uses, kind ``shortlink`` or
    ``attachment``, for the caller to check that they exist (1112).
    """

    def __init__(self, text: str, strict: bool = True) -> None:
        self.text = text
        self.parts: List[_Part] = []
        self.links: List[Tuple[str, str]] = []
        self.uses_fields = False
        self.uses_optout = False
        pos = 0
        for m in _PLACEHOLDER.finditer(text):
            self.parts.append(_literal(text[pos : m.start()]))
            kind, key, detail = self._compile(m.group(1).strip(), m.group(0), strict)
            self.parts.append((kind, key, detail, m.group(0)))
            pos = m.end()
        self.parts.append(_literal(text[pos:]))
        self.parts = [p for p in self.parts if p[3]]
        self.static = all(p[0] == "text" for p in self.parts)

    def converted(self, convert: Callable[[str], str]) -> "Placeholders":
        """A copy whose literal text went through ``convert`` (placeholders stay as written)."""
        clone = copy.copy(self)
        clone.parts = [_literal(convert(p[1])) if p[0] == "text" else p for p in self.parts]
        clone.text = "".join(p[3] for p in clone.parts)
        return clone

    def _compile(self, inner: str, raw: str, strict: bool) -> Tuple[str, str, _Detail]:
        name, sep, arg = inner.partition(":")
        name, arg = name.strip(), arg.strip()
        if name in _RANDOM:
            if not sep:
                return ("random", name, DEFAULT_RANDOM_LENGTH)
            if not arg.isdecimal():
                if strict:
                    raise PlaceholderError(1136, raw)
                return ("text", raw, None)
            if not 1 <= int(arg) <= 20:
                if strict:
                    raise PlaceholderError(1137, raw)
                return ("text", raw, None)
            return ("random", name, int(arg))
        if name in _LINKS and sep:
            self.links.append((_LINKS[name], arg))
            return ("link", _LINKS[name], arg)
        if name == "today" and not sep:
            return ("today", "", None)
        if name == "optoutLink" and not sep:
            self.uses_optout = True
            return ("optout", "", None)
        self.uses_fields = True
        return ("field", inner, None)

    def render(
        self,
        fields: Mapping[str, str],
        today_text: str,
        link: Callable[[str, str], str],
        rng: random.Random,
    ) -> str:
        """The text for one recipient: ``fields`` fill named placeholders, ``link(kind, id)``
        gives the recipient's tracked URL (kind ``shortlink``, ``attachment`` or ``optout``)."""
        if self.static:
            return self.text
        out: List[str] = []
        for kind, key, detail, _ in self.parts:
            if kind == "text":
                out.append(key)
            elif kind == "random":
                assert isinstance(detail, int)  # _compile gives every random placeholder its length
                out.append("".join(rng.choice(_RANDOM[key]) for _ in range(detail)))
            elif kind == "link":
                out.append(link(key, str(detail)))
            elif kind == "optout":
                out.append(link("optout", ""))
            elif kind == "today":
                out.append(today_text)
            else:
                out.append(fields.get(key, ""))
        return "".join(out)
