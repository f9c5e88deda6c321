"""Reports in the sandbox, through the SDK, after real sends: single, campaigns, advanced, summaries, exports."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal
from typing import Any, Dict, List, Sequence

import pytest
from support import api_fixture, balance, check_paging, inbound, raw_call, xlsx_cells

from smscx_client.api.conversations_api import ConversationsApi
from smscx_client.api.groups_api import GroupsApi
from smscx_client.api.multichannel_api import MultichannelApi
from smscx_client.api.reports_api import ReportsApi
from smscx_client.api.sms_api import SmsApi
from smscx_client.api.templates_api import TemplatesApi
from smscx_client.exceptions import InvalidRequestException, ResourceNotFoundException
from smscx_client.model.add_contacts_to_group_request import AddContactsToGroupRequest
from smscx_client.model.conversation_reply_viber_request import ConversationReplyViberRequest
from smscx_client.model.new_group_request import NewGroupRequest
from smscx_client.model.send_multichannel_message_request import SendMultichannelMessageRequest
from smscx_client.model.send_sms_campaign_request import SendSmsCampaignRequest
from smscx_client.model.send_sms_message_request import SendSmsMessageRequest
from smscx_client.model.strategy import Strategy
from smscx_client.model.templates_new_request import TemplatesNewRequest
from smscx_client.sandbox import MAGIC_NUMBERS, Sandbox

FR = "+33612345678"
FR2 = "+33612345679"
GB = "+447400123456"
FAIL = MAGIC_NUMBERS["delivery_failed"]
NO_COVERAGE = MAGIC_NUMBERS["no_coverage"]
UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"
PRICE = {"FR": Decimal("0.045"), "GB": Decimal("0.04")}


api = api_fixture(ReportsApi, downloads=True)


def send(sb: Sandbox, to: Sequence[str], text: str = "Hello", **kwargs: Any) -> Any:
    """A real send through SmsApi (one campaign per request)."""
    return SmsApi(sb.api_client(max_retries=0)).send_sms(SendSmsMessageRequest(list(to), "Brand", text, **kwargs))


def month(sb: Sandbox) -> str:
    return sb.state.clock.utc().strftime("%Y-%m")


def today(sb: Sandbox) -> str:
    return sb.state.clock.utc().date().isoformat()


def assert_error(exc: Any, status: int, type_: str, code: int) -> None:
    assert (exc.status, exc.error_type, exc.error_code) == (status, type_, code)


def spent(sb: Sandbox) -> Decimal:
    return Decimal("100") - balance(sb)


# -- single message --------------------------------------------------------------------------
def test_single_report_follows_the_delivery(sb: Sandbox, api: ReportsApi) -> None:
    sent = send(sb, [FR, FAIL], text="Your code is 1234")
    ok, bad = (d.msg_id for d in sent.data)
    r = api.get_single_report(ok).data
    assert (r.msg_id, r.to, r.country_iso, r._from, r.text) == (ok, FR, "FR", "Brand", "Your code is 1234")
    assert (r.status, r.status_code, r.error_code, r.updated_at) == ("ACCEPTED", 1, None, None)
    assert (r.cost, r.source, r.channel, r.in_quiet_hours, r.scheduled_at) == (0.045, "api", "sms", False, None)
    assert (r.text_analysis.length, r.text_analysis.unicode, r.text_analysis.parts) == (17, False, 1)
    assert r.created_at.strftime("%Y-%m-%d") == today(sb)
    sb.advance(60)
    r = api.get_single_report(ok).data
    assert (r.status, r.status_code, r.error_code) == ("DELIVERED", 3, None)
    assert r.created_at <= r.updated_at <= r.created_at + timedelta(seconds=60)
    f = api.get_single_report(bad).data
    assert (f.status, f.status_code, f.to) == ("FAILED", 4, FAIL)
    assert f.error_code is not None and f.cost == 0.045


def test_single_report_errors(api: ReportsApi) -> None:
    with pytest.raises(ResourceNotFoundException) as err:
        api.get_single_report(UNKNOWN_ID)
    assert_error(err.value, 404, "not_found", 1160)
    for bad in ("not-a-uuid", "ABCDEF00-0000-4000-8000-000000000000", UNKNOWN_ID + "0", UNKNOWN_ID + "%0A"):
        with pytest.raises(InvalidRequestException) as err:
            raw_call(api.api_client, "GET", "/reports/single/" + bad)
        assert_error(err.value, 400, "invalid_param", 1165)


# -- campaigns -------------------------------------------------------------------------------
def test_campaigns_list_newest_first_with_delivery_counts(sb: Sandbox, api: ReportsApi) -> None:
    first = send(sb, [FR, FAIL], text="first")
    sb.advance(2)
    second = send(sb, [FR, GB, NO_COVERAGE], text="second")
    sb.advance(60)
    third = send(sb, [FR2], text="third")
    listing = api.get_campaigns_list(delivery_reports=True)
    assert listing.info.total_campaigns == 3
    ids = [c.id for c in listing.data]
    assert ids == [third.info.campaign_id, second.info.campaign_id, first.info.campaign_id]
    c3, c2, c1 = listing.data
    assert (c1._from, c1.text, c1.source, c1.channel, c1.groups) == ("Brand", "first", "api", "sms", [])
    assert (c1.total_phone_numers, c1.parts, c1.cost) == (2, 2, 0.09)
    assert (c2.total_phone_numers, c2.parts, c2.cost) == (3, 3, 0.085)  # NO COVERAGE costs nothing
    assert c2.datetime_scheduled is None and c1.datetime_added <= c2.datetime_added
    status = lambda c: (c.status.accepted, c.status.delivered, c.status.failed, c.status.scheduled, c.status.no_coverage)  # noqa: E731
    assert status(c1) == (0, 1, 1, 0, 0)
    assert status(c2) == (0, 2, 0, 0, 1)
    assert status(c3) == (1, 0, 0, 0, 0)
    assert sum(c.cost for c in listing.data) == pytest.approx(float(spent(sb)))
    assert api.get_campaigns_list().data[0].to_dict().get("status") is None


def test_group_campaign_and_scheduled_send(sb: Sandbox, api: ReportsApi) -> None:
    groups = GroupsApi(api.api_client)
    gid = groups.create_group(NewGroupRequest(name="Customers")).info.id
    groups.add_contacts_to_group(gid, AddContactsToGroupRequest([FR, GB]))
    campaign = SmsApi(api.api_client).send_sms_campaign(SendSmsCampaignRequest([gid], "Brand", "Sale!"))
    at = sb.state.clock.utc().replace(microsecond=0, tzinfo=None) + timedelta(hours=2)
    later = send(sb, [FR2], text="later", scheduled_date=at)
    listing = api.get_campaigns_list(delivery_reports=True).data
    assert [c.id for c in listing] == [later.info.campaign_id, campaign.info.campaign_id]
    sched, grouped = listing
    assert [(g.id, g.name, g.phone_numbers) for g in grouped.groups] == [(gid, "Customers", 2)]
    assert (grouped.total_phone_numers, grouped.text, grouped.status.accepted) == (2, "Sale!", 2)
    assert (sched.datetime_scheduled, sched.status.scheduled, sched.groups) == (at, 1, [])
    single = api.get_single_report(later.data[0].msg_id).data
    assert (single.status, single.status_code, single.scheduled_at, single.updated_at) == ("SCHEDULED", 5, at, None)
    scheduled = api.get_advanced_report(month(sb), delivery_report="scheduled").data
    assert [r.to for r in scheduled] == [FR2]
    cell = api.get_summary_reports("delivery", month(sb)).data[today(sb)]
    assert (cell.scheduled.parts, cell.scheduled.cost_parts) == (1, 0.045)  # typed buckets
    assert cell.accepted.parts == 2


def test_campaigns_list_paging_and_source(sb: Sandbox, api: ReportsApi) -> None:
    ids = [send(sb, [FR], text=str(i)).info.campaign_id for i in range(5)][::-1]
    check_paging(api.get_campaigns_list, lambda c: c.id, ids)
    assert api.get_campaigns_list(source="api").info.total_campaigns == 5
    excel = api.get_campaigns_list(source="excel")
    assert (excel.info.total_campaigns, excel.data) == (0, [])
    with pytest.raises(InvalidRequestException) as err:
        raw_call(api.api_client, "GET", "/reports/campaigns", query={"source": "fax"})
    # this operation documents no row of its own for `source` (1825 belongs to the other reports)
    assert_error(err.value, 400, "invalid_param", 1008)
    assert "`source` must be one of" in str(err.value.body)
    with pytest.raises(InvalidRequestException) as err:
        raw_call(api.api_client, "GET", "/reports/campaigns", query={"limit": "0"})
    assert err.value.status == 400


def test_campaign_report_rows_paging_and_short_response(sb: Sandbox, api: ReportsApi) -> None:
    sent = send(sb, [FR, FR2, GB, FAIL], text="x" * 200)  # 2 parts each
    cid = sent.info.campaign_id
    sb.advance(60)
    report = api.get_campaign_report(cid, limit=3)
    info = report.info
    assert (info.campaign_id, info.total_phone_numbers, info.total_parts, info.channel) == (cid, 4, 8, "sms")
    assert info.total_cost == pytest.approx(float(2 * (3 * PRICE["FR"] + PRICE["GB"])))
    assert info.campaign_name
    assert [r.to for r in report.data] == [FR, FR2, GB]
    assert [r.status for r in report.data] == ["DELIVERED"] * 3
    statuses = ["DELIVERED", "DELIVERED", "DELIVERED", "FAILED"]
    rows = [(d.msg_id, to, status) for d, to, status in zip(sent.data, [FR, FR2, GB, FAIL], statuses)]
    check_paging(lambda **q: api.get_campaign_report(cid, **q), lambda r: (r.msg_id, r.to, r.status), rows, limit=3)
    short = api.get_campaign_report(cid, short_response=True)
    assert short.data == [] and short.paging.size == 0 and short.info.total_phone_numbers == 4


def test_campaign_report_errors(api: ReportsApi) -> None:
    with pytest.raises(ResourceNotFoundException) as err:
        api.get_campaign_report(UNKNOWN_ID)
    assert_error(err.value, 404, "not_found", 1150)
    with pytest.raises(InvalidRequestException) as err:
        raw_call(api.api_client, "GET", "/reports/campaigns/12345")
    assert_error(err.value, 400, "invalid_param", 1155)
    for ext in ("csv", "xlsx"):
        with pytest.raises(ResourceNotFoundException) as err:
            getattr(api, "export_campaign_report_to_" + ext)(UNKNOWN_ID)
        assert_error(err.value, 404, "not_found", 1160)
        with pytest.raises(InvalidRequestException) as err:
            raw_call(api.api_client, "GET", "/reports/campaigns/nope/" + ext)
        assert_error(err.value, 400, "invalid_param", 1165)


def test_campaign_exports(sb: Sandbox, api: ReportsApi) -> None:
    sent = send(sb, [FR, FAIL, GB])
    cid = sent.info.campaign_id
    sb.advance(60)
    rows = list(csv.DictReader(io.StringIO(api.export_campaign_report_to_csv(cid))))
    assert [(r["msgId"], r["to"], r["status"]) for r in rows] == [
        (sent.data[0].msg_id, FR, "DELIVERED"),
        (sent.data[1].msg_id, FAIL, "FAILED"),
        (sent.data[2].msg_id, GB, "DELIVERED"),
    ]
    assert [(r["countryIso"], r["cost"], r["parts"], r["from"], r["channel"]) for r in rows[::2]] == [
        ("FR", "0.045", "1", "Brand", "sms"),
        ("GB", "0.04", "1", "Brand", "sms"),
    ]
    with api.export_campaign_report_to_xlsx(cid) as book:
        cells = xlsx_cells(book)
    for number in (FR, FAIL, GB, sent.data[0].msg_id, "DELIVERED", "FAILED"):
        assert number in cells


# -- advanced report -------------------------------------------------------------------------
def test_advanced_report_window_and_totals(sb: Sandbox, api: ReportsApi) -> None:
    send(sb, [FR, GB], text="a")
    send(sb, [FAIL], text="b" * 161)  # 2 parts
    sb.advance(60)
    day = sb.state.clock.utc().date()
    for report in (
        api.get_advanced_report(month(sb)),
        api.get_advanced_report(str(day.year)),
        api.get_advanced_report(start_date=day.isoformat(), end_date=day.isoformat()),
        api.get_advanced_report(start_date=(day - timedelta(days=40)).isoformat(), end_date=(day + timedelta(days=1)).isoformat()),
    ):
        assert (report.info.total_phone_numbers, report.info.total_parts) == (3, 4)
        assert report.info.total_cost == pytest.approx(float(spent(sb)))
        assert [r.to for r in report.data] == [FAIL, GB, FR]  # newest first
    yesterday = (day - timedelta(days=1)).isoformat()
    empty = api.get_advanced_report(start_date=yesterday, end_date=yesterday)
    assert (empty.data, empty.info.total_phone_numbers, empty.info.total_cost) == ([], 0, 0)
    assert api.get_advanced_report(str(day.year - 1)).data == []


def test_advanced_report_filters(sb: Sandbox, api: ReportsApi) -> None:
    send(sb, [FR, GB, FAIL])
    conv = inbound(sb, FR2, "hi", channel="viber")
    ConversationsApi(api.api_client).send_conversation_reply_viber(conv["conversationId"], ConversationReplyViberRequest(text="hey", rich_media={}))
    sb.advance(60)
    period = month(sb)

    def tos(**filters: Any) -> List[str]:
        return sorted(r.to for r in api.get_advanced_report(period, **filters).data)

    assert tos(delivery_report="delivered") == sorted([FR, GB, FR2])
    assert tos(delivery_report="failed") == [FAIL]
    assert tos(delivery_report="accepted") == []
    assert tos(country_iso="gb") == [GB]
    assert tos(country_iso="FR", delivery_report="delivered") == sorted([FR, FR2])
    assert tos(channel="viber") == [FR2]
    assert tos(channel="sms") == sorted([FR, GB, FAIL])
    assert tos(channel="whatsapp") == []
    assert tos(source="api") == sorted([FR, GB, FAIL, FR2])
    assert tos(source="smpp") == []
    viber = api.get_advanced_report(period, channel="viber").data[0]
    assert (viber.channel, viber.cost, viber.text) == ("viber", 0.03, "hey")
    short = api.get_advanced_report(period, short_response=True)
    assert (short.data, short.paging.size, short.info.total_phone_numbers) == ([], 0, 4)


def test_multichannel_messages_report_the_channel_that_carried_them(sb: Sandbox, api: ReportsApi) -> None:
    template = TemplatesApi(api.api_client).create_template(TemplatesNewRequest(text="Hi from Viber", name="promo", channel="viber"))
    sb.advance(3600)  # Viber templates need approval
    strategy = [Strategy("viber", template_id=template.info.id), Strategy("sms", text="Hi by SMS")]
    sent = MultichannelApi(api.api_client).send_multichannel_message(SendMultichannelMessageRequest([FR, FAIL], "Brand", strategy))
    send(sb, [GB])
    sb.advance(60)
    rows = {r.to: r for r in api.get_advanced_report(month(sb), channel="multichannel").data}
    assert sorted(rows) == sorted([FR, FAIL])
    # FAIL failed on Viber, so the SMS step carried it (and both steps were paid)
    assert (rows[FR].channel, rows[FR].status, rows[FR].cost, rows[FR].text) == ("viber", "DELIVERED", 0.03, "Hi from Viber")
    assert (rows[FAIL].channel, rows[FAIL].status, rows[FAIL].text) == ("sms", "DELIVERED", "Hi by SMS")
    assert rows[FAIL].cost == pytest.approx(0.03 + float(PRICE["FR"]))
    assert [r.to for r in api.get_advanced_report(month(sb), channel="sms").data] == [GB]
    channel = api.get_summary_reports("channel", month(sb)).data
    assert sorted(channel) == ["multichannel", "sms"]
    assert (channel["multichannel"].value, channel["multichannel"].phone_numbers) == ("multichannel", 2)
    assert channel["multichannel"].cost_parts == pytest.approx(sum(r.cost for r in rows.values()))
    assert api.get_campaign_report(sent.info.campaign_id).info.channel == "multichannel"


def test_advanced_report_paging(sb: Sandbox, api: ReportsApi) -> None:
    sent = send(sb, [FR, FR2, GB, FAIL, "+33612345670"])
    expected = [d.msg_id for d in sent.data][::-1]

    def five_numbers(page: Any) -> None:
        assert page.info.total_phone_numbers == 5

    check_paging(lambda **q: api.get_advanced_report(month(sb), **q), lambda r: r.msg_id, expected, each=five_numbers)


_WINDOW_RULES = [
    ({}, 1824),
    ({"start_date": "2024-01-01"}, 1824),
    ({"end_date": "2024-01-31"}, 1824),
    ({"period": "2024-01", "start_date": "2024-01-01", "end_date": "2024-01-31"}, 1824),
    ({"period": "2024-01", "start_date": "2024-01-01"}, 1824),
    ({"period": "2024-13"}, 1820),
    ({"period": "24"}, 1820),
    ({"period": "2024/01"}, 1820),
    ({"period": "2024-01-05"}, 1820),
    ({"period": "2024\n"}, 1820),
    ({"start_date": "2024-02-30", "end_date": "2024-03-01"}, 1821),
    ({"start_date": "01-02-2024", "end_date": "2024-03-01"}, 1821),
    ({"start_date": "2024-02-01", "end_date": "tomorrow"}, 1822),
    ({"start_date": "2024-02-10", "end_date": "2024-02-09"}, 1823),
]
_FILTER_RULES = [
    ({"period": "2024", "source": "fax"}, 1825),
    ({"period": "2024", "delivery_report": "lost"}, 1826),
    ({"period": "2024", "country_iso": "XX"}, 1827),
    ({"period": "2024", "country_iso": "FRA"}, 1827),
    ({"period": "2024", "channel": "fax"}, 1828),
]


@pytest.mark.parametrize("query, code", _WINDOW_RULES + _FILTER_RULES)
@pytest.mark.parametrize("path", ["/reports", "/reports/csv", "/reports/xlsx"])
def test_advanced_report_rules(api: ReportsApi, path: str, query: Dict[str, str], code: int) -> None:
    with pytest.raises(InvalidRequestException) as err:
        raw_call(api.api_client, "GET", path, query=query)
    assert_error(err.value, 400, "invalid_param", code)


def test_sdk_requires_a_window_before_sending(api: ReportsApi) -> None:
    from smscx_client.exceptions import ApiValueError

    with pytest.raises(ApiValueError):
        api.get_advanced_report()


def test_advanced_exports(sb: Sandbox, api: ReportsApi) -> None:
    sent = send(sb, [FR, GB, FAIL])
    sb.advance(60)
    rows = list(csv.DictReader(io.StringIO(api.export_advanced_report_to_csv(month(sb)))))
    assert [r["msgId"] for r in rows] == [d.msg_id for d in sent.data][::-1]
    assert [r["status"] for r in rows] == ["FAILED", "DELIVERED", "DELIVERED"]
    assert sum(Decimal(r["cost"]) for r in rows) == spent(sb)
    failed = api.export_advanced_report_to_csv(month(sb), delivery_report="failed")
    assert [r["to"] for r in csv.DictReader(io.StringIO(failed))] == [FAIL]
    assert len(list(csv.DictReader(io.StringIO(api.export_advanced_report_to_csv(month(sb), limit=2))))) == 2
    empty = api.export_advanced_report_to_csv(str(sb.state.clock.utc().year - 1))
    assert empty.strip().split(",")[0] == "msgId" and len(empty.strip().splitlines()) == 1
    with api.export_advanced_report_to_xlsx(month(sb), country_iso="GB") as book:
        cells = xlsx_cells(book)
    assert GB in cells and not any(FR in cell for cell in cells)


# -- summaries -------------------------------------------------------------------------------
def _outbox_totals(sb: Sandbox) -> Dict[str, Any]:
    msgs = sb.messages
    return {"count": len(msgs), "parts": sum(m["parts"] for m in msgs), "cost": sum(Decimal(str(m["cost"])) for m in msgs)}


def _summary_sums(data: Dict[str, Any]) -> Dict[str, Any]:
    values = list(data.values())
    return {
        "count": sum(v.phone_numbers for v in values),
        "parts": sum(v.parts for v in values),
        "cost": sum(Decimal(str(v.cost_parts)) for v in values),
    }


@pytest.fixture
def traffic(sb: Sandbox) -> None:
    """FR x2 (one fails), GB, an uncovered number, and a Viber reply; all settled."""
    send(sb, [FR, FAIL, GB, NO_COVERAGE], text="x" * 170)  # 2 parts each
    conv = inbound(sb, FR2, "hi", channel="viber")
    ConversationsApi(sb.api_client()).send_conversation_reply_viber(conv["conversationId"], ConversationReplyViberRequest(text="hey", rich_media={}))
    sb.advance(60)


def test_summary_by_channel_and_source(sb: Sandbox, api: ReportsApi, traffic: None) -> None:
    channel = api.get_summary_reports("channel", month(sb)).data
    assert sorted(channel) == ["sms", "viber"]
    sms, viber = channel["sms"], channel["viber"]
    assert (sms.value, sms.phone_numbers, sms.parts) == ("sms", 4, 8)
    assert sms.cost_parts == pytest.approx(float(2 * (2 * PRICE["FR"] + PRICE["GB"])))
    assert (viber.value, viber.phone_numbers, viber.parts, viber.cost_parts) == ("viber", 1, 1, 0.03)
    assert _summary_sums(channel) == _outbox_totals(sb)
    source = api.get_summary_reports("source", month(sb)).data
    assert list(source) == ["api"]
    assert source["api"].value == "api" and _summary_sums(source) == _outbox_totals(sb)
    assert _outbox_totals(sb)["cost"] == spent(sb)


def test_summary_by_country(sb: Sandbox, api: ReportsApi, traffic: None) -> None:
    day = today(sb)
    data = api.get_summary_reports("country", start_date=day, end_date=day).data
    assert sorted(data) == ["FR", "GB"]
    fr = data["FR"]
    assert (fr.phone_numbers, fr.parts) == (4, 7)  # FR, FAIL, NO_COVERAGE (2 parts each) + Viber reply
    assert fr.cost_parts == pytest.approx(float(4 * PRICE["FR"]) + 0.03)
    assert (data["GB"].phone_numbers, data["GB"].parts, data["GB"].cost_parts) == (1, 2, 0.08)
    assert _summary_sums(data) == _outbox_totals(sb)
    assert len(api.get_summary_reports("country", month(sb), limit=1).data) == 1


def test_summary_traffic_is_keyed_by_date(sb: Sandbox, api: ReportsApi, traffic: None) -> None:
    clock = sb.state.clock.utc()
    by_day = api.get_summary_reports("traffic", month(sb)).data
    assert list(by_day) == [clock.date().isoformat()]
    assert _summary_sums(by_day) == _outbox_totals(sb)
    by_month = api.get_summary_reports("traffic", str(clock.year)).data
    assert list(by_month) == [clock.strftime("%Y-%m")]
    assert _summary_sums(by_month) == _outbox_totals(sb)
    # an interval gives days; messages sent a day later land on their own key
    sb.advance(24 * 3600)
    send(sb, [GB])
    first, second = clock.date(), sb.state.clock.utc().date()
    interval = api.get_summary_reports("traffic", start_date=first.isoformat(), end_date=second.isoformat()).data
    assert list(interval) == [first.isoformat(), second.isoformat()]
    assert (interval[second.isoformat()].phone_numbers, interval[second.isoformat()].cost_parts) == (1, 0.04)
    only_first = api.get_summary_reports("traffic", start_date=first.isoformat(), end_date=first.isoformat()).data
    assert list(only_first) == [first.isoformat()]


def test_summary_by_delivery(sb: Sandbox, api: ReportsApi, traffic: None) -> None:
    send(sb, [GB])  # still in flight
    data = api.get_summary_reports("delivery", month(sb)).data
    [(key, value)] = data.items()
    assert key == today(sb)
    cells = value.to_wire()  # the JSON names, as the API sent them
    assert set(cells) == {"accepted", "delivered", "failed", "scheduled", "noCoverage"}
    assert cells["delivered"] == {"parts": 5, "costParts": pytest.approx(float(2 * PRICE["FR"] + 2 * PRICE["GB"]) + 0.03)}
    assert cells["failed"] == {"parts": 2, "costParts": pytest.approx(float(2 * PRICE["FR"]))}
    assert cells["noCoverage"] == {"parts": 2, "costParts": 0}
    assert cells["accepted"] == {"parts": 1, "costParts": pytest.approx(float(PRICE["GB"]))}
    assert cells["scheduled"] == {"parts": 0, "costParts": 0}
    total = sum(Decimal(str(c["costParts"])) for c in cells.values())
    assert total == _outbox_totals(sb)["cost"] == spent(sb)


def test_summary_rules(api: ReportsApi) -> None:
    with pytest.raises(InvalidRequestException) as err:
        raw_call(api.api_client, "GET", "/reports/summary/weather", query={"period": "2024"})
    assert_error(err.value, 400, "invalid_param", 1829)
    for query, code in _WINDOW_RULES:
        with pytest.raises(InvalidRequestException) as err:
            raw_call(api.api_client, "GET", "/reports/summary/country", query=query)
        assert_error(err.value, 400, "invalid_param", code)
    assert api.get_summary_reports("delivery", "1999").data == {}


def test_reports_agree_with_each_other(sb: Sandbox, api: ReportsApi, traffic: None) -> None:
    period = month(sb)
    advanced = api.get_advanced_report(period).info
    campaigns = api.get_campaigns_list().data
    country = api.get_summary_reports("country", period).data
    out = _outbox_totals(sb)
    assert advanced.total_phone_numbers == out["count"] == sum(c.total_phone_numers for c in campaigns)
    assert advanced.total_parts == out["parts"] == sum(c.parts for c in campaigns)
    assert Decimal(str(advanced.total_cost)) == out["cost"] == _summary_sums(country)["cost"]
