"""Attachments against the sandbox: made by control action, listed, hits (paged, CSV, XLSX), callbacks, deleted."""

from __future__ import annotations

import csv
import io
from typing import Any, Dict

import pytest
from support import Receiver, api_fixture, check_paging, control_error, raw_call, xlsx_cells

from smscx_client.api.attachments_api import AttachmentsApi
from smscx_client.api.oauth_api import OauthApi
from smscx_client.exceptions import (
    ApiValueError,
    InsufficientScopeException,
    InvalidRequestException,
    ResourceNotFoundException,
)
from smscx_client.webhooks import parse_callback

api = api_fixture(AttachmentsApi, downloads=True)


def _upload(sb: Any, name: str = "menu.pdf", **fields: Any) -> Dict[str, Any]:
    made: Dict[str, Any] = sb.control("POST", "attachment", dict(fields, name=name))
    return made


def _visit(sb: Any, attachment_id: str, **fields: Any) -> Dict[str, Any]:
    hit: Dict[str, Any] = sb.control("POST", "attachment-hit", dict(fields, attachmentId=attachment_id))
    return hit


def _control_status(sb: Any, name: str, body: Any) -> int:
    """The HTTP status of a control request that must fail (400 bodies carry code 1009)."""
    status, answer = control_error(sb, name, body)
    assert answer["error"]["code"] in (1003, 1009)
    return status


def test_control_action_makes_an_attachment(api: AttachmentsApi, smscx_sandbox: Any) -> None:
    made = _upload(smscx_sandbox, "Price list 2025.pdf")
    key = made["id"]
    assert len(key) == 8 and key.isalnum()
    assert made["name"] == "Price list 2025.pdf"
    assert made["fileType"] == "application/pdf"
    assert made["fileUrl"] == "https://sandbox.test/files/{}/Price%20list%202025.pdf".format(key)
    assert made["shortUrl"] == "https://sandbox.test/a/" + key
    assert made["hits"] == 0
    (listed,) = api.get_attachments_list().data
    assert (listed.id, listed.name, listed.file_type, listed.file_url, listed.short_url, listed.hits) == (
        key, made["name"], made["fileType"], made["fileUrl"], made["shortUrl"], 0,
    )  # fmt: skip
    assert listed.date_created == made["dateCreated"]


def test_control_action_takes_file_url_and_type(smscx_sandbox: Any) -> None:
    made = _upload(smscx_sandbox, "logo", fileUrl="https://cdn.example/logo.png", fileType="image/png")
    assert (made["fileUrl"], made["fileType"]) == ("https://cdn.example/logo.png", "image/png")
    assert _upload(smscx_sandbox, "no-extension")["fileType"] == "application/octet-stream"


@pytest.mark.parametrize(
    "body", [{}, {"name": ""}, {"name": 3}, {"name": "a.pdf", "fileUrl": 5}, {"name": "a", "fileType": ""}]
)
def test_control_action_rejects_bad_input(
    api: AttachmentsApi, smscx_sandbox: Any, body: Dict[str, Any]
) -> None:
    assert _control_status(smscx_sandbox, "attachment", body) == 400
    assert api.get_attachments_list().data == []


def test_list_newest_first(api: AttachmentsApi, smscx_sandbox: Any) -> None:
    assert api.get_attachments_list().data == []
    old = _upload(smscx_sandbox, "old.pdf")["id"]
    smscx_sandbox.advance(60)
    new = _upload(smscx_sandbox, "new.pdf")["id"]
    _visit(smscx_sandbox, old)
    listed = api.get_attachments_list().data
    assert [(a.id, a.hits) for a in listed] == [(new, 0), (old, 1)]
    assert listed[0].date_created > listed[1].date_created


def test_hits(api: AttachmentsApi, smscx_sandbox: Any) -> None:
    key = _upload(smscx_sandbox)["id"]
    first = _visit(smscx_sandbox, key, phoneNumber="+40722123456", groupId="12")
    second = _visit(smscx_sandbox, key, device="tablet", countryIso="RO", city="Cluj-Napoca")
    got = api.get_attachment_hits(key)
    assert got.info.id == key and got.info.hits == 2 and got.info.file_type == "application/pdf"
    assert [h.hit_id for h in got.data] == [second["hitId"], first["hitId"]]
    tablet, phone = got.data
    assert (tablet.device, tablet.os, tablet.model, tablet.city, tablet.country_iso) == (
        "tablet", "iPadOS", "iPad Air", "Cluj-Napoca", "RO",
    )  # fmt: skip
    assert (phone.phone_number, phone.phone_number_country_iso, phone.group_id) == (
        "+40722123456",
        "RO",
        "12",
    )
    assert got.paging.size == 2
    short = api.get_attachment_hits(key, short_response=True)
    assert short.data == [] and short.info.hits == 2


