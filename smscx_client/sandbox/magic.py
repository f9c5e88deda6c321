"""Phone numbers with a fixed, documented behaviour in the sandbox (all valid French mobiles),
and the ids of the example records (``EXAMPLE_IDS``) the spec's examples and ``examples/`` use."""

from typing import Dict, Union

__all__ = ["MAGIC_NUMBERS", "EXAMPLE_IDS"]

MAGIC_NUMBERS: Dict[str, str] = {
    # accepted, then DELIVERED (any other valid number behaves the same way)
    "delivered": "+33600000001",
    # accepted, then FAILED with an error code
    "delivery_failed": "+33600000002",
    # no coverage: a send to it alone is refused with 403 no_coverage (1119); in a batch it
    # gets the status NO COVERAGE at cost 0
    "no_coverage": "+33600000003",
    # accepted, then SENT, and never a final report
    "no_final_report": "+33600000004",
    # accepted, DELIVERED only after 55 s of sandbox time
    "slow_delivery": "+33600000005",
    # answers every message with an inbound SMS ("STOP" opt-outs are handled separately)
    "auto_reply": "+33600000006",
    # number lookup: the number was ported to another network
    "lookup_ported": "+33600000007",
    # number lookup: the number is valid but not reachable (switched off)
    "lookup_unreachable": "+33600000008",
}

# The example records (backends/_examples.py), present after every reset of a sandbox started
# with them (the command line does; ``Sandbox(examples=True)``). The spec's `example` values
# name these ids, so every script under examples/ runs against such a sandbox as it is.
EXAMPLE_IDS: Dict[str, Union[int, str]] = {
    # group "Customers" with three contacts; phoneNumberId is Jean Dupont's (+33612345678)
    "groupId": 1,
    "phoneNumberId": "920aec68-5924-46f5-8bcc-55b6a92a139b",
    # SMS template (editable), approved Viber template, approved WhatsApp template
    "templateId": 1,
    "viberTemplateId": 2,
    "whatsappTemplateId": 3,
    # an SMS campaign to the group, sent 2024-06-12 09:30:00 UTC; msgId is its message to Jean
    "msgId": "b73b1829-ba56-4224-9d74-88a813fdd424",
    "campaignId": "55ebb698-1e0b-43ec-b350-d1ed1276cba5",
    # sends scheduled a week after the reset (each campaign holds two messages)
    "smsScheduledMsgId": "f1e9ee7f-c454-43bc-bc8e-e7fbf5b1d4c2",
    "smsScheduledCampaignId": "dde821f0-c124-437e-adc7-980e04f6ea75",
    "viberScheduledMsgId": "74627430-e27e-41be-87dd-9399c799932e",
    "viberScheduledCampaignId": "4abb95a4-318e-40b3-b0ba-18b57d06f00c",
    "whatsappScheduledMsgId": "f9eca22a-a14d-47d0-aaf5-d89d0efa44ac",
    "multichannelScheduledMsgId": "6a0fc3d8-f75c-43bc-80be-ac064c5b6756",
    "multichannelScheduledCampaignId": "c2f34114-8366-4a00-b13a-7a1395b79b7a",
    # a PENDING OTP to +33612345678 (30 minutes of sandbox time after the reset) and its PIN
    "otpId": "99c3ef06-b724-45af-9c25-8e6829850ad3",
    "otpPin": "482915",
    # a 30-day rental of +33612345011, made at the reset (cancellable for 30 minutes)
    "rentId": "1ce44e35-e989-4abc-b43a-e7a618222213",
    # a number offered for rent in FR (not rented): +33612345285, at least 7 days
    "numberId": "af383199-fa9c-513d-bdb5-e775eed63516",
    # a finished bulk lookup of three numbers; lookupId is the result for +33612345678
    "lookupBulkId": "22f2c487-8bc4-4ed6-a7d9-5553f4cb1d61",
    "lookupId": "b9641fa2-e8d9-44e9-b1d5-fc33ffeaafde",
    # a short link with one hit, and an attachment (a PDF price list)
    "shortId": "Jun24s",
    "attachmentId": "Pr1ceL5t",
    # the SMS conversation with +33612345678 (Jean replied to the campaign)
    "conversationId": "1eb4b5e9-46a0-5c68-a5e5-c26087a22c3b",
    # +33655512345 on the opt-out list (removable); the approved sender name "MyBrand"
    "optoutId": 1,
    "originatorId": 2,
    # the sandbox's OAuth application (its id is the default application id)
    "applicationId": "sandbox-app",
}
