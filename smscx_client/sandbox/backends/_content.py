"""What each channel sends to one recipient: its text, parts and price (``Piece``).

``SmsContent`` (text with placeholders, optional transliteration), ``TemplateContent`` (an
approved Viber/WhatsApp template filled with custom fields) and ``MultichannelContent`` (a
failover strategy made of the two). ``_messaging.py`` drives them.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple

from smscx_client.sandbox import pricing, textproc
from smscx_client.sandbox.backends.applications import section
from smscx_client.sandbox.records import StrategyStep, Template
from smscx_client.sandbox.state import money
from smscx_client.sandbox.wire import Ctx
from smscx_client.text import TextAnalysis, analyze, transliterate

__all__ = [
    "Piece",
    "Content",
    "SmsContent",
    "TemplateContent",
    "MultichannelContent",
    "sms_from_body",
    "template_from_body",
]

Link = Callable[[str, str], str]
TTL_DEFAULT = 300


@dataclass
class Piece:
    """One recipient's message: text, parts, unit price (None when the destination is not covered)."""

    text: str
    parts: int
    unit: Optional[Decimal]
    analysis: TextAnalysis
    item: Dict[str, Any] = field(default_factory=dict)  # extra keys of the response entry
    strategy: Optional[List[StrategyStep]] = None  # multichannel: every channel's message
    ttl: int = 0  # multichannel: seconds a silent channel is given
    original_parts: int = 0  # before transliteration
    failover: Decimal = Decimal(0)  # what the later strategy channels would cost

    @property
    def cost(self) -> Decimal:
        """Unit price times parts (0 when not covered)."""
        return money(self.unit * self.parts) if self.unit is not None else Decimal(0)


class Content:
    """A channel's message, compiled once per request and composed per recipient."""

    channel = "sms"

    def __init__(self, today: str, rng: random.Random) -> None:
        self.today = today
        self.rng = rng
        self.links: List[Tuple[str, str]] = []
        self._units: Dict[str, Optional[Decimal]] = {}

    def unit(self, country: str, channel: Optional[str] = None) -> Optional[Decimal]:
        """Price of one part/message to ``country`` (cached per request)."""
        ch = channel or self.channel
        key = ch + country
        if key not in self._units:
            self._units[key] = pricing.price(ch, country)
        return self._units[key]

    def compose(self, fields: Mapping[str, str], country: str, link: Link) -> Piece:
        """The message for one recipient."""
        raise NotImplementedError

    def info(self, pieces: List[Tuple[Piece, bool]]) -> Dict[str, Any]:
        """Extra keys of the response ``info`` from (piece, charged) pairs."""
        return {}


def _placeholders(ctx: Ctx, text: str, strict: bool) -> textproc.Placeholders:
    try:
        tpl = textproc.Placeholders(text, strict)
    except textproc.PlaceholderError as exc:
        raise ctx.error(exc.code) from None
    for kind, ident in tpl.links:
        store = ctx.account.shortlinks if kind == "shortlink" else ctx.account.attachments
        if not ident or ident not in store:
            raise ctx.error(1112)
    return tpl


def _text(ctx: Ctx, raw: Optional[str]) -> str:
    """A message text that is not blank (1107): an SMS step of a strategy may lack one."""
    if raw is None or not raw.strip():
        raise ctx.error(1107)
    return raw


def _analysis_json(a: TextAnalysis) -> Dict[str, Any]:
    return {"length": a.length, "unicode": a.unicode, "parts": a.parts}


