"""What shortlinks and attachments share: short ids, simulated hits, hit pages, exports, callbacks.

A hit is a ``records.Hit`` kept in its link's ``hits`` (oldest first): the fields of
``DataShortlinkDetail`` (the API's hit shape) except ``datetime``, which is ``created_at`` (sandbox
Unix seconds). Hits come from the control actions ``shortlink-hit`` and ``attachment-hit``
(see ``record_hit`` for the fields they take).
"""

from __future__ import annotations

import ipaddress
import re
import secrets
import string
from typing import Any, Dict, List, Optional, Protocol, Sequence, TypeVar

from smscx_client.sandbox import exports, phones
from smscx_client.sandbox.errors import SandboxApiError
from smscx_client.sandbox.records import Hit
from smscx_client.sandbox.state import SandboxState
from smscx_client.sandbox.store import Store
from smscx_client.sandbox.wire import Ctx, Reply

__all__ = [
    "HitTarget",
    "LINK_BASE",
    "new_key",
    "lookup",
    "summary",
    "find_link",
    "record_hit",
    "hits_reply",
    "export_reply",
    "bad",
]

# Short links point at a reserved test domain: the sandbox cannot serve redirects itself.
LINK_BASE = "https://sandbox.test/"
_ALPHABET = string.ascii_letters + string.digits
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

# Who "clicks" when the control action does not say: a phone, tablet or computer in Paris.
_PLACE = {
    "screenResolution": "1080x2340",
    "acceptLanguage": "fr-FR,fr;q=0.9,en;q=0.8",
    "referrer": None,
    "ipAddress": "198.51.100.0",
    "countryIso": "FR",
    "city": "Paris",
}
_DEVICES = {
    "mobile": {
        "browser": "Chrome Mobile",
        "browserVersion": "124.0",
        "os": "Android",
        "osVersion": "14",
        "brand": "Samsung",
        "model": "Galaxy S23",
    },
    "tablet": {
        "browser": "Mobile Safari",
        "browserVersion": "17.4",
        "os": "iPadOS",
        "osVersion": "17.4",
        "brand": "Apple",
        "model": "iPad Air",
        "screenResolution": "820x1180",
    },
    "desktop": {
        "browser": "Firefox",
        "browserVersion": "125.0",
        "os": "Windows",
        "osVersion": "11",
        "brand": "Dell",
        "model": "XPS 13",
        "screenResolution": "1920x1080",
    },
}
_VISITOR_KEYS = ["device", *_DEVICES["mobile"], *_PLACE]
_DETAIL_KEYS = [
    "hitId",
    *_VISITOR_KEYS,
    "datetime",
    "phoneNumber",
    "phoneNumberCountryIso",
    "campaignId",
    "groupId",
]


