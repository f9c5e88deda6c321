"""Mistakes `mypy --strict` must report: each line whose comment starts with "E:" gets an error
containing the rest of the comment, and no other line gets one."""

from __future__ import annotations

from smscx_client import ApiClient, get_request_id
from smscx_client.aio import AsyncApiClient, AsyncSmsApi
from smscx_client.api.optouts_api import OptoutsApi
from smscx_client.api.sms_api import SmsApi
from smscx_client.model.custom_fields import CustomFields
from smscx_client.model.send_sms_message_request import SendSmsMessageRequest
from smscx_client.model.send_sms_message_response import SendSmsMessageResponse
from smscx_client.model.templates_update_request import TemplatesUpdateRequest
from smscx_client.pagination import iter_items
from smscx_client.sandbox import Sandbox
from smscx_client.webhooks import parse_callback, parse_dlr_update


def requests() -> None:
    SendSmsMessageRequest(["+33612345678"], "Shop", "Hi", scheduled_dat="2030-01-01 10:00:00")  # E: Unexpected keyword argument "scheduled_dat" for "SendSmsMessageRequest"; did you mean "scheduled_date"?
    req = SendSmsMessageRequest(["+33612345678"], "Shop", "Hi")
    req.is_utcc = True  # E: "SendSmsMessageRequest" has no attribute "is_utcc"
    TemplatesUpdateRequest({"name": "x"}, _check_type="yes")  # E: Argument "_check_type" to "TemplatesUpdateRequest" has incompatible type "str"; expected "bool"
    TemplatesUpdateRequest("Welcome")  # E: Argument 1 to "TemplatesUpdateRequest" has incompatible type "str"
    CustomFields(order_number=441)  # E: Argument "order_number" to "CustomFields" has incompatible type "int"; expected "str"


def responses(res: SendSmsMessageResponse) -> None:
    print(res.info.totl_cost)  # E: "Info" has no attribute "totl_cost"
    cost: str = res.info.total_cost  # E: Incompatible types in assignment (expression has type "float", variable has type "str")
    print(cost, res.data[0].msg_idd)  # E: "DataSms" has no attribute "msg_idd"


def helpers(client: ApiClient, body: bytes) -> None:
    for optout in iter_items(OptoutsApi(client).get_optouts_list):
        print(optout.phone_numbr)  # E: "DataOptouts" has no attribute "phone_numbr"
    print(parse_callback(body).data[0].msg_id)  # E: has no attribute "msg_id"
    print(parse_dlr_update(body).data[0].stauts)  # E: "DataDlrUpdate" has no attribute "stauts"


def sandbox(sb: Sandbox) -> None:
    sb.api_client().call_apii()  # E: "ApiClient" has no attribute "call_apii"
    retries: str = sb.configuration().max_retries  # E: Incompatible types in assignment
    pin: int = sb.last_pin("+33612345678")  # E: Incompatible types in assignment (expression has type "str", variable has type "int")
    print(retries, pin)


def controls(client: ApiClient, req: SendSmsMessageRequest) -> None:
    raw = SmsApi(client).with_raw_response.send_sms(req)
    print(raw.data.info.totl_cost)  # E: "Info" has no attribute "totl_cost"
    SmsApi(client).with_raw_response.send_smss(req)  # E: "SmsApiWithRawResponse" has no attribute "send_smss"
    status: str = raw.status  # E: Incompatible types in assignment (expression has type "int", variable has type "str")
    fast: SmsApi = SmsApi(client).with_options(timeout=2)
    fast.with_options(max_retrys=0)  # E: Unexpected keyword argument "max_retrys"
    print(status, get_request_id(raw.data))


async def async_controls(client: AsyncApiClient, req: SendSmsMessageRequest) -> None:
    raw = await AsyncSmsApi(client).with_raw_response.send_sms(req)
    print(raw.data.info.totl_cost)  # E: "Info" has no attribute "totl_cost"
    fast: AsyncSmsApi = AsyncSmsApi(client).with_options(timeout=2)
    await fast.with_raw_response.send_smss(req)  # E: "AsyncSmsApiWithRawResponse" has no attribute "send_smss"
