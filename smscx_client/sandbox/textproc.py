"""Message text processing: transliteration to GSM-7, emoji removal and placeholders.

``transliterate`` implements the ``transliteration`` option of SMS sends (the alphabets of the
``Transliteration`` model and of error 1110). ``Placeholders`` compiles a message text once and
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
import unicodedata
from collections import Counter
from datetime import datetime
from typing import Callable, Dict, List, Mapping, Optional, Tuple, Union

from smscx_client.sandbox.text import GSM_BASIC, GSM_EXTENDED

__all__ = [
    "ALPHABETS",
    "PlaceholderError",
    "Placeholders",
    "remove_emojis",
    "today",
    "transliterate",
]

_GSM = GSM_BASIC | GSM_EXTENDED

# Every alphabet error 1110 names (MACEDONIAN_CYRILLIC is listed there but not in the model's enum).
ALPHABETS = (
    "NONE",
    "NON_GSM",
    "RUSSIAN_CYRILLIC",
    "BULGARIAN_CYRILLIC",
    "UKRAINIAN_CYRILLIC",
    "MACEDONIAN_CYRILLIC",
    "BELARUSIAN_CYRILLIC",
    "SERBIAN_CYRILLIC",
    "POLISH",
    "ROMANIAN",
    "TURKISH",
    "GREEK",
)


def _table(pairs: str) -> Dict[str, str]:
    """'a=b c=d' -> {'a': 'b', 'c': 'd'}, plus capitalised forms of lower-case letters."""
    out: Dict[str, str] = {}
    for pair in pairs.split():
        src, _, dst = pair.partition("=")
        out[src] = dst
    for src, dst in list(out.items()):
        upper = src.upper()
        if upper != src and upper not in out and upper not in _GSM:
            out[upper] = dst[:1].upper() + dst[1:]
    return out


_POLISH = _table("ą=a ć=c ę=e ł=l ń=n ó=o ś=s ź=z ż=z")
_ROMANIAN = _table("ă=a â=a î=i ș=s ş=s ț=t ţ=t")
_TURKISH = _table("ç=c ğ=g ı=i İ=I ş=s â=a î=i û=u")
# Lower-case Greek goes to the capitals GSM-7 has, or to the Latin look-alike.
_GREEK = {
    **dict(zip("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "ABEZHIKMNOPTYX")),
    **dict(zip("αβγδεζηθικλμνξοπρσςτυφχψω", "ABΓΔEZHΘIKΛMNΞOΠPΣΣTYΦXΨΩ")),
    **dict(zip("άέήίόύώϊϋΐΰΆΈΉΊΌΎΏΪΫ", "AEHIOYΩIYIYAEHIOYΩIY")),
}
_CYRILLIC_BASE = "а=a б=b в=v г=g д=d е=e ж=zh з=z и=i й=y к=k л=l м=m н=n о=o п=p р=r с=s т=t у=u ф=f"
_RUSSIAN = _table(_CYRILLIC_BASE + " ё=e х=kh ц=ts ч=ch ш=sh щ=shch ъ= ы=y ь= э=e ю=yu я=ya")
_BULGARIAN = _table(_CYRILLIC_BASE + " х=h ц=ts ч=ch ш=sh щ=sht ъ=a ь=y ю=yu я=ya")
_UKRAINIAN = _table(_CYRILLIC_BASE + " г=h ґ=g є=ye и=y і=i ї=yi х=kh ц=ts ч=ch ш=sh щ=shch ь= ю=yu я=ya")
_BELARUSIAN = _table(_CYRILLIC_BASE + " г=h е=ye ё=yo і=i ў=u х=kh ц=ts ч=ch ш=sh ы=y ь= э=e ю=yu я=ya")
_SERBIAN = _table(_CYRILLIC_BASE + " ђ=dj ж=z ј=j љ=lj њ=nj ћ=c х=h ц=c ч=c џ=dz ш=s")
_MACEDONIAN = _table(_CYRILLIC_BASE + " ѓ=gj ѕ=dz ј=j љ=lj њ=nj ќ=kj х=h ц=c ч=ch џ=dj ш=sh")
# Typographic characters NON_GSM maps to their plain form.
_PUNCTUATION = {
    **dict.fromkeys("‘’‚‛′`´", "'"),
    **dict.fromkeys("“”„‟″«»", '"'),
    **dict.fromkeys("‐‑‒–—―−•·", "-"),
    **dict.fromkeys("\u00a0\u2002\u2003\u2009\u200a\u202f\t", " "),
    "…": "...",
    "ç": "c",
}

_TABLES: Dict[str, Dict[str, str]] = {
    "POLISH": _POLISH,
    "ROMANIAN": _ROMANIAN,
    "TURKISH": _TURKISH,
    "GREEK": _GREEK,
    "RUSSIAN_CYRILLIC": _RUSSIAN,
    "BULGARIAN_CYRILLIC": _BULGARIAN,
    "UKRAINIAN_CYRILLIC": _UKRAINIAN,
    "BELARUSIAN_CYRILLIC": _BELARUSIAN,
    "SERBIAN_CYRILLIC": _SERBIAN,
    "MACEDONIAN_CYRILLIC": _MACEDONIAN,
}
# NON_GSM knows every table; the Russian reading wins for shared Cyrillic letters.
_NON_GSM: Dict[str, str] = {}
for _name in (
    "MACEDONIAN_CYRILLIC",
    "SERBIAN_CYRILLIC",
    "BELARUSIAN_CYRILLIC",
    "BULGARIAN_CYRILLIC",
    "UKRAINIAN_CYRILLIC",
    "RUSSIAN_CYRILLIC",
    "GREEK",
    "TURKISH",
    "ROMANIAN",
    "POLISH",
):
    _NON_GSM.update(_TABLES[_name])
_NON_GSM.update(_PUNCTUATION)

# Emoji blocks, and the joiners/selectors/tags that build sequences out of them.
_EMOJI = re.compile(
    "[\U0001f000-\U0001faff\U00002600-\U000027bf\U00002b00-\U00002bff\U0001f1e6-\U0001f1ff"
    "\U00002300-\U000023ff\U00003030\U0000303d\U00003297\U00003299]"
)
_EMOJI_GLUE = re.compile("[\u200d\ufe0e\ufe0f\u20e3\U000e0020-\U000e007f]")


def remove_emojis(text: str, counts: Optional[Counter[str]] = None) -> str:
    """The text without emojis; ``counts`` (if given) tallies each emoji removed."""
    if counts is not None:
        counts.update(_EMOJI.findall(text))
    return _EMOJI_GLUE.sub("", _EMOJI.sub("", text))


def _fallback(char: str) -> str:
    """NON_GSM for a character no table knows: its unaccented letter, else '?'."""
    if char in _NON_GSM:
        return _NON_GSM[char]
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    if base and all(c in _GSM for c in base):
        return base
    return "?"


def transliterate(text: str, alphabet: str, emojis: bool = False) -> Tuple[str, Dict[str, int]]:
    """(converted text, {character replaced: occurrences}) for one of ``ALPHABETS``.

    A language alphabet converts only its own letters; ``NON_GSM`` converts every character
    outside GSM-7 (to '?' when there is no look-alike); ``NONE`` converts nothing. With
    ``emojis`` emojis are removed first (and counted as replaced).
    """
    counts: Counter[str] = Counter()
    if emojis:
        text = remove_emojis(text, counts)
    if alphabet == "NON_GSM":
        out: List[str] = []
        for c in text:
            if c in _GSM:
                out.append(c)
            else:
                counts[c] += 1
                out.append(_fallback(c))
        text = "".join(out)
    elif alphabet in _TABLES:
        table = _TABLES[alphabet]
        if any(c in table for c in text):
            counts.update(c for c in text if c in table)
            text = "".join(table.get(c, c) for c in text)
    return text, dict(counts)


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
