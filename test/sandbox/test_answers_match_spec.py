"""The sandbox's answers validate against the spec's response schemas, formats checked: the
shapes the spec once got wrong (time stamps, maps written with a placeholder key, oneOfs that
matched several branches, the text left out by ``noTextDetails``) as the sandbox sends them."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from typing import Any, Dict

import pytest
import spec_validation as sv
from support import add_group, inbound, raw_call

from smscx_client.exceptions import ApiException
from smscx_client.sandbox import Sandbox

FR, DE = "+33612345678", "+4915112345678"


def answer(sb: Sandbox, method: str, path: str, body: Any = None, status: int = 200, **params: Any) -> Any:
    """The JSON answer of a raw call, checked against the schema documented for ``status``."""
    query = params.pop("query", None)
    data = raw_call(sb.api_client(max_retries=0), method, path, body, path_params=params or None, query=query).data
    assert sv.errors(sv.response_schema(method, path, status), data) == [], data
    return data


def error_answer(sb: Sandbox, method: str, path: str, body: Any, **params: Any) -> Dict[str, Any]:
    """The JSON body of a 400, checked against the schema documented for it."""
    with pytest.raises(ApiException) as err:
        raw_call(sb.api_client(max_retries=0), method, path, body, path_params=params)
    assert err.value.status == 400
    data: Dict[str, Any] = json.loads(err.value.body)
    assert sv.errors(sv.response_schema(method, path, 400), data) == [], data
    return data


@pytest.mark.parametrize("channel,traffic", [("sms", "transactional"), ("sms", "2way"), ("viber", "promotional"), ("whatsapp", "transactional")])
def test_price_lists(smscx_sandbox: Sandbox, channel: str, traffic: str) -> None:
    prices = answer(smscx_sandbox, "GET", "/account/pricing/{channel}/{trafficType}", channel=channel, trafficType=traffic)
    assert "countryCode" not in prices and len(prices) > 100
    one = answer(
        smscx_sandbox,
        "GET",
        "/account/pricing/{channel}/{trafficType}/{countryIso}",
        channel=channel,
        trafficType=traffic,
        countryIso="FR",
    )
    assert list(one) == ["FR"] and one["FR"] == prices["FR"]


def test_summary_reports_of_every_dimension(smscx_sandbox: Sandbox) -> None:
    sb = smscx_sandbox
    answer(sb, "POST", "/sms", {"to": [FR, DE], "from": "Brand", "text": "Hello"})
    month = sb.state.clock.utc().strftime("%Y-%m")
    for dimension in ("source", "channel", "country", "traffic", "delivery"):
        report = answer(sb, "GET", "/reports/summary/{dimension}", dimension=dimension, query={"period": month})
        assert report["data"], dimension
    empty = answer(sb, "GET", "/reports/summary/{dimension}", dimension="country", query={"period": "2001"})
    assert empty == {"data": {}}


def test_a_send_with_every_time_stamp_and_without_text_details(smscx_sandbox: Sandbox) -> None:
    sb = smscx_sandbox
    later = (sb.state.clock.utc() + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S")  # as the SDK sends it
    track = str(uuid.uuid4())
    body = {"to": [FR], "from": "Brand", "text": "Later", "noTextDetails": True, "trackData": track}
    sent = answer(sb, "POST", "/sms", dict(body, scheduledDate=later))
    row = sent["data"][0]
    assert "text" not in row and row["trackData"] == track and row["scheduledAt"] == later.replace("T", " ")
    report = answer(sb, "GET", "/reports/single/{msgId}", msgId=row["msgId"])
    assert report["data"]["createdAt"][10] == " "


def test_conversation_reply_counts_numbers_by_country(smscx_sandbox: Sandbox) -> None:
    sb = smscx_sandbox
    conversation = inbound(sb, FR, "Is my order ready?")["conversationId"]
    reply = answer(sb, "POST", "/conversations/{conversationId}/sms", {"text": "Yes"}, conversationId=conversation)
    assert reply["info"]["phoneNumbersByCountry"] == {"FR": 1}


def test_bulk_lookups_count_numbers_by_country(smscx_sandbox: Sandbox) -> None:
    sb = smscx_sandbox
    numbers = {"phoneNumbers": [FR, DE, "+33612345679", "bad"]}
    checked = answer(sb, "POST", "/numbers/validate", numbers)
    started = answer(sb, "POST", "/numbers/lookup", numbers)
    bulk = started["info"]["lookupBulkId"]
    sb.advance(5)
    status = answer(sb, "GET", "/numbers/lookup/lookupBulkId/{lookupBulkId}", lookupBulkId=bulk)
    for info in (checked["info"], started["info"], status["info"]):
        assert info["phoneNumbersByCountry"] == {"FR": 2, "DE": 1}


def test_groups_of_long_names_and_both_add_contacts_errors(smscx_sandbox: Sandbox) -> None:
    sb = smscx_sandbox
    name = "G" * 60
    created = answer(sb, "POST", "/groups", {"name": name}, status=201)
    assert created["info"]["name"] == name
    assert [g["name"] for g in answer(sb, "GET", "/groups")["data"]] == [name]
    gid = add_group(sb, "Other", [])
    plain = error_answer(sb, "POST", "/groups/{groupId}", {"phoneNumbers": []}, groupId=gid)
    listed = error_answer(sb, "POST", "/groups/{groupId}", {"phoneNumbers": ["+3361234"]}, groupId=gid)
    assert "invalid" not in plain and listed["invalid"] == ["+3361234"]


def test_the_checks_above_catch_a_wrong_answer() -> None:
    schema = sv.response_schema("GET", "/account/pricing/{channel}/{trafficType}", 200)
    assert sv.errors(schema, {"countryCode": {"FR": {"Orange": 0.045}}})  # the old placeholder shape
    assert sv.errors(schema, {"FR": {"TRANSACTIONAL": 0.03}})  # half a Viber price
    lookup = sv.response_schema("POST", "/numbers/validate", 200)
    wrong: Dict[str, Any] = {"info": {"totalPhoneNumbers": 1, "totalValid": 1, "totalInvalid": 0}, "data": []}
    wrong["info"]["phoneNumbersByCountry"] = {"countryCode": {"FR": 1}}
    assert sv.errors(lookup, wrong)
    sent = sv.response_schema("POST", "/sms", 200)
    row = {"msgId": str(uuid.uuid4()), "status": "ACCEPTED", "statusCode": 1, "errorCode": None, "inQuietHours": False,
           "cost": 0.045, "to": FR, "countryIso": "FR", "from": "Brand", "parts": 1}  # fmt: skip
    info = {"campaignId": str(uuid.uuid4()), "totalPhoneNumbers": 1, "totalValid": 1, "totalInvalid": 0, "totalCost": 0.045,
            "totalParts": 1, "dlrCallbackUrl": None, "scheduled": False}  # fmt: skip
    assert sv.errors(sent, {"info": info, "data": [dict(row, createdAt="2024-06-12 09:30:00")]}) == []
    assert sv.errors(sent, {"info": info, "data": [dict(row, createdAt="2024-06-12T09:30:00Z")]})
