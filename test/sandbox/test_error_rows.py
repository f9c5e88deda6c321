"""Every documented error row of spec/openapi.yaml, produced by the sandbox over loopback HTTP.

One case per row (operation, status, type, code), with ids like ``send_sms-400-invalid_param-1104``:

* rows a request's form decides (``x-error`` on a field, the operation's ``x-validation-error``,
  the common 1007/1008 rows) are derived from the schema by ``breakage.py``: the spec's example
  request with one rule of one field broken;
* rows of business rules (existence, balance, coverage, states, duplicates, rules joining fields)
  have a hand-written recipe below, grouped by kind and shared by the operations that document
  the row the same way: it puts the sandbox in the state the row needs (through the API, or the
  control plane ``/__sandbox/*`` as a test in any language would) and gives the request;
* rows no request can get from the sandbox carry ``x-unreachable: <reason>`` in the spec.

``test_every_row_is_produced_or_marked_unreachable`` keeps the three sets exact, so a row added to
the spec without a recipe or a reason fails the suite.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, replace
from typing import Any, Callable, Dict, List, NamedTuple, Optional, Tuple

import pytest
import urllib3
from breakage import NO_BODY, Broken, Req, base, breakages, documented_rows, route
from spec_examples import spec
from support import add_group

from smscx_client.sandbox import EXAMPLE_IDS, MAGIC_NUMBERS, Sandbox
from smscx_client.sandbox._schema import OPERATIONS

pytestmark = pytest.mark.smscx_sandbox(examples=True)

Key = Tuple[str, int, str, int]  # (operation, status, type, code)
ROWS: Dict[str, List[Tuple[int, str, int]]] = documented_rows()
ALL_ROWS = {(op,) + row for op, rows in ROWS.items() for row in rows}

NOWHERE = "00000000-0000-4000-8000-000000000000"  # a well-formed id (UUID v4) no record has
BAD_NUMBER = "+3361"  # too short for a French number: libphonenumber rejects it
VALID_NUMBER = "+33612345679"
NO_COVERAGE = MAGIC_NUMBERS["no_coverage"]
CUBA = "+5351234567"  # a valid mobile of a country the sandbox does not cover
DAY = 86400


def key_id(key: Key) -> str:
    """``send_sms-400-invalid_param-1104``."""
    return "{}-{}-{}-{}".format(*key)


def _unreachable() -> Dict[Key, str]:
    """The rows the spec marks ``x-unreachable``, with the reason."""
    return {
        (op.operation_id, e.status, e.type, e.code): e.unreachable for op in spec().operations for e in op.errors if e.unreachable
    }


UNREACHABLE = _unreachable()


def _derived() -> Dict[Key, Broken]:
    """The first breakage (in schema order) that gets each row."""
    out: Dict[Key, Broken] = {}
    for op in ROWS:
        for broken in breakages(op):
            out.setdefault((op,) + broken.row, broken)
    return out


DERIVED = _derived()


# -- talking to the sandbox --------------------------------------------------------------------------
_POOL = urllib3.PoolManager(retries=False, timeout=30)


class Answer(NamedTuple):
    """An HTTP answer: status and decoded JSON (None for another body)."""

    status: int
    body: Any

    def error(self) -> Tuple[int, Optional[str], Optional[int]]:
        """(status, error type, error code)."""
        err = self.body.get("error", {}) if isinstance(self.body, dict) else {}
        return self.status, err.get("type"), err.get("code")


class Env:
    """What a recipe uses: the reset sandbox, requests, and the control plane."""

    def __init__(self, sb: Sandbox) -> None:
        self.sb = sb

    def send(self, req: Req) -> Answer:
        """Send ``req`` with the API key (or the OAuth application's credentials)."""
        body, headers = req.payload()
        if req.basic_auth:
            secret = self.sb.app_secret if req.basic_auth == "app" else "not-the-secret"
            pair = "{}:{}".format(self.sb.app_id, secret).encode()
            headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
        else:
            headers["X-API-KEY"] = self.sb.api_key
        resp = _POOL.request(req.method, self.sb.url + req.url_path(), body=body, headers=headers)
        try:
            data = json.loads(resp.data) if resp.data else None
        except ValueError:
            data = None
        return Answer(resp.status, data)

    def ok(self, req: Req) -> Any:
        """Send ``req``, which must succeed; its JSON."""
        answer = self.send(req)
        assert 200 <= answer.status < 300, "setup step failed: {}\n-> {} {}".format(req, answer.status, answer.body)
        return answer.body

    def call(self, op: str, body: Any = NO_BODY, query: Optional[Dict[str, str]] = None, **params: Any) -> Any:
        """Call ``op`` with these path values (and body, query), which must succeed; its JSON."""
        method, path = route(op)
        return self.ok(Req(op, method, path, {k: str(v) for k, v in params.items()}, query or {}, body))

    def control(self, name: str, body: Dict[str, Any]) -> Any:
        """``POST /__sandbox/<name>``."""
        return self.sb.control("POST", name, body)

    def advance(self, seconds: float) -> None:
        """Move the sandbox clock on."""
        self.sb.advance(seconds)

    def group(self, *numbers: str) -> int:
        """A new group holding these numbers (through the API); its id."""
        gid = self.call("create_group", {"name": "Recipients {}".format(len(numbers))})["info"]["id"]
        if numbers:
            self.call("add_contacts_to_group", {"phoneNumbers": list(numbers)}, groupId=gid)
        return int(gid)

    def template(self, channel: str, text: str, approved: bool = True, locked: bool = True) -> int:
        """A new template (through the API), reviewed as asked (control plane); its id."""
        tid = self.call("create_template", {"name": "Tpl {}".format(text[:20]), "text": text, "channel": channel})["info"]["id"]
        self.control("template", {"templateId": tid, "approved": approved, "locked": locked})
        return int(tid)


def body_with(req: Req, **fields: Any) -> Req:
    """``req`` with these body fields set (``from_`` for ``from``; None removes a field)."""
    body = dict(req.body)
    for name, value in fields.items():
        name = name.rstrip("_")
        if value is None:
            body.pop(name, None)
        else:
            body[name] = value
    return replace(req, body=body)


def path_with(req: Req, **params: Any) -> Req:
    """``req`` with these path values."""
    return replace(req, params=dict(req.params, **{k: str(v) for k, v in params.items()}))


def query_with(req: Req, **query: Optional[str]) -> Req:
    """``req`` with these query values (None removes one)."""
    out = dict(req.query)
    for name, value in query.items():
        if value is None:
            out.pop(name, None)
        else:
            out[name] = value
    return replace(req, query=out)


# -- hand-written recipes ----------------------------------------------------------------------------
Recipe = Callable[[Env, str], Req]


@dataclass(frozen=True)
class Hand:
    """A recipe, and the number the answer's ``invalid`` list must hold (rows that return one)."""

    make: Recipe
    invalid: Optional[str] = None


HAND: Dict[Key, Hand] = {}


def documenting(code: int, type_: Optional[str] = None) -> List[str]:
    """The operations whose table has ``code`` (of that type)."""
    return [op for op, table in ROWS.items() if any(c == code and (type_ is None or t == type_) for _, t, c in table)]


def recipe(code: int, ops: List[str], type_: Optional[str] = None, invalid: Optional[str] = None) -> Callable[[Recipe], Recipe]:
    """Register a recipe for the row ``code`` (of ``type_``) of each of ``ops``."""

    def register(make: Recipe) -> Recipe:
        for op in ops:
            found = [r for r in ROWS[op] if r[2] == code and (type_ is None or r[1] == type_)]
            assert len(found) == 1, "{}: {} rows with code {}".format(op, len(found), code)
            key = (op,) + found[0]
            assert key not in HAND, "two recipes for " + key_id(key)
            HAND[key] = Hand(make, invalid)
        return make

    return register


SENDS = ["send_sms", "send_viber_message", "send_whatsapp_message", "send_multichannel_message"]
SEND_ESTIMATES = ["estimate_sms", "estimate_viber_message", "estimate_whatsapp_message", "estimate_multichannel_message"]
CAMPAIGNS = ["send_sms_campaign", "send_viber_campaign", "send_multichannel_campaign"]
CAMPAIGN_ESTIMATES = ["estimate_sms_campaign", "estimate_viber_campaign", "estimate_multichannel_campaign"]
MESSAGES = SENDS + SEND_ESTIMATES
ALL_SENDS = MESSAGES + CAMPAIGNS + CAMPAIGN_ESTIMATES
REPLIES = ["send_conversation_reply_sms", "send_conversation_reply_viber", "send_conversation_reply_whatsapp"]
TEMPLATE_SENDS = [op for op in ALL_SENDS if "sms" not in op]  # Viber, WhatsApp, multichannel
MULTICHANNEL = [op for op in ALL_SENDS if "multichannel" in op]
SMS_TEXT = [op for op in ALL_SENDS if "sms" in op]


# -- not found: a well-formed id that names nothing ----------------------------------------------------
def _unknown(schema: Dict[str, Any]) -> str:
    """A value of an id's schema that no record has."""
    if schema.get("type") == "integer":
        return "999999"
    if "pattern" in schema or schema.get("format") == "uuid":
        return NOWHERE
    return "Nope404"


@recipe(1100, documenting(1100))  # delete_scheduled_* (msgId)
@recipe(1150, documenting(1150))  # delete_scheduled_*_campaign, get_campaign_report
@recipe(1160, documenting(1160))  # reports of one campaign or message
@recipe(1219, documenting(1219))
@recipe(1220, documenting(1220))
@recipe(1223, documenting(1223))
@recipe(1400, documenting(1400))
@recipe(1420, documenting(1420))
@recipe(1500, documenting(1500))
def unknown_id(env: Env, op: str) -> Req:
    """The example request, its id replaced by a well-formed one that no record has."""
    (param,) = [p for p in OPERATIONS[op]["params"] if p["in"] == "path"]
    return path_with(base(op), **{param["name"]: _unknown(param["schema"])})


@recipe(1230, ["rent_number"])
def unknown_number(env: Env, op: str) -> Req:
    """Rent a number id that the rental catalogue does not hold."""
    return body_with(base(op), numberId=NOWHERE)


# -- balance ------------------------------------------------------------------------------------------
@recipe(1113, documenting(1113))
def empty_balance(env: Env, op: str) -> Req:
    """The example request of a charged operation, on an empty balance."""
    env.control("account", {"balance": 0})
    return base(op)


@recipe(1114, documenting(1114))
def credit_limit_used_up(env: Env, op: str) -> Req:
    """The example request, the credit limit used up (balance -5.00, limit 5.00)."""
    env.control("account", {"balance": -5, "creditLimit": 5})
    return base(op)


@recipe(1130, documenting(1130))
def failover_unpaid(env: Env, op: str) -> Req:
    """A multichannel send whose first channel the balance pays, but not the failover SMS."""
    estimate = op if op.startswith("estimate") else "estimate_" + op[len("send_") :]
    first = env.ok(base(estimate))["info"]["totalCost"]
    env.control("account", {"balance": first})
    return base(op)


# -- coverage -----------------------------------------------------------------------------------------
@recipe(1119, MESSAGES)
def to_no_coverage(env: Env, op: str) -> Req:
    """A send to the magic number the sandbox does not cover."""
    return body_with(base(op), to=[NO_COVERAGE])


@recipe(1119, CAMPAIGNS + CAMPAIGN_ESTIMATES)
def group_without_coverage(env: Env, op: str) -> Req:
    """A campaign to a group that holds only a number without coverage."""
    return body_with(base(op), groups=[env.group(NO_COVERAGE)])


@recipe(1119, REPLIES)
def reply_without_coverage(env: Env, op: str) -> Req:
    """A reply to a conversation with a number of a country the sandbox does not cover."""
    conv = env.control("inbound", {"from": CUBA, "to": "MyBrand", "text": "Hola"})["conversationId"]
    return path_with(base(op), conversationId=conv)


@recipe(1214, ["lookup_number"])
def lookup_without_coverage(env: Env, op: str) -> Req:
    """Look up the magic number the sandbox does not cover."""
    return path_with(base(op), phoneNumber=NO_COVERAGE)


@recipe(1214, ["lookup_numbers"])
def lookups_without_coverage(env: Env, op: str) -> Req:
    """Look up only numbers the sandbox does not cover."""
    return body_with(base(op), phoneNumbers=[NO_COVERAGE, CUBA])


@recipe(1523, ["get_channel_pricing_by_country_iso"])
def price_without_coverage(env: Env, op: str) -> Req:
    """The price list of a country the sandbox does not cover."""
    return path_with(base(op), countryIso="CU")


# -- phone numbers libphonenumber rejects ----------------------------------------------------------------
@recipe(1210, [op for op in MESSAGES if op in documenting(1210)], invalid=BAD_NUMBER)
def one_bad_number_among_others(env: Env, op: str) -> Req:
    """A send to a valid number and one that is not."""
    return body_with(base(op), to=[VALID_NUMBER, BAD_NUMBER])


@recipe(1210, ["add_contacts_to_group", "add_contact_to_optouts_list"], invalid=BAD_NUMBER)
def bad_number_in_list(env: Env, op: str) -> Req:
    """A list of numbers, one of which is not valid."""
    return body_with(base(op), phoneNumbers=[VALID_NUMBER, BAD_NUMBER])


@recipe(1207, ["add_contacts_to_group"], invalid=BAD_NUMBER)
def one_bad_contact(env: Env, op: str) -> Req:
    """Add a single number that is not valid."""
    return body_with(base(op), phoneNumbers=[BAD_NUMBER])


@recipe(1207, ["lookup_number", "validate_number"])
def bad_number_in_path(env: Env, op: str) -> Req:
    """Look up or validate a number that is not valid."""
    return path_with(base(op), phoneNumber=BAD_NUMBER)


@recipe(1216, ["lookup_numbers"])
def no_valid_lookup(env: Env, op: str) -> Req:
    """A bulk lookup of numbers that are all invalid."""
    return body_with(base(op), phoneNumbers=[BAD_NUMBER, "+4470"])


@recipe(2020, ["new_otp"])
def otp_to_bad_number(env: Env, op: str) -> Req:
    """An OTP to a number that is not valid."""
    return body_with(base(op), phoneNumber=BAD_NUMBER)


@recipe(1441, ["add_contact_to_optouts_list"], invalid=BAD_NUMBER)
def nothing_to_opt_out(env: Env, op: str) -> Req:
    """Opt out only an invalid number (let through by ``allowInvalid``) and one listed already."""
    return body_with(base(op), phoneNumbers=[BAD_NUMBER, "+33655512345"], allowInvalid=True)


# -- duplicates -----------------------------------------------------------------------------------------
@recipe(1211, ["create_group"])
def group_name_taken(env: Env, op: str) -> Req:
    """A group named like the example group."""
    return body_with(base(op), name=env.call("get_group_details", groupId=EXAMPLE_IDS["groupId"])["info"]["name"])


@recipe(1215, ["update_contact_from_group"])
def number_in_group_already(env: Env, op: str) -> Req:
    """Give a contact the number of another contact of its group."""
    contacts = env.call("get_group_details", groupId=EXAMPLE_IDS["groupId"])["data"]
    other = next(c for c in contacts if c["id"] != EXAMPLE_IDS["phoneNumberId"])
    return body_with(base(op), phoneNumber=other["phoneNumber"])


@recipe(1306, ["create_originator"])
def originator_taken(env: Env, op: str) -> Req:
    """Register the example sender name again."""
    return body_with(base(op), originator="MyBrand")


@recipe(1407, ["update_shortlink"])
def shortlink_name_taken(env: Env, op: str) -> Req:
    """Rename the example short link to the name of another one."""
    env.call("create_shortlink", {"url": "https://example.com/other", "name": "Other link"})
    return body_with(base(op), name="Other link", url=None)


@recipe(1805, ["create_template"])
def template_name_taken(env: Env, op: str) -> Req:
    """A template named like the example SMS template."""
    return body_with(base(op), name=env.call("get_template", templateId=EXAMPLE_IDS["templateId"])["data"]["name"])


@recipe(1805, ["update_template"])
def template_renamed_to_taken(env: Env, op: str) -> Req:
    """Rename the example SMS template to the name of the example Viber template."""
    taken = env.call("get_template", templateId=EXAMPLE_IDS["viberTemplateId"])["data"]["name"]
    return body_with(base(op), name=taken)


@recipe(1117, documenting(1117))
def idempotency_id_reused(env: Env, op: str) -> Req:
    """An ``idempotencyId`` used before for another request."""
    key = "0b7e8f0c-2c0e-4b8e-9d56-3f1f4a2b9c01"
    env.ok(body_with(base(op), idempotencyId=key))
    changed = body_with(base(op), idempotencyId=key)
    if "text" in changed.body:
        return body_with(changed, text=changed.body["text"] + " (again)")
    return body_with(changed, from_="OtherBrand")


# -- states --------------------------------------------------------------------------------------------
@recipe(1118, documenting(1118))
def no_longer_scheduled(env: Env, op: str) -> Req:
    """Delete an example scheduled send after it went out (a week after the reset)."""
    env.advance(8 * DAY)
    return base(op)


@recipe(1181, ["send_conversation_reply_viber"])
@recipe(1182, ["send_conversation_reply_whatsapp"])
def reply_window_closed(env: Env, op: str) -> Req:
    """Reply more than 24 hours after the contact last wrote."""
    env.advance(DAY + 60)
    return base(op)


@recipe(1227, ["cancel_rent"])
def cancel_too_late(env: Env, op: str) -> Req:
    """Cancel the example rental after its first 30 minutes."""
    env.advance(31 * 60)
    return base(op)


@recipe(1232, ["cancel_rent"])
def cancel_after_inbound(env: Env, op: str) -> Req:
    """Cancel the example rental after its number received an SMS."""
    number = env.call("get_rent_status", rentId=EXAMPLE_IDS["rentId"])["info"]["phoneNumber"]
    env.control("inbound-sms", {"to": number, "from": VALID_NUMBER, "text": "Hello"})
    return base(op)


@recipe(1228, ["renew_rent"])
def renew_expired(env: Env, op: str) -> Req:
    """Renew the example 30-day rental after it ended."""
    env.advance(31 * DAY)
    return base(op)


@recipe(1229, ["rent_number"])
def rent_too_short(env: Env, op: str) -> Req:
    """Rent the example number (7 days at least) for one day."""
    return body_with(base(op), rentPeriod=1)


@recipe(1229, ["renew_rent"])
def renew_too_short(env: Env, op: str) -> Req:
    """Rent the example number (7 days at least), then renew it for one day."""
    rent = env.ok(base("rent_number"))["info"]["rentId"]
    return body_with(path_with(base(op), rentId=rent), rentPeriod=1)


@recipe(1231, ["rent_number"])
def rented_already(env: Env, op: str) -> Req:
    """Rent the number of the example rental."""
    number_id = env.call("get_rent_status", rentId=EXAMPLE_IDS["rentId"])["info"]["numberId"]
    return body_with(base(op), numberId=number_id, rentPeriod=30)


@recipe(1443, ["delete_contact_from_optouts_list"])
def opted_out_by_link(env: Env, op: str) -> Req:
    """Remove a number that opted out through the opt-out link."""
    made = env.control("optout-link", {"phoneNumber": VALID_NUMBER})
    return path_with(base(op), optoutId=made["id"])


@recipe(1812, ["update_template"])
def template_locked(env: Env, op: str) -> Req:
    """Edit the example Viber template, which approval locked."""
    return path_with(base(op), templateId=EXAMPLE_IDS["viberTemplateId"])


@recipe(1131, MULTICHANNEL)
def channel_inactive(env: Env, op: str) -> Req:
    """A strategy through Viber while the account's Viber channel is inactive."""
    env.control("account", {"channels": {"viber": False}})
    return base(op)


def _with_template(req: Req, tid: int) -> Req:
    """``req`` sending template ``tid`` (a multichannel one through its first step)."""
    if "strategy" in req.body:
        strategy = [dict(step) for step in req.body["strategy"]]
        strategy[0] = {"channel": strategy[0]["channel"], "templateId": tid}
        return body_with(req, strategy=strategy)
    return body_with(req, templateId=tid)


def _channel(op: str) -> str:
    return "whatsapp" if "whatsapp" in op else "viber"


@recipe(1132, TEMPLATE_SENDS)
def template_not_approved(env: Env, op: str) -> Req:
    """A send with a template still waiting for approval."""
    return _with_template(base(op), env.template(_channel(op), "Pending {{firstName}}", approved=False, locked=False))


@recipe(1133, TEMPLATE_SENDS)
def template_not_locked(env: Env, op: str) -> Req:
    """A send with a template approved but not locked yet."""
    return _with_template(base(op), env.template(_channel(op), "Unlocked {{firstName}}", approved=True, locked=False))


@recipe(1128, TEMPLATE_SENDS)
def template_unknown(env: Env, op: str) -> Req:
    """A send with a template id no template has."""
    return _with_template(base(op), 999999)


@recipe(1112, TEMPLATE_SENDS)
def template_tracks_unknown_link(env: Env, op: str) -> Req:
    """A send with a template that tracks a short link that does not exist."""
    return _with_template(base(op), env.template(_channel(op), "Offer {{shortlink:Nope42}}"))


@recipe(1112, [op for op in SMS_TEXT if "multichannel" not in op])
def text_tracks_unknown_link(env: Env, op: str) -> Req:
    """An SMS whose text tracks a short link that does not exist."""
    return body_with(base(op), text="Offer {{shortlink:Nope42}}")


# -- multichannel strategies -----------------------------------------------------------------------------
def _strategy(op: str, *steps: Dict[str, Any]) -> Req:
    return body_with(base(op), strategy=list(steps))


VIBER_STEP = {"channel": "viber", "templateId": EXAMPLE_IDS["viberTemplateId"]}
SMS_STEP = {"channel": "sms", "text": "Your order is on its way."}


@recipe(1107, MULTICHANNEL)
def sms_step_without_text(env: Env, op: str) -> Req:
    """A strategy whose SMS step has no text."""
    return _strategy(op, VIBER_STEP, {"channel": "sms"})


@recipe(1122, MULTICHANNEL)
def sms_not_last(env: Env, op: str) -> Req:
    """A strategy that does not end with SMS."""
    return _strategy(op, SMS_STEP, VIBER_STEP)


@recipe(1126, MULTICHANNEL)
def template_step_without_template(env: Env, op: str) -> Req:
    """A strategy whose Viber step names no template."""
    return _strategy(op, {"channel": "viber"}, SMS_STEP)


@recipe(1129, MULTICHANNEL)
def channel_twice(env: Env, op: str) -> Req:
    """A strategy that goes through Viber twice."""
    return _strategy(op, VIBER_STEP, VIBER_STEP, SMS_STEP)


# -- other rules -----------------------------------------------------------------------------------------
@recipe(1102, CAMPAIGNS + CAMPAIGN_ESTIMATES)
def empty_group(env: Env, op: str) -> Req:
    """A campaign to a group without contacts."""
    return body_with(base(op), groups=[env.group()])


@recipe(1103, [op for op in CAMPAIGNS + CAMPAIGN_ESTIMATES if op in documenting(1103)])
def group_too_big(env: Env, op: str) -> Req:
    """A campaign to a group of more than 25000 numbers (put in place directly: fast)."""
    big = add_group(env.sb, "Everyone", [("+3361{:07d}".format(i), {}) for i in range(25001)])
    return body_with(base(op), groups=[big])


@recipe(1116, ALL_SENDS)
def scheduled_in_the_past(env: Env, op: str) -> Req:
    """A send scheduled for a date that has passed."""
    return body_with(base(op), scheduledDate="2020-01-01 09:00:00")


@recipe(1136, documenting(1136))
def random_length_not_a_number(env: Env, op: str) -> Req:
    """A text with a random placeholder whose length is not a number."""
    return body_with(base(op), text="Code {{numbers:abc}}")


@recipe(1137, documenting(1137))
def random_length_out_of_range(env: Env, op: str) -> Req:
    """A text with a random placeholder longer than 20 characters."""
    return body_with(base(op), text="Code {{numbers:25}}")


@recipe(1811, ["create_template"])
def viber_text_too_long(env: Env, op: str) -> Req:
    """A Viber template of 1001 characters."""
    return body_with(base(op), channel="viber", text="x" * 1001)


@recipe(1811, ["update_template"])
def viber_text_made_too_long(env: Env, op: str) -> Req:
    """Edit a Viber template still under review to 1001 characters."""
    tid = env.template("viber", "Short", approved=False, locked=False)
    return body_with(path_with(base(op), templateId=tid), text="x" * 1001)


@recipe(1823, documenting(1823))
def period_ends_before_it_starts(env: Env, op: str) -> Req:
    """A report from the end of June back to its start."""
    return query_with(base(op), period=None, start_date="2024-06-30", end_date="2024-06-01")


@recipe(1824, documenting(1824))
def period_and_dates(env: Env, op: str) -> Req:
    """A report given both a period and dates."""
    return query_with(base(op), start_date="2024-06-01", end_date="2024-06-30")


@recipe(1600, ["get_access_token"], type_="invalid_scope")
def unknown_scope(env: Env, op: str) -> Req:
    """A token for a scope that does not exist."""
    return replace(base(op), form={"grant_type": "client_credentials", "scope": "sms everything"})


@recipe(1600, ["get_access_token"], type_="invalid_client")
def wrong_secret(env: Env, op: str) -> Req:
    """A token asked with a wrong application secret."""
    return replace(base(op), basic_auth="wrong")


# -- OTP -------------------------------------------------------------------------------------------------
PIN = str(EXAMPLE_IDS["otpPin"])


def _verify(pin: str) -> Req:
    return body_with(base("verify_otp"), pin=pin)


@recipe(2023, ["verify_otp"])
def verified_already(env: Env, op: str) -> Req:
    """Verify the example OTP a second time."""
    env.ok(_verify(PIN))
    return _verify(PIN)


@recipe(2024, ["verify_otp"])
def verify_cancelled(env: Env, op: str) -> Req:
    """Verify the example OTP after cancelling it."""
    env.ok(base("cancel_otp"))
    return _verify(PIN)


@recipe(2025, ["verify_otp"])
def verify_expired(env: Env, op: str) -> Req:
    """Verify the example OTP after its 30 minutes."""
    env.advance(31 * 60)
    return _verify(PIN)


def _use_up_attempts(env: Env) -> Req:
    """Wrong PINs until one attempt is left; the last wrong one."""
    left = env.call("get_otp_status", otpId=EXAMPLE_IDS["otpId"])["maxAttempts"]
    for _ in range(left - 1):
        assert env.send(_verify("000000")).error()[2] == 2029
    return _verify("000000")


@recipe(2026, ["verify_otp"])
def last_attempt_wrong(env: Env, op: str) -> Req:
    """The last allowed attempt with a wrong PIN."""
    return _use_up_attempts(env)


@recipe(2027, ["verify_otp"])
def verify_failed(env: Env, op: str) -> Req:
    """Verify once more after the attempts were used up."""
    env.send(_use_up_attempts(env))
    return _verify(PIN)


@recipe(2029, ["verify_otp"])
def wrong_pin(env: Env, op: str) -> Req:
    """Verify the example OTP with a wrong PIN."""
    return _verify("000000")


@recipe(2030, ["cancel_otp"])
def cancelled_already(env: Env, op: str) -> Req:
    """Cancel the example OTP twice."""
    env.ok(base(op))
    return base(op)


@recipe(2031, ["cancel_otp"])
def cancel_verified(env: Env, op: str) -> Req:
    """Cancel the example OTP after it was verified."""
    env.ok(_verify(PIN))
    return base(op)


# -- the cases ---------------------------------------------------------------------------------------------
CASES = sorted(set(DERIVED) | set(HAND))


@pytest.mark.parametrize("key", CASES, ids=key_id)
def test_row(key: Key, smscx_sandbox: Sandbox) -> None:
    env = Env(smscx_sandbox)
    hand = HAND.get(key)
    if hand is not None:
        what, req = hand.make.__doc__ or hand.make.__name__, hand.make(env, key[0])
    else:
        what, req = DERIVED[key].what, DERIVED[key].req
    answer = env.send(req)
    report = "{}\n{}\n-> {} {}".format(what, req, answer.status, json.dumps(answer.body)[:800])
    assert answer.error() == key[1:], report
    if hand is not None and hand.invalid is not None:
        assert hand.invalid in answer.body.get("invalid", []), report


def test_every_row_is_produced_or_marked_unreachable() -> None:
    derived, hand, unreachable = set(DERIVED), set(HAND), set(UNREACHABLE)
    assert not derived & hand, "rows with a derived case and a recipe: {}".format(sorted(map(key_id, derived & hand)))
    assert not (derived | hand) & unreachable, "rows produced yet marked x-unreachable: {}".format(
        sorted(map(key_id, (derived | hand) & unreachable))
    )
    missing = ALL_ROWS - derived - hand - unreachable
    assert not missing, "rows with no case and no x-unreachable reason: {}".format(sorted(map(key_id, missing)))
    assert not unreachable - ALL_ROWS


def test_the_example_requests_succeed(smscx_sandbox: Sandbox) -> None:
    # the derived cases break one rule of these requests: each must be accepted as it is
    env = Env(smscx_sandbox)
    for op in ROWS:
        smscx_sandbox.reset()
        answer = env.send(base(op))
        assert 200 <= answer.status < 300, "{}\n-> {} {}".format(base(op), answer.status, answer.body)
