"""The opt-out list against the sandbox, through OptoutsApi: adding, paging, removal, exports, webhook."""

from __future__ import annotations

import csv
import io
import os
from datetime import datetime
from typing import Any, List

import pytest
from support import Receiver, api_fixture, check_paging, control_error, expect_error, raw_call, xlsx_rows

from smscx_client.api.optouts_api import OptoutsApi
from smscx_client.exceptions import (
    AccessDeniedException,
    InvalidPhoneNumberException,
    InvalidRequestException,
    ResourceNotFoundException,
)
from smscx_client.model.add_contacts_to_group_request import AddContactsToGroupRequest
from smscx_client.model.call_back_request_new_optout import CallBackRequestNewOptout
from smscx_client.webhooks import parse_callback

FR1, FR2, FR3 = "+33612345678", "+33612345679", "+33612345670"
GB1 = "+447400123456"
CAMPAIGN = "55ebb698-1e0b-43ec-b350-d1ed1276cba5"


optouts = api_fixture(OptoutsApi, downloads=True)


def _add(optouts: OptoutsApi, numbers: List[str], **extra: Any) -> Any:
    return optouts.add_contact_to_optouts_list(AddContactsToGroupRequest(phone_numbers=numbers, **extra))


def test_add_and_list(smscx_sandbox: Any, optouts: OptoutsApi) -> None:
    info = _add(optouts, [FR1, "06 12 34 56 79", FR1, GB1], country_iso="FR").info
    assert (
        info.total_phone_numbers,
        info.total_valid,
        info.total_duplicates,
        info.total_invalid,
        info.invalid,
    ) == (4, 3, 1, 0, [])
    assert smscx_sandbox.state.account.is_opted_out(FR2)

    # already listed numbers are duplicates; the new one is added
    info = _add(optouts, [FR1, FR3, "12345"], allow_invalid=True).info
    assert (info.total_valid, info.total_duplicates, info.total_invalid, info.invalid) == (1, 1, 1, ["12345"])

    listed = optouts.get_optouts_list()
    assert (listed.info.id, listed.info.link, listed.info.total) == (
        "sbxoptout",
        "https://optout.sandbox.invalid/sbxoptout",
        4,
    )
    assert [o.phone_number for o in listed.data] == [FR3, GB1, FR2, FR1]  # newest first
    entry = listed.data[1]
    assert entry.to_dict().keys() == {"id", "phone_number", "country_iso", "optout_from", "datetime"}
    assert (entry.id, entry.country_iso, entry.optout_from) == (3, "GB", "admin")
    assert (
        abs(
            (
                datetime.strptime(entry.datetime, "%Y-%m-%d %H:%M:%S")
                - datetime.strptime(smscx_sandbox.state.clock.fmt(), "%Y-%m-%d %H:%M:%S")
            ).total_seconds()
        )
        < 60
    )
    assert listed.paging.size == 4 and listed.paging.next is None and listed.paging.previous is None


def test_add_errors(optouts: OptoutsApi) -> None:
    _add(optouts, [FR1])
    expect_error(InvalidRequestException, 1441, _add, optouts, [FR1])  # nothing new
    expect_error(InvalidRequestException, 1441, _add, optouts, ["12345"], allow_invalid=True)  # nothing valid
    err = expect_error(InvalidPhoneNumberException, 1210, _add, optouts, [FR2, "12345"])
    assert err.invalid == ["12345"]
    err = expect_error(
        InvalidPhoneNumberException, 1210, _add, optouts, ["+3361"]
    )  # 1207 is not documented here
    assert err.invalid == ["+3361"]
    for body, code in [
        (None, 1007),
        ({"phoneNumbers": []}, 1203),
        ({"phoneNumbers": FR2}, 1208),
        ({"phoneNumbers": [FR2, 7]}, 1208),
        ({"phoneNumbers": [FR2], "allowInvalid": 1}, 1008),
        # the body is AddContactsToGroupRequest: numbers as strings, not contact objects
        ({"phoneNumbers": [{"phoneNumber": "0612345679", "countryIso": "FR"}]}, 1208),
    ]:
        expect_error(
            InvalidRequestException, code, raw_call, optouts.api_client, "POST", "/optouts", body=body
        )
    assert optouts.get_optouts_list().info.total == 1


def test_paging(optouts: OptoutsApi) -> None:
    numbers = ["+3361234567%d" % i for i in range(5)]
    for n in numbers:
        _add(optouts, [n])
    check_paging(optouts.get_optouts_list, lambda o: o.phone_number, numbers[::-1])  # newest first
    assert optouts.get_optouts_list(limit=2).info.total == 5
    for query in ({"limit": "0"}, {"limit": "501"}, {"limit": "two"}, {"previous": "!!"}):
        expect_error(
            InvalidRequestException, 1008, raw_call, optouts.api_client, "GET", "/optouts", query=query
        )


