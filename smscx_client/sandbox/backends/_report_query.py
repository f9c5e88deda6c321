"""The reporting window and filters of the report endpoints.

The form of ``period``, ``start_date``, ``end_date`` and of each filter is validated from the
spec (1820 1821 1822 1825 1826 1827 1828); left here: one way of giving the window (1824), dates
that do not exist, an end before the start (1823), a country libphonenumber does not know.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from typing import Callable, List, Optional

from smscx_client.sandbox.state import Message
from smscx_client.sandbox.wire import Ctx

__all__ = ["Window", "window", "message_filter"]

# the spec's patterns, with their parts as groups
_PERIOD = re.compile(r"([0-9]{4})(?:-([0-9]{1,2}))?")
_DAY = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")


@dataclass(frozen=True)
class Window:
    """Inclusive first and last day; ``by_month`` when a whole year was asked for."""

    first: date
    last: date
    by_month: bool

    def key(self, day: date) -> str:
        """The date key of the traffic/delivery summaries: a month for a year, else a day."""
        return day.strftime("%Y-%m") if self.by_month else day.isoformat()


def _given(ctx: Ctx, name: str) -> Optional[str]:
    value = ctx.query.get(name)
    return value if value else None


def _day(text: str) -> Optional[date]:
    m = _DAY.fullmatch(text)
    assert m is not None, "validated from the spec"
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def window(ctx: Ctx) -> Window:
    """The window from ``period`` or ``start_date``+``end_date``: exactly one of the two ways."""
    period, start, end = _given(ctx, "period"), _given(ctx, "start_date"), _given(ctx, "end_date")
    if period is not None:
        if start is not None or end is not None:
            raise ctx.error(1824)
        m = _PERIOD.fullmatch(period)
        assert m is not None, "validated from the spec"
        year = int(m.group(1))
        month = int(m.group(2)) if m.group(2) else None
        if year < 1 or (month is not None and not 1 <= month <= 12):
            raise ctx.error(1820)  # no such month
        if month is None:
            return Window(date(year, 1, 1), date(year, 12, 31), True)
        return Window(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]), False)
    if start is None or end is None:
        raise ctx.error(1824)
    first, last = _day(start), _day(end)
    if first is None:
        raise ctx.error(1821)
    if last is None:
        raise ctx.error(1822)
    if last < first:
        raise ctx.error(1823)
    return Window(first, last, False)


def message_filter(ctx: Ctx, win: Window) -> Callable[[Message], bool]:
    """A predicate for the advanced report's optional filters."""
    import phonenumbers

    tests: List[Callable[[Message], bool]] = []
    channel = _given(ctx, "channel")
    if channel is not None:
        tests.append(lambda m: m.channel == channel)
    source = _given(ctx, "source")
    if source is not None:
        tests.append(lambda m: m.source == source)
    delivery = _given(ctx, "delivery_report")
    if delivery is not None:
        tests.append(lambda m: m.status.lower() == delivery)
    country = _given(ctx, "country_iso")
    if country is not None:
        country = country.upper()
        if country not in phonenumbers.SUPPORTED_REGIONS:
            raise ctx.error(1827)
        tests.append(lambda m: m.country_iso == country)
    clock = ctx.clock

    def keep(m: Message) -> bool:
        return win.first <= clock.utc(m.created_at).date() <= win.last and all(t(m) for t in tests)

    return keep