def test_hits_paging(api: AttachmentsApi, smscx_sandbox: Any) -> None:
    key = _upload(smscx_sandbox)["id"]
    ids = [_visit(smscx_sandbox, key)["hitId"] for _ in range(3)][::-1]
    check_paging(lambda **q: api.get_attachment_hits(key, **q), lambda h: h.hit_id, ids)
    with pytest.raises(ApiValueError, match="limit"):  # the spec's minimum, checked before sending
        api.get_attachment_hits(key, limit=0)
    for bad in (0, 501):
        with pytest.raises(InvalidRequestException):
            raw_call(api.api_client, "GET", "/attachments/{attachmentId}", path_params={"attachmentId": key}, query={"limit": bad})


def test_hit_ids_are_shared_with_shortlinks(smscx_sandbox: Any) -> None:
    from smscx_client.api.shortlinks_api import ShortlinksApi
    from smscx_client.model.shortlink_new_request import ShortlinkNewRequest

    sid = (
        ShortlinksApi(smscx_sandbox.api_client())
        .create_shortlink(ShortlinkNewRequest(url="https://x.example"))
        .info.id
    )
    link_hit = smscx_sandbox.control("POST", "shortlink-hit", {"shortId": sid})
    assert _visit(smscx_sandbox, _upload(smscx_sandbox)["id"])["hitId"] == link_hit["hitId"] + 1


def test_unknown_attachment(api: AttachmentsApi) -> None:
    calls = (
        api.get_attachment_hits,
        api.delete_attachment,
        api.export_attachment_hits_to_csv,
        api.export_attachment_hits_to_xlsx,
    )
    for call in calls:
        with pytest.raises(ResourceNotFoundException) as err:
            call("nope0000")
        assert (err.value.status, err.value.error_type, err.value.error_code) == (404, "not_found", 1420)


def test_delete(api: AttachmentsApi, smscx_sandbox: Any) -> None:
    keep, gone = _upload(smscx_sandbox, "keep.pdf")["id"], _upload(smscx_sandbox, "gone.pdf")["id"]
    _visit(smscx_sandbox, gone)
    assert api.delete_attachment(gone).info.id == gone
    assert [a.id for a in api.get_attachments_list().data] == [keep]
    with pytest.raises(ResourceNotFoundException):
        api.get_attachment_hits(gone)
    assert _control_status(smscx_sandbox, "attachment-hit", {"attachmentId": gone}) == 404


def test_csv_export(api: AttachmentsApi, smscx_sandbox: Any) -> None:
    key = _upload(smscx_sandbox)["id"]
    assert api.export_attachment_hits_to_csv(key).startswith("hitId,device,browser,")
    hit = _visit(smscx_sandbox, key, phoneNumber="+40722123456", referrer="https://mail.example/")
    (row,) = list(csv.DictReader(io.StringIO(api.export_attachment_hits_to_csv(key))))
    assert int(row["hitId"]) == hit["hitId"]
    assert (row["phoneNumber"], row["referrer"], row["device"], row["datetime"]) == (
        "+40722123456", "https://mail.example/", "mobile", hit["datetime"],
    )  # fmt: skip


def test_xlsx_export(api: AttachmentsApi, smscx_sandbox: Any) -> None:
    key = _upload(smscx_sandbox)["id"]
    _visit(smscx_sandbox, key, city="Timisoara")
    data, _, headers = api.export_attachment_hits_to_xlsx(key, _return_http_data_only=False)
    with data:
        raw = data.read()
    assert "attachment-{}-hits.xlsx".format(key) in headers["Content-Disposition"]
    assert "Timisoara" in xlsx_cells(raw)


def test_hit_callback(api: AttachmentsApi, smscx_sandbox: Any, receiver: Receiver) -> None:
    _visit(smscx_sandbox, _upload(smscx_sandbox)["id"])
    assert smscx_sandbox.webhooks == []  # no callback URL yet
    smscx_sandbox.control(
        "POST",
        "application",
        {"settings": {"attachments": {"attachmentsCallback": receiver.url_for("/hooks/files")}}},
    )
    key = _upload(smscx_sandbox)["id"]
    hit = _visit(smscx_sandbox, key, device="desktop")
    smscx_sandbox.advance(0)
    (callback,) = receiver.wait(1)
    assert callback.path == "/hooks/files"
    event = parse_callback(callback.body)
    assert event.event == "attachment_hit"
    (item,) = event.data
    assert (item.hit_id, item.shortlink_id, item.url) == (hit["hitId"], key, "https://sandbox.test/a/" + key)
    assert (item.device, item.os, item.browser) == ("desktop", "Windows", "Firefox")
    assert [h["outcome"] for h in smscx_sandbox.webhooks] == ["delivered"]


def test_scope_enforced(smscx_sandbox: Any) -> None:
    app = smscx_sandbox.api_client(
        username=smscx_sandbox.app_id, password=smscx_sandbox.app_secret, max_retries=0
    )
    token = OauthApi(app).get_access_token(scope="attachments").access_token
    assert AttachmentsApi(smscx_sandbox.api_client(access_token=token)).get_attachments_list().data == []
    other = OauthApi(app).get_access_token(scope="shortlinks").access_token
    with pytest.raises(InsufficientScopeException):
        AttachmentsApi(smscx_sandbox.api_client(access_token=other, max_retries=0)).get_attachments_list()