def test_delete(smscx_sandbox: Any, optouts: OptoutsApi) -> None:
    _add(optouts, [FR1, FR2])
    with smscx_sandbox.state.lock:  # an opt-out made through the opt-out link
        link = smscx_sandbox.state.account.add_optout(GB1, "GB", smscx_sandbox.now(), source="link")
    assert optouts.get_optouts_list().data[0].optout_from == "link"

    deleted = optouts.delete_contact_from_optouts_list(1)
    assert (deleted.info.id, deleted.info.phone_number) == ("1", FR1)
    assert not smscx_sandbox.state.account.is_opted_out(FR1)
    assert [o.id for o in optouts.get_optouts_list().data] == [link.id, 2]
    expect_error(ResourceNotFoundException, 1202, optouts.delete_contact_from_optouts_list, 1)
    expect_error(AccessDeniedException, 1443, optouts.delete_contact_from_optouts_list, link.id)
    for bad in ("abc", "0", "-2", "2.0"):
        expect_error(
            ResourceNotFoundException,
            1202,
            raw_call,
            optouts.api_client,
            "DELETE",
            "/optouts/{optoutId}",
            path_params={"optoutId": bad},
        )
    assert optouts.get_optouts_list().info.total == 2


def test_exports(optouts: OptoutsApi) -> None:
    header = "id,phoneNumber,countryIso,optoutFrom,datetime,campaignId,groupId"
    assert optouts.export_optouts_to_csv().splitlines() == [header]
    with optouts.export_optouts_to_xlsx() as f:
        assert xlsx_rows(f.name) == [header.split(",")]
    _add(optouts, [FR1, GB1])
    rows = list(csv.DictReader(io.StringIO(optouts.export_optouts_to_csv())))
    assert [(r["id"], r["phoneNumber"], r["countryIso"], r["optoutFrom"], r["campaignId"]) for r in rows] == [
        ("2", GB1, "GB", "admin", ""),
        ("1", FR1, "FR", "admin", ""),
    ]
    with optouts.export_optouts_to_xlsx() as f:
        assert os.path.basename(f.name).endswith("optouts.xlsx")
        sheet = xlsx_rows(f.name)
    assert [r[1] for r in sheet[1:]] == [GB1, FR1]


def test_new_optout_webhook(smscx_sandbox: Any, optouts: OptoutsApi, receiver: Receiver) -> None:
    sb = smscx_sandbox
    _add(optouts, [FR1])
    assert sb.webhooks == []  # no callback URL configured
    with sb.state.lock:
        sb.state.account.optout_callback_url = receiver.url
    _add(optouts, [FR2, GB1])
    hooks = sb.webhooks
    assert [(h["event"], h["url"], h["outcome"]) for h in hooks] == [("new_optout", receiver.url, "pending")]
    sb.advance(0)
    assert sb.webhooks[0]["outcome"] == "delivered"
    (callback,) = receiver.wait(1)
    body = parse_callback(callback.body)
    assert isinstance(body, CallBackRequestNewOptout)
    assert body.event == "new_optout"
    assert [(d.phone_number, d.country_iso, d.optout_type, d.hit_id, d.optout_id) for d in body.data] == [
        (FR2, "FR", "admin", 0, "sbxoptout"),
        (GB1, "GB", "admin", 0, "sbxoptout"),
    ]
    assert body.data[0].optout_url == "https://optout.sandbox.invalid/sbxoptout"
    assert body.data[0].campaign_id is None and body.data[0].group_id is None
    datetime.strptime(body.data[0].datetime, "%Y-%m-%d %H:%M:%S")


def test_new_optout_webhook_batches_of_200(smscx_sandbox: Any, optouts: OptoutsApi) -> None:
    with smscx_sandbox.state.lock:
        smscx_sandbox.state.account.optout_callback_url = "http://127.0.0.1:9/unused"
    _add(optouts, ["+33612%06d" % i for i in range(201)])
    assert [len(h["body"]["data"]) for h in smscx_sandbox.webhooks] == [200, 1]


def test_an_opt_out_through_the_link(smscx_sandbox: Any, optouts: OptoutsApi, receiver: Receiver) -> None:
    sb = smscx_sandbox
    with sb.state.lock:
        sb.state.account.optout_callback_url = receiver.url
    made = sb.control("POST", "optout-link", {"phoneNumber": GB1, "campaignId": CAMPAIGN})
    assert made == {"id": 1, "phoneNumber": GB1, "optoutFrom": "link"}
    listed = optouts.get_optouts_list().data[0]
    assert (listed.phone_number, listed.optout_from, listed.campaign_id) == (GB1, "link", CAMPAIGN)
    # the API does not let you remove what the recipient chose
    expect_error(AccessDeniedException, 1443, optouts.delete_contact_from_optouts_list, 1)
    sb.advance(0)
    (callback,) = receiver.wait(1)
    (entry,) = parse_callback(callback.body).data
    assert (entry.phone_number, entry.optout_type, entry.campaign_id) == (GB1, "link", CAMPAIGN) and entry.hit_id > 0
    # a number listed already stays as it is, without another webhook
    assert sb.control("POST", "optout-link", {"phoneNumber": GB1}) == made
    assert len(sb.webhooks) == 1


@pytest.mark.parametrize("body", [{}, {"phoneNumber": "+3361"}, {"phoneNumber": 33612345678}, {"phoneNumber": FR1, "campaignId": 5}, {"phoneNumber": FR1, "campaignId": "c-1"}])
def test_an_opt_out_through_the_link_needs_a_valid_number(smscx_sandbox: Any, body: Any) -> None:
    status, answer = control_error(smscx_sandbox, "optout-link", body)
    assert (status, answer["error"]["code"]) == (400, 1009)
