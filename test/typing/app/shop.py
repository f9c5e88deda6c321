"""A small app that uses smscx_client as its docs say: `mypy --strict` must find nothing here."""

from __future__ import annotations

import datetime
from typing import Any, List, Optional

from smscx_client import ApiClient, Configuration
from smscx_client.api.optouts_api import OptoutsApi
from smscx_client.api.otp_api import OtpApi
from smscx_client.api.sms_api import SmsApi
from smscx_client.model.call_back_request_dlr_update import CallBackRequestDlrUpdate
from smscx_client.model.custom_fields import CustomFields
from smscx_client.model.data_optouts import DataOptouts
from smscx_client.model.new_otp_request import NewOtpRequest
from smscx_client.model.send_sms_message_request import SendSmsMessageRequest
from smscx_client.model.send_sms_message_response import SendSmsMessageResponse
from smscx_client.model.templates_update_request import TemplatesUpdateRequest
from smscx_client.pagination import iter_items, iter_pages
from smscx_client.sandbox import Sandbox
from smscx_client.webhooks import CallbackEvent, parse_callback, parse_dlr_update


def remind(client: ApiClient, phone: str, when: datetime.datetime) -> SendSmsMessageResponse:
    request = SendSmsMessageRequest([phone], "Shop", "Your order ships tomorrow", scheduled_date=when)
    request.is_utc = True
    request["brandNewApiField"] = 1  # a property the SDK does not know yet
    return SmsApi(client).send_sms(request)


def total(res: SendSmsMessageResponse) -> float:
    first: str = res.data[0].msg_id
    extra: Any = res.info.get("brandNew")  # additional properties: by item or get()
    print(first, extra, res.info["totalCost"])
    return res.info.total_cost


def legacy_forms() -> TemplatesUpdateRequest:
    fields = CustomFields({"orderNumber": "441"}, height="1.78m", _check_type=False)
    print(fields.to_dict(), CustomFields(custom_field_name={"a": "b"}))
    return TemplatesUpdateRequest(
        {"name": "Welcome"}, _check_type=True, _path_to_item=(), _spec_property_naming=False, _configuration=None
    )


def optouts(client: ApiClient) -> List[str]:
    items: List[DataOptouts] = list(iter_items(OptoutsApi(client).get_optouts_list, limit=100))
    pages = sum(len(page.data) for page in iter_pages(OptoutsApi(client).get_optouts_list))
    print(pages)
    return [o.phone_number for o in items]


def on_callback(body: bytes) -> Optional[str]:
    event: CallbackEvent = parse_callback(body)
    if isinstance(event, CallBackRequestDlrUpdate):
        return event.data[0].status
    return event.event


def on_delivery_report(body: bytes) -> List[str]:
    return [report.msg_id for report in parse_dlr_update(body).data]


def sign_in(phone: str) -> bool:
    with Sandbox(balance=5, examples=True) as sb:
        config: Configuration = sb.configuration(max_retries=0)
        with ApiClient(config) as client:
            otp = OtpApi(client).new_otp(NewOtpRequest(phone, _from="Shop"))
            pin: str = sb.last_pin(phone)
            return OtpApi(sb.api_client()).verify_otp(otp.otp_id, pin).status == "VERIFIED"
