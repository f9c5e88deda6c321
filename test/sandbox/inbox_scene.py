"""A few messages of every kind the inbox page shows, put in a sandbox through the SDK and the
control plane: the scene of the browser tests' screenshot (docs/images/sandbox-inbox.png)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from support import add_template

from smscx_client.api.otp_api import OtpApi
from smscx_client.api.sms_api import SmsApi
from smscx_client.api.viber_api import ViberApi
from smscx_client.model.new_otp_request import NewOtpRequest
from smscx_client.model.send_sms_message_request import SendSmsMessageRequest
from smscx_client.model.send_viber_message_request import SendViberMessageRequest
from smscx_client.sandbox import MAGIC_NUMBERS

JEAN = "+33612345678"
CLAIRE = "+33612345679"
TOM = "+447400123456"


def send(sb: Any, to: str, text: str, **extra: Any) -> str:
    """Send one SMS from "MyBrand" through the SDK; its msgId."""
    sent = SmsApi(sb.api_client(max_retries=0)).send_sms(SendSmsMessageRequest(to=[to], _from="MyBrand", text=text, **extra))
    msg_id: str = sent.data[0].msg_id
    return msg_id


def fill(sb: Any, hook_url: str, refused_url: str) -> None:
    """Sends, an OTP, a scheduled SMS, a failed delivery, a Viber message and a reply; webhooks
    delivered to ``hook_url`` and failed at ``refused_url``."""
    client = sb.api_client(max_retries=0)
    sms, otp, viber = SmsApi(client), OtpApi(client), ViberApi(client)
    sb.control("POST", "application", {"settings": {"sms": {"receiveCallback": hook_url}}})
    later = datetime.fromtimestamp(int(sb.now() + 2 * 3600), tz=timezone.utc).replace(tzinfo=None)
    sms.send_sms(
        SendSmsMessageRequest(
            to=[CLAIRE], _from="MyClinic", text="Reminder: your appointment is tomorrow at 10:00.", scheduled_date=later
        )
    )
    sms.send_sms(
        SendSmsMessageRequest(
            to=[MAGIC_NUMBERS["delivery_failed"]],
            _from="MyShop",
            text="Your invoice INV-2291 is ready.",
            dlr_callback_url=refused_url,
        )
    )
    template = add_template(sb, "viber", "Hi {{firstName}}, your table for 2 is booked for Friday 20:00.")
    viber.send_viber_message(SendViberMessageRequest([TOM], "MyBistro", template))
    sms.send_sms(
        SendSmsMessageRequest(
            to=[JEAN],
            _from="MyShop",
            text="Your order #1042 has shipped — it arrives on Thursday.",
            dlr_callback_url=hook_url,
        )
    )
    otp.new_otp(NewOtpRequest(phone_number=JEAN))
    for _ in range(3):  # delivered, failed, and the failing callback tried three times, 10 s apart
        sb.advance(10)
    sb.control("POST", "inbound", {"from": JEAN, "to": "MyShop", "text": "Thanks! Can I pick it up in store instead?"})
    sb.advance(1)
