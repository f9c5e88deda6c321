"""Shortlinks against the sandbox: lifecycle, hits (paged, CSV, XLSX), callbacks, documented errors."""

from __future__ import annotations

import csv
import io
import re
from typing import Any, Dict, Tuple

import pytest
from support import Receiver, api_fixture, check_paging, control_error, raw_call, xlsx_rows

from smscx_client.api.shortlinks_api import ShortlinksApi
from smscx_client.exceptions import (
    ApiValueError,
    DuplicateValueException,
    InvalidRequestException,
    ResourceNotFoundException,
)
from smscx_client.model.shortlink_new_request import ShortlinkNewRequest
from smscx_client.model.shortlink_update_request import ShortlinkUpdateRequest
from smscx_client.webhooks import parse_callback

CAMPAIGN = "0b8f8f5e-1c1d-4c1e-9a8a-1234567890ab"
DATETIME = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")


api = api_fixture(ShortlinksApi, downloads=True)


def _create(api: ShortlinksApi, url: str = "https://shop.example/sale", name: Any = None) -> str:
    req = ShortlinkNewRequest(url=url) if name is None else ShortlinkNewRequest(url=url, name=name)
    return api.create_shortlink(req).info.id


def _hit(sb: Any, short_id: str, **fields: Any) -> Dict[str, Any]:
    result: Dict[str, Any] = sb.control("POST", "shortlink-hit", dict(fields, shortId=short_id))
    return result


def _code(err: Any) -> Tuple[int, str, int]:
    return err.value.status, err.value.error_type, err.value.error_code


# -- create -------------------------------------------------------------------------------
def test_create_named(api: ShortlinksApi, smscx_sandbox: Any) -> None:
    data, status, _ = api.create_shortlink(
        ShortlinkNewRequest(url="https://shop.example/sale?x=1", name="Summer sale"),
        _return_http_data_only=False,
    )
    assert status == 201
    info = data.info
    assert re.fullmatch(r"[A-Za-z0-9]{6}", info.id)
    assert info.name == "Summer sale"
    assert info.original_url == "https://shop.example/sale?x=1"
    assert info.short_url == "https://sandbox.test/" + info.id
    with smscx_sandbox.state.lock:
        record = smscx_sandbox.state.account.shortlinks.get(info.id)
    assert record.url == "https://shop.example/sale?x=1" and record.hits == []


def test_create_unnamed_gets_a_numbered_name(api: ShortlinksApi) -> None:
    first, second = _create(api), _create(api, "http://localhost:8080/a")
    names = {s.id: s.name for s in api.get_shortlinks_list().data}
    assert names == {first: "Short link #1", second: "Short link #2"}
    assert first != second


@pytest.mark.parametrize("url, code", [("", 1401), ("   ", 1402)])  # blanks are no URL
def test_create_empty_url(api: ShortlinksApi, url: str, code: int) -> None:
    with pytest.raises(InvalidRequestException) as err:
        raw_call(api.api_client, "POST", "/shortlinks", {"url": url})
    assert _code(err) == (400, "invalid_param", code)
    with pytest.raises(ApiValueError):  # the spec's minLength: the SDK refuses "" before sending
        api.create_shortlink(ShortlinkNewRequest(url=""))


@pytest.mark.parametrize(
    "body, error",
    [
        ({}, ("invalid_param", 1401)),
        ({"url": None}, ("invalid_param", 1401)),
        ({"name": "Promo"}, ("invalid_param", 1401)),
        ([], ("invalid_body", 1007)),  # no body, or one that is no object
        (None, ("invalid_body", 1007)),
        ("https://x.example", ("invalid_body", 1007)),
    ],
)
def test_create_missing_url(api: ShortlinksApi, body: Any, error: Tuple[str, int]) -> None:
    with pytest.raises(InvalidRequestException) as err:
        raw_call(api.api_client, "POST", "/shortlinks", body)
    assert _code(err) == (400, *error)


