"""Flows run by the published smscx_client 0.1.13 against the sandbox (``python legacy_flows.py
HOST KEY OUT.json``); each step's outcome goes to OUT.json, nothing is printed."""

import json
import re
import sys
import urllib.request


def control(host, method, name, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(host + "/__sandbox/" + name, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.loads(resp.read())


def main(host, key, out):
    import smscx_client
    from smscx_client.api.account_api import AccountApi
    from smscx_client.api.groups_api import GroupsApi
    from smscx_client.api.otp_api import OtpApi
    from smscx_client.api.reports_api import ReportsApi
    from smscx_client.api.sms_api import SmsApi
    from smscx_client.model.add_contacts_to_group_request import AddContactsToGroupRequest
    from smscx_client.model.new_group_request import NewGroupRequest
    from smscx_client.model.new_otp_request import NewOtpRequest
    from smscx_client.model.send_sms_campaign_request import SendSmsCampaignRequest
    from smscx_client.model.send_sms_message_request import SendSmsMessageRequest

    client = smscx_client.ApiClient(smscx_client.Configuration(host=host, api_key=key))
    sms, groups, otp, reports = SmsApi(client), GroupsApi(client), OtpApi(client), ReportsApi(client)
    results = {}

    def step(name, fn):
        try:
            results[name] = {"ok": True, "value": fn()}
        except Exception as exc:  # recorded for the test to judge
            results[name] = {"ok": False, "error": type(exc).__name__, "status": getattr(exc, "status", None)}

    step("balance", lambda: AccountApi(client).get_account_balance().balance)

    def send():
        r = sms.send_sms(SendSmsMessageRequest(["+33612345678"], "Brand", "Hello from 0.1.13"))
        return {"msg_id": r.data[0].msg_id, "status": r.data[0].status, "cost": r.info.total_cost, "parts": r.data[0].parts}

    step("send", send)

    def group_campaign():
        gid = groups.create_group(NewGroupRequest("Legacy customers")).info.id
        groups.add_contacts_to_group(gid, AddContactsToGroupRequest(["+33612345679", "+33612345680"]))
        details = groups.get_group_details(gid)
        camp = sms.send_sms_campaign(SendSmsCampaignRequest([gid], "Brand", "Campaign from 0.1.13"))
        return {"contacts": details.info.total_phone_numbers, "campaign": camp.info.campaign_id, "sent": camp.info.total_phone_numbers}

    step("group_campaign", group_campaign)

    def otp_flow():
        created = otp.new_otp(NewOtpRequest("+33612345681"))
        text = control(host, "GET", "messages")["data"][-1]["text"]
        pin = re.search(r"\b([0-9A-Za-z]{4,10})\b\s*$", text) or re.search(r"(\d{4,10})", text)
        verified = otp.verify_otp(created.otp_id, pin.group(1))
        return {"status": verified.status}

    step("otp", otp_flow)

    def report():
        control(host, "POST", "clock/advance", {"seconds": 60})
        msg_id = results["send"]["value"]["msg_id"]
        return {"status": reports.get_single_report(msg_id).data.status}

    step("report", report)
    step("no_coverage", lambda: sms.send_sms(SendSmsMessageRequest(["+33600000003"], "Brand", "Hi")).info.total_cost)
    step("bad_key", lambda: AccountApi(smscx_client.ApiClient(smscx_client.Configuration(host=host, api_key="wrong"))).get_account_balance().balance)
    with open(out, "w") as fh:
        json.dump(results, fh)


if __name__ == "__main__":
    main(*sys.argv[1:4])
