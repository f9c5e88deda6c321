"""OTP: a PIN sent by SMS, then verified, cancelled, failed or expired on the sandbox clock.

Records: ``account.otps`` (``records.Otp``, key otpId).

``new_otp`` renders the template with a fresh PIN and sends it as an SMS: the message is in the
outbox (``sb.messages``) with the PIN in its text, charged like any SMS to that country, and
follows the SMS delivery timeline of ``_delivery`` (DELIVERED, or FAILED for the
``delivery_failed`` magic number). Fields left out of the request come from the application's
``otp`` settings (``applications.section``). Every status change (VERIFIED, FAILED, EXPIRED,
CANCELLED) is POSTed to ``otpCallbackUrl`` (or the application's ``otpCallback``) as
``otp_update``.

Sandbox choices: PINs are compared case-insensitively; ``attempts`` counts wrong PINs only; an
unknown or malformed otpId is 404 (2021); OTPs ignore the opt-out list (they are transactional);
a destination the sandbox does not cover answers 403 no_coverage (1119) and a short balance 400
insufficient_credit (1113), the API-wide codes, as ``new_otp`` documents neither case.
"""

from __future__ import annotations

import secrets
import string
from typing import Any, Dict, Optional

from smscx_client import text
from smscx_client.sandbox import phones, pricing
from smscx_client.sandbox.backends._delivery import activate
from smscx_client.sandbox.backends._numbers_common import amount, body_phone, charge, known_region
from smscx_client.sandbox.backends.applications import callback_url, section
from smscx_client.sandbox.magic import MAGIC_NUMBERS
from smscx_client.sandbox.records import Message, Otp
from smscx_client.sandbox.state import SandboxState, money
from smscx_client.sandbox.wire import Ctx

__all__ = ["new_otp", "get_otp_status", "verify_otp", "cancel_otp", "expire_later"]

_ALPHABETS = {
    "numbers": string.digits,
    "letters": string.ascii_uppercase,
    "alphanumeric": string.ascii_uppercase + string.digits,
}


def _view(otp: Otp, state: SandboxState) -> Dict[str, Any]:
    """``DataOtp`` (also the body of ``NewOtpResponse``)."""
    return {
        "otpId": otp.otp_id,
        "trackId": otp.track_id,
        "phoneNumber": otp.phone_number,
        "countryIso": otp.country_iso,
        "status": otp.status,
        "cost": amount(otp.cost),
        "parts": otp.parts,
        "maxAttempts": otp.max_attempts,
        "attempts": otp.attempts,
        "ttl": otp.ttl,
        "otpCallbackUrl": otp.otp_callback_url,
        "dateCreated": state.clock.fmt(otp.created_at),
        "dateExpires": state.clock.fmt(otp.expires_at),
    }


def _set_status(state: SandboxState, otp: Otp, status: str) -> None:
    """Change the status and owe the ``otp_update`` callback."""
    otp.status = status
    state.callback(otp.otp_callback_url, "otp_update", {"event": "otp_update", "data": [_view(otp, state)]})


def expire_later(state: SandboxState, otp: Otp) -> None:
    """A PENDING OTP turns EXPIRED when the clock reaches its ``expires_at`` (unless reset meanwhile)."""

    def expire() -> None:
        if otp.status == "PENDING" and state.account.otps.get(otp.otp_id) is otp:
            _set_status(state, otp, "EXPIRED")

    state.schedule(otp.expires_at, expire)


# -- new_otp's fields ----------------------------------------------------------------------
# Types, lengths, enums and ranges are validated from the spec (with the documented codes);
# what is left: blank texts, country codes libphonenumber does not know, the {{pin}} placeholder.
def _phone(ctx: Ctx, body: Dict[str, Any]) -> phones.Phone:
    raw: str = body["phoneNumber"]
    if not raw.strip():
        raise ctx.error(2001)
    iso: Optional[str] = body.get("countryIso")
    region = None
    if iso is not None:
        if not iso.strip():
            raise ctx.error(2002)
        region = known_region(iso)
        if region is None:
            raise ctx.error(2003)
    if region is None and not raw.strip().startswith("+"):
        phone = body_phone(raw, None)  # E.164 digits without the plus are accepted
        if not phone.valid:
            raise ctx.error(2002)
        return phone
    return phones.parse(raw, region)


def _text(ctx: Ctx, body: Dict[str, Any], key: str, blank_code: int) -> Optional[str]:
    """A text field: None when absent, ``blank_code`` when only spaces."""
    value: Optional[str] = body.get(key)
    if value is not None and not value.strip():
        raise ctx.error(blank_code)
    return value


def _options(ctx: Ctx, body: Dict[str, Any]) -> Dict[str, Any]:
    """Every optional field of the body, with the application's settings for those left out
    (checked when they were set)."""
    defaults = section(ctx.account, "otp")
    template = _text(ctx, body, "template", 2006) or defaults["template"]
    if "{{pin}}" not in template:
        raise ctx.error(2006, "`template` lacks the required {{pin}} placeholder")
    url = body.get("otpCallbackUrl")
    return {
        "from": _text(ctx, body, "from", 2004) or defaults["from"],
        "template": template,
        "ttl": body.get("ttl", defaults["ttl"]),
        "maxAttempts": body.get("maxAttempts", defaults["maxAttempts"]),
        "pinType": body.get("pinType", defaults["pinType"]),
        "pinLength": body.get("pinLength", defaults["pinLength"]),
        "trackId": body.get("trackId"),
        "otpCallbackUrl": url if url is not None else callback_url(ctx.account, "otp", "otpCallback"),
    }