@pytest.mark.parametrize(
    "url",
    ["not a url", "shop.example", "ftp://shop.example/x", "https://", "https://nodot", "http://a b.example"],
)
def test_create_malformed_url(api: ShortlinksApi, url: str) -> None:
    with pytest.raises(InvalidRequestException) as err:
        api.create_shortlink(ShortlinkNewRequest(url=url))
    assert _code(err) == (400, "invalid_param", 1402)


@pytest.mark.parametrize(
    "url", [42, ["https://x.example"], {"u": 1}, True, "https://x.example/" + "a" * 2048]
)
def test_create_url_of_wrong_type_or_too_long(api: ShortlinksApi, url: Any) -> None:
    with pytest.raises(InvalidRequestException) as err:
        raw_call(api.api_client, "POST", "/shortlinks", {"url": url})
    assert _code(err) == (400, "invalid_param", 1402)


@pytest.mark.parametrize("name", ["ab", "x" * 26, "   ", 12345, ["abc"]])
def test_create_bad_name(api: ShortlinksApi, name: Any) -> None:
    with pytest.raises(InvalidRequestException) as err:
        raw_call(api.api_client, "POST", "/shortlinks", {"url": "https://shop.example", "name": name})
    assert _code(err) == (400, "invalid_param", 1404)
    assert api.get_shortlinks_list().data == []


def test_create_name_limits(api: ShortlinksApi) -> None:
    _create(api, name="abc")
    _create(api, name="y" * 25)
    assert sorted(s.name for s in api.get_shortlinks_list().data) == ["abc", "y" * 25]


# -- list and hits ------------------------------------------------------------------------
def test_list_newest_first_with_hit_counts(api: ShortlinksApi, smscx_sandbox: Any) -> None:
    old = _create(api, "https://a.example", "Old one")
    smscx_sandbox.advance(10)
    new = _create(api, "https://b.example", "New one")
    _hit(smscx_sandbox, old)
    _hit(smscx_sandbox, old)
    listed = api.get_shortlinks_list().data
    assert [s.id for s in listed] == [new, old]
    assert [s.hits for s in listed] == [0, 2]
    assert listed[1].original_url == "https://a.example"
    assert listed[1].short_url == "https://sandbox.test/" + old
    assert DATETIME.match(listed[0].date_created)
    assert listed[0].date_created > listed[1].date_created


def test_empty_list(api: ShortlinksApi) -> None:
    assert api.get_shortlinks_list().data == []


def test_hits_in_detail(api: ShortlinksApi, smscx_sandbox: Any) -> None:
    sid = _create(api, name="Promo")
    first = _hit(smscx_sandbox, sid, phoneNumber="+33612345678", campaignId=CAMPAIGN, groupId=7)
    smscx_sandbox.advance(5)
    second = _hit(
        smscx_sandbox,
        sid,
        device="desktop",
        browser="Edge",
        ipAddress="203.0.113.77",
        countryIso="de",
        city="Berlin",
        referrer="https://news.example/",
    )
    assert second["hitId"] == first["hitId"] + 1
    got = api.get_shortlink_hits(sid)
    assert got.info.id == sid and got.info.name == "Promo" and got.info.hits == 2
    assert got.info.original_url == "https://shop.example/sale"
    assert [h.hit_id for h in got.data] == [second["hitId"], first["hitId"]]  # newest first
    newest, oldest = got.data
    assert (newest.device, newest.browser, newest.os, newest.brand) == ("desktop", "Edge", "Windows", "Dell")
    assert newest.ip_address == "203.0.113.0"  # anonymised
    assert (newest.country_iso, newest.city, newest.referrer) == ("DE", "Berlin", "https://news.example/")
    assert newest.phone_number is None and newest.campaign_id is None and newest.group_id is None
    assert (oldest.device, oldest.os, oldest.brand, oldest.model) == (
        "mobile",
        "Android",
        "Samsung",
        "Galaxy S23",
    )
    assert (oldest.phone_number, oldest.phone_number_country_iso) == ("+33612345678", "FR")
    assert (oldest.campaign_id, oldest.group_id) == (CAMPAIGN, "7")
    assert oldest.referrer is None
    assert DATETIME.match(oldest.datetime) and newest.datetime > oldest.datetime
    assert got.paging.size == 2 and got.paging.next is None and got.paging.previous is None
    # the hit shape is strict (additionalProperties: false): exactly the documented keys
    assert set(got.data[0].to_dict()) <= {
        "hit_id", "device", "browser", "browser_version", "os", "os_version", "brand", "model",
        "screen_resolution", "accept_language", "referrer", "ip_address", "country_iso", "city", "datetime",
        "phone_number", "phone_number_country_iso", "campaign_id", "group_id",
    }  # fmt: skip


