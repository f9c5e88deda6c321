"""More than 25,000 recipients is refused before sending, with the way out (``x-hint``)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from wire import Reply

from smscx_client import ApiTypeError, ApiValueError, models
from smscx_client.api.sms_api import SmsApi
from smscx_client.model.send_sms_message_request import SendSmsMessageRequest
from tools.codegen import ir

ROOT = Path(__file__).resolve().parents[2]
TOO_MANY = ["+336{:08d}".format(i) for i in range(25001)]
SEND_MODELS = [
    "SendSmsMessageRequest",
    "SendSmsRequestEstimate",
    "SendViberMessageRequest",
    "SendViberMessageRequestEstimate",
    "SendWhatsappMessageRequest",
    "SendWhatsappMessageRequestEstimate",
    "SendMultichannelMessageRequest",
    "SendMultichannelMessageRequestEstimate",
]


def _assert_hinted(message: str, model: str) -> None:
    assert "`{}.to`".format(model) in message
    assert "at most 25000 items (got 25001)" in message
    assert "25,000" in message and "smscx_client.batch.send_sms_batch" in message


def test_a_25001_number_send_is_refused_before_anything_is_sent(wire, make_client):
    sms = SmsApi(make_client())
    with pytest.raises(ApiValueError) as info:  # the 0.1.x dict form: checked on the way in
        sms.send_sms({"to": TOO_MANY, "from": "MyBrand", "text": "Sale"})
    _assert_hinted(str(info.value), "SendSmsMessageRequest")
    with pytest.raises(ApiValueError) as info:
        sms.send_sms(SendSmsMessageRequest(TOO_MANY, "MyBrand", "Sale"))
    _assert_hinted(str(info.value), "SendSmsMessageRequest")
    assert wire.requests == []


def test_25000_numbers_go_out(wire, make_client):
    wire.reply(Reply(200, {"info": {}, "data": []}))
    SmsApi(make_client()).send_sms(SendSmsMessageRequest(TOO_MANY[:25000], "MyBrand", "Sale"))
    assert len(wire.requests) == 1 and len(wire.requests[0].json()["to"]) == 25000


@pytest.mark.parametrize("name", SEND_MODELS)
def test_every_send_request_gives_the_limit_and_the_way_out(name):
    request = getattr(models, name)._from_wire({})  # an answer-side instance: nothing checked yet
    with pytest.raises(ApiValueError) as info:
        request.to = TOO_MANY  # the setter checks as the constructor does
    _assert_hinted(str(info.value), name)


def test_the_hint_is_only_for_value_errors():
    with pytest.raises(ApiTypeError) as info:
        SendSmsMessageRequest("+33612345678", "MyBrand", "Sale")  # a str, not a list
    assert "send_sms_batch" not in str(info.value)


def test_the_generator_passes_the_hint_to_the_field_type(tmp_path):
    spec = yaml.safe_load((ROOT / "spec" / "openapi.yaml").read_text())
    prop = spec["components"]["schemas"]["NewGroupRequest"]["properties"]["name"]
    prop["x-hint"] = "Pick a shorter name."
    changed = tmp_path / "openapi.yaml"
    changed.write_text(yaml.safe_dump(spec))
    model = ir.load(changed).models["NewGroupRequest"]
    name = next(f for f in model.fields if f.wire == "name")
    assert name.type.expr().startswith("Hinted(Str(") and name.type.expr().endswith(', "Pick a shorter name.")')
    assert {"Hinted", "Str"} <= set(model.runtime_names())
    prop["x-hint"] = ["not", "text"]
    changed.write_text(yaml.safe_dump(spec))
    with pytest.raises(ir.SpecError, match="NewGroupRequest.name: x-hint must be a non-empty string"):
        ir.load(changed)