class HitTarget(Protocol):
    """What shortlinks (``records.Shortlink``) and attachments (``records.Attachment``) share."""

    @property
    def id(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def short_url(self) -> str: ...

    @property
    def created_at(self) -> float: ...

    @property
    def hits(self) -> List[Hit]: ...


L = TypeVar("L", bound=HitTarget)


def bad(message: str) -> SandboxApiError:
    """A control-plane input error (400 invalid_param 1009)."""
    return SandboxApiError(400, "invalid_param", 1009, message)


def new_key(store: Store[Any], length: int = 6) -> str:
    """A random alphanumeric id no record of ``store`` uses yet."""
    while True:
        key = "".join(secrets.choice(_ALPHABET) for _ in range(length))
        if key not in store:
            return key


def _text(body: Dict[str, Any], key: str, default: Optional[str], nullable: bool = False) -> Optional[str]:
    if key not in body:
        return default
    value = body[key]
    if value is None and nullable:
        return None
    if not isinstance(value, str) or not value.strip():
        raise bad("`{}` must be a non-empty string".format(key))
    return value


def _visitor(body: Dict[str, Any]) -> Dict[str, Optional[str]]:
    device = body.get("device", "mobile")
    if not isinstance(device, str) or device not in _DEVICES:
        raise bad("`device` must be mobile, tablet or desktop")
    defaults = dict(_PLACE, device=device, **_DEVICES[device])
    hit = {k: _text(body, k, defaults[k], nullable=k == "referrer") for k in _VISITOR_KEYS}
    try:
        ip = ipaddress.ip_address(str(hit["ipAddress"]))
    except ValueError:
        raise bad("`ipAddress` must be an IP address") from None
    # the API anonymises addresses: the last byte (IPv4) or the last 80 bits (IPv6) are zeroed
    prefix = 24 if ip.version == 4 else 48
    hit["ipAddress"] = str(ipaddress.ip_network("{}/{}".format(ip, prefix), strict=False).network_address)
    country = hit["countryIso"] or ""
    if not re.fullmatch(r"[A-Za-z]{2}", country):
        raise bad("`countryIso` must be a two-letter country code")
    hit["countryIso"] = country.upper()
    return hit


def _tracking(body: Dict[str, Any]) -> Dict[str, Optional[str]]:
    number = body.get("phoneNumber")
    e164 = iso = None
    if number is not None:
        phone = phones.parse(number)
        if not isinstance(number, str) or not phone.valid:
            raise bad("`phoneNumber` must be a valid E.164 phone number")
        e164, iso = phone.e164, phone.country_iso
    campaign = body.get("campaignId")
    if campaign is not None and not (isinstance(campaign, str) and _UUID.match(campaign)):
        raise bad("`campaignId` must be a lowercase UUID")
    group = body.get("groupId")
    if group is not None and (isinstance(group, bool) or not isinstance(group, (str, int))):
        raise bad("`groupId` must be a string or an integer")
    return {
        "phoneNumber": e164,
        "phoneNumberCountryIso": iso,
        "campaignId": campaign,
        "groupId": None if group is None else str(group),
    }


def record_hit(
    state: SandboxState,
    link: HitTarget,
    body: Dict[str, Any],
    callback: Optional[str],
    event: str,
) -> Dict[str, Any]:
    """Add a hit to ``link`` from a control request and owe the ``event`` callback; returns the hit.

    ``body`` may give ``phoneNumber`` (E.164), ``campaignId``, ``groupId`` and any visitor field
    (``device`` mobile/tablet/desktop, ``browser``, ``browserVersion``, ``os``, ``osVersion``,
    ``brand``, ``model``, ``screenResolution``, ``acceptLanguage``, ``referrer``, ``ipAddress``
    (anonymised), ``countryIso``, ``city``); the rest get the defaults of ``_DEVICES`` and ``_PLACE``.
    """
    visitor, tracking = _visitor(body), _tracking(body)
    hit = Hit(
        hit_id=state.account.new_hit_id(),  # unique across every link of the account
        created_at=state.clock.now(),
        device=visitor["device"],
        browser=visitor["browser"],
        browser_version=visitor["browserVersion"],
        os=visitor["os"],
        os_version=visitor["osVersion"],
        brand=visitor["brand"],
        model=visitor["model"],
        screen_resolution=visitor["screenResolution"],
        accept_language=visitor["acceptLanguage"],
        referrer=visitor["referrer"],
        ip_address=visitor["ipAddress"],
        country_iso=visitor["countryIso"],
        city=visitor["city"],
        phone_number=tracking["phoneNumber"],
        phone_number_country_iso=tracking["phoneNumberCountryIso"],
        campaign_id=tracking["campaignId"],
        group_id=tracking["groupId"],
    )
    link.hits.append(hit)
    # the callback shape (DataShortlinkHit) names the link, has no phoneNumberCountryIso and
    # types phoneNumber as a string: it is left out when the hit was not tracked
    item = {k: v for k, v in _detail(state, hit).items() if k != "phoneNumberCountryIso"}
    if item["phoneNumber"] is None:
        del item["phoneNumber"]
    item.update(shortlinkId=link.id, url=link.short_url)
    state.callback(callback, event, {"event": event, "data": [item]})
    return _detail(state, hit)


def _detail(state: SandboxState, hit: Hit) -> Dict[str, Any]:
    """The API's hit (``DataShortlinkDetail``), keys in ``_DETAIL_KEYS`` order."""
    return {
        "hitId": hit.hit_id,
        "device": hit.device,
        "browser": hit.browser,
        "browserVersion": hit.browser_version,
        "os": hit.os,
        "osVersion": hit.os_version,
        "brand": hit.brand,
        "model": hit.model,
        "screenResolution": hit.screen_resolution,
        "acceptLanguage": hit.accept_language,
        "referrer": hit.referrer,
        "ipAddress": hit.ip_address,
        "countryIso": hit.country_iso,
        "city": hit.city,
        "datetime": state.clock.fmt(hit.created_at),
        "phoneNumber": hit.phone_number,
        "phoneNumberCountryIso": hit.phone_number_country_iso,
        "campaignId": hit.campaign_id,
        "groupId": hit.group_id,
    }


def hits_reply(ctx: Ctx, link: HitTarget, info: Dict[str, Any]) -> Dict[str, Any]:
    """``{info, data, paging}``: a page of the link's hits, newest first (none with short_response)."""
    hits = [] if ctx.flag("short_response") else list(reversed(link.hits))
    data, paging = ctx.page(hits, lambda h: _detail(ctx.state, h))
    return {"info": info, "data": data, "paging": paging}


def export_reply(ctx: Ctx, link: HitTarget, filename: str, kind: str) -> Reply:
    """The link's hits as a CSV or XLSX download (newest first; just the header when none)."""
    rows: List[Sequence[Any]] = []
    for h in reversed(link.hits):
        detail = _detail(ctx.state, h)
        rows.append([detail[k] for k in _DETAIL_KEYS])
    if kind == "csv":
        return exports.csv_reply(filename + ".csv", _DETAIL_KEYS, rows)
    return exports.xlsx_reply(filename + ".xlsx", _DETAIL_KEYS, rows, sheet="Hits")


def lookup(ctx: Ctx, store: Store[L], param: str, code: int) -> L:
    """The record named by the path parameter ``param``, or the operation's not-found ``code``."""
    link = store.get(ctx.path.get(param))
    if link is None:
        raise ctx.error(code)
    return link


def summary(state: SandboxState, link: HitTarget, **fields: str) -> Dict[str, Any]:
    """The list/info view: id, name, shortUrl, ``fields`` (API names and values), hits, dateCreated."""
    out: Dict[str, Any] = {"id": link.id, "name": link.name, "shortUrl": link.short_url}
    out.update(fields)
    out.update(hits=len(link.hits), dateCreated=state.clock.fmt(link.created_at))
    return out


def find_link(body: Dict[str, Any], id_key: str, store: Store[L]) -> L:
    """The link record a hit control request names by ``id_key``."""
    key = body.get(id_key)
    link = store.get(key) if isinstance(key, str) else None
    if link is None:
        raise SandboxApiError(404, "not_found", 1003, "No record with `{}` {!r}".format(id_key, key))
    return link