def test_hits_short_response(api: ShortlinksApi, smscx_sandbox: Any) -> None:
    sid = _create(api)
    _hit(smscx_sandbox, sid)
    got = api.get_shortlink_hits(sid, short_response=True)
    assert got.data == [] and got.info.hits == 1 and got.paging.size == 0
    assert len(api.get_shortlink_hits(sid, short_response=False).data) == 1


def test_hits_paging(api: ShortlinksApi, smscx_sandbox: Any) -> None:
    sid = _create(api)
    ids = [_hit(smscx_sandbox, sid)["hitId"] for _ in range(5)][::-1]
    check_paging(lambda **q: api.get_shortlink_hits(sid, **q), lambda h: h.hit_id, ids)


@pytest.mark.parametrize("query", ["limit=0", "limit=501", "limit=x", "next=%25%25", "short_response=maybe"])
def test_hits_bad_query(api: ShortlinksApi, query: str) -> None:
    sid = _create(api)
    with pytest.raises(InvalidRequestException) as err:
        raw_call(api.api_client, "GET", "/shortlinks/{}?{}".format(sid, query), None)
    assert err.value.status == 400 and err.value.error_type == "invalid_param"


def test_hits_unknown_id(api: ShortlinksApi) -> None:
    with pytest.raises(ResourceNotFoundException) as err:
        api.get_shortlink_hits("nope00")
    assert _code(err) == (404, "not_found", 1400)


# -- update -------------------------------------------------------------------------------
def test_update_name_and_url(api: ShortlinksApi) -> None:
    sid = _create(api, name="Before")
    data, status, _ = api.update_shortlink(
        sid, ShortlinkUpdateRequest(name="After", url="https://new.example/"), _return_http_data_only=False
    )
    assert status == 200 and data.info.id == sid
    info = api.get_shortlink_hits(sid).info
    assert (info.name, info.original_url) == ("After", "https://new.example/")
    assert info.short_url == "https://sandbox.test/" + sid  # the short URL never changes


def test_update_one_field(api: ShortlinksApi) -> None:
    sid = _create(api, name="Before")
    assert raw_call(api.api_client, "PATCH", "/shortlinks/" + sid, {"name": "Renamed"}).data == {"info": {"id": sid}}
    assert raw_call(api.api_client, "PATCH", "/shortlinks/" + sid, {"url": "https://other.example"}).data == {
        "info": {"id": sid}
    }
    info = api.get_shortlink_hits(sid).info
    assert (info.name, info.original_url) == ("Renamed", "https://other.example")


def test_update_without_change_is_204(api: ShortlinksApi) -> None:
    sid = _create(api, name="Same")
    _, status, _ = api.update_shortlink(
        sid,
        ShortlinkUpdateRequest(name="Same", url="https://shop.example/sale"),
        _return_http_data_only=False,
    )
    assert status == 204
    assert (
        api.update_shortlink(sid, ShortlinkUpdateRequest(name="Same", url="https://shop.example/sale"))
        is None
    )


@pytest.mark.parametrize(
    "body, error",
    [
        ({}, ("invalid_param", 1406)),
        ({"other": "x"}, ("invalid_param", 1406)),
        ({"name": None, "url": None}, ("invalid_param", 1404)),  # null is no name: name's own row
        ([], ("invalid_body", 1007)),
        (None, ("invalid_body", 1007)),
    ],
)
def test_update_needs_name_or_url(api: ShortlinksApi, body: Any, error: Tuple[str, int]) -> None:
    sid = _create(api)
    with pytest.raises(InvalidRequestException) as err:
        raw_call(api.api_client, "PATCH", "/shortlinks/" + sid, body)
    assert _code(err) == (400, *error)


