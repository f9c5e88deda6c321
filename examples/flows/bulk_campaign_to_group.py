"""A campaign to a contact group: create the group, add contacts, send, read the campaign report.

The text is personalised per contact (``{{firstName}}``). Against the sandbox the three default
contacts are magic numbers (``smscx_client.sandbox.MAGIC_NUMBERS``): two are delivered and one
fails, so the report shows both outcomes::

    export SMSCX_HOST=http://127.0.0.1:8787 SMSCX_API_KEY=sandbox-api-key
    python examples/flows/bulk_campaign_to_group.py

Against SMS.CX (SMSCX_API_KEY only) give your own numbers as arguments: every contact gets a
charged SMS. The group is deleted at the end; the campaign report stays.
"""

from __future__ import annotations

import sys
import time

from _sandbox_control import advance_clock, configuration

from smscx_client import ApiClient, ApiConnectionError, ApiException
from smscx_client.api.groups_api import GroupsApi
from smscx_client.api.reports_api import ReportsApi
from smscx_client.api.sms_api import SmsApi
from smscx_client.model.add_contacts_to_group_with_fields_request import AddContactsToGroupWithFieldsRequest
from smscx_client.model.group_add import GroupAdd
from smscx_client.model.new_group_request import NewGroupRequest
from smscx_client.model.send_sms_campaign_request import SendSmsCampaignRequest

# the sandbox's "delivered" and "delivery_failed" magic numbers, and an ordinary number
CONTACTS = [("+33600000001", "Alice"), ("+33600000002", "Bruno"), ("+33612345678", "Chloé")]
PENDING = ("ACCEPTED", "SENT")


def main() -> int:
    numbers = sys.argv[1:] or [number for number, _ in CONTACTS]
    names = [name for _, name in CONTACTS] + ["there"] * len(numbers)
    config = configuration()
    with ApiClient(config) as client:
        groups, reports = GroupsApi(client), ReportsApi(client)
        try:
            group = groups.create_group(
                NewGroupRequest(name="Campaign demo {}".format(int(time.time())))
            ).info
            print("Created group {} ({})".format(group.id, group.name))
            contacts = [GroupAdd(phone_number=n, first_name=name) for n, name in zip(numbers, names)]
            added = groups.add_contacts_to_group_with_fields(
                group.id, AddContactsToGroupWithFieldsRequest(phone_numbers=contacts)
            ).info
            print("Added {} contacts ({} invalid)".format(added.total_valid, added.total_invalid))
            sent = (
                SmsApi(client)
                .send_sms_campaign(
                    SendSmsCampaignRequest(
                        groups=[group.id],
                        _from="MyBrand",
                        text="Hi {{firstName}}, our summer sale starts on Monday!",
                    )
                )
                .info
            )
            print(
                "Campaign {}: {} messages, {} EUR".format(sent.campaign_id, sent.total_valid, sent.total_cost)
            )
            # the sandbox reports in 3 s of its clock; SMS.CX in real time
            for _ in range(30):
                if advance_clock(config.host, 5):
                    break
                rows = reports.get_campaign_report(sent.campaign_id).data
                if not any(r.status in PENDING for r in rows):
                    break
                time.sleep(10)
            report = reports.get_campaign_report(sent.campaign_id)
            groups.delete_group(group.id)
        except ApiConnectionError as e:  # no answer at all (network, DNS, TLS, timeout): no HTTP status
            print("Failed:", e, file=sys.stderr)
            return 1
        except ApiException as e:
            print("Failed: HTTP", e.status, e.error_type, e.error_code, e.error_message, file=sys.stderr)
            return 1
    info = report.info
    print(
        "Report of {} ({} numbers, {} EUR):".format(
            info.campaign_name, info.total_phone_numbers, info.total_cost
        )
    )
    for row in report.data:
        print("  {:<14} {:<10} {}".format(row.to, row.status, row.text))
    return 0


if __name__ == "__main__":
    sys.exit(main())
