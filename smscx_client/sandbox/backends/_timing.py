"""When each message of a send goes out: ``scheduledDate`` (UTC, an explicit offset, or the
destination's local time with ``isUtc: false``) and the application's quiet hours.

Quiet hours (``settings.<channel>.quietHours`` of the application, ``{"start": "HH:MM", "stop":
"HH:MM"}``, in the destination's local time, possibly spanning midnight): a message whose send
time falls inside them is marked ``inQuietHours`` and held until one minute after ``stop``, as
the API documents (21:55 in a 21:30-09:30 window goes out at 09:31 the next day).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Any, Dict, List, Optional, Sequence, Tuple

from smscx_client.sandbox.wire import Ctx

__all__ = ["parse_date", "quiet_window", "send_times"]

# the spec's pattern of scheduledDate, validated before a backend runs, with its parts as groups
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})?")
MAX_YEAR = 9998
_HHMM = re.compile(r"^(\d{1,2}):(\d{2})(?::\d{2})?$")


def parse_date(ctx: Ctx, raw: Optional[str]) -> Optional[datetime]:
    """``scheduledDate``, naive unless it carries an offset; 1108 for a date or time that does not
    exist (its form is validated from the spec)."""
    if raw is None:
        return None
    m = _DATE.fullmatch(raw)
    assert m is not None, "validated from the spec"
    offset = m.group(7)
    try:
        year, month, day, hour, minute, second = (int(g) for g in m.groups()[:6])
        when = datetime(year, month, day, hour, minute, second)
        if offset == "Z":
            when = when.replace(tzinfo=timezone.utc)
        elif offset:
            digits = offset[1:].replace(":", "")
            delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
            when = when.replace(tzinfo=timezone(-delta if offset[0] == "-" else delta))
    except ValueError:  # no such day or time, or an offset of a day or more
        raise ctx.error(1108) from None
    if when.year > MAX_YEAR:
        raise ctx.error(1108)  # the sandbox clock cannot reach it
    return when


def quiet_window(settings: Any) -> Optional[Tuple[int, int]]:
    """(start, stop) in minutes of the day from a ``quietHours`` setting, or None."""
    if not isinstance(settings, dict):
        return None
    bounds = []
    for key in ("start", "stop"):
        m = _HHMM.match(settings.get(key) or "") if isinstance(settings.get(key), str) else None
        if m is None or int(m.group(1)) > 23 or int(m.group(2)) > 59:
            return None
        bounds.append(int(m.group(1)) * 60 + int(m.group(2)))
    return None if bounds[0] == bounds[1] else (bounds[0], bounds[1])


_ZONES: Dict[str, tzinfo] = {}


def _zone(name: str) -> tzinfo:
    """A time zone by IANA name (UTC when unknown)."""
    if name not in _ZONES:
        try:
            from zoneinfo import ZoneInfo

            _ZONES[name] = ZoneInfo(name) if name else timezone.utc
        except (KeyError, ValueError, ImportError):
            _ZONES[name] = timezone.utc
    return _ZONES[name]


def _after_quiet(ts: float, zone: str, window: Tuple[int, int]) -> Optional[float]:
    """The end of the quiet hours (plus a minute) when ``ts`` falls inside them, else None."""
    local = datetime.fromtimestamp(ts, _zone(zone))
    minute = local.hour * 60 + local.minute
    start, stop = window
    inside = start <= minute < stop if start < stop else (minute >= start or minute < stop)
    if not inside:
        return None
    release = local.replace(hour=stop // 60, minute=stop % 60, second=0, microsecond=0) + timedelta(minutes=1)
    if release <= local:
        release += timedelta(days=1)
    return release.timestamp()


def send_times(
    ctx: Ctx,
    when: Optional[datetime],
    is_utc: bool,
    zones: Sequence[Any],
    window: Optional[Tuple[int, int]],
) -> List[Tuple[Optional[float], bool]]:
    """(send time or None for now, in quiet hours) per destination; 1116 for a past date.

    ``zones`` are the destinations, each with a ``zone()`` method giving its IANA time zone
    (only called when a local time or quiet hours need it).
    """
    now = ctx.now()
    stamps: Dict[str, float] = {}
    local = when is not None and when.tzinfo is None and not is_utc

    def stamp(base: datetime, zone: str) -> float:
        if zone not in stamps:
            moment = base if base.tzinfo is not None else base.replace(tzinfo=_zone(zone))
            stamps[zone] = moment.timestamp()
        return stamps[zone]

    held: Dict[Tuple[str, float], Optional[float]] = {}
    out: List[Tuple[Optional[float], bool]] = []
    for target in zones:
        zone = target.zone() if local or window else ""
        at = stamp(when, zone if local else "") if when is not None else None
        if at is not None and at < now:
            raise ctx.error(1116)
        if window:
            key = (zone, now if at is None else at)
            if key not in held:
                held[key] = _after_quiet(key[1], zone, window)
            if held[key] is not None:
                out.append((held[key], True))
                continue
        out.append((at, False))
    return out