@pytest.mark.parametrize(
    "body, code",
    [
        ({"url": ""}, 1401),
        ({"url": "nope"}, 1402),
        ({"url": 5}, 1402),
        ({"name": "ab"}, 1404),
        ({"name": "z" * 26}, 1404),
        ({"name": 7}, 1404),
        ({"name": "Fine name", "url": "bad"}, 1402),
    ],
)
def test_update_invalid_values(api: ShortlinksApi, body: Dict[str, Any], code: int) -> None:
    sid = _create(api, name="Original")
    with pytest.raises(InvalidRequestException) as err:
        raw_call(api.api_client, "PATCH", "/shortlinks/" + sid, body)
    assert _code(err) == (400, "invalid_param", code)
    assert api.get_shortlink_hits(sid).info.name == "Original"  # nothing changed


def test_update_duplicate_name(api: ShortlinksApi) -> None:
    _create(api, name="Taken")
    sid = _create(api, name="Mine")
    with pytest.raises(DuplicateValueException) as err:
        api.update_shortlink(sid, ShortlinkUpdateRequest(name="Taken", url="https://shop.example/sale"))
    assert _code(err) == (400, "duplicate_value", 1407)


def test_update_unknown_id(api: ShortlinksApi) -> None:
    with pytest.raises(ResourceNotFoundException) as err:
        api.update_shortlink("nope00", ShortlinkUpdateRequest(name="Whatever", url="https://x.example"))
    assert _code(err) == (404, "not_found", 1400)


# -- delete -------------------------------------------------------------------------------
def test_delete_removes_link_and_hits(api: ShortlinksApi, smscx_sandbox: Any) -> None:
    keep, gone = _create(api), _create(api)
    _hit(smscx_sandbox, gone)
    assert api.delete_shortlink(gone).info.id == gone
    assert [s.id for s in api.get_shortlinks_list().data] == [keep]
    with pytest.raises(ResourceNotFoundException):
        api.get_shortlink_hits(gone)
    with pytest.raises(ResourceNotFoundException) as err:
        api.delete_shortlink(gone)
    assert _code(err) == (404, "not_found", 1400)


# -- exports ------------------------------------------------------------------------------
def test_csv_export(api: ShortlinksApi, smscx_sandbox: Any) -> None:
    sid = _create(api)
    first = _hit(smscx_sandbox, sid, phoneNumber="+447400123456", acceptLanguage="en-GB,en;q=0.9")
    second = _hit(smscx_sandbox, sid, device="tablet")
    rows = list(csv.DictReader(io.StringIO(api.export_shortlink_hits_to_csv(sid))))
    assert [int(r["hitId"]) for r in rows] == [second["hitId"], first["hitId"]]
    assert rows[1]["phoneNumber"] == "+447400123456" and rows[1]["phoneNumberCountryIso"] == "GB"
    assert rows[1]["acceptLanguage"] == "en-GB,en;q=0.9"  # a comma inside a field survives
    assert rows[0]["device"] == "tablet" and rows[0]["brand"] == "Apple" and rows[0]["phoneNumber"] == ""
    assert rows[0]["datetime"] == second["datetime"]


def test_csv_export_without_hits_is_the_header(api: ShortlinksApi) -> None:
    text = api.export_shortlink_hits_to_csv(_create(api))
    assert text.splitlines() == [
        "hitId,device,browser,browserVersion,os,osVersion,brand,model,screenResolution,acceptLanguage,referrer,"
        "ipAddress,countryIso,city,datetime,phoneNumber,phoneNumberCountryIso,campaignId,groupId"
    ]