class SmsContent(Content):
    """An SMS text: placeholders (strict for SMS sends), transliteration when asked."""

    channel = "sms"

    def __init__(
        self,
        ctx: Ctx,
        text: Optional[str],
        today: str,
        rng: random.Random,
        strict: bool = True,
        translit: Optional[Tuple[str, bool]] = None,
    ) -> None:
        super().__init__(today, rng)
        self.original = _placeholders(ctx, _text(ctx, text), strict)
        self.links = self.original.links
        self.translit = translit
        self.replaced: Counter[str] = Counter()
        self.send = self.original.converted(partial(self._convert, translit)) if translit else self.original
        self._fixed: Dict[str, TextAnalysis] = {}

    def _convert(self, translit: Tuple[str, bool], text: str) -> str:
        alphabet, emojis = translit
        out, counts = transliterate(text, alphabet, emojis)
        self.replaced.update(counts)
        return out

    def _analyse(self, tpl: textproc.Placeholders, text: str) -> TextAnalysis:
        # random codes, links and dates keep their length: without fields one analysis fits all
        if tpl.uses_fields:
            return analyze(text)
        key = "send" if tpl is self.send else "original"
        if key not in self._fixed:
            self._fixed[key] = analyze(text)
        return self._fixed[key]

    def compose(self, fields: Mapping[str, str], country: str, link: Link) -> Piece:
        """The SMS for one recipient."""
        values = fields
        if self.translit and fields:
            alphabet, emojis = self.translit
            values = {k: transliterate(v, alphabet, emojis)[0] for k, v in fields.items()}
        text = self.send.render(values, self.today, link, self.rng)
        a = self._analyse(self.send, text)
        piece = Piece(text, a.parts, self.unit(country), a, {"textAnalysis": _analysis_json(a)})
        piece.original_parts = a.parts
        if self.translit:
            original = (
                self.original.render(fields, self.today, link, self.rng)
                if self.original.uses_fields
                else self.original.text
            )
            piece.original_parts = self._analyse(self.original, original).parts
        return piece

    def info(self, pieces: List[Tuple[Piece, bool]]) -> Dict[str, Any]:
        """``transliterationAnalysis`` when the request asked for transliteration."""
        if not self.translit:
            return {}
        orig_cost = sum(
            (money(p.unit * p.original_parts) for p, charged in pieces if charged and p.unit), Decimal(0)
        )
        new_cost = sum((p.cost for p, charged in pieces if charged), Decimal(0))
        orig_parts = sum(p.original_parts for p, _ in pieces)
        new_parts = sum(p.parts for p, _ in pieces)
        before, after = analyze(self.original.text), analyze(self.send.text)
        return {
            "transliterationAnalysis": {
                "totalOriginalCost": float(orig_cost),
                "totalOriginalParts": orig_parts,
                "totalReplacedCost": float(new_cost),
                "totalReplacedParts": new_parts,
                # the schema types it as an integer: whole currency units saved
                "totalCostSaved": int(orig_cost - new_cost),
                "totalPartsSaved": orig_parts - new_parts,
                "text": {
                    "original": _text_json(self.original.text, before),
                    "replaced": dict(_text_json(self.send.text, after), characters=dict(self.replaced)),
                },
            }
        }


def _text_json(text: str, a: TextAnalysis) -> Dict[str, Any]:
    return {"text": text, "length": a.length, "parts": a.parts, "encoding": "UCS-2" if a.unicode else "GSM-7"}


def _transliteration(raw: Optional[Dict[str, Any]]) -> Optional[Tuple[str, bool]]:
    """The ``transliteration`` option: (alphabet, remove emojis), or None when absent or a no-op.
    (Validated from the spec in a request, by the control action in the application settings.)"""
    if raw is None:
        return None
    alphabet: str = raw["alphabet"]
    emojis: bool = raw.get("removeEmojis", False)
    if alphabet == "NONE" and not emojis:
        return None
    return alphabet, emojis


def sms_from_body(ctx: Ctx, body: Dict[str, Any], today: str, rng: random.Random) -> SmsContent:
    """The content of an SMS send/estimate request (``text``, ``transliteration``)."""
    text = _text(ctx, body.get("text"))
    raw = body.get("transliteration")
    if raw is None:  # the application's default applies when the request sets none
        try:
            raw = section(ctx.account, "sms").get("transliteration")
        except (KeyError, TypeError, AttributeError):
            raw = None
    translit = _transliteration(raw)
    return SmsContent(ctx, text, today, rng, strict=True, translit=translit)


