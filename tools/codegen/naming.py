"""Python names for the spec's names, following the 0.1.x conventions."""

from __future__ import annotations

import keyword
import re

_ACRONYM = re.compile(r"([A-Z]+)([A-Z][a-z])")
_CAMEL = re.compile(r"([a-z\d])([A-Z])")


def snake(name: str) -> str:
    """``phoneNumberId`` -> ``phone_number_id``; ``TRANSACTIONAL`` -> ``transactional``."""
    s = _ACRONYM.sub(r"\1_\2", name)
    s = _CAMEL.sub(r"\1_\2", s)
    return s.replace("-", "_").replace(" ", "_").lower()


def attr_name(wire: str) -> str:
    """Attribute or parameter name for a JSON name: keywords and leading digits get ``_``."""
    s = snake(wire)
    if keyword.iskeyword(s) or s[0].isdigit():
        s = "_" + s
    return s


def module_name(class_name: str) -> str:
    """``Model400InvalidParam`` -> ``model400_invalid_param`` (the 0.1.x module names)."""
    s = _CAMEL.sub(r"\1_\2", class_name)
    s = _ACRONYM.sub(r"\1_\2", s)
    return s.lower()


def api_class(tag: str) -> str:
    """``Sms`` -> ``SmsApi``."""
    return tag + "Api"


def api_module(tag: str) -> str:
    """``Sms`` -> ``sms_api``."""
    return snake(tag) + "_api"