def test_xlsx_export(api: ShortlinksApi, smscx_sandbox: Any) -> None:
    sid = _create(api)
    _hit(smscx_sandbox, sid, phoneNumber="+33612345678", city="Lyon")
    data, status, headers = api.export_shortlink_hits_to_xlsx(sid, _return_http_data_only=False)
    with data:
        raw = data.read()
    assert status == 200
    assert headers["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "shortlink-{}-hits.xlsx".format(sid) in headers["Content-Disposition"]
    header, row = xlsx_rows(raw)
    assert "hitId" in header and "+33612345678" in row and "Lyon" in row


def test_exports_unknown_id(api: ShortlinksApi) -> None:
    for export in (api.export_shortlink_hits_to_csv, api.export_shortlink_hits_to_xlsx):
        with pytest.raises(ResourceNotFoundException) as err:
            export("nope00")
        assert _code(err) == (404, "not_found", 1400)


# -- callbacks and the control action -----------------------------------------------------
def test_hit_callback_is_delivered(api: ShortlinksApi, smscx_sandbox: Any, receiver: Receiver) -> None:
    smscx_sandbox.control(
        "POST",
        "application",
        {"settings": {"shortlinks": {"shortlinksCallback": receiver.url_for("/hooks/links")}}},
    )
    sid = _create(api)
    hit = _hit(smscx_sandbox, sid, phoneNumber="+33612345678", campaignId=CAMPAIGN)
    smscx_sandbox.advance(0)  # delivers what is due now
    receiver.wait(1)
    assert [(r.method, r.path) for r in receiver.requests] == [("POST", "/hooks/links")]
    event = parse_callback(receiver.bodies[0])
    assert event.event == "shortlink_hit"
    (item,) = event.data
    assert (item.hit_id, item.shortlink_id, item.url) == (hit["hitId"], sid, "https://sandbox.test/" + sid)
    assert (item.phone_number, item.campaign_id, item.device) == ("+33612345678", CAMPAIGN, "mobile")
    assert item.datetime == hit["datetime"]
    hooks = smscx_sandbox.webhooks
    assert [(h["event"], h["outcome"], h["status"]) for h in hooks] == [("shortlink_hit", "delivered", 200)]


def test_untracked_hit_callback_has_no_phone_number(api: ShortlinksApi, smscx_sandbox: Any) -> None:
    smscx_sandbox.control(
        "POST", "application", {"settings": {"shortlinks": {"shortlinksCallback": "http://127.0.0.1:9/x"}}}
    )
    _hit(smscx_sandbox, _create(api))
    (hook,) = smscx_sandbox.webhooks
    assert "phoneNumber" not in hook["body"]["data"][0]  # the callback types it as a string
    assert hook["body"]["data"][0]["campaignId"] is None


def test_no_callback_without_a_url(api: ShortlinksApi, smscx_sandbox: Any) -> None:
    _hit(smscx_sandbox, _create(api))
    assert smscx_sandbox.webhooks == []


@pytest.mark.parametrize(
    "fields",
    [
        {"device": "watch"},
        {"device": ["mobile"]},
        {"phoneNumber": "12"},
        {"phoneNumber": 33612345678},
        {"campaignId": "not-a-uuid"},
        {"groupId": {"id": 1}},
        {"ipAddress": "999.1.1.1"},
        {"countryIso": "FRA"},
        {"browser": ""},
        {"city": None},
    ],
)
def test_hit_control_rejects_bad_fields(
    api: ShortlinksApi, smscx_sandbox: Any, fields: Dict[str, Any]
) -> None:
    sid = _create(api)
    status, err = control_error(smscx_sandbox, "shortlink-hit", dict(fields, shortId=sid))
    assert status == 400 and err["error"]["code"] == 1009
    assert api.get_shortlink_hits(sid).info.hits == 0


@pytest.mark.parametrize("body", [{"shortId": "nope00"}, {}, {"shortId": 5}])
def test_hit_control_unknown_link(smscx_sandbox: Any, body: Dict[str, Any]) -> None:
    status, err = control_error(smscx_sandbox, "shortlink-hit", body)
    assert status == 404 and err["error"]["type"] == "not_found"


def test_ipv6_visitor_is_anonymised(api: ShortlinksApi, smscx_sandbox: Any) -> None:
    hit = _hit(smscx_sandbox, _create(api), ipAddress="2001:db8:85a3::8a2e:370:7334")
    assert hit["ipAddress"] == "2001:db8:85a3::"
