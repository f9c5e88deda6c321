"""JSON and URL encoding, date parsing: the wire format in one place."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any, Callable, Dict, Iterable, List, Optional, Tuple
from urllib.parse import quote, urlencode

__all__ = [
    "to_wire",
    "dumps",
    "loads",
    "parse_datetime",
    "parse_date",
    "expand_path",
    "encode_query",
]


_PLAIN = frozenset({str, int, float, bool, type(None)})


def to_wire(value: Any) -> Any:
    """Turn models, dates and containers into JSON-ready values (API names as keys)."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is dict:  # a model's JSON object: its exact type first, the subclasses below
        return {k: v if type(v) in _PLAIN else to_wire(v) for k, v in value.items()}
    if kind is list:
        return _list_to_wire(value)
    if isinstance(value, (str, int, float)):
        return value
    if isinstance(value, dict):
        # a model's fields are mostly plain values already: no call for those
        return {k: v if type(v) in _PLAIN else to_wire(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return _list_to_wire(value)
    if isinstance(value, (datetime, date)):
        # 0.1.x sent isoformat() ('2021-06-23T14:26:10'); the API accepts it
        return value.isoformat()
    wire = getattr(value, "_wire", None)  # Model and SimpleModel
    return wire() if wire is not None else value


def _list_to_wire(value: Any) -> List[Any]:
    if value and isinstance(value[0], str):
        # the long lists are phone numbers: join() tells in C that every item is a str (or a
        # subclass, which json encodes as a str)
        try:
            "".join(value)
        except TypeError:
            pass
        else:
            return list(value)
    return [to_wire(v) for v in value]


def dumps(value: Any) -> bytes:
    """The JSON body bytes (same separators as 0.1.x, ASCII-escaped): what ``json.dumps(value)``
    gives, encoded."""
    if _encode is None:  # pragma: no cover - a Python without the C accelerator
        return json.dumps(value).encode("utf-8")
    return "".join(_encode(value, 0)).encode("utf-8")


def loads(data: bytes) -> Any:
    """``json.loads(data)``: the decoded JSON body."""
    if data[:1] in _JSON_OPENERS and data[1:2] != b"\x00":
        # what json.loads would decode it as (no BOM, not UTF-16/32), without finding that out;
        # and its scanner called directly (json.loads and JSONDecoder.decode are Python layers)
        text = data.decode("utf-8", "surrogatepass")
        try:
            value, end = _scan(text, 0)
        except (StopIteration, ValueError):
            pass  # json.loads raises its own error below
        else:
            if end == len(text) or not text[end:].strip(" \t\n\r"):  # JSON's whitespace only
                return value
    return json.loads(data)


# json.dumps makes the same C encoder for every call; one made once does the same work (no
# circular-reference check: to_wire builds a new tree of dicts and lists for every body, and
# would have failed first on a cycle)
_c_make_encoder = getattr(json.encoder, "c_make_encoder", None)
_encode = (
    None
    if _c_make_encoder is None
    else _c_make_encoder(None, json.JSONEncoder().default, json.encoder.encode_basestring_ascii, None, ": ", ", ", False, False, True)
)
_scan: Callable[[str, int], Tuple[Any, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]  # set by JSONDecoder.__init__
_JSON_OPENERS = (b"{", b"[")


_fromisoformat = datetime.fromisoformat


def parse_datetime(text: str) -> Optional[datetime]:
    """Parse the API's date-times ('YYYY-MM-DD HH:MM:SS', ISO 8601); None if not a date-time."""
    try:
        return _fromisoformat(text)  # the API's own form, on every Python
    except ValueError:
        pass
    if text[-1:] in ("Z", "z"):  # fromisoformat takes 'Z' only from Python 3.11
        try:
            return _fromisoformat(text[:-1] + "+00:00")
        except ValueError:
            pass
    try:
        from dateutil import parser

        result: datetime = parser.isoparse(text)
        return result
    except (ValueError, OverflowError, TypeError):
        return None


def parse_date(text: str) -> Optional[date]:
    """Parse 'YYYY-MM-DD'; None if it is not a date."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _param_text(value: Any) -> str:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value)


def expand_path(template: str, params: Optional[Dict[str, Any]], safe: str = "") -> str:
    """Fill ``{name}`` placeholders, percent-encoding every value (``/`` included)."""
    if not params:
        return template
    for name, value in params.items():
        template = template.replace("{" + name + "}", quote(_param_text(value), safe=safe))
    return template


def encode_query(params: Iterable[Tuple[str, Any]]) -> str:
    """Query string for the given pairs, skipping ``None`` (same encoding as urllib3)."""
    pairs: List[Tuple[str, Any]] = [(k, v) for k, v in params if v is not None]
    return urlencode(pairs) if pairs else ""