# -- the PIN's SMS -------------------------------------------------------------------------
def _send(ctx: Ctx, phone: phones.Phone, sender: str, body: str, otp_id: str) -> Message:
    """Put the PIN's SMS in the outbox, charged, with the delivery timeline of any SMS."""
    unit = pricing.price("sms", phone.country_iso)
    if unit is None or phone.e164 == MAGIC_NUMBERS["no_coverage"]:
        raise ctx.error(1119)
    analysis = text.analyze(body)
    cost = money(unit * analysis.parts)
    charge(ctx, cost)
    now = ctx.now()
    msg = Message(
        msg_id=ctx.state.new_id(),
        channel="sms",
        to=phone.e164,
        sender=sender,
        text=body,
        parts=analysis.parts,
        cost=cost,
        status="ACCEPTED",
        campaign_id=ctx.state.new_id(),  # every send is a campaign of its own in reports
        country_iso=phone.country_iso,
        created_at=now,
        unicode=analysis.unicode,
        length=analysis.length,
        otp_id=otp_id,
    )
    ctx.account.messages[msg.msg_id] = msg
    activate(ctx.state, [msg], now)
    return msg


# -- operations ----------------------------------------------------------------------------
def new_otp(ctx: Ctx) -> Dict[str, Any]:
    """``POST /otp`` (201): generate the PIN, send it, start the clock on its ttl."""
    body: Dict[str, Any] = ctx.body
    phone = _phone(ctx, body)
    opts = _options(ctx, body)
    if not phone.valid:
        raise ctx.error(2020)
    pin = "".join(secrets.choice(_ALPHABETS[opts["pinType"]]) for _ in range(opts["pinLength"]))
    otp_id = ctx.state.new_id()
    msg = _send(ctx, phone, opts["from"], opts["template"].replace("{{pin}}", pin), otp_id)
    otp = Otp(
        otp_id=otp_id,
        track_id=opts["trackId"],
        phone_number=phone.e164,
        country_iso=phone.country_iso,
        status="PENDING",
        cost=msg.cost,
        parts=msg.parts,
        max_attempts=opts["maxAttempts"],
        ttl=opts["ttl"],
        otp_callback_url=opts["otpCallbackUrl"],
        created_at=msg.created_at,
        expires_at=msg.created_at + opts["ttl"],
        pin=pin,
        msg_id=msg.msg_id,
    )
    ctx.account.otps.insert(otp, otp_id)
    expire_later(ctx.state, otp)
    return _view(otp, ctx.state)


def _otp(ctx: Ctx) -> Otp:
    otp = ctx.account.otps.get(ctx.path["otpId"])
    if otp is None:
        raise ctx.error(2021)
    return otp


def get_otp_status(ctx: Ctx) -> Dict[str, Any]:
    """``GET /otp/{otpId}``: the bare ``DataOtp``."""
    return _view(_otp(ctx), ctx.state)


_CLOSED = {"VERIFIED": 2023, "CANCELLED": 2024, "EXPIRED": 2025, "FAILED": 2027}


def verify_otp(ctx: Ctx) -> Dict[str, Any]:
    """``POST /otp/{otpId}``: the right PIN verifies; wrong ones use up the attempts."""
    otp = _otp(ctx)
    pin: str = ctx.body["pin"]  # a string: validated from the spec
    if not pin.strip():
        raise ctx.error(2022)
    if otp.status in _CLOSED:
        raise ctx.error(_CLOSED[otp.status])
    if ctx.now() >= otp.expires_at:  # due but not yet swept by the clock
        _set_status(ctx.state, otp, "EXPIRED")
        raise ctx.error(2028)
    if secrets.compare_digest(pin.strip().upper().encode("utf-8"), otp.pin.encode("utf-8")):
        _set_status(ctx.state, otp, "VERIFIED")
        return {"status": "VERIFIED"}
    otp.attempts += 1
    left = otp.max_attempts - otp.attempts
    if left <= 0:
        _set_status(ctx.state, otp, "FAILED")
        raise ctx.error(2026)
    raise ctx.error(2029, "Verification failed: the PIN is incorrect; {} attempt{} left".format(left, "" if left == 1 else "s"))


def cancel_otp(ctx: Ctx) -> Dict[str, Any]:
    """``DELETE /otp/{otpId}``: only a PENDING OTP can be cancelled."""
    otp = _otp(ctx)
    if otp.status == "CANCELLED":
        raise ctx.error(2030)
    if otp.status != "PENDING":
        raise ctx.error(2031)
    _set_status(ctx.state, otp, "CANCELLED")
    return {"info": {"id": otp.otp_id}}
