"""What an SMS text costs, offline: encoding, length as the API counts it, parts, transliteration.

The API sends a text in GSM-7 when every character is in the GSM 03.38 default alphabet or its
extension table, and in UCS-2 otherwise. GSM-7 counts septets (an extension character such as
``€`` or ``{`` takes two), UCS-2 counts UTF-16 code units (an emoji outside the BMP takes two).
One part holds 160 GSM-7 or 70 UCS-2 units; a longer text is split into parts of 153 or 67 (the
rest of each part carries the concatenation header)::

    >>> from smscx_client.text import analyze
    >>> a = analyze("Your code is 1234")
    >>> a.encoding, a.length, a.parts, a.remaining
    ('GSM-7', 17, 1, 143)

``analyze(text, transliterate="POLISH")`` also gives the analysis of the text after the API's
transliteration (the ``transliteration`` option of SMS sends) as ``.transliterated``. No extra
dependency: the sandbox counts with this module too, so both always agree.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, NamedTuple, Optional, Tuple

__all__ = [
    "ALPHABETS",
    "GSM7",
    "GSM_BASIC",
    "GSM_EXTENDED",
    "UCS2",
    "TextAnalysis",
    "UnicodeCharacter",
    "analyze",
    "remove_emojis",
    "transliterate",
]

GSM7 = "GSM-7"
UCS2 = "UCS-2"

# GSM 03.38 default alphabet and its extension table (extension characters take two septets).
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENDED = frozenset("^{}\\[~]|€\f")
_GSM = GSM_BASIC | GSM_EXTENDED

# (single part, each part of a longer text) in units of the encoding
_PART_SIZES = {GSM7: (160, 153), UCS2: (70, 67)}


class UnicodeCharacter(NamedTuple):
    """A character outside GSM-7 and its position (index in the Python string)."""

    position: int
    character: str


@dataclass(frozen=True)
class TextAnalysis:
    """What a text costs: its encoding, length in the encoding's units, and parts.

    ``length``, ``unicode`` and ``parts`` are the API's ``textAnalysis``.
    """

    text: str
    encoding: str
    """``GSM-7`` or ``UCS-2``."""
    length: int
    """Septets (GSM-7; an extension character counts two) or UTF-16 units (UCS-2)."""
    parts: int
    """Message parts the text takes (at least 1; an empty text still takes one)."""
    per_part: int
    """Units one part holds for this text: 160 or 153 (GSM-7), 70 or 67 (UCS-2)."""
    remaining: int
    """Units left free in the last part."""
    unicode_characters: Tuple[UnicodeCharacter, ...] = ()
    """The characters that forced UCS-2, with their positions (empty for GSM-7)."""
    transliterated: Optional["TextAnalysis"] = None
    """With ``transliterate``: the analysis of the text the API would send instead."""
    replaced: Mapping[str, int] = field(default_factory=dict)
    """With ``transliterate``: each character replaced (or removed) and how many times."""

    @property
    def unicode(self) -> bool:
        """True when the text needs UCS-2 (the API's ``textAnalysis.unicode``)."""
        return self.encoding == UCS2

    def to_dict(self) -> Dict[str, Any]:
        """A JSON-ready dict (``unicodeCharacters`` as ``[position, character]`` pairs)."""
        out: Dict[str, Any] = {
            "text": self.text,
            "encoding": self.encoding,
            "unicode": self.unicode,
            "length": self.length,
            "parts": self.parts,
            "perPart": self.per_part,
            "remaining": self.remaining,
            "unicodeCharacters": [[u.position, u.character] for u in self.unicode_characters],
        }
        if self.transliterated is not None:
            out["transliterated"] = self.transliterated.to_dict()
            out["replaced"] = dict(self.replaced)
        return out


def _measure(text: str) -> TextAnalysis:
    if _GSM.issuperset(text):
        encoding = GSM7
        length = len(text) + sum(1 for c in text if c in GSM_EXTENDED)
        forced: Tuple[UnicodeCharacter, ...] = ()
    else:
        encoding = UCS2
        length = len(text.encode("utf-16-le")) // 2
        forced = tuple(UnicodeCharacter(i, c) for i, c in enumerate(text) if c not in _GSM)
    single, multi = _PART_SIZES[encoding]
    if length <= single:
        parts, per_part = 1, single
    else:
        parts, per_part = -(-length // multi), multi
    return TextAnalysis(text, encoding, length, parts, per_part, per_part * parts - length, forced)


def analyze(text: str, transliterate: Any = None, remove_emojis: bool = False) -> TextAnalysis:
    """Encoding, length, parts and the characters forcing UCS-2 of ``text``, as the API counts them.

    ``transliterate`` is one of ``ALPHABETS`` (``"NON_GSM"``, ``"POLISH"``...), or a
    ``Transliteration`` model or dict (``alphabet``, ``removeEmojis``); the result's
    ``transliterated`` is then the analysis of the converted text and ``replaced`` what changed.
    ``remove_emojis`` strips emojis first, as ``removeEmojis`` does.
    """
    if not isinstance(text, str):
        raise TypeError("text must be a str, got {}".format(type(text).__name__))
    result = _measure(text)
    if transliterate is None and not remove_emojis:
        return result
    alphabet, emojis = _option(transliterate)
    converted, counts = _transliterate(text, alphabet, emojis or remove_emojis)
    return TextAnalysis(
        result.text,
        result.encoding,
        result.length,
        result.parts,
        result.per_part,
        result.remaining,
        result.unicode_characters,
        _measure(converted),
        counts,
    )


def _option(value: Any) -> Tuple[str, bool]:
    """(alphabet, remove emojis) from an alphabet name, a dict or a ``Transliteration``."""
    if value is None:
        return "NONE", False
    if isinstance(value, str):
        alphabet, emojis = value, False
    elif isinstance(value, Mapping):
        alphabet, emojis = value.get("alphabet", "NONE"), bool(value.get("removeEmojis", value.get("remove_emojis", False)))
    else:
        alphabet, emojis = getattr(value, "alphabet", "NONE"), bool(getattr(value, "remove_emojis", False) or False)
    name = str(alphabet).upper()
    if name not in ALPHABETS:
        raise ValueError("unknown transliteration alphabet {!r}; one of: {}".format(alphabet, ", ".join(ALPHABETS)))
    return name, emojis


# -- transliteration ------------------------------------------------------------------------------
# Every alphabet error 1110 names (MACEDONIAN_CYRILLIC is listed there but not in 0.1.x's enum).
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


def remove_emojis(text: str, counts: Optional["Counter[str]"] = None) -> str:
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


def _transliterate(text: str, alphabet: str, emojis: bool) -> Tuple[str, Dict[str, int]]:
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


def transliterate(text: str, alphabet: str, emojis: bool = False) -> Tuple[str, Dict[str, int]]:
    """(converted text, {character replaced: occurrences}) for one of ``ALPHABETS``.

    A language alphabet converts only its own letters; ``NON_GSM`` converts every character
    outside GSM-7 (to '?' when there is no look-alike); ``NONE`` converts nothing. With
    ``emojis`` emojis are removed first (and counted as replaced).
    """
    name, _ = _option(alphabet)
    return _transliterate(text, name, emojis)
