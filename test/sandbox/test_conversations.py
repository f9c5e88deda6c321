"""Conversations in the sandbox, through the SDK: inbound -> list -> read -> charged replies."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from typing import Any, Dict

import pytest
from support import api_fixture, balance, control_error, inbound, raw_call

from smscx_client.api.conversations_api import ConversationsApi
from smscx_client.api.groups_api import GroupsApi
from smscx_client.api.optouts_api import OptoutsApi
from smscx_client.api.reports_api import ReportsApi
from smscx_client.api.sms_api import SmsApi
from smscx_client.exceptions import (
    AccessDeniedException,
    InsufficientBalanceException,
    InvalidRequestException,
    ResourceNotFoundException,
)
from smscx_client.model.add_contacts_to_group_request import AddContactsToGroupRequest
from smscx_client.model.add_contacts_to_group_with_fields_request import AddContactsToGroupWithFieldsRequest
from smscx_client.model.conversation_reply_sms_request import ConversationReplySmsRequest
from smscx_client.model.conversation_reply_viber_request import ConversationReplyViberRequest
from smscx_client.model.conversation_reply_whatsapp_request import ConversationReplyWhatsappRequest
from smscx_client.model.group_add import GroupAdd
from smscx_client.model.new_group_request import NewGroupRequest
from smscx_client.model.send_sms_message_request import SendSmsMessageRequest
from smscx_client.sandbox import MAGIC_NUMBERS, Sandbox

ALICE = "+33612345678"
AUTO = MAGIC_NUMBERS["auto_reply"]
BOB = "+447400123456"
DAY = 24 * 3600
UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"


api = api_fixture(ConversationsApi)


# -- list, details, read ---------------------------------------------------------------------
def test_no_conversations_gives_empty_list(api: ConversationsApi) -> None:
    assert api.get_converstions_list().data == []


def test_inbound_message_opens_an_unread_conversation(sb: Sandbox, api: ConversationsApi) -> None:
    rec = inbound(sb, ALICE, "Is my order ready?")
    [conv] = api.get_converstions_list().data
    assert conv.conversation_id == rec["conversationId"]
    assert conv.phone_number == ALICE
    assert conv.country_iso == "FR"
    assert conv.first_name is None and conv.last_name == ""
    assert conv.unread_messages == 1
    assert conv.last_reply == "Is my order ready?"
    stamp = datetime.strptime(conv.last_update, "%Y-%m-%d %H:%M:%S").replace(tzinfo=timezone.utc)
    assert abs(stamp.timestamp() - sb.now()) < 2


def test_conversation_details_and_read_flag(sb: Sandbox, api: ConversationsApi) -> None:
    first = inbound(sb, ALICE, "one")
    sb.advance(5)
    inbound(sb, ALICE, "two")
    cid = first["conversationId"]
    details = api.get_conversation(cid)
    assert details.info.conversation_id == cid
    assert details.info.phone_number == ALICE
    assert details.info.country_iso == "FR"
    assert [(m.type, m.text, m.status, m.cost, m.channel) for m in details.data] == [
        ("received", "one", "DELIVERED", 0.0, "sms"),
        ("received", "two", "DELIVERED", 0.0, "sms"),
    ]
    assert details.data[0].msg_id == first["msgId"]
    assert api.get_converstions_list().data[0].unread_messages == 2
    # reading is a GET that changes state; get_conversation itself does not
    assert api.mark_conversation_as_read(cid).info.id == cid
    assert api.get_converstions_list().data[0].unread_messages == 0
    inbound(sb, ALICE, "three")
    [conv] = api.get_converstions_list().data
    assert (conv.unread_messages, conv.last_reply) == (1, "three")


def test_auto_reply_conversation_end_to_end(sb: Sandbox, api: ConversationsApi) -> None:
    sent = SmsApi(api.api_client).send_sms(SendSmsMessageRequest([AUTO], "Shop", "Rate us 1-5"))
    assert api.get_converstions_list().data == []  # nobody answered yet
    sb.advance(60)
    [conv] = api.get_converstions_list().data
    assert (conv.phone_number, conv.country_iso, conv.unread_messages) == (AUTO, "FR", 1)
    rows = api.get_conversation(conv.conversation_id).data
    assert [(r.type, r.status, r.channel) for r in rows] == [("sent", "DELIVERED", "sms"), ("received", "DELIVERED", "sms")]
    assert (rows[0].msg_id, rows[0].text, rows[0].cost) == (sent.data[0].msg_id, "Rate us 1-5", 0.045)
    assert rows[1].text == conv.last_reply
    api.mark_conversation_as_read(conv.conversation_id)
    before = balance(sb)
    reply = api.send_conversation_reply_sms(conv.conversation_id, ConversationReplySmsRequest(text="Thanks!"))
    assert reply.data._from == "Shop"  # answered from the sender the contact wrote to
    assert balance(sb) == before - Decimal("0.045")
    assert api.get_conversation(conv.conversation_id).data[-1].status == "SENT"
    sb.advance(60)  # the magic number answers the reply as well
    [conv] = api.get_converstions_list().data
    assert conv.unread_messages == 1
    types = [(r.type, r.status) for r in api.get_conversation(conv.conversation_id).data]
    assert types == [("sent", "DELIVERED"), ("received", "DELIVERED"), ("sent", "DELIVERED"), ("received", "DELIVERED")]


def test_contact_names_come_from_groups(sb: Sandbox, api: ConversationsApi) -> None:
    groups = GroupsApi(api.api_client)
    gid = groups.create_group(NewGroupRequest(name="VIP")).info.id
    groups.add_contacts_to_group_with_fields(
        gid, AddContactsToGroupWithFieldsRequest([GroupAdd(ALICE, first_name="Alice", last_name="Martin")])
    )
    cid = inbound(sb, ALICE, "hello")["conversationId"]
    [conv] = api.get_converstions_list().data
    assert (conv.first_name, conv.last_name) == ("Alice", "Martin")
    info = api.get_conversation(cid).info
    assert (info.first_name, info.last_name) == ("Alice", "Martin")


def test_list_orders_by_latest_reply_and_splits_channels(sb: Sandbox, api: ConversationsApi) -> None:
    a = inbound(sb, ALICE, "sms from alice")
    sb.advance(10)
    b = inbound(sb, BOB, "sms from bob")
    sb.advance(10)
    v = inbound(sb, ALICE, "viber from alice", channel="viber")
    ids = [c.conversation_id for c in api.get_converstions_list().data]
    assert ids == [v["conversationId"], b["conversationId"], a["conversationId"]]
    assert len(set(ids)) == 3  # one conversation per (number, channel)
    sb.advance(10)
    inbound(sb, ALICE, "again")
    assert api.get_converstions_list().data[0].conversation_id == a["conversationId"]


def test_conversation_ids_are_stable(sb: Sandbox, api: ConversationsApi) -> None:
    first = inbound(sb, BOB, "hello")["conversationId"]
    sb.reset()
    assert inbound(sb, BOB, "hello again")["conversationId"] == first


@pytest.mark.parametrize("op", ["get_conversation", "mark_conversation_as_read"])
def test_unknown_conversation_is_1180(api: ConversationsApi, op: str) -> None:
    with pytest.raises(ResourceNotFoundException) as err:
        getattr(api, op)(UNKNOWN_ID)
    assert (err.value.status, err.value.error_type, err.value.error_code) == (404, "not_found", 1180)


def test_malformed_conversation_id_is_unknown(api: ConversationsApi) -> None:
    with pytest.raises(ResourceNotFoundException) as err:
        raw_call(api.api_client, "GET", "/conversations/not-a-uuid")
    assert err.value.error_code == 1180


# -- replies ---------------------------------------------------------------------------------
def test_sms_reply_is_charged_and_lands_in_the_outbox(sb: Sandbox, api: ConversationsApi) -> None:
    cid = inbound(sb, ALICE, "Hi!", to="Brand")["conversationId"]
    before = balance(sb)
    text = "Thanks, your order ships today " * 6  # 186 GSM chars -> 2 parts
    resp = api.send_conversation_reply_sms(cid, ConversationReplySmsRequest(text=text))
    info, data = resp.info, resp.data
    assert (info.total_phone_numbers, info.total_valid, info.total_invalid) == (1, 1, 0)
    assert (info.total_parts, info.total_cost, info.scheduled, info.dlr_callback_url) == (2, 0.09, False, None)
    assert (data.to, data.country_iso, data._from, data.text, data.parts) == (ALICE, "FR", "Brand", text, 2)
    assert (data.status, data.cost) == ("SENT", 0.09)
    assert (data.text_analysis.length, data.text_analysis.unicode, data.text_analysis.parts) == (186, False, 2)
    assert balance(sb) == before - Decimal("0.09")
    [out] = sb.messages
    assert (out["msgId"], out["to"], out["channel"], out["cost"], out["campaignId"]) == (
        data.msg_id, ALICE, "sms", 0.09, info.campaign_id,
    )  # fmt: skip
    sb.advance(60)
    rows = api.get_conversation(cid).data
    assert [(r.type, r.status) for r in rows] == [("received", "DELIVERED"), ("sent", "DELIVERED")]
    assert rows[1].msg_id == data.msg_id and rows[1].cost == 0.09
    report = ReportsApi(api.api_client).get_single_report(data.msg_id).data
    assert (report.status, report.cost, report.to) == ("DELIVERED", 0.09, ALICE)


@pytest.mark.parametrize(
    "channel, op, model, price",
    [
        ("viber", "send_conversation_reply_viber", ConversationReplyViberRequest, 0.03),
        ("whatsapp", "send_conversation_reply_whatsapp", ConversationReplyWhatsappRequest, 0.04),
    ],
)
def test_rich_reply_is_charged_per_message(sb: Sandbox, api: ConversationsApi, channel: str, op: str, model: Any, price: float) -> None:
    cid = inbound(sb, BOB, "hello", channel=channel, to="Brand")["conversationId"]
    before = balance(sb)
    media = {"image": "https://example.com/a.png", "buttonText": "Open"}
    resp = getattr(api, op)(cid, model(text="x" * 1000, rich_media=media))
    assert (resp.info.total_cost, resp.info.total_parts) == (price, 1)
    d = resp.data
    assert (d.status, d.status_code, d.error_code, d.in_quiet_hours) == ("ACCEPTED", 1, None, False)
    assert (d.to, d.country_iso, d._from, d.parts, d.cost) == (BOB, "GB", "Brand", 1, price)
    assert balance(sb) == before - Decimal(str(price))
    sent = api.get_conversation(cid).data[-1]
    assert (sent.type, sent.channel, sent.rich_media, sent.msg_id) == ("sent", channel, media, d.msg_id)


def test_reply_on_another_channel_stays_in_the_conversation(sb: Sandbox, api: ConversationsApi) -> None:
    cid = inbound(sb, BOB, "viber hello", channel="viber")["conversationId"]
    api.send_conversation_reply_sms(cid, ConversationReplySmsRequest(text="by sms"))
    assert [(m.type, m.channel) for m in api.get_conversation(cid).data] == [("received", "viber"), ("sent", "sms")]


@pytest.mark.parametrize("channel, code", [("viber", 1181), ("whatsapp", 1182)])
def test_rich_reply_window_closes_after_24h(sb: Sandbox, api: ConversationsApi, channel: str, code: int) -> None:
    cid = inbound(sb, BOB, "hello", channel=channel)["conversationId"]
    sb.advance(DAY + 1)
    before = balance(sb)
    with pytest.raises(AccessDeniedException) as err:
        raw_call(api.api_client, "POST", "/conversations/{}/{}".format(cid, channel), {"text": "late", "richMedia": {}})
    assert (err.value.status, err.value.error_type, err.value.error_code) == (403, "access_denied", code)
    assert balance(sb) == before and sb.messages == []
    # a new message from the contact opens the window again; SMS has no window at all
    api.send_conversation_reply_sms(cid, ConversationReplySmsRequest(text="sms still works"))
    inbound(sb, BOB, "back", channel=channel)
    raw_call(api.api_client, "POST", "/conversations/{}/{}".format(cid, channel), {"text": "now", "richMedia": {}})
    assert len(sb.messages) == 2


@pytest.mark.parametrize(
    "body, code",
    [
        ({}, 1801),
        ({"text": ""}, 1801),
        ({"text": "   "}, 1801),
        ({"text": None}, 1801),
        (None, 1007),  # no body, or not an object: the common invalid_body row
        (["text"], 1007),
        ({"text": 42}, 1802),
        ({"text": ["a"]}, 1802),
        ({"text": "ok", "idempotencyId": "not-a-uuid"}, 1111),
        ({"text": "ok", "idempotencyId": 7}, 1111),
    ],
)
@pytest.mark.parametrize("channel", ["sms", "viber", "whatsapp"])
def test_reply_body_rules(sb: Sandbox, api: ConversationsApi, channel: str, body: Any, code: int) -> None:
    cid = inbound(sb, ALICE, "hi", channel=channel)["conversationId"]
    if isinstance(body, dict) and channel != "sms":
        body = dict(body, richMedia={})
    with pytest.raises(InvalidRequestException) as err:
        raw_call(api.api_client, "POST", "/conversations/{}/{}".format(cid, channel), body)
    kind = "invalid_body" if code == 1007 else "invalid_param"
    assert (err.value.status, err.value.error_type, err.value.error_code) == (400, kind, code)
    assert sb.messages == []


@pytest.mark.parametrize(
    "body", [{"text": "half an emoji \ud83d"}, {"text": "x", "richMedia": {"caption": "half an emoji \ud83d"}}]
)
def test_reply_text_that_is_not_unicode_is_an_invalid_body(sb: Sandbox, api: ConversationsApi, body: Any) -> None:
    cid = inbound(sb, ALICE, "hi", channel="viber")["conversationId"]
    with pytest.raises(InvalidRequestException) as err:  # refused with the body, as on every route
        raw_call(api.api_client, "POST", "/conversations/{}/viber".format(cid), body)
    assert (err.value.status, err.value.error_type, err.value.error_code) == (400, "invalid_body", 1007)
    assert sb.messages == []


@pytest.mark.parametrize("channel", ["viber", "whatsapp"])
def test_rich_reply_text_limit_and_media_type(sb: Sandbox, api: ConversationsApi, channel: str) -> None:
    cid = inbound(sb, ALICE, "hi", channel=channel)["conversationId"]
    path = "/conversations/{}/{}".format(cid, channel)
    with pytest.raises(InvalidRequestException) as err:
        raw_call(api.api_client, "POST", path, {"text": "x" * 1001, "richMedia": {}})
    assert err.value.error_code == 1811
    for media in ("big", ["a"]):
        with pytest.raises(InvalidRequestException) as err:
            raw_call(api.api_client, "POST", path, {"text": "x", "richMedia": media})
        assert err.value.error_code == 1008
    assert sb.messages == []


def test_sms_reply_has_no_1000_character_limit(sb: Sandbox, api: ConversationsApi) -> None:
    cid = inbound(sb, ALICE, "hi")["conversationId"]
    resp = api.send_conversation_reply_sms(cid, ConversationReplySmsRequest(text="y" * 1530))
    assert resp.info.total_parts == 10


@pytest.mark.parametrize("channel", ["sms", "viber", "whatsapp"])
def test_reply_to_unknown_conversation_is_1180(sb: Sandbox, api: ConversationsApi, channel: str) -> None:
    with pytest.raises(ResourceNotFoundException) as err:
        raw_call(api.api_client, "POST", "/conversations/{}/{}".format(UNKNOWN_ID, channel), {"text": "x", "richMedia": {}})
    assert err.value.error_code == 1180


def test_reply_to_an_opted_out_contact_is_rejected_for_free(sb: Sandbox, api: ConversationsApi) -> None:
    cid = inbound(sb, ALICE, "STOP", channel="viber")["conversationId"]
    OptoutsApi(api.api_client).add_contact_to_optouts_list(AddContactsToGroupRequest([ALICE]))
    before = balance(sb)
    resp = api.send_conversation_reply_viber(cid, ConversationReplyViberRequest(text="bye", rich_media={}))
    assert (resp.data.status, resp.data.cost, resp.info.total_cost) == ("REJECTED", 0, 0)
    assert balance(sb) == before
    sb.advance(60)
    assert api.get_conversation(cid).data[-1].status == "FAILED"
    sms = api.send_conversation_reply_sms(cid, ConversationReplySmsRequest(text="bye"))
    assert (sms.data.status, sms.data.cost) == ("FAILED", 0)


def test_idempotent_reply_is_charged_once(sb: Sandbox, api: ConversationsApi) -> None:
    cid = inbound(sb, ALICE, "hi")["conversationId"]
    key = "3f6c1e2a-8b4d-4c1e-9f2a-1b2c3d4e5f60"
    before = balance(sb)
    # idempotencyId is no declared field here: sent as an additional property, set by item
    # (which does not warn, unlike a keyword argument)
    req = ConversationReplySmsRequest(text="once")
    req["idempotencyId"] = key
    first = api.send_conversation_reply_sms(cid, req)
    again = api.send_conversation_reply_sms(cid, req)
    assert again.data.msg_id == first.data.msg_id
    assert len(sb.messages) == 1
    assert balance(sb) == before - Decimal("0.045")


def test_reply_without_credit_is_refused() -> None:
    with Sandbox(balance=0.04) as low:
        api = ConversationsApi(low.api_client(max_retries=0))
        cid = inbound(low, ALICE, "hi")["conversationId"]
        with pytest.raises(InsufficientBalanceException) as err:
            api.send_conversation_reply_sms(cid, ConversationReplySmsRequest(text="costs 0.045"))
        assert (err.value.status, err.value.error_type, err.value.error_code) == (400, "insufficient_credit", 1113)
        assert low.messages == [] and low.balance == 0.04
        viber = inbound(low, ALICE, "hi", channel="viber")["conversationId"]
        api.send_conversation_reply_viber(viber, ConversationReplyViberRequest(text="0.03", rich_media={}))
        assert low.balance == pytest.approx(0.01)


# -- control plane ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "body",
    [
        {"from": "+33612345678", "to": "Brand"},
        {"from": 33612345678, "to": "Brand", "text": "x"},
        {"from": "12", "to": "Brand", "text": "x"},
        {"from": "+33612345678", "to": "Brand", "text": "x", "channel": "fax"},
        {"from": "+33612345678", "to": "Brand", "text": "\ud800"},
        {"from": "+33612345678", "to": "AB", "text": "x"},
        {"from": "+33612345678", "to": "Brand", "text": "x", "channel": ["sms"]},
    ],
)
def test_control_inbound_rejects_bad_bodies(sb: Sandbox, body: Dict[str, Any]) -> None:
    status, answer = control_error(sb, "inbound", body)
    assert (status, answer["error"]["type"]) == (400, "invalid_param")
    assert sb.control("GET", "messages")["data"] == [] and len(ConversationsApi(sb.api_client()).get_converstions_list().data) == 0