def template(ctx: Ctx, raw: Optional[int], channel: str) -> Template:
    """An approved, locked template of ``channel`` (1126 for a strategy step without one, 1128
    1132 1133; its form, 1127, is validated from the spec)."""
    if raw is None:
        raise ctx.error(1126)
    rec = ctx.account.templates.get(raw)
    if rec is None or rec.channel != channel:
        raise ctx.error(1128)
    if not rec.approved:
        raise ctx.error(1132)
    if not rec.locked:
        raise ctx.error(1133)
    return rec


class TemplateContent(Content):
    """A Viber or WhatsApp template filled with custom (and contact) fields: one part, priced per message."""

    def __init__(
        self, ctx: Ctx, channel: str, template_id: Optional[int], fields: Dict[str, str], today: str, rng: random.Random
    ) -> None:
        super().__init__(today, rng)
        self.channel = channel
        self.tpl = _placeholders(ctx, template(ctx, template_id, channel).text, strict=False)
        self.links = self.tpl.links
        self.fields = fields

    def compose(self, fields: Mapping[str, str], country: str, link: Link) -> Piece:
        """The message for one recipient."""
        values = dict(self.fields)
        values.update((k, v) for k, v in fields.items() if v)
        text = self.tpl.render(values, self.today, link, self.rng)
        return Piece(text, 1, self.unit(country), analyze(text))


def template_from_body(channel: str) -> Callable[[Ctx, Dict[str, Any], str, random.Random], TemplateContent]:
    """The content maker of a ``channel`` template send (``templateId``, ``customFields``)."""

    def make(ctx: Ctx, body: Dict[str, Any], today: str, rng: random.Random) -> TemplateContent:
        fields: Dict[str, str] = dict(body.get("customFields", {}))  # a map of strings: validated from the spec
        return TemplateContent(ctx, channel, body["templateId"], fields, today, rng)

    return make


class MultichannelContent(Content):
    """A failover strategy: Viber/WhatsApp templates, ending with an SMS text."""

    channel = "multichannel"

    def __init__(self, ctx: Ctx, body: Dict[str, Any], today: str, rng: random.Random) -> None:
        super().__init__(today, rng)
        # its form (a list of two or more steps, each with a known channel) is validated from the spec
        strategy: List[Dict[str, Any]] = body["strategy"]
        channels = [s["channel"] for s in strategy]
        if len(set(channels)) != len(channels):
            raise ctx.error(1129)
        if channels[-1] != "sms":
            raise ctx.error(1122)
        active = ctx.account.channels
        if any(not active.get(c, True) for c in channels):
            raise ctx.error(1131)
        self.steps: List[Content] = [
            SmsContent(ctx, s.get("text"), today, rng, strict=False)
            if s["channel"] == "sms"
            else TemplateContent(ctx, s["channel"], s.get("templateId"), {}, today, rng)
            for s in strategy
        ]
        self.links = [link for step in self.steps for link in step.links]
        self.ttl: int = body.get("ttl", TTL_DEFAULT)  # an integer in the documented range

    def compose(self, fields: Mapping[str, str], country: str, link: Link) -> Piece:
        """The first channel's message, with the later channels ready for failover."""
        pieces = [step.compose(fields, country, link) for step in self.steps]
        first = pieces[0]
        covered = all(p.unit is not None for p in pieces)
        strategy = [StrategyStep(step.channel, p.text, p.parts, p.cost) for step, p in zip(self.steps, pieces)]
        piece = Piece(
            first.text, 1, first.unit if covered else None, first.analysis, {"channel": self.steps[0].channel}
        )
        piece.strategy, piece.ttl = strategy, self.ttl
        piece.failover = sum((p.cost for p in pieces[1:]), Decimal(0))
        return piece

